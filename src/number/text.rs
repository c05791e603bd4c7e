//! [`Num`] as text: parsing decimal literals, its digits, the positional, compact, scientific and
//! fixed-width notations, conversion to and from `f64`, `Display`/`Debug` and serde (as a string).

use super::{Num, SIG_DIGITS};
use std::fmt;

impl Num {
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
    use crate::number::tests::n;

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
