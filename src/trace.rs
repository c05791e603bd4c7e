//! The engine and its record.
//!
//! [`run`] drives an optimizer over a problem for a number of epochs in any [`Scalar`] type: at each
//! epoch it evaluates the symbolic gradient at the current point, calls the optimizer's `update` on each
//! component and evaluates the objective at the new point. [`trace`] runs it in exact arithmetic and
//! keeps everything ([`Trace`]); [`points`] keeps only the points, for the float engines.
//!
//! Divergence is a result, not an error: the trace's [`Status`] says whether the objective went down or
//! blew up. Only a value whose magnitude passes `1e300` ([`MAGNITUDE_BOUND_EXP`]) stops the run, with an
//! error that names the problem, the epoch and the quantity.
//!
//! The exact engine computes in [`Ball`]s: every value carries a proven error bound, so a reader can tell
//! which of its digits are certain.
//!
//! The JSON form of [`Trace`] is stable (`"format": "stepwise-trace/2"`); every computed value is an
//! object with its midpoint (a string with every significant digit) and its radius.

use crate::number::{Aff, ArithError, Ball, Num, Scalar};
use crate::optim::{self, Recorder, Rule, StepError, Visit};
use crate::spec::{Exercise, Problem, MAGNITUDE_BOUND_EXP};
use serde::Serialize;

/// The identifier of the JSON form.
pub const FORMAT: &str = "stepwise-trace/2";

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// An arithmetic error.
    #[error("{origin}: problem '{problem}', epoch {epoch}, {quantity}: {error}")]
    Arith {
        /// Where the problem is written (`file:line:column`).
        origin: String,
        /// Problem id.
        problem: String,
        /// 1-based epoch.
        epoch: u64,
        /// The quantity, such as `V[2]` or `f`.
        quantity: String,
        /// What went wrong.
        error: ArithError,
    },
    /// A value passed the magnitude bound.
    #[error("{origin}: problem '{problem}', epoch {epoch}, {quantity}: magnitude passed the bound 1e{bound} (the run diverges)")]
    Bound {
        /// Where the problem is written (`file:line:column`).
        origin: String,
        /// Problem id.
        problem: String,
        /// 1-based epoch.
        epoch: u64,
        /// The quantity.
        quantity: String,
        /// The bound's exponent.
        bound: i64,
    },
}

/// What the objective did over the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The objective at the end is below its start value.
    Decreasing,
    /// The objective at the end is above its start value and still rising.
    Diverging,
    /// Neither.
    NotDecreasing,
    /// A value passed the magnitude bound (or a float overflowed), and the run stopped there.
    Diverged,
    /// A divisor or a value under a square root could no longer be told apart from zero (or from a
    /// negative number) within its error bound, and the run stopped there: its later epochs cannot
    /// be certified.
    Uncertain,
}

impl Status {
    /// The kebab-case name used in JSON and catalogs.
    pub fn key(&self) -> &'static str {
        match self {
            Status::Decreasing => "decreasing",
            Status::Diverging => "diverging",
            Status::NotDecreasing => "not-decreasing",
            Status::Diverged => "diverged",
            Status::Uncertain => "uncertain",
        }
    }
}

/// A partial derivative, symbolically.
#[derive(Debug, Clone, Serialize)]
pub struct GradientFormula {
    /// The variable (`w1`).
    pub variable: String,
    /// Plain text (`0.2*w1`).
    pub text: String,
    /// LaTeX (`0.2 w_{1}`).
    pub latex: String,
}

/// A hyperparameter value.
#[derive(Debug, Clone, Serialize)]
pub struct Hyper {
    /// Name (`lr`).
    pub name: &'static str,
    /// LaTeX symbol.
    pub latex: &'static str,
    /// Exact value.
    pub value: Num,
}

/// One named quantity of one epoch, every component.
#[derive(Debug, Clone, Serialize)]
pub struct Quantity {
    /// Key, as the optimizer declares it.
    pub key: &'static str,
    /// One value per component.
    pub values: Vec<Ball>,
}

