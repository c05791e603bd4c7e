//! The network of the experiment and its forward and backward passes, by hand over `gemm`.
//!
//! A fully connected network with `sizes = [784, 128, 128, 128, 128, 128, 10]`: each layer `l` maps
//! `a_{l-1}` to `z_l = a_{l-1} W_lᵀ + b_l` (`W_l` is `out x in`, row-major, as `torch.nn.Linear`
//! stores it); hidden layers apply the sigmoid, `a_l = σ(z_l)`; the last gives the logits. The loss is
//! the mean cross-entropy of the batch, `log Σ_j exp(z_j) - z_y`. Backward, with `δ_L = (softmax(z_L)
//! - onehot(y)) / rows`:
//!
//! ```text
//! ∂W_l = δ_lᵀ a_{l-1}     ∂b_l = Σ_rows δ_l     δ_{l-1} = (δ_l W_l) ⊙ a_{l-1} ⊙ (1 - a_{l-1})
//! ```
//!
//! The parameters of all layers live in one buffer, `[W_1, b_1, W_2, b_2, ...]` ([`Layout`]), and so
//! do their gradients, so an optimizer runs over the whole model in one loop. A batch is cut into
//! shards of [`SHARD_ROWS`] rows ([`shard_rows`]), each passed forward and backward on one core with single-threaded
//! products (small products split across cores spend their time waking threads); the shards'
//! gradients are added in order, so the numbers do not depend on the thread count. [`Net`] owns
//! every work buffer, sized once for the largest batch: a training step allocates nothing here
//! (`gemm` packs its operands into buffers of its own). The element-wise loops are in
//! [`kernels`](super::kernels), compiled for the CPU's vector width. The code is
//! generic over [`Real`] so the tests can check the f32 gradients against finite differences in f64.

use super::kernels;
use gemm::Parallelism;
use rayon::prelude::*;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub};

/// The course's network: 784 inputs, five hidden layers of 128, 10 outputs.
pub const SIZES: [usize; 7] = [784, 128, 128, 128, 128, 128, 10];

/// The float types the network runs in: `f32` (training) and `f64` (checks).
pub trait Real:
    Copy
    + Default
    + PartialOrd
    + Send
    + Sync
    + std::fmt::Debug
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// From f64, rounded.
    fn from_f64(x: f64) -> Self;
    /// To f64, exactly.
    fn to_f64(self) -> f64;
    /// e^self.
    fn exp(self) -> Self;
    /// e^self in a form the compiler vectorizes, for the sigmoid (f32: within 2 ulp of `exp` on
    /// [-87, 88], and e^-87 below, e^88 above; f64: `exp`).
    fn exp_vec(self) -> Self;
    /// The natural logarithm.
    fn ln(self) -> Self;
}

macro_rules! real {
    ($t:ty, $exp_vec:expr) => {
        impl Real for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
            fn exp(self) -> Self {
                <$t>::exp(self)
            }
            fn ln(self) -> Self {
                <$t>::ln(self)
            }
            #[inline(always)]
            fn exp_vec(self) -> Self {
                $exp_vec(self)
            }
        }
    };
}
real!(f32, exp_f32);
real!(f64, f64::exp);

/// e^x for f32 without a library call, so that a loop of sigmoids vectorizes: x = n ln 2 + r with
/// |r| <= ln 2 / 2 (n rounded to nearest), e^r by Cephes' `expf` polynomial, 2^n by building the exponent bits.
#[inline(always)]
fn exp_f32(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    // ln 2 in two parts, so that n · LN2_HI is exact
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // adding and taking away 1.5 · 2^23 rounds to the nearest integer in plain float arithmetic (a
    // `round` or `floor` would be a library call on baseline x86-64, which stops vectorization)
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let shifted = x * LOG2E + ROUND;
    let n = shifted - ROUND;
    let r = x - n * LN2_HI - n * LN2_LO;
    let p = 1.987_569_1e-4_f32;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 0.5;
    let e = p * r * r + r + 1.0;
    // n is in [-126, 127] after the clamp, and `shifted` = 1.5 · 2^23 + n holds it in its low
    // mantissa bits: the biased exponent n + 127 by integer arithmetic (a float-to-integer `as`
    // saturates, which does not vectorize), a normal power of two
    let biased = shifted
        .to_bits()
        .wrapping_sub(ROUND.to_bits())
        .wrapping_add(127);
    e * f32::from_bits(biased << 23)
}

