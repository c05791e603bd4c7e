//! The quiz key of the built-in exercise, and checking a grader's key.

use crate::harness::{snapshots, stepwise, Scratch};
use stepwise::quiz::{self, Fix, Status};
use stepwise::render::catalog::Catalog;
use stepwise::render::verdict::{self, Style};
use stepwise::spec;
use stepwise::trace;

/// The English plain-text sentence of a verdict, as `stepwise key` prints it.
fn evidence(v: &quiz::Verdict) -> String {
    let cat = Catalog::builtin("en").unwrap();
    verdict::sentence(v, &cat, Style::Plain)
}

fn key() -> Vec<quiz::Verdict> {
    let ex = spec::builtin();
    let runs: Vec<_> = ex
        .problems
        .iter()
        .map(|p| trace::run_all(&ex, p, p.tabulated_epochs).unwrap())
        .collect();
    quiz::key(&ex, &runs)
}

#[test]
fn the_builtin_key_is_pinned() {
    let k = key();
    let table: String = k
        .iter()
        .map(|v| {
            format!(
                "{:>2} {} {:<9} {}\n",
                v.number,
                v.answer.unwrap_or('-'),
                v.status.key(),
                evidence(v)
            )
        })
        .collect();
    snapshots(|| insta::assert_snapshot!("quiz-key", table));
    snapshots(|| insta::assert_json_snapshot!("quiz-key-json", k));
}

#[test]
fn every_question_gets_the_expected_verdict() {
    let k = key();
    assert_eq!(k.len(), 14);
    let want: &[(usize, Option<char>, Status)] = &[
        (1, Some('C'), Status::Concept),
        (2, Some('B'), Status::Concept),
        (3, Some('C'), Status::Concept),
        (4, Some('B'), Status::Concept),
        (5, Some('A'), Status::Exact),
        (6, Some('D'), Status::Exact),
        (7, Some('C'), Status::Exact),
        (8, Some('D'), Status::Exact),
        (9, Some('C'), Status::Concept),
        (10, Some('A'), Status::Exact),
        (11, Some('D'), Status::Close),
        (12, None, Status::Defective),
        (13, Some('A'), Status::OtherForm),
        (14, Some('C'), Status::Exact),
    ];
    for (v, (n, answer, status)) in k.iter().zip(want) {
        assert_eq!(
            (v.number, v.answer, v.status),
            (*n, *answer, *status),
            "question {n}: {}",
            evidence(v)
        );
    }
    // question 12: the options have w1 = +3.00577e-03 where the exact value is negative
    assert_eq!(
        k[11].fix,
        Some((
            'B',
            Fix::Sign {
                components: vec![1]
            }
        ))
    );
    // question 10: option C is the heavy-ball form 0.9 * 1 + 2
    assert_eq!(k[9].options[2].matches, Some(quiz::Slip::HeavyBall));
    // question 13: the course's options are neither the exact value nor NumPy's float32 at 8 digits,
    // but Adam with eps inside the root, whose epoch 2 the reference data has from optax's formula
    assert!(!k[12].options[0].exact_at_digits && !k[12].options[0].float32_at_digits);
    assert!(k[12].options[0].max_rel < 1e-7);
    let m = k[12].other_form.as_ref().unwrap();
    assert_eq!(
        (m.optimizer, m.form, m.engine),
        ("adam", "eps-inside", "exact")
    );
    let reference = include_str!("../data/forms/forms-20.txt");
    let line = reference
        .split("# adam eps-in ")
        .nth(1)
        .and_then(|b| b.lines().find(|l| l.starts_with("2 ")))
        .unwrap();
    let want: Vec<f64> = line
        .split(' ')
        .skip(1)
        .map(|x| x.parse().unwrap())
        .collect();
    for (got, want) in m.values.iter().zip(want) {
        assert!((got.to_f64() - want).abs() < 1e-14, "{got} vs {want}");
    }
}

