//! Moodle XML and GIFT exports of the quiz: well-formed, escaped, and pinned.

use crate::harness::snapshots;
use stepwise::render::catalog::Catalog;
use stepwise::render::export::{export, gift_escape, Target};
use stepwise::solution;
use stepwise::spec::{self, Exercise};

fn exported(ex: &Exercise, target: Target, numerical: bool, lang: &str) -> String {
    let sol = solution::solve(ex).unwrap();
    let cat = Catalog::builtin(lang).unwrap();
    export(ex, &sol.key, &cat, target, numerical).text
}

#[test]
fn exports_of_the_builtin_quiz_are_pinned() {
    let ex = spec::builtin();
    snapshots(|| {
        insta::assert_snapshot!(
            "export-moodle-en",
            exported(&ex, Target::Moodle, false, "en")
        )
    });
    snapshots(|| {
        insta::assert_snapshot!("export-gift-vi", exported(&ex, Target::Gift, false, "vi"))
    });
    snapshots(|| {
        insta::assert_snapshot!(
            "export-moodle-numerical-en",
            exported(&ex, Target::Moodle, true, "en")
        )
    });
}

#[test]
fn moodle_xml_is_well_formed_with_one_right_answer_each() {
    let ex = spec::builtin();
    for lang in ["vi", "en"] {
        let xml = exported(&ex, Target::Moodle, false, lang);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "quiz");
        let questions: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("question") && n.attribute("type") == Some("multichoice"))
            .collect();
        // question 12 is left out: its options are defective
        assert_eq!(questions.len(), 13, "{lang}");
        for q in &questions {
            let answers: Vec<_> = q.children().filter(|n| n.has_tag_name("answer")).collect();
            assert_eq!(answers.len(), 4);
            let right = answers
                .iter()
                .filter(|a| a.attribute("fraction") == Some("100"))
                .count();
            assert_eq!(right, 1);
            let name = q
                .descendants()
                .find(|n| n.has_tag_name("text"))
                .and_then(|n| n.text());
            assert!(name.is_some_and(|n| n.starts_with('Q')));
        }
    }
}

#[test]
fn numerical_questions_carry_the_exact_value_and_a_tolerance() {
    let ex = spec::builtin();
    let xml = exported(&ex, Target::Moodle, true, "en");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let q = doc
        .descendants()
        .find(|n| n.has_tag_name("question") && n.descendants().any(|t| t.text() == Some("Q13 w1")))
        .unwrap();
    let answer = q.children().find(|n| n.has_tag_name("answer")).unwrap();
    let text = |tag: &str| {
        answer
            .children()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .unwrap()
    };
    assert_eq!(text("text"), "-4.60025477943");
    assert_eq!(text("tolerance"), "0.0046");
    let gift = exported(&ex, Target::Gift, true, "en");
    assert!(gift.contains("::Q5 w2:: "), "{gift}");
    assert!(gift.contains("{#-0.72:0.00072"), "{gift}");
}

const HOSTILE: &str = r#"
title = "a <b> & c ]]> d"
objective = "w1^2"
start = [1]
tabulated_epochs = 2

[[problem]]
id = "gd"
optimizer = "gd"
params = { lr = 0.25 }

[[quiz]]
kind = "concept"
question = "What is </text><script>x</script> & {=~#:} \\ here?"
options = ["<b>bold</b>", "a=b ~c {d} #e :f"]
key = "B"
explain = "--> ]]> &amp;"

[[quiz]]
kind = "computed"
question = "w after epoch 1?"
problem = "gd"
epoch = 1
options = ["0.5", "0.75"]
"#;

