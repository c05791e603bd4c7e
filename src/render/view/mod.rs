//! View structs: what the templates see. Built from a resolved exercise, its traces and a language
//! catalog; every number is already formatted here (rounded, with `=` or `≈`), so templates only place
//! text. Strings named `*_math` or in `lines` are LaTeX math; `title` and `heading` are user text that
//! the template escapes; everything else is catalog text or numbers.

mod derivation;
pub mod figure;
mod precision;
mod quiz;
mod reading;
pub mod statement;
pub mod vanishing;
pub(crate) mod width;

pub use derivation::{EpochView, StepView};
pub use figure::{FigureView, FiguresView};
pub use precision::PrecisionView;
pub use quiz::{ChoiceView, QuestionView};

use derivation::Ctx;

use super::catalog::Catalog;
use super::fill;
use crate::expr::latex_num;
use crate::number::{Ball, Certified, Num};
use crate::solution::Solution;
use crate::spec::Exercise;
use serde::Serialize;
use std::collections::BTreeMap;

/// A whole answer sheet.
#[derive(Debug, Serialize)]
pub struct Sheet<'a> {
    /// `vi` or `en`.
    pub lang: &'a str,
    /// The catalog's plain phrases.
    pub t: &'a BTreeMap<String, String>,
    /// User text (escaped by the template).
    pub title: String,
    /// The introduction (catalog text, filled in).
    pub intro: String,
    /// The objective, LaTeX.
    pub objective_math: String,
    /// The start point, LaTeX.
    pub start_math: String,
    /// What the gradient's symbol and the superscripts mean (catalog text with inline math).
    pub gradient_note: String,
    /// Significant digits shown.
    pub digits: u32,
    /// One per problem.
    pub problems: Vec<ProblemView>,
    /// One table per optimizer that problems run in different forms.
    pub comparisons: Vec<ComparisonView>,
    /// The quiz with its key (empty when the exercise has none).
    pub quiz: Vec<QuestionView>,
    /// The figures of every problem together (set by the renderer once drawn).
    pub figures: Option<FiguresView>,
    /// Exercise 5, the vanishing-gradient experiment (set by the renderer when the sheet has it).
    pub vanishing: Option<vanishing::VanishingView>,
}

/// Problems that run one optimizer in different forms, side by side.
#[derive(Debug, Serialize)]
pub struct ComparisonView {
    /// Title.
    pub title: String,
    /// One sentence.
    pub intro: String,
    /// Column names, plain text.
    pub header: Vec<String>,
    /// One row per problem: id, form, hyperparameters, first epoch that differs, final point.
    pub rows: Vec<Vec<String>>,
}

/// One problem.
#[derive(Debug, Serialize)]
pub struct ProblemView {
    /// 1-based.
    pub number: usize,
    /// Problem id.
    pub id: String,
    /// User title, or the optimizer's name from the catalog (escaped by the template).
    pub heading: String,
    /// The optimizer's name from the catalog.
    pub optimizer_name: String,
    /// One sentence on the idea of the optimizer, in its form.
    pub summary: String,
    /// The `torch.optim` call that reproduces the numbers, for a form other than the course's
    /// (empty otherwise, and when PyTorch has none).
    pub torch: String,
    /// Hyperparameters, LaTeX (`\alpha = 0.4`).
    pub hypers_math: Vec<String>,
    /// The update rule, one LaTeX equation per quantity, for component i at epoch t.
    pub rules: Vec<String>,
    /// Part (a) heading.
    pub part_a: String,
    /// Where the state starts, before epoch 1 (catalog text with inline math; empty without state).
    pub initial: String,
    /// The worked epochs.
    pub worked: Vec<EpochView>,
    /// Part (b) heading.
    pub part_b: String,
    /// The trajectory table.
    pub table: TableView,
    /// "Final point after n epochs".
    pub final_heading: String,
    /// The final point, LaTeX.
    pub final_math: String,
    /// Sentences reading the result (catalog text with inline math).
    pub reading: Vec<String>,
    /// The final point beside its float32 and float64 values.
    pub precision: PrecisionView,
    /// "NumPy code (float32), as a file".
    pub code_title: String,
    /// The file name of the code.
    pub code_file: String,
    /// The reference NumPy code (float32).
    pub code: String,
    /// The trajectory over the contours (set by the renderer once drawn).
    pub figure: Option<FigureView>,
}

