//! Arithmetic on [`Num`]: addition, subtraction, multiplication, division, square root and integer
//! powers, each correctly rounded to 28 significant digits (half to even) or an [`ArithError`].

use super::{digit_count, pow10, ArithError, Num, SIG_DIGITS};

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
            return signed(bm + sm, bx);
        }
        let k = bx - sx;
        let room = i64::from(37 - digit_count(bm.unsigned_abs()));
        if k < room {
            return signed(bm * pow10(k as u32) + sm, sx);
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
        signed(big_scaled + q * 10 + sticky, bx - room - 1)
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
        let limbs = wide_mul(am.unsigned_abs(), bm.unsigned_abs());
        let top = limbs.iter().rposition(|l| *l != 0).unwrap_or(0);
        if top == 0 {
            return finish(neg, limbs[0], false, ax + bx);
        }
        // the two highest nonzero limbs (20 to 38 digits); when they hold fewer than 30 digits, the
        // next limb's leading digits fill them up to 38; the rest is only a sticky bit
        let mut head = limbs[top] * E19 + limbs[top - 1];
        let mut exp = ax + bx + 19 * (top as i64 - 1);
        let mut sticky = false;
        if top >= 2 {
            let have = digit_count(head);
            if have < 30 {
                let j = 38 - have;
                let d = pow10(19 - j) as u128;
                let next = limbs[top - 2];
                head = head * pow10(j) as u128 + next / d;
                sticky = next % d != 0;
                exp -= i64::from(j);
            } else {
                sticky = limbs[top - 2] != 0;
            }
            sticky |= limbs[..top - 2].iter().any(|l| *l != 0);
        }
        finish(neg, head, sticky, exp)
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
        // long division: the integer part, then up to ten digits at a time (the remainder is below
        // b < 10^28, so remainder * 10^10 fits) until the quotient has 30 digits
        let mut q = a / b;
        let mut r = a - q * b;
        let mut frac = 0i64;
        loop {
            let have = if q == 0 { 0 } else { digit_count(q) };
            if have >= 30 {
                break;
            }
            let k = (30 - have).min(10);
            r *= pow10(k) as u128;
            let d = r / b;
            r -= d * b;
            q = q * pow10(k) as u128 + d;
            frac += i64::from(k);
        }
        finish(neg, q, r != 0, ax - bx - frac)
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
        // the root has 30 digits: of N = m * 100^extra, the least extra with N >= 10^58
        let m = m.unsigned_abs();
        let extra = (59 - i64::from(digit_count(m)))
            .max(0)
            .unsigned_abs()
            .div_ceil(2) as i64;
        let n = U256::from(m).mul_pow10(2 * extra as u32);
        let (root, exact) = n.isqrt();
        finish(false, root, !exact, x / 2 - extra)
    }

    /// `self^n`.
    ///
    /// The product of `n` factors, rounded after each (see `number::powers`): exact while the powers
    /// fit in 28 digits, within `n - 1` half units in the last place otherwise, and one product per
    /// call when the engine asks for `beta^t` epoch after epoch. Beyond [`super::powers::SEQUENTIAL`]
    /// factors, square and multiply.
    pub fn powi(&self, n: u64) -> Result<Num, ArithError> {
        if n > super::powers::SEQUENTIAL {
            return super::power(Num::ONE, *self, n, Num::mul);
        }
        super::powers::power(self, n).map(|b| *b.mid())
    }
}

/// The square root digit by digit, as stepwise computed it before [`U256::isqrt`]: the tests' reference.
#[cfg(test)]
pub(crate) fn sqrt_digit_by_digit(v: &Num) -> Result<(Num, bool), ArithError> {
    if v.is_zero() {
        return Ok((Num::ZERO, false));
    }
    if v.is_negative() {
        return Err(ArithError::NegativeSqrt);
    }
    let (mut m, mut x) = v.parts();
    if x.rem_euclid(2) == 1 {
        m *= 10;
        x -= 1;
    }
    // the base-100 digits of m, most significant first (m < 10^29 has at most 15)
    let m = m.unsigned_abs();
    let npairs = digit_count(m).div_ceil(2);
    let pairs: Vec<i128> = (0..npairs)
        .rev()
        .map(|i| ((m / pow10(2 * i) as u128) % 100) as i128)
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
    let exp = x / 2 - extra_pairs + (pairs.len() as i64 - i as i64).max(0);
    finish(false, root as u128, rest_nonzero, exp)
}

