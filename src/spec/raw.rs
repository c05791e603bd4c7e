//! The raw form of an exercise file: serde structs that mirror the TOML tables field by field and keep
//! the span of every value, so that validation (in `load`) can name the line and column of a mistake.
//! Unknown fields are refused here. Nothing outside the `spec` module sees these types.

use super::Text;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExercise {
    pub(super) title: Option<Spanned<Text>>,
    pub(super) objective: Spanned<String>,
    pub(super) start: Spanned<Vec<Spanned<toml::Value>>>,
    pub(super) worked_epochs: Option<Spanned<i64>>,
    pub(super) tabulated_epochs: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) problem: Vec<Spanned<RawProblem>>,
    #[serde(default)]
    pub(super) quiz: Vec<Spanned<RawQuestion>>,
    pub(super) variants: Option<Spanned<RawVariants>>,
    pub(super) vanishing: Option<Spanned<RawVanishing>>,
    pub(super) notation: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    pub(super) code: Option<Spanned<RawCode>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVanishing {
    pub(super) epochs: Option<Spanned<i64>>,
    pub(super) batch_size: Option<Spanned<i64>>,
    pub(super) lr: Option<Spanned<toml::Value>>,
    pub(super) seed: Option<Spanned<i64>>,
    pub(super) init_std: Option<Spanned<toml::Value>>,
    pub(super) optimizers: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub(super) params: BTreeMap<String, Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCode {
    pub(super) gradient: Option<Spanned<String>>,
    pub(super) train: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVariants {
    pub(super) start: Option<Vec<Spanned<RawGrid>>>,
    #[serde(default)]
    pub(super) params: BTreeMap<String, Spanned<BTreeMap<String, Spanned<RawGrid>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGrid {
    pub(super) from: Spanned<toml::Value>,
    pub(super) to: Spanned<toml::Value>,
    pub(super) step: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub(super) kind: Spanned<String>,
    pub(super) question: Spanned<Text>,
    pub(super) options: Spanned<Vec<Spanned<Text>>>,
    pub(super) key: Option<Spanned<String>>,
    pub(super) explain: Option<Spanned<Text>>,
    pub(super) problem: Option<Spanned<String>>,
    pub(super) epoch: Option<Spanned<toml::Value>>,
    pub(super) components: Option<Spanned<Vec<Spanned<i64>>>>,
    pub(super) tolerance: Option<Spanned<toml::Value>>,
    pub(super) formula: Option<Spanned<String>>,
    pub(super) inputs: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProblem {
    pub(super) id: Spanned<String>,
    pub(super) title: Option<Spanned<Text>>,
    pub(super) optimizer: Spanned<String>,
    pub(super) convention: Option<Spanned<String>>,
    pub(super) form: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    pub(super) params: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    pub(super) worked_epochs: Option<Spanned<i64>>,
    pub(super) tabulated_epochs: Option<Spanned<i64>>,
    pub(super) notation: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    pub(super) formulas: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    pub(super) function: Option<Spanned<String>>,
}
