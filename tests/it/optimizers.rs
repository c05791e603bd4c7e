//! One table, every optimizer: each row is checked by every shared test. Adding an optimizer adds a row,
//! and nothing else in the tests: the engine's generated problems, the NumPy bit-identity test and the
//! command line's `list` take their optimizers from [`TABLE`].

use stepwise::number::Num;
use stepwise::optim::{self, Bound};
use stepwise::render::catalog::{Catalog, LANGS};
use stepwise::spec;
use stepwise::trace;

/// One registered optimizer form as the tests know it.
pub struct Row {
    /// Its id in exercise files.
    pub id: &'static str,
    /// The form's name.
    pub form: &'static str,
    /// Parameters for the epoch worked out by hand.
    pub params: &'static str,
    /// w after epoch 1 on f = w1^2 from w1 = 1 with `params`, worked out by hand.
    pub first_epoch: &'static str,
    /// Parameters of generated problems, where `LR` stands for a learning rate in [0.01, 0.1), `B1` for
    /// a decay rate in [0, 0.95) and `B2` for one in [0.5, 0.999).
    pub generated: &'static str,
}

/// Every registered optimizer form, in the registry's order: the one list of optimizers the tests use.
pub const TABLE: &[Row] = &[
    // g = 2; w = 1 - 0.1 * 2
    Row {
        id: "gd",
        form: "plain",
        params: "lr = 0.1",
        first_epoch: "0.8",
        generated: "lr = LR",
    },
    // V = 0.5 * 0 + 0.5 * 2 = 1; w = 1 - 0.1 * 1
    Row {
        id: "momentum",
        form: "ema",
        params: "lr = 0.1, beta = 0.5",
        first_epoch: "0.9",
        generated: "lr = LR, beta = B1",
    },
    // V = 0.5 * 0 + 2 = 2; w = 1 - 0.1 * 2
    Row {
        id: "momentum",
        form: "heavy-ball",
        params: "lr = 0.1, beta = 0.5",
        first_epoch: "0.8",
        generated: "lr = LR, beta = B1",
    },
    // epoch 1 starts the buffer at the gradient: V = 2 whatever the dampening; w = 1 - 0.1 * 2
    Row {
        id: "momentum",
        form: "dampened",
        params: "lr = 0.1, beta = 0.5, dampening = 0.5",
        first_epoch: "0.8",
        generated: "lr = LR, beta = B1, dampening = B2",
    },
    // look-ahead point 1 - 0.1 * 0.5 * 0 = 1; g = 2; V = 0.5 * 0 + 2 = 2; w = 1 - 0.1 * 2
    Row {
        id: "nesterov",
        form: "look-ahead",
        params: "lr = 0.1, beta = 0.5",
        first_epoch: "0.8",
        generated: "lr = LR, beta = B1",
    },
    // g = 2; V = 2; D = 2 + 0.5 * 2 = 3; w = 1 - 0.1 * 3
    Row {
        id: "nesterov",
        form: "current",
        params: "lr = 0.1, beta = 0.5",
        first_epoch: "0.7",
        generated: "lr = LR, beta = B1",
    },
    // S = 0 + 2^2 = 4; D = sqrt(4) + 0 = 2; w = 1 - 0.1 * 2 / 2
    Row {
        id: "adagrad",
        form: "eps-outside",
        params: "lr = 0.1, eps = 0",
        first_epoch: "0.9",
        generated: "lr = LR, eps = 1e-10",
    },
    // S = 0 + 2^2 = 4; D = sqrt(4 + 5) = 3; w = 1 - 0.1 * 2 / 3
    Row {
        id: "adagrad",
        form: "eps-inside",
        params: "lr = 0.1, eps = 5",
        first_epoch: "0.9333333333333333333333333333",
        generated: "lr = LR, eps = 1e-6",
    },
    // the sum starts at 0.1: S = 0.1 + 2^2 = 4.1; D = sqrt(4.1 + 4.9) = 3; w = 1 - 0.1 * 2 / 3
    Row {
        id: "adagrad",
        form: "eps-inside-acc",
        params: "lr = 0.1, eps = 4.9",
        first_epoch: "0.9333333333333333333333333333",
        generated: "lr = LR, eps = 1e-7",
    },
    // S = 0.1 + 2^2 = 4.1; D = sqrt(4.1) + 0; w = 1 - 0.1 * 2 / sqrt(4.1)
    // = 0.90122704033504103935001511078... (60 digits, Python decimal)
    Row {
        id: "adagrad",
        form: "eps-outside-acc",
        params: "lr = 0.1, eps = 0",
        first_epoch: "0.9012270403350410393500151108",
        generated: "lr = LR, eps = 1e-10",
    },
    // S = 0.1 * 4 = 0.4; w = 1 - 0.1 * 2 / sqrt(0.4) = 1 - 0.31622776601683793319988935444...
    Row {
        id: "rmsprop",
        form: "eps-inside",
        params: "lr = 0.1, gamma = 0.9, eps = 0",
        first_epoch: "0.6837722339831620668001106456",
        generated: "lr = LR, gamma = B2, eps = 1e-6",
    },
    // S = 0.4, D = sqrt(0.4) + 0.1; w = 1 - 0.2 / D = 0.72694588100837135056421604672... (60 digits,
    // Python decimal)
    Row {
        id: "rmsprop",
        form: "eps-outside",
        params: "lr = 0.1, gamma = 0.9, eps = 0.1",
        first_epoch: "0.7269458810083713505642160467",
        generated: "lr = LR, gamma = B2, eps = 1e-6",
    },
    // S = 0.5 * 0 + 0.5 * 2^2 = 2; G = 0.5 * 0 + 0.5 * 2 = 1; D = sqrt(2 - 1^2) + 1 = 2;
    // w = 1 - 0.1 * 2 / 2 (eps inside the root would give sqrt(2))
    Row {
        id: "rmsprop",
        form: "centered",
        params: "lr = 0.1, gamma = 0.5, eps = 1",
        first_epoch: "0.9",
        generated: "lr = LR, gamma = B2, eps = 1e-6",
    },
    // S = 0.25 * 2^2 = 1; D = sqrt(1) + 1 = 2; B = 0.5 * 0 + 2 / 2 = 1; w = 1 - 0.1 * 1
    Row {
        id: "rmsprop",
        form: "momentum",
        params: "lr = 0.1, gamma = 0.75, eps = 1, beta = 0.5",
        first_epoch: "0.9",
        generated: "lr = LR, gamma = B2, eps = 1e-6, beta = B1",
    },
    // S = 0.5 * 2^2 = 2; G = 0.5 * 2 = 1; D = sqrt(2 - 1) + 1 = 2; B = 0.5 * 0 + 2 / 2 = 1;
    // w = 1 - 0.1 * 1
    Row {
        id: "rmsprop",
        form: "centered-momentum",
        params: "lr = 0.1, gamma = 0.5, eps = 1, beta = 0.5",
        first_epoch: "0.9",
        generated: "lr = LR, gamma = B2, eps = 1e-6, beta = B1",
    },
    // S = 0.76 * 0 + 0.24 * 2^2 = 0.96; delta = sqrt(0 + 0.04) / sqrt(0.96 + 0.04) * 2 = 0.2 * 2 = 0.4;
    // D = 0.76 * 0 + 0.24 * 0.4^2 = 0.0384; w = 1 - 1 * 0.4
    Row {
        id: "adadelta",
        form: "paper",
        params: "lr = 1, rho = 0.76, eps = 0.04",
        first_epoch: "0.6",
        generated: "lr = LR, rho = B2, eps = 1e-6",
    },
    // V = 0.2, S = 0.004; corrected 2 and 4; D = sqrt(4) + 0 = 2; w = 1 - 0.1 * 2 / 2
    Row {
        id: "adam",
        form: "paper",
        params: "lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 0",
        first_epoch: "0.9",
        generated: "lr = LR, beta1 = B1, beta2 = B2, eps = 1e-8",
    },
    // V = 0.2, S = 0.004; step size 0.1 * sqrt(0.001) / 0.1 = sqrt(0.001); D = sqrt(0.004) + 0;
    // w = 1 - sqrt(0.001) * 0.2 / sqrt(0.004) = 1 - 0.2 * 0.5 = 0.9 (with eps = 0 the folding changes
    // nothing)
    Row {
        id: "adam",
        form: "keras",
        params: "lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 0",
        first_epoch: "0.9",
        generated: "lr = LR, beta1 = B1, beta2 = B2, eps = 1e-7",
    },
    // corrected 2 and 4; D = sqrt(4 + 5) = 3; w = 1 - 0.1 * 2 / 3
    Row {
        id: "adam",
        form: "eps-inside",
        params: "lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 5",
        first_epoch: "0.9333333333333333333333333333",
        generated: "lr = LR, beta1 = B1, beta2 = B2, eps = 1e-8",
    },
    // V = 0.2, S = 0.004, max(0, 0.004) = 0.004; corrected 2 and 4; D = sqrt(4) + 0 = 2;
    // w = 1 - 0.1 * 2 / 2
    Row {
        id: "amsgrad",
        form: "pytorch",
        params: "lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 0",
        first_epoch: "0.9",
        generated: "lr = LR, beta1 = B1, beta2 = B2, eps = 1e-8",
    },
    // decay first: 1 * (1 - 0.1 * 0.5) = 0.95; then as Adam: V = 0.2, S = 0.004, corrected 2 and 4,
    // D = 2, step 0.1 * 2 / 2 = 0.1; w = 0.95 - 0.1
    Row {
        id: "adamw",
        form: "pytorch",
        params: "lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 0, weight_decay = 0.5",
        first_epoch: "0.85",
        generated: "lr = LR, beta1 = B1, beta2 = B2, eps = 1e-8, weight_decay = 0.1",
    },
    // V = 0.75 * 2 = 1.5, S = 0.25 * 2^2 = 1; V_hat = 0.25 * 1.5 / (1 - 0.25^2) + 0.75 * 2 / (1 - 0.25)
    // = 0.4 + 2 = 2.4; S_hat = 1 / (1 - 0.75) = 4; D = sqrt(4) + 0 = 2; w = 1 - 0.25 * 2.4 / 2
    Row {
        id: "nadam",
        form: "optax",
        params: "lr = 0.25, beta1 = 0.25, beta2 = 0.75, eps = 0",
        first_epoch: "0.7",
        generated: "lr = LR, beta1 = B1, beta2 = B2, eps = 1e-8",
    },
    // mu = 0.9 * (1 - 0.5 * 0.96) = 0.468, mu_next = 0.9 * (1 - 0.5 * 0.96^2) = 0.48528, P = 0.468;
    // V = 0.2, S = 0.004; V_hat = 0.48528 * 0.2 / (1 - 0.468 * 0.48528) + 0.532 * 2 / 0.532
    // = 2.1255756066175405067242777022...; S_hat = 4, D = 2; w = 1 - 0.1 * V_hat / 2
    // = 0.89372121966912297466378611489... (60 digits, Python decimal)
    Row {
        id: "nadam",
        form: "keras",
        params: "lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 0",
        first_epoch: "0.8937212196691229746637861149",
        generated: "lr = LR, beta1 = B1, beta2 = B2, eps = 1e-7",
    },
    // the first call only sets S = 2^2 = 4: D = max(sqrt(0), 1e-6) = 1e-6, c = (1 - 1)^(1/4) = 0,
    // ghat = clip(2 / 1e-6, -0, 0) = 0, V = 0.9 * 0 + 0.1 * 0 = 0, step 0.1 * 0 = 0; w = 1 - 0
    Row {
        id: "adopt",
        form: "official",
        params: "lr = 0.1, beta1 = 0.9, beta2 = 0.9999, eps = 1e-6",
        first_epoch: "1",
        generated: "lr = LR, beta1 = B1, beta2 = B2, eps = 1e-6",
    },
    // c = 0.9 * 0 + 0.1 * 2 = 0.2; u = sign(0.2) = 1; V = 0.99 * 0 + 0.01 * 2 = 0.02;
    // step 0.1 * (1 + 0.5 * 1) = 0.15; w = 1 - 0.15
    Row {
        id: "lion",
        form: "paper",
        params: "lr = 0.1, beta1 = 0.9, beta2 = 0.99, weight_decay = 0.5",
        first_epoch: "0.85",
        generated: "lr = LR, beta1 = B1, beta2 = B2, weight_decay = 0.01",
    },
];

