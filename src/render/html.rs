//! Markdown to HTML: one parser constructor, math spans converted to MathML (math-core), and raw HTML
//! never passed through (it is shown as text).

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CowStr, Event, Options, Parser};

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

/// Converts one LaTeX formula to MathML.
pub fn mathml(latex: &str, display: bool) -> Result<String, String> {
    let conv = LatexToMathML::new(MathCoreConfig::default()).map_err(|e| format!("{e:?}"))?;
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    conv.convert_with_local_state(latex, mode)
        .map(|r| r.mathml)
        .map_err(|e| format!("cannot convert formula '{latex}' to MathML: {e:?}"))
}

/// Converts Markdown to an HTML fragment with MathML formulas.
pub fn to_html(markdown: &str) -> Result<String, String> {
    let conv = LatexToMathML::new(MathCoreConfig::default()).map_err(|e| format!("{e:?}"))?;
    let mut events = Vec::new();
    for e in parser(markdown) {
        let ev = match e {
            Event::InlineMath(s) => Event::InlineHtml(CowStr::from(
                conv.convert_with_local_state(&s, MathDisplay::Inline)
                    .map_err(|err| format!("cannot convert formula '{s}' to MathML: {err:?}"))?
                    .mathml,
            )),
            Event::DisplayMath(s) => Event::Html(CowStr::from(format!(
                "<span class=\"display\">{}</span>",
                conv.convert_with_local_state(&s, MathDisplay::Block)
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
