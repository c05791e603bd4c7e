//! The view of exercise 5's section: the set-up, the results table, the figures and the reading,
//! worded from the catalog. Every number comes from [`crate::vanishing::report`], where the facts
//! are computed and tested; here they are only formatted (accuracies to 4 decimals, gradient norms
//! and ratios to 2 significant digits) and put into sentences.

use super::figure::FigureView;
use super::fill;
use crate::render::catalog::Catalog;
use crate::vanishing::report::{Fact, Gradients, Section, Setup, CHANCE, VANISHED};
use crate::vanishing::LEFT_CHANCE;
use serde::Serialize;

/// The section.
#[derive(Debug, Clone, Serialize)]
pub struct VanishingView {
    /// Its heading (catalog text).
    pub title: String,
    /// What the exercise asks.
    pub intro: String,
    /// "Set-up".
    pub setup_title: String,
    /// The set-up, one item each (catalog text with inline math).
    pub setup: Vec<String>,
    /// The optimizers' table: header, then one row per optimizer (plain text, escaped).
    pub optimizers_header: Vec<String>,
    /// One per optimizer.
    pub optimizers: Vec<OptimizerRow>,
    /// The results, when there are some.
    pub results: Option<ResultsView>,
    /// With no results: where they were looked for and the command that makes them (catalog text;
    /// the command itself is in `command`).
    pub missing: String,
    /// The command that makes the results (code).
    pub command: String,
    /// The note on the course's sample code (catalog text).
    pub counter_note: String,
}

/// One optimizer of the set-up.
#[derive(Debug, Clone, Serialize)]
pub struct OptimizerRow {
    /// Its name in the exercise and the catalog's name (plain text).
    pub name: String,
    /// `name = value, ...` (plain text).
    pub hyperparameters: String,
    /// The `torch.optim` call (code), or empty.
    pub torch: String,
    /// Said instead when there is no call (catalog text).
    pub no_torch: String,
}

/// The results part.
#[derive(Debug, Clone, Serialize)]
pub struct ResultsView {
    /// "Results".
    pub title: String,
    /// How the table counts (the thresholds).
    pub intro: String,
    /// Table header.
    pub header: Vec<String>,
    /// One row per optimizer.
    pub rows: Vec<Vec<String>>,
    /// Accuracy, loss, then one gradient figure per optimizer.
    pub figures: Vec<FigureView>,
    /// "Reading the results".
    pub reading_title: String,
    /// The reading, sentence by sentence.
    pub reading: Vec<String>,
}

/// The SVG file names of the section's figures: accuracy, loss, then the gradients of each named
/// optimizer.
pub fn figure_files(optimizers: &[String]) -> Vec<String> {
    [
        "vanishing-accuracy.svg".to_string(),
        "vanishing-loss.svg".to_string(),
    ]
    .into_iter()
    .chain(
        optimizers
            .iter()
            .map(|o| format!("vanishing-gradients-{o}.svg")),
    )
    .collect()
}

/// `x` to `sig` significant digits as LaTeX math: plain from 0.001 to 99999, else `m \times 10^{e}`.
pub(crate) fn sci(x: f64, sig: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "\\mathrm{NaN}".into()
        } else if x > 0.0 {
            "\\infty".into()
        } else {
            "-\\infty".into()
        };
    }
    let s = format!("{:.*e}", sig.saturating_sub(1), x);
    let Some((m, e)) = s.split_once('e') else {
        return s;
    };
    let e: i32 = e.parse().unwrap_or(0);
    if x == 0.0 {
        "0".into()
    } else if (-3..5).contains(&e) {
        let rounded: f64 = s.parse().unwrap_or(x);
        let decimals = (sig as i32 - 1 - e).max(0) as usize;
        format!("{rounded:.decimals$}")
    } else {
        format!("{m} \\times 10^{{{e}}}")
    }
}

/// An accuracy (a share) to 4 decimals.
fn acc(x: f64) -> String {
    format!("{x:.4}")
}

fn list(items: &[String], cat: &Catalog) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), cat.text("list_and")),
    }
}

