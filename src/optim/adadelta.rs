//! Adadelta (Zeiler 2012, "ADADELTA: an adaptive learning rate method", Algorithm 1): the gradient is
//! rescaled by the ratio of two running roots, that of the squared steps taken so far over that of the
//! squared gradients, so the step carries the units of the parameters and needs no learning rate.
//!
//! ```text
//! S_t = ρ S_{t-1} + (1 - ρ) g_t²                        S_0 = 0
//! Δ_t = sqrt(D_{t-1} + ε) / sqrt(S_t + ε) · g_t
//! D_t = ρ D_{t-1} + (1 - ρ) Δ_t²                        D_0 = 0
//! w_t = w_{t-1} - α Δ_t
//! ```
//! The paper's E[g²] and E[Δx²] are `S` and `D` here; its update has no learning rate, which is α = 1
//! (PyTorch's default). The step of epoch t uses the squared steps of the PREVIOUS epochs: `D` is
//! updated after Δ_t. Hyperparameters: α (`lr`, 1), ρ (`rho`, 0.9), ε (`eps`, 1e-6).
//!
//! Every library computes this same algorithm; only the defaults differ:
//! * PyTorch `torch/optim/adadelta.py` (`_single_tensor_adadelta`): lr 1.0, rho 0.9, eps 1e-6;
//! * optax `optax/_src/alias.py` `adadelta`, `transform.py` `scale_by_adadelta`: rho 0.9, eps 1e-6,
//!   `learning_rate=None`, which skips the sign flip of `scale_by_learning_rate` and so climbs the
//!   gradient; the `optax` convention takes lr 1, what `optax.adadelta(1.0)` computes;
//! * Keras `keras/src/optimizers/adadelta.py`: lr 1e-3, rho 0.95, eps 1e-7;
//! * d2l `chapter_optimization/adadelta.md`: no learning rate, rho 0.9 in its examples, eps 1e-5.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// Adadelta.
pub struct Adadelta;

/// The two running averages of one component.
#[derive(Clone, Debug)]
pub struct AdadeltaState<S> {
    /// `S`, of the squared gradients.
    pub s: S,
    /// `D`, of the squared steps.
    pub d: S,
}

impl Rule for Adadelta {
    const INFO: Info = Info {
        id: "adadelta",
        form: "paper",
        choices: &[],
        conventions: &[
            Convention {
                name: "course",
                defaults: &[],
            },
            Convention {
                name: "pytorch",
                defaults: &[],
            },
            Convention {
                name: "optax",
                defaults: &[],
            },
            Convention {
                name: "keras",
                defaults: &[("lr", "0.001"), ("rho", "0.95"), ("eps", "1e-7")],
            },
            Convention {
                name: "d2l",
                defaults: &[("eps", "1e-5")],
            },
        ],
        torch: Some("torch.optim.Adadelta(params, lr=@lr, rho=@rho, eps=@eps)"),
        hypers: &[
            HyperSpec {
                name: "lr",
                latex: "\\alpha",
                default: Some("1"),
                bound: Bound::Positive,
            },
            HyperSpec {
                name: "rho",
                latex: "\\rho",
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
                formula: "@rho \\cdot @S' + \\left(1 - @rho\\right) \\cdot @g^{2}",
                first: None,
                init: Some("0"),
                step: 2,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "\\frac{\\sqrt{@D' + @eps}}{\\sqrt{@S + @eps}} \\cdot @g",
                first: None,
                init: None,
                step: 3,
            },
            QuantitySpec {
                key: "D",
                latex: "d_{#}",
                formula: "@rho \\cdot @D' + \\left(1 - @rho\\right) \\cdot @delta^{2}",
                first: None,
                init: Some("0"),
                step: 4,
            },
            QuantitySpec {
                key: "w",
                latex: "w_{#}",
                formula: "@w' - @lr \\cdot @delta",
                first: None,
                init: None,
                step: 4,
            },
        ],
        python: &[
            "S = rho * S + (1 - rho) * dW**2",
            "delta = np.sqrt(D + eps) / np.sqrt(S + eps) * dW",
            "D = rho * D + (1 - rho) * delta**2",
            "W = W - lr * delta",
        ],
    };
    type State<S: Scalar> = AdadeltaState<S>;

    fn init<S: Scalar>() -> AdadeltaState<S> {
        AdadeltaState {
            s: S::from_u64(0),
            d: S::from_u64(0),
        }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdadeltaState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[2]));
        // S = rho * S + (1 - rho) * dW**2
        st.s = ops::ema_squared(&hp[1], &st.s, g).at("S")?;
        rec.record("S", &st.s);
        // delta = np.sqrt(D + eps) / np.sqrt(S + eps) * dW
        let delta =
            st.d.add(&eps)
                .and_then(|x| x.sqrt())
                .and_then(|n| n.div(&st.s.add(&eps)?.sqrt()?))
                .and_then(|r| r.mul(g))
                .at("delta")?;
        rec.record("delta", &delta);
        // D = rho * D + (1 - rho) * delta**2
        st.d = ops::ema_squared(&hp[1], &st.d, &delta).at("D")?;
        rec.record("D", &st.d);
        // W = W - lr * delta
        let w = lr.mul(&delta).and_then(|x| w.sub(&x)).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
