//! Plain-text formatting for the terminal: a table of right-aligned columns. Numbers are formatted as
//! the sheets' table cells are ([`crate::render::view::cell`]).

pub(crate) use crate::render::view::cell as fmt_num;

/// The header and rows as lines of right-aligned columns, each line indented by two spaces and its
/// cells two spaces apart. Every row has the header's number of cells.
pub(crate) fn aligned(header: &[String], body: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            body.iter()
                .map(|r| r.get(c).map_or(0, String::len))
                .chain([header[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in std::iter::once(header).chain(body.iter().map(Vec::as_slice)) {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(s, w)| format!("{s:>w$}"))
            .collect();
        out.push_str("  ");
        out.push_str(&cells.join("  "));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_right_on_the_widest_cell() {
        let header = vec!["epoch".to_string(), "w1".to_string()];
        let body = vec![
            vec!["0".to_string(), "-5".to_string()],
            vec!["1".to_string(), "-4.6".to_string()],
        ];
        assert_eq!(
            aligned(&header, &body),
            "  epoch    w1\n      0    -5\n      1  -4.6\n"
        );
    }
}
