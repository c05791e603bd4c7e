//! Quiz keys: the answer of every question, with its evidence.
//!
//! A computed question's options are compared with the exact value component by component, on a
//! relative measure. The verdict says whether the chosen option equals the exact value rounded to the
//! digits it prints, equals the float32 or float64 result that way (the course computed its options
//! with NumPy float32), or is only the nearest within a tolerance; it reports ambiguity when two options
//! are nearly as close, and, when no option is close but one would be with a sign flipped or a power of
//! ten shifted, a likely defect in the options instead of a silent choice. A concept question's answer
//! is the exercise's own key.

pub mod keyfile;

use crate::compare;
use crate::number::{Ball, Num};
use crate::optim::{self, ops};
use crate::spec::{option_letter, Exercise, Formula, Question, QuestionKind};
use crate::trace;
use crate::trace::Run;
use serde::Serialize;

/// What the key says of one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// One option equals the exact value rounded to its printed digits.
    Exact,
    /// One option equals the float32 (or float64) result rounded to its printed digits, not the
    /// exact value.
    Float,
    /// One option is the nearest, within the tolerance.
    Close,
    /// Two or more options are (nearly) equally good.
    Ambiguous,
    /// No option is close, but one would be after an obvious slip: the options are likely wrong.
    Defective,
    /// No option is within the tolerance.
    NoMatch,
    /// One option is the value of the same problem in another form of its optimizer (or NumPy's
    /// float result of it), exact at its printed digits: the options were computed in that form.
    OtherForm,
    /// A concept question: the exercise's key is the answer.
    Concept,
    /// The problem's run stopped (it diverged, or its error bounds could no longer be settled)
    /// before the epoch asked about: there is no value to compare the options with.
    Stopped,
}

impl Status {
    /// The kebab-case name.
    pub fn key(&self) -> &'static str {
        match self {
            Status::Exact => "exact",
            Status::Float => "float",
            Status::Close => "close",
            Status::Ambiguous => "ambiguous",
            Status::Defective => "defective",
            Status::NoMatch => "no-match",
            Status::OtherForm => "other-form",
            Status::Concept => "concept",
            Status::Stopped => "stopped",
        }
    }

    /// Whether the question has one right option.
    pub fn answered(&self) -> bool {
        matches!(
            self,
            Status::Exact | Status::Float | Status::Close | Status::Concept | Status::OtherForm
        )
    }
}

/// How one option compares.
#[derive(Debug, Clone, Serialize)]
pub struct OptionCheck {
    /// A, B, ...
    pub letter: char,
    /// The largest relative difference from the exact value over the components.
    pub max_rel: f64,
    /// Equal to the exact value rounded to the option's digits.
    pub exact_at_digits: bool,
    /// Equal to the float32 result rounded to the option's digits.
    pub float32_at_digits: bool,
    /// Equal to the float64 result rounded to the option's digits.
    pub float64_at_digits: bool,
    /// A known slip this option matches (another convention), if any.
    pub matches: Option<Slip>,
}

/// A known slip a formula question's option may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Slip {
    /// The moving average without the factor `1 - beta` (the heavy-ball form).
    HeavyBall,
    /// The value before bias correction.
    Uncorrected,
}

/// An obvious slip that would make an option right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Fix {
    /// The sign of these components (1-based) flipped.
    Sign {
        /// Components, 1-based.
        components: Vec<usize>,
    },
    /// One component (1-based) multiplied by 10^power.
    Shift {
        /// Component, 1-based.
        component: usize,
        /// The power of ten.
        power: i32,
    },
}

/// The form of the optimizer in which an option is exact.
#[derive(Debug, Clone, Serialize)]
pub struct FormMatch {
    /// The optimizer's id.
    pub optimizer: &'static str,
    /// The form's name.
    pub form: &'static str,
    /// The conventions that use the form.
    pub conventions: Vec<&'static str>,
    /// `exact`, or `float32` / `float64` for NumPy's result in that form.
    pub engine: &'static str,
    /// The values in that form (exact ones with their error bounds).
    pub values: Vec<Ball>,
}