/// Everything computed in one epoch.
#[derive(Debug, Clone, Serialize)]
pub struct Epoch {
    /// 1-based epoch number (`t`).
    pub epoch: u64,
    /// The point before the update.
    pub before: Vec<Ball>,
    /// Where the gradient was taken, when the optimizer takes it elsewhere than at `before`
    /// (Nesterov's look-ahead point).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Vec<Ball>>,
    /// The gradient at `at`, or at `before`.
    pub gradient: Vec<Ball>,
    /// The optimizer's quantities in the order it computes them; the last is `w`.
    pub quantities: Vec<Quantity>,
    /// The point after the update.
    pub after: Vec<Ball>,
    /// The objective at `after`.
    pub f: Ball,
}

impl Epoch {
    /// The values of quantity `key`.
    pub fn quantity(&self, key: &str) -> Option<&[Ball]> {
        self.quantities
            .iter()
            .find(|q| q.key == key)
            .map(|q| q.values.as_slice())
    }
}

/// Where and why a diverging run stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stopped {
    /// The epoch in which a value passed the bound; the record ends with the epoch before it.
    pub epoch: u64,
    /// The quantity that passed it (`f`, `w[2]`, `S[1]`).
    pub quantity: String,
    /// The bound's exponent: the run stops at a magnitude of 10^bound.
    pub bound: i64,
    /// Whether it stopped because a value's error bound left its sign (or its being nonzero)
    /// undetermined, rather than because a value passed the bound.
    pub uncertain: bool,
}

/// The full record of one problem's run.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// Problem id.
    pub problem: String,
    /// Optimizer id.
    pub optimizer: &'static str,
    /// The optimizer's form (`ema`, `heavy-ball`, ...).
    pub form: &'static str,
    /// Variable names.
    pub variables: Vec<String>,
    /// The objective, plain text.
    pub objective: String,
    /// The objective, LaTeX.
    pub objective_latex: String,
    /// The partial derivatives.
    pub gradient: Vec<GradientFormula>,
    /// Hyperparameters in declaration order.
    pub hyperparameters: Vec<Hyper>,
    /// Start point.
    pub start: Vec<Ball>,
    /// The objective at the start point.
    pub f_start: Ball,
    /// What the objective did.
    pub status: Status,
    /// Where the run stopped, when it diverged past the magnitude bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stopped>,
    /// Every epoch.
    pub epochs: Vec<Epoch>,
}

impl Trace {
    /// The point after the last epoch (the start when there are no epochs).
    pub fn last_point(&self) -> &[Ball] {
        self.epochs.last().map_or(&self.start, |e| &e.after)
    }
}

/// What an epoch computed, for a [`Sink`].
pub struct EpochEvent<'a, S> {
    /// 1-based epoch.
    pub t: u64,
    /// The point before the update.
    pub before: &'a [S],
    /// Where the gradient was taken, when the optimizer declares another point than `before`.
    pub at: Option<&'a [S]>,
    /// The gradient.
    pub grad: &'a [S],
    /// The point after the update.
    pub after: &'a [S],
    /// The objective at `after`.
    pub f: &'a S,
}

/// Receives a run's events; [`Recorder`] gets the optimizer's quantities.
pub trait Sink<S>: Recorder<S> {
    /// Before component `i` of an epoch is updated.
    fn component(&mut self, _i: usize) {}
    /// After an epoch: the point before, where the gradient was taken when that is another point,
    /// the gradient, the point after and the objective there.
    fn epoch(&mut self, _e: EpochEvent<'_, S>) {}
    /// The run stopped in epoch `t` because `quantity` passed the magnitude bound (or overflowed), or,
    /// when `uncertain`, because its error bound reached zero where it may not.
    fn stop(&mut self, _t: u64, _quantity: &str, _uncertain: bool) {}
    /// Whether [`run`] returns every point (otherwise the start and the last, so that a long run
    /// whose sink keeps what it needs does not also hold every point in its working type).
    fn keeps_points(&self) -> bool {
        true
    }
}

impl<S> Sink<S> for optim::NoRecord {}

struct Checker<'a> {
    origin: &'a str,
    problem: &'a str,
    epoch: u64,
}

