//! Optimizers: one file each, a registry, and the small vocabulary they share.
//!
//! An optimizer is a [`Rule`]: a declaration ([`Info`]: id, hyperparameters with symbols, defaults and
//! valid ranges, and the named quantities it computes with their formulas) plus an `init`/`update` pair
//! over an explicit state, written once and generic over the number type ([`Scalar`]). The exact engine,
//! the float engines and any trainer call the same `update`. Every optimizer in this crate is
//! element-wise, so `update` works on one component; the engine loops over the components.
//!
//! While it computes, an update hands each named intermediate to a [`Recorder`]. The exact engine records
//! them into the trace; [`NoRecord`] does nothing and compiles away.
//!
//! Formulas are LaTeX with placeholders: `@name` is the current value of a hyperparameter, of a quantity
//! of this epoch, of the gradient component `g` or of the epoch number `t`; `@name'` is the value of a
//! quantity at the end of the previous epoch (its declared initial value at epoch 1), and `@w'` is the
//! component before the update. Renderers replace placeholders by symbols or by values, so a new
//! optimizer needs no template of its own.
//!
//! Adding an optimizer: a file here, one line in `registry!` below, its entries in each language
//! catalog, and its row in the shared test table (`tests/it/optimizers.rs`); the README walks through it.

pub mod adadelta;
pub mod adagrad;
pub mod adam;
pub mod adamw;
pub mod adopt;
pub mod amsgrad;
pub mod gd;
pub mod lion;
pub mod momentum;
pub mod nadam;
pub mod nesterov;
pub mod ops;
pub mod rmsprop;

use crate::number::{ArithError, Num, Scalar};

/// The name of the learning rate, which every optimizer takes: the generated code passes it to the
/// update function on its own, as the course's code does.
pub const LR: &str = "lr";

/// The valid range of a hyperparameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Strictly positive (learning rates).
    Positive,
    /// In `[0, 1)` (decay rates).
    UnitInterval,
    /// Zero or more (stabilising constants).
    NonNegative,
}

impl Bound {
    /// Whether `v` is in range.
    pub fn admits(&self, v: &Num) -> bool {
        match self {
            Bound::Positive => *v > Num::ZERO,
            Bound::UnitInterval => !v.is_negative() && *v < Num::ONE,
            Bound::NonNegative => !v.is_negative(),
        }
    }

    /// The range in words, for messages and `stepwise list`.
    pub fn describe(&self) -> &'static str {
        match self {
            Bound::Positive => "> 0",
            Bound::UnitInterval => "in [0, 1)",
            Bound::NonNegative => ">= 0",
        }
    }
}

/// One hyperparameter of an optimizer.
#[derive(Debug)]
pub struct HyperSpec {
    /// Name in exercise files (`lr`, `beta1`).
    pub name: &'static str,
    /// LaTeX symbol (`\alpha`).
    pub latex: &'static str,
    /// Default as a decimal literal, when there is a conventional one.
    pub default: Option<&'static str>,
    /// Valid range.
    pub bound: Bound,
}

/// One named quantity an optimizer computes in each epoch, for each component.
#[derive(Debug, Clone, Copy)]
pub struct QuantitySpec {
    /// Key in the trace (`V`, `S_hat`, `w`).
    pub key: &'static str,
    /// LaTeX symbol; `#` stands for the component number (`v_{#}`).
    pub latex: &'static str,
    /// Formula, LaTeX with `@name` placeholders (see the module documentation).
    pub formula: &'static str,
    /// The formula of epoch 1, when it differs (PyTorch's dampened momentum starts its buffer at the
    /// gradient itself).
    pub first: Option<&'static str>,
    /// Value before the first epoch, for state quantities (`0`).
    pub init: Option<&'static str>,
    /// Which STEP of the worked derivation shows it (1 is the gradient; quantities of one step are
    /// shown together).
    pub step: u8,
}

/// Where an optimizer takes the gradient when it is not the current point (Nesterov's look-ahead).
#[derive(Debug)]
pub struct GradientAt {
    /// LaTeX symbol of the point's component; `#` stands for the component number.
    pub latex: &'static str,
    /// The point's component, LaTeX with `@name` placeholders (as quantity formulas).
    pub formula: &'static str,
    /// The point as a NumPy expression over `W`, the state arrays, `lr`, and the other
    /// hyperparameters written `@name` (the generated code puts their values there).
    pub python: &'static str,
}

/// The conventions a problem may name, each a set of choices a textbook or library makes: `course`
/// is the exercise's own (for optimizers the course does not define, their authors' form).
pub const CONVENTIONS: &[&str] = &["course", "pytorch", "d2l", "optax", "keras", "goodfellow"];

