//! A verdict of the quiz key in words, from the language catalog: the one source of every verdict and
//! evidence sentence, for the sheets (values as inline LaTeX math), the terminal and the exports
//! (values as plain text).

use super::catalog::Catalog;
use super::fill;
use super::view::{cell, point_math, shown};
use crate::expr::latex_num;
use crate::number::{Ball, Num};
use crate::quiz::{Fix, Slip, Status, Verdict};

/// How values are written in the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Inline LaTeX math (`$\approx -4.600254631$`), rounded to `digits` significant digits: sheets.
    Math {
        /// Significant digits shown.
        digits: u32,
    },
    /// Plain text (`(-4.600254631, -1.600824535)`), rounded to 10 significant digits: the terminal
    /// and the exports.
    Plain,
}

impl Style {
    /// One value or a tuple of values.
    fn values(&self, values: &[Ball]) -> String {
        match *self {
            Style::Math { digits } => {
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
            Style::Plain => {
                let parts: Vec<String> = values.iter().map(|x| cell(x, 10)).collect();
                if parts.len() == 1 {
                    parts[0].clone()
                } else {
                    format!("({})", parts.join(", "))
                }
            }
        }
    }

    /// A number as it is (tolerances, relative differences).
    fn num(&self, n: &Num) -> String {
        match self {
            Style::Math { .. } => format!("${}$", latex_num(n)),
            Style::Plain => n.to_compact(),
        }
    }

    /// Component `k` (1-based).
    fn var(&self, k: usize) -> String {
        match self {
            Style::Math { .. } => format!("$w_{{{k}}}$"),
            Style::Plain => format!("w{k}"),
        }
    }

    /// A power of ten.
    fn pow10(&self, p: i32) -> String {
        match self {
            Style::Math { .. } => format!("$10^{{{p}}}$"),
            Style::Plain => format!("10^{p}"),
        }
    }
}

/// The catalog phrase of a slip that an option matches.
fn slip_key(s: Slip) -> &'static str {
    match s {
        Slip::HeavyBall => "alt_heavy_ball",
        Slip::Uncorrected => "alt_uncorrected",
    }
}

/// The catalog phrase that names a verdict in a table (`exact`, `other-form`).
pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Exact => "status_exact",
        Status::Float => "status_float",
        Status::Close => "status_close",
        Status::Ambiguous => "status_ambiguous",
        Status::Defective => "status_defective",
        Status::NoMatch => "status_no_match",
        Status::Concept => "status_concept",
        Status::Stopped => "status_stopped",
        Status::OtherForm => "status_other_form",
    }
}

/// The catalog phrase that names a kind of question in a table.
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "concept" => "kind_concept",
        "computed" => "kind_computed",
        _ => "kind_formula",
    }
}

/// The catalog phrase that names a convention in running text.
pub fn convention_key(c: &str) -> &'static str {
    match c {
        "course" => "convention_course",
        "pytorch" => "convention_pytorch",
        "d2l" => "convention_d2l",
        "optax" => "convention_optax",
        "keras" => "convention_keras",
        _ => "convention_goodfellow",
    }
}

/// Every catalog phrase a verdict may use (for the catalogs' completeness test).
pub const PHRASES: &[&str] = &[
    "verdict_exact",
    "verdict_float",
    "verdict_close",
    "verdict_ambiguous",
    "verdict_defective",
    "verdict_no_match",
    "verdict_other_form",
    "other_form_exact",
    "other_form_float",
    "form_no_library",
    "form_used_by",
    "status_exact",
    "status_float",
    "status_close",
    "status_ambiguous",
    "status_defective",
    "status_no_match",
    "status_concept",
    "status_other_form",
    "kind_concept",
    "kind_computed",
    "kind_formula",
    "convention_course",
    "convention_pytorch",
    "convention_d2l",
    "convention_optax",
    "convention_keras",
    "convention_goodfellow",
    "float_note",
    "fix_sign",
    "fix_shift",
    "alt_heavy_ball",
    "alt_uncorrected",
    "key_differs",
    "concept_key",
];

/// Why the key says what it says, in the catalog's language. A concept question's sentence is empty
/// in the sheets (they show the exercise's explanation) and says that the exercise's key decides in
/// plain text.
pub fn sentence(v: &Verdict, cat: &Catalog, style: Style) -> String {
    sentence_with(v, cat, style, true)
}

