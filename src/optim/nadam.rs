//! NAdam (Dozat 2016, "Incorporating Nesterov Momentum into Adam"): Adam whose step looks one epoch
//! ahead along the momentum, mixing the next epoch's share of v with this epoch's share of the
//! gradient. Two library forms, the ones whose maths needs only integer powers.
//!
//! `optax` (optax `optax/_src/alias.py` `nadam = adam(nesterov=True)`, `transform.py`
//! `scale_by_adam`): a constant momentum β1, no schedule:
//! ```text
//! V_t = β1 V_{t-1} + (1 - β1) g_t        V_0 = 0
//! S_t = β2 S_{t-1} + (1 - β2) g_t²       S_0 = 0
//! V̂_t = β1 V_t / (1 - β1^(t+1)) + (1 - β1) g_t / (1 - β1^t)
//! Ŝ_t = S_t / (1 - β2^t)
//! D_t = sqrt(Ŝ_t) + ε
//! Δ_t = α V̂_t / D_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! `keras` (Keras `keras/src/optimizers/nadam.py`): the momentum schedule μ_t = β1 (1 - 0.5 · 0.96^t)
//! (an integer power: Keras 3 has no 0.004 factor) and its running product P:
//! ```text
//! μ_t = β1 (1 - 0.5 · 0.96^t)       μ̄_t = β1 (1 - 0.5 · 0.96^(t+1))
//! P_t = P_{t-1} μ_t                                      P_0 = 1
//! V_t, S_t, Ŝ_t, D_t, Δ_t, w_t as above
//! V̂_t = μ̄_t V_t / (1 - P_t μ̄_t) + (1 - μ_t) g_t / (1 - P_t)
//! ```
//! Hyperparameters: α (`lr`; Keras 0.001), β1 (`beta1`, 0.9), β2 (`beta2`, 0.999), ε (`eps`, 1e-8;
//! Keras 1e-7). Keras updates the moments as `m + (g - m)(1 - β1)`: the same real numbers.
//!
//! Not implemented: PyTorch's `NAdam` (`torch/optim/nadam.py`) and Dozat's paper use the schedule
//! μ_t = β1 (1 - 0.5 · 0.96^(0.004 t)), a non-integer power that the exact engine cannot compute
//! exactly. With no form of the paper, no form is the `course` one; a problem that names no
//! convention runs the first, optax's.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::{Num, Scalar};

/// NAdam as optax computes it: no momentum schedule.
pub struct NAdam;

/// The two moments of one component.
#[derive(Clone, Debug)]
pub struct NAdamState<S> {
    /// `V`, first moment.
    pub v: S,
    /// `S`, second raw moment.
    pub s: S,
}

const HYPERS: &[HyperSpec] = &[
    HyperSpec {
        name: "lr",
        latex: "\\alpha",
        default: None,
        bound: Bound::Positive,
    },
    HyperSpec {
        name: "beta1",
        latex: "\\beta_{1}",
        default: Some("0.9"),
        bound: Bound::UnitInterval,
    },
    HyperSpec {
        name: "beta2",
        latex: "\\beta_{2}",
        default: Some("0.999"),
        bound: Bound::UnitInterval,
    },
    HyperSpec {
        name: "eps",
        latex: "\\epsilon",
        default: Some("1e-8"),
        bound: Bound::NonNegative,
    },
];

/// The quantities from `S_hat` on, shared by both forms (their steps shifted by `step`).
const fn tail(step: u8) -> [QuantitySpec; 4] {
    [
        QuantitySpec {
            key: "S_hat",
            latex: "\\hat{s}_{#}",
            formula: "\\frac{@S}{1 - @beta2^{@t}}",
            first: None,
            init: None,
            step,
        },
        QuantitySpec {
            key: "denom",
            latex: "D_{#}",
            formula: "\\sqrt{@S_hat} + @eps",
            first: None,
            init: None,
            step: step + 1,
        },
        QuantitySpec {
            key: "delta",
            latex: "\\Delta_{#}",
            formula: "@lr \\cdot \\frac{@V_hat}{@denom}",
            first: None,
            init: None,
            step: step + 1,
        },
        QuantitySpec {
            key: "w",
            latex: "w_{#}",
            formula: "@w' - @delta",
            first: None,
            init: None,
            step: step + 1,
        },
    ]
}

const fn moments(step: u8) -> [QuantitySpec; 2] {
    [
        QuantitySpec {
            key: "V",
            latex: "v_{#}",
            formula: "@beta1 \\cdot @V' + \\left(1 - @beta1\\right) \\cdot @g",
            first: None,
            init: Some("0"),
            step,
        },
        QuantitySpec {
            key: "S",
            latex: "s_{#}",
            formula: "@beta2 \\cdot @S' + \\left(1 - @beta2\\right) \\cdot @g^{2}",
            first: None,
            init: Some("0"),
            step: step + 1,
        },
    ]
}

