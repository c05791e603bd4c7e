//! Gradient descent.
//!
//! ```text
//! Δ_t = α g_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! Hyperparameter: the learning rate α (`lr`). No state.

use super::{At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// Plain gradient descent.
pub struct Gd;

impl Rule for Gd {
    const INFO: Info = Info {
        id: "gd",
        form: "plain",
        choices: &[],
        conventions: &[
            Convention {
                name: "course",
                defaults: &[],
            },
            Convention {
                name: "pytorch",
                defaults: &[("lr", "0.001")],
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
                defaults: &[("lr", "0.01")],
            },
            Convention {
                name: "goodfellow",
                defaults: &[],
            },
        ],
        torch: Some("torch.optim.SGD(params, lr=@lr)"),
        hypers: &[HyperSpec {
            name: "lr",
            latex: "\\alpha",
            default: None,
            bound: Bound::Positive,
        }],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot @g",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "w",
                latex: "w_{#}",
                formula: "@w' - @delta",
                first: None,
                init: None,
                step: 2,
            },
        ],
        python: &["W = W - lr * dW"],
    };
    type State<S: Scalar> = ();

    fn init<S: Scalar>() -> Self::State<S> {}

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        _st: &mut (),
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        let delta = S::lift(&hp[0]).mul(g).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
