//! Answer sheets: snapshots, formulas that parse, numbers that match the engine, hostile text, and
//! byte-identical output.

use crate::harness::{snapshots, Scratch};
use stepwise::number::Num;
use stepwise::render::{self, catalog::Catalog, html, view, Format, Templates};
use stepwise::solution::{self, Solution};
use stepwise::spec::{self, Exercise};

fn traces(ex: &Exercise) -> Solution {
    solution::solve(ex).unwrap()
}

fn sheet(ex: &Exercise, lang: &str, format: Format) -> String {
    render::render(&Templates::default(), ex, &traces(ex), lang, format, 10).unwrap()
}

#[test]
fn builtin_sheets_are_pinned() {
    let ex = spec::builtin();
    for lang in ["vi", "en"] {
        for f in [Format::Markdown, Format::Latex] {
            let text = sheet(&ex, lang, f);
            snapshots(|| insta::assert_snapshot!(format!("sheet-{lang}-{}", f.ext()), text));
        }
    }
}

/// `$` signs not escaped by a backslash.
fn dollars(s: &str) -> usize {
    let b = s.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'$' && (i == 0 || b[i - 1] != b'\\'))
        .count()
}

#[test]
fn every_formula_parses_and_dollars_balance() {
    let ex = spec::builtin();
    for lang in ["vi", "en"] {
        let md = sheet(&ex, lang, Format::Markdown);
        assert_eq!(dollars(&md) % 2, 0, "{lang}: unbalanced $");
        for line in md.lines() {
            assert_eq!(dollars(line) % 2, 0, "{lang}: unbalanced $ in line {line}");
        }
        let spans = html::math_spans(&md);
        assert!(spans.len() > 150, "{lang}: only {} formulas", spans.len());
        let display = spans.iter().filter(|(_, d)| *d).count();
        assert!(display > 60, "{lang}: {display} display formulas");
        for (latex, display) in &spans {
            html::mathml(latex, *display).unwrap_or_else(|e| panic!("{lang}: {e}"));
        }
        let page = sheet(&ex, lang, Format::Html);
        assert!(
            !page.contains('$'),
            "{lang}: a formula was left unconverted in the HTML"
        );
        assert!(page.matches("<math").count() >= spans.len());
    }
}

#[test]
fn numbers_in_the_sheet_are_the_engine_numbers() {
    let ex = spec::builtin();
    let sol = traces(&ex);
    let cat = Catalog::builtin("en").unwrap();
    let v = serde_json::to_value(view::sheet(&ex, &sol, &[], &cat, 10)).unwrap();
    for (pi, run) in sol.runs.iter().enumerate() {
        let tr = &run.trace;
        let rows = v["problems"][pi]["table"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), tr.epochs.len() + 1);
        for (row, e) in rows[1..].iter().zip(&tr.epochs) {
            let cells: Vec<Num> = row.as_array().unwrap()[1..]
                .iter()
                .map(|c| Num::parse(c.as_str().unwrap()).unwrap())
                .collect();
            let want: Vec<Num> = e
                .after
                .iter()
                .chain([&e.f])
                .map(|x| x.mid().round_sig(10))
                .collect();
            assert_eq!(cells, want, "problem {} epoch {}", tr.problem, e.epoch);
        }
        // the worked epochs end on the engine's points
        for (k, ev) in v["problems"][pi]["worked"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let after = ev["after"].as_array().unwrap();
            for (i, w) in tr.epochs[k].after.iter().enumerate() {
                let line = after[i].as_str().unwrap();
                let shown = line.rsplit(' ').next().unwrap();
                let got = Num::parse(shown).unwrap();
                assert_eq!(got, w.mid().round_sig(10), "{line}");
                let exact = w.is_exact() && w.mid().round_sig(10) == *w.mid();
                assert_eq!(line.contains("\\approx"), !exact, "{line}");
            }
        }
    }
    // the quiz's numbers, as the course states them, are in the English sheet
    let md = sheet(&ex, "en", Format::Markdown);
    for n in [
        "-4.232",
        "-0.72",
        "-4.268",
        "1.12",
        "-3.435197541",
        "-0.5915234259",
    ] {
        assert!(md.contains(n), "missing {n}");
    }
}

const HOSTILE: &str = r#"
title = "\\input{/etc/passwd} <script>alert(1)</script> {{ 1 + 1 }} {% raw %} $x$ 100% #1 a_b ~ ^ &amp; *em* [l](x)"
objective = "0.1*w1^2 + 2*w2^2"
start = [-5, -2]
worked_epochs = 1
tabulated_epochs = 2

