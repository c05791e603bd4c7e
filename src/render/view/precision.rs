//! The precision report in words: the typed [`Precision`](crate::analysis::Precision) of a run,
//! formatted for the sheet.

use super::{cell, fill};
use crate::analysis::{CorrectDigits, FloatResult, Precision};
use crate::render::catalog::Catalog;
use serde::Serialize;

/// The precision report: exact, float32 and float64 values at the final epoch.
#[derive(Debug, Serialize)]
pub struct PrecisionView {
    /// Title.
    pub title: String,
    /// One sentence.
    pub intro: String,
    /// Column names, plain text.
    pub header: Vec<String>,
    /// One row per component: name, exact (rounded), float32, its correct digits, float64, its
    /// correct digits.
    pub rows: Vec<Vec<String>>,
}

fn cells(r: &FloatResult, all: &str, undetermined: &str) -> [String; 2] {
    let digits = match r.digits {
        CorrectDigits::All => all.to_string(),
        CorrectDigits::Count(n) => n.to_string(),
        CorrectDigits::Undetermined => undetermined.to_string(),
    };
    match &r.value {
        Some(v) => [v.to_compact(), digits],
        None if r.overflowed => ["inf".to_string(), digits],
        None => ["nan".to_string(), digits],
    }
}

pub(super) fn view(p: &Precision, cat: &Catalog, digits: u32) -> PrecisionView {
    let all = cat.text("precision_all");
    let undetermined = cat.text("precision_undetermined");
    let rows = p
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = vec![format!("w{}", i + 1), cell(&r.exact, digits)];
            row.extend(cells(&r.float32, &all, &undetermined));
            row.extend(cells(&r.float64, &all, &undetermined));
            row
        })
        .collect();
    let value = cat.text("precision_value");
    let dig = cat.text("precision_digits");
    PrecisionView {
        title: cat.text("precision_title"),
        intro: cat.text("precision_intro"),
        header: vec![
            String::new(),
            cat.text("precision_exact"),
            fill(&value, &[("dtype", "float32".to_string())]),
            dig.clone(),
            fill(&value, &[("dtype", "float64".to_string())]),
            dig,
        ],
        rows,
    }
}