impl Checker<'_> {
    fn arith(&self, quantity: String, error: ArithError) -> EngineError {
        EngineError::Arith {
            origin: self.origin.to_string(),
            problem: self.problem.to_string(),
            epoch: self.epoch,
            quantity,
            error,
        }
    }

    fn check<S: Scalar>(&self, x: &S, quantity: impl Fn() -> String) -> Result<(), EngineError> {
        match x.beyond(MAGNITUDE_BOUND_EXP) {
            Ok(false) => Ok(()),
            Ok(true) => Err(EngineError::Bound {
                origin: self.origin.to_string(),
                problem: self.problem.to_string(),
                epoch: self.epoch,
                quantity: quantity(),
                bound: MAGNITUDE_BOUND_EXP,
            }),
            Err(e) => Err(self.arith(quantity(), e)),
        }
    }
}

/// Runs optimizer `O` on `problem` for `epochs` epochs in the scalar type `S`, reporting to `sink`;
/// returns every point, the start included.
pub fn run<O: Rule, S: Scalar, K: Sink<S>>(
    ex: &Exercise,
    problem: &Problem,
    epochs: u64,
    sink: &mut K,
) -> Result<Vec<Vec<S>>, EngineError> {
    S::begin_run();
    let hp: Vec<S::Hyper> = problem.params.iter().map(S::Hyper::from_num).collect();
    let gradient: Vec<_> = ex.gradient.iter().map(|d| d.compile::<S>()).collect();
    let objective = ex.objective.compile::<S>();
    let n = ex.nvars();
    let mut state: Vec<O::State<S>> = (0..n).map(|_| O::init::<S>()).collect();
    let mut w: Vec<S> = ex.start.iter().map(S::from_num).collect();
    let keep = sink.keeps_points();
    let mut points = Vec::with_capacity(if keep { epochs as usize + 1 } else { 2 });
    points.push(w.clone());
    for t in 1..=epochs {
        S::begin_epoch();
        let ck = Checker {
            origin: &problem.origin,
            problem: &problem.id,
            epoch: t,
        };
        match epoch::<O, S, K>(&ck, &hp, &gradient, &objective, &mut state, &w, t, sink) {
            Ok(next) => {
                w = next;
                if keep || t == epochs {
                    points.push(w.clone());
                }
            }
            // divergence is a result: the run stops, what it computed stays
            Err(EngineError::Bound { quantity, .. })
            | Err(EngineError::Arith {
                quantity,
                error: ArithError::NonFinite,
                ..
            }) => {
                sink.stop(t, &quantity, false);
                break;
            }
            // so is a value whose error bound no longer settles a division or a root
            Err(EngineError::Arith {
                quantity,
                error: ArithError::DivisorMayBeZero | ArithError::SqrtMayBeNegative,
                ..
            }) => {
                sink.stop(t, &quantity, true);
                break;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(points)
}

/// One epoch: the point after it, reported to `sink`.
#[allow(clippy::too_many_arguments)]
fn epoch<O: Rule, S: Scalar, K: Sink<S>>(
    ck: &Checker<'_>,
    hp: &[S::Hyper],
    gradient: &[crate::expr::Compiled<S>],
    objective: &crate::expr::Compiled<S>,
    state: &mut [O::State<S>],
    w: &[S],
    t: u64,
    sink: &mut K,
) -> Result<Vec<S>, EngineError> {
    let n = w.len();
    let at = match O::INFO.gradient_at {
        None => None,
        Some(_) => Some(
            (0..n)
                .map(|i| {
                    O::gradient_at(hp, &state[i], &w[i]).map_err(|StepError { quantity, error }| {
                        ck.arith(format!("{quantity}[{}]", i + 1), error)
                    })
                })
                .collect::<Result<Vec<S>, _>>()?,
        ),
    };
    let point = at.as_deref().unwrap_or(w);
    let mut grad = Vec::with_capacity(n);
    for (i, d) in gradient.iter().enumerate() {
        let g = d
            .eval(point)
            .map_err(|e| ck.arith(format!("g[{}]", i + 1), e))?;
        ck.check(&g, || format!("g[{}]", i + 1))?;
        grad.push(g);
    }
    let mut next = Vec::with_capacity(n);
    for i in 0..n {
        sink.component(i);
        let wi = O::update(hp, &mut state[i], t, &grad[i], &w[i], sink).map_err(
            |StepError { quantity, error }| ck.arith(format!("{quantity}[{}]", i + 1), error),
        )?;
        ck.check(&wi, || format!("w[{}]", i + 1))?;
        next.push(wi);
    }
    let f = objective.eval(&next).map_err(|e| ck.arith("f".into(), e))?;
    ck.check(&f, || "f".into())?;
    sink.epoch(EpochEvent {
        t,
        before: w,
        at: at.as_deref(),
        grad: &grad,
        after: &next,
        f: &f,
    });
    Ok(next)
}

/// Collects exact epochs.
struct ExactSink {
    /// Keep only the points and the objective (no quantities, point before or gradient).
    light: bool,
    component: usize,
    quantities: Vec<Quantity>,
    epochs: Vec<Epoch>,
    stopped: Option<Stopped>,
}

impl Recorder<Aff> for ExactSink {
    fn record(&mut self, key: &'static str, value: &Aff) {
        if self.light {
            return;
        }
        let value = value.to_ball();
        match self.quantities.iter_mut().find(|q| q.key == key) {
            Some(q) => q.values.push(value),
            None => self.quantities.push(Quantity {
                key,
                values: vec![value],
            }),
        }
        debug_assert_eq!(
            self.quantities
                .iter()
                .find(|q| q.key == key)
                .map(|q| q.values.len()),
            Some(self.component + 1)
        );
    }
}

fn balls(v: &[Aff]) -> Vec<Ball> {
    v.iter().map(Aff::to_ball).collect()
}

impl Sink<Aff> for ExactSink {
    fn stop(&mut self, t: u64, quantity: &str, uncertain: bool) {
        self.stopped = Some(Stopped {
            epoch: t,
            quantity: quantity.to_string(),
            bound: MAGNITUDE_BOUND_EXP,
            uncertain,
        });
    }
    fn component(&mut self, i: usize) {
        self.component = i;
    }
    fn keeps_points(&self) -> bool {
        false
    }
    fn epoch(&mut self, e: EpochEvent<'_, Aff>) {
        if self.light {
            self.epochs.push(Epoch {
                epoch: e.t,
                before: Vec::new(),
                at: None,
                gradient: Vec::new(),
                quantities: Vec::new(),
                after: balls(e.after),
                f: e.f.to_ball(),
            });
            return;
        }
        self.epochs.push(Epoch {
            epoch: e.t,
            before: balls(e.before),
            at: e.at.map(balls),
            gradient: balls(e.grad),
            quantities: std::mem::take(&mut self.quantities),
            after: balls(e.after),
            f: e.f.to_ball(),
        });
    }
}

struct TraceVisit<'a> {
    ex: &'a Exercise,
    problem: &'a Problem,
    epochs: u64,
    light: bool,
}

impl Visit for TraceVisit<'_> {
    type Out = Result<(Vec<Epoch>, Option<Stopped>), EngineError>;
    fn visit<O: Rule>(self) -> Self::Out {
        let mut sink = ExactSink {
            light: self.light,
            component: 0,
            quantities: Vec::new(),
            epochs: Vec::new(),
            stopped: None,
        };
        run::<O, Aff, _>(self.ex, self.problem, self.epochs, &mut sink)?;
        Ok((sink.epochs, sink.stopped))
    }
}

struct PointsVisit<'a, S> {
    ex: &'a Exercise,
    problem: &'a Problem,
    epochs: u64,
    _s: std::marker::PhantomData<S>,
}

