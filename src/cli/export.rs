//! `export`: the quiz with its computed key for a learning platform (Moodle XML or GIFT), to standard
//! output or a file; with `--variants`, a question bank of every variant a `variants` run wrote.

use super::io::{read_text, write_reporting, Output};
use super::key::computed_key;
use super::Failure;
use crate::render::catalog::Catalog;
use crate::render::export::{self, Target};
use crate::spec::{self, Exercise, Text};
use rayon::prelude::*;
use std::path::Path;

/// What is exported.
pub(crate) enum Source {
    /// An exercise with a quiz.
    Exercise(Box<Exercise>),
    /// The variants of a `variants` run: the bank's name and each variant's folder name and
    /// exercise, in order.
    Variants(String, Vec<(String, Exercise)>),
}

/// The variants a `variants` run wrote into `dir`: each `variant-NNN/exercise.toml`, in order. The
/// bank is named after the exercise's title (without the variant's number), or the folder.
pub(crate) fn read_variants(dir: &Path) -> Result<Source, Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Failure::input(format!(
            "{}: cannot read: {}",
            dir.display(),
            super::io::io_reason(&e)
        ))
    })?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| super::variants::is_variant_folder(n))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(Failure::input(format!(
            "{}: no variant folders (variant-001, ...): write them with stepwise variants",
            dir.display()
        )));
    }
    let mut variants = Vec::with_capacity(names.len());
    for n in names {
        let path = dir.join(&n).join("exercise.toml");
        let text = read_text(&path)?;
        let ex = spec::load(&path.display().to_string(), &text)
            .map_err(|e| Failure::input(e.to_string()))?;
        if ex.quiz.is_empty() {
            return Err(Failure::input(format!(
                "{}: the exercise has no [[quiz]]",
                path.display()
            )));
        }
        variants.push((n, ex));
    }
    let folder = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|f| f.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "variants".to_string());
    Ok(Source::Variants(folder, variants))
}

/// A variant's title without the ` (N)` that `variants` adds.
fn base_title(title: &str) -> &str {
    match title.rsplit_once(" (") {
        Some((base, n))
            if n.strip_suffix(')')
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) =>
        {
            base
        }
        _ => title,
    }
}

/// `export`, resolved.
pub(crate) struct ExportJob {
    /// What to export.
    pub(crate) source: Source,
    pub(crate) target: Target,
    /// The catalog of the questions' language.
    pub(crate) catalog: Catalog,
    /// Computed and formula questions as numerical questions.
    pub(crate) numerical: bool,
    pub(crate) out: Output,
}

impl ExportJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let e = match &self.source {
            Source::Exercise(ex) => {
                let key = computed_key(ex)?;
                export::export(
                    ex.as_ref(),
                    &key,
                    &self.catalog,
                    self.target,
                    self.numerical,
                )
            }
            Source::Variants(folder, variants) => {
                let keys = variants
                    .par_iter()
                    .map(|(_, ex)| computed_key(ex))
                    .collect::<Result<Vec<_>, _>>()?;
                let lang = self.catalog.lang();
                let name = variants
                    .first()
                    .and_then(|(_, ex)| ex.title.as_ref())
                    .map_or(folder.as_str(), |t: &Text| base_title(t.get(lang)));
                let versions: Vec<export::Version<'_>> = variants
                    .iter()
                    .zip(&keys)
                    .map(|((label, ex), key)| export::Version {
                        label,
                        exercise: ex,
                        key,
                    })
                    .collect();
                export::bank(name, &versions, &self.catalog, self.target, self.numerical)
            }
        };
        // the instructor hears of every question left out, on standard error
        for why in &e.left_out {
            eprintln!("stepwise: {why}");
        }
        let out = match &self.out {
            Output::Stdout => e.text,
            Output::Path(path) => {
                write_reporting(path, e.text.as_bytes())?;
                String::new()
            }
        };
        disagreements(&self.catalog, &e.disagreements, out)
    }
}

/// Exit 1 when the exercise's own key disagrees with the computed answers (after printing `out`),
/// else `out`.
pub(crate) fn disagreements(
    cat: &Catalog,
    found: &[(usize, char, char)],
    out: String,
) -> Result<String, Failure> {
    if found.is_empty() {
        return Ok(out);
    }
    print!("{out}");
    let each: Vec<String> = found
        .iter()
        .map(|(n, k, a)| {
            cat.text("key_disagrees")
                .replace("{n}", &n.to_string())
                .replace("{key}", &k.to_string())
                .replace("{answer}", &a.to_string())
        })
        .collect();
    Err(Failure {
        message: each.join("; "),
        code: 1,
    })
}
