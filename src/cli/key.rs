//! `key` and `check-key`: the computed key of the quiz (a table or JSON, each answer with its verdict
//! and evidence), and a grader's key checked against it line by line.

use super::args::KeyFormat;
use super::Failure;
use crate::quiz::{self, keyfile::KeyLine};
use crate::render::catalog::Catalog;
use crate::render::verdict::{self, Style};
use crate::solution;
use crate::spec::Exercise;
use std::fmt::Write as _;

/// Runs every problem as far as its questions need, then computes the key.
pub(crate) fn computed_key(ex: &Exercise) -> Result<Vec<quiz::Verdict>, Failure> {
    // the runs are all the key needs (no reading, no precision report)
    let runs = solution::runs(ex).map_err(|e| Failure::input(e.to_string()))?;
    Ok(quiz::key(ex, &runs))
}

/// `key`, resolved.
pub(crate) struct KeyJob {
    /// An exercise with a quiz.
    pub(crate) exercise: Exercise,
    pub(crate) format: KeyFormat,
    /// The language of the evidence.
    pub(crate) catalog: Catalog,
}

/// `check-key`, resolved.
pub(crate) struct CheckKeyJob {
    pub(crate) exercise: Exercise,
    /// The grader's answers (at least one), each to a question of the quiz.
    pub(crate) lines: Vec<KeyLine>,
    /// The language of the report.
    pub(crate) catalog: Catalog,
}

impl KeyJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let key = computed_key(&self.exercise)?;
        if self.format == KeyFormat::Json {
            let s =
                serde_json::to_string_pretty(&key).map_err(|e| Failure::input(e.to_string()))?;
            return super::export::disagreements(
                &self.catalog,
                &quiz::disagreements(&key),
                s + "\n",
            );
        }
        let cat = &self.catalog;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:>3}  {:<9}  {:<6}  {:<10}  {}",
            "#",
            cat.text("key_kind"),
            cat.text("key_answer"),
            cat.text("key_verdict"),
            cat.text("key_evidence")
        );
        for v in &key {
            let _ = writeln!(
                out,
                "{:>3}  {:<9}  {:<6}  {:<10}  {}",
                v.number,
                cat.text(verdict::kind_key(v.kind)),
                v.answer.map_or("-".to_string(), |c| c.to_string()),
                cat.text(verdict::status_key(v.status)),
                verdict::sentence(v, cat, Style::Plain)
            );
        }
        super::export::disagreements(&self.catalog, &quiz::disagreements(&key), out)
    }
}

impl CheckKeyJob {
    /// The report; when a line does not check, the report goes to standard output and the failure
    /// (exit code 1) is returned.
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let key = computed_key(&self.exercise)?;
        let lines = &self.lines;
        let cat = &self.catalog;
        let mut out = String::new();
        let mut failed = 0;
        for l in lines {
            let (n, given) = (l.question, l.answer);
            let Some(v) = key.iter().find(|v| v.number == n) else {
                continue;
            };
            let (word, ok) = match (v.status, v.answer) {
                (quiz::Status::Defective | quiz::Status::NoMatch | quiz::Status::Stopped, _) => {
                    (cat.text("check_defective"), false)
                }
                (quiz::Status::Ambiguous, _) => (cat.text("check_ambiguous"), false),
                (_, Some(a)) if a == given => (cat.text("check_agree"), true),
                (_, Some(a)) => (
                    cat.text("check_disagree")
                        .replace("{answer}", &a.to_string()),
                    false,
                ),
                (_, None) => (cat.text("check_unchecked"), true),
            };
            if !ok {
                failed += 1;
            }
            let _ = writeln!(
                out,
                "{n:>3}: {given}  {word}  ({})",
                verdict::sentence(v, cat, Style::Plain)
            );
        }
        // questions the key leaves out: a fault when they have an answer, right when they have none
        let (missing, left_out): (Vec<&quiz::Verdict>, Vec<&quiz::Verdict>) = key
            .iter()
            .filter(|v| !lines.iter().any(|l| l.question == v.number))
            .partition(|v| v.status.answered());
        let numbers = |vs: &[&quiz::Verdict]| -> String {
            vs.iter()
                .map(|v| v.number.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !missing.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                cat.text("check_missing")
                    .replace("{questions}", &numbers(&missing))
            );
        }
        if !left_out.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                cat.text("check_left_out")
                    .replace("{questions}", &numbers(&left_out))
            );
        }
        let _ = writeln!(
            out,
            "{}",
            cat.text("check_summary")
                .replace("{ok}", &(lines.len() - failed).to_string())
                .replace("{n}", &lines.len().to_string())
        );
        if failed > 0 || !missing.is_empty() {
            print!("{out}");
            let mut message = Vec::new();
            if failed > 0 {
                message.push(
                    cat.text("check_failed")
                        .replace("{failed}", &failed.to_string())
                        .replace("{n}", &lines.len().to_string()),
                );
            }
            if !missing.is_empty() {
                message.push(
                    cat.text("check_incomplete")
                        .replace("{count}", &missing.len().to_string()),
                );
            }
            return Err(Failure {
                message: message.join("; "),
                code: 1,
            });
        }
        Ok(out)
    }
}