/// `S_hat`, `denom`, `delta` and `w`, recorded: `W = W - lr * V_hat / (np.sqrt(S_hat) + eps)`.
#[inline(always)]
fn finish<S: Scalar, R: Recorder<S>>(
    hp: &[S::Hyper],
    t: u64,
    s: &S,
    v_hat: &S,
    w: &S,
    rec: &mut R,
) -> Result<S, StepError> {
    let s_hat = ops::bias_corrected(&hp[2], t, s).at("S_hat")?;
    rec.record("S_hat", &s_hat);
    let denom = s_hat
        .sqrt()
        .and_then(|r| r.add(&S::lift(&hp[3])))
        .at("denom")?;
    rec.record("denom", &denom);
    let delta = S::lift(&hp[0])
        .mul(v_hat)
        .and_then(|x| x.div(&denom))
        .at("delta")?;
    rec.record("delta", &delta);
    let w = w.sub(&delta).at("w")?;
    rec.record("w", &w);
    Ok(w)
}

const OPTAX_MOMENTS: [QuantitySpec; 2] = moments(2);
const OPTAX_TAIL: [QuantitySpec; 4] = tail(4);

impl Rule for NAdam {
    const INFO: Info = Info {
        id: "nadam",
        form: "optax",
        choices: &[("schedule", "none")],
        conventions: &[Convention {
            name: "optax",
            defaults: &[],
        }],
        torch: None,
        hypers: HYPERS,
        gradient_at: None,
        quantities: &[
            OPTAX_MOMENTS[0],
            OPTAX_MOMENTS[1],
            QuantitySpec {
                key: "V_hat",
                latex: "\\hat{v}_{#}",
                formula: "\\frac{@beta1 \\cdot @V}{1 - @beta1^{@t + 1}} + \\frac{\\left(1 - @beta1\\right) \\cdot @g}{1 - @beta1^{@t}}",
                first: None,
                init: None,
                step: 4,
            },
            OPTAX_TAIL[0],
            OPTAX_TAIL[1],
            OPTAX_TAIL[2],
            OPTAX_TAIL[3],
        ],
        python: &[
            "V = beta1 * V + (1 - beta1) * dW",
            "S = beta2 * S + (1 - beta2) * dW**2",
            "V_hat = beta1 * V / (1 - beta1**(t + 1)) + (1 - beta1) * dW / (1 - beta1**t)",
            "S_hat = S / (1 - beta2**t)",
            "W = W - lr * V_hat / (np.sqrt(S_hat) + eps)",
        ],
    };
    type State<S: Scalar> = NAdamState<S>;

    fn init<S: Scalar>() -> NAdamState<S> {
        NAdamState {
            v: S::from_u64(0),
            s: S::from_u64(0),
        }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut NAdamState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        st.v = ops::ema(&hp[1], &st.v, g).at("V")?;
        rec.record("V", &st.v);
        st.s = ops::ema_squared(&hp[2], &st.s, g).at("S")?;
        rec.record("S", &st.s);
        // V_hat = beta1 * V / (1 - beta1**(t + 1)) + (1 - beta1) * dW / (1 - beta1**t)
        let one = S::Hyper::from_u64(1);
        let v_hat = (|| {
            let ahead = S::lift(&hp[1])
                .mul(&st.v)?
                .div(&S::lift(&one.sub(&hp[1].powi(t + 1)?)?))?;
            let now = ops::one_minus::<S>(&hp[1])?
                .mul(g)?
                .div(&S::lift(&one.sub(&hp[1].powi(t)?)?))?;
            ahead.add(&now)
        })()
        .at("V_hat")?;
        rec.record("V_hat", &v_hat);
        finish(hp, t, &st.s, &v_hat, w, rec)
    }
}

/// NAdam as Keras computes it: the momentum schedule `beta1 (1 - 0.5 * 0.96**t)`.
pub struct NAdamKeras;

/// The moments and the running product of the schedule.
#[derive(Clone, Debug)]
pub struct NAdamKerasState<S> {
    /// `P`, the product of the schedule's μ so far.
    pub p: S,
    /// `V` and `S`.
    pub m: NAdamState<S>,
}

const KERAS_MOMENTS: [QuantitySpec; 2] = moments(3);
const KERAS_TAIL: [QuantitySpec; 4] = tail(5);

