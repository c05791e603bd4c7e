//! View structs: what the templates see. Built from a resolved exercise, its traces and a language
//! catalog; every number is already formatted here (rounded, with `=` or `≈`), so templates only place
//! text. Strings named `*_math` or in `lines` are LaTeX math; `title` and `heading` are user text that
//! the template escapes; everything else is catalog text or numbers.

use super::catalog::Catalog;
use crate::expr::latex_num;
use crate::number::Num;
use crate::optim::QuantitySpec;
use crate::quiz::{Fix, Status as QStatus, Verdict};
use crate::solution::{Minimum, Solution};
use crate::spec::{option_letter, Exercise, Problem};
use crate::trace::{Epoch, Run, Status, Trace};
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
    /// Significant digits shown.
    pub digits: u32,
    /// One per problem.
    pub problems: Vec<ProblemView>,
    /// The quiz with its key (empty when the exercise has none).
    pub quiz: Vec<QuestionView>,
}

/// One quiz question with its answer.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    /// 1-based.
    pub number: usize,
    /// User text (escaped by the template).
    pub text: String,
    /// The options.
    pub options: Vec<ChoiceView>,
    /// The answer's letter, or a dash.
    pub answer: String,
    /// Why: catalog text with inline math.
    pub verdict: String,
    /// The exercise's explanation, user text (escaped by the template).
    pub explain: String,
}

/// One option.
#[derive(Debug, Serialize)]
pub struct ChoiceView {
    /// A, B, ...
    pub letter: String,
    /// User text (escaped by the template).
    pub text: String,
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
    /// One sentence on the idea of the optimizer.
    pub summary: String,
    /// Hyperparameters, LaTeX (`\alpha = 0.4`).
    pub hypers_math: Vec<String>,
    /// The update rule, one LaTeX equation per quantity, for component i at epoch t.
    pub rules: Vec<String>,
    /// Part (a) heading.
    pub part_a: String,
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
}

/// The precision report: exact, float32 and float64 values at the final epoch.
#[derive(Debug, Serialize)]
pub struct PrecisionView {
    /// Title.
    pub title: String,
    /// One sentence.
    pub intro: String,
    /// Column names, plain text.
    pub header: Vec<String>,
    /// One row per component: name, exact (rounded), float32, its correct digits, float64, its
    /// correct digits.
    pub rows: Vec<Vec<String>>,
}

/// One worked epoch.
#[derive(Debug, Serialize)]
pub struct EpochView {
    /// 1-based.
    pub epoch: u64,
    /// The point before, LaTeX equations (`w_{1}^{(0)} = -5`).
    pub before: Vec<String>,
    /// The steps, STEP 1 first.
    pub steps: Vec<StepView>,
    /// "End of epoch t".
    pub end_heading: String,
    /// The point after and f there, LaTeX equations.
    pub after: Vec<String>,
}

/// One STEP of an epoch.
#[derive(Debug, Serialize)]
pub struct StepView {
    /// 1-based.
    pub number: u8,
    /// What the step does (catalog).
    pub title: String,
    /// Bodies of LaTeX `aligned` environments: `symbol &= formula \\ &= substitution = value`.
    pub lines: Vec<String>,
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
}

/// A number rounded for display, and whether rounding changed it. A rounded number shows all its
/// `digits` significant digits, trailing zeros included, so the reader sees the precision.
fn shown(n: &Num, digits: u32) -> (String, bool) {
    let r = n.round_sig(digits);
    if r == *n {
        return (latex_num(&r), false);
    }
    let text = if (-5..16).contains(&r.exponent()) {
        n.to_plain_fixed(digits)
    } else {
        let sci = n.to_sci_fixed(digits);
        let (m, e) = sci.split_once('e').unwrap_or((&sci, "0"));
        format!("{m} \\times 10^{{{e}}}")
    };
    (text, true)
}

/// A cell of the table.
fn cell(n: &Num, digits: u32) -> String {
    n.round_sig(digits).to_compact()
}

fn eq_sign(approx: bool) -> &'static str {
    if approx {
        "\\approx"
    } else {
        "="
    }
}

fn needs_parens(s: &str) -> bool {
    s.starts_with('-') || s.contains('^') || s.contains("\\times")
}