/// A convention that uses a form, with the defaults it gives hyperparameters a file leaves out (those
/// it does not list take the form's own defaults).
#[derive(Debug)]
pub struct Convention {
    /// One of [`CONVENTIONS`].
    pub name: &'static str,
    /// `(hyperparameter, default)`.
    pub defaults: &'static [(&'static str, &'static str)],
}

impl QuantitySpec {
    /// The formula of epoch `t`.
    pub fn formula_at(&self, t: u64) -> &'static str {
        match self.first {
            Some(f) if t == 1 => f,
            _ => self.formula,
        }
    }
}

/// What an optimizer declares about itself, in one of its forms.
#[derive(Debug)]
pub struct Info {
    /// Id in exercise files (`adam`).
    pub id: &'static str,
    /// The form's name (`ema`, `heavy-ball`): unique among the forms of `id`.
    pub form: &'static str,
    /// The choices that make this form, one value for every choice the optimizer's forms make
    /// (`[("momentum", "heavy-ball")]`); a file may set them one by one (`form = { ... }`).
    pub choices: &'static [(&'static str, &'static str)],
    /// The conventions that use this form; `course` marks the default form of the optimizer.
    pub conventions: &'static [Convention],
    /// The `torch.optim` call that computes the same iterates, with `@name` for hyperparameter values,
    /// when there is one.
    pub torch: Option<&'static str>,
    /// Hyperparameters, in the order `update` receives them.
    pub hypers: &'static [HyperSpec],
    /// Where the gradient is taken: `None` for the current point `w'`; otherwise the point, computed
    /// by [`Rule::gradient_at`] from the state before the epoch.
    pub gradient_at: Option<GradientAt>,
    /// Quantities in the order they are computed; the last one is always `w`, the updated component.
    pub quantities: &'static [QuantitySpec],
    /// The update as NumPy statements over the arrays `W`, `dW` and the state arrays (the quantities
    /// with an initial value), the hyperparameters by name and the epoch `t`; `update` follows these
    /// statements operation by operation, so the float engines match NumPy bit for bit.
    pub python: &'static [&'static str],
}

impl Info {
    /// The hyperparameter called `name`.
    pub fn hyper(&self, name: &str) -> Option<&'static HyperSpec> {
        self.hypers.iter().find(|h| h.name == name)
    }

    /// The state arrays: the quantities with an initial value, in order.
    pub fn state(&self) -> impl Iterator<Item = &'static QuantitySpec> {
        self.quantities.iter().filter(|q| q.init.is_some())
    }

    /// The quantity with key `key`.
    pub fn quantity(&self, key: &str) -> Option<&'static QuantitySpec> {
        self.quantities.iter().find(|q| q.key == key)
    }

    /// Whether convention `name` uses this form.
    pub fn convention(&self, name: &str) -> Option<&'static Convention> {
        self.conventions.iter().find(|c| c.name == name)
    }

    /// The default of hyperparameter `name` under convention `convention` (the form's own default
    /// when the convention sets none).
    pub fn default_of(&self, name: &str, convention: &str) -> Option<&'static str> {
        self.convention(convention)
            .and_then(|c| c.defaults.iter().find(|(h, _)| *h == name).map(|(_, d)| *d))
            .or_else(|| self.hyper(name).and_then(|h| h.default))
    }

    /// The value of choice `name` in this form.
    pub fn choice(&self, name: &str) -> Option<&'static str> {
        self.choices
            .iter()
            .find(|(c, _)| *c == name)
            .map(|(_, v)| *v)
    }
}

