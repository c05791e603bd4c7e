//! Binary floats with a wide exponent, for the error bounds of [`super::Aff`].
//!
//! An [`Xf`] is `f * 2^s` with `1 <= f < 2` (or zero) and a 64-bit exponent `s`, so it reaches the
//! magnitudes of the engine's numbers (down to `1e-1000000`) that an `f64` cannot. Bounds are rounded
//! outward one `f64` step after every operation (an `f64` operation rounds to nearest, off by at most
//! half a step), so an upper bound stays an upper bound. Midpoints enter as approximations whose
//! relative error is at most [`RHO`]; callers that turn them into coefficients of error forms add
//! that error to the form's remainder.

use super::{Mag, Num};
use std::sync::OnceLock;

/// A bound on the relative error of [`approx`] and [`pow10`]: 2^-36, with room to spare (square and
/// multiply for exponents past 10^±290 rounds at most about 7,000 times, each by at most 2^-53).
pub(super) const RHO: f64 = 1.0 / (1u64 << 36) as f64;

/// A non-negative `f * 2^s`, `1 <= f < 2`, or zero (`f == 0`, `s == 0`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Xf {
    f: f64,
    s: i64,
}

/// The next `f64` above a finite `x >= 0`.
#[inline]
pub(super) fn up(x: f64) -> f64 {
    if x == 0.0 {
        f64::from_bits(1)
    } else {
        f64::from_bits(x.to_bits() + 1)
    }
}

/// The next `f64` below a finite `x >= 0`, or zero.
#[inline]
pub(super) fn down(x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}

/// `2^k` for `-1022 <= k <= 1023`.
#[inline]
pub(super) fn pow2(k: i64) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// Splits a finite nonzero `x` into `(m, k)` with `x = m * 2^k`, `1 <= |m| < 2`.
#[inline]
pub(super) fn split(x: f64) -> (f64, i64) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // subnormal: scale into the normal range first
        let (m, k) = split(x * pow2(64));
        return (m, k - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1023 << 52));
    (m, exp - 1023)
}

impl Xf {
    pub(super) const ZERO: Xf = Xf { f: 0.0, s: 0 };

    /// `f * 2^s` for a finite `f >= 0`, normalized (no rounding).
    #[inline]
    pub(super) fn new(f: f64, s: i64) -> Xf {
        if f == 0.0 {
            return Xf::ZERO;
        }
        let (m, k) = split(f);
        Xf { f: m, s: s + k }
    }

    pub(super) fn is_zero(&self) -> bool {
        self.f == 0.0
    }

    /// The exponent `s` (meaningless for zero).
    pub(super) fn scale(&self) -> i64 {
        self.s
    }

    /// The value in units of `2^scale`, rounded up; `scale` at least `self`'s exponent - 60 keeps
    /// it meaningful, and a value far below the unit becomes the smallest positive `f64` unit.
    #[inline]
    pub(super) fn in_units(&self, scale: i64) -> f64 {
        if self.f == 0.0 {
            return 0.0;
        }
        let d = self.s - scale;
        if d < -1000 {
            return pow2(-1000);
        }
        // here d <= 1023 is the caller's duty (it picks scale from the largest exponent)
        up(self.f * pow2(d.min(1023)))
    }

    /// An upper bound of `self + o`.
    #[inline]
    pub(super) fn add(&self, o: &Xf) -> Xf {
        if self.f == 0.0 {
            return *o;
        }
        if o.f == 0.0 {
            return *self;
        }
        let (big, small) = if self.s >= o.s { (self, o) } else { (o, self) };
        let d = small.s - big.s;
        if d < -60 {
            // small is below one f64 step of big
            return Xf::new(up(big.f), big.s);
        }
        Xf::new(up(big.f + small.f * pow2(d)), big.s)
    }

    /// An upper bound of `self * o`.
    #[inline]
    pub(super) fn mul(&self, o: &Xf) -> Xf {
        if self.f == 0.0 || o.f == 0.0 {
            return Xf::ZERO;
        }
        Xf::new(up(self.f * o.f), self.s + o.s)
    }