[[problem]]
id = "gd"
title = { vi = "<img src=x onerror=alert(1)> \\def\\x{y}", en = "</main><script>x()</script> << t.title >> \\end{document}" }
optimizer = "gd"
params = { lr = 0.4 }
"#;

#[test]
fn hostile_text_appears_verbatim_and_runs_nothing() {
    let ex = spec::load("hostile.toml", HOSTILE).unwrap();
    let md = sheet(&ex, "en", Format::Markdown);
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"), "{md}");
    assert!(
        md.contains("{{ 1 + 1 }}") || md.contains("\\{\\{ 1 + 1 \\}\\}"),
        "{md}"
    );
    let tex = sheet(&ex, "en", Format::Latex);
    assert!(
        tex.contains("\\textbackslash{}input\\{/etc/passwd\\}"),
        "{tex}"
    );
    assert!(!tex.contains("\\input{/etc/passwd}"));
    assert!(tex.contains("\\textbackslash{}end\\{document\\}"));
    assert!(tex.contains("100\\% \\#1 a\\_b"));
    assert!(
        tex.contains("<< t.title >>"),
        "Tera syntax in user text is not evaluated"
    );
    let page = sheet(&ex, "en", Format::Html);
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("{{ 1 + 1 }}"));
    assert!(!page.contains("</main><script>"));
    let vi = sheet(&ex, "vi", Format::Html);
    assert!(!vi.contains("<img"), "{vi}");
    assert!(vi.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let ex = spec::builtin();
    for f in Format::ALL {
        assert_eq!(sheet(&ex, "vi", f), sheet(&ex, "vi", f));
    }
}

#[test]
fn templates_can_be_overridden_file_by_file() {
    let scratch = Scratch::new();
    let dir = scratch.path();
    std::fs::create_dir_all(dir.join("i18n")).unwrap();
    std::fs::write(dir.join("sheet.md"), "# {{ title }}\n{% for p in problems %}- {{ p.heading }}: {{ p.final_math | safe }}\n{% endfor %}").unwrap();
    let ex = spec::builtin();
    let t = Templates::new(Some(dir)).unwrap();
    let md = render::render(&t, &ex, &traces(&ex), "en", Format::Markdown, 4).unwrap();
    assert!(md.starts_with("# Optimization algorithms"), "{md}");
    assert!(
        md.contains("- Gradient descent: w^{(30)} \\approx \\left(-0.4098,"),
        "{md}"
    );
    // the LaTeX template was not overridden
    let tex = render::render(&t, &ex, &traces(&ex), "en", Format::Latex, 4).unwrap();
    assert!(tex.starts_with("\\documentclass"));
}

#[test]
fn the_precision_report_is_pinned() {
    let ex = spec::builtin();
    let sol = traces(&ex);
    let mut out = String::new();
    for lang in ["en", "vi"] {
        let cat = Catalog::builtin(lang).unwrap();
        let v = view::sheet(&ex, &sol, &[], &cat, 10);
        for p in &v.problems {
            out.push_str(&format!(
                "{} ({lang})\n  {}\n",
                p.id,
                p.precision.header.join(" | ")
            ));
            for r in &p.precision.rows {
                out.push_str(&format!("  {}\n", r.join(" | ")));
            }
        }
    }
    snapshots(|| insta::assert_snapshot!("precision-report", out));
    // float32 keeps few digits of RMSProp's w2 ~ -3e-17; float64 many more
    let cat = Catalog::builtin("en").unwrap();
    let v = view::sheet(&ex, &sol, &[], &cat, 10);
    let rms = v.problems.iter().find(|p| p.id == "rmsprop").unwrap();
    let f32_digits: i64 = rms.precision.rows[1][3].parse().unwrap();
    let f64_digits: i64 = rms.precision.rows[1][5].parse().unwrap();
    assert!(f32_digits < f64_digits, "{:?}", rms.precision.rows);
}

#[test]
fn an_overriding_catalog_must_be_complete() {
    let scratch = Scratch::new();
    let dir = scratch.path();
    std::fs::create_dir_all(dir.join("i18n")).unwrap();
    std::fs::write(
        dir.join("i18n/en.toml"),
        "[text]\nsheet_title = \"Solutions\"\n[step]\n[optimizer]\n",
    )
    .unwrap();
    let ex = spec::builtin();
    let t = Templates::new(Some(dir)).unwrap();
    let err = render::render(&t, &ex, &traces(&ex), "en", Format::Markdown, 4).unwrap_err();
    assert!(
        err.to_string().contains("i18n/en.toml: missing text '"),
        "{err}"
    );
}

