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
//! Coefficients are binary floats (`f64`) in units of `2^s`, one wide exponent `s` per value (see
//! [`super::xf`]), so forms are cheap to combine at any magnitude. A coefficient computed from a
//! midpoint (`my` in `x * y`) is off by a relative [`TAU`] at most (the midpoint's conversion and the
//! float product); that much of every such coefficient goes into the remainder, which is itself
//! rounded upward after every operation.
//!
//! At each epoch (see [`Scalar::begin_epoch`]) the remainder of a value carried over becomes a symbol of
//! its own, so later uses share it too; every [`WINDOW`] epochs the forms are condensed: a value from
//! an earlier window enters as one fresh symbol whose coefficient is its radius. The exact engine
//! records [`Ball`]s.
//!
//! Midpoints are computed exactly as [`Num`] computes them, so the printed digits are the same as
//! without error bounds.

use super::xf::{self, pow2, split, up, Xf, RHO};
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

/// The relative error of a coefficient computed from midpoints: two conversions ([`RHO`] each) and
/// a few float roundings (2^-53 each), with room to spare.
const TAU: f64 = 4.0 * RHO;

fn epoch_now() -> u64 {
    CLOCK.with(|c| c.get().0)
}

/// Sums of non-negative floats, rounded up.
#[inline]
fn add_up(a: f64, b: f64) -> f64 {
    if a == 0.0 {
        b
    } else if b == 0.0 {
        a
    } else {
        up(a + b)
    }
}

/// An upper bound of a sum of `n` non-negative floats from `s`, their sum in plain float arithmetic
/// in any order (round to nearest). The computed sum is within a relative
/// `γ = (n-1) u / (1 - (n-1) u)` of the true one (`u = 2^-53`; Higham, *Accuracy and Stability of
/// Numerical Algorithms*, section 4.2; a sum whose result is subnormal is exact), so the true sum is
/// at most `s / (1 - γ) <= s (1 + 2 (n-1) u)` while `2 (n-1) u <= 1/2`. The factor used,
/// `1 + n 2^-51`, is at least that after its own rounding, and [`up`] covers the rounding of the
/// product. One rounding for the whole sum, where rounding up after every addition makes a chain of
/// dependent steps.
#[inline]
fn sum_up(n: usize, s: f64) -> f64 {
    debug_assert!(n < 1 << 40);
    if s == 0.0 {
        0.0
    } else {
        up(s * (1.0 + n as f64 * pow2(-51)))
    }
}

/// A value of the exact engine: midpoint, first-order error terms and a remainder bound, the terms
/// and the remainder in units of `2^s`.
#[derive(Clone, Debug)]
pub struct Aff {
    mid: Num,
    s: i64,
    /// `(symbol, coefficient)`, sorted by symbol.
    terms: Vec<(u64, f64)>,
    /// The remainder, `>= 0`.
    err: f64,
    /// The radius exactly, when the value has no terms and its remainder is a decimal known exactly
    /// (a rounding's half unit, a cached power's radius): what [`Aff::rad`] reports then, where the
    /// float remainder would read back a unit in the ninth digit above.
    known: Option<Mag>,
    /// The epoch that computed it; older values enter operations as one symbol.
    epoch: u64,
    /// This value's symbol, when it is carried into a later epoch.
    id: u64,
}

impl Aff {
    fn exact(n: Num) -> Aff {
        Aff {
            mid: n,
            s: 0,
            terms: Vec::new(),
            err: 0.0,
            known: Some(Mag::ZERO),
            epoch: epoch_now(),
            id: next_id(),
        }
    }

    /// A value known within `rad` of `mid`, with no symbol.
    fn within(mid: Num, rad: &Mag) -> Aff {
        let mut a = Aff::result(mid, Vec::new(), 0, Xf::from_mag(rad));
        a.known = Some(*rad);
        a
    }