impl<S: Scalar> Visit for PointsVisit<'_, S> {
    type Out = Result<Vec<Vec<S>>, EngineError>;
    fn visit<O: Rule>(self) -> Self::Out {
        run::<O, S, _>(self.ex, self.problem, self.epochs, &mut optim::NoRecord)
    }
}

fn unknown(problem: &Problem) -> EngineError {
    // a resolved problem always names a registered optimizer; keep the engine total anyway
    EngineError::Arith {
        origin: problem.origin.clone(),
        problem: problem.id.clone(),
        epoch: 0,
        quantity: format!("optimizer '{}'", problem.optimizer.id),
        error: ArithError::NonFinite,
    }
}

/// Every point of `epochs` epochs in the scalar type `S` (the start included), recording nothing.
pub fn points<S: Scalar>(
    ex: &Exercise,
    problem: &Problem,
    epochs: u64,
) -> Result<Vec<Vec<S>>, EngineError> {
    let v = PointsVisit::<S> {
        ex,
        problem,
        epochs,
        _s: std::marker::PhantomData,
    };
    optim::dispatch(problem.optimizer, v).unwrap_or_else(|| Err(unknown(problem)))
}

/// The exact trace of `epochs` epochs.
pub fn trace(ex: &Exercise, problem: &Problem, epochs: u64) -> Result<Trace, EngineError> {
    traced(ex, problem, epochs, false)
}

