//! The plane geometry of the figures, in `f64`: windows, contour levels, clipping and thinning. Pure
//! functions of their inputs, so every figure is the same bytes on every run.

use serde::Serialize;

/// A point of the plane.
pub type Pt = (f64, f64);

/// A rectangle of the plane: `x.0 <= x <= x.1`, `y.0 <= y <= y.1`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    /// The horizontal range.
    pub x: (f64, f64),
    /// The vertical range.
    pub y: (f64, f64),
}

impl Window {
    /// The smallest window holding every finite point, or `None` when there is none.
    pub fn around(points: impl IntoIterator<Item = Pt>) -> Option<Window> {
        points
            .into_iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .fold(None, |w: Option<Window>, p| {
                Some(match w {
                    None => Window {
                        x: (p.0, p.0),
                        y: (p.1, p.1),
                    },
                    Some(w) => Window {
                        x: (w.x.0.min(p.0), w.x.1.max(p.0)),
                        y: (w.y.0.min(p.1), w.y.1.max(p.1)),
                    },
                })
            })
    }

    /// Whether `p` lies in the window (its border included).
    pub fn contains(&self, p: Pt) -> bool {
        p.0 >= self.x.0 && p.0 <= self.x.1 && p.1 >= self.y.0 && p.1 <= self.y.1
    }

    /// The larger of its width and height.
    pub fn span(&self) -> f64 {
        (self.x.1 - self.x.0).max(self.y.1 - self.y.0)
    }

    /// The window grown by `frac` of its span on every side. A side of no length grows by `frac` of
    /// the other side, or of the magnitude of its centre, or by `frac` when both are 0, so the
    /// window is never flat.
    pub fn padded(&self, frac: f64) -> Window {
        let grow = |(lo, hi): (f64, f64), other: f64| {
            let len = hi - lo;
            let base = if len > 0.0 {
                len
            } else if other > 0.0 {
                other
            } else if lo != 0.0 {
                lo.abs()
            } else {
                1.0
            };
            (lo - frac * base, hi + frac * base)
        };
        Window {
            x: grow(self.x, self.y.1 - self.y.0),
            y: grow(self.y, self.x.1 - self.x.0),
        }
    }
}

/// A run is drawn in full unless its extent passes this many times the extent of its anchors.
pub const RUN_AWAY: f64 = 20.0;

/// The window of a figure: every point of `path` and every anchor (the start, the minimizer), with a
/// margin; or, when the path runs away (its extent passes [`RUN_AWAY`] times the anchors'), the
/// anchors' window grown to three times its size. The flag says whether a point of the path lies
/// outside the window (then the path is drawn clipped). `None` when no point is finite.
pub fn window(path: &[Pt], anchors: &[Pt]) -> Option<(Window, bool)> {
    let full = Window::around(path.iter().chain(anchors).copied())?;
    let base = Window::around(anchors.iter().copied());
    let w = match base {
        Some(b) if b.span() > 0.0 && full.span() > RUN_AWAY * b.span() => b.padded(1.0),
        _ => full.padded(0.08),
    };
    let clipped = path
        .iter()
        .any(|p| !(p.0.is_finite() && p.1.is_finite() && w.contains(*p)));
    Some((w, clipped))
}

/// Contour levels: their values and whether they are spaced on a log scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Levels {
    /// Increasing values.
    pub values: Vec<f64>,
    /// Log-spaced (1, 2, 5 times powers of ten) rather than evenly spaced.
    pub log: bool,
}

/// Most contour levels in a figure.
pub const MAX_LEVELS: usize = 16;

/// The lowest level shown, relative to the highest: below it a contour is smaller than a pixel.
const LOWEST: f64 = 1e-5;

/// `m * 10^k` read from its decimal text, so the value is the same on every machine.
fn decimal(m: u32, k: i32) -> f64 {
    format!("{m}e{k}").parse().unwrap_or(f64::NAN)
}

