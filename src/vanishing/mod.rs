//! Exercise 5 of the course: the vanishing-gradient experiment, trained here on the real
//! FashionMNIST.
//!
//! The network ([`mlp`]) has five hidden layers of 128 sigmoid units, which makes the gradients of
//! the first layers vanish; the exercise asks how each optimizer copes. Every optimizer is the
//! registered rule (its `update`, in the form the exercise names, PyTorch's by default) applied to
//! the f32 parameter buffer through [`optim::apply`](crate::optim::apply); all start from the same
//! weights (seeded) and see the same batch order (seeded per epoch, [`rng`]).
//!
//! Data flows one way: a [`Plan`] (the exercise's `[vanishing]` settings) and the data set ([`data`])
//! go in, [`run`] trains each optimizer in turn ([`train`]) and returns the [`Results`]: per epoch the
//! train and test loss and accuracy, the mean gradient norm of every layer and the seconds taken. An
//! [`Observer`] sees the progress and, after every epoch, the results so far and a [`Checkpoint`]
//! from which [`run`] continues with the same numbers; writing files is the caller's business.
//!
//! Accuracy on the test set is the right count over the test examples. (The course's sample code
//! keeps counting into the training counter during the test loop, so it divides the test hits by the
//! train plus test counts; the numbers here do not repeat that.) Losses are means over examples.

pub mod data;
pub mod kernels;
pub mod mlp;
pub mod npy;
pub mod report;
pub mod rng;
mod train;

use crate::optim::Info;
use crate::spec::{Vanishing, VanishingOptimizer};
use data::FashionMnist;
use serde::{Deserialize, Serialize};

/// Everything a run needs to know besides the data.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The exercise's settings (with the command line's changes).
    pub settings: Vanishing,
    /// Widths of the network, input first ([`mlp::SIZES`]).
    pub sizes: Vec<usize>,
    /// Threads for the shards of each batch and the update.
    pub threads: usize,
}

impl Plan {
    /// The course's network with `settings`.
    pub fn new(settings: Vanishing, threads: usize) -> Plan {
        Plan {
            settings,
            sizes: mlp::SIZES.to_vec(),
            threads: threads.max(1),
        }
    }
}

/// One epoch's numbers. In JSON a number that is not finite (a run that diverged) is the string
/// `"NaN"`, `"inf"` or `"-inf"`, so that it reads back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochMetrics {
    /// 1-based.
    pub epoch: u64,
    /// Mean cross-entropy over the training examples, each taken in its batch before the update.
    #[serde(with = "float")]
    pub train_loss: f64,
    /// Share of training examples classified right, counted the same way.
    #[serde(with = "float")]
    pub train_accuracy: f64,
    /// Mean cross-entropy over the test examples after the epoch.
    #[serde(with = "float")]
    pub test_loss: f64,
    /// Share of test examples classified right after the epoch.
    #[serde(with = "float")]
    pub test_accuracy: f64,
    /// Wall-clock seconds of the epoch (training and test).
    #[serde(with = "float")]
    pub seconds: f64,
    /// Per layer, input layer first: the L2 norm of the gradient of its weights and biases, averaged
    /// over the epoch's batches.
    #[serde(with = "floats")]
    pub grad_norms: Vec<f64>,
}

/// An f64 in JSON: a number when finite, else its text (JSON has no NaN or infinity).
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Json64 {
    Number(f64),
    Text(String),
}

impl Json64 {
    fn of(x: f64) -> Json64 {
        if x.is_finite() {
            Json64::Number(x)
        } else {
            Json64::Text(x.to_string())
        }
    }

    fn value<E: serde::de::Error>(self) -> Result<f64, E> {
        match self {
            Json64::Number(x) => Ok(x),
            Json64::Text(t) => t
                .parse()
                .map_err(|_| E::custom(format!("'{t}' is not a number"))),
        }
    }
}

mod float {
    use super::Json64;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        Json64::of(*x).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Json64::deserialize(d)?.value()
    }
}

mod floats {
    use super::Json64;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(xs: &[f64], s: S) -> Result<S::Ok, S::Error> {
        xs.iter()
            .map(|&x| Json64::of(x))
            .collect::<Vec<_>>()
            .serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<Json64>::deserialize(d)?
            .into_iter()
            .map(Json64::value)
            .collect()
    }
}

