//! Certified values: a [`Ball`] is a midpoint [`Num`] and a radius [`Mag`] such that the true value
//! lies within the radius of the midpoint, as in FLINT/Arb's midpoint-radius arithmetic.
//!
//! Literals are exact (radius 0). Each operation computes its midpoint with [`Num`]'s correctly rounded
//! arithmetic and its radius from the operands' radii with the standard propagation bounds, plus half a
//! unit in the last place of the midpoint when the midpoint was rounded. Every radius computation rounds
//! upward (and every quantity it divides by rounds downward), so the bound is proven, not estimated.
//!
//! A [`Mag`] is an upper bound kept with nine decimal digits and a free exponent: cheap, and it never
//! underflows to zero while the true bound is positive.
//!
//! [`Ball::certified`] is the printing rule: the most significant digits, up to those asked, such that
//! the printed number lies within one unit of its last digit of every point of the ball.

use super::{ArithError, Num, EXP_LIMIT, SIG_DIGITS};
use std::cmp::Ordering;
use std::fmt;

const MAG_DIGITS: u32 = 9;
const MAG_LOW: u128 = 100_000_000; // 10^8
const MAG_HIGH: u128 = 1_000_000_000; // 10^9

/// A non-negative magnitude `m * 10^e` with a nine-digit mantissa, used as an upper (or, where said,
/// lower) bound.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Mag {
    /// Zero, or in `[10^8, 10^9)`.
    m: u64,
    e: i64,
}

fn pow10u(n: u32) -> u128 {
    10u128.pow(n)
}

fn digits_u128(x: u128) -> u32 {
    x.checked_ilog10().map_or(1, |d| d + 1)
}

impl Mag {
    /// Zero.
    pub const ZERO: Mag = Mag { m: 0, e: 0 };

    /// `m * 10^e` rounded to nine digits, up or down.
    pub(super) fn norm(m: u128, e: i64, up: bool) -> Mag {
        if m == 0 {
            return Mag::ZERO;
        }
        if let Ok(m) = u64::try_from(m) {
            return Mag::norm64(m, e, up);
        }
        let n = digits_u128(m);
        let k = n - MAG_DIGITS;
        let d = pow10u(k);
        let mut q = m / d;
        if up && m % d != 0 {
            q += 1;
        }
        Mag::norm(q, e + i64::from(k), up)
    }

    /// [`Mag::norm`] in 64-bit arithmetic (every sum and product of two magnitudes fits).
    fn norm64(m: u64, e: i64, up: bool) -> Mag {
        const P: [u64; 11] = [
            1,
            10,
            100,
            1_000,
            10_000,
            100_000,
            1_000_000,
            10_000_000,
            100_000_000,
            1_000_000_000,
            10_000_000_000,
        ];
        if m == 0 {
            return Mag::ZERO;
        }
        let n = m.ilog10() + 1;
        if n > MAG_DIGITS {
            let k = n - MAG_DIGITS;
            let d = 10u64.pow(k);
            let mut q = m / d;
            if up && m % d != 0 {
                q += 1;
            }
            if q >= MAG_HIGH as u64 {
                return Mag::norm64(q, e + i64::from(k), up);
            }
            Mag {
                m: q,
                e: e + i64::from(k),
            }
        } else {
            let k = MAG_DIGITS - n;
            Mag {
                m: m * P[k as usize],
                e: e - i64::from(k),
            }
        }
    }

    /// `10^e`.
    pub fn pow10(e: i64) -> Mag {
        Mag {
            m: MAG_LOW as u64,
            e: e - 8,
        }
    }

    /// An upper bound of `|x|`.
    pub fn from_num_up(x: &Num) -> Mag {
        let (m, e) = x.parts();
        Mag::norm(m.unsigned_abs(), e, true)
    }

    /// A lower bound of `|x|`.
    pub fn from_num_down(x: &Num) -> Mag {
        let (m, e) = x.parts();
        Mag::norm(m.unsigned_abs(), e, false)
    }

    /// Half a unit in the 28th significant digit of `x`: the most that rounding `x` can have moved it.
    pub fn half_ulp(x: &Num) -> Mag {
        Mag::norm(5, x.exponent() - i64::from(SIG_DIGITS), true)
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.m == 0
    }

    /// `floor(log10(self))`; zero for zero.
    pub fn exponent(&self) -> i64 {
        if self.m == 0 {
            0
        } else {
            self.e + 8
        }
    }

    /// The exact value as a [`Num`] (an error only beyond [`Num`]'s exponent range).
    pub fn to_num(&self) -> Result<Num, ArithError> {
        Num::from_mantissa(i128::from(self.m), self.e)
    }

