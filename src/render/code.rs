//! Reference NumPy code for part (b): one runnable file per problem, from `templates/code.py`.
//!
//! The code evaluates the gradient and updates in exactly the order of the engine ([`Poly::to_python`],
//! the optimizer's declared `python` statements), so stepwise's float engines reproduce what it prints
//! bit for bit under NumPy 2's rules.

use super::catalog::Catalog;
use crate::expr::{python_num, Poly};
use crate::number::Num;
use crate::optim::LR;
use crate::spec::{Exercise, Problem};
use crate::trace::Trace;
use serde::Serialize;
use std::collections::BTreeMap;

/// A float type the code can run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    /// `np.float32`, as the course's code.
    F32,
    /// `np.float64`.
    F64,
}

impl Dtype {
    /// NumPy's name.
    pub fn name(&self) -> &'static str {
        match self {
            Dtype::F32 => "float32",
            Dtype::F64 => "float64",
        }
    }
}

#[derive(Serialize)]
struct Grad {
    var: String,
    expr: String,
}

/// A state array and the NumPy expression that creates it from its declared initial value.
#[derive(Serialize)]
struct Init {
    name: &'static str,
    make: String,
}

#[derive(Serialize)]
struct Hyper {
    name: &'static str,
    value: String,
}

/// What `code.py` sees.
#[derive(Serialize)]
pub struct CodeView {
    t: BTreeMap<&'static str, String>,
    dtype: &'static str,
    vars: String,
    dvars: String,
    gradient: Vec<Grad>,
    fn_name: String,
    gradient_fn: String,
    train_fn: String,
    state: Vec<&'static str>,
    inits: Vec<Init>,
    hypers: Vec<Hyper>,
    grad_at: String,
    lines: &'static [&'static str],
    start: String,
    lr: String,
    epochs: u64,
    width: usize,
}

fn fill(text: &str, slots: &[(&str, &str)]) -> String {
    let mut s = text.to_string();
    for (k, v) in slots {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// Wraps text at `width` columns; continuation lines start with `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().map_or(0, |l| l.chars().count());
        if line > 0 && line + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines.join(&format!("\n{indent}"))
}

/// The file name of a problem's code in a language.
pub fn file_name(problem: &Problem, lang: &str) -> String {
    format!("{}-{lang}.py", problem.id)
}

/// Builds the view of one problem's code: the hyperparameters come from its trace, by name (the
/// learning rate is the one called [`LR`]).
pub fn view(
    ex: &Exercise,
    number: usize,
    p: &Problem,
    tr: &Trace,
    cat: &Catalog,
    dtype: Dtype,
) -> CodeView {
    let info = p.optimizer;
    let name = cat.optimizer_name(info.id);
    let epochs = p.tabulated_epochs.to_string();
    let file = file_name(p, cat.lang());
    let slots: Vec<(&str, &str)> = vec![
        ("number", ""),
        ("name", &name),
        ("epochs", &epochs),
        ("objective", &ex.objective_text),
        ("dtype", dtype.name()),
        ("file", &file),
    ];
    let number = number.to_string();
    let mut slots = slots;
    slots[0].1 = &number;
    let t = [
        "code_header",
        "code_run",
        "code_df_w",
        "code_update",
        "code_train",
        "code_print",
        "code_numpy1",
    ]
    .into_iter()
    .map(|k| {
        let text = fill(&cat.text(k), &slots);
        // docstrings inside functions are indented by 4; the comment line by 4 plus "# "
        let wrapped = match k {
            "code_header" | "code_run" => wrap(&text, 84, ""),
            "code_print" => wrap(&text, 80, "    # "),
            // Python string literals of at most 70 characters, one a line, which Python joins
            // (catalog text is plain: no control characters to escape)
            "code_numpy1" => {
                let lines: Vec<String> = wrap(&text, 66, "")
                    .split('\n')
                    .map(str::to_string)
                    .collect();
                let last = lines.len() - 1;
                lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let piece = if i == last {
                            format!("{l}\n")
                        } else {
                            format!("{l} ")
                        };
                        format!("{piece:?}")
                    })
                    .collect::<Vec<_>>()
                    .join("\n        ")
            }
            _ => wrap(&text, 80, "    "),
        };
        (k, wrapped)
    })
    .collect();
    let vars: Vec<String> = (1..=ex.nvars()).map(|i| format!("w{i}")).collect();
    CodeView {
        t,
        dtype: dtype.name(),
        vars: if vars.len() == 1 {
            format!("{},", vars[0])
        } else {
            vars.join(", ")
        },
        dvars: vars
            .iter()
            .map(|v| format!("d{v}"))
            .collect::<Vec<_>>()
            .join(", "),
        gradient: ex
            .gradient
            .iter()
            .zip(&vars)
            .map(|(d, v): (&Poly, &String)| Grad {
                var: v.clone(),
                expr: d.to_python(),
            })
            .collect(),
        fn_name: p
            .notation
            .function
            .clone()
            .unwrap_or_else(|| info.id.to_string()),
        gradient_fn: ex.code.gradient.clone(),
        train_fn: ex.code.train.clone(),
        state: info.state().map(|q| q.key).collect(),
        inits: info
            .state()
            .map(|q| {
                let init = q.init.and_then(|i| Num::parse(i).ok()).unwrap_or(Num::ZERO);
                Init {
                    name: q.key,
                    make: if init.is_zero() {
                        "np.zeros_like(W)".to_string()
                    } else {
                        // NumPy converts the Python float to the array's type, as `S::lift` does
                        format!("np.full_like(W, {})", python_num(&init))
                    },
                }
            })
            .collect(),
        hypers: tr
            .hyperparameters
            .iter()
            .filter(|h| h.name != LR)
            .map(|h| Hyper {
                name: h.name,
                value: python_num(&h.value),
            })
            .collect(),
        grad_at: info.gradient_at.as_ref().map_or_else(
            || "W".to_string(),
            |g| super::view::fill_python(g.python, tr),
        ),
        lines: info.python,
        start: ex
            .start
            .iter()
            .map(python_num)
            .collect::<Vec<_>>()
            .join(", "),
        lr: tr
            .hyperparameters
            .iter()
            .find(|h| h.name == LR)
            .map_or_else(|| "None".to_string(), |h| python_num(&h.value)),
        epochs: p.tabulated_epochs,
        width: p.tabulated_epochs.to_string().len(),
    }
}
