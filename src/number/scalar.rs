//! The [`Scalar`] trait the update rules are written against, and its impls for [`Num`] (the exact
//! engine) and for `f64` and `f32` (the float engines, with NumPy's `maximum` and `minimum`).

use super::{ArithError, Ball, Num};
use std::fmt;

/// The arithmetic an update rule needs; implemented by [`Num`], `f64` and `f32`.
///
/// Update rules are written once against this trait and follow NumPy's rules, so that the float
/// engines reproduce the generated NumPy code bit for bit: arithmetic among hyperparameters alone
/// (`1 - beta`, `beta ** t`) happens in [`Scalar::Hyper`] (a Python float, `f64`, for both float
/// engines) and the result meets the array's type through [`Scalar::lift`] (NumPy casts a Python float
/// to `float32` when it meets a `float32` array). For the exact engine both are [`Num`].
pub trait Scalar: Clone + fmt::Debug + Send + Sync {
    /// The type of hyperparameter arithmetic.
    type Hyper: Scalar;
    /// A hyperparameter value as it enters array arithmetic.
    fn lift(h: &Self::Hyper) -> Self;
    /// The value of an exact constant (a hyperparameter or coefficient) in this type.
    fn from_num(n: &Num) -> Self;
    /// A small integer.
    fn from_u64(n: u64) -> Self;
    /// `self + o`.
    fn add(&self, o: &Self) -> Result<Self, ArithError>;
    /// `self - o`.
    fn sub(&self, o: &Self) -> Result<Self, ArithError>;
    /// `self * o`.
    fn mul(&self, o: &Self) -> Result<Self, ArithError>;
    /// `self / o`.
    fn div(&self, o: &Self) -> Result<Self, ArithError>;
    /// The square root.
    fn sqrt(&self) -> Result<Self, ArithError>;
    /// `self ** n` as Python computes it for floats (C `pow`); exact repeated products for [`Num`].
    fn powi(&self, n: u64) -> Result<Self, ArithError>;
    /// The larger of `self` and `o`, as NumPy's `np.maximum`: `self` when `self >= o` or `self` is
    /// NaN, `o` otherwise (so a NaN in either propagates).
    fn maximum(&self, o: &Self) -> Self;
    /// The smaller of `self` and `o`, as NumPy's `np.minimum`: `self` when `self <= o` or `self` is
    /// NaN, `o` otherwise. `np.clip(x, lo, hi)` is `x.maximum(lo).minimum(hi)`.
    fn minimum(&self, o: &Self) -> Self;
    /// The sign, as NumPy's `np.sign`: -1, 0 or 1 (exactly, for [`Num`]); for floats 0 for both
    /// zeros and NaN for NaN.
    fn signum(&self) -> Self;
    /// The value as a [`Num`]: itself for [`Num`], the shortest decimal that reads back for floats.
    fn to_num(&self) -> Result<Num, ArithError>;
    /// Whether `|self| >= 10^exp`; an error for infinity and NaN.
    fn beyond(&self, exp: i64) -> Result<bool, ArithError>;
    /// Called by the engine before each epoch: the exact engine's error forms condense there (see
    /// [`crate::number::Aff`]); nothing for the other types.
    fn begin_epoch() {}
    /// Called by the engine before a run: the exact engine counts epochs from zero again, so that
    /// its forms condense at the same epochs whatever ran before on this thread.
    fn begin_run() {}
}

