//! Polynomial objectives: parsing, symbolic partial derivatives, evaluation and rendering.
//!
//! An objective is a polynomial in the variables `w1 .. wn` with exact decimal coefficients. The parser
//! takes numbers, the variables, `+ - * /` (division by a number only), `^` or `**` with a non-negative
//! integer power, and parentheses, and expands everything into a sum of monomials, so Rosenbrock
//! `(1 - w1)^2 + 100*(w2 - w1^2)^2` is as welcome as the course's `0.1*w1^2 + 2*w2^2`. Implicit
//! multiplication (`2w1`) is refused with a hint. Errors carry the 1-based column of the offending text.

use crate::number::{ArithError, Num, Scalar};
use std::collections::BTreeMap;

/// Largest power accepted in an expression, and largest total degree after expansion.
pub const MAX_DEGREE: u32 = 64;

/// A polynomial: exponent vectors (one entry per variable) mapped to non-zero coefficients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poly {
    nvars: usize,
    terms: BTreeMap<Vec<u32>, Num>,
}

/// A parse error with the 1-based column where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ExprError {
    /// 1-based column (in characters) in the expression text.
    pub column: usize,
    /// What was expected or what is wrong.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Num),
    Var(usize),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    End,
}

struct Lexer {
    toks: Vec<(Tok, usize, String)>,
}

fn err<T>(column: usize, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError {
        column,
        message: message.into(),
    })
}

fn lex(src: &str, nvars: usize) -> Result<Lexer, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = chars[start..i].iter().collect();
            let n = Num::parse(&text).or_else(|e| err(col, format!("bad number '{text}': {e}")))?;
            toks.push((Tok::Num(n), col, text));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let idx = text
                .strip_prefix('w')
                .filter(|d| {
                    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
                })
                .and_then(|d| d.parse::<usize>().ok());
            match idx {
                Some(k) if k >= 1 && k <= nvars => toks.push((Tok::Var(k - 1), col, text)),
                Some(_) => {
                    return err(
                        col,
                        format!(
                            "unknown variable '{text}': the start point gives {}",
                            var_range(nvars)
                        ),
                    )
                }
                None => {
                    return err(
                        col,
                        format!(
                            "unknown name '{text}': expected a variable ({}) or a number",
                            var_range(nvars)
                        ),
                    )
                }
            }
            continue;
        }
        let tok = match c {
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                Tok::Caret
            }
            '*' => Tok::Star,
            '/' => Tok::Slash,
            '^' => Tok::Caret,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            _ => return err(col, format!("unexpected character '{c}'")),
        };
        toks.push((tok, col, c.to_string()));
        i += 1;
    }
    toks.push((Tok::End, chars.len() + 1, String::new()));
    Ok(Lexer { toks })
}

fn var_range(n: usize) -> String {
    match n {
        1 => "w1 only".to_string(),
        _ => format!("w1 to w{n}"),
    }
}

