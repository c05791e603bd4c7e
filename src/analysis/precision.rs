//! The precision report: the exact final point beside NumPy's float32 and float64 results, and how
//! many significant digits of each agree with the exact value.

use crate::number::{Ball, Mag, Num};
use crate::trace::Run;

/// How many significant digits of a float result are correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectDigits {
    /// The float equals the exact value.
    All,
    /// This many (0 when none, or when the float is not finite).
    Count(u32),
    /// The exact value's error bound is too wide to tell: the reference has fewer certain digits
    /// than the float being judged.
    Undetermined,
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
    /// The exact value, with its error bound.
    pub exact: Ball,
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

/// Significant digits of `x` that agree with the certified value `exact`: the floor of `-log10` of the
/// relative difference (absolute when the value is 0), when every point of the ball gives the same
/// count; [`CorrectDigits::Undetermined`] when they do not.
pub fn correct_digits(x: &Num, exact: &Ball) -> CorrectDigits {
    let m = exact.mid();
    if exact.is_exact() {
        return correct_digits_exact(x, m);
    }
    // the relative difference lies between (|x-m| - r) / (|m| + r) and (|x-m| + r) / (|m| - r)
    let r = exact.rad();
    let Ok(diff) = x.sub(m) else {
        return CorrectDigits::Count(0);
    };
    let (d_lo, d_hi) = (Mag::from_num_down(&diff), Mag::from_num_up(&diff));
    let (m_lo, m_hi) = (Mag::from_num_down(m), Mag::from_num_up(m));
    if d_lo <= r || (!m.is_zero() && m_lo <= r) {
        return CorrectDigits::Undetermined;
    }
    let digits = |rel: f64| {
        let d = (-rel.log10()).floor();
        if d.is_finite() && d > 0.0 {
            d as u32
        } else {
            0
        }
    };
    let (lo, hi) = if m.is_zero() {
        (d_lo.to_f64() - r.to_f64(), d_hi.to_f64() + r.to_f64())
    } else {
        (
            (d_lo.to_f64() - r.to_f64()) / (m_hi.to_f64() + r.to_f64()),
            (d_hi.to_f64() + r.to_f64()) / (m_lo.to_f64() - r.to_f64()),
        )
    };
    let (most, least) = (digits(lo), digits(hi));
    if most == least {
        CorrectDigits::Count(least)
    } else {
        CorrectDigits::Undetermined
    }
}

/// [`correct_digits`] against a value known exactly.
fn correct_digits_exact(x: &Num, exact: &Num) -> CorrectDigits {
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

fn judge(x: Option<Num>, exact: &Ball, overflowed: bool) -> FloatResult {
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
        let b = |s: &str| Ball::exact(n(s));
        assert_eq!(
            correct_digits(&n("1.00012"), &b("1")),
            CorrectDigits::Count(3)
        );
        assert_eq!(correct_digits(&n("2"), &b("2")), CorrectDigits::All);
        // far off: none
        assert_eq!(correct_digits(&n("-1"), &b("1")), CorrectDigits::Count(0));
        // exact zero: the absolute difference decides
        assert_eq!(
            correct_digits(&n("1e-9"), &Ball::ZERO),
            CorrectDigits::Count(9)
        );
    }

    #[test]
    fn a_wide_reference_cannot_judge_a_close_float() {
        let wide = Ball::new(n("1"), Mag::pow10(-10));
        // the float is closer to the midpoint than the radius: nothing can be said
        assert_eq!(
            correct_digits(&n("1.00000000001"), &wide),
            CorrectDigits::Undetermined
        );
        // far enough away: the count is the same for every point of the ball
        assert_eq!(
            correct_digits(&n("1.00012"), &wide),
            CorrectDigits::Count(3)
        );
    }

    #[test]
    fn floats_read_back_as_their_shortest_decimal() {
        assert_eq!(float_num(0.1f32), Some(n("0.1")));
        assert_eq!(float_num(f64::NAN), None);
        assert_eq!(float_num(f32::INFINITY), None);
    }
}
