//! What the answer sheet says of exercise 5, computed from the results (`vanishing.json`) or, when
//! there are none yet, from the exercise's settings: the set-up, the table of what each optimizer
//! reached, and the facts the reading states (which layers' gradients vanished against the output
//! layer's, which optimizers left chance level). The view only words these facts; every number a
//! sentence prints is one of theirs.
//!
//! Definitions, stated in the sheet:
//! - chance level is [`CHANCE`] (10 classes); an optimizer has *left chance level* in the first epoch
//!   whose test accuracy passes [`LEFT_CHANCE`](super::LEFT_CHANCE), twice chance, so noise around chance does not count;
//! - a layer's gradient has *vanished* in an epoch when its mean norm is at least [`VANISHED`] times
//!   (two orders of magnitude) smaller than the output layer's in that epoch.

use super::{Results, Summary};
use crate::spec::Vanishing;
use std::path::{Path, PathBuf};

/// Chance level: one class in ten.
pub const CHANCE: f64 = 0.1;

/// How many times smaller than the output layer's a layer's gradient norm must be to count as
/// vanished: two orders of magnitude.
pub const VANISHED: f64 = 100.0;

/// The results file `solve` reads from a results folder.
pub const JSON_FILE: &str = "vanishing.json";

/// The CSV file beside it, checked against it when present.
pub const CSV_FILE: &str = "vanishing.csv";

/// Why a results folder cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// A file that is there but cannot be read.
    #[error("{path}: cannot read: {reason}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A JSON file that is not `stepwise vanishing`'s.
    #[error("{path}: not the results of stepwise vanishing: {reason}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A CSV that says something else than the JSON beside it.
    #[error("{csv}: does not hold the numbers of {json} (rerun stepwise vanishing --resume, or remove one of them)")]
    Disagree {
        /// The CSV file.
        csv: String,
        /// The JSON file.
        json: String,
    },
    /// Results with no epoch.
    #[error("{0}: holds no epoch")]
    Empty(String),
}

/// One optimizer as set up.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupOptimizer {
    /// Its name in the exercise (`sgd`).
    pub name: String,
    /// The registered optimizer (`gd`).
    pub id: String,
    /// Its form.
    pub form: String,
    /// `(name, exact value)` of every hyperparameter, in the rule's order.
    pub hyperparameters: Vec<(String, String)>,
    /// The `torch.optim` call, when there is one.
    pub torch: Option<String>,
}

/// The experiment's set-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    /// Widths of the network, input first.
    pub sizes: Vec<usize>,
    /// Examples per batch.
    pub batch_size: u64,
    /// Epochs: those run (the longest run) with results, else those the exercise asks for.
    pub epochs: u64,
    /// Seed of the weights and batch orders.
    pub seed: u64,
    /// Standard deviation of the initial weights.
    pub init_std: String,
    /// Training and test examples, when known (from results).
    pub examples: Option<(usize, usize)>,
    /// The optimizers, in order.
    pub optimizers: Vec<SetupOptimizer>,
}

impl Setup {
    /// The set-up the exercise asks for.
    pub fn of_settings(s: &Vanishing) -> Setup {
        Setup {
            sizes: super::mlp::SIZES.to_vec(),
            batch_size: s.batch_size,
            epochs: s.epochs,
            seed: s.seed,
            init_std: s.init_std.to_string(),
            examples: None,
            optimizers: s
                .optimizers
                .iter()
                .map(|o| SetupOptimizer {
                    name: o.name.clone(),
                    id: o.info.id.to_string(),
                    form: o.info.form.to_string(),
                    hyperparameters: o
                        .params
                        .iter()
                        .map(|(n, v)| (n.to_string(), v.to_string()))
                        .collect(),
                    torch: super::torch_call(o.info, &o.params),
                })
                .collect(),
        }
    }

    /// The set-up that made `r`.
    pub fn of_results(r: &Results) -> Setup {
        Setup {
            sizes: r.sizes.clone(),
            batch_size: r.batch_size,
            epochs: r
                .runs
                .iter()
                .map(|x| x.epochs.len() as u64)
                .max()
                .unwrap_or(0),
            seed: r.seed,
            init_std: r.init_std.clone(),
            examples: Some(r.examples),
            optimizers: r
                .runs
                .iter()
                .map(|x| SetupOptimizer {
                    name: x.optimizer.clone(),
                    id: x.id.clone(),
                    form: x.form.clone(),
                    hyperparameters: x.hyperparameters.clone(),
                    torch: x.torch.clone(),
                })
                .collect(),
        }
    }
}

