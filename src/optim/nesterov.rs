//! Nesterov's accelerated gradient in the look-ahead form (Sutskever et al. 2013; Goodfellow, Bengio
//! and Courville, Algorithm 8.3): the gradient is taken at the point the momentum is about to carry
//! the parameters to, not at the current point.
//!
//! ```text
//! w̃_t = w_{t-1} - α β V_{t-1}              (the look-ahead point)
//! g_t = ∇f(w̃_t)
//! V_t = β V_{t-1} + g_t                    V_0 = 0
//! Δ_t = α V_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! Hyperparameters: α (`lr`) and β (`beta`, default 0.9). With `v = -α V` this is the book's
//! `v ← β v - α ∇f(w + β v); w ← w + v`.
//!
//! The `current` form is PyTorch's `SGD(momentum=β, nesterov=True)` (dampening 0), optax's
//! `sgd(momentum=β, nesterov=True)` and Keras's `SGD(nesterov=True)`: the gradient at the current
//! point, and a step along `g + β V`:
//! ```text
//! V_t = β V_{t-1} + g_t                    V_0 = 0
//! D_t = g_t + β V_t
//! w_t = w_{t-1} - α D_t
//! ```
//! Its iterates are the look-ahead form's look-ahead points, so the numbers differ
//! (`torch/optim/sgd.py`: `grad = grad.add(buf, alpha=momentum)`).

use super::{
    At, Bound, Convention, GradientAt, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError,
};
use crate::number::Scalar;

/// Nesterov momentum, look-ahead form.
pub struct Nesterov;

/// The velocity of one component.
#[derive(Clone, Debug)]
pub struct NesterovState<S> {
    /// `V`, the heavy-ball velocity.
    pub v: S,
}

impl Rule for Nesterov {
    const INFO: Info = Info {
        id: "nesterov",
        form: "look-ahead",
        choices: &[("gradient", "look-ahead")],
        conventions: &[
            Convention {
                name: "course",
                defaults: &[],
            },
            Convention {
                name: "goodfellow",
                defaults: &[],
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
                name: "beta",
                latex: "\\beta",
                default: Some("0.9"),
                bound: Bound::UnitInterval,
            },
        ],
        gradient_at: Some(GradientAt {
            latex: "\\tilde{w}_{#}",
            formula: "@w' - @lr \\cdot @beta \\cdot @V'",
            python: "W - lr * @beta * V",
        }),
        quantities: &[
            QuantitySpec {
                key: "V",
                latex: "v_{#}",
                formula: "@beta \\cdot @V' + @g",
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
        python: &["V = beta * V + dW", "W = W - lr * V"],
    };
    type State<S: Scalar> = NesterovState<S>;

    fn init<S: Scalar>() -> NesterovState<S> {
        NesterovState { v: S::from_u64(0) }
    }

    fn gradient_at<S: Scalar>(
        hp: &[S::Hyper],
        st: &NesterovState<S>,
        w: &S,
    ) -> Result<S, StepError> {
        // W - lr * beta * V: lr * beta among hyperparameters, then the array
        let c = hp[0].mul(&hp[1]).at("w_tilde")?;
        S::lift(&c).mul(&st.v).and_then(|x| w.sub(&x)).at("w_tilde")
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut NesterovState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // V = beta * V + dW ; W = W - lr * V
        let (lr, beta) = (S::lift(&hp[0]), S::lift(&hp[1]));
        st.v = beta.mul(&st.v).and_then(|a| a.add(g)).at("V")?;
        rec.record("V", &st.v);
        let delta = lr.mul(&st.v).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}

/// Nesterov momentum as PyTorch, optax and Keras compute it: the gradient at the current point.
pub struct NesterovCurrent;

impl Rule for NesterovCurrent {
    const INFO: Info = Info {
        id: "nesterov",
        form: "current",
        choices: &[("gradient", "current")],
        conventions: &[
            Convention {
                name: "pytorch",
                defaults: &[("lr", "0.001")],
            },
            Convention {
                name: "optax",
                defaults: &[],
            },
            Convention {
                name: "keras",
                defaults: &[("lr", "0.01")],
            },
        ],
        torch: Some("torch.optim.SGD(params, lr=@lr, momentum=@beta, nesterov=True)"),
        hypers: Nesterov::INFO.hypers,
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
            QuantitySpec {
                key: "D",
                latex: "d_{#}",
                formula: "@g + @beta \\cdot @V",
                first: None,
                init: None,
                step: 3,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot @D",
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
        python: &["V = beta * V + dW", "W = W - lr * (dW + beta * V)"],
    };
    type State<S: Scalar> = NesterovState<S>;

    fn init<S: Scalar>() -> NesterovState<S> {
        NesterovState { v: S::from_u64(0) }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut NesterovState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // V = beta * V + dW ; W = W - lr * (dW + beta * V)
        let (lr, beta) = (S::lift(&hp[0]), S::lift(&hp[1]));
        st.v = beta.mul(&st.v).and_then(|a| a.add(g)).at("V")?;
        rec.record("V", &st.v);
        let d = beta.mul(&st.v).and_then(|b| g.add(&b)).at("D")?;
        rec.record("D", &d);
        let delta = lr.mul(&d).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
