//! `vanishing`: exercise 5, the vanishing-gradient experiment. Finds and loads the data, trains every
//! optimizer with a progress bar on standard error (none when it is not a terminal), and after every
//! epoch writes `vanishing.csv`, `vanishing.json` and the optimizer's checkpoint, together and
//! atomically, so an interrupted run loses at most one epoch and `--resume` goes on from there.

use super::io::{create_dir, io_reason, write_all};
use super::table::aligned;
use super::Failure;
use crate::vanishing::{self, data, Checkpoint, Observer, Plan, Results};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal as _;
use std::path::PathBuf;

/// `vanishing`, resolved.
pub(crate) struct VanishingJob {
    pub(crate) plan: Plan,
    /// `--data`.
    pub(crate) data: Option<PathBuf>,
    pub(crate) out: PathBuf,
    pub(crate) resume: bool,
    /// `--save-init`.
    pub(crate) save_init: bool,
}

/// Writes the files after every epoch and shows the progress.
struct Files {
    out: PathBuf,
    bar: ProgressBar,
    epochs: u64,
    last: String,
}

impl Observer for Files {
    fn start(&mut self, optimizer: &str, done: u64, epochs: u64, batches: usize) {
        self.bar
            .set_length(epochs.saturating_sub(done) * batches as u64);
        self.bar.set_position(0);
        self.bar.reset_eta();
        self.bar.set_prefix(optimizer.to_string());
        self.epochs = epochs;
        self.last.clear();
    }

    fn step(&mut self, _optimizer: &str, epoch: u64, batch: usize, loss: f64) {
        self.bar.inc(1);
        // the message is text to build: every 16th batch is often enough to read
        if batch % 16 == 1 && !self.bar.is_hidden() {
            self.bar.set_message(format!(
                "epoch {epoch}/{} loss {loss:.4}{}",
                self.epochs, self.last
            ));
        }
    }

    fn epoch(&mut self, results: &Results, checkpoint: &Checkpoint) -> Result<(), String> {
        if let Some(m) = results.runs.last().and_then(|r| r.epochs.last()) {
            self.last = format!(
                " | last epoch: train acc {:.4}, test acc {:.4}",
                m.train_accuracy, m.test_accuracy
            );
        }
        let name = &checkpoint.header.fingerprint.optimizer;
        let (csv, json, ckpt) = (results.csv(), results.json(), checkpoint.to_bytes());
        write_all(&[
            (self.out.join(Checkpoint::file_name(name)), ckpt.as_slice()),
            (self.out.join("vanishing.csv"), csv.as_bytes()),
            (self.out.join("vanishing.json"), json.as_bytes()),
        ])
        .map_err(|f| f.message)
    }
}

impl VanishingJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let env = std::env::var_os(data::ENV_DIR).filter(|v| !v.is_empty());
        let dir = data::locate(
            self.data.as_deref(),
            env.as_deref().map(std::path::Path::new),
        )
        .map_err(Failure::input)?;
        let set = data::load(&dir).map_err(Failure::input)?;
        if set.train.is_empty() {
            return Err(Failure::input(format!(
                "{}: the training set is empty",
                dir.display()
            )));
        }
        create_dir(&self.out)?;
        let code =
            crate::render::render_vanishing_code(&crate::render::Templates::default(), &self.plan)
                .map_err(Failure::input)?;
        write_all(&[(self.out.join("vanishing.py"), code.as_bytes())])?;
        if self.save_init {
            let dir = self.out.join(vanishing::SAVED_DIR);
            create_dir(&dir)?;
            let files =
                vanishing::saved_arrays(&self.plan, set.train.len()).map_err(Failure::input)?;
            let files: Vec<(PathBuf, &[u8])> = files
                .iter()
                .map(|(n, b)| (dir.join(n), b.as_slice()))
                .collect();
            write_all(&files)?;
        }
        let mut checkpoints = HashMap::new();
        if self.resume {
            for o in &self.plan.settings.optimizers {
                let path = self.out.join(Checkpoint::file_name(&o.name));
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        let c = Checkpoint::from_bytes(&bytes)
                            .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
                        checkpoints.insert(o.name.clone(), c);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(Failure::input(format!(
                            "{}: cannot read: {}",
                            path.display(),
                            io_reason(&e)
                        )))
                    }
                }
            }
        }
        let bar = if std::io::stderr().is_terminal() {
            ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{prefix:>8} [{bar:30}] {msg} (eta {eta})")
                .map_err(|e| Failure::input(format!("progress bar: {e}")))?
                .progress_chars("=> "),
        );
        let mut files = Files {
            out: self.out.clone(),
            bar,
            epochs: 0,
            last: String::new(),
        };
        let results = vanishing::run(
            &self.plan,
            &set,
            |name| checkpoints.remove(name),
            &mut files,
        )
        .map_err(Failure::input)?;
        files.bar.finish_and_clear();
        let mut text = summary(&results, &self.out, &dir);
        if self.save_init {
            text.push_str(&format!(
                "wrote the initial weights and batch orders as .npy files into {} (vanishing.py --npy {0})\n",
                self.out.join(vanishing::SAVED_DIR).display()
            ));
        }
        Ok(text)
    }
}

/// The table printed at the end.
fn summary(results: &Results, out: &std::path::Path, dir: &std::path::Path) -> String {
    let header: Vec<String> = [
        "optimizer",
        "epochs",
        "test acc",
        "best (epoch)",
        "left chance",
        "train loss",
        "|g| layer 1",
        "|g| layer 6",
        "s/epoch",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = results
        .summaries()
        .iter()
        .map(|s| {
            let g = |i: usize| {
                s.first_grad_norms
                    .get(i)
                    .map_or("-".into(), |v| format!("{v:.3e}"))
            };
            vec![
                s.optimizer.clone(),
                s.epochs.to_string(),
                format!("{:.4}", s.final_test_accuracy),
                format!("{:.4} ({})", s.best_test_accuracy.0, s.best_test_accuracy.1),
                s.left_chance
                    .map_or("never".into(), |e| format!("epoch {e}")),
                format!("{:.4}", s.final_train_loss),
                g(0),
                g(s.first_grad_norms.len().saturating_sub(1)),
                format!("{:.3}", s.seconds_per_epoch),
            ]
        })
        .collect();
    format!(
        "vanishing gradients: {} training and {} test examples from {}; gradient norms of epoch 1; \"left chance\": first epoch with test accuracy above {}\n{}wrote {}, {} and {}\n",
        results.examples.0,
        results.examples.1,
        dir.display(),
        vanishing::LEFT_CHANCE,
        aligned(&header, &rows),
        out.join("vanishing.csv").display(),
        out.join("vanishing.json").display(),
        out.join("vanishing.py").display()
    )
}
