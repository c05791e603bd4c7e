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
//! PyTorch's optional learning-rate decay is left at 0.
//!
//! The forms make two choices: `eps`, `outside` the root as above or `inside`, `D_t = sqrt(S_t + ε)`
//! (d2l, `chapter_optimization/adagrad.md`; optax and Keras), and `accumulator`, the value `S_0` the
//! sum starts from: `"0"` or `"0.1"` (optax `scale_by_rss` and Keras `Adagrad` start at 0.1 by
//! default, PyTorch with `initial_accumulator_value=0.1`). Every combination is a form:
//! `eps-outside` (course, PyTorch, the book), `eps-inside` (d2l), `eps-inside-acc` (optax, Keras) and
//! `eps-outside-acc` (PyTorch with `initial_accumulator_value=0.1`). The generated code starts the sum
//! as NumPy does, `np.full_like(W, 0.1)`: 0.1 rounded to the array's type.

use super::{At, Bound, Convention, HyperSpec, Info, QuantitySpec, Recorder, Rule, StepError};
use crate::number::{Num, Scalar};

/// AdaGrad, ε after the root.
pub struct AdaGrad;

/// The sum of the squared gradients of one component.
#[derive(Clone, Debug)]
pub struct AdaGradState<S> {
    /// `S`.
    pub s: S,
}

const LR: HyperSpec = HyperSpec {
    name: "lr",
    latex: "\\alpha",
    default: None,
    bound: Bound::Positive,
};

const EPS: HyperSpec = HyperSpec {
    name: "eps",
    latex: "\\epsilon",
    default: Some("1e-10"),
    bound: Bound::NonNegative,
};

/// The sum, from 0.
const S_ZERO: QuantitySpec = QuantitySpec {
    key: "S",
    latex: "s_{#}",
    formula: "@S' + @g^{2}",
    first: None,
    init: Some("0"),
    step: 2,
};

/// The initial value of the sum in the `-acc` forms (optax's and Keras's default).
const ACCUMULATOR: &str = "0.1";

/// The sum, from [`ACCUMULATOR`].
const S_ACC: QuantitySpec = QuantitySpec {
    init: Some(ACCUMULATOR),
    ..S_ZERO
};

/// ε after the root.
const DENOM_OUTSIDE: QuantitySpec = QuantitySpec {
    key: "denom",
    latex: "D_{#}",
    formula: "\\sqrt{@S} + @eps",
    first: None,
    init: None,
    step: 3,
};

/// ε under the root.
const DENOM_INSIDE: QuantitySpec = QuantitySpec {
    formula: "\\sqrt{@S + @eps}",
    ..DENOM_OUTSIDE
};

const DELTA: QuantitySpec = QuantitySpec {
    key: "delta",
    latex: "\\Delta_{#}",
    formula: "@lr \\cdot \\frac{@g}{@denom}",
    first: None,
    init: None,
    step: 3,
};

const W: QuantitySpec = QuantitySpec {
    key: "w",
    latex: "w_{#}",
    formula: "@w' - @delta",
    first: None,
    init: None,
    step: 3,
};

/// A state starting at `init`, as `np.full_like(W, init)` makes it: the Python float converted to the
/// array's type.
fn start<S: Scalar>(init: &str) -> AdaGradState<S> {
    let v = Num::parse(init).unwrap_or(Num::ZERO);
    AdaGradState {
        s: S::lift(&S::Hyper::from_num(&v)),
    }
}

/// `S = S + dW**2`, then `W = W - lr * dW / (np.sqrt(S) + eps)` or, ε inside,
/// `W = W - lr * dW / np.sqrt(S + eps)`.
fn update<S: Scalar, R: Recorder<S>>(
    inside: bool,
    hp: &[S::Hyper],
    st: &mut AdaGradState<S>,
    g: &S,
    w: &S,
    rec: &mut R,
) -> Result<S, StepError> {
    let (lr, eps) = (S::lift(&hp[0]), S::lift(&hp[1]));
    st.s = g.mul(g).and_then(|g2| st.s.add(&g2)).at("S")?;
    rec.record("S", &st.s);
    let denom = if inside {
        st.s.add(&eps).and_then(|x| x.sqrt())
    } else {
        st.s.sqrt().and_then(|r| r.add(&eps))
    }
    .at("denom")?;
    rec.record("denom", &denom);
    let delta = lr.mul(g).and_then(|x| x.div(&denom)).at("delta")?;
    rec.record("delta", &delta);
    let w = w.sub(&delta).at("w")?;
    rec.record("w", &w);
    Ok(w)
}

