//! The `[[quiz]]` questions: validation of each raw question into a [`Question`] (its kind, key,
//! tolerance and options, with the numbers of numeric options read exactly), and the helpers for
//! option letters and printed digits that the quiz and its renderers share.

use super::load::Ctx;
use super::raw::RawQuestion;
use super::{Choice, Formula, Problem, Question, QuestionKind, SpecError, Text, DEFAULT_TOLERANCE};
use crate::number::Num;
use std::ops::Range;
use toml::Spanned;

pub(super) fn question(
    cx: &Ctx,
    number: usize,
    nvars: usize,
    rq: &Spanned<RawQuestion>,
    problems: &[Problem],
) -> Result<Question, SpecError> {
    let span = rq.span();
    let q = rq.get_ref();
    let at = |s: Range<usize>, m: String| cx.at(s, format!("question {number}: {m}"));
    let opts = q.options.get_ref();
    if !(2..=8).contains(&opts.len()) {
        return Err(at(q.options.span(), "give 2 to 8 options".into()));
    }
    let key = match &q.key {
        Some(k) => {
            let letter = k.get_ref().trim();
            let idx = letter_index(letter).filter(|i| *i < opts.len());
            Some(idx.ok_or_else(|| {
                at(
                    k.span(),
                    format!(
                        "key '{letter}' is not one of the options A to {}",
                        option_letter(opts.len() - 1)
                    ),
                )
            })?)
        }
        None => None,
    };
    let tolerance = match &q.tolerance {
        Some(t) => {
            let n = cx.number(t, &format!("question {number}: tolerance"))?;
            if !(n > Num::ZERO && n < Num::ONE) {
                return Err(at(
                    t.span(),
                    format!("tolerance must be in (0, 1), got {n}"),
                ));
            }
            n
        }
        None => Num::parse(DEFAULT_TOLERANCE).unwrap_or(Num::ZERO),
    };
    let kind_name = q.kind.get_ref().as_str();
    let numeric = kind_name != "concept";
    // fields that only some kinds take
    let only =
        |present: bool, field: &str, kinds: &str, s: Range<usize>| -> Result<(), SpecError> {
            if present {
                Err(at(
                    s,
                    format!("'{field}' belongs to {kinds} questions, not {kind_name}"),
                ))
            } else {
                Ok(())
            }
        };
    let kind = match kind_name {
        "concept" => {
            only(q.problem.is_some(), "problem", "computed", span.clone())?;
            only(q.formula.is_some(), "formula", "formula", span.clone())?;
            only(
                q.tolerance.is_some(),
                "tolerance",
                "computed and formula",
                span.clone(),
            )?;
            if key.is_none() {
                return Err(at(span, "a concept question needs its 'key'".into()));
            }
            QuestionKind::Concept
        }
        "computed" => {
            only(q.formula.is_some(), "formula", "formula", span.clone())?;
            let p = q.problem.as_ref().ok_or_else(|| {
                at(
                    span.clone(),
                    "a computed question names its 'problem'".into(),
                )
            })?;
            let pi = problems
                .iter()
                .position(|x| x.id == *p.get_ref())
                .ok_or_else(|| {
                    at(
                        p.span(),
                        format!("no problem '{}' in this exercise", p.get_ref()),
                    )
                })?;
            let last = problems[pi]
                .tabulated_epochs
                .max(problems[pi].worked_epochs);
            let epoch = match &q.epoch {
                None => last,
                Some(e) => match e.get_ref() {
                    toml::Value::String(s) if s == "last" => last,
                    toml::Value::Integer(k) if *k >= 1 && (*k as u64) <= last => *k as u64,
                    _ => {
                        return Err(at(
                            e.span(),
                            format!("epoch must be from 1 to {last} or \"last\""),
                        ))
                    }
                },
            };
            let mut seen = vec![false; nvars];
            let components = match &q.components {
                None => (0..nvars).collect(),
                Some(c) => c
                    .get_ref()
                    .iter()
                    .map(|k| {
                        let v = *k.get_ref();
                        if v >= 1 && (v as usize) <= nvars {
                            if std::mem::replace(&mut seen[v as usize - 1], true) {
                                return Err(at(k.span(), format!("component {v} is given twice")));
                            }
                            Ok(v as usize - 1)
                        } else {
                            Err(at(
                                k.span(),
                                format!("component {v}: expected 1 to {nvars}"),
                            ))
                        }
                    })
                    .collect::<Result<_, _>>()?,
            };
            QuestionKind::Computed {
                problem: pi,
                epoch,
                components,
                tolerance,
            }
        }
        "formula" => {
            only(q.problem.is_some(), "problem", "computed", span.clone())?;
            let f = q.formula.as_ref().ok_or_else(|| {
                at(
                    span.clone(),
                    "a formula question names its 'formula'".into(),
                )
            })?;
            let formula = Formula::ALL
                .iter()
                .find(|x| x.1 == f.get_ref())
                .map(|x| x.0)
                .ok_or_else(|| {
                    let names: Vec<&str> = Formula::ALL.iter().map(|x| x.1).collect();
                    at(
                        f.span(),
                        format!(
                            "unknown formula '{}': expected one of {}",
                            f.get_ref(),
                            names.join(", ")
                        ),
                    )
                })?;
            let given = q.inputs.as_ref().ok_or_else(|| {
                at(
                    span.clone(),
                    format!("give the 'inputs' {}", formula.inputs().join(", ")),
                )
            })?;
            for k in given.get_ref().keys() {
                if !formula.inputs().contains(&k.as_str()) {
                    return Err(at(
                        given.span(),
                        format!(
                            "{} takes inputs {}, not '{k}'",
                            formula.name(),
                            formula.inputs().join(", ")
                        ),
                    ));
                }
            }
            let inputs = formula
                .inputs()
                .iter()
                .map(|name| match given.get_ref().get(*name) {
                    Some(v) => cx.number(v, &format!("question {number}: {name}")),
                    None => Err(at(given.span(), format!("input '{name}' is missing"))),
                })
                .collect::<Result<Vec<_>, _>>()?;
            QuestionKind::Formula {
                formula,
                inputs,
                tolerance,
            }
        }
        other => {
            return Err(at(
                q.kind.span(),
                format!("unknown kind '{other}': expected concept, computed or formula"),
            ))
        }
    };
    let mut options = Vec::new();
    let mut width = None;
    for (k, o) in opts.iter().enumerate() {
        let text = cx.text(
            o,
            &format!("question {number}: option {}", option_letter(k)),
        )?;
        let mut values = Vec::new();
        if numeric {
            let Text::Plain(s) = &text else {
                return Err(at(
                    o.span(),
                    "numeric options are plain strings of numbers".into(),
                ));
            };
            for part in s.split(',') {
                let n = Num::parse(part).map_err(|e| {
                    at(
                        o.span(),
                        format!("option {}: '{}' is {e}", option_letter(k), part.trim()),
                    )
                })?;
                values.push((n, printed_digits(part)));
            }
            if *width.get_or_insert(values.len()) != values.len() {
                return Err(at(
                    o.span(),
                    "every option gives the same count of numbers".into(),
                ));
            }
        }
        options.push(Choice { text, values });
    }
    if let QuestionKind::Computed { components, .. } = &kind {
        if let Some(got) = width {
            if got != components.len() {
                return Err(at(
                    span,
                    format!(
                        "options give {got} numbers for {} components",
                        components.len()
                    ),
                ));
            }
        }
    }
    if let QuestionKind::Formula { .. } = &kind {
        if width != Some(1) {
            return Err(at(span, "formula options give one number each".into()));
        }
    }
    Ok(Question {
        number,
        text: cx.text(&q.question, &format!("question {number}"))?,
        options,
        key,
        explain: match &q.explain {
            Some(e) => Some(cx.text(e, &format!("question {number}: explain"))?),
            None => None,
        },
        kind,
    })
}

/// `A` for 0, `B` for 1, ...
pub fn option_letter(i: usize) -> char {
    char::from(b'A' + (i as u8 % 26))
}

/// 0 for `A` (or `a`), 1 for `B`, ...
pub fn letter_index(s: &str) -> Option<usize> {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(l), None) if l.is_ascii_alphabetic() => {
            Some((l.to_ascii_uppercase() as u8 - b'A') as usize)
        }
        _ => None,
    }
}

/// The significant digits of a decimal literal as printed (`-0.72` has 2, `6.45e-05` has 3, `3.00`
/// has 3).
pub fn printed_digits(text: &str) -> u32 {
    let t = text.trim().trim_start_matches(['-', '+']);
    let mant = t.split(['e', 'E']).next().unwrap_or("");
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sig = digits.trim_start_matches('0');
    if sig.is_empty() {
        1
    } else if mant.contains('.') {
        sig.len() as u32
    } else {
        // an integer's trailing zeros are not significant
        sig.trim_end_matches('0').len().max(1) as u32
    }
}
