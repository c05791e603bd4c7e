//! The statement sheet: what students receive, with the tasks and the quiz, and no answer.

use crate::harness::{stepwise, tool, Scratch, Tool};
use stepwise::render::{self, catalog::Catalog, view, Format, Templates};
use stepwise::solution;
use stepwise::spec::{self, Exercise};

fn statement(ex: &Exercise, lang: &str, f: Format) -> String {
    render::render_statement(&Templates::default(), ex, lang, f).unwrap()
}

/// Every value the solution works out (each epoch's point and f, at 10 and at 4 significant digits),
/// with at least three significant digits, except those the exercise itself gives.
fn worked_values(ex: &Exercise) -> Vec<String> {
    let sol = solution::solve(ex).unwrap();
    let given: Vec<String> = ex
        .start
        .iter()
        .chain(ex.problems.iter().flat_map(|p| p.params.iter()))
        .map(|x| view::cell(&stepwise::number::Ball::exact(*x), 10))
        .collect();
    let mut out = Vec::new();
    for run in &sol.runs {
        for e in &run.trace.epochs {
            for x in e.after.iter().chain([&e.f]).chain(e.gradient.iter()) {
                for d in [10, 4] {
                    let c = view::cell(x, d);
                    let digits = c.trim_start_matches(['-', '0', '.']).replace('.', "");
                    let digits = digits.split('e').next().unwrap_or("").to_string();
                    if digits.len() >= 3 && !given.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_statement_holds_no_worked_value_and_no_answer() {
    let mut ex = spec::builtin();
    let values = worked_values(&ex);
    assert!(values.len() > 300, "{} values", values.len());
    assert!(values.contains(&"-4.232".to_string()), "GD after epoch 2");
    for lang in ["vi", "en"] {
        let cat = Catalog::builtin(lang).unwrap();
        // with the quiz: its options (the course's own numbers) are there, its answers are not
        let md = statement(&ex, lang, Format::Markdown);
        assert!(md.contains("- (A) "), "{lang}");
        for key in [
            "quiz_answer",
            "reading",
            "final_point",
            "precision_title",
            "step",
        ] {
            let text = cat.text(key);
            let text = text.split('{').next().unwrap_or("");
            assert!(!md.contains(text), "{lang}: '{text}' in the statement");
        }
        assert!(!md.contains('≈'), "{lang}: a rounded value");
        assert!(!md.contains("```"), "{lang}: code");
        assert!(!md.contains(".svg"), "{lang}: a figure of the run");
    }
    // without the quiz, no number the solution works out appears in any format
    ex.quiz.clear();
    for lang in ["vi", "en"] {
        for f in Format::ALL {
            let text = statement(&ex, lang, f);
            for v in &values {
                let found = text.match_indices(v.as_str()).any(|(i, _)| {
                    let before = text[..i].chars().next_back();
                    let after = text[i + v.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '-')
                        && !after.is_some_and(|c| c.is_ascii_digit())
                });
                assert!(!found, "{lang} {}: the worked value {v} appears", f.ext());
            }
        }
    }
}

#[test]
fn the_statement_gives_the_tasks_and_the_quiz() {
    let ex = spec::builtin();
    let en = statement(&ex, "en", Format::Markdown);
    for s in [
        "## Exercise 4. Adam",
        "w_{i}^{(t)} = w_{i}^{(t-1)} - \\alpha \\cdot \\frac{v_{corr,i}^{(t)}}{\\sqrt{s_{corr,i}^{(t)}} + \\epsilon} \\qquad (4.5)",
        "Before epoch 1 the state starts at $v_{1}^{(0)} = v_{2}^{(0)} = 0$, $s_{1}^{(0)} = s_{2}^{(0)} = 0$.",
        "(a) Work epochs 1 to 2 step by step, and give the point after epoch 2.",
        "The functions to write: `df_w`, `Adam`, `train_p1`.",
        "**14.** ",
    ] {
        assert!(en.contains(s), "missing {s}");
    }
    let vi = statement(&ex, "vi", Format::Markdown);
    assert!(vi.contains("## Bài 4. Adam"));
    assert!(vi.contains("(a) Trình bày từng bước các epoch từ 1 đến 2"));
    let tex = statement(&ex, "en", Format::Latex);
    assert!(
        tex.contains("\\texttt{df\\_w}, \\texttt{Adam}, \\texttt{train\\_p1}"),
        "{tex}"
    );
    let html = statement(&ex, "vi", Format::Html);
    assert!(html.contains("<h2>Bài 4. Adam</h2>"));
    assert!(!html.contains('$'));
}

#[test]
fn statement_writes_its_files_and_the_latex_compiles() {
    let dir = Scratch::new();
    let out = dir.arg("handout");
    let mut args = vec!["statement", "--out", out.as_str()];
    let engine = tool(Tool::Xelatex);
    if engine.is_some() {
        args.push("--pdf");
    }
    let run = stepwise(&args);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(dir.join("handout"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = ["en", "vi"]
        .iter()
        .flat_map(|l| ["html", "md", "tex"].map(|e| format!("statement-{l}.{e}")))
        .collect();
    if engine.is_some() {
        want.extend([
            "statement-en.pdf".to_string(),
            "statement-vi.pdf".to_string(),
        ]);
    }
    want.sort();
    assert_eq!(names, want);
    let run = stepwise(&["statement", "--lang", "en", "--format", "md", "-o", "-"]);
    assert_eq!(run.code(), Some(0));
    assert!(run.stdout.starts_with("# Optimization algorithms"));
}
