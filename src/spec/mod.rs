//! Exercise files: loading (raw TOML) and validation into a resolved [`Exercise`].
//!
//! The raw form mirrors the file and keeps the position of every value; the resolved form is what the
//! engine runs: a parsed objective with its gradient, an exact start point, and problems whose optimizer
//! is known and whose hyperparameters are exact and in range. Every number is read from its literal
//! text (or from a string), never through `f64`, so `0.1` is exactly one tenth and `1e-30` is not zero.
//! Errors name the file, line and column and say what was expected.
//!
//! The flow is raw -> resolved. `raw` holds the serde structs that mirror the file; `load` checks them
//! and resolves them into the public types of this module, with `questions` for the `[[quiz]]` tables
//! and `ranges` for the `[variants]` table; `write` writes a resolved exercise back as a file that
//! [`load`](fn@load) reads to the same exercise. Everything public is reached at `spec::`.

mod load;
mod notation;
mod questions;
mod ranges;
mod raw;
mod vanishing;
mod write;

pub use load::load;
pub use notation::{symbol_problem, CodeNames, Notation, GRADIENT};
pub use questions::{letter_index, option_letter, printed_digits};
pub use vanishing::{vanishing_optimizer, Vanishing, VanishingOptimizer, VANISHING_OPTIMIZERS};
pub use write::to_toml;

use crate::expr::Poly;
use crate::number::Num;
use crate::optim::Info;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

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

/// Most problems an exercise may have.
pub const MAX_PROBLEMS: usize = 64;

/// Most questions a quiz may have.
pub const MAX_QUESTIONS: usize = 500;

/// Most component-epochs (epochs times variables, summed over the problems) an exercise may run:
/// 4 problems of 100,000 epochs in 32 variables.
pub const MAX_WORK: u64 = 12_800_000;

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
    /// The settings of the vanishing-gradient experiment (exercise 5), when the exercise has a
    /// `[vanishing]` table.
    pub vanishing: Option<Vanishing>,
    /// The names of the generated code's shared functions.
    pub code: CodeNames,
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

/// One problem of an exercise: an optimizer with its hyperparameters.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Identifier, `[a-z0-9_-]+`, unique in the exercise.
    pub id: String,
    /// Where its `[[problem]]` table starts, `file:line:column`, for messages about its run.
    pub origin: String,
    /// Title, as written.
    pub title: Option<Text>,
    /// The optimizer, in the form the problem asks for.
    pub optimizer: &'static Info,
    /// The convention the file names, if any (its choices and defaults made `optimizer`).
    pub convention: Option<&'static str>,
    /// Hyperparameter values, in the order of `optimizer.hypers`.
    pub params: Vec<Num>,
    /// Epochs worked step by step (part a).
    pub worked_epochs: u64,
    /// Epochs tabulated (part b).
    pub tabulated_epochs: u64,
    /// Its symbols, formula numbers and function name (the exercise's, then its own).
    pub notation: Notation,
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

/// The built-in exercise.
pub fn builtin() -> Exercise {
    // the built-in text is tested to load; an error here is a bug in this crate
    load(BUILTIN_NAME, BUILTIN).expect("the built-in exercise is valid")
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
}
