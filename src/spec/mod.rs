//! Exercise files: loading (raw TOML) and validation into a resolved [`Exercise`].
//!
//! The raw form mirrors the file and keeps the position of every value; the resolved form is what the
//! engine runs: a parsed objective with its gradient, an exact start point, and problems whose optimizer
//! is known and whose hyperparameters are exact and in range. Every number is read from its literal
//! text (or from a string), never through `f64`, so `0.1` is exactly one tenth and `1e-30` is not zero.
//! Errors name the file, line and column and say what was expected.

use crate::expr::{ExprError, Poly};
use crate::number::Num;
use crate::optim::{self, Info};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// The exercise of the course, compiled in; `stepwise init` writes it out.
pub const BUILTIN: &str = include_str!("../builtin.toml");

/// Name used in messages for the built-in exercise.
pub const BUILTIN_NAME: &str = "<built-in exercise>";

/// Values whose magnitude exceeds `10^MAGNITUDE_BOUND_EXP` are refused in files and stop a run.
pub const MAGNITUDE_BOUND_EXP: i64 = 300;

/// Most epochs a problem may work in full (part a).
pub const MAX_WORKED_EPOCHS: u64 = 20;

/// Most epochs a problem may tabulate (part b) or run.
pub const MAX_EPOCHS: u64 = 100_000;

/// Most variables an objective may have.
pub const MAX_VARS: usize = 32;

/// A resolved exercise.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// Where it came from (a path, or [`BUILTIN_NAME`]).
    pub source: String,
    /// Title, as written (one for every language, or one per language).
    pub title: Option<Text>,
    /// The objective as written.
    pub objective_text: String,
    /// The objective.
    pub objective: Poly,
    /// Its partial derivatives, one per variable.
    pub gradient: Vec<Poly>,
    /// The start point.
    pub start: Vec<Num>,
    /// The problems, in file order.
    pub problems: Vec<Problem>,
    /// The quiz, in file order (questions are numbered from 1).
    pub quiz: Vec<Question>,
    /// Where per-student variants draw their numbers from, when the exercise says.
    pub variants: Option<VariantRanges>,
}

/// Most values a grid may hold.
pub const MAX_GRID: u64 = 1_000_000;

/// Evenly spaced exact values: `from`, `from + step`, ... up to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// First value.
    pub from: Num,
    /// Spacing, positive.
    pub step: Num,
    /// How many values.
    pub count: u64,
}

impl Grid {
    /// The `k`-th value.
    pub fn value(&self, k: u64) -> Num {
        self.step
            .mul(&Num::from_int(k as i64))
            .and_then(|d| self.from.add(&d))
            .unwrap_or(self.from)
    }
}

/// The ranges of `[variants]`: for each start component, and for some hyperparameters of some problems.
#[derive(Debug, Clone, Default)]
pub struct VariantRanges {
    /// One grid per start component, or none to keep the start point.
    pub start: Vec<Grid>,
    /// (problem index, hyperparameter index, grid).
    pub params: Vec<(usize, usize, Grid)>,
}

/// Relative difference within which a computed option counts as the answer, unless a question sets
/// its own.
pub const DEFAULT_TOLERANCE: &str = "1e-3";

/// One multiple-choice question.
#[derive(Debug, Clone)]
pub struct Question {
    /// 1-based number.
    pub number: usize,
    /// The question.
    pub text: Text,
    /// The options, labelled A, B, C, ...
    pub options: Vec<Choice>,
    /// The exercise's own key (an option index), when given.
    pub key: Option<usize>,
    /// Why, when given.
    pub explain: Option<Text>,
    /// What the answer is.
    pub kind: QuestionKind,
}

/// One option of a question.
#[derive(Debug, Clone)]
pub struct Choice {
    /// As written.
    pub text: Text,
    /// For computed and formula questions: the numbers, with the significant digits each was
    /// printed with.
    pub values: Vec<(Num, u32)>,
}

/// The one-step formulas a formula question may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formula {
    /// `beta * prev + (1 - beta) * g`, a moving average step (momentum's V).
    Ema,
    /// `beta * prev + (1 - beta) * g^2` (RMSProp's and Adam's S).
    EmaSquared,
    /// `m / (1 - beta^t)`, Adam's bias correction.
    BiasCorrection,
}

