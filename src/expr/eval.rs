//! Evaluation of a [`Poly`] in any [`Scalar`] type, through a [`Compiled`] form whose order of
//! operations matches the generated Python.

use super::Poly;
use crate::number::{ArithError, Scalar};

impl Poly {
    /// Evaluates at `w` in the scalar type `S` (see [`Compiled::eval`] for the order).
    pub fn eval<S: Scalar>(&self, w: &[S]) -> Result<S, ArithError> {
        self.compile::<S>().eval(w)
    }

    /// The polynomial with its coefficients converted to `S` once, for repeated evaluation.
    pub fn compile<S: Scalar>(&self) -> Compiled<S> {
        Compiled {
            terms: self
                .ordered()
                .into_iter()
                .map(|(e, c)| {
                    let powers = e
                        .iter()
                        .enumerate()
                        .filter(|(_, k)| **k > 0)
                        .map(|(i, k)| (i, *k))
                        .collect();
                    (S::from_num(c), powers)
                })
                .collect(),
        }
    }
}

/// A polynomial ready to evaluate in one scalar type.
#[derive(Debug, Clone)]
pub struct Compiled<S> {
    /// (coefficient, [(variable, power)]) in display order.
    terms: Vec<(S, Vec<(usize, u32)>)>,
}

impl<S: Scalar> Compiled<S> {
    /// Evaluates at `w` in exactly the order of [`Poly::to_python`]: the terms in display order,
    /// summed left to right; each term `c * (w1 * w1) * w2`, left to right, with each power written
    /// as repeated products.
    pub fn eval(&self, w: &[S]) -> Result<S, ArithError> {
        let mut acc: Option<S> = None;
        for (c, powers) in &self.terms {
            let mut t = c.clone();
            for &(i, k) in powers {
                let x = &w[i];
                let mut p = x.clone();
                for _ in 1..k {
                    p = p.mul(x)?;
                }
                t = t.mul(&p)?;
            }
            acc = Some(match acc {
                None => t,
                Some(a) => a.add(&t)?,
            });
        }
        Ok(acc.unwrap_or_else(|| S::from_u64(0)))
    }
}