/// Receives the named intermediates of an update.
pub trait Recorder<S> {
    /// Called with each quantity as soon as it is computed.
    fn record(&mut self, key: &'static str, value: &S);
}

/// A recorder that keeps nothing.
pub struct NoRecord;

impl<S> Recorder<S> for NoRecord {
    #[inline(always)]
    fn record(&mut self, _key: &'static str, _value: &S) {}
}

/// An arithmetic error in one named quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepError {
    /// The quantity being computed.
    pub quantity: &'static str,
    /// What went wrong.
    pub error: ArithError,
}

/// Tags an arithmetic result with the quantity it computes.
pub trait At<S> {
    /// Attach the quantity key to an error.
    fn at(self, quantity: &'static str) -> Result<S, StepError>;
}

impl<S> At<S> for Result<S, ArithError> {
    fn at(self, quantity: &'static str) -> Result<S, StepError> {
        self.map_err(|error| StepError { quantity, error })
    }
}

/// An update rule.
pub trait Rule {
    /// The declaration.
    const INFO: Info;
    /// Per-component state (moments).
    type State<S: Scalar>: Clone + std::fmt::Debug + Send + Sync + Flat<S>;
    /// The state before the first epoch.
    fn init<S: Scalar>() -> Self::State<S>;
    /// The component of the point where this epoch's gradient is taken, from the hyperparameters, the
    /// state before the epoch and the current component `w`; only called when `INFO.gradient_at` is
    /// declared (the default takes the current point).
    fn gradient_at<S: Scalar>(
        _hp: &[S::Hyper],
        _st: &Self::State<S>,
        w: &S,
    ) -> Result<S, StepError> {
        Ok(w.clone())
    }
    /// One epoch for one component: `hp` in the order of `INFO.hypers`, `t` the 1-based epoch, `g` the
    /// gradient component, `w` the component before; returns the component after. Every quantity of
    /// `INFO.quantities` is recorded, in order. Arithmetic among hyperparameters alone is done in
    /// `S::Hyper` and lifted (see [`Scalar`]), in the order of the declared Python code.
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut Self::State<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError>;
}

/// A rule's per-component state as a flat list of numbers, in field order, so that a trainer can save
/// it to a checkpoint and read it back without knowing the rule.
pub trait Flat<S>: Sized {
    /// How many numbers the state holds.
    const LEN: usize;
    /// Appends the numbers to `out`.
    fn flatten(&self, out: &mut Vec<S>);
    /// The state from the first [`Flat::LEN`] numbers of `src`, as [`Flat::flatten`] wrote them;
    /// `None` when `src` is shorter.
    fn unflatten(src: &[S]) -> Option<Self>;
}

impl<S> Flat<S> for () {
    const LEN: usize = 0;
    fn flatten(&self, _out: &mut Vec<S>) {}
    fn unflatten(_src: &[S]) -> Option<()> {
        Some(())
    }
}

macro_rules! flat {
    ($($t:ty { $($f:ident),+ }),* $(,)?) => {$(
        impl<S: Clone> Flat<S> for $t {
            const LEN: usize = [$(stringify!($f)),+].len();
            fn flatten(&self, out: &mut Vec<S>) {
                $(out.push(self.$f.clone());)+
            }
            fn unflatten(src: &[S]) -> Option<Self> {
                let mut it = src.iter();
                Some(Self { $($f: it.next()?.clone()),+ })
            }
        }
    )*};
}

flat!(
    adadelta::AdadeltaState<S> { s, d },
    adagrad::AdaGradState<S> { s },
    adam::AdamState<S> { v, s },
    adamw::AdamWState<S> { v, s },
    adopt::AdoptState<S> { v, s },
    amsgrad::AmsGradState<S> { v, s, s_max },
    lion::LionState<S> { v },
    momentum::MomentumState<S> { v },
    nadam::NAdamState<S> { v, s },
    nesterov::NesterovState<S> { v },
    rmsprop::RmsPropState<S> { s },
    rmsprop::RmsPropTorchState<S> { s, g, b },
);

impl<S: Clone> Flat<S> for nadam::NAdamKerasState<S> {
    const LEN: usize = 1 + <nadam::NAdamState<S> as Flat<S>>::LEN;
    fn flatten(&self, out: &mut Vec<S>) {
        out.push(self.p.clone());
        self.m.flatten(out);
    }
    fn unflatten(src: &[S]) -> Option<Self> {
        let (p, rest) = src.split_first()?;
        Some(Self {
            p: p.clone(),
            m: Flat::unflatten(rest)?,
        })
    }
}

/// Applies rule `O` to every component of `w` at once, with `g` its gradient and `st` its state (one
/// each per component), recording nothing: the loop a trainer runs over a whole parameter buffer.
/// It is monomorphised for `O` and `S`, so the update inlines into it with no dispatch per component.
/// The three slices must have the same length.
pub fn apply<O: Rule, S: Scalar>(
    hp: &[S::Hyper],
    st: &mut [O::State<S>],
    t: u64,
    g: &[S],
    w: &mut [S],
) -> Result<(), StepError> {
    assert!(
        st.len() == w.len() && g.len() == w.len(),
        "one gradient and one state per component"
    );
    for ((w, g), st) in w.iter_mut().zip(g).zip(st) {
        let next = O::update(hp, st, t, g, w, &mut NoRecord)?;
        *w = next;
    }
    Ok(())
}

/// Something to do with a rule chosen at run time (see [`dispatch`]).
pub trait Visit {
    /// The result.
    type Out;
    /// Called with the rule's type.
    fn visit<O: Rule>(self) -> Self::Out;
}

macro_rules! registry {
    ($($t:ty),* $(,)?) => {
        /// Every optimizer, in the order `stepwise list` shows them.
        pub const ALL: &[&Info] = &[$(&<$t as Rule>::INFO),*];

        /// Calls `v.visit::<O>()` for the optimizer form that `info` declares.
        pub fn dispatch<V: Visit>(info: &Info, v: V) -> Option<V::Out> {
            $(if info.id == <$t as Rule>::INFO.id && info.form == <$t as Rule>::INFO.form {
                return Some(v.visit::<$t>());
            })*
            None
        }
    };
}

registry!(
    gd::Gd,
    momentum::Momentum,
    momentum::HeavyBall,
    momentum::Dampened,
    nesterov::Nesterov,
    nesterov::NesterovCurrent,
    adagrad::AdaGrad,
    adagrad::AdaGradEpsInside,
    adagrad::AdaGradEpsInsideAcc,
    adagrad::AdaGradEpsOutsideAcc,
    rmsprop::RmsProp,
    rmsprop::RmsPropEpsOutside,
    rmsprop::RmsPropCentered,
    rmsprop::RmsPropMomentum,
    rmsprop::RmsPropCenteredMomentum,
    adadelta::Adadelta,
    adam::Adam,
    adam::AdamKeras,
    adam::AdamEpsInside,
    amsgrad::AmsGrad,
    adamw::AdamW,
    nadam::NAdam,
    nadam::NAdamKeras,
    adopt::Adopt,
    lion::Lion,
);

/// The forms of optimizer `id`, in registry order (empty for an unknown id).
pub fn forms(id: &str) -> impl Iterator<Item = &'static Info> + '_ {
    ALL.iter().copied().filter(move |i| i.id == id)
}

/// The default form of optimizer `id`: the one the `course` convention uses.
pub fn find(id: &str) -> Option<&'static Info> {
    forms(id)
        .find(|i| i.convention("course").is_some())
        .or_else(|| forms(id).next())
}

/// The form of optimizer `id` that convention `convention` uses.
pub fn find_convention(id: &str, convention: &str) -> Option<&'static Info> {
    forms(id).find(|i| i.convention(convention).is_some())
}

