//! Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2): the step is
//! the SIGN of an interpolation between the momentum and the gradient, so every component moves by
//! exactly the learning rate (plus the decoupled weight decay); the momentum is updated with a second,
//! slower rate.
//!
//! ```text
//! c_t = β1 V_{t-1} + (1 - β1) g_t
//! u_t = sign(c_t)                                (-1, 0 or 1; sign(0) = 0)
//! V_t = β2 V_{t-1} + (1 - β2) g_t                V_0 = 0
//! Δ_t = α (u_t + λ w_{t-1})
//! w_t = w_{t-1} - Δ_t
//! ```
//! The paper's m is `V` here (the course's letter for a momentum). Hyperparameters: α (`lr`), β1
//! (`beta1`, 0.9), β2 (`beta2`, 0.99), λ (`weight_decay`, 0: the paper gives no default value).
//!
//! Both libraries compute this algorithm; only the defaults differ:
//! * optax `optax/_src/alias.py` `lion`, `transform.py` `scale_by_lion`: `u = sign((1 - b1) g + b1 m)`,
//!   `m = (1 - b2) g + b2 m`, then `u + weight_decay * w` (`add_decayed_weights`), scaled by `-lr`;
//!   weight_decay 1e-3 by default;
//! * Keras `keras/src/optimizers/lion.py`: the decoupled decay `w - w * wd * lr` first (weight_decay
//!   None, no decay, by default; lr 1e-3), then `w - lr * sign(m b1 + g (1 - b1))` and the momentum;
//!   the same w_t in exact arithmetic.
//!
//! PyTorch's `torch.optim` has no Lion. The generated code uses `np.sign`, which gives 0 for 0, as
//! both libraries do.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// Lion.
pub struct Lion;

/// The momentum of one component.
#[derive(Clone, Debug)]
pub struct LionState<S> {
    /// `V`, the momentum.
    pub v: S,
}

impl Rule for Lion {
    const INFO: Info = Info {
        id: "lion",
        form: "paper",
        choices: &[],
        conventions: &[
            Convention {
                name: "course",
                defaults: &[],
            },
            Convention {
                name: "optax",
                defaults: &[("weight_decay", "0.001")],
            },
            Convention {
                name: "keras",
                defaults: &[("lr", "0.001")],
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
                name: "beta1",
                latex: "\\beta_{1}",
                default: Some("0.9"),
                bound: Bound::UnitInterval,
            },
            HyperSpec {
                name: "beta2",
                latex: "\\beta_{2}",
                default: Some("0.99"),
                bound: Bound::UnitInterval,
            },
            HyperSpec {
                name: "weight_decay",
                latex: "\\lambda",
                default: Some("0"),
                bound: Bound::NonNegative,
            },
        ],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "c",
                latex: "c_{#}",
                formula: "@beta1 \\cdot @V' + \\left(1 - @beta1\\right) \\cdot @g",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "u",
                latex: "u_{#}",
                formula: "\\operatorname{sign}\\left(@c\\right)",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "V",
                latex: "v_{#}",
                formula: "@beta2 \\cdot @V' + \\left(1 - @beta2\\right) \\cdot @g",
                first: None,
                init: Some("0"),
                step: 3,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot \\left(@u + @weight_decay \\cdot @w'\\right)",
                first: None,
                init: None,
                step: 4,
            },
            QuantitySpec {
                key: "w",
                latex: "w_{#}",
                formula: "@w' - @delta",
                first: None,
                init: None,
                step: 4,
            },
        ],
        python: &[
            "c = beta1 * V + (1 - beta1) * dW",
            "u = np.sign(c)",
            "V = beta2 * V + (1 - beta2) * dW",
            "W = W - lr * (u + weight_decay * W)",
        ],
    };
    type State<S: Scalar> = LionState<S>;

    fn init<S: Scalar>() -> LionState<S> {
        LionState { v: S::from_u64(0) }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut LionState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // c = beta1 * V + (1 - beta1) * dW ; u = np.sign(c)
        let c = ops::ema(&hp[1], &st.v, g).at("c")?;
        rec.record("c", &c);
        let u = c.signum();
        rec.record("u", &u);
        // V = beta2 * V + (1 - beta2) * dW
        st.v = ops::ema(&hp[2], &st.v, g).at("V")?;
        rec.record("V", &st.v);
        // W = W - lr * (u + weight_decay * W)
        let delta = S::lift(&hp[3])
            .mul(w)
            .and_then(|d| u.add(&d))
            .and_then(|x| S::lift(&hp[0]).mul(&x))
            .at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
