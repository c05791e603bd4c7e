//! RMSProp with ε inside the square root (Goodfellow et al., Algorithm 8.5; the course's form).
//!
//! ```text
//! S_t = γ S_{t-1} + (1 - γ) g_t²        S_0 = 0
//! D_t = sqrt(S_t + ε)
//! Δ_t = α g_t / D_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! Hyperparameters: α (`lr`), γ (`gamma`, default 0.9), ε (`eps`, default 1e-6). PyTorch adds ε after
//! the root instead, which gives different numbers.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

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
        choices: &[("eps", "inside")],
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
        hypers: &[
            HyperSpec {
                name: "lr",
                latex: "\\alpha",
                default: None,
                bound: Bound::Positive,
            },
            HyperSpec {
                name: "gamma",
                latex: "\\gamma",
                default: Some("0.9"),
                bound: Bound::UnitInterval,
            },
            HyperSpec {
                name: "eps",
                latex: "\\epsilon",
                default: Some("1e-6"),
                bound: Bound::NonNegative,
            },
        ],
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
        choices: &[("eps", "outside")],
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