    /// The value, as the nearest `f64` (for plotting and tests, not for bounds).
    pub fn to_f64(&self) -> f64 {
        if self.m == 0 {
            return 0.0;
        }
        format!("{}e{}", self.m, self.e)
            .parse()
            .unwrap_or(f64::INFINITY)
    }

    /// An upper bound of `self + o`.
    pub fn add(&self, o: &Mag) -> Mag {
        if self.m == 0 {
            return *o;
        }
        if o.m == 0 {
            return *self;
        }
        let (big, small) = if self.e >= o.e { (self, o) } else { (o, self) };
        let d = big.e - small.e;
        if d > 9 {
            // small < 10^(small.e + 9) < 10^big.e, one unit of big's last digit
            return Mag::norm64(big.m + 1, big.e, true);
        }
        // below 10^18 + 10^9: 64-bit arithmetic
        Mag::norm64(big.m * 10u64.pow(d as u32) + small.m, small.e, true)
    }

    /// A bound of `self * o`, up or down.
    fn mul_dir(&self, o: &Mag, up: bool) -> Mag {
        Mag::norm(u128::from(self.m) * u128::from(o.m), self.e + o.e, up)
    }

    /// An upper bound of `self * o`.
    pub fn mul(&self, o: &Mag) -> Mag {
        self.mul_dir(o, true)
    }

    /// The mantissa and exponent: `self = m * 10^e`.
    pub(super) fn parts(&self) -> (u64, i64) {
        (self.m, self.e)
    }

    /// A bound of `self / o` (`o` nonzero), up or down.
    fn div_dir(&self, o: &Mag, up: bool) -> Mag {
        if self.m == 0 || o.m == 0 {
            return Mag::ZERO;
        }
        let a = u128::from(self.m) * pow10u(12);
        let b = u128::from(o.m);
        let mut q = a / b;
        if up && a % b != 0 {
            q += 1;
        }
        Mag::norm(q, self.e - o.e - 12, up)
    }

    /// A lower bound of `self - o`, or zero when `o >= self`.
    pub(super) fn sub_down(&self, o: &Mag) -> Mag {
        if o.m == 0 {
            return *self;
        }
        if self.m == 0 || o >= self {
            return Mag::ZERO;
        }
        // here self > o, so self.e >= o.e
        let d = self.e - o.e;
        if d > 18 {
            return Mag::norm(u128::from(self.m) - 1, self.e, false);
        }
        let a = u128::from(self.m) * pow10u(d as u32);
        Mag::norm(a - u128::from(o.m), o.e, false)
    }

    /// A lower bound of the square root.
    pub(super) fn sqrt_down(&self) -> Mag {
        if self.m == 0 {
            return Mag::ZERO;
        }
        // m * 10^e with e even and m of 18 or 19 digits, then an integer square root rounded down
        let (mut m, mut e) = (u128::from(self.m) * pow10u(10), self.e - 10);
        if e.rem_euclid(2) == 1 {
            m *= 10;
            e -= 1;
        }
        let mut r = (m as f64).sqrt() as u128;
        while r * r > m {
            r -= 1;
        }
        while (r + 1) * (r + 1) <= m {
            r += 1;
        }
        Mag::norm(r, e / 2, false)
    }
}

impl Ord for Mag {
    fn cmp(&self, o: &Mag) -> Ordering {
        match (self.m == 0, o.m == 0) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => self.e.cmp(&o.e).then(self.m.cmp(&o.m)),
        }
    }
}

impl PartialOrd for Mag {
    fn partial_cmp(&self, o: &Mag) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Debug for Mag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}e{}", self.m, self.e)
    }
}

/// A certified value: the true value lies within `rad` of `mid`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ball {
    mid: Num,
    rad: Mag,
}

/// A value as it may be printed: its certain digits, or the ball itself when no digit is certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certified {
    /// The midpoint rounded to `sig` significant digits, every one of them certain; `exact` when the
    /// printed number is the value itself.
    Digits {
        /// The rounded value.
        value: Num,
        /// How many significant digits to print (trailing zeros included).
        sig: u32,
        /// Whether `value` is the exact value (radius zero, nothing rounded away).
        exact: bool,
    },
    /// No digit is certain: the midpoint and the radius, two digits each.
    Interval {
        /// The midpoint, rounded to two digits.
        mid: Num,
        /// The radius, rounded up to two digits.
        rad: Num,
    },
}