    /// A lower bound of `self * o`.
    #[inline]
    pub(super) fn mul_down(&self, o: &Xf) -> Xf {
        if self.f == 0.0 || o.f == 0.0 {
            return Xf::ZERO;
        }
        Xf::new(down(self.f * o.f), self.s + o.s)
    }

    /// An upper bound of `self / o` (`o` nonzero; zero when it is zero: callers check).
    #[inline]
    pub(super) fn div(&self, o: &Xf) -> Xf {
        if self.f == 0.0 || o.f == 0.0 {
            return Xf::ZERO;
        }
        Xf::new(up(self.f / o.f), self.s - o.s)
    }

    /// A lower bound of `self - o`, or zero when `o >= self`.
    pub(super) fn sub_down(&self, o: &Xf) -> Xf {
        if o.f == 0.0 {
            return *self;
        }
        if self.f == 0.0 || *o >= *self {
            return Xf::ZERO;
        }
        let d = o.s - self.s;
        if d < -60 {
            return Xf::new(down(self.f), self.s);
        }
        Xf::new(down(self.f - o.f * pow2(d)), self.s)
    }

    /// A lower bound of the square root.
    pub(super) fn sqrt_down(&self) -> Xf {
        if self.f == 0.0 {
            return Xf::ZERO;
        }
        let (f, s) = if self.s.rem_euclid(2) == 1 {
            (self.f * 2.0, self.s - 1)
        } else {
            (self.f, self.s)
        };
        // sqrt is correctly rounded in IEEE arithmetic: one step down is below the true root
        Xf::new(down(f.sqrt()), s / 2)
    }

    /// An upper bound of `|x|`.
    pub(super) fn num_up(x: &Num) -> Xf {
        Xf::approx_up(approx(x))
    }

    /// A lower bound of `|x|`.
    pub(super) fn num_down(x: &Num) -> Xf {
        Xf::approx_down(approx(x))
    }

    /// An upper bound of `|x|` from `approx(x)`, for a caller that has it already.
    #[inline]
    pub(super) fn approx_up((v, t): (f64, i64)) -> Xf {
        Xf::new(up(v.abs() * (1.0 + 2.0 * RHO)), t)
    }

    /// A lower bound of `|x|` from `approx(x)`.
    #[inline]
    pub(super) fn approx_down((v, t): (f64, i64)) -> Xf {
        Xf::new(down(v.abs() * (1.0 - 2.0 * RHO)), t)
    }

    /// Half a unit in the 28th significant digit of `x` (what rounding `x` may have moved it), up.
    pub(super) fn half_ulp(x: &Num) -> Xf {
        let p = pow10(x.exponent() - i64::from(super::SIG_DIGITS));
        Xf::new(up(5.0 * p.f * (1.0 + 2.0 * RHO)), p.s)
    }

    /// An upper bound of a [`Mag`].
    pub(super) fn from_mag(m: &Mag) -> Xf {
        let (mant, e) = m.parts();
        if mant == 0 {
            return Xf::ZERO;
        }
        let p = pow10(e);
        Xf::new(up(mant as f64 * p.f * (1.0 + 2.0 * RHO)), p.s)
    }

    /// An upper bound as a [`Mag`] (nine decimal digits).
    pub(super) fn to_mag(self) -> Mag {
        if self.f == 0.0 {
            return Mag::ZERO;
        }
        // the decimal exponent of the leading digit, give or take one
        let l = (self.s as f64 + self.f.log2()) * std::f64::consts::LOG10_2;
        let e10 = l.floor() as i64 - 8;
        let p = pow10(-e10);
        // self / 10^e10 lies near [1e8, 1e9): an f64 with a small exponent
        let q = self.f * p.f * pow2((self.s + p.s).clamp(-1022, 1023));
        let q = up(q * (1.0 + 4.0 * RHO)).ceil();
        Mag::norm(q as u128, e10, true)
    }
}