struct Parser<'a> {
    lx: &'a Lexer,
    pos: usize,
    nvars: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.lx.toks[self.pos].0
    }
    fn col(&self) -> usize {
        self.lx.toks[self.pos].1
    }
    fn describe(&self) -> String {
        match self.peek() {
            Tok::End => "the end of the expression".to_string(),
            _ => format!("'{}'", self.lx.toks[self.pos].2),
        }
    }

    fn expr(&mut self) -> Result<Poly, ExprError> {
        let mut acc = self.term()?;
        loop {
            match self.peek() {
                Tok::Plus => {
                    self.pos += 1;
                    let t = self.term()?;
                    acc = acc.add(&t).or_else(|e| err(self.col(), e.to_string()))?;
                }
                Tok::Minus => {
                    self.pos += 1;
                    let t = self.term()?;
                    acc = acc
                        .add(&t.neg())
                        .or_else(|e| err(self.col(), e.to_string()))?;
                }
                _ => return Ok(acc),
            }
        }
    }

    fn term(&mut self) -> Result<Poly, ExprError> {
        let mut acc = self.unary()?;
        loop {
            match self.peek() {
                Tok::Star => {
                    self.pos += 1;
                    let col = self.col();
                    let f = self.unary()?;
                    acc = acc.mul(&f).or_else(|e| err(col, e.to_string()))?;
                }
                Tok::Slash => {
                    self.pos += 1;
                    let col = self.col();
                    let f = self.unary()?;
                    let Some(c) = f.as_constant() else {
                        return err(
                            col,
                            "not a polynomial: only division by a number is allowed",
                        );
                    };
                    if c.is_zero() {
                        return err(col, "division by zero");
                    }
                    acc = acc.scale_div(&c).or_else(|e| err(col, e.to_string()))?;
                }
                Tok::Num(_) | Tok::Var(_) | Tok::LParen => {
                    return err(
                        self.col(),
                        format!(
                            "expected an operator before {} (write '*' for a product, as in 2*w1)",
                            self.describe()
                        ),
                    );
                }
                _ => return Ok(acc),
            }
        }
    }

    fn unary(&mut self) -> Result<Poly, ExprError> {
        match self.peek() {
            Tok::Minus => {
                self.pos += 1;
                Ok(self.unary()?.neg())
            }
            Tok::Plus => {
                self.pos += 1;
                self.unary()
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Poly, ExprError> {
        let base = self.atom()?;
        if *self.peek() != Tok::Caret {
            return Ok(base);
        }
        self.pos += 1;
        let col = self.col();
        let exp = match self.peek() {
            Tok::Num(n) => *n,
            _ => {
                return err(
                    col,
                    format!(
                        "expected a whole-number power after '^', found {}",
                        self.describe()
                    ),
                )
            }
        };
        self.pos += 1;
        let k = exp
            .to_plain()
            .parse::<u32>()
            .ok()
            .filter(|k| *k <= MAX_DEGREE)
            .ok_or_else(|| ExprError {
                column: col,
                message: format!(
                    "not a polynomial: the power must be a whole number from 0 to {MAX_DEGREE}"
                ),
            })?;
        if *self.peek() == Tok::Caret {
            return err(
                self.col(),
                "ambiguous power: use parentheses, as in (w1^2)^3",
            );
        }
        base.pow(k).or_else(|e| err(col, e.to_string()))
    }

    fn atom(&mut self) -> Result<Poly, ExprError> {
        let col = self.col();
        match self.peek().clone() {
            Tok::Num(n) => {
                self.pos += 1;
                Ok(Poly::constant(self.nvars, n))
            }
            Tok::Var(k) => {
                self.pos += 1;
                Ok(Poly::var(self.nvars, k))
            }
            Tok::LParen => {
                self.pos += 1;
                let inner = self.expr()?;
                if *self.peek() != Tok::RParen {
                    return err(
                        self.col(),
                        format!(
                            "expected ')' to close the '(' at column {col}, found {}",
                            self.describe()
                        ),
                    );
                }
                self.pos += 1;
                Ok(inner)
            }
            _ => err(
                col,
                format!(
                    "expected a number, a variable or '(', found {}",
                    self.describe()
                ),
            ),
        }
    }
}

impl Poly {
    /// Parses `src` as a polynomial in `w1 .. w{nvars}`.
    pub fn parse(src: &str, nvars: usize) -> Result<Poly, ExprError> {
        let lx = lex(src, nvars)?;
        let mut p = Parser {
            lx: &lx,
            pos: 0,
            nvars,
        };
        if *p.peek() == Tok::End {
            return err(1, "the expression is empty");
        }
        let poly = p.expr()?;
        if *p.peek() != Tok::End {
            if *p.peek() == Tok::RParen {
                return err(p.col(), "unmatched ')'");
            }
            return err(
                p.col(),
                format!("expected an operator, found {}", p.describe()),
            );
        }
        if poly.degree() > MAX_DEGREE {
            return err(
                1,
                format!(
                    "the degree {} is above the limit {MAX_DEGREE}",
                    poly.degree()
                ),
            );
        }
        Ok(poly)
    }

    /// The constant polynomial `c`.
    pub fn constant(nvars: usize, c: Num) -> Poly {
        let mut terms = BTreeMap::new();
        if !c.is_zero() {
            terms.insert(vec![0; nvars], c);
        }
        Poly { nvars, terms }
    }

    /// The variable `w{k+1}`.
    pub fn var(nvars: usize, k: usize) -> Poly {
        let mut e = vec![0; nvars];
        e[k] = 1;
        let mut terms = BTreeMap::new();
        terms.insert(e, Num::ONE);
        Poly { nvars, terms }
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// Total degree (0 for constants and for the zero polynomial).
    pub fn degree(&self) -> u32 {
        self.terms.keys().map(|e| e.iter().sum()).max().unwrap_or(0)
    }

    fn as_constant(&self) -> Option<Num> {
        match self.terms.len() {
            0 => Some(Num::ZERO),
            1 => self
                .terms
                .iter()
                .next()
                .filter(|(e, _)| e.iter().all(|&k| k == 0))
                .map(|(_, c)| *c),
            _ => None,
        }
    }

    fn insert_add(
        terms: &mut BTreeMap<Vec<u32>, Num>,
        e: Vec<u32>,
        c: Num,
    ) -> Result<(), ArithError> {
        let sum = match terms.get(&e) {
            Some(old) => old.add(&c)?,
            None => c,
        };
        if sum.is_zero() {
            terms.remove(&e);
        } else {
            terms.insert(e, sum);
        }
        Ok(())
    }

    fn add(&self, o: &Poly) -> Result<Poly, ArithError> {
        let mut terms = self.terms.clone();
        for (e, c) in &o.terms {
            Self::insert_add(&mut terms, e.clone(), *c)?;
        }
        Ok(Poly {
            nvars: self.nvars,
            terms,
        })
    }

    fn neg(&self) -> Poly {
        Poly {
            nvars: self.nvars,
            terms: self
                .terms
                .iter()
                .map(|(e, c)| (e.clone(), c.neg()))
                .collect(),
        }
    }

    fn mul(&self, o: &Poly) -> Result<Poly, ArithError> {
        let mut terms = BTreeMap::new();
        for (e1, c1) in &self.terms {
            for (e2, c2) in &o.terms {
                let e: Vec<u32> = e1.iter().zip(e2).map(|(a, b)| a + b).collect();
                if e.iter().sum::<u32>() > MAX_DEGREE {
                    return Err(ArithError::Overflow);
                }
                Self::insert_add(&mut terms, e, c1.mul(c2)?)?;
            }
        }
        Ok(Poly {
            nvars: self.nvars,
            terms,
        })
    }

    fn scale_div(&self, c: &Num) -> Result<Poly, ArithError> {
        let mut terms = BTreeMap::new();
        for (e, k) in &self.terms {
            terms.insert(e.clone(), k.div(c)?);
        }
        Ok(Poly {
            nvars: self.nvars,
            terms,
        })
    }

    fn pow(&self, k: u32) -> Result<Poly, ArithError> {
        let mut acc = Poly::constant(self.nvars, Num::ONE);
        for _ in 0..k {
            acc = acc.mul(self)?;
        }
        Ok(acc)
    }

    /// The partial derivative with respect to `w{k+1}`, with exact coefficients.
    pub fn derivative(&self, k: usize) -> Result<Poly, ArithError> {
        let mut terms = BTreeMap::new();
        for (e, c) in &self.terms {
            if e[k] == 0 {
                continue;
            }
            let mut e2 = e.clone();
            e2[k] -= 1;
            Self::insert_add(&mut terms, e2, c.mul(&Num::from_int(i64::from(e[k])))?)?;
        }
        Ok(Poly {
            nvars: self.nvars,
            terms,
        })
    }

    /// The gradient: one partial derivative per variable.
    pub fn gradient(&self) -> Result<Vec<Poly>, ArithError> {
        (0..self.nvars).map(|k| self.derivative(k)).collect()
    }

    /// The coefficient of a monomial (zero when absent).
    fn coefficient(&self, e: &[u32]) -> Num {
        self.terms.get(e).copied().unwrap_or(Num::ZERO)
    }

    /// The minimizer of a strictly convex quadratic (degree at most 2, positive definite Hessian),
    /// solving `H w = -b` by elimination in exact arithmetic; `None` for any other polynomial.
    pub fn quadratic_minimizer(&self) -> Option<Vec<Num>> {
        if self.degree() > 2 || self.terms.is_empty() {
            return None;
        }
        let n = self.nvars;
        let grad = self.gradient().ok()?;
        // gradient_i = sum_j H[i][j] w_j + b_i
        let unit = |j: usize| -> Vec<u32> { (0..n).map(|k| u32::from(k == j)).collect() };
        let mut a: Vec<Vec<Num>> = grad
            .iter()
            .map(|g| {
                let mut row: Vec<Num> = (0..n).map(|j| g.coefficient(&unit(j))).collect();
                row.push(g.coefficient(&vec![0; n]).neg());
                row
            })
            .collect();
        // symmetric elimination without pivoting: every pivot positive iff H is positive definite
        for k in 0..n {
            let pivot = a[k][k];
            if pivot <= Num::ZERO {
                return None;
            }
            let pivot_row = a[k].clone();
            for row in a.iter_mut().skip(k + 1) {
                let f = row[k].div(&pivot).ok()?;
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(k) {
                    *x = x.sub(&f.mul(p).ok()?).ok()?;
                }
            }
        }
        let mut w = vec![Num::ZERO; n];
        for k in (0..n).rev() {
            let mut acc = a[k][n];
            for (h, x) in a[k][k + 1..n].iter().zip(&w[k + 1..]) {
                acc = acc.sub(&h.mul(x).ok()?).ok()?;
            }
            w[k] = acc.div(&a[k][k]).ok()?;
        }
        Some(w)
    }

    /// Evaluates at `w` in the scalar type `S` (see [`Compiled::eval`] for the order).
    pub fn eval<S: Scalar>(&self, w: &[S]) -> Result<S, ArithError> {
        self.compile::<S>().eval(w)
    }

    /// The polynomial with its coefficients converted to `S` once, for repeated evaluation.
    pub fn compile<S: Scalar>(&self) -> Compiled<S> {
        Compiled {
            terms: self
                .ordered()
                .into_iter()
                .map(|(e, c)| {
                    let powers = e
                        .iter()
                        .enumerate()
                        .filter(|(_, k)| **k > 0)
                        .map(|(i, k)| (i, *k))
                        .collect();
                    (S::from_num(c), powers)
                })
                .collect(),
        }
    }

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

    /// Terms in display order: higher total degree first, then w1's power, then w2's, ...
    pub fn ordered(&self) -> Vec<(&Vec<u32>, &Num)> {
        let mut v: Vec<_> = self.terms.iter().collect();
        v.sort_by(|(a, _), (b, _)| {
            let da: u32 = a.iter().sum();
            let db: u32 = b.iter().sum();
            db.cmp(&da).then_with(|| b.cmp(a))
        });
        v
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

/// A polynomial ready to evaluate in one scalar type.
#[derive(Debug, Clone)]
pub struct Compiled<S> {
    /// (coefficient, [(variable, power)]) in display order.
    terms: Vec<(S, Vec<(usize, u32)>)>,
}

impl<S: Scalar> Compiled<S> {
    /// Evaluates at `w` in exactly the order of [`Poly::to_python`]: the terms in display order,
    /// summed left to right; each term `c * (w1 * w1) * w2`, left to right, with each power written
    /// as repeated products.
    pub fn eval(&self, w: &[S]) -> Result<S, ArithError> {
        let mut acc: Option<S> = None;
        for (c, powers) in &self.terms {
            let mut t = c.clone();
            for &(i, k) in powers {
                let x = &w[i];
                let mut p = x.clone();
                for _ in 1..k {
                    p = p.mul(x)?;
                }
                t = t.mul(&p)?;
            }
            acc = Some(match acc {
                None => t,
                Some(a) => a.add(&t)?,
            });
        }
        Ok(acc.unwrap_or_else(|| S::from_u64(0)))
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
    fn course_objective_and_gradient() {
        let p = Poly::parse("0.1*w1^2 + 2*w2^2", 2).unwrap();
        assert_eq!(p.to_text(), "0.1*w1^2 + 2*w2^2");
        assert_eq!(p.to_latex(), "0.1 w_{1}^{2} + 2 w_{2}^{2}");
        let g = p.gradient().unwrap();
        assert_eq!(g[0].to_text(), "0.2*w1");
        assert_eq!(g[1].to_latex(), "4 w_{2}");
        assert_eq!(
            g[0].to_latex_with(&["-5".into(), "-2".into()]),
            "0.2 \\cdot \\left(-5\\right)"
        );
        let v = p.eval(&[Num::from_int(-5), Num::from_int(-2)]).unwrap();
        assert_eq!(v.to_string(), "10.5");
    }

    #[test]
    fn classic_test_functions() {
        let r = Poly::parse("(1 - w1)^2 + 100*(w2 - w1^2)^2", 2).unwrap();
        assert_eq!(
            r.to_text(),
            "100*w1^4 - 200*w1^2*w2 + w1^2 + 100*w2^2 - 2*w1 + 1"
        );
        let beale = Poly::parse(
            "(1.5 - w1 + w1*w2)^2 + (2.25 - w1 + w1*w2^2)^2 + (2.625 - w1 + w1*w2^3)^2",
            2,
        )
        .unwrap();
        let at = beale
            .eval(&[Num::from_int(3), Num::parse("0.5").unwrap()])
            .unwrap();
        assert!(at.is_zero(), "Beale's minimum is at (3, 0.5), got {at}");
        let booth = Poly::parse("(w1 + 2*w2 - 7)**2 + (2*w1 + w2 - 5)^2", 2).unwrap();
        let at = booth.eval(&[Num::from_int(1), Num::from_int(3)]).unwrap();
        assert!(at.is_zero());
        assert_eq!(Poly::parse("w1^2/2", 1).unwrap().to_text(), "0.5*w1^2");
    }

    #[test]
    fn errors_point_at_the_column() {
        let e = Poly::parse("0.1*w1^2 + 2*w3^2", 2).unwrap_err();
        assert_eq!(e.column, 14);
        assert!(e.message.contains("unknown variable 'w3'"), "{}", e.message);
        let e = Poly::parse("2w1", 1).unwrap_err();
        assert_eq!(e.column, 2);
        assert!(e.message.contains("2*w1"));
        let e = Poly::parse("w1^-1", 1).unwrap_err();
        assert_eq!(e.column, 4);
        assert_eq!(
            Poly::parse("1/w1", 1).unwrap_err().message,
            "not a polynomial: only division by a number is allowed"
        );
        assert_eq!(Poly::parse("sin(w1)", 1).unwrap_err().column, 1);
        assert_eq!(Poly::parse("(w1 + 1", 1).unwrap_err().column, 8);
        assert_eq!(
            Poly::parse("w1 + 1)", 1).unwrap_err().message,
            "unmatched ')'"
        );
        assert_eq!(
            Poly::parse("", 1).unwrap_err().message,
            "the expression is empty"
        );
        assert!(Poly::parse("w1^0.5", 1)
            .unwrap_err()
            .message
            .contains("whole number"));
    }

    #[test]
    fn minimizers_of_convex_quadratics() {
        let n = |s: &str| Num::parse(s).unwrap();
        let p = Poly::parse("0.1*w1^2 + 2*w2^2", 2).unwrap();
        assert_eq!(p.quadratic_minimizer(), Some(vec![Num::ZERO, Num::ZERO]));
        // (w1 - 1)^2 + 2 (w2 + 3)^2 + w1 w2: H = [[2, 1], [1, 4]], b = [-2 , 12]
        let p = Poly::parse("(w1 - 1)^2 + 2*(w2 + 3)^2 + w1*w2", 2).unwrap();
        let w = p.quadratic_minimizer().unwrap();
        assert_eq!(
            w,
            vec![
                n("20").div(&n("7")).unwrap(),
                n("-26").div(&n("7")).unwrap()
            ]
        );
        assert_eq!(
            Poly::parse("w1^2 - w2^2", 2).unwrap().quadratic_minimizer(),
            None
        );
        assert_eq!(
            Poly::parse("(1 - w1)^2 + 100*(w2 - w1^2)^2", 2)
                .unwrap()
                .quadratic_minimizer(),
            None
        );
    }

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