/// Where one layer's parameters are in the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerAt {
    /// Inputs.
    pub input: usize,
    /// Outputs.
    pub output: usize,
    /// Offset of `W` (`output x input`, row-major).
    pub weights: usize,
    /// Offset of `b` (`output`), right after `W`.
    pub bias: usize,
    /// One past the layer's last parameter.
    pub end: usize,
}

/// The layers of a network and where their parameters are in the one buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Widths, input first.
    pub sizes: Vec<usize>,
    /// One per layer, in order.
    pub layers: Vec<LayerAt>,
}

impl Layout {
    /// The layout of a network of widths `sizes` (at least two).
    pub fn new(sizes: &[usize]) -> Layout {
        let mut at = 0;
        let layers = sizes
            .windows(2)
            .map(|w| {
                let l = LayerAt {
                    input: w[0],
                    output: w[1],
                    weights: at,
                    bias: at + w[0] * w[1],
                    end: at + w[0] * w[1] + w[1],
                };
                at = l.end;
                l
            })
            .collect();
        Layout {
            sizes: sizes.to_vec(),
            layers,
        }
    }

    /// Every parameter.
    pub fn len(&self) -> usize {
        self.layers.last().map_or(0, |l| l.end)
    }

    /// Whether there is no parameter.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Multiply-adds of one example's forward pass.
    pub fn macs(&self) -> usize {
        self.layers.iter().map(|l| l.input * l.output).sum()
    }

    /// Initial parameters: weights from `Normal(0, std)` drawn in buffer order, biases 0.
    pub fn init<T: Real>(&self, std: f64, rng: &mut super::rng::Rng) -> Vec<T> {
        let mut p = vec![T::ZERO; self.len()];
        for l in &self.layers {
            for w in &mut p[l.weights..l.bias] {
                *w = T::from_f64(std * rng.normal());
            }
        }
        p
    }
}

/// `dst = lhs · rhs` for `m x k` times `k x n`, each matrix given by its slice and its (row, column)
/// strides; `dst` is row-major with `n` columns. Checks every operand's extent, then calls `gemm`.
#[allow(clippy::too_many_arguments)]
fn matmul<T: Real>(
    (m, n, k): (usize, usize, usize),
    dst: &mut [T],
    lhs: &[T],
    (lhs_rs, lhs_cs): (usize, usize),
    rhs: &[T],
    (rhs_rs, rhs_cs): (usize, usize),
) {
    if m == 0 || n == 0 {
        return;
    }
    let extent =
        |rows: usize, cols: usize, rs: usize, cs: usize| (rows - 1) * rs + (cols - 1) * cs + 1;
    assert!(k > 0, "an empty inner dimension");
    assert!(dst.len() >= extent(m, n, n, 1), "dst too small");
    assert!(lhs.len() >= extent(m, k, lhs_rs, lhs_cs), "lhs too small");
    assert!(rhs.len() >= extent(k, n, rhs_rs, rhs_cs), "rhs too small");
    // SAFETY: every index gemm reads or writes is inside the slices (checked above); `dst` is a
    // unique borrow, so it overlaps neither operand; T is f32 or f64, which gemm supports.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            false,
            lhs.as_ptr(),
            lhs_cs as isize,
            lhs_rs as isize,
            rhs.as_ptr(),
            rhs_cs as isize,
            rhs_rs as isize,
            T::ZERO,
            T::ONE,
            false,
            false,
            false,
            Parallelism::None,
        );
    }
}

/// A batch is cut into shards of this many rows (the last one shorter when the batch is), each
/// passed forward and backward on its own, on whichever core is free; the shards' gradients are then
/// added in shard order. The numbers so do not depend on how many threads run.
pub const SHARD_ROWS: usize = 128;

/// At most this many shards: a larger batch has longer ones ([`shard_rows`]), so that the shards'
/// gradients (one buffer each) stay few.
pub const MAX_SHARDS: usize = 16;

/// The rows of a shard for batches of up to `capacity` rows: [`SHARD_ROWS`], or more when that
/// would make more than [`MAX_SHARDS`] shards. It depends on the batch size alone.
pub fn shard_rows(capacity: usize) -> usize {
    SHARD_ROWS.max(capacity.div_ceil(MAX_SHARDS))
}

