//! The exact engine's working type: a midpoint [`Num`] with a first-order (affine) error form, so that
//! error bounds stay tight where errors cancel.
//!
//! Plain ball arithmetic adds radii at every operation. An update such as `w - lr * 4w / sqrt(S)`
//! uses `w` twice; the two errors cancel in truth (the step shrinks `w`), but balls add them, and over
//! 30 epochs RMSProp's `w2` would keep 3 certain digits of its 28. Here a value is
//!
//! `x = mid + sum_j a_j e_j + err * e`, with every `|e_j| <= 1` and `|e| <= 1`,
//!
//! where each symbol `e_j` is the error of one value carried over from the previous epoch (a weight, a
//! moment): values that share a symbol share that error, so cancellations within an epoch are kept.
//! `err` bounds everything else: this epoch's rounding errors, the second-order remainders of
//! products, quotients and square roots, and the rounding of the coefficients themselves. Every bound
//! is proven (rounded upward); nothing is estimated.
//!
//! At each epoch (see [`Scalar::begin_epoch`]) the remainder of a value carried over becomes a symbol of
//! its own, so later uses share it too; every [`WINDOW`] epochs the forms are condensed: a value from
//! an earlier window enters as one fresh symbol whose coefficient is its radius. The exact engine
//! records [`Ball`]s.
//!
//! Midpoints are computed exactly as [`Num`] computes them, so the printed digits are the same as
//! without error bounds.

use super::{ArithError, Ball, Mag, Num, Scalar};
use std::cell::Cell;

thread_local! {
    /// The current epoch and the next value id.
    static CLOCK: Cell<(u64, u64)> = const { Cell::new((0, 1)) };
}

fn next_id() -> u64 {
    CLOCK.with(|c| {
        let (epoch, id) = c.get();
        c.set((epoch, id + 1));
        id
    })
}

/// How many epochs share one set of symbols before the forms are condensed: within a window the
/// errors of the state keep their signs (an update that contracts them is seen to), at the cost of
/// longer forms. 16 keeps Adam's course run certain for thousands of epochs at a few times the cost of
/// plain arithmetic (see the README's benchmarks).
const WINDOW: u64 = 16;

fn epoch_now() -> u64 {
    CLOCK.with(|c| c.get().0)
}

/// A signed coefficient with nine significant digits: `m * 10^e`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Coef {
    /// Zero, or `10^8 <= |m| < 10^9`.
    m: i64,
    e: i64,
}

const C_HIGH: i128 = 1_000_000_000;

impl Coef {
    const ZERO: Coef = Coef { m: 0, e: 0 };

    /// `m * 10^e` truncated to nine digits, with a bound on what the truncation dropped.
    fn norm(m: i128, e: i64) -> (Coef, Mag) {
        if m == 0 {
            return (Coef::ZERO, Mag::ZERO);
        }
        if let Ok(m) = i64::try_from(m) {
            return Coef::norm64(m, e);
        }
        let a = m.unsigned_abs();
        if a >= C_HIGH as u128 {
            let k = a.ilog10() - 8;
            let d = 10u128.pow(k);
            let dropped = a % d != 0;
            let q = (a / d) as i128;
            let e2 = e + i64::from(k);
            let err = if dropped { Mag::pow10(e2) } else { Mag::ZERO };
            (
                Coef {
                    m: (if m < 0 { -q } else { q }) as i64,
                    e: e2,
                },
                err,
            )
        } else {
            let k = 8 - a.ilog10();
            (
                Coef {
                    m: (m * 10i128.pow(k)) as i64,
                    e: e - i64::from(k),
                },
                Mag::ZERO,
            )
        }
    }

