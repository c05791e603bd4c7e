//! The quiz with its key for learning platforms: Moodle XML and GIFT.
//!
//! Multiple-choice questions keep their options, the computed answer marked right. With `numerical`,
//! computed and formula questions become numerical questions instead (one per value asked for), with
//! the exact value and an absolute tolerance from the question's relative one. Questions without a
//! single right option (defective or ambiguous) are left out, with a comment saying why, and reported
//! to the caller with the questions whose exercise key disagrees with the computed one. Feedback that
//! students see never carries the instructor's notes. User text is escaped for each format; characters
//! XML 1.0 forbids are dropped.

use super::catalog::Catalog;
use super::escape;
use super::fill;
use super::verdict::{self, Style};
use crate::number::{Ball, Certified, Num};
use crate::quiz::{self, Verdict};
use crate::spec::{option_letter, Exercise, Question, QuestionKind};
use std::fmt::Write as _;

/// A target format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Moodle XML.
    Moodle,
    /// GIFT (Moodle's plain-text format).
    Gift,
}

/// Escaped for XML, without the characters XML 1.0 forbids (control characters other than tab,
/// line feed and carriage return; U+FFFE, U+FFFF).
fn xml(s: &str) -> String {
    let allowed: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
        })
        .collect();
    escape::to_string(escape::html, &allowed)
}

/// A category name for a Moodle category path: a `/` in a name is written `//`, so Moodle does not
/// read it as a nested category.
fn category(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('/', "//")
}

/// What an export wrote, and what the instructor must be told.
#[derive(Debug, Clone)]
pub struct Export {
    /// The file's text.
    pub text: String,
    /// The questions left out, each with why (one line).
    pub left_out: Vec<String>,
    /// The questions whose exercise key disagrees with the computed answer: (number, the exercise's
    /// key, the computed answer).
    pub disagreements: Vec<(usize, char, char)>,
}

/// GIFT: `~ = # { } :` and the backslash are escaped; line breaks become `\n`, tabs spaces, and
/// other control characters are dropped.
pub fn gift_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A text that would start with a format marker (`[html]`) is marked plain first: Moodle reads only
/// the first marker.
fn gift_plain(escaped: &str) -> String {
    if escaped.trim_start().starts_with('[') {
        format!("[plain]{escaped}")
    } else {
        escaped.to_string()
    }
}

/// A GIFT answer: escaped, marked plain when it starts with `[`, and, for a wrong answer (`~`) that
/// starts with `%`, given the explicit weight `%0%`, so that text like `%100%...` is not read as a
/// weight (Moodle has no escape for `%`).
fn gift_answer(text: &str, wrong: bool) -> String {
    let e = gift_plain(&gift_escape(text));
    if wrong && e.trim_start().starts_with('%') {
        format!("%0%{e}")
    } else {
        e
    }
}

/// A value and its absolute tolerance, as decimals: the value's certain digits (at most 12), the
/// tolerance widened by the value's error bound.
fn numeric(value: &Ball, tolerance: &Num) -> (String, String) {
    let (v, rad) = match value.certified(12) {
        Certified::Digits { value: d, .. } => (d, value.rad()),
        Certified::Interval { .. } => (*value.mid(), value.rad()),
    };
    let rad = rad.to_num().unwrap_or(Num::ZERO);
    let tol = value
        .mid()
        .abs()
        .mul(tolerance)
        .and_then(|t| t.add(&rad))
        .unwrap_or(Num::ZERO)
        .round_sig(3);
    (v.to_string(), tol.to_string())
}

fn is_numeric(q: &Question) -> bool {
    !matches!(q.kind, QuestionKind::Concept)
}

fn feedback(q: &Question, v: &Verdict, cat: &Catalog) -> String {
    let lang = cat.lang();
    let mut s = verdict::student_sentence(v, cat);
    if let Some(e) = &q.explain {
        s = format!("{} {s}", e.get(lang));
    }
    if v.status == quiz::Status::Concept {
        s = q
            .explain
            .as_ref()
            .map_or_else(String::new, |e| e.get(lang).to_string());
    }
    s.trim().to_string()
}

/// The quiz of `ex` with its key `key`, in the catalog's language.
pub fn export(
    ex: &Exercise,
    key: &[Verdict],
    cat: &Catalog,
    target: Target,
    numerical: bool,
) -> Export {
    let lang = cat.lang();
    let mut left_out = Vec::new();
    let disagreements = quiz::disagreements(key);
    let title = ex
        .title
        .as_ref()
        .map_or("stepwise", |t| t.get(lang))
        .to_string();
    let mut out = header(cat, target);
    out.push_str(&category_entry(
        target,
        &format!("$course$/top/{}", category(&title)),
    ));
    for (q, v) in ex.quiz.iter().zip(key) {
        match question(q, v, cat, target, numerical, None) {
            Ok(blocks) => {
                for (_, block) in blocks {
                    out.push_str(&block);
                }
            }
            Err(why) => {
                out.push_str(&comment(target, &why));
                left_out.push(why);
            }
        }
    }
    close(target, out, left_out, disagreements)
}