/// A ball whose midpoint underflowed: zero, with the smallest representable magnitude added to the
/// radius.
fn underflowed(rad: Mag) -> Ball {
    Ball {
        mid: Num::ZERO,
        rad: rad.add(&Mag::pow10(-EXP_LIMIT)),
    }
}

impl Ball {
    /// Zero, exactly.
    pub const ZERO: Ball = Ball {
        mid: Num::ZERO,
        rad: Mag::ZERO,
    };

    /// An exact value.
    pub fn exact(n: Num) -> Ball {
        Ball {
            mid: n,
            rad: Mag::ZERO,
        }
    }

    /// A ball from its parts.
    pub fn new(mid: Num, rad: Mag) -> Ball {
        Ball { mid, rad }
    }

    /// The midpoint.
    pub fn mid(&self) -> &Num {
        &self.mid
    }

    /// The radius.
    pub fn rad(&self) -> Mag {
        self.rad
    }

    /// The midpoint as the nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        self.mid.to_f64()
    }

    /// Whether the value is known exactly.
    pub fn is_exact(&self) -> bool {
        self.rad.is_zero()
    }

    /// Whether `x` certainly lies in the ball.
    pub fn contains(&self, x: &Num) -> bool {
        match self.mid.sub_x(x) {
            Ok((d, inexact)) => {
                let d = Mag::from_num_up(&d);
                let d = if inexact { d.add(&Mag::half_ulp(x)) } else { d };
                d <= self.rad
            }
            Err(_) => false,
        }
    }

    /// Whether zero lies in the ball.
    pub fn contains_zero(&self) -> bool {
        Mag::from_num_down(&self.mid) <= self.rad
    }

    /// Builds the result of an operation from its rounded midpoint and the propagated radius.
    fn finish(res: Result<(Num, bool), ArithError>, rad: Mag) -> Result<Ball, ArithError> {
        match res {
            Ok((mid, inexact)) => Ok(Ball {
                mid,
                rad: if inexact {
                    rad.add(&Mag::half_ulp(&mid))
                } else {
                    rad
                },
            }),
            Err(ArithError::Underflow) => Ok(underflowed(rad)),
            Err(e) => Err(e),
        }
    }

    /// `self + o`.
    pub fn add(&self, o: &Ball) -> Result<Ball, ArithError> {
        Ball::finish(self.mid.add_x(&o.mid), self.rad.add(&o.rad))
    }

    /// `self - o`.
    pub fn sub(&self, o: &Ball) -> Result<Ball, ArithError> {
        Ball::finish(self.mid.sub_x(&o.mid), self.rad.add(&o.rad))
    }

    /// `self * o`.
    pub fn mul(&self, o: &Ball) -> Result<Ball, ArithError> {
        let rad = if self.rad.is_zero() && o.rad.is_zero() {
            Mag::ZERO
        } else {
            let ax = Mag::from_num_up(&self.mid);
            let ay = Mag::from_num_up(&o.mid);
            ax.mul(&o.rad)
                .add(&ay.mul(&self.rad))
                .add(&self.rad.mul(&o.rad))
        };
        Ball::finish(self.mid.mul_x(&o.mid), rad)
    }

    /// `self / o`; an error when the divisor's ball holds zero.
    pub fn div(&self, o: &Ball) -> Result<Ball, ArithError> {
        if o.mid.is_zero() {
            return Err(ArithError::DivisionByZero);
        }
        let rad = if self.rad.is_zero() && o.rad.is_zero() {
            Mag::ZERO
        } else {
            let ay_down = Mag::from_num_down(&o.mid);
            if ay_down <= o.rad {
                return Err(ArithError::DivisorMayBeZero);
            }
            let num = Mag::from_num_up(&self.mid)
                .mul(&o.rad)
                .add(&Mag::from_num_up(&o.mid).mul(&self.rad));
            let den = ay_down.mul_dir(&ay_down.sub_down(&o.rad), false);
            if den.is_zero() {
                return Err(ArithError::DivisorMayBeZero);
            }
            num.div_dir(&den, true)
        };
        Ball::finish(self.mid.div_x(&o.mid), rad)
    }

    /// The square root; an error when the ball reaches below zero.
    pub fn sqrt(&self) -> Result<Ball, ArithError> {
        if self.mid.is_negative() {
            return Err(ArithError::NegativeSqrt);
        }
        let rad = if self.rad.is_zero() {
            Mag::ZERO
        } else {
            let low = Mag::from_num_down(&self.mid);
            if low < self.rad || self.mid.is_zero() {
                return Err(ArithError::SqrtMayBeNegative);
            }
            // r / (sqrt(m - r) + sqrt(m)) <= r / sqrt(m)
            let root = low.sqrt_down();
            if root.is_zero() {
                return Err(ArithError::SqrtMayBeNegative);
            }
            self.rad.div_dir(&root, true)
        };
        Ball::finish(self.mid.sqrt_x(), rad)
    }

    /// `self^n`: for an exact base, as [`Num::powi`] (cached, with its bound); otherwise by repeated
    /// squaring.
    pub fn powi(&self, n: u64) -> Result<Ball, ArithError> {
        if self.is_exact() && n <= super::powers::SEQUENTIAL {
            return super::powers::power(&self.mid, n);
        }
        super::power(Ball::exact(Num::ONE), *self, n, Ball::mul)
    }

    /// The absolute value (the radius stays).
    pub fn abs(&self) -> Ball {
        Ball {
            mid: self.mid.abs(),
            rad: self.rad,
        }
    }

    /// Whether every point of the ball is above every point of `o`.
    pub fn certainly_above(&self, o: &Ball) -> bool {
        match self.sub(o) {
            Ok(d) => !d.mid.is_negative() && !d.contains_zero(),
            Err(_) => false,
        }
    }

    /// The negation (exact).
    pub fn neg(&self) -> Ball {
        Ball {
            mid: self.mid.neg(),
            rad: self.rad,
        }
    }

    /// The largest `k <= max_sig` for which the midpoint rounded to `k` digits lies within one unit of
    /// its last digit of every point of the ball, with that rounded value; the interval when no `k >= 1`
    /// does.
    pub fn certified(&self, max_sig: u32) -> Certified {
        let max_sig = max_sig.clamp(1, SIG_DIGITS);
        if self.rad.is_zero() {
            let value = self.mid.round_sig(max_sig);
            return Certified::Digits {
                value,
                sig: max_sig,
                exact: value == self.mid,
            };
        }
        if !self.mid.is_zero() {
            // the unit of the k-th digit must be at least the radius: k <= e - log10(r) + 1
            let bound = self.mid.exponent() - self.rad.exponent() + 1;
            let start = bound.clamp(0, i64::from(max_sig)) as u32;
            for k in (1..=start).rev() {
                let d = self.mid.round_sig(k);
                let unit = Mag::pow10(d.exponent() - i64::from(k) + 1);
                let diff = match d.sub_x(&self.mid) {
                    Ok((x, inexact)) => {
                        let m = Mag::from_num_up(&x);
                        if inexact {
                            m.add(&Mag::half_ulp(&x))
                        } else {
                            m
                        }
                    }
                    Err(_) => continue,
                };
                if diff.add(&self.rad) <= unit {
                    return Certified::Digits {
                        value: d,
                        sig: k,
                        exact: false,
                    };
                }
            }
        }
        let rad = self.rad.to_num().map_or(Num::ZERO, |r| {
            let two = r.round_sig(2);
            if two < r {
                // round the radius up
                let unit = Num::from_mantissa(1, r.exponent() - 1).unwrap_or(Num::ZERO);
                two.add(&unit).unwrap_or(two)
            } else {
                two
            }
        });
        Certified::Interval {
            mid: self.mid.round_sig(2),
            rad,
        }
    }

    /// The value rounded to `sig` significant digits (half away from zero), when every point of the
    /// ball rounds the same way; `None` when the ball straddles a rounding boundary.
    pub fn rounded(&self, sig: u32) -> Option<Num> {
        let r = self.mid.round_sig(sig);
        if self.rad.is_zero() {
            return Some(r);
        }
        let rad = self.rad.to_num().ok()?;
        let lo = self.mid.sub(&rad).ok()?.round_sig(sig);
        let hi = self.mid.add(&rad).ok()?.round_sig(sig);
        (lo == r && hi == r).then_some(r)
    }

    /// How many significant digits of the midpoint are certain (0 when none is), at most 28.
    pub fn certain_digits(&self) -> u32 {
        match self.certified(SIG_DIGITS) {
            Certified::Digits { sig, .. } => sig,
            Certified::Interval { .. } => 0,
        }
    }
}

