//! The engine against known values: the course's numbers, an independent 50-digit computation, and the
//! f64 engine on random problems.

use crate::harness::Rng;
use crate::optimizers::{self, TABLE};
use stepwise::number::{Ball, Mag, Num};
use stepwise::spec;
use stepwise::trace;

fn n(s: &str) -> Num {
    Num::parse(s).unwrap()
}

/// Every ball holds its reference value (given to 28 digits, so widened by half a unit of its last
/// digit) and is narrow (25 digits or more).
fn holds(got: &[Ball], want: &[Num]) {
    assert_eq!(got.len(), want.len());
    for (b, w) in got.iter().zip(want) {
        let wide = Ball::new(*b.mid(), b.rad().add(&Mag::half_ulp(w)));
        assert!(wide.contains(w), "{b} does not hold {w}");
        assert!(b.certain_digits() >= 25, "{b} is wide");
    }
}

fn point(id: &str, epoch: u64) -> Vec<Num> {
    let ex = spec::builtin();
    let p = ex.problem(id).unwrap();
    let tr = trace::trace(&ex, p, epoch).unwrap();
    tr.last_point().iter().map(|b| *b.mid()).collect()
}

#[test]
fn gd_epoch_2_is_exact() {
    assert_eq!(point("gd", 2), vec![n("-4.232"), n("-0.72")]);
}

#[test]
fn momentum_epoch_2_is_exact() {
    assert_eq!(point("momentum", 2), vec![n("-4.268"), n("1.12")]);
}

#[test]
fn adam_epoch_1_keeps_28_digits() {
    let w = point("adam", 1);
    assert_eq!(w[0], n("-4.800000199999800000199999800"));
    assert_eq!(w[0].to_sci_fixed(28), "-4.800000199999800000199999800e0");
    assert_eq!(w[1], n("-1.800000024999996875000390625"));
}

/// Agreement in significant digits: -log10(|a - b| / |b|).
fn agreeing_digits(a: &Num, b: &Num) -> f64 {
    let d = a.sub(b).unwrap();
    if d.is_zero() {
        return 99.0;
    }
    let rel = d.div(b).unwrap().abs();
    -(rel.to_f64().log10())
}

/// Epoch-30 points computed independently with Python's decimal module at 50 significant digits
/// (a direct transcription of the exercise's formulas, no code shared with this crate).
const REFERENCE_50: &[(&str, &str, &str)] = &[
    (
        "gd",
        "-0.40983101788669100962164326909709578835374712858670",
        "-4.42147839441466715799552e-7",
    ),
    (
        "momentum",
        "-0.061007259235706951478183809873751814635351004237233",
        "0.000064516293250612066140793432",
    ),
    (
        "rmsprop",
        "-0.0030057708084714155318676654539116085691754176302346",
        "-3.0050608426118134088247724588999745805860105688665e-17",
    ),
    (
        "adam",
        "-0.11386457466500858149792898850086194600026226211723",
        "0.067935293705740228719536478419626698720992254169939",
    ),
];

/// A reference value rounded to 28 digits (Num refuses longer literals).
fn reference(s: &str) -> Num {
    let (mant, exp) = match s.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap()),
        None => (s, 0),
    };
    let neg = mant.starts_with('-');
    let body = mant.trim_start_matches('-');
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = format!("{int}{frac}");
    let lead = digits.len() - digits.trim_start_matches('0').len();
    let sig = &digits[lead..];
    let keep = sig.len().min(27);
    let text = format!(
        "{}0.{}e{}",
        if neg { "-" } else { "" },
        &sig[..keep],
        exp + int.len() as i64 - lead as i64
    );
    n(&text)
}

#[test]
fn epoch_30_agrees_with_an_independent_50_digit_computation() {
    for (id, w1, w2) in REFERENCE_50 {
        let got = point(id, 30);
        for (g, want) in got.iter().zip([w1, w2]) {
            let d = agreeing_digits(g, &reference(want));
            assert!(d >= 24.0, "{id}: {g} vs {want}: only {d:.1} digits agree");
        }
    }
}