    /// The rounded result of an operation on exact values.
    fn rounded(res: Result<(Num, bool), ArithError>) -> Result<Aff, ArithError> {
        match res {
            Ok((mid, false)) => Ok(Aff::exact(mid)),
            Ok((mid, true)) => Ok(Aff::within(mid, &Mag::half_ulp(&mid))),
            Err(ArithError::Underflow) => {
                Ok(Aff::within(Num::ZERO, &Mag::pow10(-super::EXP_LIMIT)))
            }
            Err(e) => Err(e),
        }
    }

    fn is_exact(&self) -> bool {
        self.terms.is_empty() && self.err == 0.0
    }

    /// The sum of the coefficients' sizes (the linear part's radius), in units of `2^s`, up.
    fn lin(&self) -> f64 {
        let plain = self.terms.iter().fold(0.0, |acc, (_, c)| acc + c.abs());
        sum_up(self.terms.len(), plain)
    }

    fn lin_xf(&self) -> Xf {
        Xf::new(self.lin(), self.s)
    }

    fn err_xf(&self) -> Xf {
        Xf::new(self.err, self.s)
    }

    fn rad_xf(&self) -> Xf {
        Xf::new(add_up(self.lin(), self.err), self.s)
    }

    /// The radius: every coefficient's size plus the remainder, rounded up.
    pub fn rad(&self) -> Mag {
        match self.known {
            Some(m) => m,
            None => self.rad_xf().to_mag(),
        }
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
        let terms = if self.epoch / WINDOW == now / WINDOW {
            let mut t = self.terms.clone();
            if self.err > 0.0 {
                t.push((self.id, self.err));
            }
            t
        } else {
            let r = add_up(self.lin(), self.err);
            if r > 0.0 {
                vec![(self.id, r)]
            } else {
                Vec::new()
            }
        };
        std::borrow::Cow::Owned(Aff {
            mid: self.mid,
            s: self.s,
            terms,
            err: 0.0,
            known: None,
            epoch: now,
            id: self.id,
        })
    }

    /// A result: the midpoint, terms in units of `2^s` and a remainder bound, brought to one scale
    /// and normalised.
    fn result(mid: Num, mut terms: Vec<(u64, f64)>, s: i64, err: Xf) -> Aff {
        let mut scale = if terms.is_empty() { i64::MIN } else { s };
        if !err.is_zero() {
            scale = scale.max(err.scale());
        }
        if scale == i64::MIN {
            return Aff {
                mid,
                s: 0,
                terms,
                err: 0.0,
                known: Some(Mag::ZERO),
                epoch: epoch_now(),
                id: next_id(),
            };
        }
        let mut e = err.in_units(scale);
        if scale > s && !terms.is_empty() {
            let d = s - scale;
            if d < -900 {
                // every term is below 2^-800 of the remainder
                let l = terms.iter().fold(0.0, |acc, (_, c)| add_up(acc, c.abs()));
                e = add_up(e, up(l * pow2(-800)));
                terms.clear();
            } else {
                let f = pow2(d);
                for (_, c) in terms.iter_mut() {
                    *c *= f;
                }
                // a term that fell to a subnormal lost bits: at most 2^-1074 each
                let lost = terms
                    .iter()
                    .filter(|(_, c)| c.abs() < f64::MIN_POSITIVE)
                    .count();
                if lost > 0 {
                    e = add_up(e, lost as f64 * pow2(-1000));
                }
            }
        }
        // terms below a thousandth of the whole radius keep little useful sign: fold them into the
        // remainder, which keeps the forms short (a millionth made Adam's run 1.5 times slower for
        // bounds 0.1 digit tighter). The whole radius is only a yardstick here, for this cut and the
        // scale below, never a bound: a plain float sum does
        let total = terms.iter().fold(e, |acc, (_, c)| acc + c.abs());
        if terms.len() > 4 {
            let cut = total * 1e-3;
            terms.retain(|(_, c)| {
                if c.abs() < cut {
                    e = add_up(e, c.abs());
                    false
                } else {
                    true
                }
            });
        }
        terms.retain(|(_, c)| *c != 0.0);
        // keep the largest size near one, so that sums and products stay far from the float range's
        // ends
        if total > 0.0 {
            let (_, k) = split(total);
            let k = k.clamp(-1000, 1000);
            if !(-64..=64).contains(&k) {
                let f = pow2(-k);
                for (_, c) in terms.iter_mut() {
                    *c *= f;
                }
                let tiny = terms
                    .iter()
                    .filter(|(_, c)| c.abs() < f64::MIN_POSITIVE)
                    .count();
                if e > 0.0 {
                    e = up(e * f);
                }
                if tiny > 0 {
                    e = add_up(e, tiny as f64 * pow2(-1000));
                }
                scale += k;
            }
        }
        Aff {
            mid,
            s: scale,
            terms,
            err: e,
            known: None,
            epoch: epoch_now(),
            id: next_id(),
        }
    }

