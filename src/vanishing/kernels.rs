//! The element-wise loops of a training step, compiled for the CPU's vector width.
//!
//! A release build targets baseline x86-64, whose vectors hold four floats. Each loop here is
//! compiled three times ([`vectorized!`]): for AVX-512, for AVX2 with FMA, and for the baseline; the
//! first the CPU has is chosen when the loop runs (a cached feature check). The three compute the
//! same numbers bit for bit: Rust never contracts `a * b + c` into a fused multiply-add on its own,
//! and none of these loops reorders a sum.

use super::mlp::Real;

/// The widest vector extension the CPU has: 2 for AVX-512, 1 for AVX2 with FMA, 0 for neither
/// (capped in tests, to run every variant on one machine).
#[cfg(target_arch = "x86_64")]
fn level() -> u8 {
    let have = if std::arch::is_x86_feature_detected!("avx512f") {
        2
    } else if std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
    {
        1
    } else {
        0
    };
    #[cfg(test)]
    let have = have.min(tests::CAP.with(std::cell::Cell::get));
    have
}

/// Defines `fn NAME(ARGS) -> R BODY` so that BODY runs compiled for the widest vectors the CPU has.
macro_rules! vectorized {
    ($(#[$m:meta])* $vis:vis fn $name:ident $(<$g:ident : $bound:path>)? ($($a:ident : $t:ty),* $(,)?) $(-> $r:ty)? $body:block) => {
        $(#[$m])*
        $vis fn $name $(<$g: $bound>)? ($($a: $t),*) $(-> $r)? {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                unsafe fn v4 $(<$g: $bound>)? ($($a: $t),*) $(-> $r)? $body
                #[target_feature(enable = "avx2,fma")]
                unsafe fn v3 $(<$g: $bound>)? ($($a: $t),*) $(-> $r)? $body
                match level() {
                    // SAFETY: the CPU has the feature v4 is compiled for
                    2 => return unsafe { v4 $(::<$g>)? ($($a),*) },
                    // SAFETY: the CPU has the features v3 is compiled for
                    1 => return unsafe { v3 $(::<$g>)? ($($a),*) },
                    _ => {}
                }
            }
            $body
        }
    };
}

/// The sigmoid.
#[inline(always)]
pub fn sigmoid<T: Real>(z: T) -> T {
    T::ONE / (T::ONE + (-z).exp_vec())
}

vectorized! {
    /// `z = σ(z + b)` for every row of `z` (rows of `b.len()`).
    pub fn bias_sigmoid<T: Real>(z: &mut [T], b: &[T]) {
        for row in z.chunks_exact_mut(b.len()) {
            for (v, &b) in row.iter_mut().zip(b) {
                *v = sigmoid(*v + b);
            }
        }
    }
}

vectorized! {
    /// `z = z + b` for every row of `z` (rows of `b.len()`).
    pub fn bias_add<T: Real>(z: &mut [T], b: &[T]) {
        for row in z.chunks_exact_mut(b.len()) {
            for (v, &b) in row.iter_mut().zip(b) {
                *v += b;
            }
        }
    }
}

vectorized! {
    /// `d = d ⊙ a ⊙ (1 - a)`: a gradient with respect to sigmoid outputs `a` taken back through
    /// the sigmoid.
    pub fn through_sigmoid<T: Real>(d: &mut [T], a: &[T]) {
        for (d, &a) in d.iter_mut().zip(a) {
            *d = *d * a * (T::ONE - a);
        }
    }
}

vectorized! {
    /// `sums = Σ_rows m`, the column sums of `m` (rows of `sums.len()`), added row after row.
    pub fn column_sums<T: Real>(m: &[T], sums: &mut [T]) {
        sums.fill(T::ZERO);
        for row in m.chunks_exact(sums.len()) {
            for (s, &v) in sums.iter_mut().zip(row) {
                *s += v;
            }
        }
    }
}

vectorized! {
    /// `sum = sum + part`, element by element (a batch's shard gradients are added up this way).
    pub fn add_into<T: Real>(sum: &mut [T], part: &[T]) {
        for (s, &p) in sum.iter_mut().zip(part) {
            *s += p;
        }
    }
}

vectorized! {
    /// `x = p / 255` for every pixel `p` (as `torchvision`'s `ToTensor` scales them).
    pub fn pixels(x: &mut [f32], p: &[u8]) {
        for (x, &p) in x.iter_mut().zip(p) {
            *x = f32::from(p) / 255.0;
        }
    }
}

vectorized! {
    /// `Σ g²` in f64, summed in eight interleaved lanes (element `i` into lane `i mod 8`), then
    /// the lanes in order.
    pub fn sum_squares(g: &[f32]) -> f64 {
        let mut lanes = [0.0f64; 8];
        let mut chunks = g.chunks_exact(8);
        for c in &mut chunks {
            for (l, &v) in lanes.iter_mut().zip(c) {
                *l += f64::from(v) * f64::from(v);
            }
        }
        for (l, &v) in lanes.iter_mut().zip(chunks.remainder()) {
            *l += f64::from(v) * f64::from(v);
        }
        lanes.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::super::rng::Rng;
    use super::*;

    thread_local! {
        /// The widest variant [`level`] may choose on this thread.
        pub(super) static CAP: std::cell::Cell<u8> = const { std::cell::Cell::new(2) };
    }

    /// `f` run with each variant the CPU has, widest first.
    fn each_level<R>(mut f: impl FnMut() -> R) -> Vec<R> {
        let have = level();
        let out = (0..=have)
            .rev()
            .map(|l| {
                CAP.with(|c| c.set(l));
                f()
            })
            .collect();
        CAP.with(|c| c.set(2));
        out
    }

    #[test]
    fn every_variant_computes_the_same_bits() {
        // long and of odd length, so that the vector bodies and the remainders both run
        let mut rng = Rng::new(7, 0);
        let n = 16 * 37 + 13;
        let z: Vec<f32> = (0..n).map(|_| (30.0 * rng.normal()) as f32).collect();
        let b: Vec<f32> = (0..n / 7).map(|_| rng.normal() as f32).collect();
        let a: Vec<f32> = (0..n).map(|_| rng.uniform() as f32).collect();
        let p: Vec<u8> = (0..n).map(|_| rng.below(256) as u8).collect();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let runs = each_level(|| {
            let rows = &z[..(n / 7) * 7];
            let mut s = rows.to_vec();
            bias_sigmoid(&mut s, &b);
            let mut t = rows.to_vec();
            bias_add(&mut t, &b);
            let mut d = z.clone();
            through_sigmoid(&mut d, &a);
            let mut sums = vec![0.0f32; b.len()];
            column_sums(rows, &mut sums);
            let mut acc = z.clone();
            add_into(&mut acc, &a);
            let mut x = vec![0.0f32; n];
            pixels(&mut x, &p);
            let mut all = [s, t, d, sums, acc, x].map(|v| bits(&v)).concat();
            all.push(sum_squares(&z).to_bits() as u32);
            all.push((sum_squares(&z).to_bits() >> 32) as u32);
            all
        });
        assert!(!runs.is_empty());
        for r in &runs[1..] {
            assert!(r == &runs[0], "a variant computed other bits");
        }
    }

    #[test]
    fn the_loops_compute_what_they_say() {
        let mut z = vec![0.5f32, -1.0, 2.0, 0.0, 3.0, -4.0];
        let b = [1.0f32, 0.5, -2.0];
        let want: Vec<f32> = z
            .iter()
            .enumerate()
            .map(|(i, &v)| 1.0 / (1.0 + (-(v + b[i % 3])).exp()))
            .collect();
        bias_sigmoid(&mut z, &b);
        for (got, want) in z.iter().zip(&want) {
            assert!((got - want).abs() <= 2.0 * f32::EPSILON, "{got} {want}");
        }
        let mut sums = [9.0f64; 2];
        column_sums(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &mut sums);
        assert_eq!(sums, [9.0, 12.0]);
        let mut x = [0.0f32; 3];
        pixels(&mut x, &[0, 51, 255]);
        assert_eq!(x, [0.0, 0.2, 1.0]);
        let g: Vec<f32> = (1..=19).map(|i| i as f32).collect();
        // 1² + ... + 19² = 19 · 20 · 39 / 6
        assert_eq!(sum_squares(&g), 2470.0);
        let mut d = [2.0f32, 4.0];
        through_sigmoid(&mut d, &[0.5, 0.25]);
        assert_eq!(d, [0.5, 0.75]);
        let mut s = [1.0f32, 2.0];
        add_into(&mut s, &[0.5, 0.25]);
        assert_eq!(s, [1.5, 2.25]);
    }
}
