//! Renderings of a [`Poly`]: re-readable plain text, LaTeX (also with values substituted) and the
//! Python expression the generated NumPy code evaluates, and the number formats they use.

use super::Poly;
use crate::number::Num;

impl Poly {
    /// A Python expression evaluating the polynomial in the same order as [`Poly::eval`], with the
    /// variables named `w1`, `w2`, ...: `0.1 * (w1 * w1) + 2 * (w2 * w2)`.
    pub fn to_python(&self) -> String {
        let terms = self.ordered();
        if terms.is_empty() {
            return "0.0".to_string();
        }
        // a - b * c equals a + (-b) * c exactly, so terms with a negative coefficient are subtracted
        let parts: Vec<(bool, String)> = terms
            .iter()
            .enumerate()
            .map(|(i, (e, c))| {
                let neg = c.is_negative() && i > 0;
                let mut s = python_num(&if neg { c.abs() } else { **c });
                for (v, &k) in e.iter().enumerate() {
                    if k == 0 {
                        continue;
                    }
                    let var = format!("w{}", v + 1);
                    let p = vec![var; k as usize].join(" * ");
                    if k > 1 {
                        s.push_str(&format!(" * ({p})"));
                    } else {
                        s.push_str(&format!(" * {p}"));
                    }
                }
                (neg, s)
            })
            .collect();
        let mut out = parts[0].1.clone();
        for (neg, p) in &parts[1..] {
            out.push_str(if *neg { " - " } else { " + " });
            out.push_str(p);
        }
        out
    }

    /// Plain text, re-readable by [`Poly::parse`]: `0.1*w1^2 + 2*w2^2`.
    pub fn to_text(&self) -> String {
        self.render(&Style::Text, None)
    }

    /// LaTeX: `0.1 w_{1}^{2} + 2 w_{2}^{2}`.
    pub fn to_latex(&self) -> String {
        self.render(&Style::Latex, None)
    }

    /// LaTeX with each variable replaced by a value (already formatted as LaTeX), parenthesised when
    /// negative or when a power applies: `0.2 \cdot (-5)`.
    pub fn to_latex_with(&self, values: &[String]) -> String {
        self.render(&Style::Latex, Some(values))
    }

    fn render(&self, style: &Style, values: Option<&[String]>) -> String {
        let terms = self.ordered();
        if terms.is_empty() {
            return "0".to_string();
        }
        let mut out = String::new();
        for (i, (e, c)) in terms.iter().enumerate() {
            let neg = c.is_negative();
            if i == 0 {
                if neg {
                    out.push('-');
                }
            } else {
                out.push_str(if neg { " - " } else { " + " });
            }
            let abs = c.abs();
            let is_const = e.iter().all(|&k| k == 0);
            let mut factors: Vec<String> = Vec::new();
            if abs != Num::ONE || is_const {
                factors.push(match style {
                    Style::Text => abs.to_string(),
                    Style::Latex => latex_num(&abs),
                });
            }
            for (v, &k) in e.iter().enumerate() {
                if k == 0 {
                    continue;
                }
                let base = match (values, style) {
                    (Some(vals), _) => {
                        let s = vals.get(v).cloned().unwrap_or_default();
                        if s.starts_with('-')
                            || (k > 1 && s.contains(|c: char| !c.is_ascii_digit()))
                        {
                            format!("\\left({s}\\right)")
                        } else {
                            s
                        }
                    }
                    (None, Style::Text) => format!("w{}", v + 1),
                    (None, Style::Latex) => format!("w_{{{}}}", v + 1),
                };
                factors.push(match (k, style) {
                    (1, _) => base,
                    (k, Style::Text) => format!("{base}^{k}"),
                    (k, Style::Latex) => format!("{base}^{{{k}}}"),
                });
            }
            let sep = match (style, values.is_some()) {
                (Style::Text, _) => "*",
                (Style::Latex, true) => " \\cdot ",
                (Style::Latex, false) => " ",
            };
            out.push_str(&factors.join(sep));
        }
        out
    }
}

enum Style {
    Text,
    Latex,
}

/// A number as a Python literal (read by Python as the nearest float, like [`Num::to_f64`]).
pub fn python_num(n: &Num) -> String {
    if (-5..16).contains(&n.exponent()) || n.is_zero() {
        n.to_plain()
    } else {
        n.to_sci()
    }
}

/// A number in LaTeX: positional for moderate sizes, `d.ddd \times 10^{e}` otherwise.
pub fn latex_num(n: &Num) -> String {
    if (-5..16).contains(&n.exponent()) || n.is_zero() {
        n.to_plain()
    } else {
        let s = n.to_sci();
        match s.split_once('e') {
            Some(("1", e)) => format!("10^{{{e}}}"),
            Some(("-1", e)) => format!("-10^{{{e}}}"),
            Some((m, e)) => format!("{m} \\times 10^{{{e}}}"),
            None => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_numbers() {
        assert_eq!(latex_num(&Num::parse("1e-6").unwrap()), "10^{-6}");
        assert_eq!(
            latex_num(&Num::parse("2.5e-7").unwrap()),
            "2.5 \\times 10^{-7}"
        );
        assert_eq!(latex_num(&Num::parse("0.001").unwrap()), "0.001");
    }
}