    /// `sum a_j * ka + b_j * kb` over the union of both term lists, where the products `a_j * ka`
    /// are in units of `2^sa` and `b_j * kb` of `2^sb`; the coefficients `ka`, `kb` are off by a
    /// relative [`TAU`] at most. Returns the terms in units of `2^s` and a bound of their errors.
    fn combine(
        a: &[(u64, f64)],
        ka: f64,
        sa: i64,
        b: &[(u64, f64)],
        kb: f64,
        sb: i64,
    ) -> (Vec<(u64, f64)>, i64, Xf) {
        let (use_a, use_b) = (!a.is_empty() && ka != 0.0, !b.is_empty() && kb != 0.0);
        let s = match (use_a, use_b) {
            (false, false) => return (Vec::new(), 0, Xf::ZERO),
            (true, false) => sa,
            (false, true) => sb,
            (true, true) => sa.max(sb),
        };
        // a side more than 2^900 below the other is folded whole into the remainder
        let factor = |used: bool, k: f64, sk: i64| {
            if !used || sk - s < -900 {
                0.0
            } else {
                k * pow2(sk - s)
            }
        };
        let (fa, fb) = (factor(use_a, ka, sa), factor(use_b, kb, sb));
        let mut dropped = 0.0;
        if fa == 0.0 && use_a {
            dropped = add_up(dropped, a.iter().fold(0.0, |x, (_, c)| add_up(x, c.abs())));
        }
        if fb == 0.0 && use_b {
            dropped = add_up(dropped, b.iter().fold(0.0, |x, (_, c)| add_up(x, c.abs())));
        }
        let mut out = Vec::with_capacity(a.len() + b.len());
        let mut parts = 0.0;
        if fa == 0.0 || fb == 0.0 {
            // one side adds nothing (no terms, a zero coefficient, or folded whole): its symbols
            // would only add zeros to the merge, so the other side is scaled alone
            let (side, f) = if fb == 0.0 { (a, fa) } else { (b, fb) };
            for &(id, c) in side {
                let p = c * f;
                parts += p.abs();
                if p != 0.0 {
                    out.push((id, p));
                }
            }
        } else {
            let (mut i, mut j) = (0, 0);
            while i < a.len() || j < b.len() {
                let (id, p, q) = match (a.get(i), b.get(j)) {
                    (Some(x), Some(y)) if x.0 == y.0 => {
                        i += 1;
                        j += 1;
                        (x.0, x.1 * fa, y.1 * fb)
                    }
                    (Some(x), Some(y)) if x.0 < y.0 => {
                        i += 1;
                        (x.0, x.1 * fa, 0.0)
                    }
                    (Some(x), None) => {
                        i += 1;
                        (x.0, x.1 * fa, 0.0)
                    }
                    (_, Some(y)) => {
                        j += 1;
                        (y.0, 0.0, y.1 * fb)
                    }
                    (None, None) => break,
                };
                parts += p.abs() + q.abs();
                let c = p + q;
                if c != 0.0 {
                    out.push((id, c));
                }
            }
        }
        // each part is within TAU of its true value (the float sum adds half a step of the result,
        // below TAU of the parts); a subnormal part lost at most 2^-1074
        let parts = sum_up(2 * (a.len() + b.len()), parts);
        let slack = add_up(up(parts * TAU), pow2(-1000) * (a.len() + b.len()) as f64);
        // (with nothing dropped there is nothing to add: `up(0)` would be a subnormal, whose
        // arithmetic is many times slower, for a bound one step looser)
        let err = if dropped > 0.0 {
            Xf::new(slack, s).add(&Xf::new(up(dropped * pow2(-800)), s))
        } else {
            Xf::new(slack, s)
        };
        (out, s, err)
    }

