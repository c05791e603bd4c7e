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

use rust_decimal::prelude::*;
use std::cmp::Ordering;
use std::fmt;

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
    /// A float engine produced infinity or NaN.
    #[error("non-finite result")]
    NonFinite,
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

fn digit_count(mut x: u128) -> u32 {
    let mut n = 1;
    while x >= 10 {
        x /= 10;
        n += 1;
    }
    n
}

/// Divides `x` by `10^k` rounding to nearest; ties go to even when `even`, away from zero otherwise.
fn div_round(x: i128, k: u32, even: bool) -> i128 {
    if k == 0 {
        return x;
    }
    if k > 38 {
        return 0;
    }
    let d = pow10(k);
    let q = x / d;
    let r = (x % d).abs();
    let half = d / 2;
    let up = match r.cmp(&half) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => !even || q % 2 != 0,
    };
    if up {
        q + x.signum()
    } else {
        q
    }
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
        Self::round_mantissa(mant, exp, SIG_DIGITS, true)
    }

    fn round_mantissa(
        mut mant: i128,
        mut exp: i64,
        sig: u32,
        even: bool,
    ) -> Result<Num, ArithError> {
        if mant == 0 {
            return Ok(Num::ZERO);
        }
        let mut n = digit_count(mant.unsigned_abs());
        if n > sig {
            mant = div_round(mant, n - sig, even);
            exp += i64::from(n - sig);
            n = digit_count(mant.unsigned_abs());
            if n > sig {
                mant = div_round(mant, 1, even);
                exp += 1;
                n -= 1;
            }
        }
        // strip trailing zeros so that equal values have equal representations
        while mant % 10 == 0 && n > 1 {
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
        Ok(Num { m, e })
    }

    /// An integer.
    pub fn from_int(i: i64) -> Num {
        // an i64 has at most 19 digits: always representable
        Self::from_mantissa(i128::from(i), 0).unwrap_or(Num::ZERO)
    }

    /// Parses a decimal literal such as `-5`, `0.1`, `1e-6`, `2.5E+3`. Digits are kept exactly; a
    /// literal with more than 28 significant digits is refused rather than rounded.
    pub fn parse(text: &str) -> Result<Num, ParseNumError> {
        let s = text.trim();
        let (neg, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (mant_part, exp_part) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let mant_part = mant_part.replace('_', "");
        let (int_part, frac_part) = match mant_part.find('.') {
            Some(i) => (&mant_part[..i], &mant_part[i + 1..]),
            None => (mant_part.as_str(), ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(ParseNumError::Malformed);
        }
        if !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return Err(ParseNumError::Malformed);
        }
        let mut exp: i64 = match exp_part {
            Some(x) => {
                let x = x.strip_prefix('+').unwrap_or(x);
                if x.is_empty()
                    || !x
                        .trim_start_matches('-')
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                {
                    return Err(ParseNumError::Malformed);
                }
                x.parse::<i64>().map_err(|_| ParseNumError::OutOfRange)?
            }
            None => 0,
        };
        let digits: String = format!("{int_part}{frac_part}");
        let digits = digits.trim_start_matches('0');
        let digits_trimmed = digits.trim_end_matches('0');
        let trailing = digits.len() - digits_trimmed.len();
        if digits_trimmed.is_empty() {
            return Ok(Num::ZERO);
        }
        if digits_trimmed.len() > SIG_DIGITS as usize {
            return Err(ParseNumError::TooManyDigits);
        }
        exp = exp
            .checked_sub(frac_part.len() as i64)
            .and_then(|x| x.checked_add(trailing as i64))
            .ok_or(ParseNumError::OutOfRange)?;
        let mut mant: i128 = digits_trimmed
            .parse()
            .map_err(|_| ParseNumError::Malformed)?;
        if neg {
            mant = -mant;
        }
        Num::from_mantissa(mant, exp).map_err(|_| ParseNumError::OutOfRange)
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

    /// `self + other`, correctly rounded to 28 significant digits.
    pub fn add(&self, other: &Num) -> Result<Num, ArithError> {
        if self.is_zero() {
            return Ok(*other);
        }
        if other.is_zero() {
            return Ok(*self);
        }
        let (big, small) = if self.e >= other.e {
            (self, other)
        } else {
            (other, self)
        };
        let (bm, bx) = big.parts();
        let (sm, sx) = small.parts();
        if sx >= bx {
            // small's last digit is at or above big's: align small up, exactly (it stays below 10^28)
            let sm = sm * pow10((sx - bx) as u32);
            return Num::from_mantissa(bm + sm, bx);
        }
        let k = bx - sx;
        let room = i64::from(37 - digit_count(bm.unsigned_abs()));
        if k < room {
            return Num::from_mantissa(bm * pow10(k as u32) + sm, sx);
        }
        // keep 37 digits of big, truncate small to them plus one sticky digit
        let big_scaled = bm * pow10(room as u32 + 1);
        let cut = k - room;
        let (q, r) = if cut > 38 {
            (0, sm)
        } else {
            (sm / pow10(cut as u32), sm % pow10(cut as u32))
        };
        let sticky = if r != 0 { 5 * sm.signum() } else { 0 };
        Num::from_mantissa(big_scaled + q * 10 + sticky, bx - room - 1)
    }

    /// `self - other`.
    pub fn sub(&self, other: &Num) -> Result<Num, ArithError> {
        self.add(&other.neg())
    }

    /// `self * other`, correctly rounded.
    pub fn mul(&self, other: &Num) -> Result<Num, ArithError> {
        if self.is_zero() || other.is_zero() {
            return Ok(Num::ZERO);
        }
        let (am, ax) = self.parts();
        let (bm, bx) = other.parts();
        let neg = (am < 0) != (bm < 0);
        let digits = wide_mul(am.unsigned_abs(), bm.unsigned_abs());
        from_digits(neg, &digits, false, ax + bx)
    }

    /// `self / other`, correctly rounded.
    pub fn div(&self, other: &Num) -> Result<Num, ArithError> {
        if other.is_zero() {
            return Err(ArithError::DivisionByZero);
        }
        if self.is_zero() {
            return Ok(Num::ZERO);
        }
        let (am, ax) = self.parts();
        let (bm, bx) = other.parts();
        let neg = (am < 0) != (bm < 0);
        let (a, b) = (am.unsigned_abs(), bm.unsigned_abs());
        // long division: the integer part, then one digit at a time until 30 significant digits
        let mut digits = (a / b).to_string();
        let mut r = a % b;
        let mut frac = 0i64;
        let significant = |d: &str| d.trim_start_matches('0').len();
        while significant(&digits) < 30 {
            r *= 10;
            digits.push(char::from(b'0' + (r / b) as u8));
            r %= b;
            frac += 1;
        }
        from_digits(neg, &digits, r != 0, ax - bx - frac)
    }

    /// The square root, correctly rounded.
    pub fn sqrt(&self) -> Result<Num, ArithError> {
        if self.is_zero() {
            return Ok(Num::ZERO);
        }
        if self.is_negative() {
            return Err(ArithError::NegativeSqrt);
        }
        let (mut m, mut x) = self.parts();
        if x.rem_euclid(2) == 1 {
            m *= 10;
            x -= 1;
        }
        let mut text = m.to_string();
        if text.len() % 2 == 1 {
            text.insert(0, '0');
        }
        let pairs: Vec<i128> = text
            .as_bytes()
            .chunks(2)
            .map(|c| i128::from((c[0] - b'0') * 10 + (c[1] - b'0')))
            .collect();
        // digit-by-digit square root until the root has 30 digits
        let (mut root, mut rem) = (0i128, 0i128);
        let mut extra_pairs = 0i64;
        let mut i = 0;
        while root < pow10(29) {
            let pair = match pairs.get(i) {
                Some(p) => *p,
                None => {
                    extra_pairs += 1;
                    0
                }
            };
            i += 1;
            rem = rem * 100 + pair;
            let mut d = 9;
            while (20 * root + d) * d > rem {
                d -= 1;
            }
            rem -= (20 * root + d) * d;
            root = root * 10 + d;
        }
        let rest_nonzero = rem != 0 || pairs.iter().skip(i).any(|p| *p != 0);
        let digits = root.to_string();
        let exp = x / 2 - extra_pairs + (pairs.len() as i64 - i as i64).max(0);
        from_digits(false, &digits, rest_nonzero, exp)
    }

    /// `self^n`.
    pub fn powi(&self, n: u64) -> Result<Num, ArithError> {
        // square and multiply: exact while the powers fit in 28 digits, a few units in the last
        // place otherwise, and O(log n) products
        let (mut acc, mut base, mut n) = (Num::ONE, *self, n);
        while n > 0 {
            if n & 1 == 1 {
                acc = acc.mul(&base)?;
            }
            n >>= 1;
            if n > 0 {
                base = base.mul(&base)?;
            }
        }
        Ok(acc)
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
        Self::round_mantissa(mant, exp, sig.max(1), false).unwrap_or(*self)
    }

    /// Sign, the significant digits (no leading or trailing zeros) and the exponent of the first digit.
    pub fn digits(&self) -> (bool, String, i64) {
        if self.is_zero() {
            return (false, "0".to_string(), 0);
        }
        (
            self.is_negative(),
            self.m.mantissa().unsigned_abs().to_string(),
            self.e,
        )
    }

    /// Plain positional notation with every digit (`-0.000012`, `4800000`).
    pub fn to_plain(&self) -> String {
        let (neg, digits, e) = self.digits();
        plain_text(neg, &digits, e)
    }

    /// Every digit, positional for exponents from -4 to 6 and scientific otherwise, as tables and
    /// NumPy print numbers (`0.0001`, `-4.421478394e-7`).
    pub fn to_compact(&self) -> String {
        if self.is_zero() || (-4..7).contains(&self.e) {
            self.to_plain()
        } else {
            self.to_sci()
        }
    }

    /// Scientific notation with every digit (`-3.0057e-17`).
    pub fn to_sci(&self) -> String {
        let (neg, digits, e) = self.digits();
        sci_text(neg, &digits, e)
    }

    /// Rounded to `sig` significant digits and padded with zeros to exactly `sig`: the sign, the
    /// digits and the exponent of the first one.
    pub fn fixed_digits(&self, sig: u32) -> (bool, String, i64) {
        let (neg, mut digits, e) = self.round_sig(sig).digits();
        while digits.len() < sig as usize {
            digits.push('0');
        }
        (neg, digits, e)
    }

    /// Scientific notation with exactly `sig` significant digits, zeros kept (`-3.010e-17`).
    pub fn to_sci_fixed(&self, sig: u32) -> String {
        let (neg, digits, e) = self.fixed_digits(sig);
        sci_text(neg, &digits, e)
    }

    /// Positional notation with exactly `sig` significant digits, zeros kept (`-0.7200`).
    pub fn to_plain_fixed(&self, sig: u32) -> String {
        let (neg, digits, e) = self.fixed_digits(sig);
        plain_text(neg, &digits, e)
    }

    /// The closest `f64` (infinity or zero beyond its range).
    pub fn to_f64(&self) -> f64 {
        self.to_sci().parse().unwrap_or(f64::NAN)
    }

    /// The shortest decimal that reads back as the finite `f64` `x` (at most 17 significant digits),
    /// as Python and NumPy print it; `None` for infinity and NaN.
    pub fn from_f64(x: f64) -> Option<Num> {
        if !x.is_finite() {
            return None;
        }
        Num::parse(&format!("{x:e}")).ok()
    }
}

/// Positional notation of `digits` (first digit at `10^e`).
fn plain_text(neg: bool, digits: &str, e: i64) -> String {
    let sign = if neg { "-" } else { "" };
    let n = digits.len() as i64;
    let body = if e < 0 {
        format!("0.{}{}", "0".repeat((-e - 1) as usize), digits)
    } else if e + 1 >= n {
        format!("{}{}", digits, "0".repeat((e + 1 - n) as usize))
    } else {
        let (a, b) = digits.split_at((e + 1) as usize);
        format!("{a}.{b}")
    };
    format!("{sign}{body}")
}

/// Scientific notation of `digits` (first digit at `10^e`).
fn sci_text(neg: bool, digits: &str, e: i64) -> String {
    let sign = if neg { "-" } else { "" };
    let (a, b) = digits.split_at(1.min(digits.len()));
    let frac = if b.is_empty() {
        String::new()
    } else {
        format!(".{b}")
    };
    format!("{sign}{a}{frac}e{e}")
}

/// The exact product of two integers below 10^29, as decimal digits.
fn wide_mul(a: u128, b: u128) -> String {
    const B: u128 = 10_000_000_000_000_000_000; // 10^19
    let (a1, a0) = (a / B, a % B);
    let (b1, b0) = (b / B, b % B);
    // limbs in base 10^19, least significant first
    let mut limbs = [a0 * b0, a1 * b0 + a0 * b1, a1 * b1, 0u128];
    for i in 0..3 {
        let carry = limbs[i] / B;
        limbs[i] %= B;
        limbs[i + 1] += carry;
    }
    format!(
        "{}{:019}{:019}{:019}",
        limbs[3], limbs[2], limbs[1], limbs[0]
    )
}

/// Builds a number from decimal digits (`value = digits * 10^exp`), where `sticky` says that nonzero
/// digits follow the given ones; rounds to 28 significant digits, half to even.
fn from_digits(neg: bool, digits: &str, sticky: bool, exp: i64) -> Result<Num, ArithError> {
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(Num::ZERO);
    }
    // keep 30 digits; anything beyond becomes the sticky digit
    let keep = digits.len().min(30);
    let dropped = &digits[keep..];
    let sticky = sticky || dropped.bytes().any(|b| b != b'0');
    let mut mant: i128 = digits[..keep].parse().map_err(|_| ArithError::Overflow)?;
    let mut exp = exp + dropped.len() as i64;
    if sticky {
        mant = mant * 10 + 1;
        exp -= 1;
    }
    Num::from_mantissa(if neg { -mant } else { mant }, exp)
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

impl fmt::Display for Num {
    /// Every significant digit; positional for moderate exponents, scientific otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (-7..21).contains(&self.e) {
            f.write_str(&self.to_plain())
        } else {
            f.write_str(&self.to_sci())
        }
    }
}

