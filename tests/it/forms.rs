//! Every form stepwise implements, against `tests/data/forms/forms-20.txt`: 20 steps on the course's
//! f from (-5, -2), computed at 60 digits by `tests/data/forms/make_reference.py`, a transcription of
//! each library's own source (see `FORMS.md` there; `check_libs.py` confirmed the library forms
//! against torch, optax and Keras in float64). A row names a block of that file and the optimizer of
//! stepwise that must reproduce it; the block's hyperparameters are passed as they are, so a choice
//! stepwise does not know (`dampening`, `lr_decay`, ...) fails the row instead of being dropped. A
//! library option that is a choice of stepwise's forms (PyTorch's `centered`, an initial accumulator)
//! is checked against the row's form instead (see [`as_choice`]).

use stepwise::number::{Mag, Num};
use stepwise::optim;
use stepwise::spec;
use stepwise::trace;

const REFERENCE: &str = include_str!("../data/forms/forms-20.txt");

/// (optimizer and form as the file names them, stepwise's optimizer id and form, hyperparameters of
/// the block that this form does not take because their value there changes nothing).
const ROWS: &[(&str, &str, &str, &[&str])] = &[
    ("gd course", "gd", "plain", &[]),
    ("gd pytorch", "gd", "plain", &[]),
    ("gd d2l", "gd", "plain", &[]),
    ("gd optax", "gd", "plain", &[]),
    ("gd keras", "gd", "plain", &[]),
    ("gd goodfellow", "gd", "plain", &[]),
    ("momentum course", "momentum", "ema", &[]),
    ("momentum pytorch", "momentum", "heavy-ball", &["dampening"]),
    ("momentum pytorch-dampening", "momentum", "dampened", &[]),
    ("momentum d2l", "momentum", "heavy-ball", &[]),
    ("momentum optax", "momentum", "heavy-ball", &[]),
    ("momentum keras", "momentum", "heavy-ball", &[]),
    ("momentum goodfellow", "momentum", "heavy-ball", &[]),
    ("nesterov goodfellow", "nesterov", "look-ahead", &[]),
    ("nesterov pytorch", "nesterov", "current", &[]),
    ("nesterov optax", "nesterov", "current", &[]),
    ("nesterov keras", "nesterov", "current", &[]),
    ("rmsprop course", "rmsprop", "eps-inside", &[]),
    ("rmsprop d2l", "rmsprop", "eps-inside", &[]),
    ("rmsprop goodfellow", "rmsprop", "eps-inside", &[]),
    ("rmsprop optax", "rmsprop", "eps-inside", &[]),
    ("rmsprop keras", "rmsprop", "eps-inside", &[]),
    ("rmsprop pytorch", "rmsprop", "eps-outside", &[]),
    ("rmsprop pytorch-centered", "rmsprop", "centered", &[]),
    ("rmsprop pytorch-momentum", "rmsprop", "momentum", &[]),
    (
        "rmsprop pytorch-centered-momentum",
        "rmsprop",
        "centered-momentum",
        &[],
    ),
    ("adam course", "adam", "paper", &[]),
    ("adam paper", "adam", "paper", &[]),
    ("adam d2l", "adam", "paper", &[]),
    ("adam goodfellow", "adam", "paper", &[]),
    ("adam pytorch", "adam", "paper", &[]),
    ("adam optax", "adam", "paper", &[]),
    ("adam keras", "adam", "keras", &[]),
    ("adam eps-in", "adam", "eps-inside", &[]),
    ("adagrad d2l", "adagrad", "eps-inside", &[]),
    ("adagrad optax-acc0", "adagrad", "eps-inside", &[]),
    ("adagrad goodfellow", "adagrad", "eps-outside", &[]),
    ("adagrad pytorch", "adagrad", "eps-outside", &["lr_decay"]),
    (
        "adagrad pytorch-acc0.1",
        "adagrad",
        "eps-outside-acc",
        &["lr_decay"],
    ),
    ("adagrad optax", "adagrad", "eps-inside-acc", &[]),
    ("adagrad keras", "adagrad", "eps-inside-acc", &[]),
    ("amsgrad pytorch", "amsgrad", "pytorch", &[]),
    ("adamw pytorch", "adamw", "pytorch", &[]),
    ("adamw optax", "adamw", "pytorch", &[]),
    ("adopt official", "adopt", "official", &[]),
    ("adopt optax", "adopt", "official", &[]),
    ("adadelta pytorch", "adadelta", "paper", &[]),
    ("adadelta optax", "adadelta", "paper", &[]),
    ("adadelta keras", "adadelta", "paper", &[]),
    ("adadelta d2l", "adadelta", "paper", &[]),
    ("lion optax", "lion", "paper", &[]),
    ("lion keras", "lion", "paper", &[]),
    ("nadam optax", "nadam", "optax", &[]),
    ("nadam keras", "nadam", "keras", &[]),
];