/// The key of one question.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// 1-based question number.
    pub number: usize,
    /// `concept`, `computed` or `formula`.
    pub kind: &'static str,
    /// The answer, when there is one.
    pub answer: Option<char>,
    /// The verdict.
    pub status: Status,
    /// Names of the values (`w1`, `w2`, or `m_t`).
    pub names: Vec<String>,
    /// The exact values asked for, with their error bounds.
    pub exact: Vec<Ball>,
    /// The float32 results (shortest decimals), for computed questions.
    pub float32: Vec<Num>,
    /// The float64 results, for computed questions.
    pub float64: Vec<Num>,
    /// The relative tolerance.
    pub tolerance: Option<Num>,
    /// Every option.
    pub options: Vec<OptionCheck>,
    /// For ambiguous questions: the options that are equally good.
    pub candidates: Vec<char>,
    /// For defective questions: the option and the slip.
    pub fix: Option<(char, Fix)>,
    /// The exercise's own key, when given.
    pub exercise_key: Option<char>,
    /// For `other-form`: the form in which the answer is exact.
    pub other_form: Option<FormMatch>,
    /// For `stopped`: the epoch in which the run stopped, and whether it stopped because its error
    /// bounds could no longer be settled (else it diverged).
    pub stopped: Option<(u64, bool)>,
}

fn rel(v: &Num, e: &Num) -> f64 {
    let d = match v.sub(e) {
        Ok(d) => d,
        Err(_) => return f64::INFINITY,
    };
    if e.is_zero() {
        return d.abs().to_f64();
    }
    d.div(e).map_or(f64::INFINITY, |r| r.abs().to_f64())
}

/// Whether every option value is its target rounded to the option's digits; a target whose error
/// bound straddles a rounding boundary matches nothing.
fn at_digits(values: &[(Num, u32)], target: &[Ball]) -> bool {
    !target.is_empty()
        && values
            .iter()
            .zip(target)
            .all(|((v, d), t)| t.rounded(*d) == Some(*v))
}

fn max_rel(values: &[(Num, u32)], target: &[Ball]) -> f64 {
    values
        .iter()
        .zip(target)
        .map(|((v, _), t)| rel(v, t.mid()))
        .fold(0.0, f64::max)
}

fn exacts(values: &[Num]) -> Vec<Ball> {
    values.iter().copied().map(Ball::exact).collect()
}

fn shortest<T: std::fmt::LowerExp>(x: T) -> Num {
    Num::parse(&format!("{x:e}")).unwrap_or(Num::ZERO)
}

/// Point `k` of a float run, each value as the shortest decimal that reads back to it, exactly.
fn shortest_point<T: std::fmt::LowerExp + Copy>(points: &[Vec<T>], k: usize) -> Option<Vec<Ball>> {
    points
        .get(k)
        .map(|p| p.iter().map(|x| Ball::exact(shortest(*x))).collect())
}

/// The alternative values a formula question's distractors may come from.
fn alternatives(formula: Formula, inputs: &[Num]) -> Vec<(Slip, Num)> {
    let get = |i: usize| inputs.get(i).copied().unwrap_or(Num::ZERO);
    let r = match formula {
        Formula::Ema => get(0).mul(&get(1)).and_then(|a| a.add(&get(2))),
        Formula::EmaSquared => get(0)
            .mul(&get(1))
            .and_then(|a| a.add(&get(2).mul(&get(2))?)),
        Formula::BiasCorrection => Ok(get(1)),
    };
    let name = match formula {
        Formula::BiasCorrection => Slip::Uncorrected,
        _ => Slip::HeavyBall,
    };
    r.map(|v| vec![(name, v)]).unwrap_or_default()
}