/// The part (b) table.
#[derive(Debug, Serialize)]
pub struct TableView {
    /// Column names as plain text.
    pub header: Vec<String>,
    /// Column names as LaTeX math.
    pub header_math: Vec<String>,
    /// Formatted cells (plain text, `-4.421478394e-7`).
    pub rows: Vec<Vec<String>>,
    /// For a long run, which rows the table shows and where every row is (catalog text; empty when
    /// the table shows every epoch).
    pub note: String,
}

/// A certified value in LaTeX, and whether the text is not the value itself. The text shows only
/// digits that are certain (at most `digits`, all of them, trailing zeros included, when the value was
/// rounded), so the reader sees the precision; a value with no certain digit shows as its interval
/// `[m \pm r]`.
pub(crate) fn shown(b: &Ball, digits: u32) -> (String, bool) {
    match b.certified(digits) {
        Certified::Digits {
            value, exact: true, ..
        } => (latex_num(&value), false),
        Certified::Digits { value, sig, .. } => {
            let text = if (-5..16).contains(&value.exponent()) {
                value.to_plain_fixed(sig)
            } else {
                let sci = value.to_sci_fixed(sig);
                let (m, e) = sci.split_once('e').unwrap_or((&sci, "0"));
                format!("{m} \\times 10^{{{e}}}")
            };
            (text, true)
        }
        Certified::Interval { mid, rad } => (
            format!(
                "\\left[{} \\pm {}\\right]",
                latex_num(&mid),
                latex_num(&rad)
            ),
            true,
        ),
    }
}

/// [`shown`] for a value known exactly (a hyperparameter, a start value).
pub(crate) fn shown_exact(n: &Num, digits: u32) -> (String, bool) {
    shown(&Ball::exact(*n), digits)
}

/// A certified value in a table cell, as plain text: its certain digits (at most `digits`, at most
/// 28) in their shortest form, or its interval (`[-3e-9 +- 2e-8]`) when no digit is certain. The
/// terminal's tables (`run`, `compare`) and the CSV use it too.
pub fn cell(b: &Ball, digits: u32) -> String {
    match b.certified(digits.min(crate::number::SIG_DIGITS)) {
        Certified::Digits { value, .. } => value.to_compact(),
        Certified::Interval { mid, rad } => {
            format!("[{} +- {}]", mid.to_compact(), rad.to_compact())
        }
    }
}

fn eq_sign(approx: bool) -> &'static str {
    if approx {
        "\\approx"
    } else {
        "="
    }
}

pub(crate) fn point_math(w: &[Ball], digits: u32) -> String {
    let parts: Vec<String> = w.iter().map(|x| shown(x, digits).0).collect();
    format!("\\left({}\\right)", parts.join(",\\ "))
}

/// Whether a problem runs the course's own form without naming a convention (the sheets of the
/// course's optimizers then need no word on libraries).
fn default_form(p: &crate::spec::Problem) -> bool {
    p.convention.is_none() && p.optimizer.convention("course").is_some()
}

/// `@name` placeholders of a code template replaced by hyperparameter values, as Python literals;
/// longest names first, so `@beta` never eats the start of `@beta1`.
pub(crate) fn fill_python(code: &str, tr: &crate::trace::Trace) -> String {
    let mut hypers: Vec<_> = tr.hyperparameters.iter().collect();
    hypers.sort_by_key(|h| std::cmp::Reverse(h.name.len()));
    hypers.iter().fold(code.to_string(), |e, h| {
        e.replace(&format!("@{}", h.name), &crate::expr::python_num(&h.value))
    })
}

