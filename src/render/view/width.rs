//! Estimated widths, in ems of the body font, for layout decisions the views make before any
//! renderer runs (whether two formulas fit side by side on a line of the LaTeX sheet). The figures
//! are an upper estimate for DejaVu Serif and DejaVu Math TeX Gyre, the fonts of the LaTeX sheet:
//! against XeLaTeX's own widths of the built-in sheet's formulas they run 0 to 12% over.

/// The text width of the LaTeX sheet (A4, 2cm margins: 483.7pt) in ems of its 10.95pt body font.
pub(crate) const SHEET_LINE_EM: f64 = 44.1;

/// The width of a binary operator with its spaces (`+`, `-`, `\times`).
const BINARY: f64 = 1.3;
/// The width of a relation with its spaces (`=`, `\approx`).
const RELATION: f64 = 1.45;

/// One token of a LaTeX formula.
#[derive(Clone, Copy, PartialEq)]
enum Tok<'a> {
    Char(char),
    Command(&'a str),
    Open,
    Close,
    Sup,
    Sub,
}

fn tokens(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let len = c.len_utf8();
        match c {
            '\\' => {
                let name_len = rest[1..]
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(rest.len() - 1);
                // `\\`, `\,`, `\ `: a command of one other character
                let name_len = if name_len == 0 {
                    rest[1..].chars().next().map_or(0, char::len_utf8)
                } else {
                    name_len
                };
                out.push(Tok::Command(&rest[1..1 + name_len]));
                rest = &rest[1 + name_len..];
                continue;
            }
            '{' => out.push(Tok::Open),
            '}' => out.push(Tok::Close),
            '^' => out.push(Tok::Sup),
            '_' => out.push(Tok::Sub),
            c if c.is_whitespace() => {}
            c => out.push(Tok::Char(c)),
        }
        rest = &rest[len..];
    }
    out
}