/// The optimizer ids of the table, each once, in order.
pub fn ids() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in TABLE {
        if !out.contains(&r.id) {
            out.push(r.id);
        }
    }
    out
}

/// The declaration of a row's form.
pub fn info(row: &Row) -> &'static optim::Info {
    optim::forms(row.id)
        .find(|i| i.form == row.form)
        .unwrap_or_else(|| panic!("no form {} of {}", row.form, row.id))
}

/// A `[[problem]]` table for a row's form with `params`.
pub fn problem(row: &Row, id: &str, params: &str) -> String {
    let choices: Vec<String> = info(row)
        .choices
        .iter()
        .map(|(c, v)| format!("{c} = \"{v}\""))
        .collect();
    format!(
        "\n[[problem]]\nid = \"{id}\"\noptimizer = \"{}\"\nform = {{ {} }}\nparams = {{ {params} }}\n",
        row.id,
        choices.join(", ")
    )
}

/// `row.generated` with its placeholders filled in.
pub fn generated(row: &Row, lr: &str, b1: &str, b2: &str) -> String {
    row.generated
        .replace("LR", lr)
        .replace("B1", b1)
        .replace("B2", b2)
}

fn exercise(
    row: &Row,
    params: &str,
    objective: &str,
    start: &str,
) -> Result<spec::Exercise, spec::SpecError> {
    let src = format!(
        "objective = \"{objective}\"\nstart = [{start}]\n{}",
        problem(row, "p", params)
    );
    spec::load("table.toml", &src)
}