/// One layer's mean gradient norm in an epoch, against the output layer's.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerGap {
    /// 1-based, the input layer first.
    pub layer: usize,
    /// Its mean gradient norm.
    pub norm: f64,
    /// The output layer's norm divided by this one's (infinite for a norm of 0).
    pub ratio: f64,
}

/// One optimizer's gradients in one epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// The optimizer's name.
    pub optimizer: String,
    /// The epoch.
    pub epoch: u64,
    /// The output layer (the last, 1-based).
    pub output: usize,
    /// Its mean gradient norm.
    pub output_norm: f64,
    /// The layers whose gradient vanished ([`VANISHED`]), input first; empty when none did.
    pub vanished: Vec<LayerGap>,
    /// The layer before the output whose gradient is smallest against the output's (largest ratio).
    pub smallest: Option<LayerGap>,
}

impl Gradients {
    /// The gradients of `norms` (input layer first) in `epoch`; `None` without two layers or with
    /// an output norm that is not positive and finite.
    pub fn of(optimizer: &str, epoch: u64, norms: &[f64]) -> Option<Gradients> {
        let (&output_norm, rest) = norms.split_last()?;
        if rest.is_empty() || !(output_norm.is_finite() && output_norm > 0.0) {
            return None;
        }
        let gaps: Vec<LayerGap> = rest
            .iter()
            .enumerate()
            .map(|(i, &norm)| LayerGap {
                layer: i + 1,
                norm,
                ratio: output_norm / norm,
            })
            .collect();
        let smallest = gaps
            .iter()
            .filter(|g| !g.ratio.is_nan())
            .max_by(|a, b| a.ratio.total_cmp(&b.ratio))
            .cloned();
        Some(Gradients {
            optimizer: optimizer.to_string(),
            epoch,
            output: norms.len(),
            output_norm,
            vanished: gaps.into_iter().filter(|g| g.ratio >= VANISHED).collect(),
            smallest,
        })
    }
}

/// One fact the reading states.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// An optimizer's gradients in its first or last epoch (whether some vanished is in them).
    Gradients(Gradients),
    /// The optimizers that left chance level: `(name, epoch, final test accuracy)`.
    LeftChance(Vec<(String, u64, f64)>),
    /// The optimizers that never did: `(name, epochs run, best test accuracy)`.
    StayedAtChance(Vec<(String, u64, f64)>),
}

/// Everything the section shows, from results.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The set-up that made the results.
    pub setup: Setup,
    /// One row per optimizer with at least one epoch, in order.
    pub rows: Vec<Summary>,
    /// The reading, in order.
    pub facts: Vec<Fact>,
}

impl Report {
    /// The report of `r`.
    pub fn new(r: &Results) -> Report {
        let rows = r.summaries();
        let mut facts = Vec::new();
        for run in &r.runs {
            let (Some(first), Some(last)) = (run.epochs.first(), run.epochs.last()) else {
                continue;
            };
            facts.extend(
                Gradients::of(&run.optimizer, first.epoch, &first.grad_norms).map(Fact::Gradients),
            );
            if last.epoch != first.epoch {
                facts.extend(
                    Gradients::of(&run.optimizer, last.epoch, &last.grad_norms)
                        .map(Fact::Gradients),
                );
            }
        }
        let left: Vec<(String, u64, f64)> = rows
            .iter()
            .filter_map(|s| {
                s.left_chance
                    .map(|e| (s.optimizer.clone(), e, s.final_test_accuracy))
            })
            .collect();
        let stayed: Vec<(String, u64, f64)> = rows
            .iter()
            .filter(|s| s.left_chance.is_none())
            .map(|s| (s.optimizer.clone(), s.epochs, s.best_test_accuracy.0))
            .collect();
        if !left.is_empty() {
            facts.push(Fact::LeftChance(left));
        }
        if !stayed.is_empty() {
            facts.push(Fact::StayedAtChance(stayed));
        }
        Report {
            setup: Setup::of_results(r),
            rows,
            facts,
        }
    }
}

