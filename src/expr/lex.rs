//! The lexer of objective text: numbers, the variables `w1 .. wn`, operators and parentheses, each
//! token with its 1-based column and its text for error messages.

use super::parse::err;
use super::ExprError;
use crate::number::Num;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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

pub(super) struct Lexer {
    pub(super) toks: Vec<(Tok, usize, String)>,
}

pub(super) fn lex(src: &str, nvars: usize) -> Result<Lexer, ExprError> {
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