    fn rounding(res: Result<(Num, bool), ArithError>) -> Result<(Num, Xf), ArithError> {
        match res {
            Ok((n, inexact)) => Ok((n, if inexact { Xf::half_ulp(&n) } else { Xf::ZERO })),
            // a result too small for the exponent range is 0 within the smallest magnitude
            Err(ArithError::Underflow) => {
                Ok((Num::ZERO, Xf::from_mag(&Mag::pow10(-super::EXP_LIMIT))))
            }
            Err(e) => Err(e),
        }
    }

    fn add_sub(&self, o: &Aff, sign: f64) -> Result<Aff, ArithError> {
        let (x, y) = (self.current(), o.current());
        let res = if sign > 0.0 {
            x.mid.add_x(&y.mid)
        } else {
            x.mid.sub_x(&y.mid)
        };
        if x.is_exact() && y.is_exact() {
            return Aff::rounded(res);
        }
        let (mid, round) = Aff::rounding(res)?;
        let (terms, s, cerr) = Aff::combine(&x.terms, 1.0, x.s, &y.terms, sign, y.s);
        // the coefficients 1 and -1 are exact: only the float sums' half steps count, which the
        // slack for TAU covers
        let err = cerr.add(&x.err_xf()).add(&y.err_xf()).add(&round);
        Ok(Aff::result(mid, terms, s, err))
    }

    fn mul_aff(&self, o: &Aff) -> Result<Aff, ArithError> {
        let (x, y) = (self.current(), o.current());
        if x.is_exact() && y.is_exact() {
            return Aff::rounded(x.mid.mul_x(&y.mid));
        }
        let (mid, round) = Aff::rounding(x.mid.mul_x(&y.mid))?;
        // x y = mx my + my A + mx B + (my Ex + mx Ey) + (A + Ex)(B + Ey)
        let (vy, ty) = xf::approx(&y.mid);
        let (vx, tx) = xf::approx(&x.mid);
        let (terms, s, cerr) = Aff::combine(&x.terms, vy, x.s + ty, &y.terms, vx, y.s + tx);
        let (ax, ay) = (Xf::approx_up((vx, tx)), Xf::approx_up((vy, ty)));
        let (lx, ly) = (x.lin_xf(), y.lin_xf());
        let (ex, ey) = (x.err_xf(), y.err_xf());
        let err = cerr
            .add(&ay.mul(&ex))
            .add(&ax.mul(&ey))
            .add(&lx.add(&ex).mul(&ly.add(&ey)))
            .add(&round);
        Ok(Aff::result(mid, terms, s, err))
    }

