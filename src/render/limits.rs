//! Bounds on what a template may do. Templates may come from a folder the user names (`--templates`),
//! so their loops are bounded before and while they run:
//!
//! - `for` blocks nest at most [`MAX_LOOP_DEPTH`] deep (the built-in sheets need 4);
//! - `range(...)` yields at most [`MAX_RANGE`] values;
//! - the rendered text may not pass [`MAX_OUTPUT`] bytes: a loop that writes stops there with a
//!   template error, instead of filling memory.

use super::RenderError;
use std::io::Write;
use tera::{Kwargs, State, TeraResult};

/// How deep `for` blocks may nest in a template.
pub(super) const MAX_LOOP_DEPTH: usize = 6;
/// How many values `range` may yield.
pub(super) const MAX_RANGE: i128 = 10_000;
/// How many bytes one rendered template may write.
pub(super) const MAX_OUTPUT: usize = 64 << 20;

/// Refuses a template whose `for` blocks nest deeper than [`MAX_LOOP_DEPTH`]: the tags are found in
/// the text for every delimiter set stepwise uses (`{% %}` and `<% %>`).
pub(super) fn check_template(origin: &str, text: &str) -> Result<(), RenderError> {
    let (mut depth, mut line) = (0usize, 1usize);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            line += 1;
        }
        if (bytes[i] == b'{' || bytes[i] == b'<') && bytes.get(i + 1) == Some(&b'%') {
            let rest = text[i + 2..].trim_start_matches(['-', ' ', '\t', '\r', '\n']);
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            match word.as_str() {
                "for" => {
                    depth += 1;
                    if depth > MAX_LOOP_DEPTH {
                        return Err(RenderError::Template {
                            origin: format!("{origin}:{line}"),
                            message: format!(
                                "loops nest deeper than the limit of {MAX_LOOP_DEPTH}"
                            ),
                        });
                    }
                }
                "endfor" => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        i += 1;
    }
    Ok(())
}

/// Tera's `range(end, start=0, step_by=1)`, yielding at most [`MAX_RANGE`] values.
pub(super) fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("range: step_by is 0"));
    }
    let span = if step > 0 {
        end.saturating_sub(start)
    } else {
        start.saturating_sub(end)
    };
    let len = if span <= 0 {
        0
    } else {
        span.saturating_add(step.saturating_abs() - 1) / step.saturating_abs()
    };
    if len > MAX_RANGE {
        return Err(tera::Error::message(format!(
            "range would yield {len} values, more than the limit of {MAX_RANGE}"
        )));
    }
    Ok((0..len).map(|k| start + k * step).collect())
}

/// A buffer that refuses to grow past [`MAX_OUTPUT`].
#[derive(Default)]
pub(super) struct Capped(Vec<u8>);

impl Capped {
    /// The text written (Tera writes UTF-8).
    pub(super) fn into_string(self) -> String {
        String::from_utf8(self.0).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_OUTPUT {
            return Err(std::io::Error::other(format!(
                "the rendered text would pass the limit of {} MiB",
                MAX_OUTPUT >> 20
            )));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_loops_are_refused_with_their_line() {
        let ok = "{% for a in x %}{% for b in a %}{{ b }}{% endfor %}{% endfor %}";
        assert!(check_template("t", ok).is_ok());
        let deep = format!(
            "{}\n{}",
            "<% for a in x %>".repeat(MAX_LOOP_DEPTH + 1),
            "<% endfor %>".repeat(MAX_LOOP_DEPTH + 1)
        );
        let e = check_template("t.tex", &deep).unwrap_err().to_string();
        assert_eq!(e, "t.tex:1: loops nest deeper than the limit of 6");
    }

    #[test]
    fn output_past_the_cap_is_an_error() {
        let mut c = Capped::default();
        assert!(c.write_all(&vec![b'x'; MAX_OUTPUT]).is_ok());
        assert!(c.write_all(b"y").is_err());
    }
}
