//! The quiz section of the sheet: every question with its options, its answer and why.

use crate::quiz::Verdict;
use crate::render::catalog::Catalog;
use crate::render::verdict::{self, Style};
use crate::spec::{option_letter, Exercise};
use serde::Serialize;

/// One quiz question with its answer.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    /// 1-based.
    pub number: usize,
    /// User text (escaped by the template).
    pub text: String,
    /// The options.
    pub options: Vec<ChoiceView>,
    /// The answer's letter, or a dash.
    pub answer: String,
    /// Why: catalog text with inline math.
    pub verdict: String,
    /// The exercise's explanation, user text (escaped by the template).
    pub explain: String,
}

/// One option.
#[derive(Debug, Serialize)]
pub struct ChoiceView {
    /// A, B, ...
    pub letter: String,
    /// User text (escaped by the template).
    pub text: String,
}

pub(super) fn quiz_view(
    ex: &Exercise,
    key: &[Verdict],
    cat: &Catalog,
    digits: u32,
) -> Vec<QuestionView> {
    let lang = cat.lang();
    ex.quiz
        .iter()
        .zip(key)
        .map(|(q, v)| QuestionView {
            number: q.number,
            text: q.text.get(lang).to_string(),
            options: q
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| ChoiceView {
                    letter: option_letter(i).to_string(),
                    text: o.text.get(lang).to_string(),
                })
                .collect(),
            answer: v.answer.map_or_else(|| "—".to_string(), String::from),
            verdict: verdict::sentence(v, cat, Style::Math { digits }),
            explain: q
                .explain
                .as_ref()
                .map_or_else(String::new, |e| e.get(lang).to_string()),
        })
        .collect()
}
