//! Per-student variants: 1,000 of them, each with exactly one right option per computed question,
//! reproducible from the seed, pairwise distinct, and readable back from their exercise files.

use std::collections::BTreeSet;
use stepwise::quiz::Status;
use stepwise::spec::{self, QuestionKind};
use stepwise::{solution, variants};

#[test]
fn a_thousand_variants_each_with_one_right_option() {
    let ex = spec::builtin();
    let vs = variants::generate(&ex, 1000, 2024).unwrap();
    assert_eq!(vs.len(), 1000);
    let mut distinct = BTreeSet::new();
    for v in &vs {
        // the file written for the variant reads back to the same numbers
        let text = spec::to_toml(&v.exercise);
        let back = spec::load("variant.toml", &text).unwrap();
        assert_eq!(back.start, v.exercise.start);
        let params: Vec<_> = back.problems.iter().map(|p| p.params.clone()).collect();
        assert!(
            distinct.insert((back.start.clone(), params)),
            "variant {} repeats another",
            v.number
        );
        let sol = solution::solve(&back).unwrap();
        for (q, k) in back.quiz.iter().zip(&sol.key) {
            if !matches!(q.kind, QuestionKind::Computed { .. }) {
                continue;
            }
            let right: Vec<char> = k
                .options
                .iter()
                .filter(|o| o.exact_at_digits)
                .map(|o| o.letter)
                .collect();
            assert_eq!(
                right.len(),
                1,
                "variant {} question {}: {right:?}",
                v.number,
                q.number
            );
            assert_eq!(k.status, Status::Exact);
            assert_eq!(
                k.answer,
                q.key.map(spec::option_letter),
                "variant {} question {}",
                v.number,
                q.number
            );
            // no distractor is within the tolerance either
            let near = k.options.iter().filter(|o| o.max_rel <= 1e-3).count();
            assert_eq!(near, 1, "variant {} question {}", v.number, q.number);
        }
    }
}

#[test]
fn the_seed_decides_everything() {
    let ex = spec::builtin();
    let a: Vec<String> = variants::generate(&ex, 20, 7)
        .unwrap()
        .iter()
        .map(|v| spec::to_toml(&v.exercise))
        .collect();
    let b: Vec<String> = variants::generate(&ex, 20, 7)
        .unwrap()
        .iter()
        .map(|v| spec::to_toml(&v.exercise))
        .collect();
    let c: Vec<String> = variants::generate(&ex, 20, 8)
        .unwrap()
        .iter()
        .map(|v| spec::to_toml(&v.exercise))
        .collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn too_many_variants_for_the_ranges_is_an_error() {
    let src = "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n[variants]\nstart = [{ from = 1, to = 2, step = 0.5 }]\n";
    let ex = spec::load("v.toml", src).unwrap();
    let err = variants::generate(&ex, 4, 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the ranges of [variants] allow only 3 distinct variants, not 4"
    );
    assert_eq!(variants::generate(&ex, 3, 1).unwrap().len(), 3);
}

#[test]
fn the_builtin_exercise_round_trips_through_its_file_form() {
    let ex = spec::builtin();
    let back = spec::load("back.toml", &spec::to_toml(&ex)).unwrap();
    assert_eq!(back.start, ex.start);
    assert_eq!(back.quiz.len(), ex.quiz.len());
    let a = solution::solve(&ex).unwrap();
    let b = solution::solve(&back).unwrap();
    let ka: Vec<_> = a.key.iter().map(|k| (k.answer, k.status)).collect();
    let kb: Vec<_> = b.key.iter().map(|k| (k.answer, k.status)).collect();
    assert_eq!(ka, kb);
}

/// A variants folder: an earlier run's variant folders are replaced, other files refuse the run
/// unless --force, no option set collapses on a component that is exactly 0, and every file a
/// sheet links is there.
#[test]
fn variants_folders_are_clean_and_complete() {
    let dir = crate::harness::Scratch::new();
    let out = dir.arg("v");
    let run = |args: &[&str]| crate::harness::stepwise(args);
    assert_eq!(
        run(&["variants", "-n", "30", "-s", "1", "--out", &out]).code(),
        Some(0)
    );
    for k in 1..=30 {
        let folder = std::path::Path::new(&out).join(format!("variant-{k:03}"));
        let ex = std::fs::read_to_string(folder.join("exercise.toml")).unwrap();
        for line in ex.lines().filter(|l| l.starts_with("options = [")) {
            let zeros = line.matches("0.000e0").count();
            assert!(zeros < 4, "variant {k}: {line}");
        }
        // the sheets' links point at files that exist
        for lang in ["vi", "en"] {
            let md = std::fs::read_to_string(folder.join(format!("solution-{lang}.md"))).unwrap();
            for name in md.split('`').filter(|s| s.ends_with(".py")) {
                assert!(folder.join(name).exists(), "variant {k}: {name}");
            }
        }
    }
    // a second, smaller run replaces the first
    assert_eq!(
        run(&["variants", "-n", "3", "-s", "2", "--out", &out]).code(),
        Some(0)
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3);
    // a file stepwise did not write: refused, then written beside with --force
    std::fs::write(std::path::Path::new(&out).join("notes.txt"), "mine").unwrap();
    let refused = run(&["variants", "-n", "3", "-s", "2", "--out", &out]);
    assert_eq!(refused.code(), Some(2));
    assert!(refused
        .stderr
        .contains("holds 'notes.txt', which stepwise did not write"));
    assert_eq!(
        run(&["variants", "-n", "3", "-s", "2", "--out", &out, "--force"]).code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(std::path::Path::new(&out).join("notes.txt")).unwrap(),
        "mine"
    );
}
