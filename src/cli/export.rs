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
        let text = export::export(ex, &key, &self.catalog, self.target, self.numerical);
        match &self.out {
            Output::Stdout => Ok(text),
            Output::Path(path) => {
                write_reporting(path, text.as_bytes())?;
                Ok(String::new())
            }
        }
    }
}