impl fmt::Debug for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Num({self})")
    }
}

/// Why a decimal literal was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseNumError {
    /// Not a decimal literal.
    #[error("not a decimal number")]
    Malformed,
    /// More significant digits than the engine carries.
    #[error("more than 28 significant digits")]
    TooManyDigits,
    /// The exponent is outside the representable range.
    #[error("exponent out of range")]
    OutOfRange,
}

/// The arithmetic an update rule needs; implemented by [`Num`], `f64` and `f32`.
///
/// Update rules are written once against this trait and follow NumPy's rules, so that the float
/// engines reproduce the generated NumPy code bit for bit: arithmetic among hyperparameters alone
/// (`1 - beta`, `beta ** t`) happens in [`Scalar::Hyper`] (a Python float, `f64`, for both float
/// engines) and the result meets the array's type through [`Scalar::lift`] (NumPy casts a Python float
/// to `float32` when it meets a `float32` array). For the exact engine both are [`Num`].
pub trait Scalar: Clone + fmt::Debug {
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
    /// The value as a [`Num`]: itself for [`Num`], the shortest decimal that reads back for floats.
    fn to_num(&self) -> Result<Num, ArithError>;
    /// Whether `|self| >= 10^exp`; an error for infinity and NaN.
    fn beyond(&self, exp: i64) -> Result<bool, ArithError>;
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
    fn to_num(&self) -> Result<Num, ArithError> {
        Ok(*self)
    }
    fn beyond(&self, exp: i64) -> Result<bool, ArithError> {
        Ok(!self.is_zero() && self.exponent() >= exp)
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

impl serde::Serialize for Num {
    /// As a string with every significant digit (a JSON number would be read back as `f64`).
    fn serialize<Ser: serde::Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        let s = String::deserialize(d)?;
        Num::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse(s).unwrap()
    }

    #[test]
    fn literals_are_exact() {
        assert_eq!(n("0.1").to_string(), "0.1");
        assert_eq!(n("1e-30").to_sci(), "1e-30");
        assert!(!n("1e-30").is_zero());
        assert_eq!(n("-5").to_string(), "-5");
        assert_eq!(n("2.50").to_string(), "2.5");
        assert_eq!(n("1_000").to_string(), "1000");
        assert_eq!(n("0.1").mul(&n("3")).unwrap(), n("0.3"));
        assert_eq!(Num::parse("1.2.3"), Err(ParseNumError::Malformed));
        assert_eq!(Num::parse("abc"), Err(ParseNumError::Malformed));
        assert_eq!(
            Num::parse("1.2345678901234567890123456789"),
            Err(ParseNumError::TooManyDigits)
        );
    }

    #[test]
    fn keeps_28_digits_at_small_magnitudes() {
        let third = n("1e-30").div(&n("3")).unwrap();
        assert_eq!(third.to_sci(), "3.333333333333333333333333333e-31");
        let x = n("3e-17").div(&n("7")).unwrap();
        assert_eq!(x.digits().1.len(), 28);
    }

    #[test]
    fn addition_aligns_exponents_and_cancels_exactly() {
        assert_eq!(
            n("1").add(&n("1e-27")).unwrap().to_string(),
            "1.000000000000000000000000001"
        );
        assert_eq!(n("1").add(&n("1e-40")).unwrap(), n("1"));
        assert_eq!(
            n("1.000000000000000000000000001").sub(&n("1")).unwrap(),
            n("1e-27")
        );
        assert_eq!(n("-4.8").add(&n("4.8")).unwrap(), Num::ZERO);
    }

    #[test]
    fn sqrt_is_correct_to_the_last_digit() {
        assert_eq!(
            n("2").sqrt().unwrap().to_string(),
            "1.414213562373095048801688724"
        );
        assert_eq!(
            n("20").sqrt().unwrap().to_string(),
            "4.472135954999579392818347337"
        );
        assert_eq!(n("1e-30").sqrt().unwrap(), n("1e-15"));
        assert_eq!(n("-1").sqrt(), Err(ArithError::NegativeSqrt));
    }

    #[test]
    fn errors_instead_of_panics() {
        assert_eq!(n("1").div(&Num::ZERO), Err(ArithError::DivisionByZero));
        let big = n("1e999999");
        assert_eq!(big.mul(&big), Err(ArithError::Overflow));
        let tiny = n("1e-999999");
        assert_eq!(tiny.mul(&tiny), Err(ArithError::Underflow));
    }

    #[test]
    fn integer_part() {
        assert_eq!(n("8.9").trunc(), n("8"));
        assert_eq!(n("0.5").trunc(), Num::ZERO);
        assert_eq!(n("-2.5").trunc(), n("-2"));
        assert_eq!(n("1.2e3").trunc(), n("1200"));
        assert_eq!(n("1e30").trunc(), n("1e30"));
    }

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
    fn rounding_for_display() {
        assert_eq!(n("-4.23249").round_sig(4).to_string(), "-4.232");
        assert_eq!(n("2.5").round_sig(1).to_string(), "3");
        assert_eq!(n("9.9996").round_sig(4).to_string(), "10");
        assert_eq!(n("3.0e-17").to_sci_fixed(3), "3.00e-17");
        assert_eq!(n("-0.72").to_plain_fixed(4), "-0.7200");
        assert_eq!(n("1234.5").to_plain_fixed(4), "1235");
        assert!(n("-2") < n("-1") && n("1e-5") < n("1e-4") && n("-1e-4") < n("-1e-5"));
    }
}
