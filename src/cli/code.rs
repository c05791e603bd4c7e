//! `code`: the reference NumPy code of one problem (part b), rendered from the `code.py` template.

use super::Failure;
use crate::render::{self, Templates};
use crate::spec::Exercise;
use crate::trace;

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
        let ex = &self.exercise;
        // the code reads the problem's declaration from its trace: no epoch needs running
        let problem = &ex.problems[self.problem];
        let trace = trace::trace(ex, problem, 0).map_err(|e| Failure::input(e.to_string()))?;
        render::render_code(
            &self.templates,
            ex,
            self.problem,
            &trace,
            self.lang,
            self.dtype,
        )
        .map_err(Failure::input)
    }
}