/// The exact value of a formula, computed by the optimizers' own building blocks.
pub fn formula_value(formula: Formula, inputs: &[Num]) -> Option<Num> {
    let get = |i: usize| inputs.get(i).copied().unwrap_or(Num::ZERO);
    match formula {
        Formula::Ema => ops::ema(&get(0), &get(1), &get(2)).ok(),
        Formula::EmaSquared => ops::ema_squared(&get(0), &get(1), &get(2)).ok(),
        Formula::BiasCorrection => {
            let t = get(2).to_plain().parse::<u64>().ok()?;
            ops::bias_corrected(&get(0), t, &get(1)).ok()
        }
    }
}

fn transforms(n: usize) -> Vec<Fix> {
    let mut v = Vec::new();
    for mask in 1..(1u32 << n.min(8)) {
        v.push(Fix::Sign {
            components: (0..n)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| i + 1)
                .collect(),
        });
    }
    for c in 0..n {
        for power in [-1, 1, -2, 2, -3, 3] {
            v.push(Fix::Shift {
                component: c + 1,
                power,
            });
        }
    }
    v
}

fn apply(fix: &Fix, values: &[(Num, u32)]) -> Vec<(Num, u32)> {
    values
        .iter()
        .enumerate()
        .map(|(i, (v, d))| {
            let v = match fix {
                Fix::Sign { components } if components.contains(&(i + 1)) => v.neg(),
                Fix::Shift { component, power } if *component == i + 1 => {
                    let p = Num::parse(&format!("1e{power}")).unwrap_or(Num::ONE);
                    v.mul(&p).unwrap_or(*v)
                }
                _ => *v,
            };
            (v, *d)
        })
        .collect()
}

/// The questions whose exercise key disagrees with the computed answer: (number, the exercise's key,
/// the computed answer). Concept questions take the exercise's key, so they never disagree.
pub fn disagreements(key: &[Verdict]) -> Vec<(usize, char, char)> {
    key.iter()
        .filter(|v| v.status != Status::Concept)
        .filter_map(|v| match (v.exercise_key, v.answer) {
            (Some(k), Some(a)) if k != a => Some((v.number, k, a)),
            _ => None,
        })
        .collect()
}

/// The key of every question of the exercise; `runs` are the problems' runs, in order, each at least
/// as long as the epochs its questions ask for.
pub fn key(ex: &Exercise, runs: &[Run]) -> Vec<Verdict> {
    use rayon::prelude::*;
    // a question that no option answers runs its problem in other forms: each on its own core
    ex.quiz
        .par_iter()
        .map(|q| {
            let mut v = verdict(q, runs);
            if matches!(
                v.status,
                Status::Close | Status::Defective | Status::NoMatch
            ) {
                explain_by_forms(ex, q, &mut v);
            }
            v
        })
        .collect()
}

