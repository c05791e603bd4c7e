//! The worked derivation of part (a): the update rule with symbols, and each worked epoch STEP by
//! STEP, every line as formula, substitution and value.

use super::{eq_sign, fill, shown, shown_exact};
use crate::number::{Ball, Num};
use crate::optim::QuantitySpec;
use crate::render::catalog::Catalog;
use crate::spec::{Exercise, Notation, Problem, GRADIENT};
use crate::trace::{Epoch, Hyper, Trace};
use serde::Serialize;

/// One worked epoch.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// 1-based.
    pub number: u8,
    /// What the step does (catalog).
    pub title: String,
    /// Where the title comes from, for [`EpochView::localize`].
    #[serde(skip)]
    title_source: Title,
    /// Bodies of LaTeX `aligned` environments: `symbol &= formula \\ &= substitution = value`,
    /// one per quantity and component.
    pub lines: Vec<String>,
    /// The same for the LaTeX sheet, laid out compactly: bodies of `align*` environments, one per
    /// quantity: with two components, side by side (two column pairs) when they fit on a line, else
    /// one below the other; with one or more than two, one per quantity and component as in `lines`.
    pub blocks: Vec<String>,
}

/// The catalog text a step's title is made of: every derivation line is the same in every
/// language, so an epoch is derived once and its titles written in each language.
#[derive(Debug, Clone)]
enum Title {
    /// A text of the catalog.
    Text(&'static str),
    /// An optimizer's step (`Catalog::step`), with the formula numbers it refers to.
    Step {
        optimizer: &'static str,
        key: &'static str,
        refs: Vec<String>,
    },
}

impl EpochView {
    /// The epoch with its titles and heading in the language of `cat`.
    pub(super) fn localize(mut self, cat: &Catalog) -> EpochView {
        for step in &mut self.steps {
            step.title = match &step.title_source {
                Title::Text(key) => cat.text(key),
                Title::Step {
                    optimizer,
                    key,
                    refs,
                } => {
                    let mut title = cat.step(optimizer, key);
                    if !refs.is_empty() {
                        let key = if refs.len() == 1 {
                            "formula_ref"
                        } else {
                            "formulas_ref"
                        };
                        title.push_str(&fill(&cat.text(key), &[("list", refs.join(", "))]));
                    }
                    title
                }
            };
        }
        self.end_heading = fill(&cat.text("end_of_epoch"), &[("t", self.epoch.to_string())]);
        self
    }
}

/// One quantity's derivation for one component: the `aligned` body, and the same with its value on
/// a row of its own (narrower, for a place beside another).
struct Cell {
    body: String,
    split: String,
}

impl Cell {
    /// `head = value` (or `\approx`), the value on the last row of `head` or on a row of its own.
    fn valued(head: String, eq: &str, value: &str) -> Self {
        Cell {
            body: format!("{head} {eq} {value}"),
            split: format!("{head} \\\\ &{eq} {value}"),
        }
    }

    /// The body alone on a line: with its value on a row of its own when it would not fit the line
    /// of the LaTeX sheet otherwise.
    fn alone(&self) -> &str {
        use super::width::{aligned_em, SHEET_LINE_EM};
        if aligned_em(&self.body) > SHEET_LINE_EM {
            &self.split
        } else {
            &self.body
        }
    }