/// One shard's work buffers and results.
struct Shard<T> {
    /// `act[l]` is the output of layer `l` (after the sigmoid; the logits for the last layer);
    /// `act[0]` is unused (the input rows are read from the batch's input).
    act: Vec<Vec<T>>,
    /// `δ` of the current layer and of the one below, swapped as the pass goes down.
    delta: Vec<T>,
    below: Vec<T>,
    /// The shard's part of the gradient, laid out as the parameters.
    grad: Vec<T>,
    /// Its summed loss and right count.
    loss: f64,
    right: usize,
}

impl<T: Real> Shard<T> {
    fn new(layout: &Layout, rows: usize) -> Shard<T> {
        // δ is taken for the outputs of layers 1 and up, never for the inputs
        let widest = layout.sizes.iter().skip(1).copied().max().unwrap_or(0);
        Shard {
            act: layout
                .sizes
                .iter()
                .enumerate()
                .map(|(l, &s)| vec![T::ZERO; if l == 0 { 0 } else { rows * s }])
                .collect(),
            delta: vec![T::ZERO; rows * widest],
            below: vec![T::ZERO; rows * widest],
            grad: vec![T::ZERO; layout.len()],
            loss: 0.0,
            right: 0,
        }
    }

    /// The forward pass of `input` (`rows` rows).
    fn forward(&mut self, layout: &Layout, params: &[T], input: &[T], rows: usize) {
        let last = layout.layers.len() - 1;
        for (l, at) in layout.layers.iter().enumerate() {
            let (before, after) = self.act.split_at_mut(l + 1);
            let x = if l == 0 { input } else { &before[l][..] };
            let z = &mut after[0][..rows * at.output];
            // z = x · Wᵀ: Wᵀ is W read with row stride 1 and column stride `input`
            matmul(
                (rows, at.output, at.input),
                z,
                x,
                (at.input, 1),
                &params[at.weights..at.bias],
                (1, at.input),
            );
            let b = &params[at.bias..at.end];
            if l == last {
                kernels::bias_add(z, b);
            } else {
                kernels::bias_sigmoid(z, b);
            }
        }
    }

    /// The cross-entropy summed over the shard's `labels`, in f64, and how many the logits
    /// classify right (argmax, the first on ties), into `loss` and `right`; with `scale`, `delta`
    /// receives `δ_L` for the batch's mean loss (`scale` = 1 / the batch's rows).
    fn loss(&mut self, classes: usize, labels: &[u8], scale: Option<T>) {
        let logits = &self.act[self.act.len() - 1];
        let (mut sum, mut right) = (0.0f64, 0usize);
        for (r, &y) in labels.iter().enumerate() {
            let z = &logits[r * classes..(r + 1) * classes];
            let y = usize::from(y);
            let (mut best, mut arg) = (z[0], 0);
            for (j, &v) in z.iter().enumerate().skip(1) {
                if v > best {
                    best = v;
                    arg = j;
                }
            }
            right += usize::from(arg == y);
            let mut s = T::ZERO;
            for &v in z {
                s += (v - best).exp();
            }
            sum += (best + s.ln() - z[y]).to_f64();
            if let Some(scale) = scale {
                let d = &mut self.delta[r * classes..(r + 1) * classes];
                for (j, (d, &v)) in d.iter_mut().zip(z).enumerate() {
                    let p = (v - best).exp() / s;
                    *d = (if j == y { p - T::ONE } else { p }) * scale;
                }
            }
        }
        self.loss = sum;
        self.right = right;
    }

    /// Forward, loss and, with `scale`, backward into `grad`.
    fn pass(
        &mut self,
        layout: &Layout,
        params: &[T],
        input: &[T],
        labels: &[u8],
        scale: Option<T>,
    ) {
        let rows = labels.len();
        self.forward(layout, params, input, rows);
        self.loss(*layout.sizes.last().unwrap_or(&0), labels, scale);
        if scale.is_none() {
            return;
        }
        for (l, at) in layout.layers.iter().enumerate().rev() {
            let x = if l == 0 { input } else { &self.act[l][..] };
            let d = &self.delta[..rows * at.output];
            // ∂W = δᵀ · x: δᵀ is δ read with row stride 1 and column stride `output`
            matmul(
                (at.output, at.input, rows),
                &mut self.grad[at.weights..at.bias],
                d,
                (1, at.output),
                x,
                (at.input, 1),
            );
            kernels::column_sums(d, &mut self.grad[at.bias..at.end]);
            if l == 0 {
                break;
            }
            // δ_below = (δ · W) ⊙ x ⊙ (1 - x), x being the sigmoid output of the layer below
            let below = &mut self.below[..rows * at.input];
            matmul(
                (rows, at.input, at.output),
                below,
                d,
                (at.output, 1),
                &params[at.weights..at.bias],
                (at.input, 1),
            );
            kernels::through_sigmoid(below, &x[..rows * at.input]);
            std::mem::swap(&mut self.delta, &mut self.below);
        }
    }
}

