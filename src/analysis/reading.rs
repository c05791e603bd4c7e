//! The reading of a run: the objective's progress (against its exact minimum when the objective is a
//! strictly convex quadratic), how far the end is from the minimizer, and how each component moved
//! around its target (the minimizer's component when it is known, else 0).

use crate::number::{Ball, Num};
use crate::trace::{Status, Trace};
use std::cmp::Ordering;

/// What a run did, as numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Epochs run.
    pub epochs: usize,
    /// The run's status.
    pub status: Status,
    /// The objective at the start.
    pub f_start: Ball,
    /// The objective at the end.
    pub f_end: Ball,
    /// The minimum value of the objective, when it is known exactly.
    pub f_star: Option<Num>,
    /// By how much the gap to the minimum value (or f itself, when the minimum is unknown) shrank:
    /// `(f_start - f*) / (f_end - f*)`, when both gaps are positive.
    pub gap_factor: Option<Ball>,
    /// The minimizer and the distance of the final point from it, when the minimizer is known.
    pub distance: Option<(Vec<Num>, Ball)>,
    /// One per component.
    pub components: Vec<ComponentReading>,
    /// Where the run stopped, when it passed the magnitude bound: the epoch, the quantity and the
    /// bound's exponent.
    pub stopped: Option<(u64, String, i64)>,
    /// The epochs in which f rose, as ranges `(first, last)`.
    pub rises: Vec<(u64, u64)>,
    /// For each epoch (the start first), the fewest certain significant digits among the point's
    /// components and f: where rounding errors have eaten into the 28.
    pub certain: Vec<u32>,
    /// The norm of the gradient at the final point, when the minimizer is not known (the reading can
    /// then only say how near a stationary point the run ended).
    pub gradient_norm: Option<Ball>,
}

/// The epochs in which f rose above the epoch before, as ranges.
pub fn rises(tr: &Trace) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    let mut prev = tr.f_start;
    for e in &tr.epochs {
        if e.f.certainly_above(&prev) {
            match out.last_mut() {
                Some((_, last)) if *last + 1 == e.epoch => *last = e.epoch,
                _ => out.push((e.epoch, e.epoch)),
            }
        }
        prev = e.f;
    }
    out
}

/// How one component moved.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentReading {
    /// 0-based component.
    pub index: usize,
    /// Whether the target is the minimizer's component (else it is 0).
    pub around_minimizer: bool,
    /// Its value at the start.
    pub start: Ball,
    /// Its value at the end.
    pub end: Ball,
    /// What it did around its target.
    pub motion: Motion,
}

/// What a component did around its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// It never crossed the target.
    KeptSide,
    /// It crossed the target once.
    CrossedOnce,
    /// It crossed the target `crossings` times (two or more), with swings whose size went as `trend`
    /// says (its distance from the target at the end against at the start).
    Oscillates {
        /// How many times it crossed.
        crossings: usize,
        /// How the swings' size went.
        trend: Trend,
    },
}

/// How the size of a component's swings around its target went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    /// It ended nearer the target than it started.
    Shrinking,
    /// It ended exactly as far from the target as it started (GD at lr = 1/curvature).
    Constant,
    /// It ended farther from the target than it started.
    Growing,
}

/// How often `values` crossed `center` (a value equal to the center, or whose error bound reaches
/// it, is on neither side).
pub fn crossings<'a>(values: impl IntoIterator<Item = &'a Ball>, center: &Num) -> usize {
    let mut last_side = Ordering::Equal;
    let mut changes = 0;
    let c = Ball::exact(*center);
    for w in values {
        let side = if w.certainly_above(&c) {
            Ordering::Greater
        } else if c.certainly_above(w) {
            Ordering::Less
        } else {
            Ordering::Equal
        };
        if side != Ordering::Equal {
            if last_side != Ordering::Equal && side != last_side {
                changes += 1;
            }
            last_side = side;
        }
    }
    changes
}

/// The Euclidean distance between two points, exact to the engine's precision.
fn distance(a: &[Ball], b: &[Num]) -> Option<Ball> {
    a.iter()
        .zip(b)
        .try_fold(Ball::ZERO, |acc, (x, y)| {
            let d = x.sub(&Ball::exact(*y))?;
            acc.add(&d.mul(&d)?)
        })
        .and_then(|s| s.sqrt())
        .ok()
}

