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
//! 1e-8 in the paper; the course uses 1e-6).
//!
//! Two more forms give other numbers. `keras` (Keras and TensorFlow, `keras/src/optimizers/adam.py`)
//! folds both bias corrections into the step size and adds ε to the uncorrected root:
//! ```text
//! α_t = α sqrt(1 - β2^t) / (1 - β1^t)
//! w_t = w_{t-1} - α_t V_t / (sqrt(S_t) + ε)
//! ```
//! which is the paper's update with ε replaced by ε sqrt(1 - β2^t). `eps-inside` puts ε under the
//! root, `w_t = w_{t-1} - α V̂_t / sqrt(Ŝ_t + ε)` (optax's `adam(eps=0, eps_root=ε)`), a common
//! slip when Adam is written from RMSProp.

use super::{ops, At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
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
        form: "paper",
        choices: &[("eps", "outside"), ("bias_correction", "separate")],
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
                name: "d2l",
                defaults: &[],
            },
            Convention {
                name: "optax",
                defaults: &[],
            },
            Convention {
                name: "goodfellow",
                defaults: &[],
            },
        ],
        torch: Some("torch.optim.Adam(params, lr=@lr, betas=(@beta1, @beta2), eps=@eps)"),
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
                formula: "\\frac{@S}{1 - @beta2^{@t}}",
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

    #[inline(always)]
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

/// The two moments, shared by every form.
const MOMENTS: [QuantitySpec; 2] = [
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
];

/// Updates and records the moments.
#[inline(always)]
fn moments<S: Scalar, R: Recorder<S>>(
    hp: &[S::Hyper],
    st: &mut AdamState<S>,
    g: &S,
    rec: &mut R,
) -> Result<(), StepError> {
    st.v = ops::ema(&hp[1], &st.v, g).at("V")?;
    rec.record("V", &st.v);
    st.s = ops::ema_squared(&hp[2], &st.s, g).at("S")?;
    rec.record("S", &st.s);
    Ok(())
}

/// Adam as Keras computes it: the bias corrections folded into the step size.
pub struct AdamKeras;

impl Rule for AdamKeras {
    const INFO: Info = Info {
        id: "adam",
        form: "keras",
        choices: &[("eps", "outside"), ("bias_correction", "folded")],
        conventions: &[Convention {
            name: "keras",
            defaults: &[("eps", "1e-7")],
        }],
        torch: None,
        hypers: Adam::INFO.hypers,
        gradient_at: None,
        quantities: &[
            MOMENTS[0],
            MOMENTS[1],
            QuantitySpec {
                key: "alpha",
                latex: "\\tilde{\\alpha}_{#}",
                formula: "@lr \\cdot \\frac{\\sqrt{1 - @beta2^{@t}}}{1 - @beta1^{@t}}",
                first: None,
                init: None,
                step: 4,
            },
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S} + @eps",
                first: None,
                init: None,
                step: 5,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "\\frac{@alpha \\cdot @V}{@denom}",
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
            "alpha = lr * float(np.sqrt(1 - beta2**t)) / (1 - beta1**t)",
            "W = W - alpha * V / (np.sqrt(S) + eps)",
        ],
    };
    type State<S: Scalar> = AdamState<S>;

    fn init<S: Scalar>() -> AdamState<S> {
        Adam::init()
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdamState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        moments(hp, st, g, rec)?;
        // alpha = lr * sqrt(1 - beta2**t) / (1 - beta1**t), among hyperparameters
        let one = S::Hyper::from_u64(1);
        let alpha = hp[2]
            .powi(t)
            .and_then(|p| one.sub(&p))
            .and_then(|c| c.sqrt())
            .and_then(|r| hp[0].mul(&r))
            .and_then(|a| a.div(&one.sub(&hp[1].powi(t)?)?))
            .map(|a| S::lift(&a))
            .at("alpha")?;
        rec.record("alpha", &alpha);
        // W = W - alpha * V / (np.sqrt(S) + eps)
        let denom =
            st.s.sqrt()
                .and_then(|r| r.add(&S::lift(&hp[3])))
                .at("denom")?;
        rec.record("denom", &denom);
        let delta = alpha.mul(&st.v).and_then(|x| x.div(&denom)).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}

/// Adam with ε under the square root.
pub struct AdamEpsInside;

impl Rule for AdamEpsInside {
    const INFO: Info = Info {
        id: "adam",
        form: "eps-inside",
        choices: &[("eps", "inside"), ("bias_correction", "separate")],
        conventions: &[],
        torch: None,
        hypers: Adam::INFO.hypers,
        gradient_at: None,
        quantities: &[
            MOMENTS[0],
            MOMENTS[1],
            Adam::INFO.quantities[2],
            Adam::INFO.quantities[3],
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S_hat + @eps}",
                first: None,
                init: None,
                step: 5,
            },
            Adam::INFO.quantities[5],
            Adam::INFO.quantities[6],
        ],
        python: &[
            "V = beta1 * V + (1 - beta1) * dW",
            "S = beta2 * S + (1 - beta2) * dW**2",
            "V_corr = V / (1 - beta1**t)",
            "S_corr = S / (1 - beta2**t)",
            "W = W - lr * V_corr / np.sqrt(S_corr + eps)",
        ],
    };
    type State<S: Scalar> = AdamState<S>;

    fn init<S: Scalar>() -> AdamState<S> {
        Adam::init()
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdamState<S>,
        t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        moments(hp, st, g, rec)?;
        let v_hat = ops::bias_corrected(&hp[1], t, &st.v).at("V_hat")?;
        rec.record("V_hat", &v_hat);
        let s_hat = ops::bias_corrected(&hp[2], t, &st.s).at("S_hat")?;
        rec.record("S_hat", &s_hat);
        // W = W - lr * V_corr / np.sqrt(S_corr + eps)
        let denom = s_hat
            .add(&S::lift(&hp[3]))
            .and_then(|x| x.sqrt())
            .at("denom")?;
        rec.record("denom", &denom);
        let delta = S::lift(&hp[0])
            .mul(&v_hat)
            .and_then(|x| x.div(&denom))
            .at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