#[test]
fn hostile_text_survives_both_formats() {
    let ex = spec::load("hostile.toml", HOSTILE).unwrap();
    let xml = exported(&ex, Target::Moodle, false, "en");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts.contains(&"What is </text><script>x</script> & {=~#:} \\ here?"),
        "{xml}"
    );
    assert!(texts.contains(&"<b>bold</b>"));
    assert!(
        texts.contains(&"0.5"),
        "f = w^2, lr 0.25: w = 1 - 0.25 * 2 = 0.5"
    );
    let gift = exported(&ex, Target::Gift, false, "en");
    assert!(
        gift.contains("What is </text><script>x</script> & \\{\\=\\~\\#\\:\\} \\\\ here?"),
        "{gift}"
    );
    assert!(gift.contains("=a\\=b \\~c \\{d\\} \\#e \\:f"), "{gift}");
    assert!(gift.contains("=0.5\n~0.75"), "{gift}");
    assert_eq!(gift_escape("x:y"), "x\\:y");
}

/// The literal pieces (between `{slots}`) of every English phrase that exports and the key use.
fn english_fragments() -> Vec<String> {
    let en = Catalog::builtin("en").unwrap();
    let keys = stepwise::render::verdict::PHRASES.iter().chain(&[
        "export_generated",
        "export_left_out",
        "export_exact",
    ]);
    let mut out = Vec::new();
    for k in keys {
        assert!(en.has_text(k), "{k}");
        for piece in en.text(k).split(['{', '}']).step_by(2) {
            let piece = piece.trim_matches(|c: char| !c.is_alphabetic());
            if piece.len() >= 8 && piece.contains(' ') {
                out.push(piece.to_string());
            }
        }
    }
    assert!(out.len() > 10);
    out
}

#[test]
fn vietnamese_exports_hold_no_english_sentence() {
    let ex = spec::builtin();
    let fragments = english_fragments();
    for (target, numerical) in [
        (Target::Gift, false),
        (Target::Moodle, false),
        (Target::Moodle, true),
    ] {
        let text = exported(&ex, target, numerical, "vi");
        for f in &fragments {
            assert!(
                !text.contains(f.as_str()),
                "{target:?}: '{f}' in the vi export"
            );
        }
        // and the English export does use them, so the check can fail
        let en = exported(&ex, target, numerical, "en");
        assert!(fragments.iter().any(|f| en.contains(f.as_str())));
    }
}

#[test]
fn key_and_check_key_speak_vietnamese() {
    let fragments = english_fragments();
    let key = crate::harness::stepwise(&["key", "--lang", "vi"]);
    let check = crate::harness::stepwise(&["check-key", "tests/keys/wrong.csv", "--lang", "vi"]);
    for out in [&key.stdout, &check.stdout, &check.stderr] {
        for f in &fragments {
            assert!(!out.contains(f.as_str()), "'{f}' in: {out}");
        }
        for word in ["agree", "evidence", "not in the key file", "lines"] {
            assert!(!out.contains(word), "'{word}' in: {out}");
        }
    }
    assert!(key
        .stdout
        .contains("Phương án A chính là giá trị chính xác (-4.232, -0.72)"));
}

