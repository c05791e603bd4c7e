//! The TOML writer: an [`Exercise`] written back as an exercise file that [`load`](fn@super::load)
//! reads to the same exercise, with every number as a literal that reads back exactly.

use super::{option_letter, CodeNames, Exercise, QuestionKind, Text};
use crate::number::Num;
use crate::optim;

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_text(t: &Text) -> String {
    match t {
        Text::Plain(s) => toml_str(s),
        Text::ByLang(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k} = {}", toml_str(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// A number as a TOML literal that reads back exactly (a string when TOML's integers cannot hold it).
fn toml_num(n: &Num) -> String {
    let s = n.to_string();
    if s.contains(['.', 'e']) || s.parse::<i64>().is_ok() {
        s
    } else {
        toml_str(&s)
    }
}

/// Writes an exercise as a file that [`load`](fn@super::load) reads back to the same exercise.
pub fn to_toml(ex: &Exercise) -> String {
    let mut o = String::from("# stepwise exercise file\n");
    if let Some(t) = &ex.title {
        o.push_str(&format!("title = {}\n", toml_text(t)));
    }
    o.push_str(&format!("objective = {}\n", toml_str(&ex.objective_text)));
    let start: Vec<String> = ex.start.iter().map(toml_num).collect();
    o.push_str(&format!("start = [{}]\n", start.join(", ")));
    if ex.code != CodeNames::default() {
        o.push_str(&format!(
            "\n[code]\ngradient = {}\ntrain = {}\n",
            toml_str(&ex.code.gradient),
            toml_str(&ex.code.train)
        ));
    }
    for p in &ex.problems {
        o.push_str("\n[[problem]]\n");
        o.push_str(&format!("id = {}\n", toml_str(&p.id)));
        if let Some(t) = &p.title {
            o.push_str(&format!("title = {}\n", toml_text(t)));
        }
        o.push_str(&format!("optimizer = {}\n", toml_str(p.optimizer.id)));
        if let Some(c) = p.convention {
            o.push_str(&format!("convention = {}\n", toml_str(c)));
        }
        if optim::find(p.optimizer.id).is_none_or(|d| d.form != p.optimizer.form) {
            let choices: Vec<String> = p
                .optimizer
                .choices
                .iter()
                .map(|(c, v)| format!("{c} = {}", toml_str(v)))
                .collect();
            o.push_str(&format!("form = {{ {} }}\n", choices.join(", ")));
        }
        let params: Vec<String> = p
            .optimizer
            .hypers
            .iter()
            .zip(&p.params)
            .map(|(h, v)| format!("{} = {}", h.name, toml_num(v)))
            .collect();
        o.push_str(&format!("params = {{ {} }}\n", params.join(", ")));
        o.push_str(&format!(
            "worked_epochs = {}\ntabulated_epochs = {}\n",
            p.worked_epochs, p.tabulated_epochs
        ));
        let table = |m: &std::collections::BTreeMap<String, String>| {
            let kv: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k} = {}", toml_str(v)))
                .collect();
            format!("{{ {} }}", kv.join(", "))
        };
        if !p.notation.symbols.is_empty() {
            o.push_str(&format!("notation = {}\n", table(&p.notation.symbols)));
        }
        if !p.notation.numbers.is_empty() {
            o.push_str(&format!("formulas = {}\n", table(&p.notation.numbers)));
        }
        if let Some(f) = &p.notation.function {
            o.push_str(&format!("function = {}\n", toml_str(f)));
        }
    }
    for q in &ex.quiz {
        o.push_str("\n[[quiz]]\n");
        let kind = match &q.kind {
            QuestionKind::Concept => "concept",
            QuestionKind::Computed { .. } => "computed",
            QuestionKind::Formula { .. } => "formula",
        };
        o.push_str(&format!(
            "kind = {}\nquestion = {}\n",
            toml_str(kind),
            toml_text(&q.text)
        ));
        match &q.kind {
            QuestionKind::Concept => {}
            QuestionKind::Computed {
                problem,
                epoch,
                components,
                tolerance,
            } => {
                let id = ex.problems.get(*problem).map_or("", |p| p.id.as_str());
                let comps: Vec<String> = components.iter().map(|c| (c + 1).to_string()).collect();
                o.push_str(&format!(
                    "problem = {}\nepoch = {epoch}\ncomponents = [{}]\ntolerance = {}\n",
                    toml_str(id),
                    comps.join(", "),
                    toml_num(tolerance)
                ));
            }
            QuestionKind::Formula {
                formula,
                inputs,
                tolerance,
            } => {
                let ins: Vec<String> = formula
                    .inputs()
                    .iter()
                    .zip(inputs)
                    .map(|(k, v)| format!("{k} = {}", toml_num(v)))
                    .collect();
                o.push_str(&format!(
                    "formula = {}\ninputs = {{ {} }}\ntolerance = {}\n",
                    toml_str(formula.name()),
                    ins.join(", "),
                    toml_num(tolerance)
                ));
            }
        }
        let opts: Vec<String> = q.options.iter().map(|c| toml_text(&c.text)).collect();
        o.push_str(&format!("options = [\n  {},\n]\n", opts.join(",\n  ")));
        if let Some(k) = q.key {
            o.push_str(&format!("key = \"{}\"\n", option_letter(k)));
        }
        if let Some(e) = &q.explain {
            o.push_str(&format!("explain = {}\n", toml_text(e)));
        }
    }
    o
}
