//! A grader's key file, as people and spreadsheets save it: one answer a line, the question's number
//! then its letter, separated by `:`, `.`, `)`, `,`, `;`, a tab or spaces (`5: A`, `5 : a`, `5. A`,
//! `5) A`, `q5 A`, `"5";"A"`), with or without a UTF-8 byte-order mark and CRLF line ends, and an
//! optional header line before the first answer (`question,answer`, `Câu;Đáp án`). Blank lines and
//! lines starting with `#` are skipped. [`parse`] checks every answer against the quiz (the question
//! exists, the letter is one of its options, no question is answered twice) and keeps its line number;
//! an error names the file, the line and the column.

use crate::spec::{letter_index, option_letter, Question};

/// One answer read from a key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyLine {
    /// 1-based line number in the file.
    pub line: usize,
    /// The question's number.
    pub question: usize,
    /// The answer, an upper-case option letter of that question.
    pub answer: char,
}

/// Why a key file cannot be used. Each message is one line that starts with `file:line:column` (or
/// `file` when no line is at fault).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFileError {
    /// A line is not `NUMBER: LETTER`.
    #[error("{file}:{line}:{column}: expected 'NUMBER: LETTER', as in '5: A', found '{found}'")]
    Syntax {
        /// The key file's name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column where the line's text starts.
        column: usize,
        /// The line, trimmed.
        found: String,
    },
    /// A line names a question the quiz does not have.
    #[error("{file}:{line}:{column}: no question {question}: the quiz has {count}")]
    NoQuestion {
        /// The key file's name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column where the line's text starts.
        column: usize,
        /// The number given.
        question: usize,
        /// How many questions the quiz has.
        count: usize,
    },
    /// A line's letter is not one of its question's options.
    #[error(
        "{file}:{line}:{column}: question {question}: '{letter}' is not an option (A to {last})"
    )]
    NotAnOption {
        /// The key file's name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column of the letter.
        column: usize,
        /// The question.
        question: usize,
        /// The letter as given.
        letter: String,
        /// The question's last option letter.
        last: char,
    },
    /// A question is answered on two lines.
    #[error(
        "{file}:{line}:{column}: question {question} is answered twice: on line {first} and here"
    )]
    Twice {
        /// The key file's name.
        file: String,
        /// 1-based line of the second answer.
        line: usize,
        /// 1-based column where that line's text starts.
        column: usize,
        /// The question.
        question: usize,
        /// The line of the first answer.
        first: usize,
    },
    /// No line gives an answer.
    #[error("{file}: no answers in the key file")]
    Empty {
        /// The key file's name.
        file: String,
    },
}