#[test]
fn rmsprop_w2_near_3e_17_keeps_its_digits() {
    let w2 = point("rmsprop", 30)[1];
    assert_eq!(w2.exponent(), -17);
    assert_eq!(w2.digits().1.len(), 28, "{w2}");
    assert!(agreeing_digits(&w2, &reference(REFERENCE_50[2].2)) >= 25.0);
}

#[test]
fn f64_engine_agrees_with_the_exact_engine_on_random_quadratics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // 40 problems per optimizer, taking turns
    for case in 0..40 * TABLE.len() {
        let row = &TABLE[case % TABLE.len()];

        let a = rng.decimal(0.1, 3.0);
        let b = rng.decimal(0.1, 3.0);
        let c = rng.decimal(-1.0, 1.0);
        let objective = format!("{a}*w1^2 + {b}*w2^2 + {c}*w1*w2");
        let lr = rng.decimal(0.01, 0.1);
        let b1 = rng.decimal(0.0, 0.95);
        let b2 = rng.decimal(0.5, 0.999);
        let params = optimizers::generated(row, &lr, &b1, &b2);
        let start = [rng.decimal(-5.0, 5.0), rng.decimal(-5.0, 5.0)];
        let src = format!(
            "objective = \"{objective}\"\nstart = [{}, {}]\n{}",
            start[0],
            start[1],
            optimizers::problem(row, "p", &params)
        );
        let ex = spec::load("random.toml", &src).unwrap();
        let p = &ex.problems[0];
        let exact = trace::trace(&ex, p, 20).unwrap();
        let float = trace::points::<f64>(&ex, p, 20).unwrap();
        for (e, fp) in exact.epochs.iter().zip(&float[1..]) {
            for (x, y) in e.after.iter().zip(fp) {
                let xf = x.to_f64();
                // near the minimum a component is the difference of larger terms: measure the
                // error against a floor of 1e-2, well below the start's components (up to 5).
                // Adaptive steps (RMSProp, Keras's Adam) amplify f64's rounding near the minimum
                // by up to about 1e4 in 20 epochs; a wrong formula is off by far more than 1e-10.
                let scale = xf.abs().max(1e-2);
                assert!(
                    (xf - y).abs() / scale < 1e-10,
                    "case {case} ({src}) epoch {}: exact {x} vs f64 {y}",
                    e.epoch
                );
            }
        }
    }
}

#[test]
fn divergence_is_a_result_and_the_bound_an_error() {
    let src = "objective = \"2*w2^2\"\nstart = [1]\n[[problem]]\nid = \"fast\"\noptimizer = \"gd\"\nparams = { lr = 1.0 }\n";
    let src = src.replace("w2", "w1");
    let ex = spec::load("div.toml", &src).unwrap();
    let p = &ex.problems[0];
    let tr = trace::trace(&ex, p, 10).unwrap();
    assert_eq!(tr.status, trace::Status::Diverging);
    // w <- w - 4w = -3w: |w| triples every epoch
    assert_eq!(tr.epochs[9].after[0], n("59049"));
    // f = 2 w^2 = 2 * 9^t passes 1e300 first, at t = 315: the run stops there, a result
    let tr = trace::trace(&ex, p, 1000).unwrap();
    assert_eq!(tr.status, trace::Status::Diverged);
    let stopped = tr.stopped.as_ref().unwrap();
    assert_eq!((stopped.epoch, stopped.quantity.as_str()), (315, "f"));
    assert_eq!(tr.epochs.len(), 314);
    // 3^314 exactly has 150 digits; the engine keeps its leading 28 (log10(2 * 9^314) < 300)
    assert_eq!(tr.epochs[313].after[0].mid().exponent(), 149);
    // the float engines stop where they overflow: float32 at 3.4e38, long before
    let f32s = trace::points::<f32>(&ex, p, 1000).unwrap();
    assert!(f32s.len() < 100 && f32s.last().unwrap()[0].is_finite());
}