impl Scalar for Num {
    type Hyper = Num;
    fn lift(h: &Num) -> Self {
        *h
    }
    fn from_num(n: &Num) -> Self {
        *n
    }
    fn from_u64(n: u64) -> Self {
        Num::from_mantissa(i128::from(n), 0).unwrap_or(Num::ZERO)
    }
    fn add(&self, o: &Self) -> Result<Self, ArithError> {
        Num::add(self, o)
    }
    fn sub(&self, o: &Self) -> Result<Self, ArithError> {
        Num::sub(self, o)
    }
    fn mul(&self, o: &Self) -> Result<Self, ArithError> {
        Num::mul(self, o)
    }
    fn div(&self, o: &Self) -> Result<Self, ArithError> {
        Num::div(self, o)
    }
    fn sqrt(&self) -> Result<Self, ArithError> {
        Num::sqrt(self)
    }
    fn powi(&self, n: u64) -> Result<Self, ArithError> {
        Num::powi(self, n)
    }
    fn maximum(&self, o: &Self) -> Self {
        if self >= o {
            *self
        } else {
            *o
        }
    }
    fn minimum(&self, o: &Self) -> Self {
        if self <= o {
            *self
        } else {
            *o
        }
    }
    fn signum(&self) -> Self {
        if self.is_zero() {
            Num::ZERO
        } else if self.is_negative() {
            Num::ONE.neg()
        } else {
            Num::ONE
        }
    }
    fn to_num(&self) -> Result<Num, ArithError> {
        Ok(*self)
    }
    fn beyond(&self, exp: i64) -> Result<bool, ArithError> {
        Ok(!self.is_zero() && self.exponent() >= exp)
    }
}

impl Scalar for Ball {
    type Hyper = Ball;
    fn lift(h: &Ball) -> Self {
        *h
    }
    fn from_num(n: &Num) -> Self {
        Ball::exact(*n)
    }
    fn from_u64(n: u64) -> Self {
        Ball::exact(<Num as Scalar>::from_u64(n))
    }
    fn add(&self, o: &Self) -> Result<Self, ArithError> {
        Ball::add(self, o)
    }
    fn sub(&self, o: &Self) -> Result<Self, ArithError> {
        Ball::sub(self, o)
    }
    fn mul(&self, o: &Self) -> Result<Self, ArithError> {
        Ball::mul(self, o)
    }
    fn div(&self, o: &Self) -> Result<Self, ArithError> {
        Ball::div(self, o)
    }
    fn sqrt(&self) -> Result<Self, ArithError> {
        Ball::sqrt(self)
    }
    fn powi(&self, n: u64) -> Result<Self, ArithError> {
        Ball::powi(self, n)
    }
    fn maximum(&self, o: &Self) -> Self {
        // max is 1-Lipschitz in each argument: the larger radius bounds the result's error
        let mid = if self.mid() >= o.mid() {
            self.mid()
        } else {
            o.mid()
        };
        Ball::new(*mid, self.rad().max(o.rad()))
    }
    fn minimum(&self, o: &Self) -> Self {
        let mid = if self.mid() <= o.mid() {
            self.mid()
        } else {
            o.mid()
        };
        Ball::new(*mid, self.rad().max(o.rad()))
    }
    fn signum(&self) -> Self {
        // a ball around zero has no certain sign; the update rules that take signs (Lion) get the
        // midpoint's sign with the whole range of signs as its error, which [`Ball::certified`] prints
        // as uncertain
        let s = Scalar::signum(self.mid());
        if self.contains_zero() && !self.is_exact() {
            Ball::new(
                s,
                crate::number::Mag::pow10(0).add(&crate::number::Mag::pow10(0)),
            )
        } else {
            Ball::exact(s)
        }
    }
    fn to_num(&self) -> Result<Num, ArithError> {
        Ok(*self.mid())
    }
    fn beyond(&self, exp: i64) -> Result<bool, ArithError> {
        Ok(!self.mid().is_zero() && self.mid().exponent() >= exp)
    }
}