/// The fields of a line: split at the separators, quotes around a field removed, empty fields
/// dropped; each with its 1-based character column.
fn fields(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    for (col, c) in line.chars().enumerate() {
        if matches!(c, ':' | '.' | ')' | ',' | ';' | '\t' | ' ') {
            if !cur.is_empty() {
                out.push((start + 1, std::mem::take(&mut cur)));
            }
        } else if c == '"' || c == '\'' {
            // quotes only delimit
        } else {
            if cur.is_empty() {
                start = col;
            }
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push((start + 1, cur));
    }
    out
}

/// A question number as written: `5`, `q5`, `Q5`.
fn number(field: &str) -> Option<usize> {
    field.trim_start_matches(['q', 'Q']).parse().ok()
}

/// Reads the key file `text` (named `file` in errors) against the questions of `quiz`: every answer
/// in file order, or the first line at fault.
pub fn parse(file: &str, text: &str, quiz: &[Question]) -> Result<Vec<KeyLine>, KeyFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<KeyLine> = Vec::new();
    let mut header_allowed = true;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let lineno = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // columns count characters, from 1
        let indent = raw.chars().count() - raw.trim_start().chars().count();
        let mut f = fields(line);
        // a word before the number: `Câu 5: A`, `Question 5: A`
        if f.len() >= 3 && number(&f[0].1).is_none() && number(&f[1].1).is_some() {
            f.remove(0);
        }
        let start = indent + 1;
        let syntax = || KeyFileError::Syntax {
            file: file.to_string(),
            line: lineno,
            column: start,
            found: line.to_string(),
        };
        let first = f.first().map(|(_, x)| x.as_str()).unwrap_or("");
        let Some(n) = number(first) else {
            // a header: words only (no number, no lone letter), before the first answer
            if header_allowed
                && f.iter()
                    .all(|(_, x)| number(x).is_none() && x.chars().count() > 1)
            {
                header_allowed = false;
                continue;
            }
            return Err(syntax());
        };
        header_allowed = false;
        let Some(q) = quiz.iter().find(|q| q.number == n) else {
            return Err(KeyFileError::NoQuestion {
                file: file.to_string(),
                line: lineno,
                column: start,
                question: n,
                count: quiz.len(),
            });
        };
        if let Some(prev) = lines.iter().find(|l| l.question == n) {
            return Err(KeyFileError::Twice {
                file: file.to_string(),
                line: lineno,
                column: start,
                question: n,
                first: prev.line,
            });
        }
        let rest: Vec<&(usize, String)> = f.iter().skip(1).collect();
        let (letter_col, letter) = match rest.as_slice() {
            [(c, l)] => (indent + c, l.clone()),
            [] => (indent + line.chars().count() + 1, String::new()),
            [(c, _), ..] => (
                indent + c,
                rest.iter()
                    .map(|(_, x)| x.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        let idx = (rest.len() <= 1)
            .then(|| letter_index(&letter))
            .flatten()
            .filter(|i| *i < q.options.len())
            .ok_or_else(|| KeyFileError::NotAnOption {
                file: file.to_string(),
                line: lineno,
                column: letter_col,
                question: n,
                letter: letter.clone(),
                last: option_letter(q.options.len().saturating_sub(1)),
            })?;
        lines.push(KeyLine {
            line: lineno,
            question: n,
            answer: option_letter(idx),
        });
    }
    if lines.is_empty() {
        return Err(KeyFileError::Empty {
            file: file.to_string(),
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;

    /// The built-in quiz: questions 1 to 14, options A to D.
    fn quiz() -> Vec<Question> {
        spec::builtin().quiz
    }

    fn answers(text: &str) -> Vec<(usize, usize, char)> {
        match parse("key.txt", text, &quiz()) {
            Ok(lines) => lines
                .iter()
                .map(|l| (l.line, l.question, l.answer))
                .collect(),
            Err(e) => panic!("{e}"),
        }
    }

    fn error(text: &str) -> String {
        match parse("key.txt", text, &quiz()) {
            Ok(lines) => panic!("read {lines:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reads_colon_space_and_comma_lines() {
        assert_eq!(
            answers("1: C\n2 B\n3,A\n4:D\n5\tb\n"),
            vec![
                (1, 1, 'C'),
                (2, 2, 'B'),
                (3, 3, 'A'),
                (4, 4, 'D'),
                (5, 5, 'B')
            ]
        );
    }

    #[test]
    fn takes_lower_case_letters_and_a_q_before_the_number() {
        assert_eq!(answers("q5: a\nQ6: d\n"), vec![(1, 5, 'A'), (2, 6, 'D')]);
    }

    #[test]
    fn skips_blank_and_comment_lines_keeping_line_numbers() {
        assert_eq!(
            answers("# the course key\n\n   \n  7: C  \r\n# done\n"),
            vec![(4, 7, 'C')]
        );
    }

    #[test]
    fn skips_a_csv_header_only_before_the_first_answer() {
        assert_eq!(
            answers("question,answer\n5,A\n6,D\n"),
            vec![(2, 5, 'A'), (3, 6, 'D')]
        );
        assert_eq!(answers("# key\nQuestion, Answer\n5,A\n"), vec![(3, 5, 'A')]);
        assert_eq!(
            error("5,A\nquestion,answer\n"),
            "key.txt:2:1: expected 'NUMBER: LETTER', as in '5: A', found 'question,answer'"
        );
        assert_eq!(answers("Câu;Đáp án\n5;A\n"), vec![(2, 5, 'A')]);
    }

    #[test]
    fn refuses_a_line_without_a_number() {
        assert_eq!(
            error("5: A\n  x: A\n"),
            "key.txt:2:3: expected 'NUMBER: LETTER', as in '5: A', found 'x: A'"
        );
    }

    #[test]
    fn refuses_a_question_the_quiz_lacks() {
        assert_eq!(
            error("5: A\n15: B\n"),
            "key.txt:2:1: no question 15: the quiz has 14"
        );
    }

    #[test]
    fn refuses_a_letter_that_is_not_an_option_at_its_column() {
        assert_eq!(
            error("5: A\n7 Z\n"),
            "key.txt:2:3: question 7: 'Z' is not an option (A to D)"
        );
        assert_eq!(
            error("  5,   e\n"),
            "key.txt:1:8: question 5: 'e' is not an option (A to D)"
        );
        assert_eq!(
            error("5:\n"),
            "key.txt:1:3: question 5: '' is not an option (A to D)"
        );
        assert_eq!(
            error("5: A B\n"),
            "key.txt:1:4: question 5: 'A B' is not an option (A to D)"
        );
    }

    #[test]
    fn reads_keys_as_spreadsheets_and_people_save_them() {
        // every shape gives question 5 answer A, question 6 answer D
        let shapes = [
            "5: A\n6: D\n",
            "\u{feff}5,A\r\n6,D\r\n",
            "5;A\n6;D\n",
            "\"5\",\"A\"\n\"6\",\"D\"\n",
            "\"5\";\"A\"\n\"6\";\"D\"\n",
            "question,answer\n5,A\n6,D\n",
            "\u{feff}\"question\";\"answer\"\r\n\"5\";\"a\"\r\n\"6\";\"d\"\r\n",
            "5 : A\n6 : D\n",
            "5. A\n6. D\n",
            "5) A\n6) D\n",
            "5 A\n6\tD\n",
            "q5 a\nQ6: d\n",
            "Câu 5: A\nCâu 6: D\n",
            "Question 5: A\nQuestion 6. D\n",
        ];
        for text in shapes {
            let got: Vec<(usize, char)> = answers(text).iter().map(|a| (a.1, a.2)).collect();
            assert_eq!(got, vec![(5, 'A'), (6, 'D')], "{text:?}");
        }
    }

    #[test]
    fn refuses_a_question_answered_twice_naming_both_lines() {
        assert_eq!(
            error("5: A\n6: B\n5: C\n"),
            "key.txt:3:1: question 5 is answered twice: on line 1 and here"
        );
    }

    #[test]
    fn the_first_fault_in_file_order_wins() {
        assert_eq!(
            error("15: A\nx: A\n"),
            "key.txt:1:1: no question 15: the quiz has 14"
        );
    }

    #[test]
    fn refuses_a_file_without_answers() {
        assert_eq!(
            error("# nothing\n\nquestion,answer\n"),
            "key.txt: no answers in the key file"
        );
        assert_eq!(error(""), "key.txt: no answers in the key file");
    }
}