#[test]
fn division_by_zero_names_file_position_problem_epoch_and_quantity() {
    // RMSProp with eps = 0 at the minimum: S = 0 and the denominator is zero
    let src = "objective = \"w1^2\"\nstart = [0]\n[[problem]]\nid = \"flat\"\noptimizer = \"rmsprop\"\nparams = { lr = 0.1, eps = 0 }\n";
    let ex = spec::load("zero.toml", src).unwrap();
    let err = trace::trace(&ex, &ex.problems[0], 3).unwrap_err();
    assert_eq!(
        err.to_string(),
        "zero.toml:3:1: problem 'flat', epoch 1, delta[1]: division by zero"
    );
}

#[test]
fn every_operation_is_correctly_rounded_like_python_decimal() {
    let data = include_str!("../data/arith-28.txt");
    let mut count = 0;
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split(' ').collect();
        let (a, b, want) = (n(f[1]), n(f[2]), n(f[3]));
        let got = match f[0] {
            "add" => a.add(&b),
            "sub" => a.sub(&b),
            "mul" => a.mul(&b),
            "div" => a.div(&b),
            "sqrt" => a.sqrt(),
            op => panic!("unknown op {op}"),
        }
        .unwrap();
        assert_eq!(got, want, "{line}");
        count += 1;
    }
    assert!(count > 2500);
}

/// Nesterov's look-ahead form against the Deep Learning book's Algorithm 8.3, written out here in
/// f64 with its own sign convention (`v ← a v - lr ∇f(w + a v); w ← w + v`), on the course's f.
#[test]
fn nesterov_follows_the_books_algorithm() {
    let src = "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\n[[problem]]\nid = \"p\"\noptimizer = \"nesterov\"\nparams = { lr = 0.6, beta = 0.5 }\n";
    let ex = spec::load("nag.toml", src).unwrap();
    let tr = trace::trace(&ex, &ex.problems[0], 12).unwrap();
    // epoch 1 by hand: the look-ahead point is the start, g = (-1, -8), w = (-4.4, 2.8)
    assert_eq!(tr.epochs[0].after, vec![n("-4.4"), n("2.8")]);
    // epoch 2 by hand: look ahead to (-4.1, 5.2) (PyTorch's first iterate), g = (-0.82, 20.8),
    // V = (-1.32, 16.8), w = (-3.608, -7.28)
    assert_eq!(
        tr.epochs[1].at,
        Some(vec![Ball::exact(n("-4.1")), Ball::exact(n("5.2"))])
    );
    assert_eq!(tr.epochs[1].after, vec![n("-3.608"), n("-7.28")]);
    let (lr, a) = (0.6f64, 0.5f64);
    let grad = |w: [f64; 2]| [0.2 * w[0], 4.0 * w[1]];
    let (mut w, mut v) = ([-5.0f64, -2.0], [0.0f64; 2]);
    for e in &tr.epochs {
        let g = grad([w[0] + a * v[0], w[1] + a * v[1]]);
        for ((wi, vi), gi) in w.iter_mut().zip(&mut v).zip(g) {
            *vi = a * *vi - lr * gi;
            *wi += *vi;
        }
        for (x, wi) in e.after.iter().zip(w) {
            let exact = x.to_f64();
            assert!(
                (exact - wi).abs() <= 1e-12 * exact.abs().max(1.0),
                "epoch {}: {exact} vs {wi}",
                e.epoch
            );
        }
    }
}

/// The course's f, its gradient in f64, and the exact trace of `optimizer` with `params` from (-5, -2).
fn course(optimizer: &str, params: &str, epochs: u64) -> trace::Trace {
    let src = format!(
        "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\n[[problem]]\nid = \"p\"\noptimizer = \"{optimizer}\"\nparams = {{ {params} }}\n"
    );
    let ex = spec::load("course.toml", &src).unwrap();
    trace::trace(&ex, &ex.problems[0], epochs).unwrap()
}

