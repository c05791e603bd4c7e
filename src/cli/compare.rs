//! `compare`: one problem in every form of its optimizer, side by side, as a table, CSV, JSON or
//! Markdown. The comparison itself is computed by [`crate::compare`].

use super::args::CompareFormat;
use super::misc::optimizer_name;
use super::table::fmt_num;
use super::Failure;
use crate::compare::{self, Comparison, FormRun};
use crate::number::{Ball, SIG_DIGITS};
use crate::spec::Exercise;
use std::fmt::Write as _;

/// `compare`, resolved.
pub(crate) struct CompareJob {
    pub(crate) exercise: Exercise,
    /// The problem's index.
    pub(crate) problem: usize,
    /// `--conventions` as given (checked by the comparison).
    pub(crate) conventions: Vec<String>,
    pub(crate) epochs: u64,
    pub(crate) format: CompareFormat,
    pub(crate) digits: Option<u32>,
}

fn point(w: &[Ball], digits: u32) -> String {
    let parts: Vec<String> = w.iter().map(|x| fmt_num(x, digits)).collect();
    format!("({})", parts.join(", "))
}

/// The point of a run where it first differs from the own form's, and the own form's there.
fn there(r: &FormRun) -> Option<&[Ball]> {
    let t = r.differs_from?;
    r.trace
        .epochs
        .iter()
        .find(|e| e.epoch == t)
        .map(|e| e.after.as_slice())
}

/// Lines of left-aligned columns, two spaces apart, indented by two.
fn left_aligned(header: &[String], body: &[Vec<String>]) -> String {
    let width = |c: usize| {
        body.iter()
            .map(|r| r[c].chars().count())
            .chain([header[c].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let mut out = String::new();
    for r in std::iter::once(header).chain(body.iter().map(Vec::as_slice)) {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(s, w)| format!("{s:<w$}"))
            .collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn conventions(r: &FormRun) -> String {
    if r.conventions.is_empty() {
        "-".to_string()
    } else {
        r.conventions.join(" ")
    }
}

impl CompareJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let ex = &self.exercise;
        let p = &ex.problems[self.problem];
        let wanted: Vec<&str> = self.conventions.iter().map(String::as_str).collect();
        let c = compare::compare(ex, p, &wanted, self.epochs)
            .map_err(|e| Failure::input(e.to_string()))?;
        Ok(match self.format {
            CompareFormat::Table => self.table(&c, false),
            CompareFormat::Md => self.table(&c, true),
            CompareFormat::Csv => self.csv(&c),
            CompareFormat::Json => json(&c),
        })
    }

    fn table(&self, c: &Comparison, md: bool) -> String {
        let d = self.digits.unwrap_or(10);
        let p = &self.exercise.problems[self.problem];
        let own = &c.runs[0];
        let hypers: Vec<String> = own
            .trace
            .hyperparameters
            .iter()
            .map(|h| format!("{} = {}", h.name, h.value.to_compact()))
            .collect();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} ({}): {} epoch{} from {}; {}",
            p.id,
            optimizer_name(p.optimizer.id),
            c.epochs,
            if c.epochs == 1 { "" } else { "s" },
            point(&own.trace.start, d),
            hypers.join(", ")
        );
        let header: Vec<String> = [
            "form",
            "conventions",
            "parts at",
            "its point there",
            "final point",
            "final f",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // the own form's point where the first other form parts from it
        let first = c.runs.iter().filter_map(|r| r.differs_from).min();
        let own_there = first.and_then(|t| own.trace.epochs.iter().find(|e| e.epoch == t));
        let rows: Vec<Vec<String>> = c
            .runs
            .iter()
            .map(|r| {
                let f = r.trace.epochs.last().map_or(r.trace.f_start, |e| e.f);
                let (at, there) = match (r.own, own_there) {
                    (true, Some(e)) => (format!("(epoch {})", e.epoch), point(&e.after, d)),
                    _ => (
                        r.differs_from
                            .map_or("-".to_string(), |t| format!("epoch {t}")),
                        there(r).map_or("-".to_string(), |w| point(w, d)),
                    ),
                };
                vec![
                    format!("{}{}", r.info.form, if r.own { " *" } else { "" }),
                    conventions(r),
                    at,
                    there,
                    point(r.trace.last_point(), d),
                    fmt_num(&f, d),
                ]
            })
            .collect();
        if md {
            out.push('\n');
            let _ = writeln!(out, "| {} |", header.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
            for r in &rows {
                let _ = writeln!(out, "| {} |", r.join(" | "));
            }
            out.push('\n');
        } else {
            out.push_str(&left_aligned(&header, &rows));
        }
        let _ = writeln!(
            out,
            "(* the problem's own form; \"parts at\" is the first epoch where a form's point differs from it,\n and the own form's row shows its point at the first such epoch)"
        );
        for r in c.runs.iter().filter(|r| !r.defaults.is_empty()) {
            let d: Vec<String> = r
                .defaults
                .iter()
                .map(|(n, v)| format!("{n} = {}", v.to_compact()))
                .collect();
            let _ = writeln!(
                out,
                "(the {} form ran with {}, which the problem does not give: defaults)",
                r.info.form,
                d.join(", ")
            );
        }
        for (info, hyper) in &c.skipped {
            let _ = writeln!(
                out,
                "(left out: the {} form, which needs '{hyper}')",
                info.form
            );
        }
        if self.digits.is_none() {
            let _ = writeln!(
                out,
                "(values rounded to 10 significant digits; --digits 28 prints every digit)"
            );
        }
        out
    }

    fn csv(&self, c: &Comparison) -> String {
        let d = self.digits.unwrap_or(SIG_DIGITS);
        let n = self.exercise.nvars();
        let vars: Vec<String> = (1..=n).map(|i| format!("w{i}")).collect();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "form,own,conventions,parts_at,{},{},final_f",
            vars.iter()
                .map(|v| format!("there_{v}"))
                .collect::<Vec<_>>()
                .join(","),
            vars.iter()
                .map(|v| format!("final_{v}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        for r in &c.runs {
            let f = r.trace.epochs.last().map_or(r.trace.f_start, |e| e.f);
            let there: Vec<String> = match there(r) {
                Some(w) => w.iter().map(|x| fmt_num(x, d)).collect(),
                None => vec![String::new(); n],
            };
            let last: Vec<String> = r.trace.last_point().iter().map(|x| fmt_num(x, d)).collect();
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{}",
                r.info.form,
                r.own,
                r.conventions.join(" "),
                r.differs_from.map_or(String::new(), |t| t.to_string()),
                there.join(","),
                last.join(","),
                fmt_num(&f, d)
            );
        }
        out
    }
}

fn json(c: &Comparison) -> String {
    let runs: Vec<serde_json::Value> = c
        .runs
        .iter()
        .map(|r| {
            serde_json::json!({
                "optimizer": r.info.id,
                "form": r.info.form,
                "own": r.own,
                "conventions": r.conventions,
                "hyperparameters": r.trace.hyperparameters,
                "parts_at": r.differs_from,
                "there": there(r),
                "final": r.trace.last_point(),
                "final_f": r.trace.epochs.last().map_or(r.trace.f_start, |e| e.f),
            })
        })
        .collect();
    let skipped: Vec<serde_json::Value> = c
        .skipped
        .iter()
        .map(|(i, h)| serde_json::json!({"form": i.form, "needs": h}))
        .collect();
    let v = serde_json::json!({
        "problem": c.problem,
        "epochs": c.epochs,
        "forms": runs,
        "skipped": skipped,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
