//! AdaGrad (Duchi, Hazan and Singer 2011) as PyTorch's `Adagrad` and Goodfellow et al., Algorithm 8.4
//! write it: the squared gradients are summed, not averaged, and ε is added after the square root.
//!
//! ```text
//! S_t = S_{t-1} + g_t²                   S_0 = 0
//! D_t = sqrt(S_t) + ε
//! Δ_t = α g_t / D_t
//! w_t = w_{t-1} - Δ_t
//! ```
//! Hyperparameters: α (`lr`) and ε (`eps`, default 1e-10, PyTorch's; the book suggests about 1e-7).
//! PyTorch's optional learning-rate decay and initial accumulator are left at 0. d2l puts ε inside the
//! root, and optax and Keras also start the sum at 0.1: different numbers.

use super::{At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::Scalar;

/// AdaGrad, ε after the root.
pub struct AdaGrad;

/// The sum of the squared gradients of one component.
#[derive(Clone, Debug)]
pub struct AdaGradState<S> {
    /// `S`.
    pub s: S,
}

impl Rule for AdaGrad {
    const INFO: Info = Info {
        id: "adagrad",
        form: "eps-outside",
        choices: &[("eps", "outside")],
        conventions: &[
            Convention {
                name: "course",
                defaults: &[],
            },
            Convention {
                name: "pytorch",
                defaults: &[("lr", "0.01")],
            },
            Convention {
                name: "goodfellow",
                defaults: &[("eps", "1e-7")],
            },
        ],
        torch: Some("torch.optim.Adagrad(params, lr=@lr, eps=@eps)"),
        hypers: &[
            HyperSpec {
                name: "lr",
                latex: "\\alpha",
                default: None,
                bound: Bound::Positive,
            },
            HyperSpec {
                name: "eps",
                latex: "\\epsilon",
                default: Some("1e-10"),
                bound: Bound::NonNegative,
            },
        ],
        gradient_at: None,
        quantities: &[
            QuantitySpec {
                key: "S",
                latex: "s_{#}",
                formula: "@S' + @g^{2}",
                first: None,
                init: Some("0"),
                step: 2,
            },
            QuantitySpec {
                key: "denom",
                latex: "D_{#}",
                formula: "\\sqrt{@S} + @eps",
                first: None,
                init: None,
                step: 3,
            },
            QuantitySpec {
                key: "delta",
                latex: "\\Delta_{#}",
                formula: "@lr \\cdot \\frac{@g}{@denom}",
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
        python: &["S = S + dW**2", "W = W - lr * dW / (np.sqrt(S) + eps)"],
    };
    type State<S: Scalar> = AdaGradState<S>;

    fn init<S: Scalar>() -> AdaGradState<S> {
        AdaGradState { s: S::from_u64(0) }
    }

    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdaGradState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        // S = S + dW**2 ; W = W - lr * dW / (np.sqrt(S) + eps)
        let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[1]));
        st.s = g.mul(g).and_then(|g2| st.s.add(&g2)).at("S")?;
        rec.record("S", &st.s);
        let denom = st.s.sqrt().and_then(|r| r.add(&eps)).at("denom")?;
        rec.record("denom", &denom);
        let delta = lr.mul(g).and_then(|x| x.div(&denom)).at("delta")?;
        rec.record("delta", &delta);
        let w = w.sub(&delta).at("w")?;
        rec.record("w", &w);
        Ok(w)
    }
}
