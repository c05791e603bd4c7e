//! RMSProp with ε inside the square root (Goodfellow et al., Algorithm 8.5; the course's form).
//!
//! ```text
//! S_t = γ S_{t-1} + (1 - γ) g_t²        S_0 = 0
//! D_t = sqrt(S_t + ε)
//! Δ_t = α g_t / D_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! Hyperparameters: α (`lr`), γ (`gamma`, default 0.9), ε (`eps`, default 1e-6).
//!
//! The forms make three choices: `eps` (`inside` the root or `outside`, after it), `centered` and
//! `momentum` (`no` or `yes`). PyTorch (`torch/optim/rmsprop.py`, `_single_tensor_rmsprop`) adds ε
//! after the root, which gives different numbers (`eps-outside`), and has two options, each a form
//! here with ε outside:
//! ```text
//! centered=True:  G_t = γ G_{t-1} + (1 - γ) g_t          G_0 = 0
//!                 D_t = sqrt(S_t - G_t²) + ε
//! momentum=β:     B_t = β B_{t-1} + g_t / D_t              B_0 = 0
//!                 w_t = w_{t-1} - α B_t
//! ```
//! (`centered`, `momentum` and `centered-momentum`; β is `beta`, default 0.9, as every momentum
//! coefficient in stepwise). optax and Keras centre and add momentum differently (ε inside the root,
//! α inside the buffer): those forms are not implemented.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

const LR: HyperSpec = HyperSpec {
    name: "lr",
    latex: "\\alpha",
    default: None,
    bound: Bound::Positive,
};

const GAMMA: HyperSpec = HyperSpec {
    name: "gamma",
    latex: "\\gamma",
    default: Some("0.9"),
    bound: Bound::UnitInterval,
};

const EPS: HyperSpec = HyperSpec {
    name: "eps",
    latex: "\\epsilon",
    default: Some("1e-6"),
    bound: Bound::NonNegative,
};

/// RMSProp, ε inside the root.
pub struct RmsProp;

/// The running average of the squared gradient of one component.
#[derive(Clone, Debug)]
pub struct RmsPropState<S> {
    /// `S`.
    pub s: S,
}

impl Rule for RmsProp {
    const INFO: Info = Info {
        id: "rmsprop",
        form: "eps-inside",
        choices: &[("eps", "inside"), ("centered", "no"), ("momentum", "no")],
        conventions: &[
            Convention {
                name: "course",
                defaults: &[],
            },
            Convention {
                name: "d2l",
                defaults: &[],
            },
            Convention {
                name: "goodfellow",
                defaults: &[],
            },
            Convention {
                name: "optax",
                defaults: &[("eps", "1e-8")],
            },
            Convention {
                name: "keras",
                defaults: &[("lr", "0.001"), ("eps", "1e-7")],
            },
        ],
        torch: None,
        hypers: &[LR, GAMMA, EPS],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "S",
                latex: "s_{#}",
                formula: "@gamma \\cdot @S' + \\left(1 - @gamma\\right) \\cdot @g^{2}",
                first: None,
                init: Some("0"),
                step: 2,
            },
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S + @eps}",
                first: None,
                init: None,
                step: 3,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot \\frac{@g}{@denom}",
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
        python: &[
            "S = gamma * S + (1 - gamma) * dW**2",
            "W = W - lr * dW / np.sqrt(S + eps)",
        ],
    };
    type State<S: Scalar> = RmsPropState<S>;

    fn init<S: Scalar>() -> RmsPropState<S> {
        RmsPropState { s: S::from_u64(0) }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut RmsPropState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // S = gamma * S + (1 - gamma) * dW**2 ; W = W - lr * dW / np.sqrt(S + eps)
        let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[2]));
        st.s = ops::ema_squared(&hp[1], &st.s, g).at("S")?;
        rec.record("S", &st.s);
        let denom = st.s.add(&eps).and_then(|x| x.sqrt()).at("denom")?;
        rec.record("denom", &denom);
        let delta = lr.mul(g).and_then(|x| x.div(&denom)).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}

/// RMSProp as PyTorch computes it: ε added after the square root.
pub struct RmsPropEpsOutside;

