//! The `[vanishing]` table: the settings of exercise 5, the vanishing-gradient experiment. Every key
//! is optional; left out, a setting is the course's.
//!
//! ```toml
//! [vanishing]
//! epochs = 300                 # 1 to 100000
//! batch_size = 512
//! lr = 0.01                    # every optimizer's learning rate, unless its params say
//! seed = 0                     # initial weights and batch orders
//! init_std = 0.05              # weights from Normal(0, init_std); biases 0
//! optimizers = ["sgd", "momentum", "rmsprop", "adam", "adopt"]
//!
//! [vanishing.params.momentum]  # hyperparameters of one optimizer
//! beta = 0.9
//! ```
//!
//! An optimizer is `sgd` (plain gradient descent, `gd`) or any registered id, in PyTorch's form with
//! PyTorch's defaults when it has one (the course's form otherwise: ADOPT's official one); momentum's
//! `beta` is 0.9 unless given, the course's set-up.

use super::load::Ctx;
use super::raw::RawVanishing;
use super::{SpecError, MAX_EPOCHS};
use crate::number::Num;
use crate::optim::{self, Info};
use toml::Spanned;

/// The course's optimizers, in its order.
pub const VANISHING_OPTIMIZERS: [&str; 5] = ["sgd", "momentum", "rmsprop", "adam", "adopt"];

/// Defaults of the experiment that differ from the form's convention: `(optimizer, name, value)`.
const EXPERIMENT_DEFAULTS: &[(&str, &str, &str)] = &[("momentum", "beta", "0.9")];

/// The settings of the experiment.
#[derive(Debug, Clone)]
pub struct Vanishing {
    /// Epochs per optimizer.
    pub epochs: u64,
    /// Examples per batch (the last batch of an epoch keeps what is left).
    pub batch_size: u64,
    /// The learning rate of every optimizer whose params do not give one.
    pub lr: Num,
    /// Seed of the initial weights and the batch orders.
    pub seed: u64,
    /// Standard deviation of the initial weights.
    pub init_std: Num,
    /// The optimizers, in order.
    pub optimizers: Vec<VanishingOptimizer>,
}

