//! Bad input never panics: thousands of mutated exercise files and expressions go through the loader,
//! the engine and the renderers, and each either works or returns an error.

use crate::harness::Rng;
use stepwise::expr::Poly;
use stepwise::render::{self, Format, Templates};
use stepwise::solution;
use stepwise::spec;

const PIECES: &[&str] = &[
    "0",
    "-",
    "1e400",
    "1e-400",
    "\"",
    "[",
    "]",
    "{",
    "}",
    "=",
    "\n",
    "w9",
    "^",
    "^99",
    "**",
    "(",
    ")",
    "/0",
    "nan",
    "inf",
    "0.99999999999999999999999999999",
    "1",
    "[[problem]]",
    "params",
    "lr",
    "beta",
    "#",
    "\\",
    "é",
    "₫",
    "1_0",
    "0x10",
    "true",
    "-0",
    "999999999999",
    "e",
    ".",
    "adam",
    "gd",
];

fn mutate(rng: &mut Rng, base: &str) -> String {
    let mut s: Vec<char> = base.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(s.len() + 1);
        match rng.below(3) {
            0 if !s.is_empty() => {
                let end = (at + 1 + rng.below(6)).min(s.len());
                s.drain(at.min(s.len())..end);
            }
            _ => {
                let piece: Vec<char> = PIECES[rng.below(PIECES.len())].chars().collect();
                s.splice(at..at, piece);
            }
        }
    }
    s.into_iter().collect()
}

#[test]
fn mutated_exercise_files_never_panic() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut loaded = 0;
    for _ in 0..3000 {
        let src = mutate(&mut rng, spec::BUILTIN);
        let Ok(mut ex) = spec::load("fuzz.toml", &src) else {
            continue;
        };
        loaded += 1;
        for p in &mut ex.problems {
            p.tabulated_epochs = p.tabulated_epochs.min(40);
        }
        if let Ok(sol) = solution::solve(&ex) {
            if loaded % 25 == 0 {
                for f in Format::ALL {
                    let _ = render::render(&Templates::default(), &ex, &sol, "en", f, 6);
                }
            }
        }
    }
    assert!(
        loaded > 100,
        "the mutations still load sometimes ({loaded})"
    );
}

#[test]
fn mutated_expressions_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let bases = [
        "(1 - w1)^2 + 100*(w2 - w1^2)^2",
        "0.1*w1^2 + 2*w2^2",
        "(w1 + 2*w2 - 7)**2",
    ];
    for i in 0..5000 {
        let src = mutate(&mut rng, bases[i % 3]);
        if let Ok(p) = Poly::parse(&src, 2) {
            let _ = p.gradient();
            let _ = p.to_latex();
        }
    }
}
