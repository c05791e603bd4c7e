//! `code`: the reference NumPy code of one problem (part b), rendered from the `code.py` template.

use super::Failure;
use crate::render::{self, Templates};
use crate::spec::Exercise;

/// `code`, resolved.
pub(crate) struct CodeJob {
    pub(crate) exercise: Exercise,
    /// The problem's index.
    pub(crate) problem: usize,
    pub(crate) templates: Templates,
    pub(crate) dtype: render::code::Dtype,
    /// Catalog code of the comments' language.
    pub(crate) lang: &'static str,
}

impl CodeJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        render::render_code(
            &self.templates,
            &self.exercise,
            self.problem,
            self.lang,
            self.dtype,
        )
        .map_err(Failure::input)
    }
}