impl Formula {
    /// Every formula with its name in exercise files and its inputs.
    pub const ALL: &[(Formula, &'static str, &'static [&'static str])] = &[
        (Formula::Ema, "ema", &["beta", "prev", "g"]),
        (Formula::EmaSquared, "ema-squared", &["beta", "prev", "g"]),
        (
            Formula::BiasCorrection,
            "bias-correction",
            &["beta", "m", "t"],
        ),
    ];

    /// The name in exercise files.
    pub fn name(&self) -> &'static str {
        Formula::ALL
            .iter()
            .find(|f| f.0 == *self)
            .map_or("", |f| f.1)
    }

    /// The inputs it takes, in order.
    pub fn inputs(&self) -> &'static [&'static str] {
        Formula::ALL
            .iter()
            .find(|f| f.0 == *self)
            .map_or(&[], |f| f.2)
    }
}

/// What a question's answer is.
#[derive(Debug, Clone)]
pub enum QuestionKind {
    /// A question of understanding: the exercise's key is the answer.
    Concept,
    /// The point of a problem after an epoch.
    Computed {
        /// Index into the problems.
        problem: usize,
        /// 1-based epoch.
        epoch: u64,
        /// 0-based components asked for, in order.
        components: Vec<usize>,
        /// Relative tolerance.
        tolerance: Num,
    },
    /// One step of a formula with given inputs.
    Formula {
        /// Which formula.
        formula: Formula,
        /// Its inputs, in the order of [`Formula::inputs`].
        inputs: Vec<Num>,
        /// Relative tolerance.
        tolerance: Num,
    },
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

/// One problem of an exercise: an optimizer with its hyperparameters.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Identifier, `[a-z0-9_-]+`, unique in the exercise.
    pub id: String,
    /// Title, as written.
    pub title: Option<Text>,
    /// The optimizer.
    pub optimizer: &'static Info,
    /// Hyperparameter values, in the order of `optimizer.hypers`.
    pub params: Vec<Num>,
    /// Epochs worked step by step (part a).
    pub worked_epochs: u64,
    /// Epochs tabulated (part b).
    pub tabulated_epochs: u64,
}

impl Exercise {
    /// The problem called `id`.
    pub fn problem(&self, id: &str) -> Option<&Problem> {
        self.problems.iter().find(|p| p.id == id)
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.start.len()
    }
}

impl Problem {
    /// The value of hyperparameter `name`.
    pub fn param(&self, name: &str) -> Option<Num> {
        let i = self.optimizer.hypers.iter().position(|h| h.name == name)?;
        self.params.get(i).copied()
    }
}

/// A bad exercise file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SpecError {
    /// The file.
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub position: Option<(usize, usize)>,
    /// What is wrong, one line.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((l, c)) => write!(f, "{}:{}:{}: {}", self.file, l, c, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Text given once for every language, or per language (`{ vi = "...", en = "..." }`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Text {
    /// The same text in every language.
    Plain(String),
    /// Text per language code.
    ByLang(BTreeMap<String, String>),
}

impl Text {
    /// The text for `lang`: its own, else English, else any.
    pub fn get(&self, lang: &str) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::ByLang(m) => m
                .get(lang)
                .or_else(|| m.get("en"))
                .or_else(|| m.values().next())
                .map_or("", |s| s.as_str()),
        }
    }
}