fn hyperparameters(h: &[(String, String)]) -> String {
    h.iter()
        .map(|(n, v)| format!("{n} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn setup_items(s: &Setup, cat: &Catalog) -> Vec<String> {
    let widths = s
        .sizes
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(" \\to ");
    let mut items = vec![
        fill(
            &cat.text("vanishing_network"),
            &[
                ("widths", format!("${widths}$")),
                ("hidden", s.sizes.len().saturating_sub(2).to_string()),
                ("std", format!("${}$", s.init_std)),
            ],
        ),
        match s.examples {
            Some((train, test)) => fill(
                &cat.text("vanishing_data"),
                &[("train", train.to_string()), ("test", test.to_string())],
            ),
            None => cat.text("vanishing_data_plain"),
        },
        fill(
            &cat.text("vanishing_training"),
            &[
                ("batch", s.batch_size.to_string()),
                ("epochs", s.epochs.to_string()),
                ("seed", s.seed.to_string()),
            ],
        ),
    ];
    items.push(cat.text("vanishing_same_start"));
    items
}

fn layers_text(layers: &[usize], cat: &Catalog) -> String {
    match layers {
        [k] => fill(&cat.text("vanishing_layer"), &[("k", k.to_string())]),
        _ => fill(
            &cat.text("vanishing_layers"),
            &[(
                "list",
                list(
                    &layers.iter().map(usize::to_string).collect::<Vec<_>>(),
                    cat,
                ),
            )],
        ),
    }
}

fn gradients_sentence(g: &Gradients, cat: &Catalog) -> String {
    let common = [
        ("optimizer", g.optimizer.clone()),
        ("t", g.epoch.to_string()),
        ("out", g.output.to_string()),
        ("gout", format!("${}$", sci(g.output_norm, 2))),
    ];
    if let Some(worst) = g.vanished.iter().max_by(|a, b| a.ratio.total_cmp(&b.ratio)) {
        let best = g
            .vanished
            .iter()
            .min_by(|a, b| a.ratio.total_cmp(&b.ratio))
            .unwrap_or(worst);
        let layers: Vec<usize> = g.vanished.iter().map(|x| x.layer).collect();
        let times = if g.vanished.len() == 1 {
            fill(
                &cat.text("vanishing_times"),
                &[("r", format!("${}$", sci(worst.ratio, 2)))],
            )
        } else {
            fill(
                &cat.text("vanishing_times_range"),
                &[
                    ("lo", format!("${}$", sci(best.ratio, 2))),
                    ("hi", format!("${}$", sci(worst.ratio, 2))),
                ],
            )
        };
        let mut slots = common.to_vec();
        slots.extend([
            ("layers", layers_text(&layers, cat)),
            ("times", times),
            ("k", worst.layer.to_string()),
            ("gk", format!("${}$", sci(worst.norm, 2))),
        ]);
        fill(&cat.text("vanishing_gradients_vanished"), &slots)
    } else {
        match &g.smallest {
            Some(s) if s.ratio >= 1.0 => {
                let mut slots = common.to_vec();
                slots.extend([
                    ("k", s.layer.to_string()),
                    ("gk", format!("${}$", sci(s.norm, 2))),
                    ("r", format!("${}$", sci(s.ratio, 2))),
                    ("v", format!("${}$", sci(VANISHED, 3))),
                ]);
                fill(&cat.text("vanishing_gradients_kept"), &slots)
            }
            _ => fill(&cat.text("vanishing_gradients_larger"), &common),
        }
    }
}

fn fact_sentence(f: &Fact, cat: &Catalog) -> String {
    match f {
        Fact::Gradients(g) => gradients_sentence(g, cat),
        Fact::LeftChance(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|(o, t, a)| {
                    fill(
                        &cat.text("vanishing_left_item"),
                        &[
                            ("optimizer", o.clone()),
                            ("t", t.to_string()),
                            ("acc", acc(*a)),
                        ],
                    )
                })
                .collect();
            fill(&cat.text("vanishing_left"), &[("items", list(&items, cat))])
        }
        Fact::StayedAtChance(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|(o, n, a)| {
                    fill(
                        &cat.text("vanishing_stayed_item"),
                        &[
                            ("optimizer", o.clone()),
                            ("n", n.to_string()),
                            ("acc", acc(*a)),
                        ],
                    )
                })
                .collect();
            fill(
                &cat.text("vanishing_stayed"),
                &[
                    ("items", list(&items, cat)),
                    ("threshold", LEFT_CHANCE.to_string()),
                ],
            )
        }
    }
}