/// The exercise-5 section of a sheet: results, or the set-up and how to make them.
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// Results were found.
    Results {
        /// What they say.
        report: Report,
        /// The results themselves (for the figures).
        results: Results,
        /// The folder they came from.
        dir: PathBuf,
    },
    /// No results yet.
    Missing {
        /// The set-up the exercise asks for.
        setup: Setup,
        /// The command that makes them.
        command: String,
        /// The folder `solve` looked in.
        dir: PathBuf,
    },
}

/// An I/O error's text, lowercase, without the OS code.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s);
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_lowercase().collect::<String>() + c.as_str()
    })
}

/// Checks what the sheet prints of a results file as text (names, numbers, calls), so that a file
/// edited by hand cannot put markup into a sheet; the error says what is wrong.
fn check(r: &Results) -> Result<(), String> {
    let id = |what: &str, s: &str| {
        if !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            Ok(())
        } else {
            Err(format!(
                "{what} '{s}' is not a name of a-z, 0-9, '_' and '-'"
            ))
        }
    };
    let number = |what: &str, s: &str| {
        crate::number::Num::parse(s)
            .map(|_| ())
            .map_err(|_| format!("{what} '{s}' is not a number"))
    };
    number("init_std", &r.init_std)?;
    if r.sizes.len() < 2 || r.sizes.contains(&0) {
        return Err("sizes must list at least two widths, none 0".into());
    }
    let layers = r.sizes.len() - 1;
    for run in &r.runs {
        id("optimizer", &run.optimizer)?;
        id("id", &run.id)?;
        id("form", &run.form)?;
        for (n, v) in &run.hyperparameters {
            id("hyperparameter", n)?;
            number(n, v)?;
        }
        if let Some(t) = &run.torch {
            if !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " _.,=()+-".contains(c))
            {
                return Err(format!(
                    "torch call '{t}' has characters no torch.optim call has"
                ));
            }
        }
        for (k, m) in run.epochs.iter().enumerate() {
            if m.epoch != k as u64 + 1 {
                return Err(format!(
                    "the epochs of '{}' are not 1, 2, 3, ... (found {} in place {})",
                    run.optimizer,
                    m.epoch,
                    k + 1
                ));
            }
            if m.grad_norms.len() != layers {
                return Err(format!(
                    "epoch {} of '{}' has {} gradient norms for {layers} layers",
                    m.epoch,
                    run.optimizer,
                    m.grad_norms.len()
                ));
            }
        }
    }
    Ok(())
}

/// Reads the results in `dir`: `None` when it holds no [`JSON_FILE`]; an error when that file is
/// not `stepwise vanishing`'s, holds no epoch, or disagrees with the [`CSV_FILE`] beside it.
pub fn load(dir: &Path) -> Result<Option<Results>, ReportError> {
    let json_path = dir.join(JSON_FILE);
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| ReportError::Read {
            path: p.display().to_string(),
            reason: io_reason(&e),
        })
    };
    if !json_path.is_file() {
        return Ok(None);
    }
    let text = read(&json_path)?;
    let results = Results::from_json(&text).map_err(|reason| ReportError::Format {
        path: json_path.display().to_string(),
        reason,
    })?;
    check(&results).map_err(|reason| ReportError::Format {
        path: json_path.display().to_string(),
        reason,
    })?;
    if results.runs.iter().all(|r| r.epochs.is_empty()) {
        return Err(ReportError::Empty(json_path.display().to_string()));
    }
    let csv_path = dir.join(CSV_FILE);
    if csv_path.is_file() && !results.agrees_with_csv(&read(&csv_path)?) {
        return Err(ReportError::Disagree {
            csv: csv_path.display().to_string(),
            json: json_path.display().to_string(),
        });
    }
    Ok(Some(results))
}