fn comparison(
    ex: &Exercise,
    solution: &Solution,
    g: &crate::analysis::FormGroup,
    cat: &Catalog,
    digits: u32,
) -> ComparisonView {
    let first = g.members.first().map_or(0, |m| m.0);
    let rows = g
        .members
        .iter()
        .map(|&(i, parts)| {
            let p = &ex.problems[i];
            let tr = &solution.runs[i].trace;
            let hypers: Vec<String> = tr
                .hyperparameters
                .iter()
                .map(|h| format!("{} = {}", h.name, h.value.to_compact()))
                .collect();
            let last: Vec<String> = tr.last_point().iter().map(|x| cell(x, digits)).collect();
            vec![
                p.id.clone(),
                match p.convention {
                    Some(c) => format!("{} ({c})", p.optimizer.form),
                    None => p.optimizer.form.to_string(),
                },
                hypers.join(", "),
                parts.map_or_else(|| "—".to_string(), |t| t.to_string()),
                format!("({})", last.join(", ")),
            ]
        })
        .collect();
    let mut intro = fill(
        &cat.text("forms_intro"),
        &[
            ("optimizer", cat.optimizer_name(g.optimizer)),
            ("n", g.members.len().to_string()),
            ("first", ex.problems[first].id.clone()),
        ],
    );
    if !g.same_hyperparameters {
        intro.push(' ');
        intro.push_str(&cat.text("forms_hypers_differ"));
    }
    ComparisonView {
        title: cat.text("forms_title"),
        intro,
        header: [
            "forms_problem",
            "forms_form",
            "forms_hypers",
            "forms_parts",
            "forms_final",
        ]
        .iter()
        .map(|k| cat.text(k))
        .collect(),
        rows,
    }
}

/// What the gradient's symbol (the first problem's) and the superscripts mean.
fn gradient_note(ex: &Exercise, cat: &Catalog) -> String {
    let g = ex
        .problems
        .first()
        .map_or("g_{#}", derivation::gradient_base)
        .replace('#', "i");
    fill(
        &cat.text("gradient_symbol_note"),
        &[("g", format!("${g}$"))],
    )
}

/// What the sheets of every language share, derived once: each problem's worked epochs (their lines
/// are mathematics alone; only their titles are written in a language) and its table's rows of
/// numbers.
pub struct Worked {
    epochs: Vec<Vec<EpochView>>,
    rows: Vec<Vec<Vec<String>>>,
}

/// The rows of a problem's table (epoch, point, f), values shown to `digits` digits: every epoch, or
/// the sample [`rows::sample`](crate::analysis::rows::sample) picks.
fn table_rows(tr: &crate::trace::Trace, digits: u32) -> Vec<Vec<String>> {
    let all: Vec<(u64, &[Ball], &Ball)> = std::iter::once((0u64, tr.start.as_slice(), &tr.f_start))
        .chain(
            tr.epochs
                .iter()
                .map(|e| (e.epoch, e.after.as_slice(), &e.f)),
        )
        .collect();
    let shown: Vec<usize> = crate::analysis::rows::sample(all.len())
        .map_or_else(|| (0..all.len()).collect(), |s| s.rows);
    shown
        .iter()
        .map(|&k| {
            let (t, w, f) = all[k];
            let mut r = vec![t.to_string()];
            r.extend(w.iter().map(|x| cell(x, digits)));
            r.push(cell(f, digits));
            r
        })
        .collect()
}

/// The worked epochs and table rows of every problem of `ex`, values shown to `digits` digits.
pub fn worked(ex: &Exercise, solution: &Solution, digits: u32) -> Worked {
    Worked {
        epochs: ex
            .problems
            .iter()
            .zip(&solution.runs)
            .map(|(p, run)| {
                let ctx = Ctx {
                    problem: p,
                    trace: &run.trace,
                    digits,
                };
                run.trace
                    .epochs
                    .iter()
                    .take(p.worked_epochs as usize)
                    .map(|e| ctx.epoch(ex, e))
                    .collect()
            })
            .collect(),
        rows: solution
            .runs
            .iter()
            .map(|run| table_rows(&run.trace, digits))
            .collect(),
    }
}

/// Builds the view of a whole sheet.
pub fn sheet<'a>(
    ex: &Exercise,
    solution: &Solution,
    code: &[String],
    cat: &'a Catalog,
    digits: u32,
) -> Sheet<'a> {
    sheet_with(
        ex,
        solution,
        code,
        cat,
        digits,
        &worked(ex, solution, digits),
    )
}

