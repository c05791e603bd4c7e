//! The notation of an exercise: the symbols its derivation writes (per quantity of each problem's
//! optimizer, and `g` for the gradient), the numbers of its formulas, and the names of the functions
//! in the generated code. Exercise files set them in `[notation]` and `[code]` and per problem in
//! `notation`, `formulas` and `function`; what a file leaves out keeps the optimizer's own.
//!
//! Symbols are LaTeX placed in formulas as they are, so they are checked here against a small
//! grammar: letters, digits, `_ ^ { } , ' ( ) + - .`, spaces, `#` for the component number, and a
//! backslash only before a known command (Greek letters, accents, `\mathrm` and the like).

use super::load::Ctx;
use crate::optim::Info;
use std::collections::BTreeMap;
use toml::Spanned;

/// The key of the gradient's symbol.
pub const GRADIENT: &str = "g";

/// How a problem's derivation and code name things.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notation {
    /// LaTeX symbol per quantity key, and [`GRADIENT`]; `#` stands for the component number. An
    /// empty symbol leaves the quantity out of the derivation: its formula is written where it is
    /// used.
    pub symbols: BTreeMap<String, String>,
    /// The number of a quantity's formula (`4.1`), cited where the derivation uses it.
    pub numbers: BTreeMap<String, String>,
    /// The update function's name in the generated code (the optimizer's id when `None`).
    pub function: Option<String>,
}

/// The names the generated code gives its shared functions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeNames {
    /// The gradient function (`df_w`).
    pub gradient: String,
    /// The training loop (`train_p1`).
    pub train: String,
}

impl Default for CodeNames {
    fn default() -> CodeNames {
        CodeNames {
            gradient: "df_w".to_string(),
            train: "train_p1".to_string(),
        }
    }
}

/// Commands a symbol may use.
const COMMANDS: &[&str] = &[
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
    "hat",
    "widehat",
    "tilde",
    "widetilde",
    "bar",
    "overline",
    "mathrm",
    "mathbf",
    "mathit",
    "mathsf",
    "nabla",
    "partial",
    "prime",
];

/// Names the generated code uses itself, which a function may not take.
const RESERVED: &[&str] = &[
    "np",
    "sys",
    "DTYPE",
    "W",
    "dW",
    "lr",
    "t",
    "results",
    "epochs",
    "optimizer",
    "epoch",
    "x",
    "print",
    "range",
    "float",
    "str",
    "enumerate",
    "len",
    "list",
    "max",
    "min",
    "abs",
    "sum",
];

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Why a symbol is refused, or `None` when it is fine.
pub fn symbol_problem(s: &str) -> Option<String> {
    if s.chars().count() > 40 {
        return Some("at most 40 characters".to_string());
    }
    let mut depth = 0i32;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let name: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                if !COMMANDS.contains(&name.as_str()) {
                    return Some(format!(
                        "'\\{name}' is not a command a symbol may use (Greek letters, \\hat, \\bar, \\tilde, \\mathrm, ...)"
                    ));
                }
                i += name.len();
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return Some("a '}' closes no '{'".to_string());
                }
            }
            c if c.is_ascii_alphanumeric() || " _^,'()+-.#".contains(c) => {}
            c => return Some(format!("'{c}' may not appear in a symbol")),
        }
        i += 1;
    }
    (depth != 0).then(|| "a '{' is not closed".to_string())
}

fn python_name_problem(s: &str, taken: &[&str]) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Some("use 1 to 40 of A-Z, a-z, 0-9 and '_', not starting with a digit".to_string());
    }
    if KEYWORDS.contains(&s) || RESERVED.contains(&s) || taken.contains(&s) {
        return Some(format!(
            "'{s}' is a Python keyword or a name the generated code uses itself"
        ));
    }
    None
}

fn number_problem(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 12
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    (!ok).then(|| "use 1 to 12 of A-Z, a-z, 0-9, '.' and '-' (such as 4.1)".to_string())
}

/// The keys a symbol may be given for `info`: the gradient and each quantity.
fn keys(info: &Info) -> Vec<&'static str> {
    std::iter::once(GRADIENT)
        .chain(info.quantities.iter().map(|q| q.key))
        .collect()
}

/// Checks one symbol for key `key` of `info` (when given).
fn check_symbol(
    cx: &Ctx<'_>,
    what: &str,
    key: &str,
    v: &Spanned<String>,
    info: Option<&Info>,
) -> Result<(), super::SpecError> {
    let s = v.get_ref();
    if s.is_empty() {
        if key == GRADIENT || key == "w" {
            return Err(cx.at(
                v.span(),
                format!("{what}: the symbol of '{key}' cannot be empty"),
            ));
        }
        if let Some(q) = info.and_then(|i| i.quantity(key)) {
            if q.init.is_some() {
                return Err(cx.at(
                    v.span(),
                    format!("{what}: '{key}' is a state, carried from epoch to epoch: its symbol cannot be empty"),
                ));
            }
        }
        return Ok(());
    }
    match symbol_problem(s) {
        Some(p) => Err(cx.at(v.span(), format!("{what}: symbol of '{key}': {p}"))),
        None => Ok(()),
    }
}