#[test]
fn exports_name_what_they_leave_out_and_keep_instructor_notes_out() {
    // the built-in quiz: question 12 is defective, left out, and said on standard error
    let out = crate::harness::stepwise(&["export", "--to", "gift"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("stepwise: question 12 left out (defective): No option is within 0.001"),
        "{}",
        out.stderr
    );
    // an exercise whose key disagrees with the computed answer: the export is written, the
    // disagreement goes to the instructor (exit 1), and no feedback mentions the exercise's key
    let src = "title = \"A/B test\"\nobjective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n[[quiz]]\nkind = \"computed\"\nquestion = \"w after one epoch? \\u0001\"\nproblem = \"gd\"\nepoch = 1\noptions = [\"0.8\", \"0.9\"]\nkey = \"B\"\n";
    let dir = crate::harness::Scratch::new();
    let file = dir.arg("dis.toml");
    std::fs::write(&file, src).unwrap();
    for to in ["moodle", "gift"] {
        let out = crate::harness::stepwise(&["export", &file, "--to", to]);
        assert_eq!(out.code(), Some(1), "{to}");
        assert_eq!(
            out.stderr,
            "stepwise: question 1: the exercise's key says B, the computed answer is A\n"
        );
        assert!(!out.stdout.contains("key says"), "{to}: {}", out.stdout);
        assert!(!out.stdout.contains('\u{1}'), "{to}");
        if to == "moodle" {
            // well-formed, the slash of the title escaped so Moodle makes no nested category
            let doc = roxmltree::Document::parse(&out.stdout).unwrap();
            let cat = doc
                .descendants()
                .find(|n| n.has_tag_name("category"))
                .and_then(|n| n.first_element_child())
                .and_then(|t| t.text())
                .unwrap();
            assert_eq!(cat, "$course$/top/A//B test");
        } else {
            assert!(out.stdout.contains("$CATEGORY: $course$/top/A//B test"));
        }
    }
    let key = crate::harness::stepwise(&["key", &file]);
    assert_eq!(key.code(), Some(1));
    assert!(key.stdout.contains("The exercise's own key says B."));
}

/// One multiple-choice question of a GIFT file as Moodle's importer reads it
/// (`question/format/gift/format.php`: escapes, `::name::`, the answer block, `~`/`=` answers, the
/// `%weight%` prefix, the first `[format]` marker): the question's format and text, and each answer's
/// text with its credit.
fn moodle_gift_read(block: &str) -> (String, String, Vec<(String, f64)>) {
    let pre = block
        .replace("\\\\", "&&092;")
        .replace("\\:", "&&058;")
        .replace("\\#", "&&035;")
        .replace("\\=", "&&061;")
        .replace("\\{", "&&123;")
        .replace("\\}", "&&125;")
        .replace("\\~", "&&126;")
        .replace("\\n", "&&010")
        .replace("&&092;", "\\");
    let post = |s: &str| {
        s.replace("&&058;", ":")
            .replace("&&035;", "#")
            .replace("&&061;", "=")
            .replace("&&123;", "{")
            .replace("&&125;", "}")
            .replace("&&126;", "~")
            .replace("&&010", "\n")
    };
    let with_format = |s: &str, default: &str| -> (String, String) {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix('[') {
            if let Some(end) = rest.find(']') {
                let name = &rest[..end];
                if ["html", "moodle", "plain", "markdown"].contains(&name) {
                    return (name.to_string(), post(rest[end + 1..].trim()));
                }
            }
        }
        (default.to_string(), post(s))
    };
    let text = pre.trim().strip_prefix("::").unwrap();
    let end = text.find("::").unwrap();
    let text = text[end + 2..].trim();
    let (open, close) = (text.find('{').unwrap(), text.find('}').unwrap());
    let (format, question) = with_format(&text[..open], "moodle");
    let mut answers_text = text[open + 1..close].trim().to_string();
    if let Some(g) = answers_text.rfind("####") {
        answers_text.truncate(g);
    }
    let weight = regex_free_weight;
    let mut answers = Vec::new();
    for a in answers_text
        .replace('=', "~=")
        .split('~')
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        let (credit, rest) = if let Some(r) = a.strip_prefix('=') {
            (1.0, r.to_string())
        } else if let Some((w, r)) = weight(a) {
            (w, r)
        } else {
            (0.0, a.to_string())
        };
        let body = rest.split('#').next().unwrap_or("");
        answers.push((with_format(body, &format).1, credit));
    }
    (format, question, answers)
}

/// Moodle's `/^%\-*([0-9]{1,2})\.?([0-9]*)%/` without a regex crate: the weight and the rest.
fn regex_free_weight(a: &str) -> Option<(f64, String)> {
    let rest = a.strip_prefix('%')?;
    let end = rest.find('%')?;
    let w = &rest[..end];
    let digits = w.trim_start_matches('-');
    let int = digits.split('.').next().unwrap_or("");
    if int.is_empty() || int.len() > 2 || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    Some((
        digits.parse::<f64>().ok()? / 100.0,
        rest[end + 1..].to_string(),
    ))
}

