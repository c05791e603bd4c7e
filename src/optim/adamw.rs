//! AdamW (Loshchilov and Hutter 2019, decoupled weight decay) as PyTorch's `AdamW`: the parameters
//! first shrink by the factor `1 - α λ`, then take the Adam step (bias correction, ε after the root).
//!
//! ```text
//! w̃_t = w_{t-1} (1 - α λ)                  (decoupled weight decay)
//! V_t = β1 V_{t-1} + (1 - β1) g_t          V_0 = 0
//! S_t = β2 S_{t-1} + (1 - β2) g_t²         S_0 = 0
//! V̂_t = V_t / (1 - β1^t)
//! Ŝ_t = S_t / (1 - β2^t)
//! D_t = sqrt(Ŝ_t) + ε
//! Δ_t = α V̂_t / D_t
//! w_t = w̃_t - Δ_t
//! ```
//! The gradient `g_t` is taken at `w_{t-1}`, before the decay. Hyperparameters, with PyTorch's
//! defaults: α (`lr`, 0.001), β1 (`beta1`, 0.9), β2 (`beta2`, 0.999), ε (`eps`, 1e-8), λ
//! (`weight_decay`, 0.01). PyTorch (`torch/optim/adamw.py`, `_single_tensor_adamw`) runs
//! `param.mul_(1 - lr * weight_decay)` before the moments and the Adam step, as here. The paper scales
//! the decay by a schedule multiplier η_t rather than by α (PyTorch's `lr` plays both parts); Adam's
//! `weight_decay` adds λ w to the gradient instead (L2 regularisation): different numbers.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// AdamW, PyTorch's form.
pub struct AdamW;

/// The two moments of one component.
#[derive(Clone, Debug)]
pub struct AdamWState<S> {
    /// `V`, first moment.
    pub v: S,
    /// `S`, second raw moment.
    pub s: S,
}

impl Rule for AdamW {
    const INFO: Info = Info {
        id: "adamw",
        form: "pytorch",
        choices: &[],
        conventions: &[
            Convention { name: "pytorch", defaults: &[] },
            Convention { name: "optax", defaults: &[("weight_decay", "0.0001")] },
        ],
        torch: Some("torch.optim.AdamW(params, lr=@lr, betas=(@beta1, @beta2), eps=@eps, weight_decay=@weight_decay)"),
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
            HyperSpec {
                name: "weight_decay",
                latex: "\\lambda",
                default: Some("0.01"),
                bound: Bound::NonNegative,
            },
        ],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "w_decayed",
                latex: "\\tilde{w}_{#}",
                formula: "@w' \\cdot \\left(1 - @lr \\cdot @weight_decay\\right)",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "V",
                latex: "v_{#}",
                formula: "@beta1 \\cdot @V' + \\left(1 - @beta1\\right) \\cdot @g",
                first: None,
                init: Some("0"),
                step: 3,
            },
            QuantitySpec {
                key: "S",
                latex: "s_{#}",
                formula: "@beta2 \\cdot @S' + \\left(1 - @beta2\\right) \\cdot @g^{2}",
                first: None,
                init: Some("0"),
                step: 4,
            },
            QuantitySpec {
                key: "V_hat",
                latex: "\\hat{v}_{#}",
                formula: "\\frac{@V}{1 - @beta1^{@t}}",
                first: None,
                init: None,
                step: 5,
            },
            QuantitySpec {
                key: "S_hat",
                latex: "\\hat{s}_{#}",
                formula: "\\frac{@S}{1 - @beta2^{@t}}",
                first: None,
                init: None,
                step: 5,
            },
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S_hat} + @eps",
                first: None,
                init: None,
                step: 6,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot \\frac{@V_hat}{@denom}",
                first: None,
                init: None,
                step: 6,
            },
            QuantitySpec {
                key: "w",
                latex: "w_{#}",
                formula: "@w_decayed - @delta",
                first: None,
                init: None,
                step: 6,
            },
        ],
        python: &[
            "W = W * (1 - lr * weight_decay)",
            "V = beta1 * V + (1 - beta1) * dW",
            "S = beta2 * S + (1 - beta2) * dW**2",
            "V_corr = V / (1 - beta1**t)",
            "S_corr = S / (1 - beta2**t)",
            "W = W - lr * V_corr / (np.sqrt(S_corr) + eps)",
        ],
    };
    type State<S: Scalar> = AdamWState<S>;

    fn init<S: Scalar>() -> AdamWState<S> {
        AdamWState {
            v: S::from_u64(0),
            s: S::from_u64(0),
        }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdamWState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // W = W * (1 - lr * weight_decay)
        // V = beta1 * V + (1 - beta1) * dW ; S = beta2 * S + (1 - beta2) * dW**2
        // V_corr = V / (1 - beta1**t) ; S_corr = S / (1 - beta2**t)
        // W = W - lr * V_corr / (np.sqrt(S_corr) + eps)
        let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[3]));
        let shrink = hp[0]
            .mul(&hp[4])
            .and_then(|x| S::Hyper::from_u64(1).sub(&x))
            .at("w_decayed")?;
        let w_decayed = w.mul(&S::lift(&shrink)).at("w_decayed")?;
        rec.record("w_decayed", &w_decayed);
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
        let w = w_decayed.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