/// The exercise-wide `[notation]`, checked: each key must name the gradient or a quantity of some
/// problem's optimizer.
pub(super) fn exercise_symbols(
    cx: &Ctx<'_>,
    raw: Option<&Spanned<BTreeMap<String, Spanned<String>>>>,
    infos: &[&Info],
) -> Result<BTreeMap<String, String>, super::SpecError> {
    let Some(raw) = raw else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for (key, v) in raw.get_ref() {
        let owner = infos.iter().find(|i| keys(i).contains(&key.as_str()));
        if owner.is_none() && key != GRADIENT {
            return Err(cx.at(
                v.span(),
                format!("notation: no problem's optimizer has a quantity '{key}'"),
            ));
        }
        // a quantity that is a state for one optimizer and not for another is checked as a state
        let state = infos
            .iter()
            .find(|i| i.quantity(key).is_some_and(|q| q.init.is_some()))
            .or(owner);
        check_symbol(cx, "notation", key, v, state.copied())?;
        out.insert(key.clone(), v.get_ref().clone());
    }
    Ok(out)
}

/// What a `[[problem]]` table says of its notation.
pub(super) struct RawProblemNotation<'a> {
    pub(super) id: &'a str,
    pub(super) symbols: Option<&'a Spanned<BTreeMap<String, Spanned<String>>>>,
    pub(super) numbers: Option<&'a Spanned<BTreeMap<String, Spanned<String>>>>,
    pub(super) function: Option<&'a Spanned<String>>,
}

/// A problem's notation: the exercise's symbols that its optimizer has, then its own.
pub(super) fn problem_notation(
    cx: &Ctx<'_>,
    info: &Info,
    shared: &BTreeMap<String, String>,
    code: &CodeNames,
    raw: RawProblemNotation<'_>,
) -> Result<Notation, super::SpecError> {
    let id = raw.id;
    let known = keys(info);
    let mut symbols: BTreeMap<String, String> = shared
        .iter()
        .filter(|(k, _)| known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let unknown = |k: &str| {
        format!(
            "problem '{id}': {} has no quantity '{k}': expected {}",
            info.id,
            known.join(", ")
        )
    };
    if let Some(m) = raw.symbols {
        for (k, v) in m.get_ref() {
            if !known.contains(&k.as_str()) {
                return Err(cx.at(v.span(), unknown(k)));
            }
            check_symbol(cx, &format!("problem '{id}': notation"), k, v, Some(info))?;
            symbols.insert(k.clone(), v.get_ref().clone());
        }
    }
    let mut numbers = BTreeMap::new();
    if let Some(m) = raw.numbers {
        for (k, v) in m.get_ref() {
            if info.quantity(k).is_none() {
                let quantities: Vec<&str> = info.quantities.iter().map(|q| q.key).collect();
                return Err(cx.at(
                    v.span(),
                    format!(
                        "problem '{id}': {} has no quantity '{k}': expected {}",
                        info.id,
                        quantities.join(", ")
                    ),
                ));
            }
            if let Some(p) = number_problem(v.get_ref()) {
                return Err(cx.at(v.span(), format!("problem '{id}': formulas.{k}: {p}")));
            }
            numbers.insert(k.clone(), v.get_ref().clone());
        }
    }
    let function = match raw.function {
        None => None,
        Some(f) => {
            let taken: Vec<&str> = [code.gradient.as_str(), code.train.as_str()]
                .into_iter()
                .chain(info.hypers.iter().map(|h| h.name))
                .chain(info.quantities.iter().map(|q| q.key))
                .collect();
            if let Some(p) = python_name_problem(f.get_ref(), &taken) {
                return Err(cx.at(f.span(), format!("problem '{id}': function: {p}")));
            }
            Some(f.get_ref().clone())
        }
    };
    Ok(Notation {
        symbols,
        numbers,
        function,
    })
}

/// The `[code]` table, checked.
pub(super) fn code_names(
    cx: &Ctx<'_>,
    gradient: Option<&Spanned<String>>,
    train: Option<&Spanned<String>>,
) -> Result<CodeNames, super::SpecError> {
    let mut names = CodeNames::default();
    if let Some(g) = gradient {
        if let Some(p) = python_name_problem(g.get_ref(), &[]) {
            return Err(cx.at(g.span(), format!("code.gradient: {p}")));
        }
        names.gradient = g.get_ref().clone();
    }
    if let Some(t) = train {
        if let Some(p) = python_name_problem(t.get_ref(), &[names.gradient.as_str()]) {
            return Err(cx.at(t.span(), format!("code.train: {p}")));
        }
        names.train = t.get_ref().clone();
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_small_latex() {
        for ok in [
            "dw_{#}",
            "v_{corr,#}",
            "\\hat{v}_{#}",
            "\\mathrm{S}_{#}'",
            "\\beta_1",
        ] {
            assert_eq!(symbol_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("\\input{x}", "'\\input' is not a command"),
            ("a$b", "'$' may not appear"),
            ("v_{#", "a '{' is not closed"),
            ("v}", "a '}' closes no '{'"),
            ("\\write18", "'\\write' is not a command"),
        ] {
            let p = symbol_problem(bad).unwrap();
            assert!(p.contains(why), "{bad}: {p}");
        }
    }

    #[test]
    fn function_names_are_python_names_of_their_own() {
        assert_eq!(python_name_problem("sgd_momentum", &[]), None);
        assert_eq!(python_name_problem("RMSProp", &[]), None);
        assert!(python_name_problem("2x", &[]).is_some());
        assert!(python_name_problem("lambda", &[]).is_some());
        assert!(python_name_problem("np", &[]).is_some());
        assert!(python_name_problem("df_w", &["df_w"]).is_some());
        assert!(number_problem("4.1").is_none());
        assert!(number_problem("4 1").is_some());
    }
}