/// Levels for values between `lo` and `hi` (both of a function shifted so that its minimum is at or
/// near 0). Where the values span two decades or more: 1, 2 and 5 times each power of ten (only the
/// powers, or every other power, when that would give more than [`MAX_LEVELS`]); otherwise evenly
/// spaced round numbers. Levels below `hi * 1e-5` are left out (their contours would be dots).
pub fn levels(lo: f64, hi: f64) -> Levels {
    if !(hi.is_finite() && hi > 0.0) {
        return Levels {
            values: Vec::new(),
            log: false,
        };
    }
    let lo = if lo.is_finite() && lo > hi * LOWEST {
        lo
    } else {
        hi * LOWEST
    };
    if hi / lo >= 100.0 {
        let k0 = lo.log10().floor() as i32 - 1;
        let k1 = hi.log10().ceil() as i32 + 1;
        let within = |v: &f64| *v >= lo && *v <= hi;
        let mut values: Vec<f64> = (k0..=k1)
            .flat_map(|k| [1, 2, 5].map(|m| decimal(m, k)))
            .filter(within)
            .collect();
        if values.len() > MAX_LEVELS {
            let powers: Vec<f64> = (k0..=k1).map(|k| decimal(1, k)).filter(within).collect();
            let every = powers.len().div_ceil(MAX_LEVELS);
            values = powers.into_iter().step_by(every).collect();
        }
        return Levels { values, log: true };
    }
    // a round step giving about 8 levels
    let raw = (hi - lo) / 8.0;
    let k = raw.log10().floor() as i32;
    let step = [1, 2, 5, 10]
        .into_iter()
        .map(|m| decimal(m, k))
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let first = (lo / step).ceil() as i64;
    let values = (first..)
        .map(|j| j as f64 * step)
        .take_while(|v| *v <= hi)
        .take(4 * MAX_LEVELS)
        .collect();
    Levels { values, log: false }
}

/// The parameter range `[t0, t1]` of the segment `a + t (b - a)` inside the window (Liang and
/// Barsky), or `None` when the segment misses it.
fn clip_segment(a: Pt, b: Pt, w: &Window) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - w.x.0),
        (dx, w.x.1 - a.0),
        (-dy, a.1 - w.y.0),
        (dy, w.y.1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    // a segment that only touches the window is no part of the picture
    (t0 < t1).then_some((t0, t1))
}