#[test]
fn check_key_agrees_with_a_right_key() {
    let out = stepwise(&["check-key", "tests/keys/good.txt"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let s = out.stdout;
    assert!(s.contains("13 of 13 lines agree"), "{s}");
    assert!(
        s.contains("left out, rightly (no single right option): 12"),
        "{s}"
    );
}

#[test]
fn check_key_catches_a_wrong_line() {
    let out = stepwise(&["check-key", "tests/keys/wrong.csv"]);
    assert_eq!(out.code(), Some(1));
    let s = out.stdout;
    assert!(s.contains("  6: C  disagree: the answer is D"), "{s}");
    assert_eq!(
        out.stderr,
        "stepwise: 1 of 3 lines do not check; the key leaves out 10 question(s) that have an answer\n"
    );
}

#[test]
fn check_key_flags_a_defective_question() {
    let out = stepwise(&["check-key", "tests/keys/defective.txt"]);
    assert_eq!(out.code(), Some(1));
    let s = out.stdout;
    assert!(s.contains(" 12: B  defective question"), "{s}");
    assert!(
        s.contains("B would be if the sign of w1 were flipped"),
        "{s}"
    );
}

#[test]
fn check_key_refuses_bad_lines_with_their_place() {
    let out = stepwise(&["check-key", "tests/keys/bad-letter.txt"]);
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr,
        "stepwise: tests/keys/bad-letter.txt:2:3: question 7: 'Z' is not an option (A to D)\n"
    );
    let out = stepwise(&["check-key", "tests/keys/bad-number.txt"]);
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr,
        "stepwise: tests/keys/bad-number.txt:2:1: no question 15: the quiz has 14\n"
    );
}

#[test]
fn key_prints_a_table_and_json() {
    let s = stepwise(&["key"]).stdout;
    assert!(s.contains(" 12  computed   -       defective"), "{s}");
    let out = stepwise(&["key", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[4]["answer"], "A");
    assert_eq!(
        v[4]["exact"],
        serde_json::json!([{"mid": "-4.232", "rad": "0"}, {"mid": "-0.72", "rad": "0"}])
    );
}

fn load(quiz: &str) -> Result<spec::Exercise, spec::SpecError> {
    let src = format!(
        "objective = \"w1^2 + w2^2\"\nstart = [1, 1]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = {{ lr = 0.1 }}\n[[quiz]]\n{quiz}\n"
    );
    spec::load("q.toml", &src)
}

#[test]
fn bad_questions_are_refused_with_their_place() {
    let e = load("kind = \"essay\"\nquestion = \"?\"\noptions = [\"a\", \"b\"]").unwrap_err();
    assert_eq!(
        e.to_string(),
        "q.toml:8:8: question 1: unknown kind 'essay': expected concept, computed or formula"
    );
    let e = load("kind = \"concept\"\nquestion = \"?\"\noptions = [\"a\", \"b\"]\nkey = \"C\"")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "q.toml:11:7: question 1: key 'C' is not one of the options A to B"
    );
    let e =
        load("kind = \"computed\"\nproblem = \"gd\"\nquestion = \"?\"\noptions = [\"1\", \"2\"]")
            .unwrap_err();
    assert!(
        e.to_string()
            .contains("options give 1 numbers for 2 components"),
        "{e}"
    );
    let e = load("kind = \"computed\"\nproblem = \"gd\"\nepoch = 99\nquestion = \"?\"\noptions = [\"1, 1\", \"2, 2\"]").unwrap_err();
    assert!(
        e.to_string()
            .contains("epoch must be from 1 to 30 or \"last\""),
        "{e}"
    );
    let e = load(
        "kind = \"computed\"\nproblem = \"gd\"\nquestion = \"?\"\noptions = [\"1, x\", \"2, 2\"]",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("option A: 'x' is not a decimal number"),
        "{e}"
    );
}

/// A key-file shape: its name, how it writes one answer, its header and its line end.
type Shape = (
    &'static str,
    fn(usize, char) -> String,
    &'static str,
    &'static str,
);

