//! The reading of part (b) in words: sentences chosen and filled from the typed
//! [`Reading`](crate::analysis::Reading) of a run.

use super::{eq_sign, fill, point_math, shown};
use crate::analysis::{Motion, Reading, Trend};
use crate::expr::latex_num;
use crate::number::{Ball, Certified, Num};
use crate::render::catalog::Catalog;
use crate::trace::Status;

/// The reading as sentences (catalog text with inline math).
pub(super) fn sentences(r: &Reading, cat: &Catalog, digits: u32) -> Vec<String> {
    // a value in running text: "$-5$", or "$\approx -0.4098$" when rounded
    let m = |x: &Ball| {
        let (v, approx) = shown(x, digits);
        if approx {
            format!("$\\approx {v}$")
        } else {
            format!("${v}$")
        }
    };
    let fx = {
        let (v, approx) = shown(&r.f_end, digits);
        format!("$f {} {v}$", eq_sign(approx))
    };
    // the factor, to three significant digits
    let ratio = r.gap_factor.and_then(|g| {
        // only certain digits: a factor known to fewer than one digit is left out
        let Certified::Digits { value: g, .. } = g.certified(3) else {
            return None;
        };
        if g.exponent() >= 5 {
            let sci = g.to_sci();
            let (a, e) = sci.split_once('e').unwrap_or((&sci, "0"));
            Some(format!("${a} \\times 10^{{{e}}}$"))
        } else {
            Some(format!("${}$", latex_num(&g)))
        }
    });
    let key = match (r.status, &ratio, r.f_star) {
        (Status::Decreasing, Some(_), Some(_)) => "status_decreasing",
        (Status::Decreasing, Some(_), None) => "status_decreasing_factor",
        (Status::Decreasing, None, _) => "status_decreasing_plain",
        (Status::Diverging, _, _) => "status_diverging",
        (Status::NotDecreasing, _, _) => "status_not_decreasing",
        (Status::Diverged, _, _) => "status_diverged",
        (Status::Uncertain, _, _) => "status_uncertain",
    };
    let (stop_t, stop_q, stop_b) = r.stopped.clone().map_or(
        (String::new(), String::new(), String::new()),
        |(t, q, b)| (t.to_string(), q, b.to_string()),
    );
    let mut out = vec![fill(
        &cat.text(key),
        &[
            ("t", stop_t),
            (
                "quantity",
                format!("${}$", stop_q.replace('[', "_{").replace(']', "}")),
            ),
            ("bound", format!("$10^{{{stop_b}}}$")),
            ("n", r.epochs.to_string()),
            ("f", fx),
            ("f0", m(&r.f_start)),
            ("fstar", m(&Ball::exact(r.f_star.unwrap_or(Num::ZERO)))),
            ("ratio", ratio.unwrap_or_default()),
        ],
    )];
    if !r.rises.is_empty() && !matches!(r.status, Status::Diverged | Status::Uncertain) {
        let mut ranges: Vec<String> = r
            .rises
            .iter()
            .take(6)
            .map(|&(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}–{b}")
                }
            })
            .collect();
        if r.rises.len() > 6 {
            ranges.push(format!("… (+{})", r.rises.len() - 6));
        }
        out.push(fill(&cat.text("f_rose"), &[("epochs", ranges.join(", "))]));
    }
    // rounding errors that reach the printed digits: from which epoch, and how many digits remain
    if let Some(t) = r.certain.iter().position(|&k| k < digits) {
        let last = r.certain.last().copied().unwrap_or(0);
        out.push(fill(
            &cat.text("digits_lost"),
            &[
                ("t", t.to_string()),
                ("digits", digits.to_string()),
                ("n", (r.certain.len() - 1).to_string()),
                ("k", last.to_string()),
            ],
        ));
    }
    if let Some(g) = &r.gradient_norm {
        out.push(fill(&cat.text("gradient_end"), &[("g", m(g))]));
    }
    if let Some((point, d)) = &r.distance {
        let point: Vec<Ball> = point.iter().copied().map(Ball::exact).collect();
        let point = format!("$w^{{*}} = {}$", point_math(&point, digits));
        out.push(fill(
            &cat.text("distance"),
            &[("wstar", point), ("d", m(d))],
        ));
    }
    for c in &r.components {
        let var = format!("$w_{{{}}}$", c.index + 1);
        let center = if c.around_minimizer {
            format!("$w_{{{}}}^{{*}}$", c.index + 1)
        } else {
            "$0$".to_string()
        };
        let text = match c.motion {
            Motion::KeptSide | Motion::CrossedOnce => {
                let key = if c.motion == Motion::KeptSide {
                    "kept_side"
                } else {
                    "crosses_once"
                };
                fill(
                    &cat.text(key),
                    &[
                        ("var", var),
                        ("c", center),
                        ("a", m(&c.start)),
                        ("b", m(&c.end)),
                    ],
                )
            }
            Motion::Oscillates { crossings, trend } => {
                let key = match trend {
                    Trend::Shrinking => "oscillates_shrinking",
                    Trend::Constant => "oscillates_constant",
                    Trend::Growing => "oscillates_growing",
                };
                fill(
                    &cat.text(key),
                    &[("var", var), ("c", center), ("k", crossings.to_string())],
                )
            }
        };
        out.push(text);
    }
    out
}
