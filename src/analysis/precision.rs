//! The precision report: the exact final point beside NumPy's float32 and float64 results, and how
//! many significant digits of each agree with the exact value.

use crate::number::Num;
use crate::trace::Run;

/// How many significant digits of a float result are correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectDigits {
    /// The float equals the exact value.
    All,
    /// This many (0 when none, or when the float is not finite).
    Count(u32),
}

/// One float result of one component.
#[derive(Debug, Clone, PartialEq)]
pub struct FloatResult {
    /// The shortest decimal that reads back as the float (what NumPy prints), exactly; `None` when
    /// the float is not finite.
    pub value: Option<Num>,
    /// Whether the float run overflowed before the exact run's last epoch (its value is then `inf`).
    pub overflowed: bool,
    /// Its correct digits.
    pub digits: CorrectDigits,
}

/// One component at the final epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct PrecisionRow {
    /// The exact value.
    pub exact: Num,
    /// NumPy float32.
    pub float32: FloatResult,
    /// NumPy float64.
    pub float64: FloatResult,
}

/// The report, one row per component.
#[derive(Debug, Clone, PartialEq)]
pub struct Precision {
    /// One per component.
    pub rows: Vec<PrecisionRow>,
}

/// The shortest decimal that reads back as `x`, as an exact number.
pub fn float_num<T: std::fmt::LowerExp>(x: T) -> Option<Num> {
    Num::parse(&format!("{x:e}")).ok()
}

/// Significant digits of `x` that agree with `exact`: the floor of `-log10` of the relative
/// difference (absolute when `exact` is 0).
pub fn correct_digits(x: &Num, exact: &Num) -> CorrectDigits {
    if x == exact {
        return CorrectDigits::All;
    }
    let rel = match x
        .sub(exact)
        .and_then(|d| if exact.is_zero() { Ok(d) } else { d.div(exact) })
    {
        Ok(r) => r.abs().to_f64(),
        Err(_) => return CorrectDigits::Count(0),
    };
    let d = (-rel.log10()).floor();
    if d.is_finite() && d > 0.0 {
        CorrectDigits::Count(d as u32)
    } else {
        CorrectDigits::Count(0)
    }
}

fn judge(x: Option<Num>, exact: &Num, overflowed: bool) -> FloatResult {
    match x.filter(|_| !overflowed) {
        Some(v) => FloatResult {
            digits: correct_digits(&v, exact),
            value: Some(v),
            overflowed,
        },
        None => FloatResult {
            value: None,
            digits: CorrectDigits::Count(0),
            overflowed,
        },
    }
}

/// The report of a run at its final epoch.
pub fn report(run: &Run) -> Precision {
    let exact = run.trace.last_point();
    // the float runs stop where they overflow: shorter than the exact run means overflowed
    let points = run.trace.epochs.len() + 1;
    let (over32, over64) = (run.f32.len() < points, run.f64.len() < points);
    let last32 = run.f32.last().cloned().unwrap_or_default();
    let last64 = run.f64.last().cloned().unwrap_or_default();
    let rows = exact
        .iter()
        .enumerate()
        .map(|(i, e)| PrecisionRow {
            exact: *e,
            float32: judge(last32.get(i).and_then(|x| float_num(*x)), e, over32),
            float64: judge(last64.get(i).and_then(|x| float_num(*x)), e, over64),
        })
        .collect();
    Precision { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse(s).unwrap()
    }

    #[test]
    fn digits_from_the_relative_difference() {
        // relative difference 1.2e-4: three digits agree, the fourth does not
        assert_eq!(
            correct_digits(&n("1.00012"), &n("1")),
            CorrectDigits::Count(3)
        );
        assert_eq!(correct_digits(&n("2"), &n("2")), CorrectDigits::All);
        // far off: none
        assert_eq!(correct_digits(&n("-1"), &n("1")), CorrectDigits::Count(0));
        // exact zero: the absolute difference decides
        assert_eq!(
            correct_digits(&n("1e-9"), &Num::ZERO),
            CorrectDigits::Count(9)
        );
    }

    #[test]
    fn floats_read_back_as_their_shortest_decimal() {
        assert_eq!(float_num(0.1f32), Some(n("0.1")));
        assert_eq!(float_num(f64::NAN), None);
        assert_eq!(float_num(f32::INFINITY), None);
    }
}
