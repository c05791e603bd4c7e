//! The seeded generator of the experiment: SplitMix64 (Steele, Lea and Flood), small, fast and the same
//! on every machine. Each use draws from its own stream, derived from the seed and a stream number, so
//! the initial weights and the batch order of every epoch are fixed by the seed alone: every optimizer
//! starts from the same weights and sees the same batches, and a resumed run needs no generator state.

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// The stream of the initial weights; epoch `e` shuffles with stream `e`.
pub const WEIGHTS: u64 = 0;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// Stream `stream` of seed `seed`.
    pub fn new(seed: u64, stream: u64) -> Rng {
        Rng(mix(seed ^ mix(stream.wrapping_add(0x9E37_79B9_7F4A_7C15))))
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `[0, 1)`, 53 bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform below `n` (Lemire's multiply; the bias is below 2^-32 for the sizes used here).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A standard normal draw (Box-Muller, one value per pair of uniforms).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform(); // in (0, 1]
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Fills `order` with a uniformly random permutation of `0..order.len()` (Fisher-Yates from the
    /// identity).
    pub fn permutation(&mut self, order: &mut [u32]) {
        for (i, o) in order.iter_mut().enumerate() {
            *o = i as u32;
        }
        for i in (1..order.len()).rev() {
            let j = self.below(i + 1);
            order.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_draws_have_mean_0_and_variance_1() {
        let mut r = Rng::new(7, WEIGHTS);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        // standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.015, "{var}");
    }

    #[test]
    fn permutations_are_permutations_and_streams_differ() {
        let (mut a, mut b) = (vec![0u32; 1000], vec![0u32; 1000]);
        Rng::new(1, 1).permutation(&mut a);
        Rng::new(1, 2).permutation(&mut b);
        assert_ne!(a, b);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..1000).collect::<Vec<u32>>());
        let mut again = vec![0u32; 1000];
        Rng::new(1, 1).permutation(&mut again);
        assert_eq!(a, again);
    }
}
