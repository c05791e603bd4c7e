//! One problem in several forms, side by side: the same hyperparameter values run through each form of
//! the problem's optimizer (or the forms of the conventions asked for), the first epoch where each
//! form's point leaves the problem's own, and where each ends.
//!
//! A form that takes a hyperparameter the problem does not give (PyTorch's `dampening`) takes the
//! default of a convention that uses the form, then the form's own; without either it is an error.

use crate::number::Num;
use crate::optim::{self, Info};
use crate::spec::{Exercise, Problem};
use crate::trace::{self, EngineError, Trace};
use thiserror::Error;

/// Why a comparison cannot run.
#[derive(Debug, Error)]
pub enum CompareError {
    /// A convention that does not exist, or has no form of the optimizer.
    #[error("{0}")]
    Convention(String),
    /// A form needs a hyperparameter nobody gives.
    #[error("problem '{problem}': the {form} form of {optimizer} needs '{hyper}', which the problem does not give")]
    Missing {
        /// The problem.
        problem: String,
        /// The optimizer.
        optimizer: &'static str,
        /// The form.
        form: &'static str,
        /// The hyperparameter.
        hyper: &'static str,
    },
    /// The engine failed on one form.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// One form's run.
#[derive(Debug, Clone)]
pub struct FormRun {
    /// The form.
    pub info: &'static Info,
    /// The conventions (among those compared) that use it.
    pub conventions: Vec<&'static str>,
    /// Whether it is the problem's own form.
    pub own: bool,
    /// The hyperparameters the problem does not give, with the defaults this form ran with.
    pub defaults: Vec<(&'static str, Num)>,
    /// Its exact record.
    pub trace: Trace,
    /// The first epoch whose point differs from the problem's own form's, if any.
    pub differs_from: Option<u64>,
}

/// The comparison.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The problem's id.
    pub problem: String,
    /// Epochs run.
    pub epochs: u64,
    /// The problem's own form first, then the others in registry order.
    pub runs: Vec<FormRun>,
    /// Forms left out because they need a hyperparameter the problem does not give (only when every
    /// form is compared): the form and the hyperparameter.
    pub skipped: Vec<(&'static Info, &'static str)>,
}

/// The problem with the hyperparameters of `form`: the problem's values by name, else a default.
pub fn in_form(p: &Problem, form: &'static Info) -> Result<Problem, CompareError> {
    in_form_with_defaults(p, form).map(|(q, _)| q)
}

/// Hyperparameters that took a default, with the value they took.
type Defaults = Vec<(&'static str, Num)>;

/// [`in_form`], and the hyperparameters that took a default.
fn in_form_with_defaults(
    p: &Problem,
    form: &'static Info,
) -> Result<(Problem, Defaults), CompareError> {
    let mut defaults = Vec::new();
    let mut params = Vec::with_capacity(form.hypers.len());
    for h in form.hypers {
        let value = match p.param(h.name) {
            Some(v) => v,
            None => form
                .conventions
                .iter()
                .find_map(|c| form.default_of(h.name, c.name))
                .or(h.default)
                .and_then(|d| Num::parse(d).ok())
                .ok_or(CompareError::Missing {
                    problem: p.id.clone(),
                    optimizer: form.id,
                    form: form.form,
                    hyper: h.name,
                })
                .inspect(|v| defaults.push((h.name, *v)))?,
        };
        params.push(value);
    }
    Ok((
        Problem {
            optimizer: form,
            params,
            convention: None,
            ..p.clone()
        },
        defaults,
    ))
}

/// Runs problem `p` of `ex` for `epochs` epochs in its own form and in every other form of its
/// optimizer, or only in the forms of `conventions` when that is not empty.
pub fn compare(
    ex: &Exercise,
    p: &Problem,
    conventions: &[&str],
    epochs: u64,
) -> Result<Comparison, CompareError> {
    let id = p.optimizer.id;
    let mut forms: Vec<(&'static Info, Vec<&'static str>)> = vec![(
        p.optimizer,
        p.optimizer.conventions.iter().map(|c| c.name).collect(),
    )];
    let wanted: Vec<&'static str> = if conventions.is_empty() {
        optim::CONVENTIONS.to_vec()
    } else {
        let mut v = Vec::new();
        for c in conventions {
            let known = optim::CONVENTIONS
                .iter()
                .copied()
                .find(|k| k == c)
                .ok_or_else(|| {
                    CompareError::Convention(format!(
                        "unknown convention '{c}': expected one of {}",
                        optim::CONVENTIONS.join(", ")
                    ))
                })?;
            if optim::find_convention(id, known).is_none() {
                return Err(CompareError::Convention(format!("{known} has no {id}")));
            }
            v.push(known);
        }
        v
    };
    for c in &wanted {
        if let Some(f) = optim::find_convention(id, c) {
            match forms.iter_mut().find(|(i, _)| i.form == f.form) {
                Some((_, cs)) => {
                    if !cs.contains(c) {
                        cs.push(c)
                    }
                }
                None => forms.push((f, vec![c])),
            }
        }
    }
    if conventions.is_empty() {
        for f in optim::forms(id) {
            if !forms.iter().any(|(i, _)| i.form == f.form) {
                forms.push((f, Vec::new()));
            }
        }
    }
    let mut runs: Vec<FormRun> = Vec::with_capacity(forms.len());
    let mut skipped = Vec::new();
    for (k, (info, cs)) in forms.into_iter().enumerate() {
        let (problem, defaults) = if k == 0 {
            (p.clone(), Vec::new())
        } else {
            match in_form_with_defaults(p, info) {
                Ok(q) => q,
                Err(CompareError::Missing { hyper, .. }) if cs.is_empty() => {
                    skipped.push((info, hyper));
                    continue;
                }
                Err(e) => return Err(e),
            }
        };
        let trace = trace::trace(ex, &problem, epochs)?;
        let differs_from = runs.first().and_then(|own: &FormRun| {
            trace
                .epochs
                .iter()
                .zip(&own.trace.epochs)
                .find(|(a, b)| {
                    a.after
                        .iter()
                        .map(|x| x.mid())
                        .ne(b.after.iter().map(|x| x.mid()))
                })
                .map(|(a, _)| a.epoch)
        });
        runs.push(FormRun {
            info,
            conventions: cs,
            own: k == 0,
            defaults,
            trace,
            differs_from,
        });
    }
    Ok(Comparison {
        problem: p.id.clone(),
        epochs,
        runs,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;

    fn ex(optimizer: &str, params: &str) -> Exercise {
        let src = format!(
            "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\n[[problem]]\nid = \"p\"\noptimizer = \"{optimizer}\"\nparams = {{ {params} }}\n"
        );
        spec::load("c.toml", &src).unwrap()
    }

    #[test]
    fn momentum_forms_part_at_epoch_1() {
        let e = ex("momentum", "lr = 0.6, beta = 0.5");
        let c = compare(&e, &e.problems[0], &["pytorch", "d2l"], 2).unwrap();
        assert_eq!(c.runs.len(), 2);
        assert!(c.runs[0].own && c.runs[0].differs_from.is_none());
        assert_eq!(c.runs[1].info.form, "heavy-ball");
        assert_eq!(c.runs[1].conventions, vec!["pytorch", "d2l"]);
        assert_eq!(c.runs[1].differs_from, Some(1));
        // PyTorch's step 2, from the reference file
        let n = |s: &str| Num::parse(s).unwrap();
        assert_eq!(
            c.runs[1].trace.epochs[1].after,
            vec![n("-3.572"), n("-1.52")]
        );
    }

    #[test]
    fn every_form_without_a_list_and_a_missing_hyperparameter_is_an_error() {
        let e = ex("rmsprop", "lr = 0.3");
        let c = compare(&e, &e.problems[0], &[], 3).unwrap();
        let forms: Vec<&str> = c.runs.iter().map(|r| r.info.form).collect();
        assert_eq!(
            forms,
            vec![
                "eps-inside",
                "eps-outside",
                "centered",
                "momentum",
                "centered-momentum"
            ]
        );
        assert!(c.runs[1..].iter().all(|r| r.differs_from == Some(1)));
        // the dampened form needs a dampening the course's momentum does not have: left out
        let e = ex("momentum", "lr = 0.6, beta = 0.5");
        let c = compare(&e, &e.problems[0], &[], 3).unwrap();
        assert_eq!(c.runs.len(), 2);
        assert_eq!(c.skipped.len(), 1);
        assert_eq!(
            (c.skipped[0].0.form, c.skipped[0].1),
            ("dampened", "dampening")
        );
        let err = compare(&e, &e.problems[0], &["tensorflow"], 3).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("unknown convention 'tensorflow'"));
    }
}
