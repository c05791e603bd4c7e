//! Markdown to HTML: one parser constructor, math spans converted to MathML (math-core), and raw HTML
//! never passed through (it is shown as text).

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;

/// The one way this crate parses Markdown: tables and `$`/`$$` math enabled.
pub fn parser(markdown: &str) -> Parser<'_> {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_MATH);
    Parser::new_ext(markdown, opts)
}

/// Every math span of a Markdown text: its LaTeX and whether it is display math.
pub fn math_spans(markdown: &str) -> Vec<(String, bool)> {
    parser(markdown)
        .filter_map(|e| match e {
            Event::InlineMath(s) => Some((s.to_string(), false)),
            Event::DisplayMath(s) => Some((s.to_string(), true)),
            _ => None,
        })
        .collect()
}

/// A number's minus after a separator (`,\ -2`, the components of a point) wrapped with its number,
/// `,\ {-2}`: MathML would otherwise take it for a subtraction and set it apart ("- 2"). Only the
/// MathML path needs this; LaTeX sets such a minus as a sign on its own, and may break the line
/// around it.
fn signs(latex: &str) -> std::borrow::Cow<'_, str> {
    const SEP: &str = ",\\ -";
    if !latex.contains(SEP) {
        return std::borrow::Cow::Borrowed(latex);
    }
    let mut out = String::with_capacity(latex.len() + 8);
    let mut rest = latex;
    while let Some(i) = rest.find(SEP) {
        out.push_str(&rest[..i]);
        let after = &rest[i + SEP.len()..];
        let mut n = after
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(after.len());
        if n == 0 {
            out.push_str(SEP);
            rest = after;
            continue;
        }
        // a power of ten belongs to the number: `-4.421 \times 10^{-7}`
        let pow = " \\times 10^{";
        if after[n..].starts_with(pow) {
            if let Some(close) = after[n + pow.len()..].find('}') {
                n += pow.len() + close + 1;
            }
        }
        out.push_str(",\\ {-");
        out.push_str(&after[..n]);
        out.push('}');
        rest = &after[n..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Converts one LaTeX formula to MathML.
pub fn mathml(latex: &str, display: bool) -> Result<String, String> {
    let conv = LatexToMathML::new(MathCoreConfig::default()).map_err(|e| format!("{e:?}"))?;
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    conv.convert_with_local_state(&signs(latex), mode)
        .map(|r| r.mathml)
        .map_err(|e| format!("cannot convert formula '{latex}' to MathML: {e:?}"))
}

/// Converts Markdown to an HTML fragment with MathML formulas.
pub fn to_html(markdown: &str) -> Result<String, String> {
    to_html_with(markdown, &BTreeMap::new())
}

/// As [`to_html`], with every image whose address is a key of `inline` replaced by that value (an
/// SVG document the caller drew, so the page stays one self-contained file); other images stay links.
pub fn to_html_with(markdown: &str, inline: &BTreeMap<String, String>) -> Result<String, String> {
    let conv = LatexToMathML::new(MathCoreConfig::default()).map_err(|e| format!("{e:?}"))?;
    let mut events = Vec::new();
    // inside an image that was inlined: its alternative text is dropped
    let mut skipping = false;
    for e in parser(markdown) {
        if skipping {
            skipping = !matches!(e, Event::End(TagEnd::Image));
            continue;
        }
        let ev = match e {
            Event::Start(Tag::Image { ref dest_url, .. })
                if inline.contains_key(dest_url.as_ref()) =>
            {
                skipping = true;
                let svg = &inline[dest_url.as_ref()];
                // the XML declaration has no place inside a page
                let svg = svg.trim_start_matches(|c| c != '<');
                let svg = match svg.strip_prefix("<?xml") {
                    Some(rest) => rest.split_once("?>").map_or(rest, |x| x.1),
                    None => svg,
                };
                Event::InlineHtml(CowStr::from(svg.trim().to_string()))
            }
            Event::InlineMath(s) => Event::InlineHtml(CowStr::from(
                conv.convert_with_local_state(&signs(&s), MathDisplay::Inline)
                    .map_err(|err| format!("cannot convert formula '{s}' to MathML: {err:?}"))?
                    .mathml,
            )),
            Event::DisplayMath(s) => Event::Html(CowStr::from(format!(
                "<span class=\"display\">{}</span>",
                conv.convert_with_local_state(&signs(&s), MathDisplay::Block)
                    .map_err(|err| format!("cannot convert formula '{s}' to MathML: {err:?}"))?
                    .mathml
            ))),
            // raw HTML can only come from text we did not write: show it, never run it
            Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
            other => other,
        };
        events.push(ev);
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_components_minus_is_a_sign() {
        assert_eq!(
            signs("\\left(-5,\\ -4.421 \\times 10^{-7}\\right)"),
            "\\left(-5,\\ {-4.421 \\times 10^{-7}}\\right)"
        );
        assert_eq!(signs("a,\\ -b"), "a,\\ -b");
        let m = mathml("\\left(-5,\\ -2\\right)", false).unwrap();
        // both minus signs are prefix operators with no space around them
        assert_eq!(
            m.matches("lspace=\"0\" rspace=\"0\">−</mo>").count(),
            2,
            "{m}"
        );
    }

    #[test]
    fn a_known_image_is_inlined_and_others_stay_links() {
        let svgs = BTreeMap::from([(
            "a.svg".to_string(),
            "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 1 1\"></svg>".to_string(),
        )]);
        let html = to_html_with("![alt *text*](a.svg)\n\n![other](b.svg)\n", &svgs).unwrap();
        assert!(
            html.contains("<p><svg viewBox=\"0 0 1 1\"></svg></p>"),
            "{html}"
        );
        assert!(!html.contains("text"), "{html}");
        assert!(
            html.contains("<img src=\"b.svg\" alt=\"other\" />"),
            "{html}"
        );
    }
}
