//! Speed of the vanishing-gradient experiment (exercise 5): one training epoch of the course's
//! network on data of FashionMNIST's size (60,000 + 10,000 examples; random pixels, as the time does
//! not depend on them), the parts of a step, and each optimizer's update over the whole parameter
//! buffer. The README's table reports the epoch times and the GFLOP/s they come to. Run with
//! `cargo bench --bench vanishing`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;
use stepwise::optim::{self, Rule, Visit};
use stepwise::spec::{vanishing_optimizer, Vanishing};
use stepwise::vanishing::data::{FashionMnist, Split, PIXELS};
use stepwise::vanishing::mlp::{Layout, Net, SIZES};
use stepwise::vanishing::rng::Rng;
use stepwise::vanishing::{self, Checkpoint, Observer, Plan, Results};

fn split(n: usize, rng: &mut Rng) -> Split {
    Split {
        images: (0..n * PIXELS).map(|_| rng.below(256) as u8).collect(),
        labels: (0..n).map(|_| rng.below(10) as u8).collect(),
    }
}

struct Quiet;

impl Observer for Quiet {
    fn epoch(&mut self, _: &Results, _: &Checkpoint) -> Result<(), String> {
        Ok(())
    }
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn epoch(c: &mut Criterion) {
    let mut rng = Rng::new(1, 0);
    let data = FashionMnist {
        dir: "synthetic".into(),
        train: split(60_000, &mut rng),
        test: split(10_000, &mut rng),
    };
    let lr = Vanishing::default().lr;
    let layout = Layout::new(&SIZES);
    // multiply-adds: forward 1x, backward 2x (weights and inputs; the first layer's inputs need none)
    let first = SIZES[0] * SIZES[1];
    let flops = 2 * (60_000 * (3 * layout.macs() - first) + 10_000 * layout.macs());
    let mut g = c.benchmark_group("vanishing epoch");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(flops as u64));
    for name in ["sgd", "momentum", "rmsprop", "adam", "adopt"] {
        let settings = Vanishing {
            epochs: 1,
            optimizers: vec![vanishing_optimizer(name, &lr, &[]).unwrap()],
            ..Vanishing::default()
        };
        let plan = Plan::new(settings, threads());
        g.bench_function(name, |b| {
            b.iter(|| vanishing::run(&plan, black_box(&data), |_| None, &mut Quiet).unwrap())
        });
    }
    g.finish();
}

fn step(c: &mut Criterion) {
    let layout = Layout::new(&SIZES);
    let mut rng = Rng::new(2, 0);
    let params: Vec<f32> = layout.init(0.05, &mut rng);
    let mut net = Net::<f32>::new(&layout, 512, threads());
    for x in net.input_mut() {
        *x = rng.uniform() as f32;
    }
    let labels: Vec<u8> = (0..512).map(|_| rng.below(10) as u8).collect();
    let mut grad = vec![0.0f32; params.len()];
    let mut g = c.benchmark_group("vanishing step (batch 512)");
    g.bench_function("forward", |b| {
        b.iter(|| net.evaluate(black_box(&params), &labels, 512))
    });
    g.bench_function("forward and backward", |b| {
        b.iter(|| net.gradient(black_box(&params), &labels, 512, &mut grad))
    });
    g.finish();
}

struct Update<'a>(&'a mut Criterion, &'static str, Vec<f64>);

impl Visit for Update<'_> {
    type Out = ();
    fn visit<O: Rule>(self) {
        let n = Layout::new(&SIZES).len();
        let mut rng = Rng::new(3, 0);
        let grad: Vec<f32> = (0..n).map(|_| 0.01 * rng.normal() as f32).collect();
        let mut params = vec![0.0f32; n];
        let mut state = vec![O::init::<f32>(); n];
        let mut t = 0;
        let mut g = self
            .0
            .benchmark_group("vanishing update (167,818 parameters)");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(self.1, |b| {
            b.iter(|| {
                t += 1;
                optim::apply::<O, f32>(&self.2, &mut state, t, black_box(&grad), &mut params)
            })
        });
        g.finish();
    }
}

fn update(c: &mut Criterion) {
    let lr = Vanishing::default().lr;
    for name in ["sgd", "momentum", "rmsprop", "adam", "adopt"] {
        let o = vanishing_optimizer(name, &lr, &[]).unwrap();
        let hp = o.params.iter().map(|(_, v)| v.to_f64()).collect();
        optim::dispatch(o.info, Update(c, name, hp));
    }
}

/// The machine's GEMM peak, for comparison: a square f32 product of 1024, on every core.
fn peak(c: &mut Criterion) {
    let n = 1024;
    let (a, b) = (vec![1.0f32; n * n], vec![0.5f32; n * n]);
    let mut dst = vec![0.0f32; n * n];
    let mut g = c.benchmark_group("gemm peak");
    g.throughput(Throughput::Elements(2 * (n * n * n) as u64));
    g.bench_function("f32 1024 x 1024 x 1024", |bn| {
        bn.iter(|| {
            // SAFETY: three n x n row-major buffers, dst apart from both operands
            unsafe {
                gemm::gemm(
                    n,
                    n,
                    n,
                    dst.as_mut_ptr(),
                    1,
                    n as isize,
                    false,
                    a.as_ptr(),
                    1,
                    n as isize,
                    b.as_ptr(),
                    1,
                    n as isize,
                    0.0,
                    1.0,
                    false,
                    false,
                    false,
                    gemm::Parallelism::Rayon(threads()),
                )
            }
        })
    });
    g.finish();
}

criterion_group!(benches, update, step, epoch, peak);
criterion_main!(benches);