#[test]
fn every_registered_form_has_a_row() {
    let registered: Vec<(&str, &str)> = optim::ALL.iter().map(|o| (o.id, o.form)).collect();
    let rows: Vec<(&str, &str)> = TABLE.iter().map(|r| (r.id, r.form)).collect();
    assert_eq!(registered, rows);
    // each optimizer has at most one course form, and a default form
    for id in ids() {
        let defaults = optim::forms(id)
            .filter(|i| i.convention("course").is_some())
            .count();
        assert!(defaults <= 1, "{id}");
        assert!(optim::find(id).unwrap().hyper(optim::LR).is_some(), "{id}");
    }
}

#[test]
fn first_epoch_by_hand() {
    for row in TABLE {
        let (opt, params, want) = (
            format!("{} {}", row.id, row.form),
            row.params,
            row.first_epoch,
        );
        let ex = exercise(row, params, "w1^2", "1").unwrap();
        let tr = trace::trace(&ex, &ex.problems[0], 1).unwrap();
        // the hand value, in the ball: exact, or within a radius of a few units in the 28th digit
        let got = &tr.epochs[0].after[0];
        let want = Num::parse(want).unwrap();
        assert!(
            got.contains(&want) && got.certain_digits() >= 26,
            "{opt}: {got} vs {want}"
        );
        // every declared quantity was recorded, in order, the last being w
        let keys: Vec<&str> = tr.epochs[0].quantities.iter().map(|q| q.key).collect();
        let declared: Vec<&str> = ex.problems[0]
            .optimizer
            .quantities
            .iter()
            .map(|q| q.key)
            .collect();
        assert_eq!(keys, declared, "{opt}");
        assert_eq!(keys.last(), Some(&"w"), "{opt}");
        assert_eq!(
            tr.epochs[0].quantity("w").unwrap(),
            tr.epochs[0].after.as_slice(),
            "{opt}"
        );
    }
}