#[test]
fn gift_export_survives_a_hostile_quiz_as_moodle_reads_it() {
    let src = r#"
objective = "w1^2"
start = [1]
[[problem]]
id = "gd"
optimizer = "gd"
params = { lr = 0.1 }

[[quiz]]
kind = "concept"
question = "[html]<b>bold</b> 100% {x} a~b = c: #1"
options = ["%100%wrong", "[html]<i>it</i>", "right ~ = # { } : \\ end", "50% off"]
key = "C"
explain = "[html]<script>alert(1)</script>"
"#;
    let ex = spec::load("hostile.toml", src).unwrap();
    let text = exported(&ex, Target::Gift, false, "en");
    let block = text
        .split("\n\n")
        .find(|b| b.trim_start().starts_with("::Q1::"))
        .unwrap();
    let (format, question, answers) = moodle_gift_read(block);
    assert_eq!(format, "plain");
    assert_eq!(question, "[html]<b>bold</b> 100% {x} a~b = c: #1");
    let want = [
        ("%100%wrong", 0.0),
        ("[html]<i>it</i>", 0.0),
        ("right ~ = # { } : \\ end", 1.0),
        ("50% off", 0.0),
    ];
    let got: Vec<(&str, f64)> = answers.iter().map(|(t, c)| (t.as_str(), *c)).collect();
    assert_eq!(got, want, "{block}");
}

/// Gradient descent on the built-in objective 0.1 w1² + 2 w2², in binary floating point: the
/// point after `epochs` epochs from `start` with learning rate `lr` (each component shrinks by
/// 1 − lr·0.2 and 1 − lr·4 per epoch), an independent reference for the bank's GD questions.
fn gd_reference(start: [f64; 2], lr: f64, epochs: i32) -> [f64; 2] {
    [
        start[0] * (1.0 - 0.2 * lr).powi(epochs),
        start[1] * (1.0 - 4.0 * lr).powi(epochs),
    ]
}

/// A variant's start and GD learning rate, read from its exercise file.
fn gd_of(folder: &std::path::Path) -> ([f64; 2], f64) {
    let text = std::fs::read_to_string(folder.join("exercise.toml")).unwrap();
    let ex = spec::load("variant.toml", &text).unwrap();
    let p = ex.problem("gd").unwrap();
    (
        [ex.start[0].to_f64(), ex.start[1].to_f64()],
        p.params[0].to_f64(),
    )
}

/// The computed questions of the built-in quiz: (number, problem id, epoch).
fn computed_questions() -> Vec<(usize, String, u64)> {
    let ex = spec::builtin();
    ex.quiz
        .iter()
        .filter_map(|q| match &q.kind {
            spec::QuestionKind::Computed { problem, epoch, .. } => {
                Some((q.number, ex.problems[*problem].id.clone(), *epoch))
            }
            _ => None,
        })
        .collect()
}

/// The bank's categories: the built-in exercise's English title, without the variant's number.
const BANK: &str = "$course$/stepwise/Optimization algorithms: GD, Momentum, RMSProp, Adam";

/// 30 variants written by `stepwise variants` into a scratch folder.
fn thirty_variants() -> (crate::harness::Scratch, String) {
    let dir = crate::harness::Scratch::new();
    let out = dir.arg("v");
    let made = crate::harness::stepwise(&["variants", "-n", "30", "-s", "11", "--out", &out]);
    assert_eq!(made.code(), Some(0), "{}", made.stderr);
    (dir, out)
}