/// One optimizer's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// The name in the exercise (`sgd`, `adam`).
    pub optimizer: String,
    /// The registered optimizer.
    pub id: String,
    /// Its form.
    pub form: String,
    /// The hyperparameters, exact, in the rule's order.
    pub hyperparameters: Vec<(String, String)>,
    /// The `torch.optim` call of this form, when there is one.
    pub torch: Option<String>,
    /// Every epoch so far.
    pub epochs: Vec<EpochMetrics>,
}

/// The whole experiment's results: what `vanishing.json` holds ([`Results::json`]) and reads back
/// from ([`Results::from_json`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// [`FORMAT`].
    pub format: String,
    /// Widths of the network.
    pub sizes: Vec<usize>,
    /// Batch size.
    pub batch_size: u64,
    /// Seed of the weights and batch orders.
    pub seed: u64,
    /// Standard deviation of the initial weights.
    pub init_std: String,
    /// Training and test examples.
    pub examples: (usize, usize),
    /// One per optimizer, in the plan's order.
    pub runs: Vec<RunResult>,
}

impl Results {
    /// CSV: one row per optimizer and epoch, every number in full (shortest round-trip form).
    pub fn csv(&self) -> String {
        let layers = self.sizes.len().saturating_sub(1);
        let mut out = String::from(
            "optimizer,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds",
        );
        for l in 1..=layers {
            out.push_str(&format!(",grad_norm_{l}"));
        }
        out.push('\n');
        for r in &self.runs {
            for m in &r.epochs {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{}",
                    r.optimizer,
                    m.epoch,
                    m.train_loss,
                    m.train_accuracy,
                    m.test_loss,
                    m.test_accuracy,
                    m.seconds
                ));
                for g in &m.grad_norms {
                    out.push_str(&format!(",{g}"));
                }
                out.push('\n');
            }
        }
        out
    }

    /// Whether `text` is [`Results::csv`] of these results: the same header, and the same rows
    /// holding the same numbers (each read back to the same `f64`), in order. Reading the numbers
    /// is several times faster than writing them again.
    pub fn agrees_with_csv(&self, text: &str) -> bool {
        let mut lines = text.lines();
        let Some(header) = lines.next() else {
            return false;
        };
        let layers = self.sizes.len().saturating_sub(1);
        let mut fields = header.split(',');
        let expected = [
            "optimizer",
            "epoch",
            "train_loss",
            "train_accuracy",
            "test_loss",
            "test_accuracy",
            "seconds",
        ];
        if !expected.iter().all(|e| fields.next() == Some(e))
            || !(1..=layers).all(|l| {
                fields
                    .next()
                    .and_then(|f| f.strip_prefix("grad_norm_"))
                    .and_then(|n| n.parse::<usize>().ok())
                    == Some(l)
            })
            || fields.next().is_some()
        {
            return false;
        }
        let same = |field: Option<&str>, v: f64| {
            field
                .and_then(|f| f.parse::<f64>().ok())
                .is_some_and(|x| x.to_bits() == v.to_bits() || (x.is_nan() && v.is_nan()))
        };
        for r in &self.runs {
            for m in &r.epochs {
                let Some(line) = lines.next() else {
                    return false;
                };
                let mut f = line.split(',');
                if f.next() != Some(r.optimizer.as_str())
                    || f.next().and_then(|e| e.parse::<u64>().ok()) != Some(m.epoch)
                {
                    return false;
                }
                let values = [
                    m.train_loss,
                    m.train_accuracy,
                    m.test_loss,
                    m.test_accuracy,
                    m.seconds,
                ];
                if !values
                    .iter()
                    .chain(&m.grad_norms)
                    .all(|v| same(f.next(), *v))
                    || f.next().is_some()
                {
                    return false;
                }
            }
        }
        lines.next().is_none()
    }

    /// JSON, pretty-printed.
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads [`Results::json`] back; the error says what is wrong, on one line.
    pub fn from_json(text: &str) -> Result<Results, String> {
        let r: Results = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if r.format != FORMAT {
            return Err(format!(
                "format '{}' is not {FORMAT}, the format this stepwise reads",
                r.format
            ));
        }
        Ok(r)
    }
}

/// The format of `vanishing.json`.
pub const FORMAT: &str = "stepwise-vanishing/1";

/// The accuracy an optimizer must pass to have left chance level: twice chance (10 classes).
pub const LEFT_CHANCE: f64 = 0.2;

