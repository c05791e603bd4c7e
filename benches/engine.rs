//! Speed of the parts a user waits for: the exact engine on the course's exercise, one exact
//! operation of each kind, and rendering the answer sheets. Run with `cargo bench`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use stepwise::number::{Ball, Num};
use stepwise::render::{self, Format, Templates};
use stepwise::{solution, spec, trace};

fn engine(c: &mut Criterion) {
    let ex = spec::builtin();
    c.bench_function("exact trace, adam, 30 epochs", |b| {
        let p = ex.problem("adam").unwrap();
        b.iter(|| trace::trace(black_box(&ex), p, 30).unwrap())
    });
    // the cost of certified digits: the same 30 epochs in plain 28-digit arithmetic (no bounds), in
    // balls (bounds that add up) and in the engine's error forms (what `trace` runs)
    c.bench_function("plain 28-digit points, adam, 30 epochs", |b| {
        let p = ex.problem("adam").unwrap();
        b.iter(|| trace::points::<Num>(black_box(&ex), p, 30).unwrap())
    });
    c.bench_function("ball points, adam, 30 epochs", |b| {
        let p = ex.problem("adam").unwrap();
        b.iter(|| trace::points::<Ball>(black_box(&ex), p, 30).unwrap())
    });
    c.bench_function("error-form points, adam, 30 epochs", |b| {
        let p = ex.problem("adam").unwrap();
        b.iter(|| trace::points::<stepwise::number::Aff>(black_box(&ex), p, 30).unwrap())
    });
    c.bench_function("plain 28-digit points, adam, 1000 epochs", |b| {
        let p = ex.problem("adam").unwrap();
        b.iter(|| trace::points::<Num>(black_box(&ex), p, 1000).unwrap())
    });
    c.bench_function("error-form points, adam, 1000 epochs", |b| {
        let p = ex.problem("adam").unwrap();
        b.iter(|| trace::points::<stepwise::number::Aff>(black_box(&ex), p, 1000).unwrap())
    });
    c.bench_function("f32 points, adam, 30 epochs", |b| {
        let p = ex.problem("adam").unwrap();
        b.iter(|| trace::points::<f32>(black_box(&ex), p, 30).unwrap())
    });
    c.bench_function(
        "solve the built-in exercise (4 problems, 3 engines, quiz key)",
        |b| b.iter(|| solution::solve(black_box(&ex)).unwrap()),
    );
}

fn arithmetic(c: &mut Criterion) {
    let a = Num::parse("-4.800000199999800000199999800").unwrap();
    let b = Num::parse("3.005060842611813408824772459e-17").unwrap();
    c.bench_function("num add", |bn| {
        bn.iter(|| black_box(&a).add(black_box(&b)).unwrap())
    });
    c.bench_function("num mul", |bn| {
        bn.iter(|| black_box(&a).mul(black_box(&b)).unwrap())
    });
    c.bench_function("num div", |bn| {
        bn.iter(|| black_box(&a).div(black_box(&b)).unwrap())
    });
    c.bench_function("num sqrt", |bn| bn.iter(|| black_box(&b).sqrt().unwrap()));
}

fn sheets(c: &mut Criterion) {
    let ex = spec::builtin();
    let sol = solution::solve(&ex).unwrap();
    let t = Templates::default();
    c.bench_function("render the Markdown sheet (en)", |b| {
        b.iter(|| render::render(&t, &ex, &sol, "en", Format::Markdown, 10).unwrap())
    });
    c.bench_function("render the HTML sheet (en)", |b| {
        b.iter(|| render::render(&t, &ex, &sol, "en", Format::Html, 10).unwrap())
    });
}

criterion_group!(benches, engine, arithmetic, sheets);
criterion_main!(benches);