#[test]
fn f64_engine_agrees_with_the_exact_engine() {
    for row in TABLE {
        let (opt, params) = (format!("{} {}", row.id, row.form), row.params);
        let ex = exercise(row, params, "0.5*w1^2 + 3*w2^2 + 0.25*w1*w2", "2, -1.5").unwrap();
        let p = &ex.problems[0];
        let exact = trace::trace(&ex, p, 25).unwrap();
        let float = trace::points::<f64>(&ex, p, 25).unwrap();
        for (e, f) in exact.epochs.iter().zip(&float[1..]) {
            for (x, y) in e.after.iter().zip(f) {
                let x = x.to_f64();
                assert!(
                    (x - y).abs() <= 1e-12 * x.abs().max(1e-3),
                    "{opt} epoch {}: {x} vs {y}",
                    e.epoch
                );
            }
        }
    }
}

#[test]
fn out_of_range_hyperparameters_are_refused() {
    for row in TABLE {
        let (opt, params) = (format!("{} {}", row.id, row.form), row.params);
        for h in info(row).hypers {
            let bad: &[&str] = match h.bound {
                Bound::Positive => &["0", "-1"],
                Bound::UnitInterval => &["1", "-0.1", "1.5"],
                Bound::NonNegative => &["-1e-9"],
            };
            for b in bad {
                let others: Vec<String> = params
                    .split(", ")
                    .filter(|kv| !kv.starts_with(&format!("{} ", h.name)))
                    .map(str::to_string)
                    .collect();
                let ps = format!("{}, {} = {b}", others.join(", "), h.name)
                    .trim_start_matches(", ")
                    .to_string();
                let err = exercise(row, &ps, "w1^2", "1").unwrap_err().to_string();
                let want = format!("{} must be {}, got {b}", h.name, h.bound.describe());
                assert!(err.contains(&want), "{opt} {}={b}: {err}", h.name);
            }
        }
    }
}