#[test]
fn the_reading_knows_the_minimum_of_a_convex_quadratic() {
    let md = sheet(&spec::builtin(), "en", Format::Markdown);
    assert!(
        md.contains("The minimum of f is at $w^{*} = \\left(0,\\ 0\\right)$"),
        "{md}"
    );
    assert!(md.contains(
        "$w_{2}$ crossed $w_{2}^{*}$ 30 times: it oscillates around it while the swings shrink."
    ));
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/exercises/booth.toml"
    ))
    .unwrap();
    let booth = spec::load("booth.toml", &src).unwrap();
    let md = sheet(&booth, "en", Format::Markdown);
    // Booth's function is a convex quadratic with its minimum 0 at (1, 3)
    assert!(md.contains("the minimum value is $0$"), "{md}");
    assert!(md.contains("$w^{*} = \\left(1,\\ 3\\right)$"), "{md}");
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/exercises/rosenbrock.toml"
    ))
    .unwrap();
    let rosen = spec::load("rosenbrock.toml", &src).unwrap();
    let md = sheet(&rosen, "en", Format::Markdown);
    assert!(
        !md.contains("The minimum of f is at"),
        "Rosenbrock is not a quadratic"
    );
    assert!(md.contains("f shrank by a factor of about"));
}

/// A state that starts elsewhere than 0 (AdaGrad's sum in optax and Keras) says so in the update rule,
/// shows it at epoch 1, and the code creates it with that value; states from 0 say nothing.
#[test]
fn a_state_not_starting_at_zero_is_stated_and_coded() {
    let src = "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"k\"\noptimizer = \"adagrad\"\nconvention = \"keras\"\n[[problem]]\nid = \"t\"\noptimizer = \"adagrad\"\nconvention = \"pytorch\"\n";
    let ex = spec::load("s.toml", src).unwrap();
    for lang in ["en", "vi"] {
        let md = sheet(&ex, lang, Format::Markdown);
        assert_eq!(md.matches("s_{i}^{(0)} = 0.1").count(), 1, "{lang}");
        assert!(md.contains("&= 0.1 + 2^{2} = 4.1"), "{lang}");
    }
    let code = |i: usize| {
        let tr = stepwise::trace::trace(&ex, &ex.problems[i], 0).unwrap();
        render::render_code(
            &Templates::default(),
            &ex,
            i,
            &tr,
            "en",
            render::code::Dtype::F32,
        )
        .unwrap()
    };
    assert!(code(0).contains("    S = np.full_like(W, 0.1)\n"));
    assert!(code(1).contains("    S = np.zeros_like(W)\n"));
}

/// A long run's table shows its first and last epochs and a round step between, and says so; every
/// epoch goes to a CSV file beside the sheet, which stays small.
#[test]
fn a_long_run_shows_a_sample_and_writes_every_row_beside() {
    let scratch = Scratch::new();
    let src = "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\nworked_epochs = 1\ntabulated_epochs = 5000\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 0.4 }\n";
    let path = scratch.join("long.toml");
    std::fs::write(&path, src).unwrap();
    let ex = spec::load("long.toml", src).unwrap();
    let sol = traces(&ex);
    let cat = Catalog::builtin("en").unwrap();
    let v = view::sheet(&ex, &sol, &[], &cat, 10);
    let table = &v.problems[0].table;
    assert!(table.rows.len() <= 200, "{} rows", table.rows.len());
    let epochs: Vec<&str> = table.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(&epochs[..3], ["0", "1", "2"]);
    assert_eq!(epochs.last(), Some(&"5000"));
    assert!(
        epochs.contains(&"50") && epochs.contains(&"4950"),
        "{epochs:?}"
    );
    assert_eq!(
        table.note,
        "The run has 5001 rows: the table shows 139 of them, the first and last 20 and every epoch that is a multiple of 50 between; every row, with every digit, is in the file gd-trajectory.csv."
    );
    let out = scratch.join("out");
    let run = crate::harness::stepwise(&[
        "solve",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    let csv = std::fs::read_to_string(out.join("gd-trajectory.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5002);
    assert_eq!(lines[0], "epoch,w1,w2,f");
    assert_eq!(lines[1], "0,-5,-2,10.5");
    assert_eq!(lines[3], "2,-4.232,-0.72,2.8277824");
    for f in ["solution-en.md", "solution-vi.html", "solution-en.tex"] {
        let size = std::fs::metadata(out.join(f)).unwrap().len();
        assert!(size < 400_000, "{f}: {size} bytes");
    }
    // the built-in exercise's tables are short: no file
    assert!(
        stepwise::render::trajectory_files(&spec::builtin(), &traces(&spec::builtin())).is_empty()
    );
}
