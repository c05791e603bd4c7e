//! Figures, as data: what each picture of a sheet shows, computed from the exercise and its traces
//! and drawn by [`crate::render::plot`].
//!
//! Per problem, the trajectory over the contour lines of f in a window that holds it and the minimizer
//! (levels log-spaced where f spans decades), clipped with a flag when the run leaves the window; one
//! plane with every problem on the same contours; and the curves of f (f − f* when the minimum is
//! known) and of the gradient's norm against the epoch. With more than two variables a plane shows
//! the two components that move most, the others held at the minimizer (or the start point); with
//! one variable it is the graph of f with the trajectory on it. Long runs are thinned below a pixel,
//! so a 100,000-epoch run draws as fast, and looks the same, as its picture needs.
//!
//! Everything is `f64`, computed in a fixed order from exact values, so the same exercise gives the
//! same figures byte for byte.

pub mod geometry;
pub mod vanishing;

pub use geometry::{Contour, Levels, Pt, Window};

use crate::expr::Compiled;
use crate::number::{Ball, Num};
use crate::solution::Solution;
use crate::spec::Exercise;
use crate::trace::Trace;
use rayon::prelude::*;
use serde::Serialize;

/// Epochs of a run at most for every point to get a marker.
pub const MAX_MARKERS: usize = 80;

/// Columns a curve is thinned to (about the width of a figure in pixels).
pub const CURVE_BUCKETS: usize = 600;

/// Thinning tolerance, as a fraction of the window's span (well below a pixel).
const THIN: f64 = 1.0 / 2000.0;

/// Where the components not shown are held, in a plane of an objective of more than two variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Held {
    /// At the minimizer.
    Minimizer,
    /// At the start point.
    Start,
}

/// One problem's path in a plane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    /// The problem's id (the legend).
    pub label: String,
    /// Its parts inside the window, thinned.
    pub pieces: Vec<Vec<Pt>>,
    /// Points to mark (every epoch of a short run; none for a long one).
    pub markers: Vec<Pt>,
    /// The start, when inside the window.
    pub start: Option<Pt>,
    /// The last point, when inside the window.
    pub end: Option<Pt>,
    /// The last epoch.
    pub epochs: u64,
}

/// A picture in the plane of two components (contour lines), or of one component and f (a graph).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plane {
    /// The 0-based components on the axes: two, or one for a graph of f.
    pub axes: Vec<usize>,
    /// The axes' names (`w1`, `w2`; `w1`, `f`).
    pub labels: (String, String),
    /// The window.
    pub window: Window,
    /// The contour levels (empty for a graph).
    pub levels: Levels,
    /// The contour lines, level by level (of f shifted by `shift`).
    pub contours: Vec<Contour>,
    /// What the levels are shifted by: f* when known, else the lowest value seen.
    pub shift: f64,
    /// The graph of f over the window, for one variable.
    pub graph: Vec<Vec<Pt>>,
    /// One path per problem.
    pub paths: Vec<Path>,
    /// The minimizer, when known and inside the window.
    pub minimizer: Option<Pt>,
    /// Whether a path leaves the window.
    pub clipped: bool,
    /// More than two variables: where the others are held.
    pub held: Option<Held>,
}

/// One problem's curve against the epoch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The problem's id.
    pub label: String,
    /// `(epoch, value)`, thinned; points a log scale cannot show (0, non-finite) left out.
    pub points: Vec<Pt>,
}

/// A quantity against the epoch, every problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curves {
    /// What the curve is.
    pub kind: CurveKind,
    /// Log scale on the vertical axis.
    pub log: bool,
    /// The last epoch of the longest run.
    pub epochs: u64,
    /// The vertical range.
    pub range: (f64, f64),
    /// One per problem.
    pub series: Vec<Series>,
}

/// What a curve shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CurveKind {
    /// f − f*.
    Gap,
    /// f itself (its minimum not known).
    Objective,
    /// The gradient's Euclidean norm.
    GradientNorm,
    /// Exercise 5: the mean training loss.
    Loss,
    /// Exercise 5: the test accuracy, in percent.
    Accuracy,
    /// Exercise 5: one layer's mean gradient norm per series.
    LayerGradientNorm,
}

/// Every figure of a sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// One per problem, in order.
    pub problems: Vec<Plane>,
    /// Every problem in one plane (the window of all of them).
    pub comparison: Plane,
    /// f − f* (or f) against the epoch.
    pub objective: Curves,
    /// The gradient's norm against the epoch.
    pub gradient: Curves,
}

