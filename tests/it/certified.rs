//! Certified digits against independent references: every printed digit of the built-in exercise and
//! of a long Adam run checked by `tests/data/certify/check_cells.py` (Python's `decimal` at 80 and 120
//! digits), and random chains of operations whose balls must hold the value Python computes at 60
//! digits.

use crate::harness::{root, stepwise, tool, Rng, Tool};
use std::io::Write as _;
use std::process::{Command, Stdio};
use stepwise::number::{Aff, Ball, Num, Scalar};

/// Runs a Python script on `input`; its stdout and whether it succeeded.
fn python(args: &[&str], input: &str) -> Option<(String, bool)> {
    let py = tool(Tool::NumPy)?;
    let mut child = Command::new(py)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("the input is written");
    let out = child.wait_with_output().expect("python runs");
    Some((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.success(),
    ))
}

fn checker() -> String {
    root()
        .join("tests/data/certify/check_cells.py")
        .display()
        .to_string()
}

const COURSE: [&str; 4] = [
    "gd=gd:0.4",
    "momentum=momentum:0.6:0.5",
    "rmsprop=rmsprop:0.3:0.9:1e-6",
    "adam=adam:0.2:0.9:0.999:1e-6",
];

#[test]
fn every_printed_digit_of_the_builtin_exercise_is_right() {
    let run = stepwise(&["run", "--format", "csv", "--digits", "28"]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    let mut args = vec![checker(), "--prec".into(), "80".into()];
    args.extend(COURSE.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let Some((out, ok)) = python(&args, &run.stdout) else {
        return;
    };
    assert!(ok, "{out}");
    assert!(out.contains("checked 372 cells, 0 wrong"), "{out}");
    // RMSProp's w2 at epoch 30 (-3.005e-17, reached through many cancellations) keeps 24 digits
    let last = out
        .lines()
        .find(|l| l.starts_with("last rmsprop 30 "))
        .expect("the rmsprop line");
    let digits: Vec<u32> = last
        .split(' ')
        .skip(3)
        .map(|d| d.parse().unwrap())
        .collect();
    assert!(digits[1] >= 24, "{last}");
}

#[test]
fn a_long_adam_run_prints_no_wrong_digit() {
    // 30,000 epochs of the course's Adam: the error bounds widen until no digit is certain, and
    // the run stops there as a result (exit 0), every digit it printed right at 120 digits
    let run = stepwise(&[
        "run",
        "--problem",
        "adam",
        "--epochs",
        "30000",
        "--format",
        "csv",
        "--digits",
        "28",
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    let rows = run.stdout.lines().count();
    assert!(rows > 3000, "{rows} rows");
    let Some((out, ok)) = python(
        &[&checker(), "--prec", "120", "adam=adam:0.2:0.9:0.999:1e-6"],
        &run.stdout,
    ) else {
        return;
    };
    assert!(ok, "{out}");
    // the certain digits declined: the last rows print intervals
    assert!(run.stdout.lines().last().unwrap().contains("+-"));
    let table = stepwise(&["run", "--problem", "adam", "--epochs", "30000"]);
    assert!(table.stdout.contains("uncertain"), "{}", table.stdout);
}

/// A register machine over balls and over the engine's affine forms: `r[d] = r[a] op r[b]` or
/// `r[d] = sqrt(r[a])`, with epoch marks between some steps. The same program is replayed in Python at
/// 60 digits.
#[test]
fn random_chains_of_operations_hold_the_true_value() {
    let mut rng = Rng(0x5eed_ba11);
    let mut script = String::from(
        "import sys\nfrom decimal import Decimal as D, getcontext\ngetcontext().prec = 60\nbad = 0\nchecks = 0\n",
    );
    for case in 0..300 {
        let init: Vec<String> = (0..3).map(|_| rng.decimal(-9.0, 9.0)).collect();
        let mut balls: Vec<Ball> = init
            .iter()
            .map(|s| Ball::exact(Num::parse(s).unwrap()))
            .collect();
        let mut affs: Vec<Aff> = init
            .iter()
            .map(|s| Aff::from_num(&Num::parse(s).unwrap()))
            .collect();
        script.push_str(&format!(
            "r = [D('{}'), D('{}'), D('{}')]\n",
            init[0], init[1], init[2]
        ));
        for _ in 0..(5 + rng.below(20)) {
            let (d, a, b) = (rng.below(3), rng.below(3), rng.below(3));
            let op = rng.below(5);
            if rng.below(4) == 0 {
                <Aff as Scalar>::begin_epoch();
            }
            let (nb, na) = match op {
                0 => (balls[a].add(&balls[b]), affs[a].add(&affs[b])),
                1 => (balls[a].sub(&balls[b]), affs[a].sub(&affs[b])),
                2 => (balls[a].mul(&balls[b]), affs[a].mul(&affs[b])),
                3 => (balls[a].div(&balls[b]), affs[a].div(&affs[b])),
                _ => (balls[a].abs().sqrt(), {
                    let x = &affs[a];
                    if x.mid().is_negative() {
                        x.mul(&Aff::from_num(&Num::from_int(-1)))
                            .and_then(|y| y.sqrt())
                    } else {
                        x.sqrt()
                    }
                }),
            };
            // an operation the bounds cannot settle (a divisor around 0) ends the chain, as in the engine
            let (Ok(nb), Ok(na)) = (nb, na) else { break };
            if nb.mid().exponent().abs() > 30 {
                break;
            }
            let expr = match op {
                0 => format!("r[{a}] + r[{b}]"),
                1 => format!("r[{a}] - r[{b}]"),
                2 => format!("r[{a}] * r[{b}]"),
                3 => format!("r[{a}] / r[{b}]"),
                _ => format!("abs(r[{a}]).sqrt()"),
            };
            script.push_str(&format!("r[{d}] = {expr}\n"));
            balls[d] = nb;
            affs[d] = na.clone();
            for (kind, x) in [("ball", nb), ("affine", na.to_ball())] {
                script.push_str("checks += 1\n");
                script.push_str(&format!(
                    "if abs(D('{}') - r[{d}]) > D('{}'): bad += 1; print('case {case} {kind}', r[{d}], '{x}')\n",
                    x.mid(),
                    x.rad(),
                ));
            }
        }
    }
    script.push_str("print('wrong', bad, 'of', checks)\nsys.exit(1 if bad else 0)\n");
    let Some((out, ok)) = python(&["-"], &script) else {
        return;
    };
    assert!(ok && out.contains("wrong 0 of"), "{out}");
    let checks: usize = out
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(checks > 2000, "only {checks} values checked");
}

#[test]
fn the_sheet_says_where_digits_are_lost() {
    // at 28 digits every course run loses a few to rounding; at 10 none does
    let full = stepwise(&[
        "solve", "--lang", "en", "--format", "md", "--out", "-", "--digits", "28",
    ]);
    assert_eq!(full.code(), Some(0), "{}", full.stderr);
    let lost: Vec<&str> = full
        .stdout
        .lines()
        .filter(|l| l.contains("rounding errors leave fewer than 28 certain digits"))
        .collect();
    assert_eq!(lost.len(), 4, "{}", full.stdout);
    // RMSProp keeps 24 of them to the end
    assert!(
        full.stdout.contains("at epoch 30, 24 remain"),
        "{}",
        lost.join("\n")
    );
    let short = stepwise(&["solve", "--lang", "en", "--format", "md", "--out", "-"]);
    assert!(!short.stdout.contains("rounding errors leave fewer"));
}