/// The network's work buffers for batches of up to `capacity` rows, and the threads that run the
/// shards.
pub struct Net<T> {
    layout: Layout,
    capacity: usize,
    /// Rows of a shard ([`shard_rows`]).
    shard: usize,
    /// The input batch, `capacity` rows of `sizes[0]`.
    input: Vec<T>,
    shards: Vec<Shard<T>>,
    /// `None` for one thread.
    pool: Option<rayon::ThreadPool>,
}

impl<T: Real> Net<T> {
    /// Buffers for `layout` and batches of up to `capacity` rows; `threads` to run the shards on.
    pub fn new(layout: &Layout, capacity: usize, threads: usize) -> Net<T> {
        let shard = shard_rows(capacity);
        let shards = capacity.div_ceil(shard).max(1);
        Net {
            input: vec![T::ZERO; capacity * layout.sizes.first().copied().unwrap_or(0)],
            shards: (0..shards)
                .map(|_| Shard::new(layout, shard.min(capacity)))
                .collect(),
            layout: layout.clone(),
            capacity,
            shard,
            // with no pool (one thread wanted, or none could be started) the shards run in turn
            pool: (threads > 1)
                .then(|| {
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .ok()
                })
                .flatten(),
        }
    }

    /// The input batch to fill: `capacity` rows of `sizes[0]`.
    pub fn input_mut(&mut self) -> &mut [T] {
        &mut self.input
    }

    /// Fills the first `rows` rows of the input batch, row `k` by `fill(k, row)`, on the net's
    /// threads.
    pub fn fill_input(&mut self, rows: usize, fill: impl Fn(usize, &mut [T]) + Sync + Send) {
        let width = self.layout.sizes[0].max(1);
        let input = &mut self.input[..rows * width];
        match &self.pool {
            Some(pool) => pool.install(|| {
                input
                    .par_chunks_mut(width)
                    .with_min_len(16)
                    .enumerate()
                    .for_each(|(k, row)| fill(k, row))
            }),
            None => input
                .chunks_mut(width)
                .enumerate()
                .for_each(|(k, row)| fill(k, row)),
        }
    }

    /// The largest batch.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Runs `f` on the net's threads (for work beside the passes, such as the update).
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(pool) => pool.install(f),
            None => f(),
        }
    }

    /// Whether more than one thread runs.
    pub fn parallel(&self) -> bool {
        self.pool.is_some()
    }

    /// Every shard of the first `rows` rows through [`Shard::pass`]; the summed loss and right
    /// count, shard by shard in order.
    fn passes(&mut self, params: &[T], labels: &[u8], rows: usize, backward: bool) -> (f64, usize) {
        assert!(rows <= self.capacity && params.len() == self.layout.len());
        let width = self.layout.sizes[0];
        let scale = backward.then(|| T::ONE / T::from_f64(rows as f64));
        let (layout, input, each) = (&self.layout, &self.input, self.shard);
        let count = rows.div_ceil(each);
        let work = |(i, shard): (usize, &mut Shard<T>)| {
            let rows = i * each..rows.min((i + 1) * each);
            shard.pass(
                layout,
                params,
                &input[rows.start * width..rows.end * width],
                &labels[rows],
                scale,
            );
        };
        let shards = &mut self.shards[..count];
        match &self.pool {
            Some(pool) if count > 1 => {
                pool.install(|| shards.par_iter_mut().enumerate().for_each(work))
            }
            _ => shards.iter_mut().enumerate().for_each(work),
        }
        shards
            .iter()
            .fold((0.0, 0), |(l, r), s| (l + s.loss, r + s.right))
    }

    /// Forward only: the summed loss and the right count of the first `rows` examples.
    pub fn evaluate(&mut self, params: &[T], labels: &[u8], rows: usize) -> (f64, usize) {
        self.passes(params, labels, rows, false)
    }

    /// One training pass over the first `rows` examples: the summed loss and right count (before any
    /// update), and in `grad` (laid out as the parameters) the gradient of the batch's mean loss.
    pub fn gradient(
        &mut self,
        params: &[T],
        labels: &[u8],
        rows: usize,
        grad: &mut [T],
    ) -> (f64, usize) {
        assert!(grad.len() == params.len() && rows > 0);
        let out = self.passes(params, labels, rows, true);
        let shards = &self.shards[..rows.div_ceil(self.shard)];
        // the shards' gradients added in shard order, a stretch of parameters per task
        let add = |(k, g): (usize, &mut [T])| {
            let at = k * REDUCE;
            g.copy_from_slice(&shards[0].grad[at..at + g.len()]);
            for s in &shards[1..] {
                kernels::add_into(g, &s.grad[at..at + g.len()]);
            }
        };
        match &self.pool {
            Some(pool) => pool.install(|| grad.par_chunks_mut(REDUCE).enumerate().for_each(add)),
            None => grad.chunks_mut(REDUCE).enumerate().for_each(add),
        }
        out
    }
}

