//! Exercise 5 in the answer sheet: the section rendered from the small hand-made results in
//! `tests/data/vanishing` (not a training run), snapshotted in both languages; the same section
//! through `stepwise solve --vanishing` in every format (LaTeX compiled, Word converted); the
//! paragraph that says how to make the results when there are none; bad results files refused; and
//! `stepwise vanishing --save-init`'s `.npy` files read by real NumPy.

use crate::harness::{root, snapshots, stepwise, tool, Scratch, Tool};
use std::path::{Path, PathBuf};
use std::process::Command;
use stepwise::render::{self, Format, Templates};
use stepwise::spec;
use stepwise::vanishing::report;

fn data() -> PathBuf {
    root().join("tests/data/vanishing")
}

/// The sheet of the built-in exercise with the section made from `dir`.
fn sheet(dir: &Path, lang: &str, format: Format) -> String {
    let ex = spec::builtin();
    let sol = stepwise::solution::solve(&ex).unwrap();
    let settings = ex
        .vanishing
        .as_ref()
        .expect("the built-in exercise has exercise 5");
    let section = report::section(settings, dir, "stepwise vanishing --out DIR").unwrap();
    render::render_sheet(
        &Templates::default(),
        &ex,
        &sol,
        Some(&section),
        lang,
        format,
        10,
    )
    .unwrap()
}

/// The section alone: from its heading to the quiz's.
fn section_text(sheet: &str, start: &str, end: &str) -> String {
    let from = sheet.find(start).unwrap_or_else(|| panic!("no '{start}'"));
    let to = sheet[from..].find(end).map_or(sheet.len(), |i| from + i);
    sheet[from..to].to_string()
}

/// The LaTeX section with each tikzpicture's body left out (the figures have snapshots of their own
/// in SVG form; their TikZ is the same drawing).
fn without_pictures(tex: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in tex.lines() {
        if line.contains("\\begin{tikzpicture}") {
            inside = true;
            out.push_str("\\begin{tikzpicture} ... \\end{tikzpicture}\n");
        }
        if !inside {
            out.push_str(line);
            out.push('\n');
        }
        if line.contains("\\end{tikzpicture}") {
            inside = false;
        }
    }
    out
}

#[test]
fn the_exercise_5_section_from_fixed_results() {
    let en = section_text(
        &sheet(&data(), "en", Format::Markdown),
        "## Exercise 5.",
        "## Quiz",
    );
    let vi = section_text(
        &sheet(&data(), "vi", Format::Markdown),
        "## Bài 5.",
        "## Trắc nghiệm",
    );
    let tex = without_pictures(&section_text(
        &sheet(&data(), "en", Format::Latex),
        "\\section*{Exercise 5.",
        "\\section*{Quiz}",
    ));
    snapshots(|| {
        insta::assert_snapshot!("exercise5-en-md", en);
        insta::assert_snapshot!("exercise5-vi-md", vi);
        insta::assert_snapshot!("exercise5-en-tex", tex);
    });
    // the reading states the fixture's numbers (worked out by hand from tests/data/vanishing):
    // sgd, epoch 1: output 0.30; layers 1-3 at 8.4e-5, 3.1e-4, 1.2e-3 are 3571, 968 and 250 times
    // smaller, layer 4 (5.0e-3) only 60 times
    assert!(en.contains("sgd, epoch 1: the gradients of layers 1, 2 and 3 vanished: $250$ to $3600$ times smaller than the gradient of the output layer 6 (layer 1: $8.4 \\times 10^{-5}$ against $0.30$)."), "{en}");
    // momentum, epoch 4: 0.35 / 1.9e-3 = 184, 0.35 / 4.2e-3 = 83
    assert!(
        en.contains("momentum, epoch 4: the gradient of layer 1 vanished: $180$ times smaller"),
        "{en}"
    );
    // adam, epoch 1: 0.32 / 0.052 = 6.15 at most
    assert!(en.contains("adam, epoch 1: no layer's gradient vanished; the smallest against the output layer's is that of layer 1, $6.2$ times smaller"), "{en}");
    assert!(en.contains("Left chance level: momentum in epoch 4 (final test accuracy 0.3058) and adam in epoch 1 (final test accuracy 0.8315)."), "{en}");
    assert!(en.contains("Never above 0.2, so still at chance level: sgd (best test accuracy 0.1235 in 4 epochs)."), "{en}");
    assert!(
        en.contains("| sgd | 4 | 0.1235 | 0.1235 (4) | never | 2.3025 |"),
        "{en}"
    );
    assert!(
        en.contains("(70000) instead of the 10000 test images"),
        "{en}"
    );
    // the figures: accuracy, loss, and the gradients of each optimizer
    for f in [
        "vanishing-accuracy.svg",
        "vanishing-loss.svg",
        "vanishing-gradients-sgd.svg",
        "vanishing-gradients-momentum.svg",
        "vanishing-gradients-adam.svg",
    ] {
        assert!(en.contains(&format!("]({f})")), "{f}");
        assert!(vi.contains(&format!("]({f})")), "{f}");
    }
    // the Vietnamese section is Vietnamese
    for english in [
        "Set-up",
        "Results",
        "against",
        "times smaller",
        "Left chance",
        "never",
    ] {
        assert!(
            !vi.contains(english),
            "'{english}' in the Vietnamese section"
        );
    }
}

