//! The figures of exercise 5, as data, from its results: the test accuracy and the training loss of
//! every optimizer against the epoch, and per optimizer the mean gradient norm of every layer against
//! the epoch on a log scale, where the vanishing shows as the first layers' curves lying decades
//! below the output layer's. Values that cannot be drawn (not finite; 0 or less on a log scale) are
//! left out.

use super::geometry::{thin_series, Pt};
use super::{CurveKind, Curves, Series, CURVE_BUCKETS};
use crate::vanishing::{EpochMetrics, Results};

/// The figures of exercise 5.
#[derive(Debug, Clone, PartialEq)]
pub struct VanishingFigures {
    /// Test accuracy (in percent) against the epoch, every optimizer.
    pub accuracy: Curves,
    /// Training loss against the epoch, every optimizer.
    pub loss: Curves,
    /// Per optimizer with at least one epoch, `(its name, the gradient norm of every layer)`.
    pub gradients: Vec<(String, Curves)>,
}

fn series(
    label: String,
    epochs: &[EpochMetrics],
    log: bool,
    y: impl Fn(&EpochMetrics) -> f64,
) -> Series {
    let points: Vec<Pt> = epochs
        .iter()
        .map(|m| (m.epoch as f64, y(m)))
        .filter(|p| p.1.is_finite() && (!log || p.1 > 0.0))
        .collect();
    Series {
        label,
        points: thin_series(&points, CURVE_BUCKETS),
    }
}

fn curves(
    kind: CurveKind,
    log: bool,
    epochs: u64,
    series: Vec<Series>,
    fixed: Option<(f64, f64)>,
) -> Curves {
    let (lo, hi) = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let range = match fixed {
        Some(r) => r,
        None if lo > hi => (1.0, 10.0),
        None if lo == hi && log => (lo / 10.0, hi * 10.0),
        None if lo == hi => (lo - 1.0, hi + 1.0),
        None if log => (lo / 1.5, hi * 1.5),
        None => (lo.min(0.0), hi),
    };
    Curves {
        kind,
        log,
        epochs,
        range,
        series,
    }
}

/// The figures of `r`.
pub fn figures(r: &Results) -> VanishingFigures {
    let epochs = r
        .runs
        .iter()
        .map(|x| x.epochs.len() as u64)
        .max()
        .unwrap_or(0);
    let each = |log: bool, y: &dyn Fn(&EpochMetrics) -> f64| -> Vec<Series> {
        r.runs
            .iter()
            .filter(|x| !x.epochs.is_empty())
            .map(|x| series(x.optimizer.clone(), &x.epochs, log, y))
            .collect()
    };
    let layers = r.sizes.len().saturating_sub(1);
    VanishingFigures {
        accuracy: curves(
            CurveKind::Accuracy,
            false,
            epochs,
            each(false, &|m| 100.0 * m.test_accuracy),
            Some((0.0, 100.0)),
        ),
        loss: curves(
            CurveKind::Loss,
            false,
            epochs,
            each(false, &|m| m.train_loss),
            None,
        ),
        gradients: r
            .runs
            .iter()
            .filter(|x| !x.epochs.is_empty())
            .map(|x| {
                let s = (0..layers)
                    .map(|l| {
                        series(format!("l = {}", l + 1), &x.epochs, true, |m| {
                            m.grad_norms.get(l).copied().unwrap_or(f64::NAN)
                        })
                    })
                    .collect();
                (
                    x.optimizer.clone(),
                    curves(
                        CurveKind::LayerGradientNorm,
                        true,
                        x.epochs.len() as u64,
                        s,
                        None,
                    ),
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vanishing::{RunResult, FORMAT};

    fn m(epoch: u64, acc: f64, loss: f64, g: &[f64]) -> EpochMetrics {
        EpochMetrics {
            epoch,
            train_loss: loss,
            train_accuracy: acc,
            test_loss: loss,
            test_accuracy: acc,
            seconds: 0.5,
            grad_norms: g.to_vec(),
        }
    }

    #[test]
    fn the_figures_show_every_optimizer_and_every_layer() {
        let r = Results {
            format: FORMAT.into(),
            sizes: vec![4, 3, 2],
            batch_size: 2,
            seed: 0,
            init_std: "0.05".into(),
            examples: (4, 2),
            runs: vec![
                RunResult {
                    optimizer: "sgd".into(),
                    id: "gd".into(),
                    form: "plain".into(),
                    hyperparameters: vec![],
                    torch: None,
                    epochs: vec![
                        m(1, 0.1, 2.3, &[1e-4, 0.3]),
                        m(2, 0.1, 2.2, &[0.0, 0.25]),
                        m(3, 0.125, f64::NAN, &[2e-4, 0.2]),
                    ],
                },
                RunResult {
                    optimizer: "none".into(),
                    id: "gd".into(),
                    form: "plain".into(),
                    hyperparameters: vec![],
                    torch: None,
                    epochs: vec![],
                },
            ],
        };
        let f = figures(&r);
        assert_eq!(f.accuracy.series.len(), 1);
        assert_eq!(
            f.accuracy.series[0].points,
            [(1.0, 10.0), (2.0, 10.0), (3.0, 12.5)]
        );
        assert_eq!(f.accuracy.range, (0.0, 100.0));
        assert_eq!(f.accuracy.epochs, 3);
        // the NaN loss is left out
        assert_eq!(f.loss.series[0].points, [(1.0, 2.3), (2.0, 2.2)]);
        assert_eq!(f.loss.range, (0.0, 2.3));
        assert_eq!(f.gradients.len(), 1);
        let (name, g) = &f.gradients[0];
        assert_eq!(name, "sgd");
        assert!(g.log);
        let labels: Vec<&str> = g.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["l = 1", "l = 2"]);
        // 0 cannot be drawn on a log scale
        assert_eq!(g.series[0].points, [(1.0, 1e-4), (3.0, 2e-4)]);
        assert_eq!(g.range, (1e-4 / 1.5, 0.3 * 1.5));
    }
}