/// Parameters per task when the shards' gradients are added up.
const REDUCE: usize = 16_384;

#[cfg(test)]
mod tests {
    use super::super::rng::Rng;
    use super::*;

    /// A small network, its parameters and a batch, in type T.
    fn setup<T: Real>(sizes: &[usize], rows: usize) -> (Layout, Net<T>, Vec<T>, Vec<u8>) {
        let layout = Layout::new(sizes);
        let mut rng = Rng::new(3, 0);
        // larger weights than the experiment's so that every layer's gradient is well above rounding
        let mut params: Vec<T> = layout.init(0.5, &mut rng);
        for p in &mut params {
            if *p == T::ZERO {
                *p = T::from_f64(0.1 * rng.normal());
            }
        }
        let mut net = Net::new(&layout, rows, 1);
        for x in net.input_mut().iter_mut() {
            *x = T::from_f64(rng.uniform());
        }
        let classes = *sizes.last().unwrap();
        let labels = (0..rows).map(|_| rng.below(classes) as u8).collect();
        (layout, net, params, labels)
    }

    #[test]
    fn gradients_match_finite_differences_in_f64() {
        let sizes = [12, 7, 6, 5, 4];
        // three shards, the last one short, so that the gradient is the shards' parts added up
        let rows = 2 * SHARD_ROWS + 9;
        let (layout, mut net, mut params, labels) = setup::<f64>(&sizes, rows);
        let mut grad = vec![0.0; params.len()];
        net.gradient(&params, &labels, rows, &mut grad);
        let h = 1e-5;
        // central differences err by O(h²) from the third derivative and by about 1e-16 / h from
        // rounding the loss: 1e-10 at most here, far below the gradients themselves
        let mut worst = 0.0f64;
        for i in 0..params.len() {
            let keep = params[i];
            params[i] = keep + h;
            let up = net.evaluate(&params, &labels, rows).0 / rows as f64;
            params[i] = keep - h;
            let down = net.evaluate(&params, &labels, rows).0 / rows as f64;
            params[i] = keep;
            let fd = (up - down) / (2.0 * h);
            worst = worst.max((fd - grad[i]).abs() / (1e-9 + 1e-6 * grad[i].abs()));
        }
        assert!(worst < 1.0, "worst error {worst} (1 = 1e-9 + 1e-6 |g|)");
        let first = &grad[..layout.layers[0].end];
        assert!(first.iter().map(|g| g * g).sum::<f64>().sqrt() > 1e-4);
        assert_eq!(layout.len(), params.len());
    }

    #[test]
    fn a_sharded_batch_is_the_mean_of_its_rows() {
        // three shards, the last one short: the loss is the sum of the rows' losses, the gradient
        // the mean of their gradients, each row passed alone (so in the first shard's first row)
        let rows = 2 * SHARD_ROWS + 9;
        let (layout, mut net, params, labels) = setup::<f64>(&[12, 7, 6, 5, 4], rows);
        let mut grad = vec![0.0; params.len()];
        let (loss, right) = net.gradient(&params, &labels, rows, &mut grad);
        let input = net.input_mut().to_vec();
        let width = layout.sizes[0];
        let mut alone = Net::<f64>::new(&layout, 1, 1);
        let (mut sum, mut hits, mut mean) = (0.0, 0, vec![0.0; params.len()]);
        let mut g = vec![0.0; params.len()];
        for r in 0..rows {
            alone
                .input_mut()
                .copy_from_slice(&input[r * width..(r + 1) * width]);
            let (l, h) = alone.gradient(&params, &labels[r..=r], 1, &mut g);
            sum += l;
            hits += h;
            for (m, x) in mean.iter_mut().zip(&g) {
                *m += x / rows as f64;
            }
        }
        assert_eq!(right, hits);
        assert!((loss - sum).abs() <= 1e-12 * sum, "{loss} {sum}");
        let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let diff: Vec<f64> = grad.iter().zip(&mean).map(|(a, b)| a - b).collect();
        assert!(norm(&diff) <= 1e-12 * norm(&mean), "{}", norm(&diff));
        assert!(norm(&mean) > 1e-3);
    }