/// A 256-bit unsigned integer, four 64-bit limbs, least significant first: enough for the
/// 60-digit radicand of a 30-digit square root.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct U256([u64; 4]);

impl Ord for U256 {
    fn cmp(&self, o: &U256) -> std::cmp::Ordering {
        // the most significant limb first
        self.0.iter().rev().cmp(o.0.iter().rev())
    }
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, o: &U256) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl U256 {
    fn from(x: u128) -> U256 {
        U256([x as u64, (x >> 64) as u64, 0, 0])
    }

    /// `self * k`; the product must fit.
    fn mul_u64(self, k: u64) -> U256 {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (o, l) in out.iter_mut().zip(self.0) {
            let p = u128::from(l) * u128::from(k) + carry;
            *o = p as u64;
            carry = p >> 64;
        }
        U256(out)
    }

    /// `self * 10^k`; the product must fit.
    fn mul_pow10(self, mut k: u32) -> U256 {
        let mut x = self;
        while k > 0 {
            let step = k.min(19);
            x = x.mul_u64(10u64.pow(step));
            k -= step;
        }
        x
    }

    /// The full product of two values below 2^128.
    fn square(r: u128) -> U256 {
        let (a0, a1) = (u128::from(r as u64), r >> 64);
        let lo = a0 * a0;
        let mid = a0 * a1;
        let hi = a1 * a1;
        // r^2 = hi 2^128 + 2 mid 2^64 + lo
        let (mid_lo, mid_hi) = ((mid << 64), (mid >> 64));
        let (s0, c0) = lo.overflowing_add(mid_lo);
        let (s1, c1) = s0.overflowing_add(mid_lo);
        let top = hi + (mid_hi << 1) + u128::from(c0) + u128::from(c1);
        U256([s1 as u64, (s1 >> 64) as u64, top as u64, (top >> 64) as u64])
    }

    /// `|self - o|` as a float (rounded), and whether `self >= o`.
    fn diff_f64(self, o: U256) -> (f64, bool) {
        let (big, small, ge) = if self >= o {
            (self, o, true)
        } else {
            (o, self, false)
        };
        let mut out = [0u64; 4];
        let mut borrow = 0u64;
        for ((o, b), s) in out.iter_mut().zip(big.0).zip(small.0) {
            let (d, b1) = b.overflowing_sub(s);
            let (d, b2) = d.overflowing_sub(borrow);
            *o = d;
            borrow = u64::from(b1 || b2);
        }
        (U256(out).to_f64(), ge)
    }

    fn to_f64(self) -> f64 {
        self.0
            .iter()
            .rev()
            .fold(0.0, |acc, l| acc * 18446744073709551616.0 + *l as f64)
    }

    /// `floor(sqrt(self))` for a value below 10^60, and whether it is exact: a float estimate,
    /// one Newton step from the exact residual, then checked (and moved by one if needed) exactly.
    fn isqrt(self) -> (u128, bool) {
        let estimate = self.to_f64().sqrt() as u128;
        let (e, ge) = self.diff_f64(U256::square(estimate));
        let delta = (e / (2.0 * estimate as f64)).round() as u128;
        let mut r = if ge {
            estimate + delta
        } else {
            estimate.saturating_sub(delta)
        };
        while U256::square(r) > self {
            r -= 1;
        }
        while U256::square(r + 1) <= self {
            r += 1;
        }
        (r, U256::square(r) == self)
    }
}