/// Looks for the one option that is exact, at its digits, in another form of the problem's
/// optimizer (exact, float32 or float64); when there is one, it is the answer, with that form.
fn explain_by_forms(ex: &Exercise, q: &Question, v: &mut Verdict) {
    let QuestionKind::Computed {
        problem,
        epoch,
        components,
        ..
    } = &q.kind
    else {
        return;
    };
    let Some(p) = ex.problems.get(*problem) else {
        return;
    };
    use rayon::prelude::*;
    let k = *epoch as usize;
    let pick = |point: Option<Vec<Ball>>| -> Option<Vec<Ball>> {
        let point = point?;
        components.iter().map(|&c| point.get(c).copied()).collect()
    };
    // every other form, each run in every engine on its own core; matched in the forms' order
    let forms: Vec<_> = optim::forms(p.optimizer.id)
        .filter(|f| f.form != p.optimizer.form)
        .collect();
    let runs: Vec<_> = forms
        .par_iter()
        .map(|form| {
            let Ok(other) = compare::in_form(p, form) else {
                return (form, Vec::new());
            };
            // the certified run's midpoints are plain 28-digit arithmetic's points, and a value
            // rounds to an option's digits only if its midpoint does: a form whose plain points
            // match no option needs no certified run
            let plain = trace::points::<Num>(ex, &other, *epoch)
                .ok()
                .and_then(|ps| pick(ps.get(k).map(|p| exacts(p))));
            let may_match = plain
                .as_ref()
                .is_some_and(|m| q.options.iter().any(|o| at_digits(&o.values, m)));
            let exact = may_match
                .then(|| trace::trace_points(ex, &other, *epoch).ok())
                .flatten()
                .and_then(|t| pick(t.epochs.get(k - 1).map(|e| e.after.clone())));
            let f32s = trace::points::<f32>(ex, &other, *epoch)
                .ok()
                .and_then(|ps| pick(shortest_point(&ps, k)));
            let f64s = trace::points::<f64>(ex, &other, *epoch)
                .ok()
                .and_then(|ps| pick(shortest_point(&ps, k)));
            let values = [("exact", exact), ("float32", f32s), ("float64", f64s)];
            (form, values.into_iter().collect::<Vec<_>>())
        })
        .collect();
    let mut found: Vec<(usize, FormMatch)> = Vec::new();
    for (form, engines) in runs {
        for (engine, values) in engines {
            let Some(values) = values else { continue };
            for (i, o) in q.options.iter().enumerate() {
                if at_digits(&o.values, &values) && !found.iter().any(|(j, _)| *j == i) {
                    found.push((
                        i,
                        FormMatch {
                            optimizer: form.id,
                            form: form.form,
                            conventions: form.conventions.iter().map(|c| c.name).collect(),
                            engine,
                            values: values.clone(),
                        },
                    ));
                }
            }
        }
    }
    if let [(i, m)] = found.as_slice() {
        v.status = Status::OtherForm;
        v.answer = Some(option_letter(*i));
        v.other_form = Some(m.clone());
        v.candidates.clear();
        v.fix = None;
    }
}