fn near(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

#[test]
fn a_moodle_bank_has_thirty_versions_of_each_computed_question() {
    let (_dir, out) = thirty_variants();
    let bank = crate::harness::stepwise(&["export", "--to", "moodle", "--variants", &out]);
    assert_eq!(bank.code(), Some(0), "{}", bank.stderr);
    let doc = roxmltree::Document::parse(&bank.stdout).unwrap();
    // each question follows the category it belongs to
    let mut category = String::new();
    let mut by_category: std::collections::BTreeMap<String, Vec<roxmltree::Node>> =
        Default::default();
    for q in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("question"))
    {
        let text = |n: roxmltree::Node, tag: &str| {
            n.descendants()
                .find(|d| d.has_tag_name(tag))
                .and_then(|d| d.first_element_child())
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_string()
        };
        if q.attribute("type") == Some("category") {
            category = text(q, "category");
        } else {
            by_category.entry(category.clone()).or_default().push(q);
        }
    }
    let folder = |k: usize| std::path::Path::new(&out).join(format!("variant-{k:03}"));
    for (n, problem, epoch) in computed_questions() {
        let cat = format!("{BANK}/Q{n}");
        let versions = by_category
            .get(&cat)
            .unwrap_or_else(|| panic!("no category {cat}: {:?}", by_category.keys()));
        assert_eq!(versions.len(), 30, "{cat}");
        for (k, q) in versions.iter().enumerate() {
            let k = k + 1;
            let name = q
                .descendants()
                .find(|d| d.has_tag_name("text"))
                .and_then(|t| t.text());
            assert_eq!(name, Some(format!("Q{n} (variant-{k:03})").as_str()));
            let answers: Vec<_> = q.children().filter(|a| a.has_tag_name("answer")).collect();
            assert_eq!(answers.len(), 4);
            let right: Vec<usize> = (0..4)
                .filter(|&i| answers[i].attribute("fraction") == Some("100"))
                .collect();
            assert_eq!(right.len(), 1, "{cat} variant {k}");
            assert!(answers
                .iter()
                .all(|a| matches!(a.attribute("fraction"), Some("0" | "100"))));
            // the right option is the variant's key ...
            let key = std::fs::read_to_string(folder(k).join("key.txt")).unwrap();
            let letter = (b'A' + right[0] as u8) as char;
            assert!(
                key.lines().any(|l| l == format!("{n}: {letter}")),
                "{cat} variant {k}"
            );
            // ... and, for gradient descent, the point computed here in floating point
            if problem == "gd" {
                let (start, lr) = gd_of(&folder(k));
                let want = gd_reference(start, lr, epoch as i32);
                let text = answers[right[0]]
                    .descendants()
                    .find(|d| d.has_tag_name("text"))
                    .and_then(|t| t.text())
                    .unwrap();
                let got: Vec<f64> = text.split(',').map(|x| x.trim().parse().unwrap()).collect();
                for c in 0..2 {
                    assert!(
                        near(got[c], want[c], 1e-3),
                        "Q{n} variant {k}: {got:?} vs {want:?}"
                    );
                }
            }
        }
    }
    // the concept and formula questions are there too, 30 versions each
    assert_eq!(by_category.len(), spec::builtin().quiz.len());
    assert!(by_category.values().all(|v| v.len() == 30));
}

/// Every question of a GIFT bank: its category (the last `$CATEGORY:` line before it) and block.
fn gift_blocks(gift: &str) -> Vec<(String, String)> {
    let mut category = String::new();
    let mut out = Vec::new();
    for block in gift.split("\n\n") {
        let block = block.trim();
        if let Some(c) = block.strip_prefix("$CATEGORY: ") {
            category = c.to_string();
        } else if block.starts_with("::") {
            out.push((category.clone(), block.to_string()));
        }
    }
    out
}