/// A library option of optimizer `id` that is a choice of stepwise's forms: the choice and the value
/// that the option's value `v` means, and the hyperparameter that then takes `v` (PyTorch's RMSprop
/// `momentum` is the choice `momentum = "yes"` with `beta` its value).
fn as_choice(
    id: &str,
    option: &str,
    v: &str,
) -> Option<(&'static str, String, Option<&'static str>)> {
    let yes_no = |yes: bool| if yes { "yes" } else { "no" }.to_string();
    match (id, option) {
        ("rmsprop", "centered") => Some(("centered", yes_no(v == "true"), None)),
        ("rmsprop", "momentum") => Some(("momentum", yes_no(v != "0"), Some("beta"))),
        ("adagrad", "initial_accumulator_value") => Some(("accumulator", v.to_string(), None)),
        _ => None,
    }
}

/// A 40-digit decimal cut to 28 significant digits (a relative change below 1e-27).
fn to_28(x: &str) -> Num {
    let (sign, body) = x.strip_prefix('-').map_or(("", x), |b| ("-", b));
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = format!("{int}{frac}");
    let lead = digits.len() - digits.trim_start_matches('0').len();
    let sig: String = digits[lead..].chars().take(28).collect();
    if sig.is_empty() {
        return Num::ZERO;
    }
    // the first significant digit sits at 10^(int.len() - 1 - lead)
    let exp = int.len() as i64 - 1 - lead as i64;
    Num::parse(&format!("{sign}{}.{}e{exp}", &sig[..1], &sig[1..])).unwrap()
}

/// The block of `name`: its hyperparameters and its 21 points.
fn block(name: &str) -> (Vec<(String, String)>, Vec<Vec<Num>>) {
    let mut lines = REFERENCE.lines();
    let header = lines
        .by_ref()
        .find(|l| {
            l.strip_prefix("# ")
                .is_some_and(|h| h.split(' ').take(2).collect::<Vec<_>>().join(" ") == name)
        })
        .unwrap_or_else(|| panic!("no block '{name}'"));
    let params = header
        .split(' ')
        .skip(3)
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    let points = lines
        .take_while(|l| !l.starts_with('#'))
        .map(|l| l.split(' ').skip(1).map(to_28).collect())
        .collect();
    (params, points)
}

#[test]
fn every_implemented_form_matches_its_library_for_20_steps() {
    for (name, id, form, ignore) in ROWS {
        let (params, points) = block(name);
        assert_eq!(points.len(), 21, "{name}");
        let info = optim::forms(id).find(|i| i.form == *form).unwrap();
        let mut given = Vec::new();
        for (k, v) in &params {
            if ignore.contains(&k.as_str()) && v == "0" {
                continue;
            }
            match as_choice(id, k, v) {
                Some((choice, value, hyper)) => {
                    assert_eq!(info.choice(choice), Some(value.as_str()), "{name}: {k}");
                    if let (Some(h), "yes") = (hyper, value.as_str()) {
                        given.push(format!("{h} = \"{v}\""));
                    }
                }
                None => given.push(format!("{k} = \"{v}\"")),
            }
        }
        let choices: Vec<String> = info
            .choices
            .iter()
            .map(|(c, v)| format!("{c} = \"{v}\""))
            .collect();
        let src = format!(
            "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\n[[problem]]\nid = \"p\"\noptimizer = \"{id}\"\nform = {{ {} }}\nparams = {{ {} }}\n",
            choices.join(", "),
            given.join(", ")
        );
        let ex = spec::load("form.toml", &src).unwrap_or_else(|e| panic!("{name}: {e}"));
        let tr = trace::trace(&ex, &ex.problems[0], 20).unwrap();
        for (e, want) in tr.epochs.iter().zip(&points[1..]) {
            for (got, want) in e.after.iter().zip(want) {
                // the 40-digit reference, cut to 28 digits, lies in the ball (widened by that
                // rounding), and the ball is narrow
                let diff = got.mid().sub(want).unwrap().abs();
                // the cut to 28 digits moved the reference by less than one unit in its last digit
                let slack = Mag::half_ulp(want)
                    .add(&Mag::half_ulp(want))
                    .add(&got.rad());
                assert!(
                    Mag::from_num_up(&diff) <= slack,
                    "{name}, epoch {}: {got} does not hold {want}",
                    e.epoch
                );
                // and narrow: 20 epochs of any form keep at least 20 certain digits
                assert!(
                    got.certain_digits() >= 20,
                    "{name}, epoch {}: {got} is wide",
                    e.epoch
                );
            }
        }
    }
}