    /// A body with no value of its own to move.
    fn plain(body: String) -> Self {
        Cell {
            split: body.clone(),
            body,
        }
    }
}

/// The room `align*` leaves around and between two column pairs, in ems.
const PAIR_GAP_EM: f64 = 3.0;

/// Two bodies with one `&` a row side by side, as the body of an `align*` with two column pairs.
fn beside(a: &str, b: &str) -> Option<String> {
    let rows = |s: &str| -> Vec<String> { s.split("\\\\").map(|r| r.trim().to_string()).collect() };
    let (ra, rb) = (rows(a), rows(b));
    if ra.iter().chain(&rb).any(|r| r.matches('&').count() != 1) {
        return None;
    }
    let n = ra.len().max(rb.len());
    let cell = |r: &[String], k: usize| r.get(k).cloned().unwrap_or_else(|| "&".to_string());
    Some(
        (0..n)
            .map(|k| format!("{} & {}", cell(&ra, k), cell(&rb, k)))
            .collect::<Vec<_>>()
            .join(" \\\\\n"),
    )
}

/// The LaTeX sheet's blocks of one STEP from its cells, `ncomp` a quantity (see [`StepView::blocks`]):
/// two components side by side when both fit the line (with their values on rows of their own if
/// that makes them fit), else one below the other in one display; one or more than two components
/// a display each. A derivation too wide for the line on its own gets its value on a row of its own.
fn blocks(cells: &[Cell], ncomp: usize) -> Vec<String> {
    use super::width::{aligned_em, SHEET_LINE_EM};
    if ncomp != 2 {
        return cells.iter().map(|c| c.alone().to_string()).collect();
    }
    // one below the other, in one display so that a page never breaks between them
    let stacked = |c: &[Cell]| {
        vec![c
            .iter()
            .map(Cell::alone)
            .collect::<Vec<_>>()
            .join(" \\\\\n")]
    };
    let fits = |a: &str, b: &str| aligned_em(a) + aligned_em(b) + PAIR_GAP_EM <= SHEET_LINE_EM;
    cells
        .chunks(2)
        .flat_map(|pair| match pair {
            [a, b] if fits(&a.body, &b.body) => {
                beside(&a.body, &b.body).map_or_else(|| stacked(pair), |s| vec![s])
            }
            [a, b] if fits(&a.split, &b.split) => {
                beside(&a.split, &b.split).map_or_else(|| stacked(pair), |s| vec![s])
            }
            _ => stacked(pair),
        })
        .collect()
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
        // a power needs a bracketed base; a negative value needs brackets after an operator, and a
        // formula written in place of a symbol (a sum) next to an operator
        let powered = chars.get(j) == Some(&'^') && needs_parens(&value);
        let after_operator = !matches!(out.trim_end().chars().last(), None | Some('{' | '('));
        let before_operator = !matches!(
            chars[j..].iter().find(|c| !c.is_whitespace()),
            None | Some('}' | ')' | '\\')
        ) || chars[j..]
            .iter()
            .collect::<String>()
            .trim_start()
            .starts_with("\\cdot");
        let sum = top_level_sum(&value) && (after_operator || before_operator);
        if powered || sum || (value.starts_with('-') && after_operator) {
            out.push_str(&format!("\\left({value}\\right)"));
        } else {
            out.push_str(&value);
        }
        i = j;
    }
    out
}

/// Whether `s` has a `+` or `-` outside every brace and bracket, past its leading sign.
fn top_level_sum(s: &str) -> bool {
    let mut depth = 0i32;
    let body = s.trim_start().trim_start_matches('-');
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("\\left") {
            depth += 1;
            rest = &rest[5..];
            continue;
        }
        if rest.starts_with("\\right") {
            depth -= 1;
            rest = &rest[6..];
            continue;
        }
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '+' | '-' if depth == 0 => return true,
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    false
}

fn superscript(symbol: &str, t: &str) -> String {
    format!("{symbol}^{{({t})}}")
}

/// What the derivation of one problem reads: its declaration (the optimizer's quantities and
/// formulas) and its trace (hyperparameters and every value).
pub(super) struct Ctx<'a> {
    pub(super) problem: &'a Problem,
    pub(super) trace: &'a Trace,
    pub(super) digits: u32,
}

