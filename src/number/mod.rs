//! The exact number type of the engine.
//!
//! [`Num`] is a floating decimal: a [`rust_decimal::Decimal`] mantissa `m` with `1 <= |m| < 10` and at
//! most [`SIG_DIGITS`] significant digits, times `10^e` for a wide integer exponent `e`. rust_decimal on
//! its own is a fixed-point type (28 decimal places), so `3e-17` would keep 12 digits and `1e-30` would
//! become zero; carrying the exponent beside the mantissa keeps 28 significant digits at any magnitude.
//!
//! Every operation is checked: overflow of the exponent range, division by zero and the square root of a
//! negative number are [`ArithError`]s, never panics and never silent zeros. Results are rounded to 28
//! significant digits, half to even. A literal such as `0.1` is parsed from its text, so it is exactly one
//! tenth.
//!
//! [`Scalar`] is the arithmetic the optimizers are written against; it is implemented by [`Num`] (the
//! exact engine) and by `f64` and `f32` (the float engines), so every update rule is written once.
//!
//! The arithmetic is in `arith`, reading and printing in `text` and the [`Scalar`] trait in `scalar`;
//! this file holds the representation: the type, its rounding to 28 digits and its ordering.

mod affine;
mod arith;
mod ball;
mod powers;
mod scalar;
mod text;
mod xf;

pub use affine::Aff;
pub use ball::{Ball, Certified, Mag};
pub use scalar::Scalar;
pub use text::ParseNumError;

use rust_decimal::prelude::*;
use std::cmp::Ordering;

/// Significant decimal digits every exact value carries.
pub const SIG_DIGITS: u32 = 28;

/// Largest decimal exponent a [`Num`] may have (in either direction) before an operation fails.
pub const EXP_LIMIT: i64 = 1_000_000;

/// What can go wrong in one arithmetic operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ArithError {
    /// The result is too large to represent.
    #[error("overflow")]
    Overflow,
    /// The result is too small to represent and is not zero.
    #[error("underflow")]
    Underflow,
    /// A division by zero.
    #[error("division by zero")]
    DivisionByZero,
    /// The square root of a negative number.
    #[error("square root of a negative number")]
    NegativeSqrt,
    /// A divisor's error bound holds zero, so the quotient is not determined.
    #[error("the divisor may be zero within its error bound")]
    DivisorMayBeZero,
    /// The error bound of a value under a square root reaches below zero.
    #[error("the value under the square root may be negative within its error bound")]
    SqrtMayBeNegative,
    /// A float engine produced infinity or NaN.
    #[error("non-finite result")]
    NonFinite,
    /// A polynomial's degree would pass the limit (64).
    #[error("the degree would be above the limit 64")]
    DegreeTooHigh,
    /// A polynomial would expand past the limit on its terms.
    #[error("the expanded polynomial would have more than 10000 terms")]
    TooManyTerms,
}

/// An exact decimal with 28 significant digits at any magnitude.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Num {
    /// Mantissa, `1 <= |m| < 10`, trailing zeros removed; zero for the number zero.
    m: Decimal,
    /// Decimal exponent; zero for the number zero.
    e: i64,
}

fn pow10(n: u32) -> i128 {
    10i128.pow(n)
}

fn digit_count(x: u128) -> u32 {
    // without a division (the engine counts digits after every operation): log10 of the bit
    // length, then one comparison with a power of ten
    const POW10: [u128; 39] = {
        let mut t = [1u128; 39];
        let mut i = 1;
        while i < 39 {
            t[i] = t[i - 1] * 10;
            i += 1;
        }
        t
    };
    if x == 0 {
        return 1;
    }
    let bits = 128 - x.leading_zeros();
    let t = (bits * 1233) >> 12;
    if x >= POW10[t as usize] {
        t + 1
    } else {
        t
    }
}

/// `|x| mod 10`, in 64-bit arithmetic (`2^64 mod 10 = 6`).
fn last_digit(x: i128) -> u64 {
    let a = x.unsigned_abs();
    let (hi, lo) = ((a >> 64) as u64, a as u64);
    ((hi % 10) * 6 + lo % 10) % 10
}

/// Divides `x` by `10^k` rounding to nearest; ties go to even when `even`, away from zero otherwise.
/// Also says whether the division dropped a nonzero remainder.
fn div_round(x: i128, k: u32, even: bool) -> (i128, bool) {
    if k == 0 {
        return (x, false);
    }
    if k > 38 {
        return (0, x != 0);
    }
    let d = pow10(k);
    let q = x / d;
    let r = (x - q * d).abs();
    let half = d / 2;
    let up = match r.cmp(&half) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => !even || q % 2 != 0,
    };
    (if up { q + x.signum() } else { q }, r != 0)
}

impl Num {
    /// Zero.
    pub const ZERO: Num = Num {
        m: Decimal::ZERO,
        e: 0,
    };
    /// One.
    pub const ONE: Num = Num {
        m: Decimal::ONE,
        e: 0,
    };

    /// Builds `mant * 10^exp`, rounded to 28 significant digits (half to even).
    pub fn from_mantissa(mant: i128, exp: i64) -> Result<Num, ArithError> {
        Self::round_mantissa(mant, exp, SIG_DIGITS, true).map(|(n, _)| n)
    }

    /// As [`Num::from_mantissa`], also saying whether rounding changed the value.
    pub(crate) fn from_mantissa_x(mant: i128, exp: i64) -> Result<(Num, bool), ArithError> {
        Self::round_mantissa(mant, exp, SIG_DIGITS, true)
    }