/// The parts of a polyline inside the window, each a polyline. A non-finite point breaks the line.
pub fn clip(path: &[Pt], w: &Window) -> Vec<Vec<Pt>> {
    let mut pieces: Vec<Vec<Pt>> = Vec::new();
    let mut current: Vec<Pt> = Vec::new();
    let finite = |p: &Pt| p.0.is_finite() && p.1.is_finite();
    let at = |a: Pt, b: Pt, t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            // held inside: rounding may put a crossing an ulp outside
            (
                (a.0 + t * (b.0 - a.0)).clamp(w.x.0, w.x.1),
                (a.1 + t * (b.1 - a.1)).clamp(w.y.0, w.y.1),
            )
        }
    };
    if path.len() == 1 && finite(&path[0]) && w.contains(path[0]) {
        return vec![vec![path[0]]];
    }
    for pair in path.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let seg = if finite(&a) && finite(&b) {
            clip_segment(a, b, w)
        } else {
            None
        };
        match seg {
            Some((t0, t1)) => {
                let (p, q) = (at(a, b, t0), at(a, b, t1));
                if current.last() != Some(&p) {
                    if !current.is_empty() {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.push(p);
                }
                current.push(q);
                if t1 < 1.0 {
                    pieces.push(std::mem::take(&mut current));
                }
            }
            None => {
                if !current.is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// The polyline with the points dropped that lie within `tol` (in both coordinates) of the last
/// point kept; the first and last points are always kept. Every point dropped is within `tol` of a
/// point kept, so at `tol` below a pixel the picture does not change.
pub fn thin(path: &[Pt], tol: f64) -> Vec<Pt> {
    let mut out: Vec<Pt> = Vec::new();
    for (i, p) in path.iter().enumerate() {
        let keep = match out.last() {
            None => true,
            Some(q) => i + 1 == path.len() || (p.0 - q.0).abs() > tol || (p.1 - q.1).abs() > tol,
        };
        if keep {
            out.push(*p);
        }
    }
    out
}

/// A series `(x, y)` of increasing `x` cut into `buckets` runs of equal length, each kept as its
/// first point, its lowest, its highest and its last (in order): a line drawn through them covers
/// the same pixels as one through every point when a bucket is narrower than a pixel. A series of
/// at most `4 * buckets` points is kept whole.
pub fn thin_series(points: &[Pt], buckets: usize) -> Vec<Pt> {
    if buckets == 0 || points.len() <= 4 * buckets {
        return points.to_vec();
    }
    let size = points.len().div_ceil(buckets);
    let mut out = Vec::new();
    for chunk in points.chunks(size) {
        let mut idx = vec![0, chunk.len() - 1];
        let by_y = |a: &usize, b: &usize| chunk[*a].1.total_cmp(&chunk[*b].1);
        if let Some(lo) = (0..chunk.len()).min_by(by_y) {
            idx.push(lo);
        }
        if let Some(hi) = (0..chunk.len()).max_by(by_y) {
            idx.push(hi);
        }
        idx.sort_unstable();
        idx.dedup();
        out.extend(idx.into_iter().map(|i| chunk[i]));
    }
    out
}

/// The contour lines of one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contour {
    /// The level (of the shifted function).
    pub level: f64,
    /// Its lines, clipped to the window.
    pub lines: Vec<Vec<Pt>>,
}

/// Sample points per side of the contour grid.
pub const GRID: usize = 56;

/// The contour lines of `g` at `levels` over the window: `g` sampled on a [`GRID`] x [`GRID`] grid,
/// lines by marching squares (the `contour` crate) with linear interpolation, clipped to the window.
/// Values beyond 1e300 in magnitude are held there.
pub fn contours(g: impl Fn(f64, f64) -> f64, w: &Window, levels: &[f64]) -> Vec<Contour> {
    let n = GRID;
    let hx = (w.x.1 - w.x.0) / (n - 1) as f64;
    let hy = (w.y.1 - w.y.0) / (n - 1) as f64;
    let mut values = Vec::with_capacity(n * n);
    for j in 0..n {
        let y = w.y.0 + j as f64 * hy;
        for i in 0..n {
            let x = w.x.0 + i as f64 * hx;
            let v = g(x, y);
            values.push(if v.is_nan() {
                1e300
            } else {
                v.clamp(-1e300, 1e300)
            });
        }
    }
    let Ok(lines) = contour::ContourBuilder::new(n, n, true).lines(&values, levels) else {
        return Vec::new();
    };
    // grid value (i, j) is at (i + 0.5, j + 0.5) in the builder's units
    let to_plane = |gx: f64, gy: f64| (w.x.0 + (gx - 0.5) * hx, w.y.0 + (gy - 0.5) * hy);
    lines
        .iter()
        .map(|line| Contour {
            level: line.threshold(),
            lines: line
                .geometry()
                .0
                .iter()
                .flat_map(|ls| {
                    let pts: Vec<Pt> = ls.0.iter().map(|c| to_plane(c.x, c.y)).collect();
                    clip(&pts, w)
                })
                .filter(|l| l.len() > 1)
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: Window = Window {
        x: (0.0, 1.0),
        y: (0.0, 1.0),
    };

    #[test]
    fn the_window_holds_the_path_and_the_anchors() {
        let path = [(-5.0, -2.0), (-3.0, 1.0), (-1.0, -0.5)];
        let (w, clipped) = window(&path, &[(-5.0, -2.0), (0.0, 0.0)]).unwrap();
        assert!(!clipped);
        for p in path.iter().chain(&[(0.0, 0.0)]) {
            assert!(w.contains(*p));
        }
        // 8% of the span on each side
        assert!(
            (w.x.0 - (-5.4)).abs() < 1e-12 && (w.x.1 - 0.4).abs() < 1e-12,
            "{w:?}"
        );
    }

    #[test]
    fn a_run_away_path_is_clipped_to_its_anchors() {
        let path = [(1.0, 1.0), (-3.0, 2.0), (90.0, -70.0), (-1e200, 1e200)];
        let (w, clipped) = window(&path, &[(1.0, 1.0), (0.0, 0.0)]).unwrap();
        assert!(clipped);
        assert_eq!(
            w,
            Window {
                x: (-1.0, 2.0),
                y: (-1.0, 2.0)
            }
        );
        // a point at infinity clips too
        let (_, clipped) = window(&[(0.0, 0.0), (f64::INFINITY, 0.0)], &[(0.0, 0.0)]).unwrap();
        assert!(clipped);
    }

    #[test]
    fn a_flat_window_is_padded_into_a_rectangle() {
        let w = Window::around([(2.0, 3.0)]).unwrap().padded(0.5);
        assert_eq!(
            w,
            Window {
                x: (1.0, 3.0),
                y: (1.5, 4.5)
            }
        );
        let w = Window::around([(0.0, 0.0)]).unwrap().padded(0.5);
        assert_eq!(
            w,
            Window {
                x: (-0.5, 0.5),
                y: (-0.5, 0.5)
            }
        );
    }

    #[test]
    fn levels_are_log_spaced_across_decades_and_even_otherwise() {
        let l = levels(0.01, 10.0);
        assert!(l.log);
        assert_eq!(
            l.values,
            [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
        );
        // the lowest level is 1e-5 of the highest
        let l = levels(0.0, 100.0);
        assert!(l.log);
        assert_eq!(l.values.first(), Some(&0.001));
        assert_eq!(l.values.last(), Some(&100.0));
        // five decades at most
        let l = levels(1e-300, 1e10);
        assert_eq!(l.values.len(), 15);
        assert_eq!(l.values.first(), Some(&2e5));
        let l = levels(3.0, 10.0);
        assert!(!l.log);
        assert_eq!(l.values, [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]);
        assert!(levels(0.0, 0.0).values.is_empty());
        assert!(levels(1.0, f64::INFINITY).values.is_empty());
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        // inside, out through the right side, back in through the top
        let path = [(0.5, 0.5), (1.5, 0.5), (0.5, 1.5), (0.5, 0.8)];
        let pieces = clip(&path, &UNIT);
        assert_eq!(
            pieces,
            vec![vec![(0.5, 0.5), (1.0, 0.5)], vec![(0.5, 1.0), (0.5, 0.8)]]
        );
        // wholly inside: unchanged
        let inside = [(0.1, 0.1), (0.2, 0.3), (0.9, 0.9)];
        assert_eq!(clip(&inside, &UNIT), vec![inside.to_vec()]);
        // wholly outside, and a broken point
        assert!(clip(&[(2.0, 2.0), (3.0, 2.0)], &UNIT).is_empty());
        let broken = [(0.1, 0.1), (f64::NAN, 0.0), (0.2, 0.2), (0.3, 0.3)];
        assert_eq!(clip(&broken, &UNIT), vec![vec![(0.2, 0.2), (0.3, 0.3)]]);
    }

    #[test]
    fn thinning_keeps_the_ends_and_every_visible_move() {
        let mut path: Vec<Pt> = vec![(0.0, 0.0), (1.0, 0.0)];
        // a long tail of tiny moves around (1, 0)
        path.extend((0..1000).map(|k| (1.0 + 1e-6 * (k % 7) as f64, 1e-6 * (k % 3) as f64)));
        path.push((2.0, 1.0));
        let t = thin(&path, 1e-3);
        assert_eq!(t, vec![(0.0, 0.0), (1.0, 0.0), (2.0, 1.0)]);
        // every dropped point is within the tolerance of a kept one
        for p in &path {
            assert!(t
                .iter()
                .any(|q| (p.0 - q.0).abs() <= 1e-3 && (p.1 - q.1).abs() <= 1e-3));
        }
        let short = [(0.0, 0.0), (0.5, 0.5)];
        assert_eq!(thin(&short, 1.0), short.to_vec());
    }

    #[test]
    fn a_thinned_series_keeps_each_buckets_extremes() {
        let pts: Vec<Pt> = (0..1000)
            .map(|t| (t as f64, if t == 517 { 9.0 } else { (t % 10) as f64 }))
            .collect();
        let s = thin_series(&pts, 10);
        assert!(s.len() <= 40, "{}", s.len());
        assert_eq!(s.first(), Some(&(0.0, 0.0)));
        assert_eq!(s.last(), Some(&(999.0, 9.0)));
        assert!(
            s.contains(&(517.0, 9.0))
                || s.iter().any(|p| p.0 >= 500.0 && p.0 < 600.0 && p.1 == 9.0)
        );
        assert!(s.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(thin_series(&pts[..30], 10).len(), 30);
    }

    #[test]
    fn contours_of_a_bowl_are_closed_curves_at_their_level() {
        let g = |x: f64, y: f64| x * x + y * y;
        let w = Window {
            x: (-2.0, 2.0),
            y: (-2.0, 2.0),
        };
        let c = contours(g, &w, &[1.0]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].lines.len(), 1);
        let line = &c[0].lines[0];
        assert!(line.len() > 20);
        for p in line {
            let r = (p.0 * p.0 + p.1 * p.1).sqrt();
            assert!((r - 1.0).abs() < 0.02, "{p:?} at radius {r}");
        }
        assert_eq!(line.first(), line.last(), "closed");
        // a level cut by the window stays inside it
        let c = contours(g, &w, &[6.0]);
        assert!(!c[0].lines.is_empty());
        assert!(c[0].lines.iter().flatten().all(|p| w.contains(*p)));
    }
}
