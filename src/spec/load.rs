//! Loading and validation: parses the text into the raw form, then checks it and resolves it into an
//! [`Exercise`] (objective and gradient, exact start point, problems with exact, in-range
//! hyperparameters). [`Ctx`] turns byte spans into `file:line:column` errors and reads exact numbers
//! and texts; the quiz and the variant ranges are resolved by `questions` and `ranges` with it.

use super::questions::question;
use super::ranges::variant_ranges;
use super::raw::RawExercise;
use super::{
    Exercise, Notation, Problem, SpecError, Text, MAGNITUDE_BOUND_EXP, MAX_EPOCHS, MAX_PROBLEMS,
    MAX_QUESTIONS, MAX_VARS, MAX_WORK, MAX_WORKED_EPOCHS, TEXT_LANGS,
};
use crate::expr::{ExprError, Poly};
use crate::number::Num;
use crate::optim;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::Spanned;

pub(super) struct Ctx<'a> {
    file: &'a str,
    src: &'a str,
}

impl Ctx<'_> {
    fn pos(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let before = &self.src[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    pub(super) fn at(&self, span: Range<usize>, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.file.to_string(),
            position: Some(self.pos(span.start)),
            message: message.into(),
        }
    }

    fn whole(&self, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.file.to_string(),
            position: None,
            message: message.into(),
        }
    }

    /// An exact number from a TOML integer, float or string, read from its text.
    pub(super) fn number(&self, v: &Spanned<toml::Value>, what: &str) -> Result<Num, SpecError> {
        let span = v.span();
        let text = match v.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(_) | toml::Value::Float(_) => self.src[span.clone()].to_string(),
            other => {
                return Err(self.at(
                    span,
                    format!("{what}: expected a number, found {}", other.type_str()),
                ))
            }
        };
        let n = Num::parse(&text)
            .map_err(|e| self.at(span.clone(), format!("{what}: '{text}' is {e}")))?;
        if !n.is_zero() && n.abs().exponent() >= MAGNITUDE_BOUND_EXP {
            return Err(self.at(
                span,
                format!("{what}: '{text}' is past the magnitude bound 1e{MAGNITUDE_BOUND_EXP}"),
            ));
        }
        Ok(n)
    }

    pub(super) fn text(&self, t: &Spanned<Text>, what: &str) -> Result<Text, SpecError> {
        if let Text::ByLang(m) = t.get_ref() {
            if let Some(k) = m.keys().find(|k| !TEXT_LANGS.contains(&k.as_str())) {
                return Err(self.at(
                    t.span(),
                    format!(
                        "{what}: unknown language '{k}': expected {}",
                        TEXT_LANGS.join(", ")
                    ),
                ));
            }
        }
        Ok(t.get_ref().clone())
    }

    fn epochs(&self, v: &Spanned<i64>, what: &str, max: u64) -> Result<u64, SpecError> {
        let n = *v.get_ref();
        if n < 1 || n as u64 > max {
            return Err(self.at(v.span(), format!("{what} must be from 1 to {max}, got {n}")));
        }
        Ok(n as u64)
    }
}