/// The section of an exercise with settings `settings`, from the results in `dir` when there are
/// some; `command` is what makes them, said when there are none.
pub fn section(settings: &Vanishing, dir: &Path, command: &str) -> Result<Section, ReportError> {
    Ok(match load(dir)? {
        Some(results) => Section::Results {
            report: Report::new(&results),
            results,
            dir: dir.to_path_buf(),
        },
        None => Section::Missing {
            setup: Setup::of_settings(settings),
            command: command.to_string(),
            dir: dir.to_path_buf(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::{EpochMetrics, RunResult, FORMAT};
    use super::*;

    fn epoch(epoch: u64, test_accuracy: f64, grad_norms: &[f64]) -> EpochMetrics {
        EpochMetrics {
            epoch,
            train_loss: 2.3,
            train_accuracy: 0.1,
            test_loss: 2.3,
            test_accuracy,
            seconds: 1.0,
            grad_norms: grad_norms.to_vec(),
        }
    }

    fn run(name: &str, epochs: Vec<EpochMetrics>) -> RunResult {
        RunResult {
            optimizer: name.into(),
            id: name.into(),
            form: "paper".into(),
            hyperparameters: vec![("lr".into(), "0.01".into())],
            torch: None,
            epochs,
        }
    }

    fn results(runs: Vec<RunResult>) -> Results {
        Results {
            format: FORMAT.into(),
            sizes: vec![784, 128, 128, 10],
            batch_size: 512,
            seed: 0,
            init_std: "0.05".into(),
            examples: (60000, 10000),
            runs,
        }
    }

    #[test]
    fn layers_vanish_at_two_orders_of_magnitude_below_the_output_layer() {
        // output 0.3: layer 1 is 3000 times smaller, layer 2 exactly 100 times (counts), layer 3
        // 99.9 times (does not)
        let g = Gradients::of("sgd", 1, &[1e-4, 3e-3, 0.3 / 99.9, 0.3]).unwrap();
        assert_eq!(g.output, 4);
        assert_eq!(g.output_norm, 0.3);
        let layers: Vec<usize> = g.vanished.iter().map(|x| x.layer).collect();
        assert_eq!(layers, [1, 2]);
        assert!((g.vanished[0].ratio - 3000.0).abs() < 1e-9);
        assert!((g.vanished[1].ratio - 100.0).abs() < 1e-9);
        let s = g.smallest.unwrap();
        assert_eq!((s.layer, s.norm), (1, 1e-4));
        // none vanished: the smallest is still named
        let g = Gradients::of("adam", 2, &[0.05, 0.2, 0.32]).unwrap();
        assert!(g.vanished.is_empty());
        assert_eq!(g.smallest.unwrap().layer, 1);
        // an output layer with no gradient, or a single layer, says nothing
        assert_eq!(Gradients::of("x", 1, &[1e-4, 0.0]), None);
        assert_eq!(Gradients::of("x", 1, &[f64::NAN, f64::NAN]), None);
        assert_eq!(Gradients::of("x", 1, &[0.3]), None);
        // a layer with a zero gradient has vanished infinitely
        let g = Gradients::of("x", 1, &[0.0, 0.3]).unwrap();
        assert_eq!(g.vanished[0].ratio, f64::INFINITY);
    }

    #[test]
    fn the_report_names_who_left_chance_and_when() {
        let r = results(vec![
            // stays at chance: 0.1, then 0.2 exactly (not above the threshold)
            run(
                "sgd",
                vec![
                    epoch(1, 0.1, &[8e-5, 4e-3, 0.3]),
                    epoch(2, 0.2, &[9e-5, 5e-3, 0.31]),
                ],
            ),
            // leaves in epoch 2, then falls back: the first epoch counts, best is epoch 2
            run(
                "adam",
                vec![
                    epoch(1, 0.15, &[5e-2, 0.1, 0.32]),
                    epoch(2, 0.6, &[4e-2, 0.1, 0.2]),
                    epoch(3, 0.55, &[3e-2, 0.1, 0.2]),
                ],
            ),
            run("empty", vec![]),
        ]);
        let rep = Report::new(&r);
        assert_eq!(rep.rows.len(), 2);
        assert_eq!(rep.rows[0].left_chance, None);
        assert_eq!(rep.rows[0].best_test_accuracy, (0.2, 2));
        assert_eq!(rep.rows[1].left_chance, Some(2));
        assert_eq!(rep.rows[1].final_test_accuracy, 0.55);
        assert_eq!(rep.rows[1].best_test_accuracy, (0.6, 2));
        assert_eq!(rep.setup.epochs, 3);
        assert_eq!(rep.setup.examples, Some((60000, 10000)));
        let grads: Vec<(&str, u64, Vec<usize>)> = rep
            .facts
            .iter()
            .filter_map(|f| match f {
                Fact::Gradients(g) => Some((
                    g.optimizer.as_str(),
                    g.epoch,
                    g.vanished.iter().map(|x| x.layer).collect(),
                )),
                _ => None,
            })
            .collect();
        // sgd: 0.3 / 8e-5 = 3750 and 0.3 / 4e-3 = 75 in epoch 1; 0.31 / 9e-5 = 3444 in epoch 2
        assert_eq!(
            grads,
            [
                ("sgd", 1, vec![1]),
                ("sgd", 2, vec![1]),
                ("adam", 1, vec![]),
                ("adam", 3, vec![])
            ]
        );
        assert!(rep
            .facts
            .contains(&Fact::LeftChance(vec![("adam".into(), 2, 0.55)])));
        assert!(rep
            .facts
            .contains(&Fact::StayedAtChance(vec![("sgd".into(), 2, 0.2)])));
    }

    #[test]
    fn a_csv_agrees_only_when_it_holds_the_same_rows_and_numbers() {
        let r = results(vec![
            run("sgd", vec![epoch(1, 0.1, &[1e-4, 3e-3, 0.3])]),
            run("adam", vec![epoch(1, 0.5, &[f64::NAN, -0.0, 1e300])]),
        ]);
        let csv = r.csv();
        assert!(r.agrees_with_csv(&csv));
        assert!(r.agrees_with_csv(&csv.replace('\n', "\r\n")));
        // the same numbers written otherwise still agree; another number, row or column does not
        assert!(r.agrees_with_csv(&csv.replace("0.0001", "1e-4")));
        for wrong in [
            csv.replace("0.0001", "0.00010000000000000002"),
            csv.replace("sgd", "sgd2"),
            csv.replace("grad_norm_3", "grad_norm_4"),
            csv.replace(",0.3\n", ",0.3,1\n"),
            csv.lines().take(2).collect::<Vec<_>>().join("\n"),
            csv.clone() + "sgd,2,1,1,1,1,1,1,1,1\n",
            String::new(),
        ] {
            assert!(!r.agrees_with_csv(&wrong), "{wrong}");
        }
    }

    #[test]
    fn a_results_folder_is_read_checked_and_may_be_absent() {
        let dir = std::env::temp_dir().join(format!("stepwise-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(load(&dir), Ok(None));
        let r = results(vec![run("sgd", vec![epoch(1, 0.1, &[1e-4, 3e-3, 0.3])])]);
        std::fs::write(dir.join(JSON_FILE), r.json()).unwrap();
        assert_eq!(load(&dir), Ok(Some(r.clone())));
        std::fs::write(dir.join(CSV_FILE), r.csv()).unwrap();
        assert_eq!(load(&dir), Ok(Some(r.clone())));
        std::fs::write(dir.join(CSV_FILE), r.csv().replace("0.3", "0.4")).unwrap();
        assert!(matches!(load(&dir), Err(ReportError::Disagree { .. })));
        std::fs::remove_file(dir.join(CSV_FILE)).unwrap();
        std::fs::write(dir.join(JSON_FILE), r.json().replace(FORMAT, "other/1")).unwrap();
        let e = load(&dir).unwrap_err().to_string();
        assert!(
            e.ends_with(
                "format 'other/1' is not stepwise-vanishing/1, the format this stepwise reads"
            ),
            "{e}"
        );
        let mut bad = r.clone();
        bad.runs[0].optimizer = "$\\input{x}$".into();
        std::fs::write(dir.join(JSON_FILE), bad.json()).unwrap();
        assert!(load(&dir)
            .unwrap_err()
            .to_string()
            .contains("is not a name"));
        let mut bad = r.clone();
        bad.runs[0].hyperparameters[0].1 = "0.01}".into();
        std::fs::write(dir.join(JSON_FILE), bad.json()).unwrap();
        assert!(load(&dir)
            .unwrap_err()
            .to_string()
            .ends_with("lr '0.01}' is not a number"));
        let mut bad = r.clone();
        bad.runs[0].epochs[0].grad_norms.push(1.0);
        std::fs::write(dir.join(JSON_FILE), bad.json()).unwrap();
        assert!(load(&dir)
            .unwrap_err()
            .to_string()
            .ends_with("epoch 1 of 'sgd' has 4 gradient norms for 3 layers"));
        std::fs::write(dir.join(JSON_FILE), "{").unwrap();
        assert!(matches!(load(&dir), Err(ReportError::Format { .. })));
        std::fs::write(
            dir.join(JSON_FILE),
            results(vec![run("sgd", vec![])]).json(),
        )
        .unwrap();
        assert!(matches!(load(&dir), Err(ReportError::Empty(_))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