#[test]
fn catalogs_describe_every_optimizer_and_step() {
    for lang in LANGS {
        let cat = Catalog::builtin(lang).unwrap();
        for row in TABLE {
            let (opt, info) = (row.id, info(row));
            assert!(cat.has_optimizer(opt), "{lang}: no [optimizer.{opt}]");
            let mut last_step = 1;
            for q in info.quantities {
                assert!(
                    q.step >= last_step && q.step >= 2,
                    "{opt}: steps go 2, 3, ... in order"
                );
                if q.step != last_step {
                    assert!(
                        cat.has_step(opt, q.key),
                        "{lang}: no step title for {opt}'s {}",
                        q.key
                    );
                    last_step = q.step;
                }
            }
        }
    }
}

/// The sheets write a quantity of epoch t as its symbol followed by `^{(t)}`: a symbol with a
/// superscript of its own outside braces (`\mu^{+}_{#}`) would make a double superscript, which
/// LaTeX refuses.
#[test]
fn symbols_take_the_epoch_superscript() {
    for row in TABLE {
        for q in info(row).quantities {
            let mut depth = 0i32;
            for c in q.latex.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    '^' | '\'' => assert!(depth > 0, "{} {}: {}", row.id, row.form, q.latex),
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn formulas_name_only_known_values() {
    for row in TABLE {
        let (opt, info) = (format!("{} {}", row.id, row.form), info(row));
        for (qi, q) in info.quantities.iter().enumerate() {
            for part in q
                .formula
                .split('@')
                .skip(1)
                .chain(q.first.iter().flat_map(|f| f.split('@').skip(1)))
            {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let prev = part[name.len()..].starts_with('\'');
                let known = info.hyper(&name).is_some()
                    || name == "g"
                    || name == "t"
                    || (name == "w" && prev)
                    || info.quantities[..qi].iter().any(|p| p.key == name && !prev)
                    || (prev && info.quantity(&name).is_some_and(|p| p.init.is_some()));
                assert!(
                    known,
                    "{opt}: {} uses unknown @{name}{}",
                    q.key,
                    if prev { "'" } else { "" }
                );
            }
        }
    }
}

#[test]
fn catalogs_have_the_same_phrases_in_every_language() {
    let en = Catalog::builtin("en").unwrap();
    for lang in LANGS {
        let cat = Catalog::builtin(lang).unwrap();
        let a: Vec<&String> = en.texts().keys().collect();
        let b: Vec<&String> = cat.texts().keys().collect();
        assert_eq!(a, b, "{lang}");
        // plain text only: no character that LaTeX or Markdown would read as markup
        for (k, v) in cat.texts() {
            assert!(
                !v.contains(['\\', '$', '&', '%', '#', '_', '^', '~', '*', '`', '<', '>']),
                "{lang}: {k} = {v}"
            );
        }
    }
}
