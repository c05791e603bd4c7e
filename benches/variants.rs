//! `stepwise variants --count 1000` of the built-in exercise, as a grader runs it: the release
//! binary writing every variant's exercise file, key, statements, answer sheets and NumPy code into
//! a fresh temporary folder, synced. Run with `cargo bench --bench variants`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::process::Command;
use std::time::Duration;

fn variants(c: &mut Criterion) {
    let mut g = c.benchmark_group("variants");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(40));
    g.bench_function("1000 variants with keys, statements and sheets", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("a temporary folder"),
            |dir| {
                let out = dir.path().join("v");
                let status = Command::new(env!("CARGO_BIN_EXE_stepwise"))
                    .args(["variants", "--count", "1000", "--seed", "1", "--out"])
                    .arg(&out)
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("stepwise runs");
                assert!(status.success());
                dir
            },
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, variants);
criterion_main!(benches);