#[test]
fn the_check_values_of_the_reference_file_are_in_the_data() {
    // facts from ../shared/reference/optimizer-conventions.md, recomputed by the script
    let at = |name: &str, t: usize| -> Vec<f64> {
        block(name).1[t].iter().map(|x| x.to_f64()).collect()
    };
    let close = |a: Vec<f64>, b: [f64; 2]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
    assert!(close(at("gd pytorch", 2), [-4.232, -0.72]));
    assert!(close(at("momentum pytorch", 2), [-3.572, -1.52]));
    assert!(close(at("momentum pytorch-dampening", 2), [-3.836, 1.84]));
    assert!(close(at("nesterov pytorch", 1), [-4.1, 5.2]));
    assert!(close(at("nesterov goodfellow", 1), [-4.4, 2.8]));
    assert!(close(at("adopt official", 1), [-5.0, -2.0]));
    assert!(close(at("adopt official", 2), [-4.99, -1.99]));
    let a3 = at("adopt official", 3);
    assert!((a3[0] + 4.97102).abs() < 5e-6 && (a3[1] + 1.97105).abs() < 5e-6);
}

/// Naming a library selects its form: each row's block is what the convention of the same name
/// gives, for the conventions stepwise knows.
#[test]
fn conventions_select_the_libraries_forms() {
    for (name, id, form, _) in ROWS {
        let library = name.split(' ').nth(1).unwrap();
        let library = if library == "official" {
            "course"
        } else {
            library
        };
        if !optim::CONVENTIONS.contains(&library) {
            continue;
        }
        let info =
            optim::find_convention(id, library).unwrap_or_else(|| panic!("{library} has no {id}"));
        assert_eq!(info.form, *form, "{name}");
    }
}

/// An exercise written back (as variants do) keeps each problem's form and convention.
#[test]
fn forms_survive_writing_the_exercise_back() {
    let src = "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"a\"\noptimizer = \"momentum\"\nconvention = \"pytorch\"\nparams = { lr = 0.1, beta = 0.5 }\n[[problem]]\nid = \"b\"\noptimizer = \"adam\"\nform = { eps = \"inside\" }\nparams = { lr = 0.1 }\n[[problem]]\nid = \"c\"\noptimizer = \"rmsprop\"\nparams = { lr = 0.1 }\n";
    let ex = spec::load("f.toml", src).unwrap();
    let forms = |ex: &spec::Exercise| -> Vec<(&str, &str, Option<&str>)> {
        ex.problems
            .iter()
            .map(|p| (p.optimizer.id, p.optimizer.form, p.convention))
            .collect()
    };
    assert_eq!(
        forms(&ex),
        vec![
            ("momentum", "heavy-ball", Some("pytorch")),
            ("adam", "eps-inside", None),
            ("rmsprop", "eps-inside", None)
        ]
    );
    // pytorch's default for beta would be 0, the file's 0.5 wins; adam's eps is the form's default
    assert_eq!(
        ex.problems[0].param("beta"),
        Some(Num::parse("0.5").unwrap())
    );
    assert_eq!(
        ex.problems[1].param("eps"),
        Some(Num::parse("1e-8").unwrap())
    );
    let again = spec::load("g.toml", &spec::to_toml(&ex)).unwrap();
    assert_eq!(forms(&again), forms(&ex));
    for (p, q) in ex.problems.iter().zip(&again.problems) {
        assert_eq!(p.params, q.params);
    }
    // a convention's defaults fill what the file leaves out
    let torch = "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"r\"\noptimizer = \"rmsprop\"\nconvention = \"pytorch\"\nparams = { lr = 0.1 }\n";
    let ex = spec::load("t.toml", torch).unwrap();
    assert_eq!(
        ex.problems[0].param("gamma"),
        Some(Num::parse("0.99").unwrap())
    );
    assert_eq!(
        ex.problems[0].param("eps"),
        Some(Num::parse("1e-8").unwrap())
    );
}

/// A convention with one choice changed keeps the library's defaults: PyTorch's RMSprop centred still
/// has alpha 0.99, optax's AdaGrad from 0 still has eps 1e-7.
#[test]
fn a_convention_keeps_its_defaults_when_a_choice_changes() {
    let src = "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"c\"\noptimizer = \"rmsprop\"\nconvention = \"pytorch\"\nform = { centered = \"yes\", momentum = \"yes\" }\n[[problem]]\nid = \"a\"\noptimizer = \"adagrad\"\nconvention = \"optax\"\nform = { accumulator = \"0\" }\nparams = { lr = 0.1 }\n[[problem]]\nid = \"k\"\noptimizer = \"adagrad\"\nconvention = \"keras\"\n";
    let ex = spec::load("d.toml", src).unwrap();
    let p = |i: usize, name: &str| ex.problems[i].param(name).unwrap().to_sci();
    assert_eq!(ex.problems[0].optimizer.form, "centered-momentum");
    assert_eq!(
        [p(0, "lr"), p(0, "gamma"), p(0, "eps"), p(0, "beta")],
        ["1e-2", "9.9e-1", "1e-8", "9e-1"]
    );
    assert_eq!(ex.problems[1].optimizer.form, "eps-inside");
    assert_eq!(p(1, "eps"), "1e-7");
    assert_eq!(ex.problems[2].optimizer.form, "eps-inside-acc");
    assert_eq!([p(2, "lr"), p(2, "eps")], ["1e-3", "1e-7"]);
}
