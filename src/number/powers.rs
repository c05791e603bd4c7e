//! Powers of a constant raised to the epoch number (`beta^t` in a bias correction), for the exact
//! types.
//!
//! `base^n` is defined as the product of `n` factors `base`, rounded to 28 digits after each (exact
//! while the powers fit in 28 digits), with its error bound carried as a [`Ball`]. The relative error
//! of `n` rounded products is at most `(n - 1)` half units in the 28th digit, the same order as square
//! and multiply (whose squares carry the error of every factor before them). Each thread keeps the
//! last few powers of the last few bases, so an engine asking for `beta^t` at epoch `t` after
//! `beta^(t-1)` pays one product, where square and multiply paid about `2 log2 t`; the values do not
//! depend on what was asked before (a cold call computes the same products from `base^0`).

use super::{ArithError, Ball, Num};
use std::cell::RefCell;

/// Powers up to this exponent are computed as products of rounded factors; larger ones (no engine
/// runs that many epochs: the work limit is 12,800,000) by square and multiply.
pub(super) const SEQUENTIAL: u64 = 1 << 24;

/// How many bases each thread remembers, and how many of the latest powers of each.
const BASES: usize = 4;
const KEEP: usize = 4;

#[derive(Clone)]
struct Entry {
    base: Num,
    /// `(n, base^n)`, the latest last, `n` consecutive.
    latest: Vec<(u64, Ball)>,
}

thread_local! {
    static CACHE: RefCell<(Vec<Entry>, usize)> = const { RefCell::new((Vec::new(), 0)) };
}

/// `base^n` as the product of `n` rounded factors, with its error bound.
pub(super) fn power(base: &Num, n: u64) -> Result<Ball, ArithError> {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let (entries, next) = &mut *c;
        let slot = match entries.iter().position(|e| e.base == *base) {
            Some(i) => i,
            None => {
                let e = Entry {
                    base: *base,
                    latest: vec![(0, Ball::exact(Num::ONE))],
                };
                if entries.len() < BASES {
                    entries.push(e);
                    entries.len() - 1
                } else {
                    let i = *next;
                    *next = (*next + 1) % BASES;
                    entries[i] = e;
                    i
                }
            }
        };
        let e = &mut entries[slot];
        if let Some((_, v)) = e.latest.iter().find(|(k, _)| *k == n) {
            return Ok(*v);
        }
        let (mut k, mut v) = *e.latest.last().unwrap_or(&(0, Ball::exact(Num::ONE)));
        if k > n {
            (k, v) = (0, Ball::exact(Num::ONE));
            e.latest.clear();
        }
        let b = Ball::exact(*base);
        while k < n {
            v = v.mul(&b)?;
            k += 1;
            if n - k < KEEP as u64 {
                if e.latest.len() == KEEP {
                    e.latest.remove(0);
                }
                e.latest.push((k, v));
            }
        }
        Ok(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::tests::n;

    #[test]
    fn powers_hold_the_true_value_and_do_not_depend_on_the_order_of_calls() {
        // 0.999^t is exact while it fits in 28 digits (t <= 9), then a ball around the true power;
        // the true 0.999^10 has 30 digits
        let exact = power(&n("0.999"), 9).unwrap();
        assert!(exact.is_exact());
        assert_eq!(*exact.mid(), n("0.991035916125874083964008999"));
        let p10 = power(&n("0.999"), 10).unwrap();
        assert!(!p10.is_exact());
        assert!(covers(&p10, "0.9900448802097482098800449900|01"));
        // warm and cold calls agree, whatever came before
        let warm: Vec<Ball> = (0..40).map(|t| power(&n("0.9"), t).unwrap()).collect();
        let _ = power(&n("0.9"), 1000).unwrap();
        for (t, w) in warm.iter().enumerate().rev() {
            assert_eq!(power(&n("0.9"), t as u64).unwrap(), *w);
        }
        // the bound covers the true 0.9^1000 (from Python's decimal at 80 digits; parsing rounds it
        // to 28, hence the half unit added to the radius)
        let p = power(&n("0.9"), 1000).unwrap();
        assert!(!p.is_exact());
        assert!(covers(
            &p,
            "1.747871251722651609659974619|16466057052906e-46"
        ));
        assert!(p.rad() < crate::number::Mag::pow10(-46 - 24));
    }

    /// Whether `b` holds a true value given by its first 28 digits, a bar, and more digits: the
    /// 28 digits lie within one unit of the last of them from the truth, so `b` widened by that unit
    /// must hold them.
    fn covers(b: &Ball, truth: &str) -> bool {
        let head = truth.split('|').collect::<Vec<_>>();
        let exp = head[1].split_once('e').map_or("", |(_, e)| e);
        let lo = n(&format!(
            "{}e{}",
            head[0],
            if exp.is_empty() { "0" } else { exp }
        ));
        let unit = crate::number::Mag::half_ulp(&lo).add(&crate::number::Mag::half_ulp(&lo));
        Ball::new(*b.mid(), b.rad().add(&unit)).contains(&lo)
    }
}