fn course_gradient(w: [f64; 2]) -> [f64; 2] {
    [0.2 * w[0], 4.0 * w[1]]
}

/// Every point of the exact trace against an f64 reference, to 1e-12 relative.
fn assert_close(tr: &trace::Trace, reference: &[[f64; 2]], what: &str) {
    assert_eq!(tr.epochs.len(), reference.len());
    for (e, want) in tr.epochs.iter().zip(reference) {
        for (x, y) in e.after.iter().zip(want) {
            let exact = x.to_f64();
            assert!(
                (exact - y).abs() <= 1e-12 * exact.abs().max(1e-3),
                "{what} epoch {}: exact {exact} vs reference {y}",
                e.epoch
            );
        }
    }
}

/// PyTorch's `_single_tensor_adam` / `_single_tensor_adamw` (`torch/optim/adam.py`, `adamw.py`, the
/// non-capturable branch), transcribed in f64 for one parameter tensor: the step count goes up first,
/// AdamW multiplies the parameter by `1 - lr * weight_decay`, `exp_avg.lerp_(grad, 1 - beta1)`,
/// `exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)`, AMSGrad keeps
/// `max_exp_avg_sq = maximum(max_exp_avg_sq, exp_avg_sq)`, then
/// `denom = sqrt(max_exp_avg_sq or exp_avg_sq) / sqrt(1 - beta2**step) + eps` and
/// `param.addcdiv_(exp_avg, denom, value=-lr / (1 - beta1**step))`.
struct TorchAdam {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    amsgrad: bool,
}

impl TorchAdam {
    fn run(&self, steps: usize) -> Vec<[f64; 2]> {
        let mut param = [-5.0f64, -2.0];
        let (mut exp_avg, mut exp_avg_sq, mut max_exp_avg_sq) =
            ([0.0f64; 2], [0.0f64; 2], [0.0f64; 2]);
        let mut out = vec![];
        for step in 1..=steps {
            let grad = course_gradient(param);
            for i in 0..2 {
                param[i] *= 1.0 - self.lr * self.weight_decay;
                exp_avg[i] += (1.0 - self.beta1) * (grad[i] - exp_avg[i]);
                exp_avg_sq[i] = exp_avg_sq[i] * self.beta2 + (1.0 - self.beta2) * grad[i] * grad[i];
                let bias_correction1 = 1.0 - self.beta1.powi(step as i32);
                let bias_correction2 = 1.0 - self.beta2.powi(step as i32);
                let step_size = self.lr / bias_correction1;
                let second = if self.amsgrad {
                    max_exp_avg_sq[i] = max_exp_avg_sq[i].max(exp_avg_sq[i]);
                    max_exp_avg_sq[i]
                } else {
                    exp_avg_sq[i]
                };
                let denom = second.sqrt() / bias_correction2.sqrt() + self.eps;
                param[i] -= step_size * exp_avg[i] / denom;
            }
            out.push(param);
        }
        out
    }
}

#[test]
fn amsgrad_follows_pytorch() {
    let torch = TorchAdam {
        lr: 0.2,
        beta1: 0.9,
        beta2: 0.9,
        eps: 1e-6,
        weight_decay: 0.0,
        amsgrad: true,
    };
    let tr = course(
        "amsgrad",
        "lr = 0.2, beta1 = 0.9, beta2 = 0.9, eps = 1e-6",
        20,
    );
    assert_close(&tr, &torch.run(20), "amsgrad");
    // the maximum is not just S: the gradients shrink and the maximum stays behind
    let held = tr.epochs.iter().any(|e| {
        let (s, m) = (e.quantity("S").unwrap(), e.quantity("S_max").unwrap());
        s.iter().zip(m).any(|(s, m)| m.mid() > s.mid())
    });
    assert!(held, "the running maximum never differed from S");
    // and it changes the numbers: Adam with the same parameters is elsewhere
    let adam = TorchAdam {
        amsgrad: false,
        ..torch
    };
    let last = adam.run(20)[19];
    assert!((tr.epochs[19].after[1].to_f64() - last[1]).abs() > 1e-6);
}

