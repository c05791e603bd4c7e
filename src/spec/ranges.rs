//! The `[variants]` table: ranges (grids of exact values) that per-student variants draw the start
//! point and some hyperparameters from, checked against the exercise's variables, problems and
//! hyperparameter bounds.

use super::load::Ctx;
use super::raw::{RawGrid, RawVariants};
use super::{Grid, Problem, SpecError, VariantRanges, MAX_GRID};
use crate::number::Num;
use toml::Spanned;

fn grid(cx: &Ctx, g: &Spanned<RawGrid>, what: &str) -> Result<Grid, SpecError> {
    let r = g.get_ref();
    let from = cx.number(&r.from, &format!("{what}: from"))?;
    let to = cx.number(&r.to, &format!("{what}: to"))?;
    let step = cx.number(&r.step, &format!("{what}: step"))?;
    if step <= Num::ZERO {
        return Err(cx.at(
            r.step.span(),
            format!("{what}: step must be > 0, got {step}"),
        ));
    }
    if to < from {
        return Err(cx.at(
            r.to.span(),
            format!("{what}: 'to' ({to}) is below 'from' ({from})"),
        ));
    }
    let n = to
        .sub(&from)
        .and_then(|d| d.div(&step))
        .map_err(|e| cx.at(g.span(), format!("{what}: {e}")))?;
    // whole steps only
    let count = n
        .trunc()
        .to_plain()
        .parse::<u64>()
        .ok()
        .map(|c| c + 1)
        .filter(|c| *c <= MAX_GRID);
    let count = count.ok_or_else(|| {
        cx.at(
            g.span(),
            format!("{what}: more than {MAX_GRID} values from {from} to {to} by {step}"),
        )
    })?;
    Ok(Grid { from, step, count })
}

pub(super) fn variant_ranges(
    cx: &Ctx,
    v: &Spanned<RawVariants>,
    nvars: usize,
    problems: &[Problem],
) -> Result<VariantRanges, SpecError> {
    let raw = v.get_ref();
    let mut out = VariantRanges::default();
    if let Some(st) = &raw.start {
        if st.len() != nvars {
            return Err(cx.at(
                v.span(),
                format!("variants: start needs {nvars} ranges, one per variable"),
            ));
        }
        for (i, g) in st.iter().enumerate() {
            out.start
                .push(grid(cx, g, &format!("variants: start[{}]", i + 1))?);
        }
    }
    for (pid, table) in &raw.params {
        let pi = problems.iter().position(|p| p.id == *pid).ok_or_else(|| {
            cx.at(
                table.span(),
                format!("variants: no problem '{pid}' in this exercise"),
            )
        })?;
        let info = problems[pi].optimizer;
        for (name, g) in table.get_ref() {
            let hi = info
                .hypers
                .iter()
                .position(|h| h.name == name)
                .ok_or_else(|| {
                    cx.at(
                        g.span(),
                        format!("variants: {} has no parameter '{name}'", info.id),
                    )
                })?;
            let what = format!("variants: {pid}.{name}");
            let gr = grid(cx, g, &what)?;
            let h = &info.hypers[hi];
            for end in [gr.from, gr.value(gr.count - 1)] {
                if !h.bound.admits(&end) {
                    return Err(cx.at(
                        g.span(),
                        format!("{what}: {end} is outside {}", h.bound.describe()),
                    ));
                }
            }
            out.params.push((pi, hi, gr));
        }
    }
    if out.start.is_empty() && out.params.is_empty() {
        return Err(cx.at(
            v.span(),
            "variants: give start ranges or params ranges".to_string(),
        ));
    }
    Ok(out)
}