/// `beta1 * (1 - 0.5 * 0.96**k)`, among hyperparameters.
fn schedule<H: Scalar>(beta1: &H, k: u64) -> Result<H, crate::number::ArithError> {
    let (half, decay) = (
        H::from_num(&Num::parse("0.5").unwrap_or(Num::ZERO)),
        H::from_num(&Num::parse("0.96").unwrap_or(Num::ZERO)),
    );
    beta1.mul(&H::from_u64(1).sub(&half.mul(&decay.powi(k)?)?)?)
}

impl Rule for NAdamKeras {
    const INFO: Info = Info {
        id: "nadam",
        form: "keras",
        choices: &[("schedule", "0.96^t")],
        conventions: &[Convention {
            name: "keras",
            defaults: &[("lr", "0.001"), ("eps", "1e-7")],
        }],
        torch: None,
        hypers: HYPERS,
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "mu",
                latex: "\\mu_{#}",
                formula: "@beta1 \\cdot \\left(1 - 0.5 \\cdot 0.96^{@t}\\right)",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "mu_next",
                latex: "\\bar{\\mu}_{#}",
                formula: "@beta1 \\cdot \\left(1 - 0.5 \\cdot 0.96^{@t + 1}\\right)",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "P",
                latex: "P_{#}",
                formula: "@P' \\cdot @mu",
                first: None,
                init: Some("1"),
                step: 2,
            },
            KERAS_MOMENTS[0],
            KERAS_MOMENTS[1],
            QuantitySpec {
                key: "V_hat",
                latex: "\\hat{v}_{#}",
                formula: "\\frac{@mu_next \\cdot @V}{1 - @P \\cdot @mu_next} + \\frac{\\left(1 - @mu\\right) \\cdot @g}{1 - @P}",
                first: None,
                init: None,
                step: 5,
            },
            KERAS_TAIL[0],
            KERAS_TAIL[1],
            KERAS_TAIL[2],
            KERAS_TAIL[3],
        ],
        python: &[
            "mu = beta1 * (1 - 0.5 * 0.96**t)",
            "mu_next = beta1 * (1 - 0.5 * 0.96**(t + 1))",
            "P = P * mu",
            "V = beta1 * V + (1 - beta1) * dW",
            "S = beta2 * S + (1 - beta2) * dW**2",
            "V_hat = mu_next * V / (1 - P * mu_next) + (1 - mu) * dW / (1 - P)",
            "S_hat = S / (1 - beta2**t)",
            "W = W - lr * V_hat / (np.sqrt(S_hat) + eps)",
        ],
    };
    type State<S: Scalar> = NAdamKerasState<S>;

    fn init<S: Scalar>() -> NAdamKerasState<S> {
        NAdamKerasState {
            p: S::from_u64(1),
            m: NAdam::init(),
        }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut NAdamKerasState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // mu = beta1 * (1 - 0.5 * 0.96**t) ; mu_next = beta1 * (1 - 0.5 * 0.96**(t + 1))
        let mu = schedule(&hp[1], t).at("mu")?;
        rec.record("mu", &S::lift(&mu));
        let mu_next = schedule(&hp[1], t + 1).at("mu_next")?;
        rec.record("mu_next", &S::lift(&mu_next));
        let (mu, mu_next) = (S::lift(&mu), S::lift(&mu_next));
        // P = P * mu
        st.p = st.p.mul(&mu).at("P")?;
        rec.record("P", &st.p);
        let m = &mut st.m;
        m.v = ops::ema(&hp[1], &m.v, g).at("V")?;
        rec.record("V", &m.v);
        m.s = ops::ema_squared(&hp[2], &m.s, g).at("S")?;
        rec.record("S", &m.s);
        // V_hat = mu_next * V / (1 - P * mu_next) + (1 - mu) * dW / (1 - P)
        let one = S::from_u64(1);
        let p = &st.p;
        let v_hat = (|| {
            let ahead = mu_next.mul(&m.v)?.div(&one.sub(&p.mul(&mu_next)?)?)?;
            let now = schedule_one_minus::<S>(&hp[1], t)?
                .mul(g)?
                .div(&one.sub(p)?)?;
            ahead.add(&now)
        })()
        .at("V_hat")?;
        rec.record("V_hat", &v_hat);
        finish(hp, t, &m.s, &v_hat, w, rec)
    }
}

/// `1 - mu`, computed among hyperparameters (a Python float) and lifted.
fn schedule_one_minus<S: Scalar>(beta1: &S::Hyper, t: u64) -> Result<S, crate::number::ArithError> {
    ops::one_minus::<S>(&schedule(beta1, t)?)
}