impl Ctx<'_> {
    fn notation(&self) -> &Notation {
        &self.problem.notation
    }

    /// Whether the notation leaves quantity `key` out (its formula is written where it is used).
    fn hidden(&self, key: &str) -> bool {
        self.notation()
            .symbols
            .get(key)
            .is_some_and(String::is_empty)
    }

    /// The symbol of a quantity for component `i` at epoch `t`.
    fn quantity_symbol(&self, q: &QuantitySpec, i: &str, t: &str) -> String {
        let base = match self.notation().symbols.get(q.key) {
            Some(s) if !s.is_empty() => s.as_str(),
            _ => q.latex,
        };
        superscript(&base.replace('#', i), t)
    }

    /// The symbol of the gradient's component `i` at epoch `t`.
    fn gradient_symbol(&self, i: &str, t: &str) -> String {
        superscript(&gradient_base(self.problem).replace('#', i), t)
    }

    /// ` \qquad (4.1)` when quantity `key` has a formula number, else nothing.
    fn number_tag(&self, key: &str) -> String {
        self.notation()
            .numbers
            .get(key)
            .map_or_else(String::new, |n| format!(" \\qquad ({n})"))
    }

    /// The state quantities and where they start, as one LaTeX equation each
    /// (`v_{1}^{(0)} = v_{2}^{(0)} = 0`); component by component up to three variables.
    pub(super) fn initial_state(&self, nvars: usize) -> Vec<String> {
        let comps: Vec<String> = if nvars <= 3 {
            (1..=nvars).map(|i| i.to_string()).collect()
        } else {
            vec!["i".to_string()]
        };
        self.problem
            .optimizer
            .state()
            .map(|q| {
                let init = q.init.and_then(|s| Num::parse(s).ok()).unwrap_or(Num::ZERO);
                let syms: Vec<String> = comps
                    .iter()
                    .map(|i| self.quantity_symbol(q, i, "0"))
                    .collect();
                format!(
                    "{} = {}",
                    syms.join(" = "),
                    shown_exact(&init, self.digits).0
                )
            })
            .collect()
    }

    /// The generic update rule: one line per quantity.
    pub(super) fn rules(&self) -> Vec<String> {
        let info = self.problem.optimizer;
        let mut lines = Vec::new();
        let at = match &info.gradient_at {
            None => "w^{(t-1)}".to_string(),
            Some(ga) => {
                let rhs = fill_formula(ga.formula, |name, prev| {
                    self.symbol(name, prev, "i", "t", "t-1", true)
                });
                lines.push(format!(
                    "{} = {rhs}",
                    superscript(&ga.latex.replace('#', "i"), "t")
                ));
                superscript(&ga.latex.replace("_{#}", ""), "t")
            }
        };
        lines.push(format!(
            "{} = \\frac{{\\partial f}}{{\\partial w_{{i}}}}\\left({at}\\right)",
            self.gradient_symbol("i", "t")
        ));
        for q in info.quantities {
            if self.hidden(q.key) {
                continue;
            }
            let rhs = fill_formula(q.formula, |name, prev| {
                self.symbol(name, prev, "i", "t", "t-1", true)
            });
            lines.push(format!(
                "{} = {rhs}{}",
                self.quantity_symbol(q, "i", "t"),
                self.number_tag(q.key)
            ));
            // a state that does not start at 0 says where it starts (AdaGrad's sum from 0.1)
            if let Some(init) = q.init.and_then(|s| Num::parse(s).ok()) {
                if !init.is_zero() {
                    lines.push(format!(
                        "{} = {}",
                        self.quantity_symbol(q, "i", "0"),
                        shown_exact(&init, self.digits).0
                    ));
                }
            }
            if let Some(first) = q.first {
                let rhs = fill_formula(first, |name, prev| {
                    self.symbol(name, prev, "i", "1", "0", false)
                });
                lines.push(format!("{} = {rhs}", self.quantity_symbol(q, "i", "1")));
            }
        }
        lines
    }

    /// The hyperparameter called `name`, as the trace records it.
    fn hyper(&self, name: &str) -> Option<&Hyper> {
        self.trace.hyperparameters.iter().find(|h| h.name == name)
    }

    /// The symbol of a placeholder.
    fn symbol(&self, name: &str, prev: bool, i: &str, t: &str, tp: &str, generic: bool) -> String {
        let info = self.problem.optimizer;
        if let Some(h) = self.hyper(name) {
            return h.latex.to_string();
        }
        match name {
            "t" if generic => "t".to_string(),
            "t" => t.to_string(),
            "g" => self.gradient_symbol(i, t),
            "w" => superscript(&format!("w_{{{i}}}"), if prev { tp } else { t }),
            key => match info.quantity(key) {
                // left out: its formula in its place
                Some(q) if self.hidden(key) => {
                    fill_formula(q.formula_at(t.parse().unwrap_or(0)), |n, p| {
                        self.symbol(n, p, i, t, tp, generic)
                    })
                }
                Some(q) => self.quantity_symbol(q, i, if prev { tp } else { t }),
                None => name.to_string(),
            },
        }
    }

    /// Epoch `e` derived, its titles still to be written in a language ([`EpochView::localize`]).
    pub(super) fn epoch(&self, ex: &Exercise, e: &Epoch) -> EpochView {
        let tr = self.trace;
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
        // STEP 1: the gradient, at the current point or where the optimizer takes it
        let mut steps = Vec::new();
        let mut grad_lines = Vec::new();
        let point = match (&info.gradient_at, &e.at) {
            (Some(ga), Some(at)) => {
                for (i, value) in at.iter().enumerate() {
                    let ci = (i + 1).to_string();
                    let sym_rhs = fill_formula(ga.formula, |name, p| {
                        self.symbol(name, p, &ci, &t, &tp, false)
                    });
                    let mut rounded_in = false;
                    let val_rhs = fill_formula(ga.formula, |name, p| {
                        let (s, a) = self.value(name, p, i, e, prev);
                        rounded_in |= a;
                        s
                    });
                    let (v, approx) = shown(value, d);
                    grad_lines.push(Cell::valued(
                        format!(
                            "{} &= {sym_rhs} \\\\ &= {val_rhs}",
                            superscript(&ga.latex.replace('#', &ci), &t)
                        ),
                        eq_sign(approx || rounded_in),
                        &v,
                    ));
                }
                at
            }
            _ => &e.before,
        };
        let shown_before: Vec<(String, bool)> = point.iter().map(|w| shown(w, d)).collect();
        let any_rounded_in = shown_before.iter().any(|(_, a)| *a);
        let vals: Vec<String> = shown_before.iter().map(|(s, _)| s.clone()).collect();
        grad_lines.extend(ex.gradient.iter().enumerate().map(|(i, poly)| {
            let (g, approx) = shown(&e.gradient[i], d);
            let sym = self.gradient_symbol(&(i + 1).to_string(), &t);
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
                Cell::valued(line, eq_sign(approx || (has_vars && any_rounded_in)), &g)
            } else {
                Cell::plain(line)
            }
        }));
        steps.push(StepView {
            number: 1,
            title: String::new(),
            title_source: Title::Text(if e.at.is_some() {
                "step_gradient_at"
            } else {
                "step_gradient"
            }),
            lines: grad_lines.iter().map(|c| c.body.clone()).collect(),
            blocks: blocks(&grad_lines, e.before.len()),
        });
        // the optimizer's quantities, grouped by STEP
        let mut groups: Vec<(u8, Vec<&QuantitySpec>)> = Vec::new();
        for q in info.quantities {
            match groups.last_mut() {
                Some((s, qs)) if *s == q.step => qs.push(q),
                _ => groups.push((q.step, vec![q])),
            }
        }
        // numbered in order, leaving out a STEP whose quantities are all left out
        let mut number = 1u8;
        for (_, qs) in groups {
            let title_key = qs[0].key;
            let qs: Vec<&QuantitySpec> = qs.into_iter().filter(|q| !self.hidden(q.key)).collect();
            if qs.is_empty() {
                continue;
            }
            number += 1;
            let mut lines = Vec::new();
            for q in &qs {
                for i in 0..e.before.len() {
                    let ci = (i + 1).to_string();
                    let sym_rhs = fill_formula(q.formula_at(e.epoch), |name, p| {
                        self.symbol(name, p, &ci, &t, &tp, false)
                    });
                    let mut rounded_in = false;
                    let val_rhs = fill_formula(q.formula_at(e.epoch), |name, p| {
                        let (s, a) = self.value(name, p, i, e, prev);
                        rounded_in |= a;
                        s
                    });
                    let value = e
                        .quantity(q.key)
                        .and_then(|v| v.get(i))
                        .copied()
                        .unwrap_or(Ball::ZERO);
                    let (v, approx) = shown(&value, d);
                    // a formula of the epoch number alone reads the same with symbols and values
                    let eq = eq_sign(approx || rounded_in);
                    let sym = self.quantity_symbol(q, &ci, &t);
                    lines.push(if sym_rhs == val_rhs {
                        Cell::valued(format!("{sym} &= {val_rhs}"), eq, &v)
                    } else if val_rhs == v {
                        // a formula that only names another value (v = g at epoch 1)
                        Cell::valued(format!("{sym} &= {sym_rhs}"), eq, &v)
                    } else {
                        Cell::valued(format!("{sym} &= {sym_rhs} \\\\ &= {val_rhs}"), eq, &v)
                    });
                }
            }
            let refs: Vec<String> = qs
                .iter()
                .filter_map(|q| self.notation().numbers.get(q.key))
                .map(|n| format!("({n})"))
                .collect();
            steps.push(StepView {
                number,
                title: String::new(),
                title_source: Title::Step {
                    optimizer: info.id,
                    key: title_key,
                    refs,
                },
                lines: lines.iter().map(|c| c.body.clone()).collect(),
                blocks: blocks(&lines, e.before.len()),
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
            end_heading: String::new(),
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
        if let Some(h) = self.hyper(name) {
            return shown_exact(&h.value, d);
        }
        let info = self.problem.optimizer;
        if let Some(q) = info.quantity(name).filter(|_| self.hidden(name)) {
            let mut rounded = false;
            let text = fill_formula(q.formula_at(e.epoch), |n, p| {
                let (v, a) = self.value(n, p, i, e, before);
                rounded |= a;
                v
            });
            return (text, rounded);
        }
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
                            .and_then(|s| Num::parse(s).ok())
                            .map(Ball::exact),
                    }
                } else {
                    e.quantity(key).and_then(|v| v.get(i)).copied()
                };
                shown(&v.unwrap_or(Ball::ZERO), d)
            }
        }
    }
}