/// Reads a run; `minimum` is the exact minimizer and minimum value, when known; `gradient_norm` the
/// norm of the gradient at the final point, given when the minimizer is not known.
pub fn read(tr: &Trace, minimum: Option<(&[Num], &Num)>, gradient_norm: Option<Ball>) -> Reading {
    let last = tr.last_point();
    let f_end = tr.epochs.last().map_or(tr.f_start, |e| e.f);
    let f_star = minimum.map(|(_, v)| *v);
    let base = Ball::exact(f_star.unwrap_or(Num::ZERO));
    let gap0 = tr.f_start.sub(&base).unwrap_or(Ball::ZERO);
    let gap = f_end.sub(&base).unwrap_or(Ball::ZERO);
    let gap_factor = if gap0.certainly_above(&Ball::ZERO) && gap.certainly_above(&Ball::ZERO) {
        gap0.div(&gap).ok()
    } else {
        None
    };
    let distance =
        minimum.and_then(|(point, _)| distance(last, point).map(|d| (point.to_vec(), d)));
    // around 0 means nothing when the minimizer is unknown: then only the minimizer's components
    // are targets, and there are none
    let components = last
        .iter()
        .take(if minimum.is_some() { last.len() } else { 0 })
        .enumerate()
        .map(|(i, end)| {
            let center = minimum.map_or(Num::ZERO, |(p, _)| p[i]);
            let path = std::iter::once(&tr.start[i]).chain(tr.epochs.iter().map(|e| &e.after[i]));
            let motion = match crossings(path, &center) {
                0 => Motion::KeptSide,
                1 => Motion::CrossedOnce,
                k => {
                    let c = Ball::exact(center);
                    let from = tr.start[i].sub(&c).map(|d| d.abs()).unwrap_or(Ball::ZERO);
                    let to = end.sub(&c).map(|d| d.abs()).unwrap_or(Ball::ZERO);
                    Motion::Oscillates {
                        crossings: k,
                        // a difference inside the error bounds is no trend
                        trend: match (to.certainly_above(&from), from.certainly_above(&to)) {
                            (false, true) => Trend::Shrinking,
                            (true, false) => Trend::Growing,
                            _ => Trend::Constant,
                        },
                    }
                }
            };
            ComponentReading {
                index: i,
                around_minimizer: minimum.is_some(),
                start: tr.start[i],
                end: *end,
                motion,
            }
        })
        .collect();
    Reading {
        epochs: tr.epochs.len(),
        status: tr.status,
        f_start: tr.f_start,
        f_end,
        f_star,
        gap_factor,
        distance,
        components,
        rises: rises(tr),
        certain: std::iter::once((&tr.start, &tr.f_start))
            .chain(tr.epochs.iter().map(|e| (&e.after, &e.f)))
            .map(|(w, f)| {
                w.iter()
                    .chain([f])
                    .map(Ball::certain_digits)
                    .min()
                    .unwrap_or(0)
            })
            .collect(),
        gradient_norm,
        stopped: tr
            .stopped
            .as_ref()
            .map(|s| (s.epoch, s.quantity.clone(), s.bound)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(s: &[&str]) -> Vec<Num> {
        s.iter().map(|x| Num::parse(x).unwrap()).collect()
    }

    #[test]
    fn crossings_skip_points_on_the_center() {
        let v: Vec<Ball> = nums(&["-2", "0", "1", "1", "-1", "0", "-3", "2"])
            .into_iter()
            .map(Ball::exact)
            .collect();
        // -2 -> 1 (one), 1 -> -1 (two), -3 -> 2 (three); zeros are on no side
        assert_eq!(crossings(&v, &Num::ZERO), 3);
        assert_eq!(crossings(&v, &Num::parse("5").unwrap()), 0);
        assert_eq!(crossings(&[Ball::ZERO, Ball::ZERO], &Num::ZERO), 0);
        // a value whose bound reaches the center is on neither side
        let near = Ball::new(Num::parse("1e-30").unwrap(), crate::number::Mag::pow10(-29));
        let w = [Ball::exact(Num::ONE), near, Ball::exact(Num::ONE)];
        assert_eq!(crossings(&w, &Num::ZERO), 0);
    }

    #[test]
    fn rises_are_ranges_of_epochs() {
        let src = "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"p\"\noptimizer = \"momentum\"\nparams = { lr = 0.9, beta = 0.9 }\n";
        let ex = crate::spec::load("r.toml", src).unwrap();
        let tr = crate::trace::trace(&ex, &ex.problems[0], 12).unwrap();
        let r = rises(&tr);
        // every range is a run of epochs in which f went up, and nothing else went up
        for e in &tr.epochs {
            let before = if e.epoch == 1 {
                tr.f_start
            } else {
                tr.epochs[e.epoch as usize - 2].f
            };
            let inside = r.iter().any(|(a, b)| (*a..=*b).contains(&e.epoch));
            assert_eq!(inside, e.f.mid() > before.mid(), "epoch {}", e.epoch);
        }
        assert!(!r.is_empty());
    }

    #[test]
    fn swings_of_constant_size_are_not_growing() {
        // GD on 2 w^2 with lr 0.5: w <- w - 2 w = -w, forever at +-1
        let src = "objective = \"2*w1^2\"\nstart = [1]\n[[problem]]\nid = \"p\"\noptimizer = \"gd\"\nparams = { lr = 0.5 }\n";
        let ex = crate::spec::load("c.toml", src).unwrap();
        let tr = crate::trace::trace(&ex, &ex.problems[0], 6).unwrap();
        let min = ex.objective.quadratic_minimizer().unwrap();
        let r = read(&tr, Some((&min, &Num::ZERO)), None);
        assert_eq!(
            r.components[0].motion,
            Motion::Oscillates {
                crossings: 6,
                trend: Trend::Constant
            }
        );
    }

    #[test]
    fn distance_is_euclidean() {
        let a: Vec<Ball> = nums(&["3", "0"]).into_iter().map(Ball::exact).collect();
        let d = distance(&a, &nums(&["0", "-4"])).unwrap();
        assert_eq!(d, Ball::exact(Num::from_int(5)));
    }
}