#[test]
fn adamw_follows_pytorch() {
    let torch = TorchAdam {
        lr: 0.2,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weight_decay: 0.1,
        amsgrad: false,
    };
    let tr = course(
        "adamw",
        "lr = 0.2, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.1",
        20,
    );
    assert_close(&tr, &torch.run(20), "adamw");
    // epoch 1 by hand: the decay first, (-5, -2) * (1 - 0.2 * 0.1) = (-4.9, -1.96); then Adam's first
    // step, lr * g / (|g| + eps), about 0.2 towards the minimum
    assert_eq!(
        tr.epochs[0].quantity("w_decayed").unwrap(),
        &[n("-4.9"), n("-1.96")]
    );
    // with no decay it is Adam
    let tr = course(
        "adamw",
        "lr = 0.2, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0",
        20,
    );
    let adam = course(
        "adam",
        "lr = 0.2, beta1 = 0.9, beta2 = 0.999, eps = 1e-8",
        20,
    );
    let mids = |t: &trace::Trace| -> Vec<Num> { t.last_point().iter().map(|b| *b.mid()).collect() };
    assert_eq!(mids(&tr), mids(&adam));
}

#[test]
fn adopt_matches_the_reference_check_values() {
    // /work/shared/reference/optimizer-conventions.md: lr 0.1 and the official defaults
    let tr = course("adopt", "lr = 0.1", 3);
    assert_eq!(tr.epochs[0].after, vec![n("-5"), n("-2")]);
    assert_eq!(tr.epochs[1].after, vec![n("-4.99"), n("-1.99")]);
    // a square root was rounded on the way: the values hold the reference, within a tiny radius
    holds(&tr.epochs[2].after, &[n("-4.97102"), n("-1.97105")]);
    // the first call only sets S = g^2 and records the rest as zero steps
    let e = &tr.epochs[0];
    assert_eq!(e.quantity("S").unwrap(), &[n("1"), n("64")]);
    for key in ["c", "ghat", "V", "delta"] {
        assert_eq!(e.quantity(key).unwrap(), &[Num::ZERO, Num::ZERO], "{key}");
    }
}