/// The gradient's symbol of a problem, with `#` for the component (`g_{#}` unless its notation says).
pub(crate) fn gradient_base(p: &Problem) -> &str {
    p.notation
        .symbols
        .get(GRADIENT)
        .map_or("g_{#}", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(sym: &str, value: &str) -> Cell {
        Cell::valued(format!("{sym} &= a + b \\\\ &= 1 + 2"), "=", value)
    }

    #[test]
    fn two_short_components_sit_side_by_side() {
        let b = blocks(&[cell("x_{1}", "3"), cell("x_{2}", "3")], 2);
        assert_eq!(
            b,
            ["x_{1} &= a + b & x_{2} &= a + b \\\\\n&= 1 + 2 = 3 & &= 1 + 2 = 3"]
        );
    }

    #[test]
    fn a_value_moves_to_a_row_of_its_own_to_fit() {
        let long = "-0.".to_string() + &"1".repeat(22);
        let b = blocks(&[cell("x_{1}", &long), cell("x_{2}", &long)], 2);
        assert_eq!(b.len(), 1);
        let rows: Vec<&str> = b[0].split("\\\\").collect();
        assert_eq!(rows.len(), 3, "{}", b[0]);
        assert_eq!(rows[2].trim(), format!("&= {long} & &= {long}"));
    }

    #[test]
    fn long_components_stack_in_one_display() {
        let long = "-0.".to_string() + &"1".repeat(60);
        let b = blocks(&[cell("x_{1}", "1"), cell("x_{2}", &long)], 2);
        assert_eq!(b.len(), 1);
        assert!(
            b[0].starts_with("x_{1} &= a + b \\\\ &= 1 + 2 = 1 \\\\\nx_{2}"),
            "{}",
            b[0]
        );
    }

    #[test]
    fn a_value_too_wide_for_the_line_gets_a_row_of_its_own() {
        let long = "-0.".to_string() + &"1".repeat(60);
        let b = blocks(&[cell("x_{1}", &long)], 1);
        assert_eq!(
            b,
            [format!("x_{{1}} &= a + b \\\\ &= 1 + 2 \\\\ &= {long}")]
        );
    }

    #[test]
    fn one_or_three_components_get_a_display_each() {
        let three = [cell("x_{1}", "1"), cell("x_{2}", "1"), cell("x_{3}", "1")];
        assert_eq!(blocks(&three, 3).len(), 3);
        assert_eq!(blocks(&three[..1], 1), [three[0].body.clone()]);
    }
}
