//! `export`: the quiz with its computed key for a learning platform (Moodle XML or GIFT), to standard
//! output or a file.

use super::io::{write_reporting, Output};
use super::key::computed_key;
use super::Failure;
use crate::render::catalog::Catalog;
use crate::render::export::{self, Target};
use crate::spec::Exercise;

/// `export`, resolved.
pub(crate) struct ExportJob {
    /// An exercise with a quiz.
    pub(crate) exercise: Exercise,
    pub(crate) target: Target,
    /// The catalog of the questions' language.
    pub(crate) catalog: Catalog,
    /// Computed and formula questions as numerical questions.
    pub(crate) numerical: bool,
    pub(crate) out: Output,
}

impl ExportJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let ex = &self.exercise;
        let key = computed_key(ex)?;
        let e = export::export(ex, &key, &self.catalog, self.target, self.numerical);
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