/// The official ADOPT (`iShohei220/adopt`, `src/adopt/adopt.py`, `_single_tensor_adopt`) transcribed
/// in f64: the step counter starts at 0; at 0 the call only sets `exp_avg_sq = grad * grad`; otherwise
/// `denom = clamp(sqrt(exp_avg_sq), eps)`, `normed_grad = clamp(grad / denom, -clip, clip)` with
/// `clip = step**0.25`, `exp_avg.lerp_(normed_grad, 1 - beta1)`, `param -= lr * exp_avg`, and
/// `exp_avg_sq = exp_avg_sq * beta2 + (1 - beta2) * grad * grad`; the counter goes up at the end.
#[test]
fn adopt_follows_the_official_code_when_the_clip_bites() {
    let (lr, beta1, beta2, eps) = (10.0f64, 0.5f64, 0.5f64, 1e-6f64);
    let mut param = [-5.0f64, -2.0];
    let (mut exp_avg, mut exp_avg_sq) = ([0.0f64; 2], [0.0f64; 2]);
    let mut reference = vec![];
    let mut clipped = 0;
    for step in 0..20u32 {
        let grad = course_gradient(param);
        for i in 0..2 {
            if step == 0 {
                exp_avg_sq[i] += grad[i] * grad[i];
                continue;
            }
            let denom = exp_avg_sq[i].sqrt().max(eps);
            let clip = f64::from(step).powf(0.25);
            let normed = grad[i] / denom;
            if normed.abs() > clip {
                clipped += 1;
            }
            exp_avg[i] += (1.0 - beta1) * (normed.clamp(-clip, clip) - exp_avg[i]);
            param[i] -= lr * exp_avg[i];
            exp_avg_sq[i] = exp_avg_sq[i] * beta2 + (1.0 - beta2) * grad[i] * grad[i];
        }
        reference.push(param);
    }
    assert!(clipped >= 3, "the clip bit {clipped} times");
    let tr = course("adopt", "lr = 10, beta1 = 0.5, beta2 = 0.5, eps = 1e-6", 20);
    assert_close(&tr, &reference, "adopt");
    // epoch 3 by hand: w = (0, 3) after epoch 2, g2 = 12 against sqrt(S) = 8, and the bound is
    // c = 2^(1/4) ~ 1.189 < 1.5: the clipped value is the bound
    let e = &tr.epochs[2];
    assert_eq!(e.before, vec![Num::ZERO, n("3")]);
    assert_eq!(
        e.quantity("ghat").unwrap()[1].mid(),
        e.quantity("c").unwrap()[1].mid()
    );
    // 2^(1/4) = 1.18920711500272106671749997056..., rounded to 28 digits
    holds(
        &e.quantity("c").unwrap()[1..2],
        &[n("1.189207115002721066717499971")],
    );
}

#[test]
fn a_run_is_the_same_alone_after_another_and_in_its_light_form() {
    // the error forms condense every 16 epochs counted from each run's start, so a run's radii do
    // not depend on what ran before on the thread; `stepwise run`'s light trace keeps the same
    // points, objective values and status as the full one
    let ex = spec::builtin();
    let adam = ex.problem("adam").unwrap();
    let alone = trace::trace(&ex, adam, 40).unwrap();
    for p in &ex.problems {
        let _ = trace::trace(&ex, p, 23).unwrap();
    }
    let after = trace::trace(&ex, adam, 40).unwrap();
    let light = trace::trace_points(&ex, adam, 40).unwrap();
    for ((a, b), c) in alone.epochs.iter().zip(&after.epochs).zip(&light.epochs) {
        assert_eq!(a.after, b.after, "epoch {}", a.epoch);
        assert_eq!(a.after, c.after, "epoch {}", a.epoch);
        assert_eq!(a.f, c.f, "epoch {}", a.epoch);
        assert!(c.quantities.is_empty() && c.before.is_empty());
    }
    assert_eq!(alone.epochs.len(), light.epochs.len());
    assert_eq!(alone.status, light.status);
}

#[test]
fn certified_midpoints_are_plain_arithmetics_points_in_every_form() {
    // the quiz key skips the certified run of a form whose plain 28-digit points match no option
    // (a ball rounds to an option's digits only if its midpoint does): that holds because the
    // error forms' midpoints are exactly plain arithmetic's values, in every form of every optimizer
    let ex = spec::builtin();
    let mut forms = 0;
    for p in &ex.problems {
        for form in stepwise::optim::forms(p.optimizer.id) {
            // a form that needs a hyperparameter the problem does not give is not explored
            let Ok(other) = stepwise::compare::in_form(p, form) else {
                continue;
            };
            let certified = trace::trace_points(&ex, &other, 30).unwrap();
            let plain = trace::points::<Num>(&ex, &other, 30).unwrap();
            assert_eq!(plain.len(), certified.epochs.len() + 1);
            for (e, pt) in certified.epochs.iter().zip(&plain[1..]) {
                let mids: Vec<Num> = e.after.iter().map(|b| *b.mid()).collect();
                assert_eq!(&mids, pt, "{} {:?}, epoch {}", p.id, form.form, e.epoch);
            }
            forms += 1;
        }
    }
    assert!(forms >= 10, "{forms} forms");
}
