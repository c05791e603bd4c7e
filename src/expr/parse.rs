//! The recursive-descent parser of objective text into a [`Poly`], and its errors with columns.

use super::lex::{lex, Lexer, Tok};
use super::{Poly, MAX_DEGREE};

/// A parse error with the 1-based column where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ExprError {
    /// 1-based column (in characters) in the expression text.
    pub column: usize,
    /// What was expected or what is wrong.
    pub message: String,
}

pub(super) fn err<T>(column: usize, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError {
        column,
        message: message.into(),
    })
}

/// How deep parentheses and signs may nest: a file cannot drive the parser's recursion further.
pub const MAX_NESTING: usize = 400;

struct Parser<'a> {
    lx: &'a Lexer,
    pos: usize,
    nvars: usize,
    depth: usize,
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

    /// Enters one level of nesting, or says the expression nests too deep.
    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return err(
                self.col(),
                format!(
                    "the expression nests deeper than {MAX_NESTING} levels of parentheses or signs"
                ),
            );
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Poly, ExprError> {
        self.enter()?;
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<Poly, ExprError> {
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
                self.enter()?;
                let inner = self.expr()?;
                self.depth -= 1;
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
            depth: 0,
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