    /// [`Coef::norm`] in 64-bit arithmetic (products and aligned sums of two coefficients fit).
    fn norm64(m: i64, e: i64) -> (Coef, Mag) {
        if m == 0 {
            return (Coef::ZERO, Mag::ZERO);
        }
        let a = m.unsigned_abs();
        let n = a.ilog10();
        if n >= 9 {
            let k = n - 8;
            let d = 10u64.pow(k);
            let q = a / d;
            let dropped = a - q * d != 0;
            let e2 = e + i64::from(k);
            let err = if dropped { Mag::pow10(e2) } else { Mag::ZERO };
            let q = q as i64;
            (
                Coef {
                    m: if m < 0 { -q } else { q },
                    e: e2,
                },
                err,
            )
        } else {
            let k = 8 - n;
            (
                Coef {
                    m: m * 10i64.pow(k),
                    e: e - i64::from(k),
                },
                Mag::ZERO,
            )
        }
    }

    /// A coefficient near `x` (a midpoint computed with 28 digits), with a bound on its distance from
    /// the true value that `x` rounds: two units in the ninth digit cover the truncation and any few
    /// roundings at the 28th.
    fn from_num(x: &Num) -> (Coef, Mag) {
        if x.is_zero() {
            return (Coef::ZERO, Mag::ZERO);
        }
        let (m, e) = x.parts();
        let (c, _) = Coef::norm(m, e);
        (c, Mag::norm(2, c.e, true))
    }

    /// A nonnegative magnitude, exactly.
    fn from_mag(m: &Mag) -> Coef {
        let (mant, e) = m.parts();
        Coef::norm(i128::from(mant), e).0
    }

    fn abs(&self) -> Mag {
        // a coefficient's mantissa has nine digits already
        Mag::from_nine(self.m.unsigned_abs(), self.e)
    }

    fn neg(&self) -> Coef {
        Coef {
            m: -self.m,
            e: self.e,
        }
    }

    fn mul(&self, o: &Coef) -> (Coef, Mag) {
        if self.m == 0 || o.m == 0 {
            return (Coef::ZERO, Mag::ZERO);
        }
        // two nine-digit mantissas: below 10^18
        Coef::norm64(self.m * o.m, self.e + o.e)
    }

    fn add(&self, o: &Coef) -> (Coef, Mag) {
        if self.m == 0 {
            return (*o, Mag::ZERO);
        }
        if o.m == 0 {
            return (*self, Mag::ZERO);
        }
        let (big, small) = if self.e >= o.e { (self, o) } else { (o, self) };
        let d = big.e - small.e;
        if d > 9 {
            // the small one is below a unit of the big one's last digit: drop it, and say so
            return (*big, small.abs());
        }
        // below 10^18 + 10^9 in size: 64-bit arithmetic
        Coef::norm64(big.m * 10i64.pow(d as u32) + small.m, small.e)
    }
}

/// A value of the exact engine: midpoint, first-order error terms and a remainder bound.
#[derive(Clone, Debug)]
pub struct Aff {
    mid: Num,
    /// `(symbol, coefficient)`, sorted by symbol.
    terms: Vec<(u64, Coef)>,
    err: Mag,
    /// The epoch that computed it; older values enter operations as one symbol.
    epoch: u64,
    /// This value's symbol, when it is carried into a later epoch.
    id: u64,
}

impl Aff {
    fn exact(n: Num) -> Aff {
        Aff {
            mid: n,
            terms: Vec::new(),
            err: Mag::ZERO,
            epoch: epoch_now(),
            id: next_id(),
        }
    }

    /// The radius: every coefficient's size plus the remainder, rounded up.
    pub fn rad(&self) -> Mag {
        self.terms
            .iter()
            .fold(self.err, |acc, (_, c)| acc.add(&c.abs()))
    }

    /// The certified value.
    pub fn to_ball(&self) -> Ball {
        Ball::new(self.mid, self.rad())
    }