/// The form of optimizer `id` whose choices are exactly `choices` (in any order).
pub fn find_choices(id: &str, choices: &[(&str, &str)]) -> Option<&'static Info> {
    forms(id).find(|i| {
        i.choices.len() == choices.len() && choices.iter().all(|(c, v)| i.choice(c) == Some(*v))
    })
}

/// Every optimizer id once, in registry order.
pub fn ids() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for i in ALL {
        if !out.contains(&i.id) {
            out.push(i.id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Check<'a>(&'a Info);

    impl Visit for Check<'_> {
        type Out = ();
        fn visit<O: Rule>(self) {
            // a state after a few updates survives the round trip through its flat form, and the
            // flat form holds every declared state quantity
            let hp: Vec<f64> = self
                .0
                .hypers
                .iter()
                .map(|h| h.default.map_or(0.1, |d| d.parse::<f64>().unwrap_or(0.1)))
                .collect();
            let mut st = vec![O::init::<f64>(); 3];
            let mut w = vec![1.0, -2.0, 0.5];
            for t in 1..4 {
                apply::<O, f64>(&hp, &mut st, t, &[0.3, -0.7, 2.0], &mut w).unwrap();
            }
            let mut flat = Vec::new();
            st[1].flatten(&mut flat);
            assert_eq!(flat.len(), <O::State<f64> as Flat<f64>>::LEN);
            assert!(flat.len() >= self.0.state().count(), "{}", self.0.id);
            let back = <O::State<f64> as Flat<f64>>::unflatten(&flat).unwrap();
            assert_eq!(format!("{back:?}"), format!("{:?}", st[1]));
            assert!(
                <O::State<f64> as Flat<f64>>::unflatten(&flat[..flat.len().saturating_sub(1)])
                    .is_none_or(|_| flat.is_empty())
            );
        }
    }

    #[test]
    fn every_state_round_trips_through_its_flat_form() {
        for info in ALL {
            dispatch(info, Check(info)).unwrap();
        }
    }

    #[test]
    fn apply_is_the_update_component_by_component() {
        let hp = [0.01, 0.9, 0.999, 1e-8];
        let (g, mut w) = ([0.5f32, -1.5, 3.0], [1.0f32, 2.0, -3.0]);
        let mut st = vec![adam::Adam::init::<f32>(); 3];
        apply::<adam::Adam, f32>(&hp, &mut st, 1, &g, &mut w).unwrap();
        for (i, (&g0, w0)) in g.iter().zip([1.0f32, 2.0, -3.0]).enumerate() {
            let mut s = adam::Adam::init::<f32>();
            let one = adam::Adam::update(&hp, &mut s, 1, &g0, &w0, &mut NoRecord).unwrap();
            assert_eq!(one.to_bits(), w[i].to_bits());
        }
    }
}
