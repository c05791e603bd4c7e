//! Polynomial objectives: parsing, symbolic partial derivatives, evaluation and rendering.
//!
//! An objective is a polynomial in the variables `w1 .. wn` with exact decimal coefficients. The parser
//! takes numbers, the variables, `+ - * /` (division by a number only), `^` or `**` with a non-negative
//! integer power, and parentheses, and expands everything into a sum of monomials, so Rosenbrock
//! `(1 - w1)^2 + 100*(w2 - w1^2)^2` is as welcome as the course's `0.1*w1^2 + 2*w2^2`. Implicit
//! multiplication (`2w1`) is refused with a hint. Errors carry the 1-based column of the offending text.
//!
//! This file holds [`Poly`] and its algebra; the lexer is in `lex`, the parser in `parse`, derivatives
//! and the quadratic minimizer in `calculus`, compiled evaluation in `eval` and the text, LaTeX and
//! Python renderings in `text`.

mod calculus;
mod eval;
mod lex;
mod parse;
mod text;

pub use eval::Compiled;
pub use parse::ExprError;
pub use parse::MAX_NESTING;
pub use text::{latex_num, python_num};

use crate::number::{ArithError, Num};
use std::collections::BTreeMap;

/// Largest power accepted in an expression, and largest total degree after expansion.
pub const MAX_DEGREE: u32 = 64;

/// The most terms a polynomial may have once expanded: past it, parsing stops with an error before
/// the expansion can take time or memory (`(w1 + ... + w8)^64` would have about 10^9).
pub const MAX_TERMS: usize = 10_000;

/// A polynomial: exponent vectors (one entry per variable) mapped to non-zero coefficients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poly {
    nvars: usize,
    terms: BTreeMap<Vec<u32>, Num>,
}

impl Poly {
    /// The constant polynomial `c`.
    pub fn constant(nvars: usize, c: Num) -> Poly {
        let mut terms = BTreeMap::new();
        if !c.is_zero() {
            terms.insert(vec![0; nvars], c);
        }
        Poly { nvars, terms }
    }