/// Loads and validates an exercise from its text; `file` names it in messages.
pub fn load(file: &str, src: &str) -> Result<Exercise, SpecError> {
    let cx = Ctx { file, src };
    let raw: RawExercise = toml::from_str(src).map_err(|e| {
        let mut msg = e.message().trim().replace('\n', "; ");
        if msg.contains("overflowed") {
            msg.push_str(&format!(
                " (numbers must stay within the magnitude bound 1e{MAGNITUDE_BOUND_EXP})"
            ));
        }
        match e.span() {
            Some(span) => cx.at(span, msg),
            None => cx.whole(msg),
        }
    })?;

    let start_span = raw.start.span();
    let start: Vec<Num> = raw
        .start
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, v)| cx.number(v, &format!("start[{}]", i + 1)))
        .collect::<Result<_, _>>()?;
    if start.is_empty() || start.len() > MAX_VARS {
        return Err(cx.at(
            start_span,
            format!("start must list 1 to {MAX_VARS} numbers, one per variable w1, w2, ..."),
        ));
    }

    let obj_text = raw.objective.get_ref().clone();
    let objective = Poly::parse(&obj_text, start.len()).map_err(|e: ExprError| {
        // point into the string literal: its opening quote plus the expression column
        let s = raw.objective.span();
        let (line, col) = cx.pos(s.start);
        let literal = &src[s.clone()];
        let simple = !literal.contains('\\') && !literal.contains('\n');
        SpecError {
            file: file.to_string(),
            position: Some(if simple {
                (line, col + e.column)
            } else {
                (line, col)
            }),
            message: format!("objective: {}", e.message),
        }
    })?;
    let gradient = objective
        .gradient()
        .map_err(|e| cx.at(raw.objective.span(), format!("objective: gradient: {e}")))?;

    let worked_default = match &raw.worked_epochs {
        Some(v) => cx.epochs(v, "worked_epochs", MAX_WORKED_EPOCHS)?,
        None => 2,
    };
    let tab_default = match &raw.tabulated_epochs {
        Some(v) => cx.epochs(v, "tabulated_epochs", MAX_EPOCHS)?,
        None => 30,
    };

    if raw.problem.is_empty() {
        return Err(cx.whole("no [[problem]] tables: an exercise needs at least one problem"));
    }
    if raw.problem.len() > MAX_PROBLEMS {
        return Err(cx.at(
            raw.problem[MAX_PROBLEMS].span(),
            format!("more than the limit of {MAX_PROBLEMS} problems"),
        ));
    }
    if raw.quiz.len() > MAX_QUESTIONS {
        return Err(cx.at(
            raw.quiz[MAX_QUESTIONS].span(),
            format!("more than the limit of {MAX_QUESTIONS} quiz questions"),
        ));
    }
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for rp in &raw.problem {
        let rp_span = rp.span();
        let rp = rp.get_ref();
        let id = rp.id.get_ref();
        let id_ok = !id.is_empty()
            && id.len() <= 40
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !id_ok {
            return Err(cx.at(
                rp.id.span(),
                format!("problem id '{id}': use 1 to 40 of a-z, 0-9, '_' and '-'"),
            ));
        }
        if !ids.insert(id.clone()) {
            return Err(cx.at(rp.id.span(), format!("problem id '{id}' is used twice")));
        }
        let opt_id = rp.optimizer.get_ref();
        let default_form = optim::find(opt_id).ok_or_else(|| {
            cx.at(
                rp.optimizer.span(),
                format!(
                    "unknown optimizer '{opt_id}': expected one of {}",
                    optim::ids().join(", ")
                ),
            )
        })?;
        let convention = match &rp.convention {
            None => None,
            Some(c) => {
                let name = c.get_ref();
                let known = optim::CONVENTIONS.iter().copied().find(|k| k == name);
                Some(known.ok_or_else(|| {
                    cx.at(
                        c.span(),
                        format!(
                            "problem '{id}': unknown convention '{name}': expected one of {}",
                            optim::CONVENTIONS.join(", ")
                        ),
                    )
                })?)
            }
        };
        let base = match (convention, &rp.convention) {
            (Some(c), Some(span)) => optim::find_convention(opt_id, c).ok_or_else(|| {
                let with: Vec<&str> = optim::CONVENTIONS
                    .iter()
                    .copied()
                    .filter(|k| optim::find_convention(opt_id, k).is_some())
                    .collect();
                cx.at(
                    span.span(),
                    format!(
                        "problem '{id}': {c} has no {opt_id}: the conventions with {opt_id} are {}",
                        with.join(", ")
                    ),
                )
            })?,
            _ => default_form,
        };
        let optimizer = match &rp.form {
            None => base,
            Some(f) => {
                let mut choices: Vec<(&str, &str)> = base.choices.to_vec();
                for (k, v) in f.get_ref() {
                    let Some(slot) = choices.iter_mut().find(|(c, _)| c == k) else {
                        let names: Vec<&str> = base.choices.iter().map(|(c, _)| *c).collect();
                        return Err(cx.at(
                            v.span(),
                            if names.is_empty() {
                                format!("problem '{id}': {opt_id} has one form: no choice '{k}'")
                            } else {
                                format!(
                                    "problem '{id}': {opt_id} has no choice '{k}': expected {}",
                                    names.join(", ")
                                )
                            },
                        ));
                    };
                    slot.1 = v.get_ref();
                }
                optim::find_choices(opt_id, &choices).ok_or_else(|| {
                    let asked: Vec<String> =
                        choices.iter().map(|(c, v)| format!("{c} = {v}")).collect();
                    // the forms that make the choices the file set: a hint at what else to set
                    let set: Vec<(&str, &str)> = f
                        .get_ref()
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.get_ref().as_str()))
                        .collect();
                    let fits: Vec<_> = optim::forms(opt_id)
                        .filter(|i| set.iter().all(|(c, v)| i.choice(c) == Some(*v)))
                        .collect();
                    let (which, candidates) = if fits.is_empty() {
                        ("its forms are".to_string(), optim::forms(opt_id).collect())
                    } else {
                        let set: Vec<String> =
                            set.iter().map(|(c, v)| format!("{c} = {v}")).collect();
                        (format!("the forms with {} are", set.join(", ")), fits)
                    };
                    let forms: Vec<String> = candidates
                        .iter()
                        .map(|i| {
                            let c: Vec<String> = i
                                .choices
                                .iter()
                                .map(|(c, v)| format!("{c} = {v}"))
                                .collect();
                            let conv: Vec<&str> = i.conventions.iter().map(|c| c.name).collect();
                            if conv.is_empty() {
                                format!("{} ({})", i.form, c.join(", "))
                            } else {
                                format!(
                                    "{} ({}; convention {})",
                                    i.form,
                                    c.join(", "),
                                    conv.join(", ")
                                )
                            }
                        })
                        .collect();
                    cx.at(
                        f.span(),
                        format!(
                            "problem '{id}': {opt_id} has no form with {}: {which} {}",
                            asked.join(", "),
                            forms.join("; ")
                        ),
                    )
                })?
            }
        };
        let empty = BTreeMap::new();
        let (given, params_span) = match &rp.params {
            Some(p) => (p.get_ref(), p.span()),
            None => (&empty, rp_span.clone()),
        };
        for name in given.keys() {
            if optimizer.hyper(name).is_none() {
                let span = given.get(name).map_or(params_span.clone(), |v| v.span());
                let known: Vec<&str> = optimizer.hypers.iter().map(|h| h.name).collect();
                return Err(cx.at(
                    span,
                    format!(
                        "problem '{id}': {} has no parameter '{name}': expected {}",
                        optimizer.id,
                        known.join(", ")
                    ),
                ));
            }
        }
        let mut params = Vec::new();
        for h in optimizer.hypers {
            let (value, span) = match given.get(h.name) {
                Some(v) => (
                    cx.number(v, &format!("problem '{id}': {}", h.name))?,
                    v.span(),
                ),
                None => match default_of(optimizer, base, h.name, convention.unwrap_or("course")) {
                    Some(d) => (
                        Num::parse(d)
                            .map_err(|e| cx.whole(format!("default of {}: {e}", h.name)))?,
                        params_span.clone(),
                    ),
                    None => {
                        return Err(cx.at(
                            params_span,
                            format!(
                                "problem '{id}': {} needs parameter '{}'",
                                optimizer.id, h.name
                            ),
                        ))
                    }
                },
            };
            if !h.bound.admits(&value) {
                return Err(cx.at(
                    span,
                    format!(
                        "problem '{id}': {} must be {}, got {value}",
                        h.name,
                        h.bound.describe()
                    ),
                ));
            }
            params.push(value);
        }
        let worked_epochs = match &rp.worked_epochs {
            Some(v) => cx.epochs(v, "worked_epochs", MAX_WORKED_EPOCHS)?,
            None => worked_default,
        };
        let tabulated_epochs = match &rp.tabulated_epochs {
            Some(v) => cx.epochs(v, "tabulated_epochs", MAX_EPOCHS)?,
            None => tab_default,
        };
        if worked_epochs > tabulated_epochs {
            // point at whichever of the two the file set last: the problem's own, else the top's
            let span = rp
                .worked_epochs
                .as_ref()
                .or(rp.tabulated_epochs.as_ref())
                .or(raw.worked_epochs.as_ref())
                .or(raw.tabulated_epochs.as_ref())
                .map_or(rp_span.clone(), |v| v.span());
            return Err(cx.at(
                span,
                format!(
                    "problem '{id}': worked_epochs ({worked_epochs}) is more than tabulated_epochs ({tabulated_epochs}): part (a) works epochs that part (b) tabulates"
                ),
            ));
        }
        let (line, col) = cx.pos(rp_span.start);
        problems.push(Problem {
            id: id.clone(),
            origin: format!("{}:{line}:{col}", cx.file),
            title: match &rp.title {
                Some(t) => Some(cx.text(t, "title")?),
                None => None,
            },
            optimizer,
            convention,
            params,
            worked_epochs,
            tabulated_epochs,
            notation: Notation::default(),
        });
    }

    let code = super::notation::code_names(
        &cx,
        raw.code
            .as_ref()
            .and_then(|c| c.get_ref().gradient.as_ref()),
        raw.code.as_ref().and_then(|c| c.get_ref().train.as_ref()),
    )?;
    let infos: Vec<&optim::Info> = problems.iter().map(|p| p.optimizer).collect();
    let shared = super::notation::exercise_symbols(&cx, raw.notation.as_ref(), &infos)?;
    for (p, rp) in problems.iter_mut().zip(&raw.problem) {
        let rp = rp.get_ref();
        p.notation = super::notation::problem_notation(
            &cx,
            p.optimizer,
            &shared,
            &code,
            super::notation::RawProblemNotation {
                id: &p.id,
                symbols: rp.notation.as_ref(),
                numbers: rp.formulas.as_ref(),
                function: rp.function.as_ref(),
            },
        )?;
    }
    // two problems' update functions may not share a name
    let mut names = BTreeSet::new();
    for (p, rp) in problems.iter().zip(&raw.problem) {
        if let (Some(f), Some(span)) = (&p.notation.function, &rp.get_ref().function) {
            if !names.insert(f.clone()) {
                return Err(cx.at(
                    span.span(),
                    format!("problem '{}': function '{f}' is named twice", p.id),
                ));
            }
        }
    }

    let work: u64 = problems
        .iter()
        .map(|p| p.tabulated_epochs.max(p.worked_epochs) * start.len() as u64)
        .sum();
    if work > MAX_WORK {
        return Err(cx.whole(format!(
            "epochs times variables, summed over the problems, come to {work}, more than the limit of {MAX_WORK}"
        )));
    }

    let quiz = raw
        .quiz
        .iter()
        .enumerate()
        .map(|(i, q)| question(&cx, i + 1, start.len(), q, &problems))
        .collect::<Result<Vec<_>, _>>()?;

    let variants = match &raw.variants {
        Some(v) => Some(variant_ranges(&cx, v, start.len(), &problems)?),
        None => None,
    };

    let vanishing = match &raw.vanishing {
        Some(v) => Some(super::vanishing::resolve(&cx, v.get_ref())?),
        None => None,
    };

    Ok(Exercise {
        source: file.to_string(),
        title: match &raw.title {
            Some(t) => Some(cx.text(t, "title")?),
            None => None,
        },
        objective_text: obj_text,
        objective,
        gradient,
        start,
        problems,
        quiz,
        variants,
        vanishing,
        code,
    })
}

