//! `stepwise variants --count 1000` of the built-in exercise, as a grader runs it: the release
//! binary writing every variant's exercise file, key, statements, answer sheets and NumPy code into
//! a fresh temporary folder, synced. Run with `cargo bench --bench variants`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::process::Command;
use std::time::{Duration, Instant};

fn variants(c: &mut Criterion) {
    let mut g = c.benchmark_group("variants");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(40));
    // every run's folder is kept until the benchmark ends: on ext4, creating thousands of files
    // right after deleting thousands makes the search for a free inode take most of the time, which
    // would measure the previous run's clean-up rather than this run
    let mut kept: Vec<tempfile::TempDir> = Vec::new();
    g.bench_function("1000 variants with keys, statements and sheets", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let out = dir.path().join("v");
                let started = Instant::now();
                let status = Command::new(env!("CARGO_BIN_EXE_stepwise"))
                    .args(["variants", "--count", "1000", "--seed", "1", "--out"])
                    .arg(&out)
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("stepwise runs");
                total += started.elapsed();
                assert!(status.success());
                kept.push(dir);
            }
            total
        })
    });
    g.finish();
    drop(kept);
}

criterion_group!(benches, variants);
criterion_main!(benches);