    /// The variable `w{k+1}`.
    pub fn var(nvars: usize, k: usize) -> Poly {
        let mut e = vec![0; nvars];
        e[k] = 1;
        let mut terms = BTreeMap::new();
        terms.insert(e, Num::ONE);
        Poly { nvars, terms }
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// Total degree (0 for constants and for the zero polynomial).
    pub fn degree(&self) -> u32 {
        self.terms.keys().map(|e| e.iter().sum()).max().unwrap_or(0)
    }

    fn as_constant(&self) -> Option<Num> {
        match self.terms.len() {
            0 => Some(Num::ZERO),
            1 => self
                .terms
                .iter()
                .next()
                .filter(|(e, _)| e.iter().all(|&k| k == 0))
                .map(|(_, c)| *c),
            _ => None,
        }
    }

    fn insert_add(
        terms: &mut BTreeMap<Vec<u32>, Num>,
        e: Vec<u32>,
        c: Num,
    ) -> Result<(), ArithError> {
        let sum = match terms.get(&e) {
            Some(old) => old.add(&c)?,
            None => c,
        };
        if sum.is_zero() {
            terms.remove(&e);
        } else {
            terms.insert(e, sum);
        }
        Ok(())
    }

    /// The sum, in place: adding a term to a long sum costs the term, not the sum.
    fn add(mut self, o: &Poly) -> Result<Poly, ArithError> {
        for (e, c) in &o.terms {
            Self::insert_add(&mut self.terms, e.clone(), *c)?;
        }
        if self.terms.len() > MAX_TERMS {
            return Err(ArithError::TooManyTerms);
        }
        Ok(self)
    }

    fn neg(&self) -> Poly {
        Poly {
            nvars: self.nvars,
            terms: self
                .terms
                .iter()
                .map(|(e, c)| (e.clone(), c.neg()))
                .collect(),
        }
    }

    fn mul(&self, o: &Poly) -> Result<Poly, ArithError> {
        // the work is the product of the sizes: bounded before it starts
        if self.terms.len().saturating_mul(o.terms.len()) > 100 * MAX_TERMS {
            return Err(ArithError::TooManyTerms);
        }
        let mut terms = BTreeMap::new();
        for (e1, c1) in &self.terms {
            for (e2, c2) in &o.terms {
                let e: Vec<u32> = e1.iter().zip(e2).map(|(a, b)| a + b).collect();
                if e.iter().sum::<u32>() > MAX_DEGREE {
                    return Err(ArithError::DegreeTooHigh);
                }
                Self::insert_add(&mut terms, e, c1.mul(c2)?)?;
            }
        }
        if terms.len() > MAX_TERMS {
            return Err(ArithError::TooManyTerms);
        }
        Ok(Poly {
            nvars: self.nvars,
            terms,
        })
    }

    fn scale_div(&self, c: &Num) -> Result<Poly, ArithError> {
        let mut terms = BTreeMap::new();
        for (e, k) in &self.terms {
            terms.insert(e.clone(), k.div(c)?);
        }
        Ok(Poly {
            nvars: self.nvars,
            terms,
        })
    }

    fn pow(&self, k: u32) -> Result<Poly, ArithError> {
        let mut acc = Poly::constant(self.nvars, Num::ONE);
        for _ in 0..k {
            acc = acc.mul(self)?;
        }
        Ok(acc)
    }

    /// Terms in display order: higher total degree first, then w1's power, then w2's, ...
    pub fn ordered(&self) -> Vec<(&Vec<u32>, &Num)> {
        let mut v: Vec<_> = self.terms.iter().collect();
        v.sort_by(|(a, _), (b, _)| {
            let da: u32 = a.iter().sum();
            let db: u32 = b.iter().sum();
            db.cmp(&da).then_with(|| b.cmp(a))
        });
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_objective_and_gradient() {
        let p = Poly::parse("0.1*w1^2 + 2*w2^2", 2).unwrap();
        assert_eq!(p.to_text(), "0.1*w1^2 + 2*w2^2");
        assert_eq!(p.to_latex(), "0.1 w_{1}^{2} + 2 w_{2}^{2}");
        let g = p.gradient().unwrap();
        assert_eq!(g[0].to_text(), "0.2*w1");
        assert_eq!(g[1].to_latex(), "4 w_{2}");
        assert_eq!(
            g[0].to_latex_with(&["-5".into(), "-2".into()]),
            "0.2 \\cdot \\left(-5\\right)"
        );
        let v = p.eval(&[Num::from_int(-5), Num::from_int(-2)]).unwrap();
        assert_eq!(v.to_string(), "10.5");
    }

    #[test]
    fn classic_test_functions() {
        let r = Poly::parse("(1 - w1)^2 + 100*(w2 - w1^2)^2", 2).unwrap();
        assert_eq!(
            r.to_text(),
            "100*w1^4 - 200*w1^2*w2 + w1^2 + 100*w2^2 - 2*w1 + 1"
        );
        let beale = Poly::parse(
            "(1.5 - w1 + w1*w2)^2 + (2.25 - w1 + w1*w2^2)^2 + (2.625 - w1 + w1*w2^3)^2",
            2,
        )
        .unwrap();
        let at = beale
            .eval(&[Num::from_int(3), Num::parse("0.5").unwrap()])
            .unwrap();
        assert!(at.is_zero(), "Beale's minimum is at (3, 0.5), got {at}");
        let booth = Poly::parse("(w1 + 2*w2 - 7)**2 + (2*w1 + w2 - 5)^2", 2).unwrap();
        let at = booth.eval(&[Num::from_int(1), Num::from_int(3)]).unwrap();
        assert!(at.is_zero());
        assert_eq!(Poly::parse("w1^2/2", 1).unwrap().to_text(), "0.5*w1^2");
    }
}