fn verdict(q: &Question, runs: &[Run]) -> Verdict {
    let letter = |i: usize| option_letter(i);
    let exercise_key = q.key.map(letter);
    let mut v = Verdict {
        number: q.number,
        kind: match q.kind {
            QuestionKind::Concept => "concept",
            QuestionKind::Computed { .. } => "computed",
            QuestionKind::Formula { .. } => "formula",
        },
        answer: None,
        status: Status::NoMatch,
        names: Vec::new(),
        exact: Vec::new(),
        float32: Vec::new(),
        float64: Vec::new(),
        tolerance: None,
        options: Vec::new(),
        candidates: Vec::new(),
        fix: None,
        exercise_key,
        other_form: None,
        stopped: None,
    };
    let (tolerance, alts) = match &q.kind {
        QuestionKind::Concept => {
            v.status = Status::Concept;
            v.answer = exercise_key;
            return v;
        }
        QuestionKind::Computed {
            problem,
            epoch,
            components,
            tolerance,
        } => {
            let Some(run) = runs.get(*problem) else {
                return v;
            };
            let k = *epoch as usize;
            let Some(e) = run.trace.epochs.get(k - 1) else {
                if let Some(s) = &run.trace.stopped {
                    v.status = Status::Stopped;
                    v.stopped = Some((s.epoch, s.uncertain));
                }
                return v;
            };
            for &c in components {
                v.names.push(format!("w{}", c + 1));
                v.exact.push(e.after.get(c).copied().unwrap_or(Ball::ZERO));
                v.float32.push(
                    run.f32
                        .get(k)
                        .and_then(|p| p.get(c))
                        .map_or(Num::ZERO, |x| shortest(*x)),
                );
                v.float64.push(
                    run.f64
                        .get(k)
                        .and_then(|p| p.get(c))
                        .map_or(Num::ZERO, |x| shortest(*x)),
                );
            }
            (*tolerance, Vec::new())
        }
        QuestionKind::Formula {
            formula,
            inputs,
            tolerance,
        } => {
            v.names.push("m".into());
            let Some(val) = formula_value(*formula, inputs) else {
                return v;
            };
            v.exact.push(Ball::exact(val));
            (*tolerance, alternatives(*formula, inputs))
        }
    };
    v.tolerance = Some(tolerance);
    let tol = tolerance.to_f64();
    v.options = q
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| OptionCheck {
            letter: letter(i),
            max_rel: max_rel(&o.values, &v.exact),
            exact_at_digits: at_digits(&o.values, &v.exact),
            float32_at_digits: at_digits(&o.values, &exacts(&v.float32)),
            float64_at_digits: at_digits(&o.values, &exacts(&v.float64)),
            matches: alts
                .iter()
                .find(|(_, a)| at_digits(&o.values, &[Ball::exact(*a)]))
                .map(|(n, _)| *n),
        })
        .collect();
    let pick = |f: &dyn Fn(&OptionCheck) -> bool| -> Vec<usize> {
        (0..v.options.len()).filter(|&i| f(&v.options[i])).collect()
    };
    let exact = pick(&|o| o.exact_at_digits);
    let float = pick(&|o| o.float32_at_digits || o.float64_at_digits);
    let mut order: Vec<usize> = (0..v.options.len()).collect();
    order.sort_by(|&a, &b| v.options[a].max_rel.total_cmp(&v.options[b].max_rel));
    if exact.len() == 1 {
        v.status = Status::Exact;
        v.answer = Some(letter(exact[0]));
    } else if exact.len() > 1 {
        v.status = Status::Ambiguous;
        v.candidates = exact.iter().map(|&i| letter(i)).collect();
    } else if float.len() == 1 {
        v.status = Status::Float;
        v.answer = Some(letter(float[0]));
    } else if let Some(&best) = order.first().filter(|&&b| v.options[b].max_rel <= tol) {
        let b = v.options[best].max_rel;
        let second = order.get(1).map(|&s| (s, v.options[s].max_rel));
        match second {
            Some((s, r)) if r <= tol && r <= 2.0 * b => {
                v.status = Status::Ambiguous;
                v.candidates = vec![letter(best), letter(s)];
            }
            _ => {
                v.status = Status::Close;
                v.answer = Some(letter(best));
            }
        }
    } else {
        let found = transforms(v.exact.len()).into_iter().find_map(|fix| {
            q.options.iter().enumerate().find_map(|(i, o)| {
                let t = apply(&fix, &o.values);
                (at_digits(&t, &v.exact) || max_rel(&t, &v.exact) <= tol)
                    .then(|| (letter(i), fix.clone()))
            })
        });
        match found {
            Some(f) => {
                v.status = Status::Defective;
                v.fix = Some(f);
            }
            None => v.status = Status::NoMatch,
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_digits_decide_exactness() {
        let n = |s: &str| Num::parse(s).unwrap();
        let b = |s: &str| Ball::exact(n(s));
        assert!(at_digits(&[(n("-0.72"), 2)], &[b("-0.72")]));
        assert!(at_digits(&[(n("6.45e-5"), 3)], &[b("0.0000645162932506")]));
        assert!(!at_digits(&[(n("-4.6002546"), 8)], &[b("-4.600254779434")]));
        // a value whose bound straddles the rounding boundary matches no option
        let straddle = Ball::new(n("-0.7250000001"), crate::number::Mag::pow10(-9));
        assert!(!at_digits(&[(n("-0.73"), 2)], &[straddle]));
        assert!(!at_digits(&[(n("-0.72"), 2)], &[straddle]));
        assert!((rel(&n("1.1"), &n("1")) - 0.1).abs() < 1e-15);
    }

    #[test]
    fn formulas() {
        let n = |s: &str| Num::parse(s).unwrap();
        let ema = formula_value(Formula::Ema, &[n("0.9"), n("1"), n("2")]).unwrap();
        assert_eq!(ema, n("1.1"));
        assert_eq!(
            alternatives(Formula::Ema, &[n("0.9"), n("1"), n("2")])[0].1,
            n("2.9")
        );
        let bc = formula_value(Formula::BiasCorrection, &[n("0.9"), n("0.1"), n("1")]).unwrap();
        assert_eq!(bc, n("1"));
    }
}
