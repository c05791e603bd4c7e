//! Gradient descent with momentum, in the exponentially-weighted-average form of the course.
//!
//! ```text
//! V_t = β V_{t-1} + (1 - β) g_t        V_0 = 0
//! Δ_t = α V_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! Hyperparameters: α (`lr`) and β (`beta`, default 0.9). This differs from the heavy-ball form
//! `V_t = β V_{t-1} + g_t` (PyTorch, d2l) by the factor `1 - β` on the gradient.

use super::{ops, At, Bound, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
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
                init: Some("0"),
                step: 2,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot @V",
                init: None,
                step: 3,
            },
            QuantitySpec {
                key: "w",
                latex: "w_{#}",
                formula: "@w' - @delta",
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
