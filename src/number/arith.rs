//! Arithmetic on [`Num`]: addition, subtraction, multiplication, division, square root and integer
//! powers, each correctly rounded to 28 significant digits (half to even) or an [`ArithError`].

use super::{digit_count, pow10, ArithError, Num};

impl Num {
    /// `self + other`, correctly rounded to 28 significant digits.
    pub fn add(&self, other: &Num) -> Result<Num, ArithError> {
        self.add_x(other).map(|(n, _)| n)
    }

    /// `self + other`, and whether rounding changed it.
    pub(crate) fn add_x(&self, other: &Num) -> Result<(Num, bool), ArithError> {
        if self.is_zero() {
            return Ok((*other, false));
        }
        if other.is_zero() {
            return Ok((*self, false));
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
            return Num::from_mantissa_x(bm + sm, bx);
        }
        let k = bx - sx;
        let room = i64::from(37 - digit_count(bm.unsigned_abs()));
        if k < room {
            return Num::from_mantissa_x(bm * pow10(k as u32) + sm, sx);
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
        Num::from_mantissa_x(big_scaled + q * 10 + sticky, bx - room - 1)
    }

    /// `self - other`.
    pub fn sub(&self, other: &Num) -> Result<Num, ArithError> {
        self.add(&other.neg())
    }

    /// `self - other`, and whether rounding changed it.
    pub(crate) fn sub_x(&self, other: &Num) -> Result<(Num, bool), ArithError> {
        self.add_x(&other.neg())
    }

    /// `self * other`, correctly rounded.
    pub fn mul(&self, other: &Num) -> Result<Num, ArithError> {
        self.mul_x(other).map(|(n, _)| n)
    }

    /// `self * other`, and whether rounding changed it.
    pub(crate) fn mul_x(&self, other: &Num) -> Result<(Num, bool), ArithError> {
        if self.is_zero() || other.is_zero() {
            return Ok((Num::ZERO, false));
        }
        let (am, ax) = self.parts();
        let (bm, bx) = other.parts();
        let neg = (am < 0) != (bm < 0);
        let digits = wide_mul(am.unsigned_abs(), bm.unsigned_abs());
        from_digits(neg, &digits, false, ax + bx)
    }

    /// `self / other`, correctly rounded.
    pub fn div(&self, other: &Num) -> Result<Num, ArithError> {
        self.div_x(other).map(|(n, _)| n)
    }

    /// `self / other`, and whether rounding changed it.
    pub(crate) fn div_x(&self, other: &Num) -> Result<(Num, bool), ArithError> {
        if other.is_zero() {
            return Err(ArithError::DivisionByZero);
        }
        if self.is_zero() {
            return Ok((Num::ZERO, false));
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
        self.sqrt_x().map(|(n, _)| n)
    }

    /// The square root, and whether rounding changed it.
    pub(crate) fn sqrt_x(&self) -> Result<(Num, bool), ArithError> {
        if self.is_zero() {
            return Ok((Num::ZERO, false));
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
        super::power(Num::ONE, *self, n, Num::mul)
    }
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
fn from_digits(neg: bool, digits: &str, sticky: bool, exp: i64) -> Result<(Num, bool), ArithError> {
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Ok((Num::ZERO, false));
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
    Num::from_mantissa_x(if neg { -mant } else { mant }, exp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::tests::n;

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
}