/// What one optimizer's run came to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The optimizer's name.
    pub optimizer: String,
    /// Epochs run.
    pub epochs: u64,
    /// Test accuracy after the last epoch.
    pub final_test_accuracy: f64,
    /// The best test accuracy and its epoch.
    pub best_test_accuracy: (f64, u64),
    /// The first epoch whose test accuracy passed [`LEFT_CHANCE`], if any.
    pub left_chance: Option<u64>,
    /// Train loss after the last epoch.
    pub final_train_loss: f64,
    /// Per layer, the mean gradient norm of the first epoch.
    pub first_grad_norms: Vec<f64>,
    /// Mean seconds per epoch.
    pub seconds_per_epoch: f64,
}

impl Results {
    /// One summary per optimizer that ran at least one epoch.
    pub fn summaries(&self) -> Vec<Summary> {
        self.runs
            .iter()
            .filter_map(|r| {
                let last = r.epochs.last()?;
                let best = r.epochs.iter().fold((f64::NEG_INFINITY, 0), |b, m| {
                    if m.test_accuracy > b.0 {
                        (m.test_accuracy, m.epoch)
                    } else {
                        b
                    }
                });
                Some(Summary {
                    optimizer: r.optimizer.clone(),
                    epochs: last.epoch,
                    final_test_accuracy: last.test_accuracy,
                    best_test_accuracy: best,
                    left_chance: r
                        .epochs
                        .iter()
                        .find(|m| m.test_accuracy > LEFT_CHANCE)
                        .map(|m| m.epoch),
                    final_train_loss: last.train_loss,
                    first_grad_norms: r.epochs[0].grad_norms.clone(),
                    seconds_per_epoch: r.epochs.iter().map(|m| m.seconds).sum::<f64>()
                        / r.epochs.len() as f64,
                })
            })
            .collect()
    }
}

/// Sees a run as it goes.
pub trait Observer {
    /// Before an optimizer's first epoch to run, `done` epochs being already there (resumed).
    fn start(&mut self, _optimizer: &str, _done: u64, _epochs: u64, _batches: usize) {}
    /// After every training step: the epoch, the batch (1-based) and the mean loss so far.
    fn step(&mut self, _optimizer: &str, _epoch: u64, _batch: usize, _loss: f64) {}
    /// After every epoch: the results so far and the checkpoint of the optimizer that ran it. An
    /// error stops the run.
    fn epoch(&mut self, results: &Results, checkpoint: &Checkpoint) -> Result<(), String>;
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data set.
    #[error(transparent)]
    Data(#[from] data::DataError),
    /// A checkpoint that does not fit the run.
    #[error("{0}")]
    Checkpoint(String),
    /// An update failed (never for f32 arithmetic, which has no errors; kept for rules that check).
    #[error("{0}")]
    Arithmetic(String),
    /// The observer failed (writing files).
    #[error("{0}")]
    Output(String),
}

/// What identifies a run, so that a checkpoint is used only for the run that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The optimizer's name in the exercise.
    pub optimizer: String,
    /// `id/form`.
    pub rule: String,
    /// `name=value` of every hyperparameter.
    pub hyperparameters: Vec<String>,
    /// Widths of the network.
    pub sizes: Vec<usize>,
    /// Batch size.
    pub batch_size: u64,
    /// Seed.
    pub seed: u64,
    /// Standard deviation of the initial weights.
    pub init_std: String,
    /// Training and test examples, and a hash of their labels (FNV-1a).
    pub data: (usize, usize, u64),
    /// How a batch is cut for its passes (the order of the float sums); empty in checkpoints of
    /// builds that did not say, which are refused.
    #[serde(default)]
    pub passes: String,
}

impl Fingerprint {
    fn of(plan: &Plan, run: &VanishingOptimizer, data: &FashionMnist) -> Fingerprint {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in data.train.labels.iter().chain(&data.test.labels) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Fingerprint {
            optimizer: run.name.clone(),
            rule: format!("{}/{}", run.info.id, run.info.form),
            hyperparameters: run.params.iter().map(|(n, v)| format!("{n}={v}")).collect(),
            sizes: plan.sizes.clone(),
            batch_size: plan.settings.batch_size,
            seed: plan.settings.seed,
            init_std: plan.settings.init_std.to_string(),
            data: (data.train.len(), data.test.len(), h),
            passes: format!(
                "shards of {} rows",
                mlp::shard_rows(train::capacity(plan, data))
            ),
        }
    }
}

/// The header of a checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckpointHeader {
    /// What made it.
    pub fingerprint: Fingerprint,
    /// Optimizer steps taken.
    pub steps: u64,
    /// Every finished epoch's numbers.
    pub metrics: Vec<EpochMetrics>,
    /// How many parameters and state numbers follow.
    pub lengths: (usize, usize),
}