/// The view of `section`, its figures already drawn and viewed (`figures`, in the order of
/// [`figure_files`]); `number` is the exercise's number in the sheet.
pub fn view(
    section: &Section,
    figures: Vec<FigureView>,
    number: usize,
    cat: &Catalog,
) -> VanishingView {
    let setup = match section {
        Section::Results { report, .. } => &report.setup,
        Section::Missing { setup, .. } => setup,
    };
    let optimizers = setup
        .optimizers
        .iter()
        .map(|o| OptimizerRow {
            name: format!("{} ({})", o.name, cat.optimizer_name(&o.id)),
            hyperparameters: hyperparameters(&o.hyperparameters),
            torch: o.torch.clone().unwrap_or_default(),
            no_torch: cat.text("vanishing_no_torch"),
        })
        .collect();
    let counter_note = match section {
        Section::Results { results, .. } => fill(
            &cat.text("vanishing_counter"),
            &[
                (
                    "total",
                    (results.examples.0 + results.examples.1).to_string(),
                ),
                ("test", results.examples.1.to_string()),
            ],
        ),
        Section::Missing { .. } => cat.text("vanishing_counter_plain"),
    };
    let (results, missing, command) = match section {
        Section::Results { report, .. } => {
            let rows = report
                .rows
                .iter()
                .map(|s| {
                    vec![
                        s.optimizer.clone(),
                        s.epochs.to_string(),
                        acc(s.final_test_accuracy),
                        format!(
                            "{} ({})",
                            acc(s.best_test_accuracy.0),
                            s.best_test_accuracy.1
                        ),
                        s.left_chance
                            .map_or_else(|| cat.text("vanishing_never"), |e| e.to_string()),
                        format!("{:.4}", s.final_train_loss),
                    ]
                })
                .collect();
            let mut reading = vec![fill(
                &cat.text("vanishing_reading_intro"),
                &[("v", format!("${}$", sci(VANISHED, 3)))],
            )];
            reading.extend(report.facts.iter().map(|f| fact_sentence(f, cat)));
            (
                Some(ResultsView {
                    title: cat.text("vanishing_results"),
                    intro: fill(
                        &cat.text("vanishing_table_intro"),
                        &[
                            ("chance", CHANCE.to_string()),
                            ("threshold", LEFT_CHANCE.to_string()),
                        ],
                    ),
                    header: [
                        "vanishing_col_optimizer",
                        "vanishing_col_epochs",
                        "vanishing_col_final",
                        "vanishing_col_best",
                        "vanishing_col_left",
                        "vanishing_col_loss",
                    ]
                    .iter()
                    .map(|k| cat.text(k))
                    .collect(),
                    rows,
                    figures,
                    reading_title: cat.text("reading"),
                    reading,
                }),
                String::new(),
                String::new(),
            )
        }
        Section::Missing { command, dir, .. } => (
            None,
            fill(
                &cat.text("vanishing_missing"),
                &[("dir", dir.display().to_string())],
            ),
            command.clone(),
        ),
    };
    VanishingView {
        title: fill(
            &cat.text("vanishing_title"),
            &[("number", number.to_string())],
        ),
        intro: cat.text("vanishing_intro"),
        setup_title: cat.text("vanishing_setup"),
        setup: setup_items(setup, cat),
        optimizers_header: [
            "vanishing_col_optimizer",
            "vanishing_col_hypers",
            "vanishing_col_torch",
        ]
        .iter()
        .map(|k| cat.text(k))
        .collect(),
        optimizers,
        results,
        missing,
        command,
        counter_note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_to_their_significant_digits() {
        assert_eq!(sci(8.365059206243616e-5, 2), "8.4 \\times 10^{-5}");
        assert_eq!(sci(0.30123, 2), "0.30");
        assert_eq!(sci(3601.2, 2), "3600");
        assert_eq!(sci(3750.0, 2), "3800");
        assert_eq!(sci(4.04, 2), "4.0");
        assert_eq!(sci(100.0, 3), "100");
        assert_eq!(sci(123456.0, 2), "1.2 \\times 10^{5}");
        assert_eq!(sci(0.0, 2), "0");
        assert_eq!(sci(f64::INFINITY, 2), "\\infty");
    }
}
