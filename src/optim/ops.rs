//! The building blocks several optimizers share, written once and generic over the number type, in
//! the order of operations of the NumPy statements they implement (so the float engines stay bit for
//! bit with the generated code). Arithmetic among hyperparameters alone (`1 - beta`, `beta**t`) is
//! done in `S::Hyper` and lifted, as NumPy does with Python floats.

use crate::number::{ArithError, Scalar};

/// `1 - h`, computed among hyperparameters and lifted.
#[inline(always)]
pub fn one_minus<S: Scalar>(h: &S::Hyper) -> Result<S, ArithError> {
    S::Hyper::from_u64(1).sub(h).map(|c| S::lift(&c))
}

/// The exponential moving average `beta * prev + (1 - beta) * x`.
#[inline(always)]
pub fn ema<S: Scalar>(beta: &S::Hyper, prev: &S, x: &S) -> Result<S, ArithError> {
    S::lift(beta).mul(prev)?.add(&one_minus::<S>(beta)?.mul(x)?)
}

/// The moving average of squares `beta * prev + (1 - beta) * x**2`.
#[inline(always)]
pub fn ema_squared<S: Scalar>(beta: &S::Hyper, prev: &S, x: &S) -> Result<S, ArithError> {
    S::lift(beta)
        .mul(prev)?
        .add(&one_minus::<S>(beta)?.mul(&x.mul(x)?)?)
}

/// The bias correction `x / (1 - beta**t)`.
#[inline(always)]
pub fn bias_corrected<S: Scalar>(beta: &S::Hyper, t: u64, x: &S) -> Result<S, ArithError> {
    let c = S::Hyper::from_u64(1).sub(&beta.powi(t)?)?;
    x.div(&S::lift(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Num;

    fn n(s: &str) -> Num {
        Num::parse(s).unwrap()
    }

    #[test]
    fn by_hand() {
        // 0.9 * 1 + 0.1 * 2 = 1.1
        assert_eq!(ema(&n("0.9"), &n("1"), &n("2")).unwrap(), n("1.1"));
        // 0.9 * 1 + 0.1 * 4 = 1.3
        assert_eq!(ema_squared(&n("0.9"), &n("1"), &n("2")).unwrap(), n("1.3"));
        // 0.19 / (1 - 0.81) = 1
        assert_eq!(bias_corrected(&n("0.9"), 2, &n("0.19")).unwrap(), n("1"));
    }

    #[test]
    fn floats_follow_numpy_order() {
        // (1 - 0.9) in double is 0.09999999999999998; lifted to f32 and multiplied in f32
        let b = 0.9f64;
        let want = (b as f32) * 1.0f32 + ((1.0 - b) as f32) * 2.0f32;
        assert_eq!(
            ema::<f32>(&b, &1.0, &2.0).unwrap().to_bits(),
            want.to_bits()
        );
    }
}
