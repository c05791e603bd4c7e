//! The training loop, generic over the optimizer: for every epoch, the batches in that epoch's order,
//! each a forward and backward pass ([`Net::gradient`]) and one update of every parameter through the
//! registered rule ([`optim::apply`]); then the test set; then the epoch's metrics and a checkpoint.

use super::data::{FashionMnist, Split, PIXELS};
use super::kernels;
use super::mlp::{Layout, Net};
use super::rng::Rng;
use super::{Checkpoint, EpochMetrics, Error, Fingerprint, Observer, Plan, Results};
use crate::optim::{self, Flat, Rule, StepError, Visit};
use crate::spec::VanishingOptimizer;
use rayon::prelude::*;
use std::time::Instant;

/// Copies the examples `rows` of `split` into the network's input (pixels / 255) and their labels
/// into `labels`.
fn gather(split: &Split, rows: &[u32], net: &mut Net<f32>, labels: &mut [u8]) {
    net.fill_input(rows.len(), |k, x| {
        let i = rows[k] as usize;
        kernels::pixels(x, &split.images[i * PIXELS..(i + 1) * PIXELS]);
    });
    for (l, &i) in labels.iter_mut().zip(rows) {
        *l = split.labels[i as usize];
    }
}

/// The largest batch of a run: the batch size, or the larger split when that is smaller.
pub(super) fn capacity(plan: &Plan, data: &FashionMnist) -> usize {
    usize::try_from(plan.settings.batch_size)
        .unwrap_or(usize::MAX)
        .max(1)
        .min(data.train.len().max(data.test.len()).max(1))
}

/// Parameters per task of an update.
const UPDATE_CHUNK: usize = 16_384;

/// One step of rule `O` over every parameter ([`optim::apply`]), a stretch of parameters per task
/// on the net's threads; the first error of the stretches in order.
fn update<O: Rule>(
    net: &Net<f32>,
    hp: &[f64],
    state: &mut [O::State<f32>],
    t: u64,
    grad: &[f32],
    params: &mut [f32],
) -> Result<(), StepError> {
    if !net.parallel() {
        return optim::apply::<O, f32>(hp, state, t, grad, params);
    }
    net.install(|| {
        params
            .par_chunks_mut(UPDATE_CHUNK)
            .zip(state.par_chunks_mut(UPDATE_CHUNK))
            .zip(grad.par_chunks(UPDATE_CHUNK))
            .map(|((w, st), g)| optim::apply::<O, f32>(hp, st, t, g, w))
            .find_first(Result::is_err)
            .unwrap_or(Ok(()))
    })
}

/// One optimizer's run: `visit` is called with its rule's type.
pub(super) struct Training<'a> {
    pub(super) plan: &'a Plan,
    pub(super) run: &'a VanishingOptimizer,
    pub(super) fingerprint: Fingerprint,
    pub(super) data: &'a FashionMnist,
    pub(super) init: &'a [f32],
    pub(super) resume: Option<Checkpoint>,
    /// The results so far; this run's is the last, and its epochs are filled in here.
    pub(super) results: &'a mut Results,
    pub(super) observer: &'a mut dyn Observer,
}

/// The state of every component from a checkpoint's flat numbers.
fn restore<O: Rule>(run: &str, flat: &[f32], n: usize) -> Result<Vec<O::State<f32>>, Error> {
    let len = <O::State<f32> as Flat<f32>>::LEN;
    if len == 0 {
        return Ok(vec![O::init(); n]);
    }
    if flat.len() != n * len {
        return Err(Error::Checkpoint(format!(
            "the checkpoint of '{run}' has {} state numbers, the optimizer needs {}",
            flat.len(),
            n * len
        )));
    }
    flat.chunks_exact(len)
        .map(<O::State<f32> as Flat<f32>>::unflatten)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| Error::Checkpoint(format!("the checkpoint of '{run}' is cut short")))
}