    fn div_aff(&self, o: &Aff) -> Result<Aff, ArithError> {
        let (x, y) = (self.current(), o.current());
        if y.mid.is_zero() {
            return Err(ArithError::DivisionByZero);
        }
        if x.is_exact() && y.is_exact() {
            return Aff::rounded(x.mid.div_x(&y.mid));
        }
        let (mid, round) = Aff::rounding(x.mid.div_x(&y.mid))?;
        let (lx, ly) = (x.lin_xf(), y.lin_xf());
        let (ex, ey) = (x.err_xf(), y.err_xf());
        let ry = ly.add(&ey);
        let (vy, ty) = xf::approx(&y.mid);
        let ay_lo = Xf::approx_down((vy, ty));
        if ry >= ay_lo {
            return Err(ArithError::DivisorMayBeZero);
        }
        // x/y = mx/my + A/my - (mx/my^2) B + (Ex/my - mx Ey/my^2) - L Dy / y, where
        // L = Dx/my - mx Dy/my^2 and |Dy / y| <= ry / (|my| - ry); the coefficients 1/my and
        // -mx/my^2 come from the midpoints' approximations (mid/my for mx/my^2: within 5e-28 of it)
        let (vm, tm) = xf::approx(&mid);
        let (inv, ti) = (1.0 / vy, -ty);
        let (slope, ts) = (-(vm / vy), tm - ty);
        let (terms, s, cerr) = Aff::combine(&x.terms, inv, x.s + ti, &y.terms, slope, y.s + ts);
        let ax = Xf::num_up(&x.mid);
        // |1/my| and |mx/my^2| bounded above through the lower bound of |my|
        let inv_up = Xf::new(1.0, 0).div(&ay_lo);
        let slope_up = ax.mul(&inv_up).mul(&inv_up);
        let l = lx.add(&ex).mul(&inv_up).add(&slope_up.mul(&ry));
        let shrink = ry.div(&ay_lo.sub_down(&ry));
        let err = cerr
            .add(&ex.mul(&inv_up))
            .add(&ey.mul(&slope_up))
            .add(&l.mul(&shrink))
            .add(&round);
        Ok(Aff::result(mid, terms, s, err))
    }

    fn sqrt_aff(&self) -> Result<Aff, ArithError> {
        let x = self.current();
        if x.mid.is_negative() {
            return Err(ArithError::NegativeSqrt);
        }
        if x.is_exact() {
            return Aff::rounded(x.mid.sqrt_x());
        }
        let (mid, round) = Aff::rounding(x.mid.sqrt_x())?;
        let (lx, ex) = (x.lin_xf(), x.err_xf());
        let r = lx.add(&ex);
        let lo = Xf::num_down(&x.mid);
        if x.mid.is_zero() || r >= lo {
            return Err(ArithError::SqrtMayBeNegative);
        }
        // sqrt(m + D) = sqrt(m) + D / (2 sqrt(m)) - D^2 / (2 s (sqrt(m + D) + s)^2), s = sqrt(m)
        let s_lo = lo.sqrt_down();
        if s_lo.is_zero() {
            return Err(ArithError::SqrtMayBeNegative);
        }
        let (vm, tm) = xf::approx(&mid);
        let (k, tk) = (0.5 / vm, -tm);
        let (terms, s, cerr) = Aff::combine(&x.terms, k, x.s + tk, &[], 0.0, 0);
        let k_up = Xf::new(0.5, 0).div(&s_lo);
        let s3 = s_lo.mul_down(&s_lo).mul_down(&s_lo);
        let rem = r.mul(&r).div(&s3.mul_down(&Xf::new(2.0, 0)));
        let err = cerr.add(&ex.mul(&k_up)).add(&rem).add(&round);
        Ok(Aff::result(mid, terms, s, err))
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
        self.add_sub(o, 1.0)
    }
    fn sub(&self, o: &Self) -> Result<Self, ArithError> {
        self.add_sub(o, -1.0)
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
        // a constant's power (beta^t): the cached product, its bound the remainder
        if self.is_exact() && n <= super::powers::SEQUENTIAL {
            let b = super::powers::power(&self.mid, n)?;
            return Ok(Aff::within(*b.mid(), &b.rad()));
        }
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
        Aff::within(*s.mid(), &s.rad())
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
    fn begin_run() {
        CLOCK.with(|c| {
            let (_, id) = c.get();
            c.set((0, id));
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
    Aff::within(mid, &bx.rad().max(by.rad()))
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
        // the radius read back through a binary float: at most a unit in its ninth digit above
        assert!(m.rad() >= third.rad());
        assert!(m.rad() <= third.rad().add(&third.rad().mul(&Mag::pow10(-7))));
    }
}