/// The course's key (every question with an answer) in the shapes people save keys in, each right,
/// wrong in one line, incomplete, and with a question answered twice.
#[test]
fn key_files_in_every_shape() {
    let answers: Vec<(usize, char)> =
        std::fs::read_to_string(crate::harness::root().join("tests/keys/good.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (n, a) = l.split_once(':').unwrap();
                (n.trim().parse().unwrap(), a.trim().chars().next().unwrap())
            })
            .collect();
    assert_eq!(answers.len(), 13);
    let shapes: &[Shape] = &[
        ("colon", |n, a| format!("{n}: {a}"), "", "\n"),
        ("spaced colon", |n, a| format!("{n} : {a}"), "", "\n"),
        ("dot", |n, a| format!("{n}. {a}"), "", "\n"),
        (
            "paren",
            |n, a| format!("{n}) {}", a.to_ascii_lowercase()),
            "",
            "\n",
        ),
        ("space", |n, a| format!("{n} {a}"), "", "\n"),
        (
            "excel csv",
            |n, a| format!("{n},{a}"),
            "\u{feff}question,answer\r\n",
            "\r\n",
        ),
        (
            "semicolon",
            |n, a| format!("\"{n}\";\"{a}\""),
            "\u{feff}Câu;Đáp án\r\n",
            "\r\n",
        ),
        (
            "tab",
            |n, a| format!("{n}\t{a}"),
            "question\tanswer\n",
            "\n",
        ),
    ];
    let dir = Scratch::new();
    for (name, line, header, eol) in shapes {
        let write = |rows: &[(usize, char)]| -> String {
            let path = dir.arg(&format!("{}.txt", name.replace(' ', "-")));
            let body: String = rows.iter().map(|&(n, a)| line(n, a) + eol).collect();
            std::fs::write(&path, format!("{header}{body}")).unwrap();
            path
        };
        // right
        let path = write(&answers);
        let out = stepwise(&["check-key", &path]);
        assert_eq!(out.code(), Some(0), "{name}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("13 of 13 lines agree"), "{name}");
        // wrong in question 6 (the answer is D)
        let wrong: Vec<(usize, char)> = answers
            .iter()
            .map(|&(n, a)| if n == 6 { (n, 'B') } else { (n, a) })
            .collect();
        let path = write(&wrong);
        let out = stepwise(&["check-key", &path]);
        assert_eq!(out.code(), Some(1), "{name}");
        assert!(
            out.stdout.contains("  6: B  disagree: the answer is D"),
            "{name}: {}",
            out.stdout
        );
        // incomplete: question 14 left out
        let path = write(&answers[..12]);
        let out = stepwise(&["check-key", &path]);
        assert_eq!(out.code(), Some(1), "{name}");
        assert!(out.stdout.contains("not in the key file: 14"), "{name}");
        assert_eq!(
            out.stderr,
            "stepwise: the key leaves out 1 question(s) that have an answer\n"
        );
        // question 5 twice
        let mut twice = answers.clone();
        twice.push((5, 'A'));
        let path = write(&twice);
        let out = stepwise(&["check-key", &path]);
        assert_eq!(out.code(), Some(2), "{name}");
        assert!(
            out.stderr.contains("question 5 is answered twice: on line"),
            "{name}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_question_about_an_epoch_after_divergence_says_so() {
    // GD on w1^2 with lr 50 multiplies w1 by -99 each epoch and passes 1e300 in epoch 76
    let dir = Scratch::new();
    let file = dir.join("div.toml");
    std::fs::write(
        &file,
        "objective = \"w1^2\"\nstart = [1]\ntabulated_epochs = 200\n\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 50 }\n\n[[quiz]]\nkind = \"computed\"\nquestion = \"w1 after epoch 200?\"\nproblem = \"gd\"\nepoch = 200\noptions = [\"1\", \"2\", \"3\", \"4\"]\n",
    )
    .unwrap();
    let f = file.display().to_string();
    let out = stepwise(&["key", &f]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert!(
        out.stdout
            .contains("stopped in epoch 76, before the epoch asked about, because it diverged"),
        "{}",
        out.stdout
    );
    let vi = stepwise(&["key", &f, "--lang", "vi"]);
    assert!(vi.stdout.contains("dừng ở epoch 76"), "{}", vi.stdout);
}