/// Reads one argument (a braced group or a single token) from `toks` at `*i`, returning its width.
fn argument(toks: &[Tok], i: &mut usize) -> f64 {
    match toks.get(*i) {
        None => 0.0,
        Some(Tok::Open) => {
            let start = *i + 1;
            let mut depth = 1;
            let mut j = start;
            while j < toks.len() {
                match toks[j] {
                    Tok::Open => depth += 1,
                    Tok::Close => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            *i = j + 1;
            width(&toks[start..j.min(toks.len())])
        }
        Some(_) => {
            let w = width(&toks[*i..*i + 1]);
            *i += 1;
            w
        }
    }
}

fn width(toks: &[Tok]) -> f64 {
    let mut w = 0.0;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        i += 1;
        w += match t {
            Tok::Char(c) if c.is_ascii_digit() => 0.64,
            Tok::Char('.' | ',' | ';' | ':' | '!' | '\'') => 0.3,
            Tok::Char('(' | ')' | '[' | ']' | '|') => 0.4,
            Tok::Char('+' | '-' | '*') => BINARY,
            Tok::Char('=' | '<' | '>') => RELATION,
            Tok::Char(_) => 0.62,
            Tok::Sup | Tok::Sub => 0.72 * argument(toks, &mut i),
            Tok::Open | Tok::Close => 0.0,
            Tok::Command(name) => match name {
                "frac" | "dfrac" | "tfrac" => {
                    let num = argument(toks, &mut i);
                    let den = argument(toks, &mut i);
                    num.max(den) + 0.25
                }
                "sqrt" => argument(toks, &mut i) + 0.9,
                "left" | "right" | "displaystyle" | "allowbreak" | "limits" => 0.0,
                "mathrm" | "text" | "operatorname" | "mathbf" | "boldsymbol" | "hat" | "bar"
                | "tilde" | "widehat" => argument(toks, &mut i),
                "cdot" => 0.8,
                "times" | "pm" => BINARY,
                "approx" | "leq" | "geq" | "le" | "ge" | "to" | "neq" => RELATION,
                "quad" => 1.0,
                "qquad" => 2.0,
                "," | ":" | ";" | " " => 0.25,
                // a Greek letter or another symbol
                _ => 0.65,
            },
        };
    }
    w
}

/// The estimated width of a formula on one line, in ems.
pub(crate) fn math_em(latex: &str) -> f64 {
    width(&tokens(latex))
}

/// The estimated width of the body of an `aligned` environment with one `&` per row (the rows'
/// left parts aligned with their right parts), in ems.
pub(crate) fn aligned_em(body: &str) -> f64 {
    let (mut left, mut right) = (0.0f64, 0.0f64);
    for row in body.split("\\\\") {
        let (l, r) = row.split_once('&').unwrap_or((row, ""));
        left = left.max(math_em(l));
        right = right.max(math_em(r));
    }
    left + right
}

/// The advance of one character of a sans-serif text, in ems: DejaVu Sans's, the widest of the
/// common sans-serif fonts, so that a box sized by it holds the text in any of them. A combining mark
/// takes no room; a letter with its diacritics (ắ, ự, đ) is as wide as its base letter.
fn sans_char_em(c: char) -> f64 {
    match c {
        '\u{300}'..='\u{36f}' => 0.0,
        'i' | 'j' | 'l' | '\'' | '|' | '!' | '.' | ',' | ':' | ';' => 0.28,
        ' ' => 0.32,
        'f' | 't' | 'r' | 'I' | 'J' | '(' | ')' | '[' | ']' | '-' => 0.41,
        'm' => 0.98,
        'w' => 0.82,
        'M' | 'W' => 0.99,
        c if c.is_ascii_digit() => 0.64,
        c if c.is_ascii_lowercase() => 0.64,
        c if c.is_ascii_uppercase() => 0.77,
        '=' | '+' | '<' | '>' | '~' => 0.84,
        c if c.is_ascii() => 0.5,
        // ắ, ư, đ, Ơ...: as wide as an ASCII letter of the same case; other scripts and symbols
        c if c.is_lowercase() => 0.64,
        c if c.is_uppercase() => 0.77,
        _ => 0.84,
    }
}

/// The estimated width of a line of sans-serif text, in ems of its font size (an upper estimate:
/// plotters, with no font metrics, counts 0.45 em a byte, too little for Latin text and three times
/// too much for a Vietnamese letter).
pub(crate) fn sans_text_em(text: &str) -> f64 {
    text.chars().map(sans_char_em).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sans_text_width_counts_letters_not_bytes() {
        // "momentum" in DejaVu Sans is 5.81 em wide; its Vietnamese letters cost no more than ASCII
        let w = sans_text_em("momentum");
        assert!((5.81..5.81 * 1.1).contains(&w), "{w}");
        assert_eq!(sans_text_em("động lượng"), sans_text_em("dong luong"));
        // a decomposed letter (e + combining marks) is one letter wide
        assert_eq!(sans_text_em("e\u{302}\u{301}"), sans_text_em("ế"));
        assert!(sans_text_em("mm") > sans_text_em("ii") * 3.0);
    }

    #[test]
    fn a_wider_formula_measures_wider() {
        assert!(math_em("-4.051321445") > math_em("-4.05"));
        assert!(math_em("x^{2}") < math_em("x2"));
        assert_eq!(math_em("\\left(x\\right)"), math_em("(x)"));
    }

    #[test]
    fn a_fraction_is_as_wide_as_its_wider_part() {
        let f = math_em("\\frac{0.001920600077}{1 - 0.999^{2}}");
        let num = math_em("0.001920600077");
        assert!(f >= num && f < num + 0.5, "{f} {num}");
    }

    #[test]
    fn aligned_rows_share_their_left_part() {
        // XeLaTeX sets this 258.7pt wide (23.6em); the estimate is a little over
        let body = "w_{1}^{(1)} &= w_{1}^{(0)} - \\alpha \\cdot \\frac{dw_{1}^{(1)}}{\\sqrt{s_{1}^{(1)} + \\epsilon}} \\\\ &= -5 - 0.3 \\cdot \\frac{-1}{\\sqrt{0.1 + 10^{-6}}} \\approx -4.051321445";
        let w = aligned_em(body);
        assert!((23.6..23.6 * 1.15).contains(&w), "{w}");
        // the other estimates of the sheet's formulas against XeLaTeX (pt / 10.95)
        for (body, em) in [
            ("dw_{2}^{(2)} &= \\frac{\\partial f}{\\partial w_{2}} = 4 w_{2} \\\\ &= 4 \\cdot 1.2 = 4.8", 10.29),
            ("s_{corr,1}^{(2)} &= \\frac{s_{1}^{(2)}}{1 - \\beta_{2}^{2}} \\\\ &= \\frac{0.001920600077}{1 - 0.999^{2}} \\approx 0.9607804286", 22.68),
            ("v_{1}^{(2)} &= \\beta_{1} \\cdot v_{1}^{(1)} + \\left(1 - \\beta_{1}\\right) \\cdot dw_{1}^{(2)} \\\\ &= 0.9 \\cdot \\left(-0.1\\right) + \\left(1 - 0.9\\right) \\cdot \\left(-0.9600000400\\right) \\approx -0.1860000040", 33.53),
        ] {
            let w = aligned_em(body);
            assert!((em * 0.98..em * 1.15).contains(&w), "{body}: {w} against {em}");
        }
    }
}
