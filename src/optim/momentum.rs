//! Gradient descent with momentum, in three forms (the choice `momentum`).
//!
//! `ema`, the course's exponentially weighted average:
//! ```text
//! V_t = β V_{t-1} + (1 - β) g_t        V_0 = 0
//! Δ_t = α V_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! `heavy-ball` (Polyak; d2l, optax `sgd(momentum=β)`, PyTorch `SGD(momentum=β)`, Keras `SGD`, the
//! Deep Learning book's Algorithm 8.2): `V_t = β V_{t-1} + g_t`, without the factor `1 - β`, so its
//! steps are `1 / (1 - β)` times longer once the average settles.
//!
//! `dampened` (PyTorch `SGD(momentum=β, dampening=d)`): the buffer starts at the gradient itself,
//! `V_1 = g_1`, and from epoch 2 on `V_t = β V_{t-1} + (1 - d) g_t`. With `d = β` this is NOT the
//! `ema` form: epoch 1 differs (PyTorch `torch/optim/sgd.py`, `_single_tensor_sgd`: `buf =
//! torch.clone(grad)` on the first step, `buf.mul_(momentum).add_(grad, alpha=1 - dampening)` after).
//!
//! Hyperparameters: α (`lr`), β (`beta`, default 0.9), and `dampening` d for the dampened form.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// Momentum, EMA form.
pub struct Momentum;

/// The velocity of one component.
#[derive(Clone, Debug)]
pub struct MomentumState<S> {
    /// `V`, the running average of the gradient.
    pub v: S,
}

impl Rule for Momentum {
    const INFO: Info = Info {
        id: "momentum",
        form: "ema",
        choices: &[("momentum", "ema")],
        conventions: &[Convention {
            name: "course",
            defaults: &[],
        }],
        torch: None,
        hypers: &[
            HyperSpec {
                name: "lr",
                latex: "\\alpha",
                default: None,
                bound: Bound::Positive,
            },
            HyperSpec {
                name: "beta",
                latex: "\\beta",
                default: Some("0.9"),
                bound: Bound::UnitInterval,
            },
        ],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "V",
                latex: "v_{#}",
                formula: "@beta \\cdot @V' + \\left(1 - @beta\\right) \\cdot @g",
                first: None,
                init: Some("0"),
                step: 2,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot @V",
                first: None,
                init: None,
                step: 3,
            },
            QuantitySpec {
                key: "w",
                latex: "w_{#}",
                formula: "@w' - @delta",
                first: None,
                init: None,
                step: 3,
            },
        ],
        python: &["V = beta * V + (1 - beta) * dW", "W = W - lr * V"],
    };
    type State<S: Scalar> = MomentumState<S>;

    fn init<S: Scalar>() -> MomentumState<S> {
        MomentumState { v: S::from_u64(0) }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut MomentumState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // V = beta * V + (1 - beta) * dW ; W = W - lr * V
        let lr = S::lift(&hp[0]);
        st.v = ops::ema(&hp[1], &st.v, g).at("V")?;
        rec.record("V", &st.v);
        let delta = lr.mul(&st.v).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}

const LR: HyperSpec = HyperSpec {
    name: "lr",
    latex: "\\alpha",
    default: None,
    bound: Bound::Positive,
};

const BETA: HyperSpec = HyperSpec {
    name: "beta",
    latex: "\\beta",
    default: Some("0.9"),
    bound: Bound::UnitInterval,
};

/// The step, shared by the heavy-ball and dampened forms.
const DELTA: QuantitySpec = QuantitySpec {
    key: "delta",
    latex: "\\Delta_{#}",
    formula: "@lr \\cdot @V",
    first: None,
    init: None,
    step: 3,
};

/// The update, shared by the heavy-ball and dampened forms.
const W: QuantitySpec = QuantitySpec {
    key: "w",
    latex: "w_{#}",
    formula: "@w' - @delta",
    first: None,
    init: None,
    step: 3,
};

/// `Δ = lr * V; w = w - Δ`, recorded.
#[inline(always)]
fn step<S: Scalar, R: Recorder<S>>(lr: &S, v: &S, w: &S, rec: &mut R) -> Result<S, StepError> {
    let delta = lr.mul(v).at("delta")?;
    rec.record("delta", &delta);
    let w = w.sub(&delta).at("w")?;
    rec.record("w", &w);
    Ok(w)
}

/// Momentum, heavy-ball form.
pub struct HeavyBall;

impl Rule for HeavyBall {
    const INFO: Info = Info {
        id: "momentum",
        form: "heavy-ball",
        choices: &[("momentum", "heavy-ball")],
        conventions: &[
            Convention {
                name: "pytorch",
                defaults: &[("lr", "0.001"), ("beta", "0")],
            },
            Convention {
                name: "d2l",
                defaults: &[],
            },
            Convention {
                name: "optax",
                defaults: &[],
            },
            Convention {
                name: "keras",
                defaults: &[("lr", "0.01"), ("beta", "0")],
            },
            Convention {
                name: "goodfellow",
                defaults: &[],
            },
        ],
        torch: Some("torch.optim.SGD(params, lr=@lr, momentum=@beta)"),
        hypers: &[LR, BETA],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "V",
                latex: "v_{#}",
                formula: "@beta \\cdot @V' + @g",
                first: None,
                init: Some("0"),
                step: 2,
            },
            DELTA,
            W,
        ],
        python: &["V = beta * V + dW", "W = W - lr * V"],
    };
    type State<S: Scalar> = MomentumState<S>;

    fn init<S: Scalar>() -> MomentumState<S> {
        MomentumState { v: S::from_u64(0) }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut MomentumState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // V = beta * V + dW ; W = W - lr * V
        st.v = S::lift(&hp[1]).mul(&st.v).and_then(|a| a.add(g)).at("V")?;
        rec.record("V", &st.v);
        step(&S::lift(&hp[0]), &st.v, w, rec)
    }
}

/// Momentum with PyTorch's dampening.
pub struct Dampened;

impl Rule for Dampened {
    const INFO: Info = Info {
        id: "momentum",
        form: "dampened",
        choices: &[("momentum", "dampened")],
        conventions: &[],
        torch: Some("torch.optim.SGD(params, lr=@lr, momentum=@beta, dampening=@dampening)"),
        hypers: &[
            LR,
            BETA,
            HyperSpec {
                name: "dampening",
                latex: "d",
                default: None,
                bound: Bound::UnitInterval,
            },
        ],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "V",
                latex: "v_{#}",
                formula: "@beta \\cdot @V' + \\left(1 - @dampening\\right) \\cdot @g",
                first: Some("@g"),
                init: Some("0"),
                step: 2,
            },
            DELTA,
            W,
        ],
        python: &[
            "V = dW if t == 1 else beta * V + (1 - dampening) * dW",
            "W = W - lr * V",
        ],
    };
    type State<S: Scalar> = MomentumState<S>;

    fn init<S: Scalar>() -> MomentumState<S> {
        MomentumState { v: S::from_u64(0) }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut MomentumState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // V = dW if t == 1 else beta * V + (1 - dampening) * dW ; W = W - lr * V
        st.v = if t == 1 {
            g.clone()
        } else {
            let damp = ops::one_minus::<S>(&hp[2]).at("V")?;
            S::lift(&hp[1])
                .mul(&st.v)
                .and_then(|a| a.add(&damp.mul(g)?))
                .at("V")?
        };
        rec.record("V", &st.v);
        step(&S::lift(&hp[0]), &st.v, w, rec)
    }
}
