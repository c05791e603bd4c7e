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
        // every link of every sheet and statement points at a file that exists
        let mut linked = 0;
        for lang in ["vi", "en"] {
            for doc in [
                format!("solution-{lang}.md"),
                format!("statement-{lang}.md"),
            ] {
                let md = std::fs::read_to_string(folder.join(&doc))
                    .unwrap_or_else(|e| panic!("variant {k}: {doc}: {e}"));
                for target in links(&md) {
                    assert!(
                        folder.join(&target).is_file(),
                        "variant {k}: {doc} links {target}"
                    );
                    linked += 1;
                }
            }
        }
        // each sheet names its four problems' code files
        assert_eq!(linked, 8, "variant {k}");
        for name in ["exercise.toml", "key.txt"] {
            assert!(folder.join(name).is_file(), "variant {k}: {name}");
        }
    }
    // a variant's statements are what `stepwise statement` makes of its exercise file
    for k in [1, 17, 30] {
        let folder = std::path::Path::new(&out).join(format!("variant-{k:03}"));
        let file = folder.join("exercise.toml");
        for lang in ["vi", "en"] {
            let made = run(&[
                "statement",
                file.to_str().unwrap(),
                "--lang",
                lang,
                "--format",
                "md",
                "--out",
                "-",
            ]);
            assert_eq!(made.code(), Some(0), "{}", made.stderr);
            let written =
                std::fs::read_to_string(folder.join(format!("statement-{lang}.md"))).unwrap();
            assert_eq!(written, made.stdout, "variant {k}, {lang}");
            assert!(
                written.contains(&format!("({k})")),
                "variant {k}: its number in the title"
            );
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

/// The files a Markdown document links: `[text](target)` and `![alt](target)` targets that are not
/// web addresses or anchors, and the file names it quotes in backticks (`adam-en.py`).
fn links(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = md;
    while let Some(i) = rest.find("](") {
        let tail = &rest[i + 2..];
        let end = tail.find(')').unwrap_or(tail.len());
        let target = &tail[..end];
        if !target.starts_with("http") && !target.starts_with('#') {
            out.push(target.to_string());
        }
        rest = &tail[end..];
    }
    for (i, piece) in md.split('`').enumerate() {
        let file_like = [".py", ".csv", ".svg", ".toml", ".md", ".txt"]
            .iter()
            .any(|e| piece.ends_with(e));
        if i % 2 == 1 && file_like && !piece.contains(char::is_whitespace) {
            out.push(piece.to_string());
        }
    }
    out
}

/// The same seed gives the same files, byte for byte, on one thread and on several, and a run that
/// fails leaves the folder as it was.
#[test]
fn variants_are_the_same_on_any_number_of_threads() {
    let dir = crate::harness::Scratch::new();
    let write = |name: &str, threads: &str| {
        let out = dir.join(name);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_stepwise"))
            .args(["variants", "-n", "40", "-s", "5", "--out"])
            .arg(&out)
            .env("RAYON_NUM_THREADS", threads)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        out
    };
    let files = |root: &std::path::Path| {
        let mut all = std::collections::BTreeMap::new();
        for v in std::fs::read_dir(root).unwrap() {
            let v = v.unwrap().path();
            for f in std::fs::read_dir(&v).unwrap() {
                let f = f.unwrap().path();
                let name = f.strip_prefix(root).unwrap().display().to_string();
                all.insert(name, std::fs::read(&f).unwrap());
            }
        }
        all
    };
    let one = files(&write("one", "1"));
    let two = files(&write("two", "2"));
    assert_eq!(one.len(), 40 * 14);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(
            two[name] == *bytes,
            "{name} differs between one thread and two"
        );
    }
    // the library's variants are the same as the command's
    let ex = spec::builtin();
    let vs = variants::generate(&ex, 40, 5).unwrap();
    for v in &vs {
        let name = format!("variant-{:03}/exercise.toml", v.number);
        assert_eq!(
            one[&name],
            spec::to_toml(&v.exercise).into_bytes(),
            "{name}"
        );
    }
    // a run that fails (no [variants] table) leaves no staging folder and the old variants intact
    let plain = dir.join("plain.toml");
    std::fs::write(
        &plain,
        "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n",
    )
    .unwrap();
    let failed = crate::harness::stepwise(&[
        "variants",
        plain.to_str().unwrap(),
        "-n",
        "3",
        "-s",
        "1",
        "--out",
        dir.join("one").to_str().unwrap(),
    ]);
    assert_eq!(failed.code(), Some(2));
    assert_eq!(files(&dir.join("one")), one);
}