/// Replaces the `@name` and `@name'` placeholders of a formula.
fn fill_formula(formula: &str, mut resolve: impl FnMut(&str, bool) -> String) -> String {
    let mut out = String::new();
    let chars: Vec<char> = formula.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        let name: String = chars[start..j].iter().collect();
        let prev = chars.get(j) == Some(&'\'');
        if prev {
            j += 1;
        }
        let value = resolve(&name, prev);
        // a power needs a bracketed base; a negative value needs brackets after an operator
        let powered = chars.get(j) == Some(&'^') && needs_parens(&value);
        let after_operator = !matches!(out.trim_end().chars().last(), None | Some('{' | '('));
        if powered || (value.starts_with('-') && after_operator) {
            out.push_str(&format!("\\left({value}\\right)"));
        } else {
            out.push_str(&value);
        }
        i = j;
    }
    out
}

fn superscript(symbol: &str, t: &str) -> String {
    format!("{symbol}^{{({t})}}")
}

/// The symbol of a quantity for component `i` at epoch `t`.
fn quantity_symbol(q: &QuantitySpec, i: &str, t: &str) -> String {
    superscript(&q.latex.replace('#', i), t)
}

/// Fills `{name}` slots of a catalog phrase.
fn fill(text: &str, slots: &[(&str, String)]) -> String {
    let mut s = text.to_string();
    for (k, v) in slots {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

fn point_math(w: &[Num], digits: u32) -> String {
    let parts: Vec<String> = w.iter().map(|x| shown(x, digits).0).collect();
    format!("\\left({}\\right)", parts.join(",\\ "))
}

struct Ctx<'a> {
    problem: &'a Problem,
    digits: u32,
}

impl Ctx<'_> {
    /// The generic update rule: one line per quantity.
    fn rules(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "{} = \\frac{{\\partial f}}{{\\partial w_{{i}}}}\\left(w^{{(t-1)}}\\right)",
            superscript("g_{i}", "t")
        )];
        let info = self.problem.optimizer;
        for q in info.quantities {
            let rhs = fill_formula(q.formula, |name, prev| {
                self.symbol(name, prev, "i", "t", "t-1", true)
            });
            lines.push(format!("{} = {rhs}", quantity_symbol(q, "i", "t")));
        }
        lines
    }

    /// The symbol of a placeholder.
    fn symbol(&self, name: &str, prev: bool, i: &str, t: &str, tp: &str, generic: bool) -> String {
        let info = self.problem.optimizer;
        if let Some(h) = info.hyper(name) {
            return h.latex.to_string();
        }
        match name {
            "t" if generic => "t".to_string(),
            "t" => t.to_string(),
            "g" => superscript(&format!("g_{{{i}}}"), t),
            "w" => superscript(&format!("w_{{{i}}}"), if prev { tp } else { t }),
            key => match info.quantity(key) {
                Some(q) => quantity_symbol(q, i, if prev { tp } else { t }),
                None => name.to_string(),
            },
        }
    }

    fn epoch(&self, ex: &Exercise, tr: &Trace, e: &Epoch, cat: &Catalog) -> EpochView {
        let info = self.problem.optimizer;
        let d = self.digits;
        let t = e.epoch.to_string();
        let tp = (e.epoch - 1).to_string();
        let prev: Option<&Epoch> = tr.epochs.iter().find(|p| p.epoch + 1 == e.epoch);
        let before = e
            .before
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let (s, approx) = shown(w, d);
                format!(
                    "{} {} {s}",
                    superscript(&format!("w_{{{}}}", i + 1), &tp),
                    eq_sign(approx)
                )
            })
            .collect();
        // STEP 1: the gradient
        let mut steps = Vec::new();
        let shown_before: Vec<(String, bool)> = e.before.iter().map(|w| shown(w, d)).collect();
        let any_rounded_in = shown_before.iter().any(|(_, a)| *a);
        let vals: Vec<String> = shown_before.iter().map(|(s, _)| s.clone()).collect();
        let grad_lines = ex
            .gradient
            .iter()
            .enumerate()
            .map(|(i, poly)| {
                let (g, approx) = shown(&e.gradient[i], d);
                let sym = superscript(&format!("g_{{{}}}", i + 1), &t);
                let formula = poly.to_latex();
                let mut line = format!(
                    "{sym} &= \\frac{{\\partial f}}{{\\partial w_{{{}}}}} = {formula}",
                    i + 1
                );
                let has_vars = poly.degree() > 0;
                if has_vars {
                    line.push_str(&format!(" \\\\ &= {}", poly.to_latex_with(&vals)));
                }
                if has_vars || formula != g {
                    line.push_str(&format!(
                        " {} {g}",
                        eq_sign(approx || (has_vars && any_rounded_in))
                    ));
                }
                line
            })
            .collect();
        steps.push(StepView {
            number: 1,
            title: cat.text("step_gradient"),
            lines: grad_lines,
        });
        // the optimizer's quantities, grouped by STEP
        let mut groups: Vec<(u8, Vec<&QuantitySpec>)> = Vec::new();
        for q in info.quantities {
            match groups.last_mut() {
                Some((s, qs)) if *s == q.step => qs.push(q),
                _ => groups.push((q.step, vec![q])),
            }
        }
        for (number, qs) in groups {
            let mut lines = Vec::new();
            for q in &qs {
                for i in 0..e.before.len() {
                    let ci = (i + 1).to_string();
                    let sym_rhs = fill_formula(q.formula, |name, p| {
                        self.symbol(name, p, &ci, &t, &tp, false)
                    });
                    let mut rounded_in = false;
                    let val_rhs = fill_formula(q.formula, |name, p| {
                        let (s, a) = self.value(name, p, i, e, prev);
                        rounded_in |= a;
                        s
                    });
                    let value = e
                        .quantity(q.key)
                        .and_then(|v| v.get(i))
                        .copied()
                        .unwrap_or(Num::ZERO);
                    let (v, approx) = shown(&value, d);
                    lines.push(format!(
                        "{} &= {sym_rhs} \\\\ &= {val_rhs} {} {v}",
                        quantity_symbol(q, &ci, &t),
                        eq_sign(approx || rounded_in)
                    ));
                }
            }
            steps.push(StepView {
                number,
                title: cat.step(info.id, qs[0].key),
                lines,
            });
        }
        let mut after: Vec<String> = e
            .after
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let (s, approx) = shown(w, d);
                format!(
                    "{} {} {s}",
                    superscript(&format!("w_{{{}}}", i + 1), &t),
                    eq_sign(approx)
                )
            })
            .collect();
        let (f, approx) = shown(&e.f, d);
        after.push(format!(
            "f\\left(w^{{({t})}}\\right) {} {f}",
            eq_sign(approx)
        ));
        EpochView {
            epoch: e.epoch,
            before,
            steps,
            end_heading: fill(&cat.text("end_of_epoch"), &[("t", t.clone())]),
            after,
        }
    }

    /// The displayed value of a placeholder, and whether it was rounded.
    fn value(
        &self,
        name: &str,
        prev: bool,
        i: usize,
        e: &Epoch,
        before: Option<&Epoch>,
    ) -> (String, bool) {
        let d = self.digits;
        if let Some(v) = self.problem.param(name) {
            return shown(&v, d);
        }
        let info = self.problem.optimizer;
        match name {
            "t" => (e.epoch.to_string(), false),
            "g" => shown(&e.gradient[i], d),
            "w" => shown(&e.before[i], d),
            key => {
                let v = if prev {
                    match before {
                        Some(b) => b.quantity(key).and_then(|v| v.get(i)).copied(),
                        None => info
                            .quantity(key)
                            .and_then(|q| q.init)
                            .and_then(|s| Num::parse(s).ok()),
                    }
                } else {
                    e.quantity(key).and_then(|v| v.get(i)).copied()
                };
                shown(&v.unwrap_or(Num::ZERO), d)
            }
        }
    }
}

