//! The statement sheet: what students receive. It is built from the exercise alone (the objective,
//! the start point, each problem's hyperparameters, update rule and tasks, the quiz's questions and
//! options), never from a run, so no worked value can reach it; the update rule's symbols come from
//! a record of no epoch.

use super::derivation::Ctx;
use super::quiz::ChoiceView;
use super::{fill, point_math};
use crate::expr::latex_num;
use crate::render::catalog::Catalog;
use crate::spec::{option_letter, Exercise};
use crate::trace::{self, EngineError};
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole statement.
#[derive(Debug, Serialize)]
pub struct StatementView<'a> {
    /// `vi` or `en`.
    pub lang: &'a str,
    /// The catalog's plain phrases.
    pub t: &'a BTreeMap<String, String>,
    /// User text (escaped by the template).
    pub title: String,
    /// What to do (catalog text).
    pub intro: String,
    /// The objective, LaTeX.
    pub objective_math: String,
    /// The start point, LaTeX.
    pub start_math: String,
    /// What the gradient's symbol and the superscripts mean.
    pub gradient_note: String,
    /// One per problem.
    pub problems: Vec<StatementProblem>,
    /// The quiz's questions and options, without answers.
    pub quiz: Vec<StatementQuestion>,
}

/// One problem, as asked.
#[derive(Debug, Serialize)]
pub struct StatementProblem {
    /// 1-based.
    pub number: usize,
    /// User title, or the optimizer's name (escaped by the template).
    pub heading: String,
    /// The idea of the optimizer, in its form.
    pub summary: String,
    /// Hyperparameters, LaTeX.
    pub hypers_math: Vec<String>,
    /// The update rule, one LaTeX equation per quantity.
    pub rules: Vec<String>,
    /// Where the state starts (catalog text with inline math; empty without state).
    pub initial: String,
    /// Task (a).
    pub task_a: String,
    /// Task (b).
    pub task_b: String,
    /// The functions task (b) asks for, in order (plain names, escaped by the template).
    pub functions: Vec<String>,
}

/// One question, as asked.
#[derive(Debug, Serialize)]
pub struct StatementQuestion {
    /// 1-based.
    pub number: usize,
    /// User text (escaped by the template).
    pub text: String,
    /// The options.
    pub options: Vec<ChoiceView>,
}

/// Builds the statement of `ex` in the catalog's language.
pub fn statement<'a>(ex: &Exercise, cat: &'a Catalog) -> Result<StatementView<'a>, EngineError> {
    let lang = cat.lang();
    let problems = ex
        .problems
        .iter()
        .enumerate()
        .map(|(k, p)| {
            // a record of no epoch: the hyperparameters' symbols and values, nothing computed
            let tr = trace::trace(ex, p, 0)?;
            let ctx = Ctx {
                problem: p,
                trace: &tr,
                digits: 28,
            };
            let name = cat.optimizer_name(p.optimizer.id);
            let eqs = ctx.initial_state(ex.nvars());
            let initial = if eqs.is_empty() {
                String::new()
            } else {
                let values: Vec<String> = eqs.iter().map(|e| format!("${e}$")).collect();
                fill(&cat.text("initial_state"), &[("values", values.join(", "))])
            };
            let function = p
                .notation
                .function
                .clone()
                .unwrap_or_else(|| p.optimizer.id.to_string());
            Ok(StatementProblem {
                number: k + 1,
                heading: p
                    .title
                    .as_ref()
                    .map_or_else(|| name.clone(), |t| t.get(lang).to_string()),
                summary: cat
                    .form_summary(p.optimizer.id, p.optimizer.form)
                    .unwrap_or_else(|| cat.optimizer_summary(p.optimizer.id)),
                hypers_math: tr
                    .hyperparameters
                    .iter()
                    .map(|h| format!("{} = {}", h.latex, latex_num(&h.value)))
                    .collect(),
                rules: ctx.rules(),
                initial,
                task_a: fill(&cat.text("task_a"), &[("n", p.worked_epochs.to_string())]),
                task_b: fill(
                    &cat.text("task_b"),
                    &[("n", p.tabulated_epochs.to_string())],
                ),
                functions: vec![ex.code.gradient.clone(), function, ex.code.train.clone()],
            })
        })
        .collect::<Result<Vec<_>, EngineError>>()?;
    Ok(StatementView {
        lang,
        t: cat.texts(),
        title: ex
            .title
            .as_ref()
            .map_or_else(|| cat.text("statement_title"), |t| t.get(lang).to_string()),
        intro: cat.text("statement_intro"),
        objective_math: format!("f = {}", ex.objective.to_latex()),
        start_math: format!(
            "w^{{(0)}} = {}",
            point_math(
                &ex.start
                    .iter()
                    .copied()
                    .map(crate::number::Ball::exact)
                    .collect::<Vec<_>>(),
                28
            )
        ),
        gradient_note: super::gradient_note(ex, cat),
        problems,
        quiz: ex
            .quiz
            .iter()
            .map(|q| StatementQuestion {
                number: q.number,
                text: q.text.get(lang).to_string(),
                options: q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| ChoiceView {
                        letter: option_letter(i).to_string(),
                        text: o.text.get(lang).to_string(),
                    })
                    .collect(),
            })
            .collect(),
    })
}