macro_rules! float_scalar {
    ($t:ty) => {
        impl Scalar for $t {
            type Hyper = f64;
            fn lift(h: &f64) -> Self {
                *h as $t
            }
            fn from_num(n: &Num) -> Self {
                // a Python literal is read as f64 first, then cast
                n.to_f64() as $t
            }
            fn from_u64(n: u64) -> Self {
                n as $t
            }
            fn add(&self, o: &Self) -> Result<Self, ArithError> {
                Ok(self + o)
            }
            fn sub(&self, o: &Self) -> Result<Self, ArithError> {
                Ok(self - o)
            }
            fn mul(&self, o: &Self) -> Result<Self, ArithError> {
                Ok(self * o)
            }
            fn div(&self, o: &Self) -> Result<Self, ArithError> {
                Ok(self / o)
            }
            fn sqrt(&self) -> Result<Self, ArithError> {
                Ok(<$t>::sqrt(*self))
            }
            fn powi(&self, n: u64) -> Result<Self, ArithError> {
                // C pow, as Python's float ** int
                Ok(<$t>::powf(*self, n as $t))
            }
            fn maximum(&self, o: &Self) -> Self {
                // NumPy's scalar loop: `(a >= b || isnan(a)) ? a : b`
                if *self >= *o || self.is_nan() {
                    *self
                } else {
                    *o
                }
            }
            fn minimum(&self, o: &Self) -> Self {
                if *self <= *o || self.is_nan() {
                    *self
                } else {
                    *o
                }
            }
            fn signum(&self) -> Self {
                // NumPy's loop: `in > 0 ? 1 : (in < 0 ? -1 : (in == 0 ? 0 : in))`
                if *self > 0.0 {
                    1.0
                } else if *self < 0.0 {
                    -1.0
                } else if *self == 0.0 {
                    0.0
                } else {
                    *self
                }
            }
            fn to_num(&self) -> Result<Num, ArithError> {
                Num::from_f64(f64::from(*self)).ok_or(ArithError::NonFinite)
            }
            fn beyond(&self, exp: i64) -> Result<bool, ArithError> {
                if !self.is_finite() {
                    return Err(ArithError::NonFinite);
                }
                Ok(f64::from(self.abs()) >= 10f64.powi(exp as i32))
            }
        }
    };
}

float_scalar!(f64);
float_scalar!(f32);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::tests::n;

    #[test]
    fn maximum_and_minimum_follow_numpy() {
        assert_eq!(Scalar::maximum(&n("-2"), &n("1e-6")), n("1e-6"));
        assert_eq!(Scalar::minimum(&n("-2"), &n("1e-6")), n("-2"));
        // clip(x, -c, c) = minimum(maximum(x, -c), c)
        let clip = |x: f64, c: f64| Scalar::minimum(&Scalar::maximum(&x, &-c), &c);
        assert_eq!(clip(3.5, 1.0), 1.0);
        assert_eq!(clip(-3.5, 1.0), -1.0);
        assert_eq!(clip(0.25, 1.0), 0.25);
        // a NaN on either side propagates, as in NumPy
        assert!(Scalar::maximum(&f32::NAN, &1.0).is_nan());
        assert!(Scalar::maximum(&1.0f32, &f32::NAN).is_nan());
        assert!(Scalar::minimum(&f64::NAN, &1.0).is_nan());
        assert!(Scalar::minimum(&1.0f64, &f64::NAN).is_nan());
    }

    #[test]
    fn signum_follows_numpy() {
        assert_eq!(Scalar::signum(&n("-0.037")), n("-1"));
        assert_eq!(Scalar::signum(&n("1e-27")), n("1"));
        assert_eq!(Scalar::signum(&n("0")), n("0"));
        assert_eq!(Scalar::signum(&n("250")), n("1"));
        assert_eq!(Scalar::signum(&-2.5f64), -1.0);
        assert_eq!(Scalar::signum(&1e-300f64), 1.0);
        assert_eq!(Scalar::signum(&f32::MIN_POSITIVE), 1.0);
        // both zeros give +0, as np.sign(-0.0) does
        assert_eq!(Scalar::signum(&-0.0f64).to_bits(), 0.0f64.to_bits());
        assert_eq!(Scalar::signum(&0.0f32).to_bits(), 0.0f32.to_bits());
        assert_eq!(Scalar::signum(&f64::NEG_INFINITY), -1.0);
        assert!(Scalar::signum(&f32::NAN).is_nan());
        assert!(Scalar::signum(&f64::NAN).is_nan());
    }
}