#[test]
fn solve_says_how_to_make_the_results_when_there_are_none() {
    let s = Scratch::new();
    let out = s.arg("out");
    let none = s.arg("no-results");
    let run = stepwise(&[
        "solve",
        "--out",
        &out,
        "--format",
        "md",
        "--lang",
        "en",
        "--vanishing",
        &none,
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    let md = std::fs::read_to_string(s.join("out/solution-en.md")).unwrap();
    let section = section_text(&md, "## Exercise 5.", "## Quiz");
    assert!(
        section.contains(&format!(
            "No results of this experiment were found in {none}."
        )),
        "{section}"
    );
    assert!(
        section.contains(&format!("```sh\nstepwise vanishing --out {none}\n```")),
        "{section}"
    );
    // the set-up is the exercise's: 300 epochs, five optimizers
    assert!(section.contains("300 epochs; seed 0"), "{section}");
    for o in ["sgd", "momentum", "rmsprop", "adam", "adopt"] {
        assert!(section.contains(&format!("| {o} (")), "{o}");
    }
    assert!(!s.join("out/vanishing-accuracy.svg").exists());
    // an exercise file is named in the command; one without [vanishing] has no section
    let file = s.join("my ex.toml");
    std::fs::write(&file, "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n").unwrap();
    let run = stepwise(&[
        "solve",
        file.to_str().unwrap(),
        "--lang",
        "en",
        "--format",
        "md",
        "-o",
        "-",
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(!run.stdout.contains("Vanishing"), "{}", run.stdout);
    std::fs::write(&file, "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n[vanishing]\nepochs = 3\n").unwrap();
    let run = stepwise(&[
        "solve",
        file.to_str().unwrap(),
        "--lang",
        "en",
        "--format",
        "md",
        "-o",
        "-",
        "--vanishing",
        &none,
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "stepwise vanishing '{}' --out {none}",
            file.display()
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("3 epochs"), "{}", run.stdout);
}

#[test]
fn solve_with_results_writes_the_section_in_every_format() {
    let s = Scratch::new();
    let out = s.arg("out");
    let dir = data();
    let run = stepwise(&["solve", "--out", &out, "--vanishing", dir.to_str().unwrap()]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    for f in [
        "accuracy",
        "loss",
        "gradients-sgd",
        "gradients-momentum",
        "gradients-adam",
    ] {
        let svg = std::fs::read_to_string(s.join(&format!("out/vanishing-{f}.svg"))).unwrap();
        assert!(svg.starts_with("<svg "), "{f}");
    }
    for lang in ["en", "vi"] {
        let html = std::fs::read_to_string(s.join(&format!("out/solution-{lang}.html"))).unwrap();
        // the figures are inline, not linked
        assert!(!html.contains("vanishing-accuracy.svg"), "{lang}");
        assert_eq!(html.matches("<svg").count(), 7 + 5, "{lang}");
        let tex = std::fs::read_to_string(s.join(&format!("out/solution-{lang}.tex"))).unwrap();
        assert_eq!(tex.matches("\\begin{tikzpicture}").count(), 7 + 5, "{lang}");
    }
    // the LaTeX sheets compile, nothing past the margin by more than 10 pt
    if let Some(engine) = tool(Tool::Xelatex) {
        for lang in ["en", "vi"] {
            let work = Scratch::new();
            std::fs::copy(
                s.join(&format!("out/solution-{lang}.tex")),
                work.join("sheet.tex"),
            )
            .unwrap();
            let o = Command::new(&engine)
                .args(["-interaction=nonstopmode", "-halt-on-error", "sheet.tex"])
                .current_dir(work.path())
                .output()
                .unwrap();
            let log = String::from_utf8_lossy(&o.stdout);
            assert!(o.status.success(), "{lang}: xelatex failed:\n{log}");
            crate::harness::assert_clean_latex_log(lang, &log);
        }
    }
    // Word: the section's figures are inside
    if tool(Tool::Pandoc).is_some() {
        let docx = s.arg("docx");
        let run = stepwise(&[
            "solve",
            "--format",
            "docx",
            "--lang",
            "vi",
            "--out",
            &docx,
            "--vanishing",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(run.code(), Some(0), "{}", run.stderr);
        let file = std::fs::File::open(s.join("docx/solution-vi.docx")).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut rels = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("word/_rels/document.xml.rels").unwrap(),
            &mut rels,
        )
        .unwrap();
        assert_eq!(rels.matches(".svg\"").count(), 7 + 5);
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
            .unwrap();
        assert!(doc.contains("Bài 5. Vanishing gradient"));
    }
}

#[test]
fn bad_results_are_refused_with_the_file_named() {
    let s = Scratch::new();
    let dir = s.join("results");
    std::fs::create_dir_all(&dir).unwrap();
    let json = std::fs::read_to_string(data().join("vanishing.json")).unwrap();
    std::fs::write(
        dir.join("vanishing.json"),
        json.replace("\"adam\",", "\"ad am\","),
    )
    .unwrap();
    let run = stepwise(&[
        "solve",
        "-o",
        "-",
        "--lang",
        "en",
        "--format",
        "md",
        "--vanishing",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code(), Some(2));
    assert_eq!(
        run.stderr.trim(),
        format!(
            "stepwise: {}: not the results of stepwise vanishing: optimizer 'ad am' is not a name of a-z, 0-9, '_' and '-'",
            dir.join("vanishing.json").display()
        )
    );
    std::fs::write(dir.join("vanishing.json"), &json).unwrap();
    std::fs::write(dir.join("vanishing.csv"), "optimizer,epoch\n").unwrap();
    let run = stepwise(&[
        "solve",
        "-o",
        "-",
        "--lang",
        "en",
        "--format",
        "md",
        "--vanishing",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr
            .contains("vanishing.csv: does not hold the numbers of"),
        "{}",
        run.stderr
    );
}

/// `--save-init` writes the initial weights and every epoch's batch order as .npy files that NumPy
/// reads, holding the numbers the Rust run uses.
#[test]
fn save_init_writes_npy_files_numpy_reads() {
    let s = Scratch::new();
    let data_dir = s.join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    crate::vanishing::synthetic(&data_dir, 40, 10);
    let ex = crate::vanishing::exercise(&s, 16);
    let out = s.join("out");
    let run = stepwise(&[
        "vanishing",
        &ex,
        "--epochs",
        "2",
        "--optimizers",
        "sgd",
        "--data",
        data_dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--threads",
        "1",
        "--save-init",
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    let npy = out.join("vanishing-init");
    assert!(
        run.stdout.contains(&format!(
            "wrote the initial weights and batch orders as .npy files into {}",
            npy.display()
        )),
        "{}",
        run.stdout
    );
    // the Rust side: the plan of that exercise and its arrays
    let loaded = spec::load(&ex, &std::fs::read_to_string(&ex).unwrap()).unwrap();
    let mut settings = loaded.vanishing.clone().unwrap();
    settings.epochs = 2;
    let plan = stepwise::vanishing::Plan::new(settings, 1);
    let params = stepwise::vanishing::initial_params(&plan);
    let layout = stepwise::vanishing::mlp::Layout::new(&plan.sizes);
    let mut orders = Vec::new();
    for epoch in 1..=2 {
        let mut o = vec![0u32; 40];
        stepwise::vanishing::rng::Rng::new(plan.settings.seed, epoch).permutation(&mut o);
        orders.push(o);
    }
    // the .npy files' names and sizes
    let mut names: Vec<String> = std::fs::read_dir(&npy)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2 * layout.layers.len() + 1);
    assert!(names.contains(&"order.npy".to_string()));
    let Some(python) = tool(Tool::NumPy) else {
        return;
    };
    // NumPy prints every array's dtype, shape and the bits of every value
    let script = r#"
import sys, os
import numpy as np
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    a = np.load(os.path.join(d, name))
    bits = a.view(np.uint32) if a.dtype == np.float32 else a
    print(name, a.dtype.str, a.shape, " ".join(str(int(x)) for x in bits.ravel()))
"#;
    let o = Command::new(python)
        .args(["-c", script, npy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let mut want = Vec::new();
    for (i, l) in layout.layers.iter().enumerate() {
        let bits = |xs: &[f32]| {
            xs.iter()
                .map(|x| x.to_bits().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        want.push(format!(
            "layers.{i}.bias.npy <f4 ({},) {}",
            l.output,
            bits(&params[l.bias..l.end])
        ));
        want.push(format!(
            "layers.{i}.weight.npy <f4 ({}, {}) {}",
            l.output,
            l.input,
            bits(&params[l.weights..l.bias])
        ));
    }
    want.push(format!(
        "order.npy <i8 (2, 40) {}",
        orders
            .iter()
            .flatten()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    ));
    want.sort();
    let mut got: Vec<&str> = text.lines().collect();
    got.sort();
    assert_eq!(got, want);
    // the weights are the seed's normal draws, not zeros; every order is a permutation
    assert!(params[..10].iter().any(|&x| x != 0.0));
    for o in &orders {
        let mut s = o.clone();
        s.sort_unstable();
        assert_eq!(s, (0..40).collect::<Vec<u32>>());
    }
}