    #[test]
    fn large_batches_have_longer_shards_not_more() {
        assert_eq!(shard_rows(512), SHARD_ROWS);
        assert_eq!(shard_rows(SHARD_ROWS * MAX_SHARDS), SHARD_ROWS);
        assert_eq!(shard_rows(60_000), 3_750);
        assert!(60_000usize.div_ceil(shard_rows(60_000)) <= MAX_SHARDS);
    }

    #[test]
    fn the_numbers_do_not_depend_on_the_threads() {
        let rows = 3 * SHARD_ROWS + 5;
        let (layout, mut one, params, labels) = setup::<f32>(&[30, 16, 16, 10], rows);
        let mut three = Net::<f32>::new(&layout, rows, 3);
        assert!(three.parallel() && !one.parallel());
        three.input_mut().copy_from_slice(one.input_mut());
        let (mut g1, mut g3) = (vec![0.0; params.len()], vec![1.0; params.len()]);
        let a = one.gradient(&params, &labels, rows, &mut g1);
        let b = three.gradient(&params, &labels, rows, &mut g3);
        assert_eq!(a, b);
        assert_eq!(
            g1.iter().map(|g| g.to_bits()).collect::<Vec<_>>(),
            g3.iter().map(|g| g.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(
            one.evaluate(&params, &labels, rows - 1),
            three.evaluate(&params, &labels, rows - 1)
        );
    }

    #[test]
    fn f32_gradients_agree_with_f64_on_the_course_network() {
        let rows = 33;
        let (layout, mut n64, p64, labels) = setup::<f64>(&SIZES, rows);
        let mut n32 = Net::<f32>::new(&layout, rows, 2);
        for (a, &b) in n32.input_mut().iter_mut().zip(n64.input_mut().iter()) {
            *a = b as f32;
        }
        let p32: Vec<f32> = p64.iter().map(|&p| p as f32).collect();
        let (mut g64, mut g32) = (vec![0.0; p64.len()], vec![0.0f32; p64.len()]);
        let (l64, r64) = n64.gradient(&p64, &labels, rows, &mut g64);
        let (l32, r32) = n32.gradient(&p32, &labels, rows, &mut g32);
        assert!((l64 - l32).abs() < 1e-4 * l64.abs(), "{l64} {l32}");
        assert_eq!(r64, r32);
        for at in &layout.layers {
            let norm = |g: &[f64]| g.iter().map(|x| x * x).sum::<f64>().sqrt();
            let n = norm(&g64[at.weights..at.end]);
            let diff: Vec<f64> = g64[at.weights..at.end]
                .iter()
                .zip(&g32[at.weights..at.end])
                .map(|(a, &b)| a - f64::from(b))
                .collect();
            assert!(
                norm(&diff) < 1e-3 * n,
                "layer at {}: {} vs {n}",
                at.weights,
                norm(&diff)
            );
        }
    }

    #[test]
    fn the_vectorizable_exp_is_within_2_ulp() {
        let mut worst = 0.0f64;
        for i in 0..=2_000_000 {
            let x = -87.0 + 175.0 * i as f64 / 2_000_000.0;
            let (got, want) = (f64::from(exp_f32(x as f32)), (x as f32 as f64).exp());
            let ulp = f64::from(f32::EPSILON) * want;
            worst = worst.max((got - want).abs() / ulp);
        }
        assert!(worst <= 2.0, "{worst} ulp");
        assert_eq!(exp_f32(0.0), 1.0);
        assert_eq!(exp_f32(-1000.0), exp_f32(-87.0));
        assert!(exp_f32(1000.0).is_finite());
    }

    #[test]
    fn the_course_network_has_its_parameter_count() {
        // 784·128 + 128 + 4 (128·128 + 128) + 128·10 + 10
        assert_eq!(Layout::new(&SIZES).len(), 167_818);
    }
}