/// [`sheet`], with the worked epochs already derived by [`worked`] (with the same `digits`).
pub fn sheet_with<'a>(
    ex: &Exercise,
    solution: &Solution,
    code: &[String],
    cat: &'a Catalog,
    digits: u32,
    worked: &Worked,
) -> Sheet<'a> {
    let problems = ex
        .problems
        .iter()
        .zip(solution.runs.iter().zip(&solution.analyses))
        .enumerate()
        .map(|(k, (p, (run, analysis)))| {
            let tr = &run.trace;
            let ctx = Ctx {
                problem: p,
                trace: tr,
                digits,
            };
            let name = cat.optimizer_name(p.optimizer.id);
            let rows = worked.rows.get(k).cloned().unwrap_or_default();
            let worked = worked.epochs.get(k).map_or_else(Vec::new, |w| {
                w.iter().map(|e| e.clone().localize(cat)).collect()
            });
            let mut header = vec![cat.text("table_epoch")];
            let mut header_math = vec!["t".to_string()];
            for i in 1..=ex.nvars() {
                header.push(format!("w{i}"));
                header_math.push(format!("w_{{{i}}}"));
            }
            header.push("f".into());
            header_math.push("f".into());
            let all = tr.epochs.len() + 1;
            let sample = crate::analysis::rows::sample(all);
            let note = sample.as_ref().map_or_else(String::new, |s| {
                fill(
                    &cat.text("table_sampled"),
                    &[
                        ("shown", s.rows.len().to_string()),
                        ("n", all.to_string()),
                        ("edge", crate::analysis::rows::EDGE.to_string()),
                        ("step", s.step.to_string()),
                        ("file", super::trajectory_file(p)),
                    ],
                )
            });
            let n = tr.epochs.len().to_string();
            ProblemView {
                number: k + 1,
                id: p.id.clone(),
                heading: p
                    .title
                    .as_ref()
                    .map_or_else(|| name.clone(), |t| t.get(cat.lang()).to_string()),
                optimizer_name: name,
                summary: cat
                    .form_summary(p.optimizer.id, p.optimizer.form)
                    .unwrap_or_else(|| cat.optimizer_summary(p.optimizer.id)),
                torch: match p.optimizer.torch {
                    Some(call) if !default_form(p) => fill_python(call, tr),
                    _ => String::new(),
                },
                hypers_math: tr
                    .hyperparameters
                    .iter()
                    .map(|h| format!("{} = {}", h.latex, latex_num(&h.value)))
                    .collect(),
                rules: ctx.rules(),
                part_a: fill(&cat.text("part_a"), &[("n", p.worked_epochs.to_string())]),
                initial: {
                    let eqs = ctx.initial_state(ex.nvars());
                    if eqs.is_empty() {
                        String::new()
                    } else {
                        let values: Vec<String> = eqs.iter().map(|e| format!("${e}$")).collect();
                        fill(&cat.text("initial_state"), &[("values", values.join(", "))])
                    }
                },
                worked,
                part_b: fill(&cat.text("part_b"), &[("n", n.clone())]),
                table: TableView {
                    header,
                    header_math,
                    rows,
                    note,
                },
                final_heading: fill(&cat.text("final_point"), &[("n", n)]),
                final_math: format!(
                    "w^{{({})}} {} {}",
                    tr.epochs.len(),
                    eq_sign(tr.last_point().iter().any(|x| shown(x, digits).1)),
                    point_math(tr.last_point(), digits)
                ),
                reading: reading::sentences(&analysis.reading, cat, digits),
                precision: precision::view(&analysis.precision, cat, digits),
                code_title: fill(&cat.text("code_title"), &[("dtype", "float32".to_string())]),
                code_file: super::code::file_name(p, cat.lang()),
                code: code
                    .get(k)
                    .map_or_else(String::new, |c| c.trim_end().to_string()),
                figure: None,
            }
        })
        .collect();
    Sheet {
        lang: cat.lang(),
        t: cat.texts(),
        title: ex.title.as_ref().map_or_else(
            || cat.text("sheet_title"),
            |t| t.get(cat.lang()).to_string(),
        ),
        intro: fill(&cat.text("intro"), &[("digits", digits.to_string())]),
        objective_math: format!("f = {}", ex.objective.to_latex()),
        start_math: format!(
            "w^{{(0)}} = {}",
            point_math(
                &ex.start
                    .iter()
                    .copied()
                    .map(Ball::exact)
                    .collect::<Vec<_>>(),
                28
            )
        ),
        gradient_note: gradient_note(ex, cat),
        digits,
        problems,
        comparisons: solution
            .form_groups
            .iter()
            .map(|g| comparison(ex, solution, g, cat, digits))
            .collect(),
        quiz: quiz::quiz_view(ex, &solution.key, cat, digits),
        figures: None,
        vanishing: None,
    }
}