/// How often component `i` crossed `center` over the run.
fn crossings(tr: &Trace, i: usize, center: &Num) -> usize {
    let mut last_side = std::cmp::Ordering::Equal;
    let mut changes = 0;
    for w in std::iter::once(&tr.start[i]).chain(tr.epochs.iter().map(|e| &e.after[i])) {
        let side = w.cmp(center);
        if side != std::cmp::Ordering::Equal {
            if last_side != std::cmp::Ordering::Equal && side != last_side {
                changes += 1;
            }
            last_side = side;
        }
    }
    changes
}

/// What the run did, in a few sentences: the objective's progress (against its exact minimum when
/// the objective is a strictly convex quadratic), how far the end is from the minimizer, and how each
/// component moved around its target (the minimizer's component, or 0).
fn reading(tr: &Trace, minimum: Option<&Minimum>, cat: &Catalog, digits: u32) -> Vec<String> {
    let n = tr.epochs.len();
    let last = tr.last_point();
    let f = tr.epochs.last().map_or(tr.f_start, |e| e.f);
    // a value in running text: "$-5$", or "$\approx -0.4098$" when rounded
    let m = |x: &Num| {
        let (v, approx) = shown(x, digits);
        if approx {
            format!("$\\approx {v}$")
        } else {
            format!("${v}$")
        }
    };
    let fx = {
        let (v, approx) = shown(&f, digits);
        format!("$f {} {v}$", eq_sign(approx))
    };
    // the gap to the minimum value shrank by this factor (or f itself, when it stays positive)
    let f_star = minimum.map_or(Num::ZERO, |mm| mm.value);
    let gap0 = tr.f_start.sub(&f_star).unwrap_or(Num::ZERO);
    let gap = f.sub(&f_star).unwrap_or(Num::ZERO);
    let ratio = if gap0 > Num::ZERO && gap > Num::ZERO {
        gap0.div(&gap).ok().map(|r| {
            let r = r.round_sig(3);
            if r.exponent() >= 5 {
                let sci = r.to_sci();
                let (a, e) = sci.split_once('e').unwrap_or((&sci, "0"));
                format!("${a} \\times 10^{{{e}}}$")
            } else {
                format!("${}$", latex_num(&r))
            }
        })
    } else {
        None
    };
    let key = match (tr.status, &ratio, minimum) {
        (Status::Decreasing, Some(_), Some(_)) => "status_decreasing",
        (Status::Decreasing, Some(_), None) => "status_decreasing_factor",
        (Status::Decreasing, None, _) => "status_decreasing_plain",
        (Status::Diverging, _, _) => "status_diverging",
        (Status::NotDecreasing, _, _) => "status_not_decreasing",
    };
    let mut out = vec![fill(
        &cat.text(key),
        &[
            ("n", n.to_string()),
            ("f", fx),
            ("f0", m(&tr.f_start)),
            ("fstar", m(&f_star)),
            ("ratio", ratio.unwrap_or_default()),
        ],
    )];
    if let Some(mm) = minimum {
        let dist = last
            .iter()
            .zip(&mm.point)
            .try_fold(Num::ZERO, |acc, (w, c)| {
                let d = w.sub(c)?;
                acc.add(&d.mul(&d)?)
            })
            .and_then(|s| s.sqrt());
        if let Ok(d) = dist {
            let point = format!("$w^{{*}} = {}$", point_math(&mm.point, digits));
            out.push(fill(
                &cat.text("distance"),
                &[("wstar", point), ("d", m(&d))],
            ));
        }
    }
    for (i, w) in last.iter().enumerate() {
        let var = format!("$w_{{{}}}$", i + 1);
        let (center, c) = match minimum {
            Some(mm) => (mm.point[i], format!("$w_{{{}}}^{{*}}$", i + 1)),
            None => (Num::ZERO, "$0$".to_string()),
        };
        let k = crossings(tr, i, &center);
        let from = tr.start[i]
            .sub(&center)
            .map(|d| d.abs())
            .unwrap_or(Num::ZERO);
        let to = w.sub(&center).map(|d| d.abs()).unwrap_or(Num::ZERO);
        let text = match k {
            0 => fill(
                &cat.text("kept_side"),
                &[("var", var), ("c", c), ("a", m(&tr.start[i])), ("b", m(w))],
            ),
            1 => fill(
                &cat.text("crosses_once"),
                &[("var", var), ("c", c), ("a", m(&tr.start[i])), ("b", m(w))],
            ),
            _ => {
                let phrase = if to < from {
                    "oscillates_shrinking"
                } else {
                    "oscillates_growing"
                };
                fill(
                    &cat.text(phrase),
                    &[("var", var), ("c", c), ("k", k.to_string())],
                )
            }
        };
        out.push(text);
    }
    out
}