/// One version of the quiz for [`bank`]: its label (the variant's folder name), exercise and key.
pub struct Version<'a> {
    /// Names the version among the others (`variant-003`).
    pub label: &'a str,
    /// The variant's exercise.
    pub exercise: &'a Exercise,
    /// Its computed key.
    pub key: &'a [Verdict],
}

/// A question bank: every question of the quiz with one version per variant, each question (each
/// value of a numerical one) in its own category `$course$/stepwise/<name>/Q5`, so that a quiz that
/// draws one random question from each category gives each student one version. The versions'
/// questions are named after the question and the version (`Q5 (variant-003)`). Questions left out
/// and disagreements are reported per version, as in [`export`].
pub fn bank(
    name: &str,
    versions: &[Version<'_>],
    cat: &Catalog,
    target: Target,
    numerical: bool,
) -> Export {
    let mut left_out = Vec::new();
    let mut disagreements = Vec::new();
    // (category, its versions' blocks), in the order questions first appear
    let mut categories: Vec<(String, String)> = Vec::new();
    for ver in versions {
        for (n, k, a) in quiz::disagreements(ver.key) {
            disagreements.push((n, k, a));
        }
        for (q, v) in ver.exercise.quiz.iter().zip(ver.key) {
            match question(q, v, cat, target, numerical, Some(ver.label)) {
                Ok(blocks) => {
                    for (qname, block) in blocks {
                        match categories.iter_mut().find(|(c, _)| *c == qname) {
                            Some((_, text)) => text.push_str(&block),
                            None => categories.push((qname, block)),
                        }
                    }
                }
                Err(why) => left_out.push(format!("{}: {why}", ver.label)),
            }
        }
    }
    let mut out = header(cat, target);
    for why in &left_out {
        out.push_str(&comment(target, why));
    }
    for (qname, blocks) in &categories {
        let path = format!("$course$/stepwise/{}/{}", category(name), category(qname));
        out.push_str(&category_entry(target, &path));
        out.push_str(blocks);
    }
    close(target, out, left_out, disagreements)
}

/// The start of a file: the XML declaration and root, or nothing (GIFT), and a comment saying what
/// made it.
fn header(cat: &Catalog, target: Target) -> String {
    let generated = cat.text("export_generated");
    let mut out = String::new();
    match target {
        Target::Moodle => {
            out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
            let _ = writeln!(out, "  <!-- {} -->", xml(&generated).replace("--", "- -"));
        }
        Target::Gift => {
            let _ = writeln!(out, "// {}", generated.replace('\n', " "));
        }
    }
    out
}

/// A category (its path already escaped with [`category`]) that the following questions go into.
fn category_entry(target: Target, path: &str) -> String {
    match target {
        Target::Moodle => format!(
            "  <question type=\"category\">\n    <category><text>{}</text></category>\n  </question>\n",
            xml(path)
        ),
        Target::Gift => format!("$CATEGORY: {path}\n\n"),
    }
}

/// A comment line (a question left out).
fn comment(target: Target, why: &str) -> String {
    match target {
        Target::Moodle => format!("  <!-- {} -->\n", xml(why).replace("--", "- -")),
        Target::Gift => format!("// {}\n\n", why.replace('\n', " ")),
    }
}

/// One question in `target`'s form: `(name, text)` of each question it makes (several for a
/// numerical question of several values), or why it is left out. `version` is added to the names.
fn question(
    q: &Question,
    v: &Verdict,
    cat: &Catalog,
    target: Target,
    numerical: bool,
    version: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    let lang = cat.lang();
    let text = q.text.get(lang);
    let name = format!("Q{}", q.number);
    let versioned = |n: &str| match version {
        Some(label) => format!("{n} ({label})"),
        None => n.to_string(),
    };
    if !v.status.answered() {
        return Err(fill(
            &cat.text("export_left_out"),
            &[
                ("n", q.number.to_string()),
                ("status", v.status.key().to_string()),
                ("why", verdict::sentence(v, cat, Style::Plain)),
            ],
        ));
    }
    let mut blocks = Vec::new();
    let fb = feedback(q, v, cat);
    if numerical && is_numeric(q) {
        let fb = {
            let exact: Vec<String> = v
                .exact
                .iter()
                .map(|x| crate::render::view::cell(x, 12))
                .collect();
            let base = q.explain.as_ref().map_or("", |e| e.get(lang));
            let exact = fill(&cat.text("export_exact"), &[("exact", exact.join(", "))]);
            format!("{base} {exact}").trim().to_string()
        };
        let tol = match &q.kind {
            QuestionKind::Computed { tolerance, .. } | QuestionKind::Formula { tolerance, .. } => {
                *tolerance
            }
            QuestionKind::Concept => Num::ZERO,
        };
        // an option exact in another form is the multiple-choice answer: a numerical question
        // accepts the exercise's exact value and that form's, so both exports agree
        let other = v.other_form.as_ref().map(|m| &m.values);
        for (i, value) in v.exact.iter().enumerate() {
            let label = v.names.get(i).cloned().unwrap_or_default();
            let mut answers = vec![numeric(value, &tol)];
            if let Some(x) = other.and_then(|o| o.get(i)) {
                answers.push(numeric(x, &tol));
            }
            let qname = if v.exact.len() > 1 {
                format!("{name} {label}")
            } else {
                name.clone()
            };
            let qtext = if v.exact.len() > 1 {
                format!("{text} ({label})")
            } else {
                text.to_string()
            };
            let mut out = String::new();
            match target {
                Target::Moodle => {
                    let _ = write!(
                        out,
                        "  <question type=\"numerical\">\n    <name><text>{}</text></name>\n    <questiontext format=\"plain_text\"><text>{}</text></questiontext>\n    <generalfeedback format=\"plain_text\"><text>{}</text></generalfeedback>\n    <defaultgrade>1</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n",
                        xml(&versioned(&qname)),
                        xml(&qtext),
                        xml(&fb)
                    );
                    for (val, abs) in &answers {
                        let _ = write!(
                            out,
                            "    <answer fraction=\"100\" format=\"plain_text\">\n      <text>{val}</text>\n      <tolerance>{abs}</tolerance>\n    </answer>\n"
                        );
                    }
                    out.push_str("  </question>\n");
                }
                Target::Gift => {
                    let spec = match answers.as_slice() {
                        [(val, abs)] => format!("#{val}:{abs}"),
                        many => {
                            let each: Vec<String> =
                                many.iter().map(|(v, a)| format!("={v}:{a}")).collect();
                            format!("#{}", each.join(" "))
                        }
                    };
                    let _ = writeln!(
                        out,
                        "::{}:: [plain]{} {{{spec}\n####{}\n}}\n",
                        gift_escape(&versioned(&qname)),
                        gift_escape(&qtext),
                        gift_plain(&gift_escape(&fb))
                    );
                }
            }
            blocks.push((qname, out));
        }
        return Ok(blocks);
    }
    let answer = v.answer;
    let mut out = String::new();
    match target {
        Target::Moodle => {
            let _ = write!(
                out,
                "  <question type=\"multichoice\">\n    <name><text>{}</text></name>\n    <questiontext format=\"plain_text\"><text>{}</text></questiontext>\n    <generalfeedback format=\"plain_text\"><text>{}</text></generalfeedback>\n    <defaultgrade>1</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n    <single>true</single>\n    <shuffleanswers>false</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n",
                xml(&versioned(&name)),
                xml(text),
                xml(&fb)
            );
            for (i, o) in q.options.iter().enumerate() {
                let right = answer == Some(option_letter(i));
                let _ = write!(
                    out,
                    "    <answer fraction=\"{}\" format=\"plain_text\">\n      <text>{}</text>\n    </answer>\n",
                    if right { 100 } else { 0 },
                    xml(o.text.get(lang))
                );
            }
            out.push_str("  </question>\n");
        }
        Target::Gift => {
            let _ = writeln!(
                out,
                "::{}:: [plain]{} {{",
                gift_escape(&versioned(&name)),
                gift_escape(text)
            );
            for (i, o) in q.options.iter().enumerate() {
                let mark = if answer == Some(option_letter(i)) {
                    '='
                } else {
                    '~'
                };
                let _ = writeln!(out, "{mark}{}", gift_answer(o.text.get(lang), mark == '~'));
            }
            let _ = writeln!(out, "####{}\n}}\n", gift_plain(&gift_escape(&fb)));
        }
    }
    blocks.push((name, out));
    Ok(blocks)
}

/// The export, its Moodle document closed.
fn close(
    target: Target,
    mut out: String,
    left_out: Vec<String>,
    disagreements: Vec<(usize, char, char)>,
) -> Export {
    if target == Target::Moodle {
        out.push_str("</quiz>\n");
    }
    Export {
        text: out,
        left_out,
        disagreements,
    }
}