/// An optimizer's run after an epoch: enough to go on exactly as if never stopped.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// Identity, steps, metrics.
    pub header: CheckpointHeader,
    /// The parameters.
    pub params: Vec<f32>,
    /// The optimizer's state, flat ([`crate::optim::Flat`]), component after component.
    pub state: Vec<f32>,
}

const CHECKPOINT_MAGIC: &[u8] = b"stepwise-vanishing-checkpoint/1\n";

impl Checkpoint {
    fn new(
        fingerprint: Fingerprint,
        steps: u64,
        metrics: &[EpochMetrics],
        params: &[f32],
        state: &[f32],
    ) -> Checkpoint {
        Checkpoint {
            header: CheckpointHeader {
                fingerprint,
                steps,
                metrics: metrics.to_vec(),
                lengths: (params.len(), state.len()),
            },
            params: params.to_vec(),
            state: state.to_vec(),
        }
    }

    /// The file name of an optimizer's checkpoint.
    pub fn file_name(optimizer: &str) -> String {
        format!("vanishing-{optimizer}.ckpt")
    }

    /// The bytes: a magic line, the header as one line of JSON, then the parameters and the state
    /// as little-endian f32.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = CHECKPOINT_MAGIC.to_vec();
        out.extend(serde_json::to_vec(&self.header).unwrap_or_default());
        out.push(b'\n');
        for x in self.params.iter().chain(&self.state) {
            out.extend(x.to_le_bytes());
        }
        out
    }

    /// Reads [`Checkpoint::to_bytes`] back.
    pub fn from_bytes(bytes: &[u8]) -> Result<Checkpoint, String> {
        let rest = bytes
            .strip_prefix(CHECKPOINT_MAGIC)
            .ok_or("not a stepwise checkpoint")?;
        let nl = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("truncated header")?;
        let header: CheckpointHeader =
            serde_json::from_slice(&rest[..nl]).map_err(|e| format!("bad header: {e}"))?;
        let body = &rest[nl + 1..];
        let (np, ns) = header.lengths;
        if np.checked_add(ns).and_then(|n| n.checked_mul(4)) != Some(body.len()) {
            return Err(format!(
                "truncated: {} bytes of numbers, the header announces {}",
                body.len(),
                (np + ns) * 4
            ));
        }
        let floats: Vec<f32> = body
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Ok(Checkpoint {
            params: floats[..np].to_vec(),
            state: floats[np..].to_vec(),
            header,
        })
    }
}

/// The initial parameters every optimizer starts from: the seed's weights, biases 0.
pub fn initial_params(plan: &Plan) -> Vec<f32> {
    mlp::Layout::new(&plan.sizes).init(
        plan.settings.init_std.to_f64(),
        &mut rng::Rng::new(plan.settings.seed, rng::WEIGHTS),
    )
}

/// The folder `--save-init` writes its `.npy` files into, inside the output folder.
pub const SAVED_DIR: &str = "vanishing-init";

/// The `.npy` files of `--save-init`, `(file name, bytes)`: every layer's initial weights and
/// biases under the names of the reference code's `state_dict` (`layers.0.weight.npy`, `(out, in)`
/// f4; `layers.0.bias.npy`, `(out,)` f4), and `order.npy`, `(epochs, train)` i8: row `e - 1` is the
/// order in which epoch `e` takes the `train` training examples, in batches of consecutive rows.
pub fn saved_arrays(plan: &Plan, train: usize) -> Result<Vec<(String, Vec<u8>)>, String> {
    let too_big = || "the arrays are too large for the .npy format".to_string();
    let layout = mlp::Layout::new(&plan.sizes);
    let params = initial_params(plan);
    let mut files = Vec::new();
    for (i, l) in layout.layers.iter().enumerate() {
        files.push((
            format!("layers.{i}.weight.npy"),
            npy::encode(&[l.output, l.input], &params[l.weights..l.bias]).ok_or_else(too_big)?,
        ));
        files.push((
            format!("layers.{i}.bias.npy"),
            npy::encode(&[l.output], &params[l.bias..l.end]).ok_or_else(too_big)?,
        ));
    }
    let epochs = usize::try_from(plan.settings.epochs).map_err(|_| too_big())?;
    let mut order_bytes = npy::header::<i64>(&[epochs, train]).ok_or_else(too_big)?;
    order_bytes.reserve(epochs.saturating_mul(train).saturating_mul(8));
    let mut order = vec![0u32; train];
    for epoch in 1..=plan.settings.epochs {
        rng::Rng::new(plan.settings.seed, epoch).permutation(&mut order);
        for &i in &order {
            order_bytes.extend(i64::from(i).to_le_bytes());
        }
    }
    files.push(("order.npy".to_string(), order_bytes));
    Ok(files)
}

