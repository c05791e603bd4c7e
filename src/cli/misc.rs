//! `list` (the optimizers with their hyperparameters) and `init` (the built-in exercise as a
//! commented file to start from).

use super::io::{write_reporting, Output};
use super::Failure;
use crate::optim;
use crate::spec;
use std::fmt::Write as _;

/// `list`: each optimizer's id and name, then each of its forms: the choices that select it, the
/// conventions that use it, each hyperparameter's default (and the conventions' own defaults) and
/// valid range, and the `torch.optim` call with the same numbers.
pub(crate) fn list() -> String {
    let mut out = String::new();
    for id in optim::ids() {
        let _ = writeln!(out, "{id:<10} {}", optimizer_name(id));
        let forms: Vec<_> = optim::forms(id).collect();
        for o in &forms {
            let indent = if forms.len() > 1 {
                let choices: Vec<String> = o
                    .choices
                    .iter()
                    .map(|(c, v)| format!("{c} = \"{v}\""))
                    .collect();
                let conventions: Vec<&str> = o.conventions.iter().map(|c| c.name).collect();
                let _ = writeln!(
                    out,
                    "  form {} (form = {{ {} }}){}",
                    o.form,
                    choices.join(", "),
                    if conventions.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", conventions.join(", "))
                    }
                );
                "    "
            } else {
                let conventions: Vec<&str> = o.conventions.iter().map(|c| c.name).collect();
                let _ = writeln!(out, "  conventions: {}", conventions.join(", "));
                "    "
            };
            for h in o.hypers {
                let by_library: Vec<String> = o
                    .conventions
                    .iter()
                    .filter_map(|c| {
                        c.defaults
                            .iter()
                            .find(|(n, _)| *n == h.name)
                            .map(|(_, d)| format!("{} {d}", c.name))
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "{indent}{:<13} {:<11} {}{}",
                    h.name,
                    match h.default {
                        Some(d) => format!("= {d}"),
                        None => "(required)".to_string(),
                    },
                    h.bound.describe(),
                    if by_library.is_empty() {
                        String::new()
                    } else {
                        format!("; {}", by_library.join(", "))
                    }
                );
            }
            if let Some(call) = o.torch {
                let _ = writeln!(out, "{indent}{}", call.replace('@', ""));
            }
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

/// An optimizer's English name, with its form when it has several ("Adam, keras form").
pub(crate) fn form_name(info: &optim::Info) -> String {
    let name = optimizer_name(info.id);
    if optim::forms(info.id).count() > 1 {
        format!("{name}, {} form", info.form)
    } else {
        name
    }
}