    /// The form to compute with in the current epoch: itself; with its remainder turned into a
    /// symbol of its own when it comes from an earlier epoch of the same window (so that its later
    /// uses share that error); condensed to one symbol when it comes from an earlier window.
    fn current(&self) -> std::borrow::Cow<'_, Aff> {
        let now = epoch_now();
        if self.epoch == now {
            return std::borrow::Cow::Borrowed(self);
        }
        let k = WINDOW;
        let terms = if self.epoch / k == now / k {
            let mut t = self.terms.clone();
            if !self.err.is_zero() {
                t.push((self.id, Coef::from_mag(&self.err)));
            }
            t
        } else {
            let r = self.rad();
            if r.is_zero() {
                Vec::new()
            } else {
                vec![(self.id, Coef::from_mag(&r))]
            }
        };
        std::borrow::Cow::Owned(Aff {
            mid: self.mid,
            terms,
            err: Mag::ZERO,
            epoch: now,
            id: self.id,
        })
    }

    fn result(mid: Num, mut terms: Vec<(u64, Coef)>, mut err: Mag) -> Aff {
        // terms below a millionth of the whole radius keep no useful sign: fold them into the
        // remainder, which keeps the forms short
        if terms.len() > 4 {
            let cut = terms
                .iter()
                .fold(err, |acc, (_, c)| acc.add(&c.abs()))
                .mul(&Mag::pow10(-6));
            terms.retain(|(_, c)| {
                let a = c.abs();
                if a < cut {
                    err = err.add(&a);
                    false
                } else {
                    true
                }
            });
        }
        Aff {
            mid,
            terms,
            err,
            epoch: epoch_now(),
            id: next_id(),
        }
    }

    /// `sum a_j * ca + b_j * cb` over the union of both term lists, with its error bound.
    fn combine(
        a: &[(u64, Coef)],
        ca: &Coef,
        b: &[(u64, Coef)],
        cb: &Coef,
    ) -> (Vec<(u64, Coef)>, Mag) {
        let mut out = Vec::with_capacity(a.len().max(b.len()));
        let mut err = Mag::ZERO;
        let (mut i, mut j) = (0, 0);
        let scale = |c: &Coef, k: &Coef, err: &mut Mag| -> Coef {
            let (p, e) = c.mul(k);
            *err = err.add(&e);
            p
        };
        while i < a.len() || j < b.len() {
            let next = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    let p = scale(&x.1, ca, &mut err);
                    let q = scale(&y.1, cb, &mut err);
                    let (s, e) = p.add(&q);
                    err = err.add(&e);
                    i += 1;
                    j += 1;
                    (x.0, s)
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    i += 1;
                    (x.0, scale(&x.1, ca, &mut err))
                }
                (Some(x), None) => {
                    i += 1;
                    (x.0, scale(&x.1, ca, &mut err))
                }
                (_, Some(y)) => {
                    j += 1;
                    (y.0, scale(&y.1, cb, &mut err))
                }
                (None, None) => break,
            };
            if next.1.m != 0 {
                out.push(next);
            }
        }
        (out, err)
    }

    /// The sum of the coefficients' sizes (the linear part's radius).
    fn lin(&self) -> Mag {
        self.terms
            .iter()
            .fold(Mag::ZERO, |acc, (_, c)| acc.add(&c.abs()))
    }

    fn rounding(res: Result<(Num, bool), ArithError>) -> Result<(Num, Mag), ArithError> {
        match res {
            Ok((n, inexact)) => Ok((
                n,
                if inexact {
                    Mag::half_ulp(&n)
                } else {
                    Mag::ZERO
                },
            )),
            // a result too small for the exponent range is 0 within the smallest magnitude
            Err(ArithError::Underflow) => Ok((Num::ZERO, Mag::pow10(-super::EXP_LIMIT))),
            Err(e) => Err(e),
        }
    }

    fn add_sub(&self, o: &Aff, sign: i64) -> Result<Aff, ArithError> {
        let (x, y) = (self.current(), o.current());
        let res = if sign > 0 {
            x.mid.add_x(&y.mid)
        } else {
            x.mid.sub_x(&y.mid)
        };
        let (mid, round) = Aff::rounding(res)?;
        let one = Coef::from_mag(&Mag::pow10(0));
        let cb = if sign > 0 { one } else { one.neg() };
        let (terms, cerr) = Aff::combine(&x.terms, &one, &y.terms, &cb);
        Ok(Aff::result(
            mid,
            terms,
            x.err.add(&y.err).add(&round).add(&cerr),
        ))
    }

    fn mul_aff(&self, o: &Aff) -> Result<Aff, ArithError> {
        let (x, y) = (self.current(), o.current());
        let (mid, round) = Aff::rounding(x.mid.mul_x(&y.mid))?;
        if x.terms.is_empty() && y.terms.is_empty() && x.err.is_zero() && y.err.is_zero() {
            return Ok(Aff::result(mid, Vec::new(), round));
        }
        // x y = mx my + my A + mx B + (my Ex + mx Ey) + (A + Ex)(B + Ey)
        let (cy, ey) = Coef::from_num(&y.mid);
        let (cx, ex) = Coef::from_num(&x.mid);
        let (terms, cerr) = Aff::combine(&x.terms, &cy, &y.terms, &cx);
        let (ax, ay) = (Mag::from_num_up(&x.mid), Mag::from_num_up(&y.mid));
        let (lx, ly) = (x.lin(), y.lin());
        let err = cerr
            .add(&lx.mul(&ey))
            .add(&ly.mul(&ex))
            .add(&ay.mul(&x.err))
            .add(&ax.mul(&y.err))
            .add(&lx.add(&x.err).mul(&ly.add(&y.err)))
            .add(&round);
        Ok(Aff::result(mid, terms, err))
    }

    fn div_aff(&self, o: &Aff) -> Result<Aff, ArithError> {
        let (x, y) = (self.current(), o.current());
        if y.mid.is_zero() {
            return Err(ArithError::DivisionByZero);
        }
        let (mid, round) = Aff::rounding(x.mid.div_x(&y.mid))?;
        let (lx, ly) = (x.lin(), y.lin());
        let ry = ly.add(&y.err);
        if ry.is_zero() && x.terms.is_empty() && x.err.is_zero() {
            return Ok(Aff::result(mid, Vec::new(), round));
        }
        let ay_lo = Mag::from_num_down(&y.mid);
        if ay_lo <= ry {
            return Err(ArithError::DivisorMayBeZero);
        }
        // x/y = mx/my + A/my - (mx/my^2) B + (Ex/my - mx Ey/my^2) - L Dy / y, where
        // L = Dx/my - mx Dy/my^2 and |Dy / y| <= ry / (|my| - ry)
        let inv = Num::ONE.div(&y.mid)?;
        let slope = mid.div(&y.mid)?.neg();
        let (ci, ei) = Coef::from_num(&inv);
        let (cs, es) = Coef::from_num(&slope);
        let (terms, cerr) = Aff::combine(&x.terms, &ci, &y.terms, &cs);
        let ax = Mag::from_num_up(&x.mid);
        // |1/my| and |mx/my^2| bounded above through the lower bound of |my|
        let inv_up = Mag::pow10(0).div_dir_up(&ay_lo);
        let slope_up = ax.mul(&inv_up).mul(&inv_up);
        let l = lx.add(&x.err).mul(&inv_up).add(&slope_up.mul(&ry));
        let shrink = ry.div_dir_up(&ay_lo.sub_down(&ry));
        let err = cerr
            .add(&lx.mul(&ei))
            .add(&ly.mul(&es))
            .add(&x.err.mul(&inv_up))
            .add(&y.err.mul(&slope_up))
            .add(&l.mul(&shrink))
            .add(&round);
        Ok(Aff::result(mid, terms, err))
    }

    fn sqrt_aff(&self) -> Result<Aff, ArithError> {
        let x = self.current();
        if x.mid.is_negative() {
            return Err(ArithError::NegativeSqrt);
        }
        let (mid, round) = Aff::rounding(x.mid.sqrt_x())?;
        let lx = x.lin();
        let r = lx.add(&x.err);
        if r.is_zero() {
            return Ok(Aff::result(mid, Vec::new(), round));
        }
        let lo = Mag::from_num_down(&x.mid);
        if x.mid.is_zero() || lo <= r {
            return Err(ArithError::SqrtMayBeNegative);
        }
        // sqrt(m + D) = sqrt(m) + D / (2 sqrt(m)) - D^2 / (2 s (sqrt(m + D) + s)^2), s = sqrt(m)
        let s_lo = lo.sqrt_down();
        if s_lo.is_zero() {
            return Err(ArithError::SqrtMayBeNegative);
        }
        let k = Num::from_mantissa(5, -1)?.div(&mid)?;
        let (ck, ek) = Coef::from_num(&k);
        let (terms, cerr) = Aff::combine(&x.terms, &ck, &[], &Coef::ZERO);
        let k_up = Mag::norm(5, -1, true).div_dir_up(&s_lo);
        let s3 = s_lo.mul_dir_down(&s_lo).mul_dir_down(&s_lo);
        let rem = r
            .mul(&r)
            .div_dir_up(&s3.mul_dir_down(&Mag::norm(2, 0, true)));
        let err = cerr
            .add(&lx.mul(&ek))
            .add(&x.err.mul(&k_up))
            .add(&rem)
            .add(&round);
        Ok(Aff::result(mid, terms, err))
    }

    /// The midpoint.
    pub fn mid(&self) -> &Num {
        &self.mid
    }
}