/// Trains every optimizer of `plan` on `data`, in order. `resume` gives each optimizer's
/// checkpoint when there is one (its fingerprint must match the run: otherwise an error); an
/// optimizer whose checkpoint already has every epoch is not trained again.
pub fn run(
    plan: &Plan,
    data: &FashionMnist,
    mut resume: impl FnMut(&str) -> Option<Checkpoint>,
    observer: &mut dyn Observer,
) -> Result<Results, Error> {
    let s = &plan.settings;
    let mut results = Results {
        format: FORMAT.to_string(),
        sizes: plan.sizes.clone(),
        batch_size: s.batch_size,
        seed: s.seed,
        init_std: s.init_std.to_string(),
        examples: (data.train.len(), data.test.len()),
        runs: Vec::new(),
    };
    let init = initial_params(plan);
    for run in &s.optimizers {
        let fingerprint = Fingerprint::of(plan, run, data);
        let checkpoint = match resume(&run.name) {
            Some(c) if c.header.fingerprint != fingerprint => {
                return Err(Error::Checkpoint(format!(
                    "the checkpoint of '{}' was made with other settings, data or hyperparameters: run without --resume to start again",
                    run.name
                )))
            }
            other => other,
        };
        results.runs.push(RunResult {
            optimizer: run.name.clone(),
            id: run.info.id.to_string(),
            form: run.info.form.to_string(),
            hyperparameters: run
                .params
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            torch: torch_call(run.info, &run.params),
            epochs: Vec::new(),
        });
        train::train(train::Training {
            plan,
            run,
            fingerprint,
            data,
            init: &init,
            resume: checkpoint,
            results: &mut results,
            observer,
        })?;
    }
    Ok(results)
}

/// The form's `torch.optim` call with the run's values, over `model.parameters()`.
pub fn torch_call(info: &Info, params: &[(&'static str, crate::number::Num)]) -> Option<String> {
    info.torch.map(|t| {
        let mut s = t.to_string();
        // longest names first, so `@beta` does not eat into `@beta1`
        let mut sorted: Vec<_> = params.iter().collect();
        sorted.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        for (n, v) in sorted {
            s = s.replace(&format!("@{n}"), &v.to_string());
        }
        s.replace("params", "model.parameters()")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reads_back_bit_for_bit_even_after_divergence() {
        let metrics = vec![EpochMetrics {
            epoch: 3,
            train_loss: f64::NAN,
            train_accuracy: 0.1 + 0.2,
            test_loss: f64::INFINITY,
            test_accuracy: 1.0 / 3.0,
            seconds: 1e-300,
            grad_norms: vec![f64::NEG_INFINITY, 8.365059206243616e-5],
        }];
        let c = Checkpoint::new(
            Fingerprint {
                optimizer: "adam".into(),
                rule: "adam/paper".into(),
                hyperparameters: vec!["lr=0.01".into()],
                sizes: vec![784, 10],
                batch_size: 512,
                seed: 0,
                init_std: "0.05".into(),
                data: (6, 4, 99),
                passes: "shards of 128 rows".into(),
            },
            354,
            &metrics,
            &[1.5, -0.0, f32::MIN_POSITIVE],
            &[f32::NAN, 2.0],
        );
        let back = Checkpoint::from_bytes(&c.to_bytes()).unwrap();
        assert_eq!(back.header.fingerprint, c.header.fingerprint);
        assert_eq!(back.header.steps, 354);
        let m = &back.header.metrics[0];
        assert!(m.train_loss.is_nan());
        assert_eq!(m.train_accuracy.to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(m.test_loss, f64::INFINITY);
        assert_eq!(m.test_accuracy.to_bits(), (1.0f64 / 3.0).to_bits());
        assert_eq!(m.seconds, 1e-300);
        assert_eq!(m.grad_norms[0], f64::NEG_INFINITY);
        assert_eq!(m.grad_norms[1], 8.365059206243616e-5);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.params), bits(&c.params));
        assert_eq!(bits(&back.state), bits(&c.state));
        let bytes = c.to_bytes();
        assert!(Checkpoint::from_bytes(&bytes[..bytes.len() - 1])
            .unwrap_err()
            .starts_with("truncated"));
        assert_eq!(
            Checkpoint::from_bytes(b"hello").unwrap_err(),
            "not a stepwise checkpoint"
        );
    }
}