impl fmt::Display for Mag {
    /// Scientific notation with the digits needed (`2.5e-27`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.m == 0 {
            return write!(f, "0");
        }
        match self.to_num() {
            Ok(n) => write!(f, "{}", n.to_sci()),
            Err(_) => write!(f, "{}e{}", self.m, self.e),
        }
    }
}

impl serde::Serialize for Mag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl serde::Serialize for Ball {
    /// `{"mid": "-0.5", "rad": "0"}`: the midpoint with every digit, and the radius.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Ball", 2)?;
        st.serialize_field("mid", &self.mid)?;
        st.serialize_field("rad", &self.rad)?;
        st.end()
    }
}

impl PartialEq<Num> for Ball {
    /// A ball equals a number when it is that number exactly (radius zero).
    fn eq(&self, n: &Num) -> bool {
        self.rad.is_zero() && self.mid == *n
    }
}

impl fmt::Display for Ball {
    /// The midpoint with every digit, and `+- radius` when the value is not exact.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rad.is_zero() {
            write!(f, "{}", self.mid)
        } else {
            write!(f, "{} +- {}", self.mid, self.rad)
        }
    }
}

impl fmt::Debug for Ball {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} +- {:?}]", self.mid, self.rad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::tests::n;

    fn b(s: &str) -> Ball {
        Ball::exact(n(s))
    }

    #[test]
    fn exact_operations_keep_radius_zero() {
        let x = b("0.1").mul(&b("-5")).unwrap();
        assert_eq!(*x.mid(), n("-0.5"));
        assert!(x.is_exact());
        let y = b("1").div(&b("4")).unwrap();
        assert!(y.is_exact());
        assert!(b("1").div(&b("3")).unwrap().rad() > Mag::ZERO);
        assert!(b("2.25").sqrt().unwrap().is_exact());
    }

    #[test]
    fn rounding_adds_half_an_ulp() {
        let third = b("1").div(&b("3")).unwrap();
        // 0.3333...3 (28 threes): the error is 1/3 * 10^-28 <= half an ulp = 5e-29
        assert_eq!(third.rad(), Mag::norm(5, -29, true));
        assert_eq!(third.certain_digits(), 28);
    }

    #[test]
    fn mag_rounds_in_the_asked_direction() {
        let x = n("1.23456789123");
        assert_eq!(Mag::from_num_up(&x), Mag::norm(123456790, -8, true));
        assert_eq!(Mag::from_num_down(&x), Mag::norm(123456789, -8, true));
        let a = Mag::pow10(0);
        let third = a.div_dir(&Mag::norm(3, 0, true), true);
        assert!(third.mul(&Mag::norm(3, 0, true)) >= a);
        assert!(
            a.div_dir(&Mag::norm(3, 0, true), false)
                .mul_dir(&Mag::norm(3, 0, true), false)
                < a
        );
        // far-apart sums still grow
        let s = a.add(&Mag::pow10(-40));
        assert!(s > a);
        assert_eq!(Mag::norm(4, 0, true).sqrt_down(), Mag::norm(2, 0, true));
        assert!(Mag::norm(2, 0, true).sqrt_down() <= Mag::norm(1414213563, -9, true));
    }

    #[test]
    fn a_divisor_or_root_that_may_be_zero_is_an_error() {
        let wide = Ball::new(n("1e-10"), Mag::pow10(-9));
        assert_eq!(b("1").div(&wide), Err(ArithError::DivisorMayBeZero));
        assert_eq!(wide.sqrt(), Err(ArithError::SqrtMayBeNegative));
        assert_eq!(b("1").div(&Ball::ZERO), Err(ArithError::DivisionByZero));
        assert_eq!(b("-1").sqrt(), Err(ArithError::NegativeSqrt));
    }

    #[test]
    fn printing_keeps_only_certain_digits() {
        let x = Ball::new(n("1.23456789"), Mag::pow10(-4));
        // 1.2346 is within 1e-4 of every point? |1.2346 - 1.23456789| + 1e-4 = 1.32e-4 > 1e-4: no;
        // 1.235: 4.3e-4 + 1e-4 <= 1e-3: yes
        assert_eq!(
            x.certified(28),
            Certified::Digits {
                value: n("1.235"),
                sig: 4,
                exact: false
            }
        );
        let none = Ball::new(n("-3e-9"), Mag::norm(2, -8, true));
        assert_eq!(
            none.certified(28),
            Certified::Interval {
                mid: n("-3e-9"),
                rad: n("2e-8")
            }
        );
        let exact = b("0.5");
        assert_eq!(
            exact.certified(4),
            Certified::Digits {
                value: n("0.5"),
                sig: 4,
                exact: true
            }
        );
    }

    #[test]
    fn underflow_becomes_zero_within_its_bound() {
        let tiny = b("1e-600000");
        let z = tiny.mul(&tiny).unwrap();
        assert!(z.mid().is_zero());
        assert!(z.contains_zero());
        assert!(!z.is_exact());
    }
}