impl Rule for AdaGrad {
    const INFO: Info = Info {
        id: "adagrad",
        form: "eps-outside",
        choices: &[("eps", "outside"), ("accumulator", "0")],
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
        hypers: &[LR, EPS],
        gradient_at: None,
        quantities: &[S_ZERO, DENOM_OUTSIDE, DELTA, W],
        python: &["S = S + dW**2", "W = W - lr * dW / (np.sqrt(S) + eps)"],
    };
    type State<S: Scalar> = AdaGradState<S>;

    fn init<S: Scalar>() -> AdaGradState<S> {
        start("0")
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdaGradState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        update(false, hp, st, g, w, rec)
    }
}

/// AdaGrad, ε under the root (d2l).
pub struct AdaGradEpsInside;

impl Rule for AdaGradEpsInside {
    const INFO: Info = Info {
        id: "adagrad",
        form: "eps-inside",
        choices: &[("eps", "inside"), ("accumulator", "0")],
        conventions: &[Convention {
            name: "d2l",
            defaults: &[("eps", "1e-6")],
        }],
        torch: None,
        hypers: &[LR, EPS],
        gradient_at: None,
        quantities: &[S_ZERO, DENOM_INSIDE, DELTA, W],
        python: &["S = S + dW**2", "W = W - lr * dW / np.sqrt(S + eps)"],
    };
    type State<S: Scalar> = AdaGradState<S>;

    fn init<S: Scalar>() -> AdaGradState<S> {
        start("0")
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdaGradState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        update(true, hp, st, g, w, rec)
    }
}

/// AdaGrad, ε under the root and the sum starting at 0.1 (optax, Keras).
pub struct AdaGradEpsInsideAcc;

impl Rule for AdaGradEpsInsideAcc {
    const INFO: Info = Info {
        id: "adagrad",
        form: "eps-inside-acc",
        choices: &[("eps", "inside"), ("accumulator", ACCUMULATOR)],
        conventions: &[
            Convention {
                name: "optax",
                defaults: &[("eps", "1e-7")],
            },
            Convention {
                name: "keras",
                defaults: &[("lr", "0.001"), ("eps", "1e-7")],
            },
        ],
        torch: None,
        hypers: &[LR, EPS],
        gradient_at: None,
        quantities: &[S_ACC, DENOM_INSIDE, DELTA, W],
        python: &["S = S + dW**2", "W = W - lr * dW / np.sqrt(S + eps)"],
    };
    type State<S: Scalar> = AdaGradState<S>;

    fn init<S: Scalar>() -> AdaGradState<S> {
        start(ACCUMULATOR)
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdaGradState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        update(true, hp, st, g, w, rec)
    }
}

/// AdaGrad, ε after the root and the sum starting at 0.1 (PyTorch with
/// `initial_accumulator_value=0.1`).
pub struct AdaGradEpsOutsideAcc;

impl Rule for AdaGradEpsOutsideAcc {
    const INFO: Info = Info {
        id: "adagrad",
        form: "eps-outside-acc",
        choices: &[("eps", "outside"), ("accumulator", ACCUMULATOR)],
        conventions: &[],
        torch: Some("torch.optim.Adagrad(params, lr=@lr, eps=@eps, initial_accumulator_value=0.1)"),
        hypers: &[LR, EPS],
        gradient_at: None,
        quantities: &[S_ACC, DENOM_OUTSIDE, DELTA, W],
        python: &["S = S + dW**2", "W = W - lr * dW / (np.sqrt(S) + eps)"],
    };
    type State<S: Scalar> = AdaGradState<S>;

    fn init<S: Scalar>() -> AdaGradState<S> {
        start(ACCUMULATOR)
    }

    #[inline(always)]
    fn update<S: Scalar, R: Recorder<S>>(
        hp: &[S::Hyper],
        st: &mut AdaGradState<S>,
        _t: u64,
        g: &S,
        w: &S,
        rec: &mut R,
    ) -> Result<S, StepError> {
        update(false, hp, st, g, w, rec)
    }
}