#[test]
fn a_gift_bank_has_thirty_versions_of_each_computed_question() {
    let (_dir, out) = thirty_variants();
    let bank = crate::harness::stepwise(&["export", "--to", "gift", "--variants", &out]);
    assert_eq!(bank.code(), Some(0), "{}", bank.stderr);
    let blocks = gift_blocks(&bank.stdout);
    for (n, problem, epoch) in computed_questions() {
        let cat = format!("{BANK}/Q{n}");
        let versions: Vec<&String> = blocks
            .iter()
            .filter(|(c, _)| *c == cat)
            .map(|(_, b)| b)
            .collect();
        assert_eq!(versions.len(), 30, "{cat}");
        for (k, block) in versions.iter().enumerate() {
            let k = k + 1;
            let (format, _, answers) = moodle_gift_read(block);
            assert_eq!(format, "plain");
            assert_eq!(answers.len(), 4);
            let right: Vec<&(String, f64)> = answers.iter().filter(|(_, c)| *c == 1.0).collect();
            assert_eq!(right.len(), 1, "{cat} variant {k}: {block}");
            assert!(answers.iter().all(|(_, c)| *c == 0.0 || *c == 1.0));
            if problem == "gd" {
                let folder = std::path::Path::new(&out).join(format!("variant-{k:03}"));
                let (start, lr) = gd_of(&folder);
                let want = gd_reference(start, lr, epoch as i32);
                let got: Vec<f64> = right[0]
                    .0
                    .split(',')
                    .map(|x| x.trim().parse().unwrap())
                    .collect();
                for c in 0..2 {
                    assert!(
                        near(got[c], want[c], 1e-3),
                        "Q{n} variant {k}: {got:?} vs {want:?}"
                    );
                }
            }
        }
    }
}

/// A numerical GIFT question as Moodle's importer reads it: the text after `{#` is one answer
/// `value:tolerance`, or several `=value:tolerance` (each full credit), with feedback after `####`.
fn moodle_gift_numerical(block: &str) -> (String, String, Vec<(f64, f64, f64)>) {
    let (format, question, _) = moodle_gift_read(&block.replacen("{#", "{", 1));
    let open = block.find("{#").unwrap();
    let close = block.rfind('}').unwrap();
    let mut body = block[open + 2..close].to_string();
    if let Some(g) = body.find("####") {
        body.truncate(g);
    }
    let body = body.trim();
    let parts: Vec<&str> = if body.starts_with('=') {
        body.split('=')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        vec![body]
    };
    let answers = parts
        .iter()
        .map(|p| {
            let (v, t) = p.split_once(':').unwrap();
            (v.trim().parse().unwrap(), t.trim().parse().unwrap(), 1.0)
        })
        .collect();
    (format, question, answers)
}

#[test]
fn numerical_banks_read_back_with_their_values_and_tolerances() {
    let (_dir, out) = thirty_variants();
    let folder = |k: usize| std::path::Path::new(&out).join(format!("variant-{k:03}"));
    let gift =
        crate::harness::stepwise(&["export", "--to", "gift", "--numerical", "--variants", &out]);
    assert_eq!(gift.code(), Some(0), "{}", gift.stderr);
    let xml = crate::harness::stepwise(&[
        "export",
        "--to",
        "moodle",
        "--numerical",
        "--variants",
        &out,
    ]);
    assert_eq!(xml.code(), Some(0), "{}", xml.stderr);
    let doc = roxmltree::Document::parse(&xml.stdout).unwrap();
    let blocks = gift_blocks(&gift.stdout);
    for (n, _, epoch) in computed_questions().into_iter().filter(|q| q.1 == "gd") {
        for (c, label) in ["w1", "w2"].iter().enumerate() {
            let cat = format!("{BANK}/Q{n} {label}");
            let versions: Vec<&String> = blocks
                .iter()
                .filter(|(cc, _)| *cc == cat)
                .map(|(_, b)| b)
                .collect();
            assert_eq!(versions.len(), 30, "{cat}");
            for (k, block) in versions.iter().enumerate() {
                let k = k + 1;
                let (start, lr) = gd_of(&folder(k));
                let want = gd_reference(start, lr, epoch as i32)[c];
                let (format, _, answers) = moodle_gift_numerical(block);
                assert_eq!(format, "plain");
                assert_eq!(answers.len(), 1, "{block}");
                let (value, tol, credit) = answers[0];
                assert_eq!(credit, 1.0);
                assert!(
                    near(value, want, 1e-9),
                    "{cat} variant {k}: {value} vs {want}"
                );
                // the question's relative tolerance, 1e-3, made absolute
                assert!(
                    near(tol, 1e-3 * want.abs(), 0.01),
                    "{cat} variant {k}: {tol}"
                );
                // Moodle XML: the same value and tolerance, full credit
                let name = format!("Q{n} {label} (variant-{k:03})");
                let q = doc
                    .descendants()
                    .find(|q| {
                        q.has_tag_name("question")
                            && q.descendants().any(|t| t.text() == Some(name.as_str()))
                    })
                    .unwrap_or_else(|| panic!("no {name}"));
                assert_eq!(sole_numerical_answer(q), (value, tol));
            }
        }
    }
}