const E19: u128 = 10_000_000_000_000_000_000;

/// The exact product of two integers below 10^29, as limbs in base 10^19, least significant first.
fn wide_mul(a: u128, b: u128) -> [u128; 4] {
    let (a1, a0) = (a / E19, a % E19);
    let (b1, b0) = (b / E19, b % E19);
    let mut limbs = [a0 * b0, a1 * b0 + a0 * b1, a1 * b1, 0u128];
    for i in 0..3 {
        let carry = limbs[i] / E19;
        limbs[i] %= E19;
        limbs[i + 1] += carry;
    }
    limbs
}

/// [`finish`] for a signed mantissa whose digits are all exact.
fn signed(mant: i128, exp: i64) -> Result<(Num, bool), ArithError> {
    finish(mant < 0, mant.unsigned_abs(), false, exp)
}

/// Builds `±mant * 10^exp` (`mant` of at most 38 digits), where `sticky` says that nonzero digits
/// follow `mant`'s, correctly rounded to 28 significant digits (half to even), and whether rounding
/// changed it. A caller that sets `sticky` gives at least 30 digits, so the sticky part only breaks
/// ties.
fn finish(neg: bool, mant: u128, sticky: bool, exp: i64) -> Result<(Num, bool), ArithError> {
    if mant == 0 {
        return Ok((Num::ZERO, false));
    }
    let n = digit_count(mant);
    if n <= SIG_DIGITS {
        if sticky {
            // not reached by this file's callers; kept correct all the same
            let m = (mant * 10 + 1) as i128;
            return Num::from_mantissa_x(if neg { -m } else { m }, exp - 1);
        }
        return Num::from_mantissa_x(if neg { -(mant as i128) } else { mant as i128 }, exp);
    }
    // one division: the kept digits and the dropped ones, rounded half to even
    let k = n - SIG_DIGITS;
    let d = pow10(k) as u128;
    let mut q = mant / d;
    let r = mant - q * d;
    let half = d / 2;
    let up = r > half || (r == half && (sticky || q % 2 == 1));
    let inexact = r != 0 || sticky;
    let mut exp = exp + i64::from(k);
    if up {
        q += 1;
        if q == pow10(SIG_DIGITS) as u128 {
            q /= 10;
            exp += 1;
        }
    }
    let (num, _) = Num::from_mantissa_x(if neg { -(q as i128) } else { q as i128 }, exp)?;
    Ok((num, inexact))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::tests::n;

    #[test]
    fn the_square_root_is_the_digit_by_digit_one() {
        // the float estimate with one exact Newton step against the root taken digit by digit:
        // perfect squares, powers of ten, the largest mantissas, and random values at every size
        let mut cases: Vec<String> = [
            "1",
            "4",
            "2",
            "10",
            "100",
            "0.01",
            "1e-1000",
            "1e999",
            "9.999999999999999999999999999",
            "9999999999999999999999999999",
            "1.000000000000000000000000001",
            "0.25",
            "1e-5",
            "123456789012345678901234567.8",
            "1524157878067367851562262075",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let digits = 1 + next() % 28;
            let m: String = (0..digits)
                .map(|i| {
                    let d = next() % 10;
                    char::from(b'0' + if i == 0 { d.max(1) } else { d } as u8)
                })
                .collect();
            let e = (next() % 201) as i64 - 100;
            cases.push(format!("{m}e{e}"));
            // a square, so that the root is exact
            let r = n(&format!("{}e{}", next() % 100_000_000_000_000, e / 2));
            if let Ok(sq) = r.mul(&r) {
                cases.push(sq.to_sci());
            }
        }
        for c in &cases {
            let v = Num::parse(c).unwrap_or_else(|e| panic!("{c}: {e:?}"));
            assert_eq!(v.sqrt_x(), sqrt_digit_by_digit(&v), "sqrt({c})");
        }
        assert_eq!(n("15241578750190521").sqrt_x(), Ok((n("123456789"), false)));
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
}
