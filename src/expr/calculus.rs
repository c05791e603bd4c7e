//! Symbolic partial derivatives and the gradient of a [`Poly`], and the exact minimizer of a
//! strictly convex quadratic.

use super::Poly;
use crate::number::{ArithError, Num};
use std::collections::BTreeMap;

impl Poly {
    /// The partial derivative with respect to `w{k+1}`, with exact coefficients.
    pub fn derivative(&self, k: usize) -> Result<Poly, ArithError> {
        let mut terms = BTreeMap::new();
        for (e, c) in &self.terms {
            if e[k] == 0 {
                continue;
            }
            let mut e2 = e.clone();
            e2[k] -= 1;
            Self::insert_add(&mut terms, e2, c.mul(&Num::from_int(i64::from(e[k])))?)?;
        }
        Ok(Poly {
            nvars: self.nvars,
            terms,
        })
    }

    /// The gradient: one partial derivative per variable.
    pub fn gradient(&self) -> Result<Vec<Poly>, ArithError> {
        (0..self.nvars).map(|k| self.derivative(k)).collect()
    }

    /// The coefficient of a monomial (zero when absent).
    fn coefficient(&self, e: &[u32]) -> Num {
        self.terms.get(e).copied().unwrap_or(Num::ZERO)
    }

    /// The minimizer of a strictly convex quadratic (degree at most 2, positive definite Hessian),
    /// solving `H w = -b` by elimination in exact arithmetic; `None` for any other polynomial.
    pub fn quadratic_minimizer(&self) -> Option<Vec<Num>> {
        if self.degree() > 2 || self.terms.is_empty() {
            return None;
        }
        let n = self.nvars;
        let grad = self.gradient().ok()?;
        // gradient_i = sum_j H[i][j] w_j + b_i
        let unit = |j: usize| -> Vec<u32> { (0..n).map(|k| u32::from(k == j)).collect() };
        let mut a: Vec<Vec<Num>> = grad
            .iter()
            .map(|g| {
                let mut row: Vec<Num> = (0..n).map(|j| g.coefficient(&unit(j))).collect();
                row.push(g.coefficient(&vec![0; n]).neg());
                row
            })
            .collect();
        // symmetric elimination without pivoting: every pivot positive iff H is positive definite
        for k in 0..n {
            let pivot = a[k][k];
            if pivot <= Num::ZERO {
                return None;
            }
            let pivot_row = a[k].clone();
            for row in a.iter_mut().skip(k + 1) {
                let f = row[k].div(&pivot).ok()?;
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(k) {
                    *x = x.sub(&f.mul(p).ok()?).ok()?;
                }
            }
        }
        let mut w = vec![Num::ZERO; n];
        for k in (0..n).rev() {
            let mut acc = a[k][n];
            for (h, x) in a[k][k + 1..n].iter().zip(&w[k + 1..]) {
                acc = acc.sub(&h.mul(x).ok()?).ok()?;
            }
            w[k] = acc.div(&a[k][k]).ok()?;
        }
        Some(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimizers_of_convex_quadratics() {
        let n = |s: &str| Num::parse(s).unwrap();
        let p = Poly::parse("0.1*w1^2 + 2*w2^2", 2).unwrap();
        assert_eq!(p.quadratic_minimizer(), Some(vec![Num::ZERO, Num::ZERO]));
        // (w1 - 1)^2 + 2 (w2 + 3)^2 + w1 w2: H = [[2, 1], [1, 4]], b = [-2 , 12]
        let p = Poly::parse("(w1 - 1)^2 + 2*(w2 + 3)^2 + w1*w2", 2).unwrap();
        let w = p.quadratic_minimizer().unwrap();
        assert_eq!(
            w,
            vec![
                n("20").div(&n("7")).unwrap(),
                n("-26").div(&n("7")).unwrap()
            ]
        );
        assert_eq!(
            Poly::parse("w1^2 - w2^2", 2).unwrap().quadratic_minimizer(),
            None
        );
        assert_eq!(
            Poly::parse("(1 - w1)^2 + 100*(w2 - w1^2)^2", 2)
                .unwrap()
                .quadratic_minimizer(),
            None
        );
    }
}