/// The exact trace of `epochs` epochs with only the points and the objective in its epochs (no
/// quantities, point before or gradient): what `stepwise run` prints, in a tenth of the memory.
pub fn trace_points(ex: &Exercise, problem: &Problem, epochs: u64) -> Result<Trace, EngineError> {
    traced(ex, problem, epochs, true)
}

fn traced(
    ex: &Exercise,
    problem: &Problem,
    epochs: u64,
    light: bool,
) -> Result<Trace, EngineError> {
    let v = TraceVisit {
        ex,
        problem,
        epochs,
        light,
    };
    let (epochs, stopped) =
        optim::dispatch(problem.optimizer, v).unwrap_or_else(|| Err(unknown(problem)))?;
    let start: Vec<Ball> = ex.start.iter().copied().map(Ball::exact).collect();
    let f_start = ex.objective.eval(&start).map_err(|e| EngineError::Arith {
        origin: problem.origin.clone(),
        problem: problem.id.clone(),
        epoch: 0,
        quantity: "f".into(),
        error: e,
    })?;
    let status = match &stopped {
        Some(s) if s.uncertain => Status::Uncertain,
        Some(_) => Status::Diverged,
        None => status(&f_start, &epochs),
    };
    Ok(Trace {
        format: FORMAT,
        problem: problem.id.clone(),
        optimizer: problem.optimizer.id,
        form: problem.optimizer.form,
        variables: (1..=ex.nvars()).map(|i| format!("w{i}")).collect(),
        objective: ex.objective.to_text(),
        objective_latex: ex.objective.to_latex(),
        gradient: ex
            .gradient
            .iter()
            .enumerate()
            .map(|(i, d)| GradientFormula {
                variable: format!("w{}", i + 1),
                text: d.to_text(),
                latex: d.to_latex(),
            })
            .collect(),
        hyperparameters: problem
            .optimizer
            .hypers
            .iter()
            .zip(&problem.params)
            .map(|(h, v)| Hyper {
                name: h.name,
                latex: h.latex,
                value: *v,
            })
            .collect(),
        start,
        f_start,
        status,
        stopped,
        epochs,
    })
}

fn status(f_start: &Ball, epochs: &[Epoch]) -> Status {
    let Some(last) = epochs.last() else {
        return Status::NotDecreasing;
    };
    let prev = if epochs.len() >= 2 {
        &epochs[epochs.len() - 2].f
    } else {
        f_start
    };
    let (f, f0, prev) = (last.f.mid(), f_start.mid(), prev.mid());
    if f < f0 {
        Status::Decreasing
    } else if f > f0 && f > prev {
        Status::Diverging
    } else {
        Status::NotDecreasing
    }
}

/// A problem run by every engine: the exact trace and the float32 and float64 points (the start
/// included), as the generated NumPy code computes them.
#[derive(Debug, Clone)]
pub struct Run {
    /// The exact record.
    pub trace: Trace,
    /// Every point in float32.
    pub f32: Vec<Vec<f32>>,
    /// Every point in float64.
    pub f64: Vec<Vec<f64>>,
}

/// Runs `problem` for `epochs` epochs in every engine.
pub fn run_all(ex: &Exercise, problem: &Problem, epochs: u64) -> Result<Run, EngineError> {
    Ok(Run {
        trace: trace(ex, problem, epochs)?,
        f32: points::<f32>(ex, problem, epochs)?,
        f64: points::<f64>(ex, problem, epochs)?,
    })
}