/// The sentence students may read: without the instructor's notes (what the exercise's own key
/// says when it disagrees).
pub fn student_sentence(v: &Verdict, cat: &Catalog) -> String {
    sentence_with(v, cat, Style::Plain, false)
}

fn exacts(values: &[Num]) -> Vec<Ball> {
    values.iter().copied().map(Ball::exact).collect()
}

fn sentence_with(v: &Verdict, cat: &Catalog, style: Style, notes: bool) -> String {
    let exact = style.values(&v.exact);
    let tol = v.tolerance.map(|t| style.num(&t)).unwrap_or_default();
    let answer = v.answer.map(String::from).unwrap_or_default();
    let mut out = match v.status {
        Status::Concept => match style {
            Style::Math { .. } => String::new(),
            Style::Plain => cat.text("concept_key"),
        },
        Status::Exact => fill(
            &cat.text("verdict_exact"),
            &[("opt", answer), ("exact", exact)],
        ),
        Status::Float => {
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
                    ("float", style.values(&exacts(vals))),
                    ("exact", exact),
                ],
            )
        }
        Status::Close => {
            let err = v
                .options
                .iter()
                .find(|o| Some(o.letter) == v.answer)
                .map_or(0.0, |o| o.max_rel);
            let err = Num::parse(&format!("{err:.1e}"))
                .map(|n| style.num(&n))
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
                let float = style.values(&exacts(&v.float32));
                text.push_str(&fill(&cat.text("float_note"), &[("float", float)]));
            }
            text
        }
        Status::Ambiguous => {
            let c: Vec<String> = v.candidates.iter().map(char::to_string).collect();
            fill(
                &cat.text("verdict_ambiguous"),
                &[("opts", c.join(", ")), ("exact", exact)],
            )
        }
        Status::Defective => {
            let (opt, fix) = match &v.fix {
                Some((c, Fix::Sign { components })) => {
                    let vars: Vec<String> = components.iter().map(|k| style.var(*k)).collect();
                    (
                        c.to_string(),
                        fill(&cat.text("fix_sign"), &[("vars", vars.join(", "))]),
                    )
                }
                Some((c, Fix::Shift { component, power })) => (
                    c.to_string(),
                    fill(
                        &cat.text("fix_shift"),
                        &[("var", style.var(*component)), ("pow", style.pow10(*power))],
                    ),
                ),
                None => (String::new(), String::new()),
            };
            fill(
                &cat.text("verdict_defective"),
                &[("tol", tol), ("exact", exact), ("opt", opt), ("fix", fix)],
            )
        }
        Status::NoMatch => fill(
            &cat.text("verdict_no_match"),
            &[("tol", tol), ("exact", exact)],
        ),
        Status::Stopped => {
            let (t, uncertain) = v.stopped.unwrap_or((0, false));
            let why = cat.text(if uncertain {
                "stopped_uncertain"
            } else {
                "stopped_diverged"
            });
            fill(
                &cat.text("verdict_stopped"),
                &[("t", t.to_string()), ("why", why)],
            )
        }
        Status::OtherForm => match &v.other_form {
            Some(m) => {
                let engine = match m.engine {
                    "exact" => cat.text("other_form_exact"),
                    dtype => fill(
                        &cat.text("other_form_float"),
                        &[("dtype", dtype.to_string())],
                    ),
                };
                let used = if m.conventions.is_empty() {
                    cat.text("form_no_library")
                } else {
                    let names: Vec<String> = m
                        .conventions
                        .iter()
                        .map(|c| cat.text(convention_key(c)))
                        .collect();
                    fill(&cat.text("form_used_by"), &[("list", names.join(", "))])
                };
                fill(
                    &cat.text("verdict_other_form"),
                    &[
                        ("opt", answer),
                        ("exact", exact),
                        ("engine", engine),
                        ("values", style.values(&m.values)),
                        ("optimizer", cat.optimizer_name(m.optimizer)),
                        ("form", m.form.to_string()),
                        ("used", used),
                    ],
                )
            }
            None => String::new(),
        },
    };
    for o in &v.options {
        if let Some(m) = o.matches {
            out.push(' ');
            out.push_str(&fill(
                &cat.text(slip_key(m)),
                &[("opt", o.letter.to_string())],
            ));
        }
    }
    if let (Some(k), Some(a), true) = (v.exercise_key, v.answer, notes) {
        if v.status != Status::Concept && k != a {
            out.push(' ');
            out.push_str(&fill(&cat.text("key_differs"), &[("key", k.to_string())]));
        }
    }
    out.trim().to_string()
}