/// Significant digits of `x` that agree with `exact`, as a count ("all" when equal).
fn correct_digits(x: &Num, exact: &Num, all: &str) -> String {
    if x == exact {
        return all.to_string();
    }
    let rel = match x
        .sub(exact)
        .and_then(|d| if exact.is_zero() { Ok(d) } else { d.div(exact) })
    {
        Ok(r) => r.abs().to_f64(),
        Err(_) => return "0".to_string(),
    };
    let d = (-rel.log10()).floor();
    if d.is_finite() && d > 0.0 {
        format!("{}", d as i64)
    } else {
        "0".to_string()
    }
}

/// The shortest decimal that reads back as `x` (what NumPy prints), as an exact number.
fn float_num<T: std::fmt::LowerExp>(x: T) -> Option<Num> {
    Num::parse(&format!("{x:e}")).ok()
}

fn precision(run: &Run, cat: &Catalog, digits: u32) -> PrecisionView {
    let exact = run.trace.last_point();
    let all = cat.text("precision_all");
    let last32 = run.f32.last().cloned().unwrap_or_default();
    let last64 = run.f64.last().cloned().unwrap_or_default();
    let rows = exact
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut row = vec![format!("w{}", i + 1), cell(e, digits)];
            for v in [
                last32.get(i).and_then(|x| float_num(*x)),
                last64.get(i).and_then(|x| float_num(*x)),
            ] {
                match v {
                    Some(v) => {
                        row.push(v.to_compact());
                        row.push(correct_digits(&v, e, &all));
                    }
                    None => row.extend(["nan".to_string(), "0".to_string()]),
                }
            }
            row
        })
        .collect();
    let value = cat.text("precision_value");
    let dig = cat.text("precision_digits");
    PrecisionView {
        title: cat.text("precision_title"),
        intro: cat.text("precision_intro"),
        header: vec![
            String::new(),
            cat.text("precision_exact"),
            fill(&value, &[("dtype", "float32".to_string())]),
            dig.clone(),
            fill(&value, &[("dtype", "float64".to_string())]),
            dig,
        ],
        rows,
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
    let runs = &solution.runs;
    let problems = ex
        .problems
        .iter()
        .zip(runs)
        .enumerate()
        .map(|(k, (p, run))| {
            let tr = &run.trace;
            let ctx = Ctx { problem: p, digits };
            let name = cat.optimizer_name(p.optimizer.id);
            let worked = tr
                .epochs
                .iter()
                .take(p.worked_epochs as usize)
                .map(|e| ctx.epoch(ex, tr, e, cat))
                .collect();
            let mut header = vec![cat.text("table_epoch")];
            let mut header_math = vec!["t".to_string()];
            for i in 1..=ex.nvars() {
                header.push(format!("w{i}"));
                header_math.push(format!("w_{{{i}}}"));
            }
            header.push("f".into());
            header_math.push("f".into());
            let rows = std::iter::once((0u64, tr.start.as_slice(), &tr.f_start))
                .chain(
                    tr.epochs
                        .iter()
                        .map(|e| (e.epoch, e.after.as_slice(), &e.f)),
                )
                .map(|(t, w, f)| {
                    let mut r = vec![t.to_string()];
                    r.extend(w.iter().map(|x| cell(x, digits)));
                    r.push(cell(f, digits));
                    r
                })
                .collect();
            let n = tr.epochs.len().to_string();
            ProblemView {
                number: k + 1,
                id: p.id.clone(),
                heading: p
                    .title
                    .as_ref()
                    .map_or_else(|| name.clone(), |t| t.get(cat.lang()).to_string()),
                optimizer_name: name,
                summary: cat.optimizer_summary(p.optimizer.id),
                hypers_math: p
                    .optimizer
                    .hypers
                    .iter()
                    .zip(&p.params)
                    .map(|(h, v)| format!("{} = {}", h.latex, latex_num(v)))
                    .collect(),
                rules: ctx.rules(),
                part_a: fill(&cat.text("part_a"), &[("n", p.worked_epochs.to_string())]),
                worked,
                part_b: fill(&cat.text("part_b"), &[("n", n.clone())]),
                table: TableView {
                    header,
                    header_math,
                    rows,
                },
                final_heading: fill(&cat.text("final_point"), &[("n", n)]),
                final_math: format!(
                    "w^{{({})}} {} {}",
                    tr.epochs.len(),
                    eq_sign(tr.last_point().iter().any(|x| shown(x, digits).1)),
                    point_math(tr.last_point(), digits)
                ),
                reading: reading(tr, solution.minimum.as_ref(), cat, digits),
                precision: precision(run, cat, digits),
                code_title: fill(&cat.text("code_title"), &[("dtype", "float32".to_string())]),
                code_file: super::code::file_name(p, cat.lang()),
                code: code
                    .get(k)
                    .map_or_else(String::new, |c| c.trim_end().to_string()),
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
        start_math: format!("w^{{(0)}} = {}", point_math(&ex.start, 28)),
        digits,
        problems,
        quiz: quiz_view(ex, &solution.key, cat, digits),
    }
}

fn values_math(values: &[Num], digits: u32) -> String {
    let approx = if values.iter().any(|v| shown(v, digits).1) {
        "\\approx "
    } else {
        ""
    };
    if values.len() == 1 {
        format!("${approx}{}$", shown(&values[0], digits).0)
    } else {
        format!("${approx}{}$", point_math(values, digits))
    }
}

fn verdict_text(v: &Verdict, cat: &Catalog, digits: u32) -> String {
    let exact = values_math(&v.exact, digits);
    let tol = v
        .tolerance
        .map(|t| format!("${}$", latex_num(&t)))
        .unwrap_or_default();
    let answer = v.answer.map(String::from).unwrap_or_default();
    let mut out = match v.status {
        QStatus::Concept => String::new(),
        QStatus::Exact => fill(
            &cat.text("verdict_exact"),
            &[("opt", answer), ("exact", exact)],
        ),
        QStatus::Float => {
            let o = v.options.iter().find(|o| Some(o.letter) == v.answer);
            let (dtype, vals) = if o.is_some_and(|o| o.float32_at_digits) {
                ("float32", &v.float32)
            } else {
                ("float64", &v.float64)
            };
            fill(
                &cat.text("verdict_float"),
                &[
                    ("opt", answer),
                    ("dtype", dtype.to_string()),
                    ("float", values_math(vals, digits)),
                    ("exact", exact),
                ],
            )
        }
        QStatus::Close => {
            let err = v
                .options
                .iter()
                .find(|o| Some(o.letter) == v.answer)
                .map_or(0.0, |o| o.max_rel);
            let err = Num::parse(&format!("{err:.1e}"))
                .map(|n| format!("${}$", latex_num(&n)))
                .unwrap_or_default();
            let mut text = fill(
                &cat.text("verdict_close"),
                &[
                    ("opt", answer),
                    ("exact", exact),
                    ("err", err),
                    ("tol", tol),
                ],
            );
            if !v.float32.is_empty() {
                text.push(' ');
                let float = values_math(&v.float32, digits);
                text.push_str(&fill(&cat.text("float_note"), &[("float", float)]));
            }
            text
        }
        QStatus::Ambiguous => {
            let c: Vec<String> = v.candidates.iter().map(char::to_string).collect();
            fill(
                &cat.text("verdict_ambiguous"),
                &[("opts", c.join(", ")), ("exact", exact)],
            )
        }
        QStatus::Defective => {
            let (opt, fix) = match &v.fix {
                Some((c, Fix::Sign { components })) => {
                    let vars: Vec<String> =
                        components.iter().map(|k| format!("$w_{{{k}}}$")).collect();
                    (
                        c.to_string(),
                        fill(&cat.text("fix_sign"), &[("vars", vars.join(", "))]),
                    )
                }
                Some((c, Fix::Shift { component, power })) => (
                    c.to_string(),
                    fill(
                        &cat.text("fix_shift"),
                        &[
                            ("var", format!("$w_{{{component}}}$")),
                            ("pow", format!("$10^{{{power}}}$")),
                        ],
                    ),
                ),
                None => (String::new(), String::new()),
            };
            fill(
                &cat.text("verdict_defective"),
                &[("tol", tol), ("exact", exact), ("opt", opt), ("fix", fix)],
            )
        }
        QStatus::NoMatch => fill(
            &cat.text("verdict_no_match"),
            &[("tol", tol), ("exact", exact)],
        ),
    };
    for o in &v.options {
        if let Some(m) = o.matches {
            out.push(' ');
            out.push_str(&fill(
                &cat.text(&format!("alt_{}", m.replace('-', "_"))),
                &[("opt", o.letter.to_string())],
            ));
        }
    }
    if let (Some(k), Some(a)) = (v.exercise_key, v.answer) {
        if v.status != QStatus::Concept && k != a {
            out.push(' ');
            out.push_str(&fill(&cat.text("key_differs"), &[("key", k.to_string())]));
        }
    }
    out.trim().to_string()
}

fn quiz_view(ex: &Exercise, key: &[Verdict], cat: &Catalog, digits: u32) -> Vec<QuestionView> {
    let lang = cat.lang();
    ex.quiz
        .iter()
        .zip(key)
        .map(|(q, v)| QuestionView {
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
            answer: v.answer.map_or_else(|| "—".to_string(), String::from),
            verdict: verdict_text(v, cat, digits),
            explain: q
                .explain
                .as_ref()
                .map_or_else(String::new, |e| e.get(lang).to_string()),
        })
        .collect()
}
