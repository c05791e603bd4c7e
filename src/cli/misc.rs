//! `list` (the optimizers with their hyperparameters) and `init` (the built-in exercise as a
//! commented file to start from).

use super::io::{write_reporting, Output};
use super::Failure;
use crate::optim;
use crate::spec;
use std::fmt::Write as _;

/// `list`: each optimizer's id and name, then each hyperparameter's default and valid range.
pub(crate) fn list() -> String {
    let mut out = String::new();
    // the name column fits the longest hyperparameter name (`weight_decay`)
    let width = optim::ALL
        .iter()
        .flat_map(|o| o.hypers)
        .map(|h| h.name.len())
        .max()
        .unwrap_or(0)
        .max(8);
    for o in optim::ALL {
        let _ = writeln!(out, "{:<10} {}", o.id, optimizer_name(o.id));
        for h in o.hypers {
            let _ = writeln!(
                out,
                "    {:<width$} {:<10} {}",
                h.name,
                match h.default {
                    Some(d) => format!("= {d}"),
                    None => "(required)".to_string(),
                },
                h.bound.describe()
            );
        }
    }
    out
}

/// `init`, resolved: an existing file is only named here when `--force` allowed replacing it.
pub(crate) struct InitJob {
    pub(crate) out: Output,
}

impl InitJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        match &self.out {
            Output::Stdout => Ok(spec::BUILTIN.to_string()),
            Output::Path(path) => {
                write_reporting(path, spec::BUILTIN.as_bytes())?;
                Ok(String::new())
            }
        }
    }
}

/// An optimizer's English name, from the catalog.
pub(crate) fn optimizer_name(id: &str) -> String {
    crate::render::catalog::Catalog::builtin("en")
        .map_or_else(|_| id.to_string(), |c| c.optimizer_name(id))
}