impl Visit for Training<'_> {
    type Out = Result<(), Error>;

    fn visit<O: Rule>(self) -> Self::Out {
        let Training {
            plan,
            run,
            fingerprint,
            data,
            init,
            resume,
            results,
            observer,
        } = self;
        let settings = &plan.settings;
        let layout = Layout::new(&plan.sizes);
        let n = layout.len();
        let hp: Vec<f64> = run.params.iter().map(|(_, v)| v.to_f64()).collect();
        let (mut params, mut state, mut steps) = match resume {
            Some(c) => {
                let state = restore::<O>(&run.name, &c.state, n)?;
                if let Some(r) = results.runs.last_mut() {
                    r.epochs = c.header.metrics;
                }
                (c.params, state, c.header.steps)
            }
            None => (init.to_vec(), vec![O::init::<f32>(); n], 0),
        };
        if params.len() != n {
            return Err(Error::Checkpoint(format!(
                "the checkpoint of '{}' has {} parameters, the network {n}",
                run.name,
                params.len()
            )));
        }
        let mut net = Net::<f32>::new(&layout, capacity(plan, data), plan.threads);
        let bs = net.capacity();
        let mut grad = vec![0.0f32; n];
        let mut labels = vec![0u8; bs];
        let mut order = vec![0u32; data.train.len()];
        let test_order: Vec<u32> = (0..data.test.len() as u32).collect();
        let batches = data.train.len().div_ceil(bs);
        let mut flat = Vec::with_capacity(n * <O::State<f32> as Flat<f32>>::LEN);
        let done = results.runs.last().map_or(0, |r| r.epochs.len() as u64);
        observer.start(&run.name, done, settings.epochs, batches);
        for epoch in done + 1..=settings.epochs {
            let started = Instant::now();
            Rng::new(settings.seed, epoch).permutation(&mut order);
            let (mut loss, mut right, mut seen) = (0.0, 0, 0);
            let mut norms = vec![0.0f64; layout.layers.len()];
            for (b, rows) in order.chunks(bs).enumerate() {
                gather(&data.train, rows, &mut net, &mut labels);
                let (l, r) = net.gradient(&params, &labels, rows.len(), &mut grad);
                loss += l;
                right += r;
                seen += rows.len();
                for (norm, at) in norms.iter_mut().zip(&layout.layers) {
                    *norm += kernels::sum_squares(&grad[at.weights..at.end]).sqrt();
                }
                steps += 1;
                update::<O>(&net, &hp, &mut state, steps, &grad, &mut params).map_err(|e| {
                    Error::Arithmetic(format!(
                        "{}, epoch {epoch}, step {steps}: {}: {}",
                        run.name, e.quantity, e.error
                    ))
                })?;
                observer.step(&run.name, epoch, b + 1, loss / seen as f64);
            }
            let (mut test_loss, mut test_right) = (0.0, 0);
            for rows in test_order.chunks(bs) {
                gather(&data.test, rows, &mut net, &mut labels);
                let (l, r) = net.evaluate(&params, &labels, rows.len());
                test_loss += l;
                test_right += r;
            }
            let (ntrain, ntest) = (seen.max(1) as f64, data.test.len().max(1) as f64);
            let metrics = EpochMetrics {
                epoch,
                train_loss: loss / ntrain,
                train_accuracy: right as f64 / ntrain,
                test_loss: test_loss / ntest,
                test_accuracy: test_right as f64 / ntest,
                seconds: started.elapsed().as_secs_f64(),
                grad_norms: norms.iter().map(|s| s / batches.max(1) as f64).collect(),
            };
            let Some(current) = results.runs.last_mut() else {
                return Err(Error::Output("no run to record into".into()));
            };
            current.epochs.push(metrics);
            flat.clear();
            for s in &state {
                s.flatten(&mut flat);
            }
            let checkpoint =
                Checkpoint::new(fingerprint.clone(), steps, &current.epochs, &params, &flat);
            observer
                .epoch(results, &checkpoint)
                .map_err(Error::Output)?;
        }
        Ok(())
    }
}

/// Runs `t.run` with its rule.
pub(super) fn train(t: Training<'_>) -> Result<(), Error> {
    let info = t.run.info;
    optim::dispatch(info, t).unwrap_or_else(|| {
        Err(Error::Arithmetic(format!(
            "no rule registered for {} ({})",
            info.id, info.form
        )))
    })
}
