//! Escaping of untrusted text (titles from an exercise file) for each output format.
//!
//! Each function has the signature of [`tera::EscapeFn`], so it serves both as the Tera instance's
//! autoescape function and in Rust code.

use std::io::Write;

/// LaTeX: the ten special characters become commands that print them.
pub fn latex(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    for c in input.chars() {
        match c {
            '\\' => out.write_all(b"\\textbackslash{}")?,
            '{' => out.write_all(b"\\{")?,
            '}' => out.write_all(b"\\}")?,
            '$' => out.write_all(b"\\$")?,
            '&' => out.write_all(b"\\&")?,
            '#' => out.write_all(b"\\#")?,
            '%' => out.write_all(b"\\%")?,
            '_' => out.write_all(b"\\_")?,
            '^' => out.write_all(b"\\textasciicircum{}")?,
            '~' => out.write_all(b"\\textasciitilde{}")?,
            '\n' | '\r' | '\t' => out.write_all(b" ")?,
            c if c.is_control() => {}
            c => write!(out, "{c}")?,
        }
    }
    Ok(())
}

/// Markdown: the characters that could open emphasis, code, a link, an image, a math span, an HTML tag
/// or entity, or a table cell are backslash-escaped.
pub fn markdown(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    for c in input.chars() {
        match c {
            '\n' | '\r' | '\t' => out.write_all(b" ")?,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '$' | '&' | '|' | '~' | '!' | '#'
            | '{' | '}' => write!(out, "\\{c}")?,
            c if c.is_control() => {}
            c => write!(out, "{c}")?,
        }
    }
    Ok(())
}

/// HTML (text and attribute values).
pub fn html(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    for c in input.chars() {
        match c {
            '&' => out.write_all(b"&amp;")?,
            '<' => out.write_all(b"&lt;")?,
            '>' => out.write_all(b"&gt;")?,
            '"' => out.write_all(b"&quot;")?,
            '\'' => out.write_all(b"&#39;")?,
            c => write!(out, "{c}")?,
        }
    }
    Ok(())
}

/// Applies an escape function to a string.
pub fn to_string(f: fn(&str, &mut dyn Write) -> std::io::Result<()>, s: &str) -> String {
    let mut v = Vec::new();
    // writing to a Vec cannot fail
    let _ = f(s, &mut v);
    String::from_utf8_lossy(&v).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_inert() {
        assert_eq!(
            to_string(latex, "\\input{/etc/passwd} 100% $x$"),
            "\\textbackslash{}input\\{/etc/passwd\\} 100\\% \\$x\\$"
        );
        assert_eq!(
            to_string(markdown, "<script>*x*</script>"),
            "\\<script\\>\\*x\\*\\</script\\>"
        );
        assert_eq!(
            to_string(html, "<b a=\"1\">&"),
            "&lt;b a=&quot;1&quot;&gt;&amp;"
        );
    }
}