#[test]
fn a_hostile_numerical_question_keeps_its_value_and_credit() {
    let src = r#"
objective = "w1^2"
start = [1]
[[problem]]
id = "gd"
optimizer = "gd"
params = { lr = 0.25 }

[[quiz]]
kind = "computed"
question = "[html]<b>w</b> {=0.9:1} ~%100% #1 after: epoch 1?"
problem = "gd"
epoch = 1
options = ["0.5", "0.75"]
explain = "}=1 ~ #### {#2} [html]<script>x</script>"

[[quiz]]
kind = "formula"
question = "}{#5:5} ema ~=%50%"
formula = "ema"
inputs = { beta = 0.9, prev = 1, g = 2 }
options = ["1.1", "1.9"]
explain = "=1.1 %100%"
"#;
    let ex = spec::load("hostile.toml", src).unwrap();
    let gift = exported(&ex, Target::Gift, true, "en");
    let blocks: Vec<&str> = gift
        .split("\n\n")
        .filter(|b| b.trim_start().starts_with("::"))
        .collect();
    assert_eq!(blocks.len(), 2, "{gift}");
    // f = w², lr 0.25: w = 1 − 0.25·2 = 0.5; ema: 0.9·1 + 0.1·2 = 1.1
    let want = [
        (
            "[html]<b>w</b> {=0.9:1} ~%100% #1 after: epoch 1?",
            0.5,
            0.0005,
        ),
        ("}{#5:5} ema ~=%50%", 1.1, 0.0011),
    ];
    for (block, (text, value, tol)) in blocks.iter().zip(want) {
        let (format, question, answers) = moodle_gift_numerical(block);
        assert_eq!(format, "plain");
        assert_eq!(question, text);
        assert_eq!(answers, vec![(value, tol, 1.0)], "{block}");
    }
    let xml = exported(&ex, Target::Moodle, true, "en");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let questions: Vec<_> = doc
        .descendants()
        .filter(|q| q.has_tag_name("question") && q.attribute("type") == Some("numerical"))
        .collect();
    assert_eq!(questions.len(), 2);
    for (q, (text, value, tol)) in questions.iter().zip(want) {
        let field = |n: roxmltree::Node, tag: &str| {
            n.descendants()
                .find(|t| t.has_tag_name(tag))
                .and_then(|t| t.first_element_child())
                .and_then(|t| t.text())
                .map(str::to_string)
        };
        assert_eq!(field(*q, "questiontext").as_deref(), Some(text));
        assert_eq!(sole_numerical_answer(*q), (value, tol));
    }
}

/// A Moodle numerical question's only answer, which must give full credit: its value and
/// tolerance.
fn sole_numerical_answer(q: roxmltree::Node) -> (f64, f64) {
    let answers: Vec<_> = q.children().filter(|a| a.has_tag_name("answer")).collect();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].attribute("fraction"), Some("100"));
    let get = |tag: &str| -> f64 {
        answers[0]
            .children()
            .find(|t| t.has_tag_name(tag))
            .and_then(|t| t.text())
            .unwrap()
            .parse()
            .unwrap()
    };
    (get("text"), get("tolerance"))
}
