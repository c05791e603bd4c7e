//! The bodies of the fuzz targets. `fuzz/fuzz_targets/*.rs` call these with libFuzzer's inputs; the
//! test `fuzz_inputs_replay` calls them with every file under `fuzz/seeds/` and `fuzz/regressions/`,
//! so an input that once crashed stays a test. Each function returns normally for any input: a
//! panic is the bug a fuzzer looks for.

use crate::expr::Poly;
use crate::quiz::keyfile;
use crate::render::{self, export, Format, Templates};
use crate::{solution, spec};

/// A target's body.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/Cargo.toml` names them.
pub const TARGETS: [(&str, Target); 4] = [
    ("exercise", exercise),
    ("expression", expression),
    ("keyfile", keyfile),
    ("pipeline", pipeline),
];

/// Loads `data` as an exercise file and solves it for a few epochs.
pub fn exercise(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut ex) = spec::load("fuzz.toml", src) else {
        return;
    };
    shorten(&mut ex);
    let _ = solution::solve(&ex);
}

/// Parses `data` as an objective in three variables, differentiates and prints it.
pub fn expression(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = Poly::parse(src, 3) {
        let _ = p.gradient();
        let _ = p.to_latex();
        let _ = p.to_python();
    }
}

/// Reads `data` as a grader's key file against the built-in quiz; a key that reads names only
/// questions of the quiz.
pub fn keyfile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ex = spec::builtin();
    if let Ok(lines) = keyfile::parse("key.txt", text, &ex.quiz) {
        for l in lines {
            assert!(
                (1..=ex.quiz.len()).contains(&l.question),
                "a key line names question {} of {}",
                l.question,
                ex.quiz.len()
            );
        }
    }
}

/// Takes `data` as an exercise file through the whole pipeline to text: the statement and the
/// answer sheet in every format and language, and the key's exports.
pub fn pipeline(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut ex) = spec::load("fuzz.toml", src) else {
        return;
    };
    shorten(&mut ex);
    let t = Templates::default();
    for lang in ["vi", "en"] {
        for f in Format::ALL {
            let _ = render::render_statement(&t, &ex, lang, f);
        }
    }
    let Ok(sol) = solution::solve(&ex) else {
        return;
    };
    // an exercise with a [vanishing] table gets its exercise-5 section (here: without results)
    let section = ex.vanishing.as_ref().and_then(|v| {
        crate::vanishing::report::section(v, std::path::Path::new("/nonexistent"), "stepwise").ok()
    });
    for lang in ["vi", "en"] {
        for f in Format::ALL {
            let _ = render::render_sheet(&t, &ex, &sol, section.as_ref(), lang, f, 6);
        }
        if let Ok(cat) = t.catalog(lang) {
            for target in [export::Target::Moodle, export::Target::Gift] {
                for numerical in [false, true] {
                    let _ = export::export(&ex, &sol.key, &cat, target, numerical);
                }
            }
        }
    }
}

/// A few epochs reach every part of the engine and the renderers; the limits bound the rest.
fn shorten(ex: &mut crate::spec::Exercise) {
    for p in &mut ex.problems {
        p.tabulated_epochs = p.tabulated_epochs.min(4);
        p.worked_epochs = p.worked_epochs.min(1);
    }
}