fn points(tr: &Trace) -> impl Iterator<Item = &[Ball]> {
    std::iter::once(tr.start.as_slice()).chain(tr.epochs.iter().map(|e| e.after.as_slice()))
}

fn f_values(tr: &Trace) -> impl Iterator<Item = &Ball> {
    std::iter::once(&tr.f_start).chain(tr.epochs.iter().map(|e| &e.f))
}

fn to_f64(w: &[Ball]) -> Vec<f64> {
    w.iter().map(Ball::to_f64).collect()
}

fn nums_f64(w: &[Num]) -> Vec<f64> {
    w.iter().map(Num::to_f64).collect()
}

fn exact(w: &[Num]) -> Vec<Ball> {
    w.iter().copied().map(Ball::exact).collect()
}

/// The two components that move most over the traces (their range), in index order; ties go to the
/// lower index.
fn moving(traces: &[&Trace], n: usize) -> [usize; 2] {
    let range = |i: usize| {
        let vals = traces
            .iter()
            .flat_map(|tr| points(tr).map(move |w| w[i].to_f64()))
            .filter(|v| v.is_finite());
        let (lo, hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if hi >= lo {
            hi - lo
        } else {
            0.0
        }
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| range(*b).total_cmp(&range(*a)).then(a.cmp(b)));
    let mut two = [order[0], order[1]];
    two.sort_unstable();
    two
}

struct Objective<'a> {
    ex: &'a Exercise,
    f: Compiled<f64>,
    minimizer: Option<Vec<f64>>,
    f_star: Option<Num>,
}

