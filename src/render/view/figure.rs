//! The figures of a sheet as the templates see them: the file an SVG is written to (Markdown links
//! it, the HTML inlines it), the TikZ picture (LaTeX), and a caption from the catalog that says what
//! the picture shows: its levels, where the minimizer is, a clipped run, the components of a plane
//! of more than two variables.

use super::fill;
use crate::figure::{CurveKind, Curves, Figures, Held, Plane};
use crate::render::catalog::Catalog;
use crate::render::plot::Drawn;
use crate::spec::Exercise;
use serde::Serialize;

/// One figure.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    /// The SVG's file name, beside the Markdown sheet.
    pub file: String,
    /// A short text for readers who cannot see the picture (plain text).
    pub alt: String,
    /// The caption (catalog text with inline math).
    pub caption: String,
    /// The picture as a `tikzpicture`.
    pub tikz: String,
}

/// The figures of every problem together.
#[derive(Debug, Clone, Serialize)]
pub struct FiguresView {
    /// Section title.
    pub title: String,
    /// Every problem in one plane.
    pub comparison: FigureView,
    /// f − f* (or f) against the epoch.
    pub objective: FigureView,
    /// The gradient's norm against the epoch.
    pub gradient: FigureView,
}

/// The file name of problem `id`'s figure.
pub fn problem_file(id: &str) -> String {
    format!("{id}-figure.svg")
}

/// The file names of the comparison, the objective and the gradient figures.
pub const SHARED_FILES: [&str; 3] = [
    "figures-compare.svg",
    "figures-objective.svg",
    "figures-gradient.svg",
];

fn var(label: &str) -> String {
    match label.strip_prefix('w') {
        Some(i) => format!("$w_{{{i}}}$"),
        None => format!("${label}$"),
    }
}

/// The sentences a plane's caption adds after its first one.
fn plane_notes(ex: &Exercise, p: &Plane, cat: &Catalog) -> String {
    let mut out = String::new();
    if !p.contours.is_empty() {
        out.push(' ');
        out.push_str(&cat.text(if p.levels.log {
            "figure_levels_log"
        } else {
            "figure_levels_even"
        }));
    }
    if let Some(held) = p.held {
        out.push(' ');
        out.push_str(&fill(
            &cat.text("figure_held"),
            &[
                ("n", ex.nvars().to_string()),
                ("x", var(&p.labels.0)),
                ("y", var(&p.labels.1)),
                (
                    "where",
                    cat.text(match held {
                        Held::Minimizer => "figure_held_minimizer",
                        Held::Start => "figure_held_start",
                    }),
                ),
            ],
        ));
    }
    if p.minimizer.is_some() {
        out.push(' ');
        out.push_str(&fill(
            &cat.text("figure_minimizer"),
            &[("wstar", "$w^{*}$".to_string())],
        ));
    }
    if p.clipped {
        out.push(' ');
        out.push_str(&cat.text("figure_clipped"));
    }
    out
}

fn curves_caption(c: &Curves, cat: &Catalog) -> String {
    let (key, q) = match c.kind {
        CurveKind::Gap => ("figure_objective", "$f(w^{(t)}) - f^{*}$"),
        CurveKind::Objective => ("figure_objective", "$f(w^{(t)})$"),
        CurveKind::GradientNorm => ("figure_gradient", "$\\lVert \\nabla f(w^{(t)}) \\rVert$"),
        // exercise 5's curves have captions of their own (vanishing_views)
        CurveKind::Loss | CurveKind::Accuracy | CurveKind::LayerGradientNorm => {
            ("figure_gradient", "")
        }
    };
    let mut s = fill(&cat.text(key), &[("q", q.to_string())]);
    if c.log {
        s.push(' ');
        s.push_str(&cat.text("figure_log_scale"));
    }
    s
}

/// The views of the problems' figures (in order) and of the shared ones.
pub(crate) fn views(
    ex: &Exercise,
    figs: &Figures,
    problems: &[Drawn],
    shared: &[Drawn; 3],
    cat: &Catalog,
) -> (Vec<FigureView>, FiguresView) {
    let per_problem = ex
        .problems
        .iter()
        .zip(&figs.problems)
        .zip(problems)
        .map(|((p, plane), drawn)| {
            let name = cat.optimizer_name(p.optimizer.id);
            let epochs = plane.paths.first().map_or(0, |x| x.epochs).to_string();
            let key = if plane.contours.is_empty() && !plane.graph.is_empty() {
                "figure_graph"
            } else {
                "figure_problem"
            };
            let slots = [("name", name), ("id", p.id.clone()), ("n", epochs)];
            FigureView {
                file: problem_file(&p.id),
                alt: fill(&cat.text("figure_problem_alt"), &slots),
                caption: fill(&cat.text(key), &slots) + &plane_notes(ex, plane, cat),
                tikz: drawn.tikz.clone(),
            }
        })
        .collect();
    let shared_view = |i: usize, alt: &str, caption: String| FigureView {
        file: SHARED_FILES[i].to_string(),
        alt: cat.text(alt),
        caption,
        tikz: shared[i].tikz.clone(),
    };
    let compare_key = if figs.comparison.contours.is_empty() && !figs.comparison.graph.is_empty() {
        "figure_compare_graph"
    } else {
        "figure_compare"
    };
    let all = FiguresView {
        title: cat.text("figures_title"),
        comparison: shared_view(
            0,
            "figure_compare_alt",
            cat.text(compare_key) + &plane_notes(ex, &figs.comparison, cat),
        ),
        objective: shared_view(
            1,
            "figure_objective_alt",
            curves_caption(&figs.objective, cat),
        ),
        gradient: shared_view(
            2,
            "figure_gradient_alt",
            curves_caption(&figs.gradient, cat),
        ),
    };
    (per_problem, all)
}

/// The views of exercise 5's figures, drawn as `(file name, picture)` in the order of
/// [`super::vanishing::figure_files`]: accuracy, loss, then the gradients of each of `optimizers`
/// (networks of `layers` layers).
pub(crate) fn vanishing_views(
    optimizers: &[String],
    layers: usize,
    drawn: &[(String, Drawn)],
    cat: &Catalog,
) -> Vec<FigureView> {
    drawn
        .iter()
        .enumerate()
        .map(|(i, (file, d))| {
            let (caption, alt) = match i {
                0 => (
                    cat.text("vanishing_figure_accuracy"),
                    cat.text("vanishing_figure_accuracy_alt"),
                ),
                1 => (
                    cat.text("vanishing_figure_loss"),
                    cat.text("vanishing_figure_loss_alt"),
                ),
                _ => {
                    let name = optimizers.get(i - 2).cloned().unwrap_or_default();
                    let slots = [("optimizer", name), ("out", layers.to_string())];
                    (
                        fill(&cat.text("vanishing_figure_gradients"), &slots),
                        fill(&cat.text("vanishing_figure_gradients_alt"), &slots),
                    )
                }
            };
            FigureView {
                file: file.clone(),
                alt,
                caption,
                tikz: d.tikz.clone(),
            }
        })
        .collect()
}