impl Scalar for Aff {
    type Hyper = Aff;
    fn lift(h: &Aff) -> Self {
        h.clone()
    }
    fn from_num(n: &Num) -> Self {
        Aff::exact(*n)
    }
    fn from_u64(n: u64) -> Self {
        Aff::exact(<Num as Scalar>::from_u64(n))
    }
    fn add(&self, o: &Self) -> Result<Self, ArithError> {
        self.add_sub(o, 1)
    }
    fn sub(&self, o: &Self) -> Result<Self, ArithError> {
        self.add_sub(o, -1)
    }
    fn mul(&self, o: &Self) -> Result<Self, ArithError> {
        self.mul_aff(o)
    }
    fn div(&self, o: &Self) -> Result<Self, ArithError> {
        self.div_aff(o)
    }
    fn sqrt(&self) -> Result<Self, ArithError> {
        self.sqrt_aff()
    }
    fn powi(&self, n: u64) -> Result<Self, ArithError> {
        super::power(Aff::exact(Num::ONE), self.clone(), n, Aff::mul_aff)
    }
    fn maximum(&self, o: &Self) -> Self {
        pick(self, o, true)
    }
    fn minimum(&self, o: &Self) -> Self {
        pick(self, o, false)
    }
    fn signum(&self) -> Self {
        let b = self.to_ball();
        let s = Scalar::signum(&b);
        Aff::result(*s.mid(), Vec::new(), s.rad())
    }
    fn to_num(&self) -> Result<Num, ArithError> {
        Ok(self.mid)
    }
    fn beyond(&self, exp: i64) -> Result<bool, ArithError> {
        Ok(!self.mid.is_zero() && self.mid.exponent() >= exp)
    }
    fn begin_epoch() {
        CLOCK.with(|c| {
            let (epoch, id) = c.get();
            c.set((epoch + 1, id));
        });
    }
}