/// The default of hyperparameter `name` in `form` under `convention`: the convention's default for
/// the form, else its default for `base`, the form the convention itself uses (a library's defaults
/// stay when a file changes one of its choices: PyTorch's RMSprop with `centered = "yes"` keeps
/// alpha 0.99), else the form's own.
fn default_of(
    form: &optim::Info,
    base: &optim::Info,
    name: &str,
    convention: &str,
) -> Option<&'static str> {
    let of = |i: &optim::Info| {
        i.convention(convention)
            .and_then(|c| c.defaults.iter().find(|(h, _)| *h == name).map(|(_, d)| *d))
    };
    of(form)
        .or_else(|| of(base))
        .or_else(|| form.hyper(name).and_then(|h| h.default))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(params: &str) -> Result<Exercise, SpecError> {
        let src = format!(
            "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"p\"\noptimizer = \"adam\"\nparams = {{ {params} }}\n"
        );
        load("t.toml", &src)
    }

    #[test]
    fn numbers_are_read_from_their_text() {
        let ex = one("lr = 0.1, eps = 1e-30").unwrap();
        let p = &ex.problems[0];
        assert_eq!(p.param("lr").unwrap(), Num::parse("0.1").unwrap());
        assert_eq!(p.param("eps").unwrap().to_sci(), "1e-30");
        let ex = one("lr = \"0.1\", eps = \"1e-30\"").unwrap();
        assert_eq!(ex.problems[0].param("eps").unwrap().to_sci(), "1e-30");
        let ex = one("lr = 1").unwrap();
        assert_eq!(ex.problems[0].param("lr").unwrap(), Num::ONE);
    }

    #[test]
    fn bad_parameters_name_the_place() {
        let e = one("lr = 0.1, beta1 = 1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:6:30: problem 'p': beta1 must be in [0, 1), got 1"
        );
        let e = one("lr = -0.1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:6:17: problem 'p': lr must be > 0, got -0.1"
        );
        let e = one("lr = 0.1, mu = 2").unwrap_err();
        assert!(e.to_string().contains("adam has no parameter 'mu'"), "{e}");
        let e = one("lr = \"abc\"").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:6:17: problem 'p': lr: 'abc' is not a decimal number"
        );
    }
}