impl Objective<'_> {
    fn eval(&self, w: &[f64]) -> f64 {
        self.f.eval(w).unwrap_or(f64::NAN)
    }

    /// A plane of `traces` (labelled by `labels`).
    fn plane(&self, traces: &[&Trace], labels: &[&str]) -> Plane {
        let n = self.ex.nvars();
        if n == 1 {
            return self.graph(traces, labels);
        }
        let axes = if n == 2 { [0, 1] } else { moving(traces, n) };
        let (held, base): (Option<Held>, Vec<f64>) = match (&self.minimizer, n > 2) {
            (_, false) => (None, nums_f64(&self.ex.start)),
            (Some(m), true) => (Some(Held::Minimizer), m.clone()),
            (None, true) => (Some(Held::Start), nums_f64(&self.ex.start)),
        };
        let project = |w: &[Ball]| (w[axes[0]].to_f64(), w[axes[1]].to_f64());
        let all: Vec<Pt> = traces
            .iter()
            .flat_map(|tr| points(tr).map(project))
            .collect();
        let start = project(&exact(&self.ex.start));
        let minimizer = self.minimizer.as_ref().map(|m| (m[axes[0]], m[axes[1]]));
        // the anchors: the start, the minimizer, or where f was lowest
        let mut anchors = vec![start];
        match minimizer {
            Some(m) => anchors.push(m),
            None => anchors.extend(lowest(traces).map(project)),
        }
        anchors.extend(
            traces
                .iter()
                .filter_map(|tr| tr.epochs.first())
                .map(|e| project(&e.after)),
        );
        let (window, clipped) = geometry::window(&all, &anchors).unwrap_or((
            Window {
                x: (-1.0, 1.0),
                y: (-1.0, 1.0),
            },
            true,
        ));
        let at = |x: f64, y: f64| {
            let mut w = base.clone();
            w[axes[0]] = x;
            w[axes[1]] = y;
            self.eval(&w)
        };
        let shift = self.shift(traces, &window, &at);
        let g = |x: f64, y: f64| at(x, y) - shift;
        let hi = grid_max(&window, &g);
        let lo = traces
            .iter()
            .flat_map(|tr| points(tr))
            .map(&project)
            .filter(|p| window.contains(*p))
            .map(|p| g(p.0, p.1))
            .filter(|v| *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        let levels = geometry::levels(lo, hi);
        let contours = geometry::contours(g, &window, &levels.values);
        let paths = traces
            .iter()
            .zip(labels)
            .map(|(tr, label)| path(tr, label, &window, project))
            .collect();
        Plane {
            axes: axes.to_vec(),
            labels: (format!("w{}", axes[0] + 1), format!("w{}", axes[1] + 1)),
            window,
            levels,
            contours,
            shift,
            graph: Vec::new(),
            paths,
            minimizer: minimizer.filter(|m| window.contains(*m)),
            clipped,
            held,
        }
    }

    /// f* when known, else the lowest value of f on the grid and the paths.
    fn shift(&self, traces: &[&Trace], w: &Window, at: &dyn Fn(f64, f64) -> f64) -> f64 {
        if let Some(v) = &self.f_star {
            return v.to_f64();
        }
        let on_paths = traces
            .iter()
            .flat_map(|tr| f_values(tr))
            .map(Ball::to_f64)
            .filter(|v| v.is_finite())
            .fold(f64::INFINITY, f64::min);
        let on_grid = -grid_max(w, &|x, y| -at(x, y));
        on_paths.min(on_grid)
    }

    /// One variable: the graph of f with the trajectory on it.
    fn graph(&self, traces: &[&Trace], labels: &[&str]) -> Plane {
        let xs: Vec<f64> = traces
            .iter()
            .flat_map(|tr| points(tr).map(|w| w[0].to_f64()))
            .collect();
        let start = self.ex.start[0].to_f64();
        let mut anchors = vec![(start, 0.0)];
        if let Some(m) = &self.minimizer {
            anchors.push((m[0], 0.0));
        }
        anchors.extend(
            traces
                .iter()
                .filter_map(|tr| tr.epochs.first())
                .map(|e| (e.after[0].to_f64(), 0.0)),
        );
        let on_x: Vec<Pt> = xs.iter().map(|x| (*x, 0.0)).collect();
        let (wx, clipped) = geometry::window(&on_x, &anchors).unwrap_or((
            Window {
                x: (-1.0, 1.0),
                y: (0.0, 0.0),
            },
            true,
        ));
        let samples: Vec<Pt> = (0..=200)
            .map(|k| {
                let x = wx.x.0 + (wx.x.1 - wx.x.0) * k as f64 / 200.0;
                (x, self.eval(&[x]))
            })
            .collect();
        let wy = Window::around(samples.iter().copied()).map_or((-1.0, 1.0), |w| w.padded(0.05).y);
        let window = Window { x: wx.x, y: wy };
        let paths = traces
            .iter()
            .zip(labels)
            .map(|(tr, label)| {
                let pts: Vec<Pt> = points(tr)
                    .zip(f_values(tr))
                    .map(|(w, f)| (w[0].to_f64(), f.to_f64()))
                    .collect();
                path_of(&pts, label, tr.epochs.len() as u64, &window)
            })
            .collect();
        let minimizer = self
            .minimizer
            .as_ref()
            .zip(self.f_star.as_ref())
            .map(|(m, f)| (m[0], f.to_f64()))
            .filter(|m| window.contains(*m));
        Plane {
            axes: vec![0],
            labels: ("w1".to_string(), "f".to_string()),
            window,
            levels: Levels {
                values: Vec::new(),
                log: false,
            },
            contours: Vec::new(),
            shift: 0.0,
            graph: geometry::clip(&samples, &window),
            paths,
            minimizer,
            clipped,
            held: None,
        }
    }
}