impl Rule for RmsPropEpsOutside {
    const INFO: Info = Info {
        id: "rmsprop",
        form: "eps-outside",
        choices: &[("eps", "outside"), ("centered", "no"), ("momentum", "no")],
        conventions: &[Convention {
            name: "pytorch",
            defaults: &[("lr", "0.01"), ("gamma", "0.99"), ("eps", "1e-8")],
        }],
        torch: Some("torch.optim.RMSprop(params, lr=@lr, alpha=@gamma, eps=@eps)"),
        hypers: RmsProp::INFO.hypers,
        gradient_at: None,
        quantities: &[
            RmsProp::INFO.quantities[0],
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S} + @eps",
                first: None,
                init: None,
                step: 3,
            },
            RmsProp::INFO.quantities[2],
            RmsProp::INFO.quantities[3],
        ],
        python: &[
            "S = gamma * S + (1 - gamma) * dW**2",
            "W = W - lr * dW / (np.sqrt(S) + eps)",
        ],
    };
    type State<S: Scalar> = RmsPropState<S>;

    fn init<S: Scalar>() -> RmsPropState<S> {
        RmsPropState { s: S::from_u64(0) }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut RmsPropState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // S = gamma * S + (1 - gamma) * dW**2 ; W = W - lr * dW / (np.sqrt(S) + eps)
        let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[2]));
        st.s = ops::ema_squared(&hp[1], &st.s, g).at("S")?;
        rec.record("S", &st.s);
        let denom = st.s.sqrt().and_then(|x| x.add(&eps)).at("denom")?;
        rec.record("denom", &denom);
        let delta = lr.mul(g).and_then(|x| x.div(&denom)).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}

/// The hyperparameters of PyTorch's forms with momentum: those of RMSProp and the momentum
/// coefficient β (PyTorch's `momentum`), named `beta` as every momentum coefficient in stepwise.
const HYPERS_MOMENTUM: &[HyperSpec] = &[
    LR,
    GAMMA,
    EPS,
    HyperSpec {
        name: "beta",
        latex: "\\beta",
        default: Some("0.9"),
        bound: Bound::UnitInterval,
    },
];

/// The running average of the gradient, which centres the centred forms.
const G: QuantitySpec = QuantitySpec {
    key: "G",
    latex: "\\bar{g}_{#}",
    formula: "@gamma \\cdot @G' + \\left(1 - @gamma\\right) \\cdot @g",
    first: None,
    init: Some("0"),
    step: 3,
};

/// The momentum buffer of the forms with momentum: it adds the scaled gradient.
const B: QuantitySpec = QuantitySpec {
    key: "B",
    latex: "b_{#}",
    formula: "@beta \\cdot @B' + \\frac{@g}{@avg}",
    first: None,
    init: Some("0"),
    step: 3,
};

/// The step of the forms with momentum.
const DELTA_MOMENTUM: QuantitySpec = QuantitySpec {
    key: "delta",
    latex: "\\Delta_{#}",
    formula: "@lr \\cdot @B",
    first: None,
    init: None,
    step: 4,
};

/// The update of the forms with momentum.
const W_MOMENTUM: QuantitySpec = QuantitySpec {
    key: "w",
    latex: "w_{#}",
    formula: "@w' - @delta",
    first: None,
    init: None,
    step: 4,
};

/// The state of PyTorch's centred and momentum forms (a form uses the parts it declares).
#[derive(Clone, Debug)]
pub struct RmsPropTorchState<S> {
    /// `S`, the running average of the squared gradient.
    pub s: S,
    /// `G`, the running average of the gradient (centred forms).
    pub g: S,
    /// `B`, the momentum buffer (forms with momentum).
    pub b: S,
}

fn torch_init<S: Scalar>() -> RmsPropTorchState<S> {
    RmsPropTorchState {
        s: S::from_u64(0),
        g: S::from_u64(0),
        b: S::from_u64(0),
    }
}

/// PyTorch's RMSProp, centred and/or with momentum, following the declared statements:
/// `S = gamma * S + (1 - gamma) * dW**2`; centred: `G = gamma * G + (1 - gamma) * dW` and the root of
/// `S - G**2`, else of `S`; `eps` after the root; with momentum `B = beta * B + dW / (root + eps)` and
/// `W = W - lr * B`, else `W = W - lr * dW / (root + eps)`.
#[inline(always)]
fn torch_update<S: Scalar, R: Recorder<S>>(
    centered: bool,
    momentum: bool,
    hp: &[S::Hyper],
    st: &mut RmsPropTorchState<S>,
    g: &S,
    w: &S,
    rec: &mut R,
) -> Result<S, StepError> {
    let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[2]));
    st.s = ops::ema_squared(&hp[1], &st.s, g).at("S")?;
    rec.record("S", &st.s);
    let denom_key = if momentum { "avg" } else { "denom" };
    let root = if centered {
        st.g = ops::ema(&hp[1], &st.g, g).at("G")?;
        rec.record("G", &st.g);
        st.g.mul(&st.g)
            .and_then(|g2| st.s.sub(&g2))
            .and_then(|x| x.sqrt())
    } else {
        st.s.sqrt()
    };
    let denom = root.and_then(|r| r.add(&eps)).at(denom_key)?;
    rec.record(denom_key, &denom);
    let delta = if momentum {
        st.b = S::lift(&hp[3])
            .mul(&st.b)
            .and_then(|a| a.add(&g.div(&denom)?))
            .at("B")?;
        rec.record("B", &st.b);
        lr.mul(&st.b).at("delta")?
    } else {
        lr.mul(g).and_then(|x| x.div(&denom)).at("delta")?
    };
    rec.record("delta", &delta);
    let w = w.sub(&delta).at("w")?;
    rec.record("w", &w);
    Ok(w)
}