/// One optimizer of the experiment.
#[derive(Debug, Clone)]
pub struct VanishingOptimizer {
    /// The name in the file and the results (`sgd`, `adam`).
    pub name: String,
    /// The registered form.
    pub info: &'static Info,
    /// Every hyperparameter, in the order of `info.hypers`.
    pub params: Vec<(&'static str, Num)>,
}

fn num(s: &str) -> Num {
    Num::parse(s).unwrap_or(Num::ZERO)
}

impl Default for Vanishing {
    /// The course's set-up.
    fn default() -> Vanishing {
        let lr = num("0.01");
        Vanishing {
            epochs: 300,
            batch_size: 512,
            seed: 0,
            init_std: num("0.05"),
            optimizers: VANISHING_OPTIMIZERS
                .iter()
                .filter_map(|n| vanishing_optimizer(n, &lr, &[]).ok())
                .collect(),
            lr,
        }
    }
}

/// Resolves optimizer `name` with learning rate `lr` unless `given` sets it, and the hyperparameters
/// `given`; the error says what is wrong, without a position.
pub fn vanishing_optimizer(
    name: &str,
    lr: &Num,
    given: &[(String, Num)],
) -> Result<VanishingOptimizer, String> {
    let id = if name == "sgd" { "gd" } else { name };
    let (info, convention) = match optim::find_convention(id, "pytorch") {
        Some(i) => (i, "pytorch"),
        None => (
            optim::find(id).ok_or_else(|| {
                format!(
                    "unknown optimizer '{name}': expected sgd or one of {}",
                    optim::ids().join(", ")
                )
            })?,
            "course",
        ),
    };
    if let Some((n, _)) = given.iter().find(|(n, _)| info.hyper(n).is_none()) {
        let names: Vec<&str> = info.hypers.iter().map(|h| h.name).collect();
        return Err(format!(
            "{name} has no hyperparameter '{n}': expected {}",
            names.join(", ")
        ));
    }
    let params = info
        .hypers
        .iter()
        .map(|h| {
            let v = match given.iter().find(|(n, _)| n == h.name) {
                Some((_, v)) => *v,
                None if h.name == optim::LR => *lr,
                None => EXPERIMENT_DEFAULTS
                    .iter()
                    .find(|(o, n, _)| *o == id && *n == h.name)
                    .map(|(_, _, d)| *d)
                    .or_else(|| info.default_of(h.name, convention))
                    .map(num)
                    .ok_or_else(|| format!("{name} needs a value for {}", h.name))?,
            };
            if !h.bound.admits(&v) {
                return Err(format!(
                    "{name}: {} must be {}, got {v}",
                    h.name,
                    h.bound.describe()
                ));
            }
            Ok((h.name, v))
        })
        .collect::<Result<_, String>>()?;
    Ok(VanishingOptimizer {
        name: name.to_string(),
        info,
        params,
    })
}

fn count(
    cx: &Ctx,
    v: &Option<Spanned<i64>>,
    what: &str,
    max: u64,
    default: u64,
) -> Result<u64, SpecError> {
    match v {
        None => Ok(default),
        Some(v) => {
            let n = *v.get_ref();
            if n < 1 || n as u64 > max {
                return Err(cx.at(v.span(), format!("{what} must be from 1 to {max}, got {n}")));
            }
            Ok(n as u64)
        }
    }
}

/// The `[vanishing]` table, checked.
pub(super) fn resolve(cx: &Ctx, raw: &RawVanishing) -> Result<Vanishing, SpecError> {
    let d = Vanishing::default();
    let lr = match &raw.lr {
        Some(v) => {
            let n = cx.number(v, "vanishing.lr")?;
            if n <= Num::ZERO {
                return Err(cx.at(v.span(), format!("vanishing.lr must be > 0, got {n}")));
            }
            n
        }
        None => d.lr,
    };
    let init_std = match &raw.init_std {
        Some(v) => {
            let n = cx.number(v, "vanishing.init_std")?;
            if n.is_negative() {
                return Err(cx.at(
                    v.span(),
                    format!("vanishing.init_std must be >= 0, got {n}"),
                ));
            }
            n
        }
        None => d.init_std,
    };
    let seed = match &raw.seed {
        Some(v) if *v.get_ref() < 0 => {
            return Err(cx.at(
                v.span(),
                format!("vanishing.seed must be >= 0, got {}", v.get_ref()),
            ))
        }
        Some(v) => *v.get_ref() as u64,
        None => d.seed,
    };
    let names: Vec<(String, Option<std::ops::Range<usize>>)> = match &raw.optimizers {
        Some(list) => {
            if list.get_ref().is_empty() {
                return Err(cx.at(list.span(), "vanishing.optimizers lists no optimizer"));
            }
            list.get_ref()
                .iter()
                .map(|n| (n.get_ref().clone(), Some(n.span())))
                .collect()
        }
        None => VANISHING_OPTIMIZERS
            .iter()
            .map(|n| (n.to_string(), None))
            .collect(),
    };
    for (name, table) in &raw.params {
        if !names.iter().any(|(n, _)| n == name) {
            return Err(cx.at(
                table.span(),
                format!("vanishing.params.{name}: '{name}' is not in vanishing.optimizers"),
            ));
        }
    }
    let mut optimizers: Vec<VanishingOptimizer> = Vec::new();
    for (name, span) in &names {
        let at = |msg: String| match span {
            Some(s) => cx.at(s.clone(), msg),
            None => cx.at(0..0, msg),
        };
        if optimizers.iter().any(|o| &o.name == name) {
            return Err(at(format!(
                "vanishing.optimizers: '{name}' is listed twice"
            )));
        }
        let mut given = Vec::new();
        let mut table_span = None;
        if let Some(t) = raw.params.get(name) {
            table_span = Some(t.span());
            for (k, v) in t.get_ref() {
                given.push((
                    k.clone(),
                    cx.number(v, &format!("vanishing.params.{name}.{k}"))?,
                ));
            }
        }
        let o = vanishing_optimizer(name, &lr, &given).map_err(|e| match &table_span {
            Some(s) if !e.starts_with("unknown optimizer") => {
                cx.at(s.clone(), format!("vanishing: {e}"))
            }
            _ => at(format!("vanishing: {e}")),
        })?;
        optimizers.push(o);
    }
    Ok(Vanishing {
        epochs: count(cx, &raw.epochs, "vanishing.epochs", MAX_EPOCHS, d.epochs)?,
        batch_size: count(
            cx,
            &raw.batch_size,
            "vanishing.batch_size",
            1 << 20,
            d.batch_size,
        )?,
        lr,
        seed,
        init_std,
        optimizers,
    })
}
