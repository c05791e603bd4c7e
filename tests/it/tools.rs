//! The real tools: generated LaTeX compiled by XeLaTeX, generated HTML opened by headless Chromium.
//! Without the tool a test says so and passes, except under `CI=true`, where it fails (see
//! [`tool`]; `.ci/test` installs the tools).

use crate::harness::{tool, Scratch, Tool};
use std::path::Path;
use std::process::Command;
use stepwise::render::{self, Format, Templates};
use stepwise::spec::{self, Exercise};

fn sheet(ex: &Exercise, lang: &str, format: Format) -> String {
    let sol = stepwise::solution::solve(ex).unwrap();
    render::render(&Templates::default(), ex, &sol, lang, format, 10).unwrap()
}

fn xelatex(engine: &Path, dir: &Path, tex: &str) -> String {
    std::fs::write(dir.join("sheet.tex"), tex).unwrap();
    let out = Command::new(engine)
        .args(["-interaction=nonstopmode", "-halt-on-error", "sheet.tex"])
        .current_dir(dir)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "xelatex failed:\n{log}");
    assert!(dir.join("sheet.pdf").is_file());
    log
}

/// The text of `sheet.pdf` in `dir`, when pdftotext is there (see [`tool`]).
fn pdftotext(dir: &Path) -> Option<String> {
    let out = Command::new(tool(Tool::Pdftotext)?)
        .args(["sheet.pdf", "-"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn latex_sheets_compile_with_xelatex() {
    let Some(engine) = tool(Tool::Xelatex) else {
        return;
    };
    let ex = spec::builtin();
    for lang in ["vi", "en"] {
        let scratch = Scratch::new();
        let dir = scratch.path();
        let log = xelatex(&engine, dir, &sheet(&ex, lang, Format::Latex));
        // every glyph, and nothing past the margin by more than a few points
        crate::harness::assert_clean_latex_log(lang, &log);
        if let Some(text) = pdftotext(dir) {
            let want = if lang == "vi" {
                "Bài 4. Adam"
            } else {
                "Exercise 4. Adam"
            };
            assert!(text.contains(want), "{lang}: the PDF lacks '{want}'");
            if lang == "vi" {
                assert!(
                    text.contains("Trình bày từng bước"),
                    "Vietnamese diacritics survive"
                );
            }
        }
    }
}

#[test]
fn hostile_latex_compiles_and_prints_the_text() {
    let Some(engine) = tool(Tool::Xelatex) else {
        return;
    };
    let src = "title = \"\\\\input{/etc/passwd} 100% #1 a_b ~ ^ & $x$ {{ y }}\"\nobjective = \"w1^2\"\nstart = [1]\nworked_epochs = 1\ntabulated_epochs = 1\n[[problem]]\nid = \"gd\"\ntitle = \"\\\\end{document}\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n";
    let ex = spec::load("hostile.toml", src).unwrap();
    let scratch = Scratch::new();
    let dir = scratch.path();
    xelatex(&engine, dir, &sheet(&ex, "en", Format::Latex));
    if let Some(text) = pdftotext(dir) {
        assert!(text.contains("\\input{/etc/passwd} 100% #1 a_b"), "{text}");
        assert!(text.contains("\\end{document}"), "{text}");
    }
}

#[test]
fn html_sheet_opens_in_chromium() {
    let Some(browser) = tool(Tool::Chromium) else {
        return;
    };
    let ex = spec::builtin();
    let dir = Scratch::new();
    let page = dir.join("sheet.html");
    std::fs::write(&page, sheet(&ex, "vi", Format::Html)).unwrap();
    let profile = dir.join("profile");
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=390,1200",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dom.contains("<h2>Bài 4. Adam</h2>"),
        "the page's DOM: {dom:.2000}"
    );
    assert!(
        dom.matches("<math").count() > 150,
        "MathML formulas in the DOM"
    );
    assert!(dom.contains("<table>"));
}

/// An exercise that runs one optimizer in several forms: the sheet names each form, gives the
/// PyTorch call, and ends with the comparison table; the LaTeX compiles with it.
#[test]
fn a_sheet_of_several_forms_compiles_and_compares_them() {
    let path = crate::harness::root().join("tests/exercises/forms.toml");
    let src = std::fs::read_to_string(&path).unwrap();
    let ex = spec::load("forms.toml", &src).unwrap();
    let md = sheet(&ex, "en", Format::Markdown);
    assert!(md.contains("## One optimizer in several forms"), "{md}");
    assert!(md.contains("| torch | heavy-ball (pytorch) | lr = 0.6, beta = 0.5 | 1 |"));
    assert!(md.contains("`torch.optim.SGD(params, lr=0.6, momentum=0.5, dampening=0.5)`"));
    let vi = sheet(&ex, "vi", Format::Markdown);
    assert!(vi.contains("## Một thuật toán ở nhiều dạng"));
    // the built-in exercise runs each optimizer in one form: no comparison
    assert!(!sheet(&spec::builtin(), "en", Format::Markdown).contains("several forms"));
    let Some(engine) = tool(Tool::Xelatex) else {
        return;
    };
    let scratch = Scratch::new();
    let dir = scratch.path();
    xelatex(&engine, dir, &sheet(&ex, "en", Format::Latex));
    if let Some(text) = pdftotext(dir) {
        assert!(text.contains("One optimizer in several forms"));
        assert!(text.contains("heavy-ball"));
    }
}

/// Other exercise files (three variables: a display per component and a long final point; Booth's
/// function; one optimizer in several forms): their LaTeX sheets show every glyph and nothing past
/// the margin either.
#[test]
fn latex_sheets_of_other_exercises_stay_in_their_margins() {
    let Some(engine) = tool(Tool::Xelatex) else {
        return;
    };
    for name in ["three-variables", "booth", "forms"] {
        let path = crate::harness::root().join(format!("tests/exercises/{name}.toml"));
        let src = std::fs::read_to_string(&path).unwrap();
        let ex = spec::load(&format!("{name}.toml"), &src).unwrap();
        let scratch = Scratch::new();
        let log = xelatex(&engine, scratch.path(), &sheet(&ex, "vi", Format::Latex));
        crate::harness::assert_clean_latex_log(name, &log);
    }
}

/// The text of one part of a Word document (a zip file).
fn docx_part(path: &Path, part: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut entry = zip.by_name(part).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    text
}

/// `solve --format docx` makes Word documents through pandoc: equations are Word's own (Office Math),
/// the Vietnamese text reads right, and the figures are inside; without pandoc it names the install.
#[test]
fn word_documents_have_native_equations() {
    let scratch = Scratch::new();
    // without pandoc on the path: one clear line
    let bin = env!("CARGO_BIN_EXE_stepwise");
    let out = Command::new(bin)
        .args(["solve", "--format", "docx", "--out"])
        .arg(scratch.join("none"))
        .env("PATH", scratch.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("apt-get install pandoc"), "{err}");
    assert!(!scratch.join("none").exists(), "nothing written");
    if tool(Tool::Pandoc).is_none() {
        return;
    }
    let dir = scratch.join("docx");
    // exercise 5 without results (its figures are counted in tests/it/exercise5.rs)
    let none = scratch.arg("no-results");
    let run = crate::harness::stepwise(&[
        "solve",
        "--format",
        "docx",
        "--out",
        dir.to_str().unwrap(),
        "--vanishing",
        &none,
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    for lang in ["vi", "en"] {
        let doc = docx_part(
            &dir.join(format!("solution-{lang}.docx")),
            "word/document.xml",
        );
        let equations = doc.matches("<m:oMath>").count();
        assert!(equations > 150, "{lang}: {equations} Word equations");
        // no formula was left as TeX text
        assert!(!doc.contains("\\frac"), "{lang}");
        assert!(!doc.contains("$"), "{lang}");
        let (heading, step) = if lang == "vi" {
            ("Bài 4. Adam", "Trình bày từng bước")
        } else {
            ("Exercise 4. Adam", "Step by step")
        };
        assert!(doc.contains(heading), "{lang}: {heading}");
        assert!(doc.contains(step), "{lang}: {step}");
        // the seven figures are inside
        let rels = docx_part(
            &dir.join(format!("solution-{lang}.docx")),
            "word/_rels/document.xml.rels",
        );
        assert_eq!(rels.matches(".svg\"").count(), 7, "{lang}");
    }
    // only the documents (and the code) were written: no Markdown, no SVG
    assert!(!dir.join("solution-vi.md").exists());
    assert!(!dir.join("gd-figure.svg").exists());
}

/// The HTML sheets fit a phone (390 px) and a desktop (1200 px): Chromium lays each out in a frame of
/// that width, and the page's scrollWidth is the frame's width (tables, code and long formulas
/// scroll inside their own box). A quiz option shows its letter only, not a bullet too.
#[test]
fn html_sheets_fit_phone_and_desktop_widths() {
    let Some(browser) = tool(Tool::Chromium) else {
        return;
    };
    let ex = spec::builtin();
    let dir = Scratch::new();
    for lang in ["vi", "en"] {
        std::fs::write(
            dir.join(&format!("solution-{lang}.html")),
            sheet(&ex, lang, Format::Html),
        )
        .unwrap();
    }
    // a probe page (test only) frames each sheet at both widths and writes what it measured
    let probe = r#"<!DOCTYPE html><html><body>
<iframe id="vi390" src="solution-vi.html" style="width:390px;height:900px;border:0"></iframe>
<iframe id="vi1200" src="solution-vi.html" style="width:1200px;height:900px;border:0"></iframe>
<iframe id="en390" src="solution-en.html" style="width:390px;height:900px;border:0"></iframe>
<iframe id="en1200" src="solution-en.html" style="width:1200px;height:900px;border:0"></iframe>
<script>
window.addEventListener('load', function () {
  var out = [];
  ['vi390', 'vi1200', 'en390', 'en1200'].forEach(function (id) {
    var d = document.getElementById(id).contentDocument;
    var li = d.querySelector('li');
    out.push(id + '=' + d.documentElement.scrollWidth + '/' + d.documentElement.clientWidth
      + '/' + (li ? getComputedStyle(li).listStyleType : 'no-li'));
  });
  document.body.setAttribute('data-widths', out.join(' '));
});
</script></body></html>"#;
    std::fs::write(dir.join("probe.html"), probe).unwrap();
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--window-size=1400,1000",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", dir.join("probe.html").display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let measured = dom
        .split("data-widths=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no measure in the DOM: {dom:.2000}"));
    for m in measured.split(' ') {
        let (id, v) = m.split_once('=').unwrap();
        let parts: Vec<&str> = v.split('/').collect();
        let scroll: u32 = parts[0].parse().unwrap();
        let client: u32 = parts[1].parse().unwrap();
        assert!(client > 300, "{id}: the frame was laid out ({m})");
        assert!(
            scroll <= client,
            "{id}: the page is {scroll} px wide in {client} px"
        );
        assert_eq!(parts[2], "none", "{id}: a quiz option shows a bullet too");
    }
}