/// `max` (or `min`) of two values: the one that is certainly larger (smaller) keeps its form; when
/// the balls overlap, the midpoints' maximum within the larger radius (max is 1-Lipschitz).
fn pick(x: &Aff, y: &Aff, max: bool) -> Aff {
    let (bx, by) = (x.to_ball(), y.to_ball());
    let exact = bx.is_exact() && by.is_exact();
    // as NumPy: maximum keeps x when x >= y, minimum keeps x when x <= y
    let x_ge = bx.certainly_above(&by) || (exact && bx.mid() >= by.mid());
    let x_le = by.certainly_above(&bx) || (exact && bx.mid() <= by.mid());
    let (keep_x, keep_y) = if max {
        (
            x_ge,
            by.certainly_above(&bx) || (exact && by.mid() > bx.mid()),
        )
    } else {
        (
            x_le,
            bx.certainly_above(&by) || (exact && by.mid() < bx.mid()),
        )
    };
    if keep_x {
        return x.current().into_owned();
    }
    if keep_y {
        return y.current().into_owned();
    }
    let mid = if (bx.mid() >= by.mid()) == max {
        *bx.mid()
    } else {
        *by.mid()
    };
    Aff::result(mid, Vec::new(), bx.rad().max(by.rad()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::tests::n;

    fn a(s: &str) -> Aff {
        Aff::exact(n(s))
    }

    #[test]
    fn errors_that_cancel_within_an_epoch_are_not_added() {
        // x carries an error r from the epoch before; in x - 0.5 x it counts half (plus two roundings
        // of r each), where ball arithmetic counts it one and a half times
        let third = a("1").div(&a("3")).unwrap();
        let r = third.rad();
        Aff::begin_epoch();
        let y = third.sub(&third.mul(&a("0.5")).unwrap()).unwrap();
        assert!(y.rad() <= r.add(&r).add(&r), "{:?} vs {:?}", y.rad(), r);
        let ball = Ball::new(*third.mid(), r);
        let by = ball
            .sub(&ball.mul(&Ball::exact(n("0.5"))).unwrap())
            .unwrap();
        assert!(by.rad() > y.rad(), "{:?} vs {:?}", by.rad(), y.rad());
        let z = third.sub(&third).unwrap();
        assert!(z.mid().is_zero());
        assert!(z.rad() <= Mag::pow10(-36));
    }

    #[test]
    fn operations_hold_the_true_value() {
        // (1/3) * 3 - 1 contains 0, and sqrt(2)^2 contains 2
        let one = a("1").div(&a("3")).unwrap().mul(&a("3")).unwrap();
        let b = one.sub(&a("1")).unwrap().to_ball();
        assert!(b.contains_zero());
        let two = a("2").sqrt().unwrap();
        Aff::begin_epoch();
        let sq = two.mul(&two).unwrap().sub(&a("2")).unwrap().to_ball();
        assert!(sq.contains_zero(), "{sq:?}");
        let q = a("1")
            .div(&two)
            .unwrap()
            .mul(&two)
            .unwrap()
            .sub(&a("1"))
            .unwrap();
        assert!(q.to_ball().contains_zero(), "{:?}", q.to_ball());
    }

    #[test]
    fn maximum_and_minimum_pick_as_numpy_does() {
        let (lo, hi) = (a("-1.5"), a("2"));
        assert_eq!(*Scalar::maximum(&lo, &hi).mid(), n("2"));
        assert_eq!(*Scalar::maximum(&hi, &lo).mid(), n("2"));
        assert_eq!(*Scalar::minimum(&lo, &hi).mid(), n("-1.5"));
        assert_eq!(*Scalar::minimum(&hi, &lo).mid(), n("-1.5"));
        // overlapping balls: the larger midpoint within the larger radius
        let third = a("1").div(&a("3")).unwrap();
        let m = Scalar::maximum(&third, &a("0.3333333333333333333333333333"));
        assert_eq!(*m.mid(), *third.mid());
        assert_eq!(m.rad(), third.rad());
    }

    #[test]
    fn coefficients_round_with_a_bound() {
        let (c, e) = Coef::norm(1_234_567_891_234, 0);
        assert_eq!(
            c,
            Coef {
                m: 123_456_789,
                e: 4
            }
        );
        assert_eq!(e, Mag::pow10(4));
        let (s, e) = Coef::from_mag(&Mag::pow10(0)).add(&Coef::from_mag(&Mag::pow10(-30)));
        assert_eq!(s, Coef::from_mag(&Mag::pow10(0)));
        assert_eq!(e, Mag::pow10(-30));
    }
}
