//! Everything the engine computes for an exercise: every problem run in every engine (exact, float32,
//! float64) as far as its sheet and its questions need, and the quiz key. Renderers take this.

use crate::analysis::{forms, precision, reading, FormGroup, Precision, Reading};
use crate::number::{Ball, Num};
use crate::quiz::{self, Verdict};
use crate::spec::Exercise;
use crate::trace::{self, EngineError, Run};

/// The engine's results for an exercise.
#[derive(Debug, Clone)]
pub struct Solution {
    /// One run per problem, in order.
    pub runs: Vec<Run>,
    /// The quiz key, one verdict per question.
    pub key: Vec<Verdict>,
    /// The exact minimum, when the objective is a strictly convex quadratic.
    pub minimum: Option<Minimum>,
    /// One analysis per problem, in order.
    pub analyses: Vec<Analysis>,
    /// The optimizers that two or more problems run in different forms.
    pub form_groups: Vec<FormGroup>,
}

/// What the sheets say of one run, as numbers.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The reading of the trajectory.
    pub reading: Reading,
    /// The float results against the exact ones.
    pub precision: Precision,
}

/// The minimum of a strictly convex quadratic objective.
#[derive(Debug, Clone)]
pub struct Minimum {
    /// Where: `w*`.
    pub point: Vec<Num>,
    /// The objective there: `f(w*)`.
    pub value: Num,
}

/// The Euclidean norm of the gradient of the objective at `w`.
fn gradient_norm(ex: &Exercise, w: &[Ball]) -> Option<Ball> {
    ex.gradient
        .iter()
        .try_fold(Ball::ZERO, |acc, d| {
            let g = d.eval(w)?;
            acc.add(&g.mul(&g)?)
        })
        .and_then(|s| s.sqrt())
        .ok()
}

/// Runs every problem for its tabulated epochs (at least its worked ones) and computes the key.
pub fn solve(ex: &Exercise) -> Result<Solution, EngineError> {
    let runs = runs(ex)?;
    let key = quiz::key(ex, &runs);
    Ok(assemble(ex, runs, key))
}

/// Every problem run in every engine for its tabulated epochs (at least its worked ones), in order.
///
/// Problems run in parallel (rayon); each run is the same whatever thread runs it, and the error
/// reported is the first problem's in the file's order.
pub fn runs(ex: &Exercise) -> Result<Vec<Run>, EngineError> {
    use rayon::prelude::*;
    let results: Vec<Result<Run, EngineError>> = ex
        .problems
        .par_iter()
        .map(|p| trace::run_all(ex, p, p.tabulated_epochs.max(p.worked_epochs)))
        .collect();
    results.into_iter().collect()
}

/// The solution of `ex` from its [`runs`] and its quiz key (`quiz::key(ex, &runs)`), for a caller
/// that has already computed them.
pub fn assemble(ex: &Exercise, runs: Vec<Run>, key: Vec<Verdict>) -> Solution {
    let minimum = ex.objective.quadratic_minimizer().and_then(|point| {
        let value = ex.objective.eval(&point).ok()?;
        Some(Minimum { point, value })
    });
    let analyses = runs
        .iter()
        .map(|run| Analysis {
            reading: reading::read(
                &run.trace,
                minimum.as_ref().map(|m| (m.point.as_slice(), &m.value)),
                minimum
                    .is_none()
                    .then(|| gradient_norm(ex, run.trace.last_point()))
                    .flatten(),
            ),
            precision: precision::report(run),
        })
        .collect();
    let form_groups = forms::groups(ex, &runs);
    Solution {
        runs,
        key,
        minimum,
        analyses,
        form_groups,
    }
}
