//! `run` and `trace`: a problem's trajectory (the point and objective after every epoch) as a table,
//! CSV or JSON, and its full record (every quantity of every epoch) as `stepwise-trace/2` JSON.

use super::args::RunFormat;
use super::table::{aligned, fmt_num};
use super::Failure;
use crate::number::{Ball, SIG_DIGITS};
use crate::spec::Exercise;
use crate::trace;
use std::fmt::Write as _;

/// `run`, resolved.
pub(crate) struct RunJob {
    pub(crate) exercise: Exercise,
    /// The problems to run (indexes into the exercise's problems), each with its epochs.
    pub(crate) problems: Vec<(usize, u64)>,
    pub(crate) format: RunFormat,
    /// `--digits` as given; tables default to 10, CSV and JSON to every digit.
    pub(crate) digits: Option<u32>,
}

/// `trace`, resolved.
pub(crate) struct TraceJob {
    pub(crate) exercise: Exercise,
    /// The problem's index.
    pub(crate) problem: usize,
    /// Epochs to run.
    pub(crate) epochs: u64,
    /// `--epoch`: the only epoch to print, from 1 to `epochs`.
    pub(crate) epoch: Option<u64>,
}

/// A value in JSON: its certain digits as printed, the midpoint with every digit and the radius.
fn ball_json(x: &Ball, digits: u32) -> serde_json::Value {
    serde_json::json!({
        "value": fmt_num(x, digits),
        "mid": x.mid().to_string(),
        "rad": x.rad().to_string(),
    })
}

impl RunJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        use rayon::prelude::*;
        let ex = &self.exercise;
        let mut out = String::new();
        let digits_table = self.digits.unwrap_or(10);
        let digits_exact = self.digits.unwrap_or(SIG_DIGITS);
        if self.format == RunFormat::Csv {
            let vars: Vec<String> = (1..=ex.nvars()).map(|i| format!("w{i}")).collect();
            let _ = writeln!(out, "problem,epoch,{},f", vars.join(","));
        }
        // each problem run and written on its own core (its trace dropped once written), the
        // pieces joined in the problems' order; the first failure in that order is reported
        let piece =
            |&(i, n): &(usize, u64)| -> Result<(String, Option<serde_json::Value>), Failure> {
                let mut out = String::new();
                let mut json = None;
                let p = &ex.problems[i];
                let tr =
                    trace::trace_points(ex, p, n).map_err(|e| Failure::input(e.to_string()))?;
                let rows: Vec<(u64, &[Ball], &Ball)> =
                    std::iter::once((0, tr.start.as_slice(), &tr.f_start))
                        .chain(
                            tr.epochs
                                .iter()
                                .map(|e| (e.epoch, e.after.as_slice(), &e.f)),
                        )
                        .collect();
                match self.format {
                    RunFormat::Table => {
                        let _ = writeln!(
                            out,
                            "{} ({}; {}), {n} epoch{}, {}",
                            p.id,
                            super::misc::form_name(p.optimizer),
                            tr.hyperparameters
                                .iter()
                                .map(|h| format!("{} = {}", h.name, h.value.to_compact()))
                                .collect::<Vec<_>>()
                                .join(", "),
                            if n == 1 { "" } else { "s" },
                            tr.status.key()
                        );
                        let mut header = vec!["epoch".to_string()];
                        header.extend(tr.variables.iter().cloned());
                        header.push("f".into());
                        let body: Vec<Vec<String>> = rows
                            .iter()
                            .map(|(t, w, f)| {
                                let mut r = vec![t.to_string()];
                                r.extend(w.iter().map(|x| fmt_num(x, digits_table)));
                                r.push(fmt_num(f, digits_table));
                                r
                            })
                            .collect();
                        out.push_str(&aligned(&header, &body));
                        if digits_table < SIG_DIGITS {
                            let _ = writeln!(
                            out,
                            "  (at most {digits_table} significant digits, every one certain; --digits 28 prints all certain digits)"
                        );
                        }
                        out.push('\n');
                    }
                    RunFormat::Csv => {
                        for (t, w, f) in &rows {
                            let ws: Vec<String> =
                                w.iter().map(|x| fmt_num(x, digits_exact)).collect();
                            let _ = writeln!(
                                out,
                                "{},{},{},{}",
                                p.id,
                                t,
                                ws.join(","),
                                fmt_num(f, digits_exact)
                            );
                        }
                    }
                    RunFormat::Json => {
                        let pts: Vec<serde_json::Value> = rows
                        .iter()
                        .map(|(t, w, f)| {
                            serde_json::json!({
                                "epoch": t,
                                "w": w.iter().map(|x| ball_json(x, digits_exact)).collect::<Vec<_>>(),
                                "f": ball_json(f, digits_exact),
                            })
                        })
                        .collect();
                        json = Some(serde_json::json!({
                            "problem": p.id,
                            "optimizer": p.optimizer.id,
                            "status": tr.status.key(),
                            "points": pts,
                        }));
                    }
                }
                Ok((out, json))
            };
        let pieces = self.problems.par_iter().map(piece).collect::<Vec<_>>();
        let mut json = Vec::new();
        for piece in pieces {
            let (text, value) = piece?;
            out.push_str(&text);
            json.extend(value);
        }
        if self.format == RunFormat::Json {
            out = serde_json::to_string_pretty(&json).map_err(|e| Failure::input(e.to_string()))?
                + "\n";
        }
        Ok(out)
    }
}

impl TraceJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let ex = &self.exercise;
        let n = self.epochs;
        let mut tr = trace::trace(ex, &ex.problems[self.problem], n)
            .map_err(|e| Failure::input(e.to_string()))?;
        if let Some(k) = self.epoch {
            tr.epochs.retain(|e| e.epoch == k);
        }
        let s = serde_json::to_string_pretty(&tr).map_err(|e| Failure::input(e.to_string()))?;
        Ok(s + "\n")
    }
}
