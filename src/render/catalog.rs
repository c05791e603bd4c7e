//! Language catalogs: one TOML file per language (`templates/i18n/<lang>.toml`), compiled in and
//! overridable from a templates folder. Optimizer prose comes from `[optimizer.<id>]`, step titles
//! from `[step]` (keyed by the first quantity of a step) or `[optimizer.<id>.step]`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The languages stepwise writes.
pub const LANGS: &[&str] = &["vi", "en"];

/// The compiled-in catalog text of `lang`.
pub fn builtin_source(lang: &str) -> Option<&'static str> {
    match lang {
        "en" => Some(include_str!("../../templates/i18n/en.toml")),
        "vi" => Some(include_str!("../../templates/i18n/vi.toml")),
        _ => None,
    }
}

/// What a catalog says of one optimizer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptimizerText {
    /// Its name.
    pub name: String,
    /// One or two sentences on the idea.
    pub summary: String,
    /// Step titles specific to this optimizer.
    #[serde(default)]
    pub step: BTreeMap<String, String>,
    /// One sentence per form other than the course's, naming it and how it differs.
    #[serde(default)]
    pub form: BTreeMap<String, String>,
}

/// One language's text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(skip)]
    lang: String,
    text: BTreeMap<String, String>,
    step: BTreeMap<String, String>,
    optimizer: BTreeMap<String, OptimizerText>,
}

impl Catalog {
    /// Parses a catalog; `name` names it in errors.
    pub fn parse(lang: &str, name: &str, src: &str) -> Result<Catalog, String> {
        let mut c: Catalog = toml::from_str(src).map_err(|e| {
            let msg = e.message().trim().replace('\n', "; ");
            match e.span() {
                Some(s) => {
                    let before = &src[..s.start.min(src.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!("{name}:{line}:{col}: {msg}")
                }
                None => format!("{name}: {msg}"),
            }
        })?;
        c.lang = lang.to_string();
        Ok(c)
    }

    /// The compiled-in catalog of `lang`.
    pub fn builtin(lang: &str) -> Result<Catalog, String> {
        let src =
            builtin_source(lang).ok_or_else(|| format!("no catalog for language '{lang}'"))?;
        Catalog::parse(lang, &format!("i18n/{lang}.toml"), src)
    }

    /// The language code.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// Every plain phrase.
    pub fn texts(&self) -> &BTreeMap<String, String> {
        &self.text
    }

    /// A phrase; a missing one shows as its key in brackets (the registry test keeps catalogs complete).
    pub fn text(&self, key: &str) -> String {
        self.text
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("[{key}]"))
    }

    /// Whether the catalog has a phrase.
    pub fn has_text(&self, key: &str) -> bool {
        self.text.contains_key(key)
    }

    /// The name of an optimizer.
    pub fn optimizer_name(&self, id: &str) -> String {
        self.optimizer
            .get(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    }

    /// The idea of an optimizer.
    pub fn optimizer_summary(&self, id: &str) -> String {
        self.optimizer
            .get(id)
            .map_or_else(String::new, |o| o.summary.clone())
    }

    /// The sentence on form `form` of optimizer `id`, when the catalog has one.
    pub fn form_summary(&self, id: &str, form: &str) -> Option<String> {
        self.optimizer
            .get(id)
            .and_then(|o| o.form.get(form))
            .cloned()
    }

    /// Whether the catalog describes optimizer `id`.
    pub fn has_optimizer(&self, id: &str) -> bool {
        self.optimizer.contains_key(id)
    }

    /// The title of the step that starts with quantity `key` of optimizer `id`.
    pub fn step(&self, id: &str, key: &str) -> String {
        self.optimizer
            .get(id)
            .and_then(|o| o.step.get(key))
            .or_else(|| self.step.get(key))
            .cloned()
            .unwrap_or_else(|| format!("[step.{key}]"))
    }

    /// Whether the step title exists.
    pub fn has_step(&self, id: &str, key: &str) -> bool {
        !self.step(id, key).starts_with("[step.")
    }
}
