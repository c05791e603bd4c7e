//! Adam with bias correction, ε after the square root (Kingma and Ba, Algorithm 1; the course's form).
//!
//! ```text
//! V_t = β1 V_{t-1} + (1 - β1) g_t        V_0 = 0
//! S_t = β2 S_{t-1} + (1 - β2) g_t²       S_0 = 0
//! V̂_t = V_t / (1 - β1^t)
//! Ŝ_t = S_t / (1 - β2^t)
//! D_t = sqrt(Ŝ_t) + ε
//! Δ_t = α V̂_t / D_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! Hyperparameters: α (`lr`), β1 (`beta1`, default 0.9), β2 (`beta2`, default 0.999), ε (`eps`, default
//! 1e-8 in the paper; the course uses 1e-6). Keras folds the bias correction into the step size and adds
//! ε before correcting, which gives different numbers.

use super::{ops, At, Bound, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// Adam.
pub struct Adam;

/// The two moments of one component.
#[derive(Clone, Debug)]
pub struct AdamState<S> {
    /// `V`, first moment.
    pub v: S,
    /// `S`, second raw moment.
    pub s: S,
}

impl Rule for Adam {
    const INFO: Info = Info {
        id: "adam",
        hypers: &[
            HyperSpec {
                name: "lr",
                latex: "\\alpha",
                default: Some("0.001"),
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
        ],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "V",
                latex: "v_{#}",
                formula: "@beta1 \\cdot @V' + \\left(1 - @beta1\\right) \\cdot @g",
                init: Some("0"),
                step: 2,
            },
            QuantitySpec {
                key: "S",
                latex: "s_{#}",
                formula: "@beta2 \\cdot @S' + \\left(1 - @beta2\\right) \\cdot @g^{2}",
                init: Some("0"),
                step: 3,
            },
            QuantitySpec {
                key: "V_hat",
                latex: "\\hat{v}_{#}",
                formula: "\\frac{@V}{1 - @beta1^{@t}}",
                init: None,
                step: 4,
            },
            QuantitySpec {
                key: "S_hat",
                latex: "\\hat{s}_{#}",
                formula: "\\frac{@S}{1 - @beta2^{@t}}",
                init: None,
                step: 4,
            },
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S_hat} + @eps",
                init: None,
                step: 5,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot \\frac{@V_hat}{@denom}",
                init: None,
                step: 5,
            },
            QuantitySpec {
                key: "w",
                latex: "w_{#}",
                formula: "@w' - @delta",
                init: None,
                step: 5,
            },
        ],
        python: &[
            "V = beta1 * V + (1 - beta1) * dW",
            "S = beta2 * S + (1 - beta2) * dW**2",
            "V_corr = V / (1 - beta1**t)",
            "S_corr = S / (1 - beta2**t)",
            "W = W - lr * V_corr / (np.sqrt(S_corr) + eps)",
        ],
    };
    type State<S: Scalar> = AdamState<S>;

    fn init<S: Scalar>() -> AdamState<S> {
        AdamState {
            v: S::from_u64(0),
            s: S::from_u64(0),
        }
    }

    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdamState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // V = beta1 * V + (1 - beta1) * dW ; S = beta2 * S + (1 - beta2) * dW**2
        // V_corr = V / (1 - beta1**t) ; S_corr = S / (1 - beta2**t)
        // W = W - lr * V_corr / (np.sqrt(S_corr) + eps)
        let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[3]));
        st.v = ops::ema(&hp[1], &st.v, g).at("V")?;
        rec.record("V", &st.v);
        st.s = ops::ema_squared(&hp[2], &st.s, g).at("S")?;
        rec.record("S", &st.s);
        let v_hat = ops::bias_corrected(&hp[1], t, &st.v).at("V_hat")?;
        rec.record("V_hat", &v_hat);
        let s_hat = ops::bias_corrected(&hp[2], t, &st.s).at("S_hat")?;
        rec.record("S_hat", &s_hat);
        let denom = s_hat.sqrt().and_then(|r| r.add(&eps)).at("denom")?;
        rec.record("denom", &denom);
        let delta = lr.mul(&v_hat).and_then(|x| x.div(&denom)).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