/// The point of lowest f over the traces.
fn lowest<'a>(traces: &'a [&'a Trace]) -> Option<&'a [Ball]> {
    traces
        .iter()
        .flat_map(|tr| points(tr).zip(f_values(tr)))
        .filter(|(_, f)| f.to_f64().is_finite())
        .min_by(|a, b| a.1.to_f64().total_cmp(&b.1.to_f64()))
        .map(|(w, _)| w)
}

/// The largest finite value of `g` on the contour grid of the window.
fn grid_max(w: &Window, g: &dyn Fn(f64, f64) -> f64) -> f64 {
    let n = geometry::GRID;
    let mut hi = f64::NEG_INFINITY;
    for j in 0..n {
        for i in 0..n {
            let x = w.x.0 + (w.x.1 - w.x.0) * i as f64 / (n - 1) as f64;
            let y = w.y.0 + (w.y.1 - w.y.0) * j as f64 / (n - 1) as f64;
            let v = g(x, y);
            if v.is_finite() {
                hi = hi.max(v);
            }
        }
    }
    hi
}

fn path(tr: &Trace, label: &str, w: &Window, project: impl Fn(&[Ball]) -> Pt) -> Path {
    let pts: Vec<Pt> = points(tr).map(project).collect();
    path_of(&pts, label, tr.epochs.len() as u64, w)
}

fn path_of(pts: &[Pt], label: &str, epochs: u64, w: &Window) -> Path {
    let tol = w.span() * THIN;
    let pieces: Vec<Vec<Pt>> = geometry::clip(pts, w)
        .iter()
        .map(|p| geometry::thin(p, tol))
        .collect();
    let inside = |p: Option<&Pt>| p.copied().filter(|p| w.contains(*p));
    Path {
        label: label.to_string(),
        markers: if epochs as usize <= MAX_MARKERS {
            pts.iter().copied().filter(|p| w.contains(*p)).collect()
        } else {
            Vec::new()
        },
        pieces,
        start: inside(pts.first()),
        end: inside(pts.last()),
        epochs,
    }
}

/// A series against the epoch: `value(t)` for t = 0.. over the points of a trace, with the values a
/// log scale cannot show left out when `log`.
fn series(label: &str, values: impl Iterator<Item = f64>, log: bool) -> Series {
    let pts: Vec<Pt> = values
        .enumerate()
        .map(|(t, v)| (t as f64, v))
        .filter(|(_, v)| v.is_finite() && (!log || *v > 0.0))
        .collect();
    Series {
        label: label.to_string(),
        points: geometry::thin_series(&pts, CURVE_BUCKETS),
    }
}

/// The largest ratio of the top of a log axis to its bottom (100 decades): a run that falls further is
/// drawn along the bottom of the figure.
pub const MAX_RANGE: f64 = 1e100;

fn curves(kind: CurveKind, log: bool, mut series: Vec<Series>, traces: &[&Trace]) -> Curves {
    let ys = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let (mut lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let floor = hi / MAX_RANGE;
    if log && lo < floor {
        lo = floor;
        for s in &mut series {
            for p in &mut s.points {
                p.1 = p.1.max(floor);
            }
        }
    }
    let range = if lo > hi {
        (1.0, 10.0)
    } else if lo == hi {
        if log {
            (lo / 10.0, hi * 10.0)
        } else {
            (lo - 1.0, hi + 1.0)
        }
    } else {
        (lo, hi)
    };
    Curves {
        kind,
        log,
        epochs: traces
            .iter()
            .map(|tr| tr.epochs.len() as u64)
            .max()
            .unwrap_or(0),
        range,
        series,
    }
}

/// Every figure of the exercise's sheet.
pub fn figures(ex: &Exercise, solution: &Solution) -> Figures {
    let traces: Vec<&Trace> = solution.runs.iter().map(|r| &r.trace).collect();
    let labels: Vec<&str> = ex.problems.iter().map(|p| p.id.as_str()).collect();
    let obj = Objective {
        ex,
        f: ex.objective.compile(),
        minimizer: solution.minimum.as_ref().map(|m| nums_f64(&m.point)),
        f_star: solution.minimum.as_ref().map(|m| m.value),
    };
    // each plane's contours on its own core
    let (problems, comparison) = rayon::join(
        || {
            traces
                .par_iter()
                .zip(&labels)
                .map(|(tr, l)| obj.plane(&[tr], &[l]))
                .collect()
        },
        || obj.plane(&traces, &labels),
    );
    // f − f* (exact, then to f64), or f
    let objective = match &obj.f_star {
        Some(star) => {
            let s = traces
                .iter()
                .zip(&labels)
                .map(|(tr, l)| {
                    let gap =
                        f_values(tr).map(|f| f.mid().sub(star).map_or(f64::NAN, |d| d.to_f64()));
                    series(l, gap, true)
                })
                .collect();
            curves(CurveKind::Gap, true, s, &traces)
        }
        None => {
            let log = traces
                .iter()
                .flat_map(|tr| f_values(tr))
                .all(|f| f.to_f64() > 0.0);
            let s = traces
                .iter()
                .zip(&labels)
                .map(|(tr, l)| series(l, f_values(tr).map(Ball::to_f64), log))
                .collect();
            curves(CurveKind::Objective, log, s, &traces)
        }
    };
    let grad: Vec<Compiled<f64>> = ex.gradient.iter().map(|d| d.compile()).collect();
    let norm = |w: &[Ball]| {
        let w = to_f64(w);
        grad.iter()
            .map(|d| d.eval(&w).unwrap_or(f64::NAN))
            .map(|g| g * g)
            .sum::<f64>()
            .sqrt()
    };
    let s = traces
        .iter()
        .zip(&labels)
        .map(|(tr, l)| series(l, points(tr).map(norm), true))
        .collect();
    let gradient = curves(CurveKind::GradientNorm, true, s, &traces);
    Figures {
        problems,
        comparison,
        objective,
        gradient,
    }
}