/// Language codes a [`Text`] may use.
pub const TEXT_LANGS: &[&str] = &["vi", "en"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExercise {
    title: Option<Spanned<Text>>,
    objective: Spanned<String>,
    start: Spanned<Vec<Spanned<toml::Value>>>,
    worked_epochs: Option<Spanned<i64>>,
    tabulated_epochs: Option<Spanned<i64>>,
    #[serde(default)]
    problem: Vec<Spanned<RawProblem>>,
    #[serde(default)]
    quiz: Vec<Spanned<RawQuestion>>,
    variants: Option<Spanned<RawVariants>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariants {
    start: Option<Vec<Spanned<RawGrid>>>,
    #[serde(default)]
    params: BTreeMap<String, Spanned<BTreeMap<String, Spanned<RawGrid>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrid {
    from: Spanned<toml::Value>,
    to: Spanned<toml::Value>,
    step: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    kind: Spanned<String>,
    question: Spanned<Text>,
    options: Spanned<Vec<Spanned<Text>>>,
    key: Option<Spanned<String>>,
    explain: Option<Spanned<Text>>,
    problem: Option<Spanned<String>>,
    epoch: Option<Spanned<toml::Value>>,
    components: Option<Spanned<Vec<Spanned<i64>>>>,
    tolerance: Option<Spanned<toml::Value>>,
    formula: Option<Spanned<String>>,
    inputs: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProblem {
    id: Spanned<String>,
    title: Option<Spanned<Text>>,
    optimizer: Spanned<String>,
    params: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    worked_epochs: Option<Spanned<i64>>,
    tabulated_epochs: Option<Spanned<i64>>,
}

struct Ctx<'a> {
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

    fn at(&self, span: Range<usize>, message: impl Into<String>) -> SpecError {
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
    fn number(&self, v: &Spanned<toml::Value>, what: &str) -> Result<Num, SpecError> {
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

    fn text(&self, t: &Spanned<Text>, what: &str) -> Result<Text, SpecError> {
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
        let optimizer = optim::find(opt_id).ok_or_else(|| {
            let known: Vec<&str> = optim::ALL.iter().map(|i| i.id).collect();
            cx.at(
                rp.optimizer.span(),
                format!(
                    "unknown optimizer '{opt_id}': expected one of {}",
                    known.join(", ")
                ),
            )
        })?;
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
                None => match h.default {
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
        problems.push(Problem {
            id: id.clone(),
            title: match &rp.title {
                Some(t) => Some(cx.text(t, "title")?),
                None => None,
            },
            optimizer,
            params,
            worked_epochs,
            tabulated_epochs,
        });
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
    })
}

fn grid(cx: &Ctx, g: &Spanned<RawGrid>, what: &str) -> Result<Grid, SpecError> {
    let r = g.get_ref();
    let from = cx.number(&r.from, &format!("{what}: from"))?;
    let to = cx.number(&r.to, &format!("{what}: to"))?;
    let step = cx.number(&r.step, &format!("{what}: step"))?;
    if step <= Num::ZERO {
        return Err(cx.at(
            r.step.span(),
            format!("{what}: step must be > 0, got {step}"),
        ));
    }
    if to < from {
        return Err(cx.at(
            r.to.span(),
            format!("{what}: 'to' ({to}) is below 'from' ({from})"),
        ));
    }
    let n = to
        .sub(&from)
        .and_then(|d| d.div(&step))
        .map_err(|e| cx.at(g.span(), format!("{what}: {e}")))?;
    // whole steps only
    let count = n
        .trunc()
        .to_plain()
        .parse::<u64>()
        .ok()
        .map(|c| c + 1)
        .filter(|c| *c <= MAX_GRID);
    let count = count.ok_or_else(|| {
        cx.at(
            g.span(),
            format!("{what}: more than {MAX_GRID} values from {from} to {to} by {step}"),
        )
    })?;
    Ok(Grid { from, step, count })
}

fn variant_ranges(
    cx: &Ctx,
    v: &Spanned<RawVariants>,
    nvars: usize,
    problems: &[Problem],
) -> Result<VariantRanges, SpecError> {
    let raw = v.get_ref();
    let mut out = VariantRanges::default();
    if let Some(st) = &raw.start {
        if st.len() != nvars {
            return Err(cx.at(
                v.span(),
                format!("variants: start needs {nvars} ranges, one per variable"),
            ));
        }
        for (i, g) in st.iter().enumerate() {
            out.start
                .push(grid(cx, g, &format!("variants: start[{}]", i + 1))?);
        }
    }
    for (pid, table) in &raw.params {
        let pi = problems.iter().position(|p| p.id == *pid).ok_or_else(|| {
            cx.at(
                table.span(),
                format!("variants: no problem '{pid}' in this exercise"),
            )
        })?;
        let info = problems[pi].optimizer;
        for (name, g) in table.get_ref() {
            let hi = info
                .hypers
                .iter()
                .position(|h| h.name == name)
                .ok_or_else(|| {
                    cx.at(
                        g.span(),
                        format!("variants: {} has no parameter '{name}'", info.id),
                    )
                })?;
            let what = format!("variants: {pid}.{name}");
            let gr = grid(cx, g, &what)?;
            let h = &info.hypers[hi];
            for end in [gr.from, gr.value(gr.count - 1)] {
                if !h.bound.admits(&end) {
                    return Err(cx.at(
                        g.span(),
                        format!("{what}: {end} is outside {}", h.bound.describe()),
                    ));
                }
            }
            out.params.push((pi, hi, gr));
        }
    }
    if out.start.is_empty() && out.params.is_empty() {
        return Err(cx.at(
            v.span(),
            "variants: give start ranges or params ranges".to_string(),
        ));
    }
    Ok(out)
}

fn question(
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
            let components = match &q.components {
                None => (0..nvars).collect(),
                Some(c) => c
                    .get_ref()
                    .iter()
                    .map(|k| {
                        let v = *k.get_ref();
                        if v >= 1 && (v as usize) <= nvars {
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

/// The built-in exercise.
pub fn builtin() -> Exercise {
    // the built-in text is tested to load; an error here is a bug in this crate
    load(BUILTIN_NAME, BUILTIN).expect("the built-in exercise is valid")
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_text(t: &Text) -> String {
    match t {
        Text::Plain(s) => toml_str(s),
        Text::ByLang(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k} = {}", toml_str(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// A number as a TOML literal that reads back exactly (a string when TOML's integers cannot hold it).
fn toml_num(n: &Num) -> String {
    let s = n.to_string();
    if s.contains(['.', 'e']) || s.parse::<i64>().is_ok() {
        s
    } else {
        toml_str(&s)
    }
}

/// Writes an exercise as a file that [`load`] reads back to the same exercise.
pub fn to_toml(ex: &Exercise) -> String {
    let mut o = String::from("# stepwise exercise file\n");
    if let Some(t) = &ex.title {
        o.push_str(&format!("title = {}\n", toml_text(t)));
    }
    o.push_str(&format!("objective = {}\n", toml_str(&ex.objective_text)));
    let start: Vec<String> = ex.start.iter().map(toml_num).collect();
    o.push_str(&format!("start = [{}]\n", start.join(", ")));
    for p in &ex.problems {
        o.push_str("\n[[problem]]\n");
        o.push_str(&format!("id = {}\n", toml_str(&p.id)));
        if let Some(t) = &p.title {
            o.push_str(&format!("title = {}\n", toml_text(t)));
        }
        o.push_str(&format!("optimizer = {}\n", toml_str(p.optimizer.id)));
        let params: Vec<String> = p
            .optimizer
            .hypers
            .iter()
            .zip(&p.params)
            .map(|(h, v)| format!("{} = {}", h.name, toml_num(v)))
            .collect();
        o.push_str(&format!("params = {{ {} }}\n", params.join(", ")));
        o.push_str(&format!(
            "worked_epochs = {}\ntabulated_epochs = {}\n",
            p.worked_epochs, p.tabulated_epochs
        ));
    }
    for q in &ex.quiz {
        o.push_str("\n[[quiz]]\n");
        let kind = match &q.kind {
            QuestionKind::Concept => "concept",
            QuestionKind::Computed { .. } => "computed",
            QuestionKind::Formula { .. } => "formula",
        };
        o.push_str(&format!(
            "kind = {}\nquestion = {}\n",
            toml_str(kind),
            toml_text(&q.text)
        ));
        match &q.kind {
            QuestionKind::Concept => {}
            QuestionKind::Computed {
                problem,
                epoch,
                components,
                tolerance,
            } => {
                let id = ex.problems.get(*problem).map_or("", |p| p.id.as_str());
                let comps: Vec<String> = components.iter().map(|c| (c + 1).to_string()).collect();
                o.push_str(&format!(
                    "problem = {}\nepoch = {epoch}\ncomponents = [{}]\ntolerance = {}\n",
                    toml_str(id),
                    comps.join(", "),
                    toml_num(tolerance)
                ));
            }
            QuestionKind::Formula {
                formula,
                inputs,
                tolerance,
            } => {
                let ins: Vec<String> = formula
                    .inputs()
                    .iter()
                    .zip(inputs)
                    .map(|(k, v)| format!("{k} = {}", toml_num(v)))
                    .collect();
                o.push_str(&format!(
                    "formula = {}\ninputs = {{ {} }}\ntolerance = {}\n",
                    toml_str(formula.name()),
                    ins.join(", "),
                    toml_num(tolerance)
                ));
            }
        }
        let opts: Vec<String> = q.options.iter().map(|c| toml_text(&c.text)).collect();
        o.push_str(&format!("options = [\n  {},\n]\n", opts.join(",\n  ")));
        if let Some(k) = q.key {
            o.push_str(&format!("key = \"{}\"\n", option_letter(k)));
        }
        if let Some(e) = &q.explain {
            o.push_str(&format!("explain = {}\n", toml_text(e)));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads_with_exact_parameters() {
        let ex = builtin();
        assert_eq!(ex.problems.len(), 4);
        assert_eq!(ex.start, vec![Num::from_int(-5), Num::from_int(-2)]);
        let adam = ex.problem("adam").unwrap();
        assert_eq!(adam.param("eps").unwrap().to_sci(), "1e-6");
        assert_eq!(adam.param("beta2").unwrap().to_string(), "0.999");
        assert_eq!(adam.worked_epochs, 2);
        assert_eq!(adam.tabulated_epochs, 30);
    }

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