impl PartialOrd for Xf {
    fn partial_cmp(&self, o: &Xf) -> Option<std::cmp::Ordering> {
        use std::cmp::Ordering;
        Some(match (self.f == 0.0, o.f == 0.0) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => self.s.cmp(&o.s).then(self.f.total_cmp(&o.f)),
        })
    }
}

const TABLE: i64 = 290;

fn table() -> &'static [Xf] {
    static T: OnceLock<Vec<Xf>> = OnceLock::new();
    T.get_or_init(|| {
        // Rust parses decimal literals correctly rounded: each entry within 2^-53 of 10^k
        (-TABLE..=TABLE)
            .map(|k| Xf::new(format!("1e{k}").parse::<f64>().unwrap_or(1.0), 0))
            .collect()
    })
}

/// `10^k`, within a relative error of [`RHO`] (a table for `|k| <= 290`, square and multiply beyond).
pub(super) fn pow10(k: i64) -> Xf {
    let t = table();
    if (-TABLE..=TABLE).contains(&k) {
        return t[(k + TABLE) as usize];
    }
    let (q, r) = (k.div_euclid(TABLE), k.rem_euclid(TABLE));
    let (mut acc, mut base) = (t[(r + TABLE) as usize], t[(2 * TABLE) as usize]);
    let mut n = q.unsigned_abs();
    if q < 0 {
        base = Xf::new(1.0 / base.f, -base.s);
    }
    while n > 0 {
        if n & 1 == 1 {
            acc = Xf::new(acc.f * base.f, acc.s + base.s);
        }
        n >>= 1;
        if n > 0 {
            base = Xf::new(base.f * base.f, 2 * base.s);
        }
    }
    acc
}

/// `x` as `v * 2^t` with `1 <= |v| < 2` (zero: `(0, 0)`), within a relative error of [`RHO`].
pub(super) fn approx(x: &Num) -> (f64, i64) {
    if x.is_zero() {
        return (0.0, 0);
    }
    let (m, e) = x.parts();
    let p = pow10(e);
    // m has at most 29 digits: its f64 is within 2^-53, the product within another
    let (v, k) = split(m as f64 * p.f);
    (v, p.s + k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::tests::n;

    #[test]
    fn powers_of_ten_and_conversions_stay_within_their_bounds() {
        for k in [
            -1_000_000i64,
            -4000,
            -291,
            -290,
            -1,
            0,
            1,
            37,
            290,
            291,
            5000,
            1_000_000,
        ] {
            let p = pow10(k);
            let m = Mag::pow10(k);
            // Mag::pow10 is exact: the approximation is within RHO of it
            let up = Xf::from_mag(&m);
            assert!(p <= up, "{k}");
            assert!(up.to_mag() >= m, "{k}");
            // a Mag read back is at most a few units in its ninth digit above
            assert!(up.to_mag() <= Mag::pow10(k).add(&Mag::pow10(k - 7)), "{k}");
        }
        let x = n("-3.005060842611813408824772459e-17");
        let (v, t) = approx(&x);
        let back = v * 2f64.powi(t as i32);
        assert!((back - -3.005_060_842_611_813_4e-17).abs() < 1e-30);
        assert!(Xf::num_down(&x) < Xf::num_up(&x));
        assert!(Xf::num_up(&x).to_mag() >= Mag::from_num_up(&x));
    }

    #[test]
    fn bounds_round_outward() {
        let third = Xf::new(1.0, 0).div(&Xf::new(3.0, 0));
        assert!(third.to_mag() >= Mag::from_num_up(&n("0.3333333333333333333")));
        let lo = Xf::new(1.0, 0).sub_down(&Xf::new(1.0, -70));
        assert!(lo < Xf::new(1.0, 0));
        assert!(Xf::new(2.0, 0).sqrt_down() < Xf::new(std::f64::consts::SQRT_2, 0));
        assert_eq!(Xf::new(0.0, 5), Xf::ZERO);
        assert!(Xf::new(1.0, -2_000_000).add(&Xf::new(1.0, 0)) > Xf::new(1.0, 0));
    }
}
