//! AMSGrad (Reddi, Kale and Kumar 2018) as PyTorch's `Adam(amsgrad=True)`: Adam whose denominator uses
//! the running maximum of the second moment, so the step size per component never grows.
//!
//! ```text
//! V_t = β1 V_{t-1} + (1 - β1) g_t           V_0 = 0
//! S_t = β2 S_{t-1} + (1 - β2) g_t²          S_0 = 0
//! S̄_t = max(S̄_{t-1}, S_t)                  S̄_0 = 0
//! V̂_t = V_t / (1 - β1^t)
//! Ŝ_t = S̄_t / (1 - β2^t)
//! D_t = sqrt(Ŝ_t) + ε
//! Δ_t = α V̂_t / D_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! Hyperparameters as Adam: α (`lr`, default 0.001), β1 (`beta1`, 0.9), β2 (`beta2`, 0.999), ε (`eps`,
//! 1e-8), PyTorch's defaults. PyTorch (`torch/optim/adam.py`, `_single_tensor_adam`) keeps the maximum
//! of the uncorrected S and corrects it with the current step: `denom = sqrt(max_exp_avg_sq) /
//! sqrt(1 - β2^t) + ε`, `w -= lr / (1 - β1^t) · exp_avg / denom`, which is this `D_t` and `Δ_t` as real
//! numbers (sqrt(S̄ / c) = sqrt(S̄) / sqrt(c)). The paper itself has no bias correction and no ε, and
//! some implementations take the maximum of the corrected Ŝ instead: different numbers.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// AMSGrad, PyTorch's form.
pub struct AmsGrad;

/// The moments of one component and the running maximum of the second.
#[derive(Clone, Debug)]
pub struct AmsGradState<S> {
    /// `V`, first moment.
    pub v: S,
    /// `S`, second raw moment.
    pub s: S,
    /// `S_max`, the largest `S` so far.
    pub s_max: S,
}

impl Rule for AmsGrad {
    const INFO: Info = Info {
        id: "amsgrad",
        form: "pytorch",
        choices: &[],
        conventions: &[Convention {
            name: "pytorch",
            defaults: &[],
        }],
        torch: Some(
            "torch.optim.Adam(params, lr=@lr, betas=(@beta1, @beta2), eps=@eps, amsgrad=True)",
        ),
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
                first: None,
                init: Some("0"),
                step: 2,
            },
            QuantitySpec {
                key: "S",
                latex: "s_{#}",
                formula: "@beta2 \\cdot @S' + \\left(1 - @beta2\\right) \\cdot @g^{2}",
                first: None,
                init: Some("0"),
                step: 3,
            },
            QuantitySpec {
                key: "S_max",
                latex: "\\bar{s}_{#}",
                formula: "\\max\\left(@S_max', @S\\right)",
                first: None,
                init: Some("0"),
                step: 3,
            },
            QuantitySpec {
                key: "V_hat",
                latex: "\\hat{v}_{#}",
                formula: "\\frac{@V}{1 - @beta1^{@t}}",
                first: None,
                init: None,
                step: 4,
            },
            QuantitySpec {
                key: "S_hat",
                latex: "\\hat{s}_{#}",
                formula: "\\frac{@S_max}{1 - @beta2^{@t}}",
                first: None,
                init: None,
                step: 4,
            },
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S_hat} + @eps",
                first: None,
                init: None,
                step: 5,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot \\frac{@V_hat}{@denom}",
                first: None,
                init: None,
                step: 5,
            },
            QuantitySpec {
                key: "w",
                latex: "w_{#}",
                formula: "@w' - @delta",
                first: None,
                init: None,
                step: 5,
            },
        ],
        python: &[
            "V = beta1 * V + (1 - beta1) * dW",
            "S = beta2 * S + (1 - beta2) * dW**2",
            "S_max = np.maximum(S_max, S)",
            "V_corr = V / (1 - beta1**t)",
            "S_corr = S_max / (1 - beta2**t)",
            "W = W - lr * V_corr / (np.sqrt(S_corr) + eps)",
        ],
    };
    type State<S: Scalar> = AmsGradState<S>;

    fn init<S: Scalar>() -> AmsGradState<S> {
        AmsGradState {
            v: S::from_u64(0),
            s: S::from_u64(0),
            s_max: S::from_u64(0),
        }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AmsGradState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // V = beta1 * V + (1 - beta1) * dW ; S = beta2 * S + (1 - beta2) * dW**2
        // S_max = np.maximum(S_max, S)
        // V_corr = V / (1 - beta1**t) ; S_corr = S_max / (1 - beta2**t)
        // W = W - lr * V_corr / (np.sqrt(S_corr) + eps)
        let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[3]));
        st.v = ops::ema(&hp[1], &st.v, g).at("V")?;
        rec.record("V", &st.v);
        st.s = ops::ema_squared(&hp[2], &st.s, g).at("S")?;
        rec.record("S", &st.s);
        st.s_max = st.s_max.maximum(&st.s);
        rec.record("S_max", &st.s_max);
        let v_hat = ops::bias_corrected(&hp[1], t, &st.v).at("V_hat")?;
        rec.record("V_hat", &v_hat);
        let s_hat = ops::bias_corrected(&hp[2], t, &st.s_max).at("S_hat")?;
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