/// RMSProp centred as PyTorch computes it (`centered=True`): the root of the variance `S - G²`, ε
/// after it.
pub struct RmsPropCentered;

impl Rule for RmsPropCentered {
    const INFO: Info = Info {
        id: "rmsprop",
        form: "centered",
        choices: &[("eps", "outside"), ("centered", "yes"), ("momentum", "no")],
        conventions: &[],
        torch: Some("torch.optim.RMSprop(params, lr=@lr, alpha=@gamma, eps=@eps, centered=True)"),
        hypers: RmsProp::INFO.hypers,
        gradient_at: None,
        quantities: &[
            RmsProp::INFO.quantities[0],
            G,
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S - @G^{2}} + @eps",
                first: None,
                init: None,
                step: 4,
            },
            QuantitySpec {
                step: 4,
                ..RmsProp::INFO.quantities[2]
            },
            QuantitySpec {
                step: 4,
                ..RmsProp::INFO.quantities[3]
            },
        ],
        python: &[
            "S = gamma * S + (1 - gamma) * dW**2",
            "G = gamma * G + (1 - gamma) * dW",
            "W = W - lr * dW / (np.sqrt(S - G**2) + eps)",
        ],
    };
    type State<S: Scalar> = RmsPropTorchState<S>;

    fn init<S: Scalar>() -> RmsPropTorchState<S> {
        torch_init()
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut RmsPropTorchState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        torch_update(true, false, hp, st, g, w, rec)
    }
}

/// RMSProp with momentum as PyTorch computes it (`momentum=β`): the buffer adds the gradient divided
/// by `√S + ε`, and the step is α times the buffer.
pub struct RmsPropMomentum;

impl Rule for RmsPropMomentum {
    const INFO: Info = Info {
        id: "rmsprop",
        form: "momentum",
        choices: &[("eps", "outside"), ("centered", "no"), ("momentum", "yes")],
        conventions: &[],
        torch: Some("torch.optim.RMSprop(params, lr=@lr, alpha=@gamma, eps=@eps, momentum=@beta)"),
        hypers: HYPERS_MOMENTUM,
        gradient_at: None,
        quantities: &[
            RmsProp::INFO.quantities[0],
            QuantitySpec {
                key: "avg",
                latex: "D_{#}",
                formula: "\\sqrt{@S} + @eps",
                first: None,
                init: None,
                step: 3,
            },
            B,
            DELTA_MOMENTUM,
            W_MOMENTUM,
        ],
        python: &[
            "S = gamma * S + (1 - gamma) * dW**2",
            "B = beta * B + dW / (np.sqrt(S) + eps)",
            "W = W - lr * B",
        ],
    };
    type State<S: Scalar> = RmsPropTorchState<S>;

    fn init<S: Scalar>() -> RmsPropTorchState<S> {
        torch_init()
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut RmsPropTorchState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        torch_update(false, true, hp, st, g, w, rec)
    }
}

/// RMSProp centred and with momentum as PyTorch computes it (`centered=True, momentum=β`).
pub struct RmsPropCenteredMomentum;

impl Rule for RmsPropCenteredMomentum {
    const INFO: Info = Info {
        id: "rmsprop",
        form: "centered-momentum",
        choices: &[("eps", "outside"), ("centered", "yes"), ("momentum", "yes")],
        conventions: &[],
        torch: Some(
            "torch.optim.RMSprop(params, lr=@lr, alpha=@gamma, eps=@eps, momentum=@beta, centered=True)",
        ),
        hypers: HYPERS_MOMENTUM,
        gradient_at: None,
        quantities: &[
            RmsProp::INFO.quantities[0],
            G,
            QuantitySpec {
                key: "avg",
                latex: "D_{#}",
                formula: "\\sqrt{@S - @G^{2}} + @eps",
                first: None,
                init: None,
                step: 4,
            },
            QuantitySpec { step: 4, ..B },
            QuantitySpec {
                step: 5,
                ..DELTA_MOMENTUM
            },
            QuantitySpec {
                step: 5,
                ..W_MOMENTUM
            },
        ],
        python: &[
            "S = gamma * S + (1 - gamma) * dW**2",
            "G = gamma * G + (1 - gamma) * dW",
            "B = beta * B + dW / (np.sqrt(S - G**2) + eps)",
            "W = W - lr * B",
        ],
    };
    type State<S: Scalar> = RmsPropTorchState<S>;

    fn init<S: Scalar>() -> RmsPropTorchState<S> {
        torch_init()
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut RmsPropTorchState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        torch_update(true, true, hp, st, g, w, rec)
    }
}
