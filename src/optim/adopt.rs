//! ADOPT (Taniguchi et al., NeurIPS 2024) as its official implementation (`iShohei220/adopt`,
//! `src/adopt/adopt.py`, `_single_tensor_adopt`; optax's `contrib.adopt` gives the same numbers): the
//! gradient is normalised by the second moment of the PREVIOUS epochs, clipped, and only then averaged
//! into the momentum; the second moment is updated last, and the first call only initialises it.
//!
//! ```text
//! epoch t = 1:  S_1 = g_1²; V_1 = 0 and w_1 = w_0 (the parameters do not move)
//! epoch t ≥ 2:  D_t = max(sqrt(S_{t-1}), ε)              (ε is a floor, not added)
//!               c_t = (t - 1)^(1/4)
//!               ĝ_t = clip(g_t / D_t, -c_t, c_t)
//!               V_t = β1 V_{t-1} + (1 - β1) ĝ_t          V_0 = 0
//!               Δ_t = α V_t
//!               w_t = w_{t-1} - Δ_t
//!               S_t = β2 S_{t-1} + (1 - β2) g_t²
//! ```
//! The paper's m_t and v_t are `V` and `S` here (the course's letters, as in Adam). Hyperparameters, with
//! the official defaults: α (`lr`, 0.001), β1 (`beta1`, 0.9), β2 (`beta2`, 0.9999), ε (`eps`, 1e-6).
//! There is no bias correction.
//!
//! The clip bound: the official code keeps a step counter that is 0 at the first call, which only sets
//! `exp_avg_sq = g²` and increments it; at the first moving call the counter is 1 and the bound is
//! `clip_lambda(step) = step**0.25 = 1`. With `t` the 1-based epoch of this crate, the counter is `t - 1`,
//! so `c_t = (t - 1)^(1/4)`: 1 at epoch 2, 2^(1/4) at epoch 3. Other implementations shift it to
//! `t^(1/4)` or use `t^(1/3)`: different numbers once the clip bites.
//!
//! Every quantity is recorded at epoch 1 too. There `c_1 = 0`, so the clip to `[-0, 0]` gives `ĝ_1 = 0`
//! (what optax computes at its first call), `V_1 = 0` and `Δ_1 = 0`; `D_1 = max(sqrt(0), ε) = ε`. The
//! code takes the shortcut and divides by nothing at epoch 1, so `ε = 0` fails no earlier than the
//! official code.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// ADOPT, the official form.
pub struct Adopt;

/// The two moments of one component.
#[derive(Clone, Debug)]
pub struct AdoptState<S> {
    /// `V`, the momentum of the clipped, normalised gradients.
    pub v: S,
    /// `S`, the second raw moment of the gradients.
    pub s: S,
}

impl Rule for Adopt {
    const INFO: Info = Info {
        id: "adopt",
        form: "official",
        choices: &[],
        conventions: &[
            Convention { name: "course", defaults: &[] },
            Convention { name: "optax", defaults: &[] },
        ],
        torch: None,
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
                default: Some("0.9999"),
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
                key: "denom",
                latex: "D_{#}",
                formula: "\\max\\left(\\sqrt{@S'}, @eps\\right)",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "c",
                latex: "c_{#}",
                formula: "\\sqrt[4]{@t - 1}",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "ghat",
                latex: "\\hat{g}_{#}",
                formula: "\\operatorname{clip}\\left(\\frac{@g}{@denom}, -@c, @c\\right)",
                first: None,
                init: None,
                step: 2,
            },
            QuantitySpec {
                key: "V",
                latex: "v_{#}",
                formula: "@beta1 \\cdot @V' + \\left(1 - @beta1\\right) \\cdot @ghat",
                first: None,
                init: Some("0"),
                step: 3,
            },
            QuantitySpec {
                key: "S",
                latex: "s_{#}",
                formula: "\\begin{cases} @g^{2} & t=1 \\\\ @beta2 \\cdot @S' + \\left(1 - @beta2\\right) \\cdot @g^{2} & t \\geq 2 \\end{cases}",
                first: None,
                init: Some("0"),
                step: 4,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot @V",
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
            "if t == 1:",
            "    S = dW**2",
            "else:",
            "    c = float(np.sqrt(np.sqrt(t - 1)))",
            "    ghat = np.clip(dW / np.maximum(np.sqrt(S), eps), -c, c)",
            "    V = beta1 * V + (1 - beta1) * ghat",
            "    W = W - lr * V",
            "    S = beta2 * S + (1 - beta2) * dW**2",
        ],
    };
    type State<S: Scalar> = AdoptState<S>;

    fn init<S: Scalar>() -> AdoptState<S> {
        AdoptState {
            v: S::from_u64(0),
            s: S::from_u64(0),
        }
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdoptState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // D = np.maximum(np.sqrt(S), eps), from the S of the previous epochs
        let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[3]));
        let denom = st.s.sqrt().at("denom")?.maximum(&eps);
        rec.record("denom", &denom);
        // c = float(np.sqrt(np.sqrt(t - 1))), among hyperparameters (a Python float)
        let c = S::Hyper::from_u64(t.saturating_sub(1))
            .sqrt()
            .and_then(|r| r.sqrt())
            .at("c")?;
        rec.record("c", &S::lift(&c));
        if t <= 1 {
            // if t == 1: S = dW**2 (nothing else moves; the clip to [-0, 0] gives ghat = 0)
            rec.record("ghat", &S::from_u64(0));
            rec.record("V", &st.v);
            st.s = g.mul(g).at("S")?;
            rec.record("S", &st.s);
            let delta = lr.mul(&st.v).at("delta")?;
            rec.record("delta", &delta);
            rec.record("w", w);
            return Ok(w.clone());
        }
        // ghat = np.clip(dW / D, -c, c)
        let lo = S::Hyper::from_u64(0).sub(&c).at("ghat")?;
        let ghat = g
            .div(&denom)
            .at("ghat")?
            .maximum(&S::lift(&lo))
            .minimum(&S::lift(&c));
        rec.record("ghat", &ghat);
        // V = beta1 * V + (1 - beta1) * ghat
        st.v = ops::ema(&hp[1], &st.v, &ghat).at("V")?;
        rec.record("V", &st.v);
        // S = beta2 * S + (1 - beta2) * dW**2 (after W in the code; W does not depend on it)
        st.s = ops::ema_squared(&hp[2], &st.s, g).at("S")?;
        rec.record("S", &st.s);
        // W = W - lr * V
        let delta = lr.mul(&st.v).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