    fn round_mantissa(
        mut mant: i128,
        mut exp: i64,
        sig: u32,
        even: bool,
    ) -> Result<(Num, bool), ArithError> {
        if mant == 0 {
            return Ok((Num::ZERO, false));
        }
        let mut inexact = false;
        let mut n = digit_count(mant.unsigned_abs());
        if n > sig {
            let k = n - sig;
            (mant, inexact) = div_round(mant, k, even);
            exp += i64::from(n - sig);
            n = digit_count(mant.unsigned_abs());
            if n > sig {
                // rounding carried into a new digit: the mantissa is 10^sig, its last digit 0
                let (m, dropped) = div_round(mant, 1, even);
                mant = m;
                inexact |= dropped;
                exp += 1;
                n -= 1;
            }
        }
        // strip trailing zeros so that equal values have equal representations
        while last_digit(mant) == 0 && n > 1 {
            mant /= 10;
            exp += 1;
            n -= 1;
        }
        let e = exp + i64::from(n) - 1;
        if e > EXP_LIMIT {
            return Err(ArithError::Overflow);
        }
        if e < -EXP_LIMIT {
            return Err(ArithError::Underflow);
        }
        let m = Decimal::try_from_i128_with_scale(mant, n - 1).map_err(|_| ArithError::Overflow)?;
        Ok((Num { m, e }, inexact))
    }

    /// An integer.
    pub fn from_int(i: i64) -> Num {
        // an i64 has at most 19 digits: always representable
        Self::from_mantissa(i128::from(i), 0).unwrap_or(Num::ZERO)
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.m.is_zero()
    }

    /// Whether this is below zero.
    pub fn is_negative(&self) -> bool {
        self.m.is_sign_negative() && !self.m.is_zero()
    }

    /// The decimal exponent of the leading digit (`floor(log10 |x|)`); zero for zero.
    pub fn exponent(&self) -> i64 {
        self.e
    }

    /// The absolute value.
    pub fn abs(&self) -> Num {
        Num {
            m: self.m.abs(),
            e: self.e,
        }
    }

    /// The negation.
    pub fn neg(&self) -> Num {
        Num {
            m: -self.m,
            e: self.e,
        }
    }

    /// The integer mantissa and the exponent of its last digit: `self = m * 10^x`.
    fn parts(&self) -> (i128, i64) {
        (self.m.mantissa(), self.e - i64::from(self.m.scale()))
    }

    /// The integer part (rounded toward zero).
    pub fn trunc(&self) -> Num {
        let (neg, digits, e) = self.digits();
        if self.is_zero() || e < 0 {
            return Num::ZERO;
        }
        let keep = ((e + 1) as usize).min(digits.len());
        let mant: i128 = digits[..keep].parse().unwrap_or(0);
        let shift = e + 1 - keep as i64;
        Num::from_mantissa(if neg { -mant } else { mant }, shift).unwrap_or(Num::ZERO)
    }

    /// Rounded to `sig` significant digits, half away from zero (for display).
    pub fn round_sig(&self, sig: u32) -> Num {
        if self.is_zero() || sig >= SIG_DIGITS {
            return *self;
        }
        let mant = self.m.mantissa();
        let exp = self.e - i64::from(self.m.scale());
        Self::round_mantissa(mant, exp, sig.max(1), false).map_or(*self, |(n, _)| n)
    }
}

/// `base^n` by square and multiply, from `one`, with the type's own product: O(log n) products.
fn power<T>(
    one: T,
    base: T,
    mut n: u64,
    mul: impl Fn(&T, &T) -> Result<T, ArithError>,
) -> Result<T, ArithError> {
    let (mut acc, mut base) = (one, base);
    while n > 0 {
        if n & 1 == 1 {
            acc = mul(&acc, &base)?;
        }
        n >>= 1;
        if n > 0 {
            base = mul(&base, &base)?;
        }
    }
    Ok(acc)
}

impl Ord for Num {
    fn cmp(&self, other: &Num) -> Ordering {
        let sa = self.m.cmp(&Decimal::ZERO);
        let sb = other.m.cmp(&Decimal::ZERO);
        if sa != sb {
            return sa.cmp(&sb);
        }
        if sa == Ordering::Equal {
            return Ordering::Equal;
        }
        let mag = self.e.cmp(&other.e).then(self.m.abs().cmp(&other.m.abs()));
        if sa == Ordering::Less {
            mag.reverse()
        } else {
            mag
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn n(s: &str) -> Num {
        Num::parse(s).unwrap()
    }

    #[test]
    fn digits_are_counted_as_ilog10_counts_them() {
        let mut xs = vec![0u128, u128::MAX];
        for b in 0..128 {
            let p = 1u128 << b;
            xs.extend([p, p - 1, p + 1]);
        }
        let mut p = 1u128;
        for _ in 0..38 {
            p *= 10;
            xs.extend([p - 1, p, p + 1]);
        }
        for x in xs {
            assert_eq!(
                digit_count(x),
                x.checked_ilog10().map_or(1, |d| d + 1),
                "{x}"
            );
        }
    }

    #[test]
    fn integer_part() {
        assert_eq!(n("8.9").trunc(), n("8"));
        assert_eq!(n("0.5").trunc(), Num::ZERO);
        assert_eq!(n("-2.5").trunc(), n("-2"));
        assert_eq!(n("1.2e3").trunc(), n("1200"));
        assert_eq!(n("1e30").trunc(), n("1e30"));
    }
}
