//! `statement`: the statement sheets students receive, in each language and format asked for, with
//! no answer (they are rendered from the exercise alone, without running it); with `--pdf` the LaTeX
//! ones compiled, with `--format docx` Word documents through pandoc. Everything is made before the
//! first file is written.

use super::io::{create_dir, write_all, Output};
use super::{docx, pdf, Failure};
use crate::render::{self, Format, Templates};
use crate::spec::Exercise;
use std::path::PathBuf;

/// `statement`, resolved.
pub(crate) struct StatementJob {
    pub(crate) exercise: Exercise,
    pub(crate) templates: Templates,
    /// Catalog codes, in order.
    pub(crate) langs: Vec<&'static str>,
    /// The text formats to write.
    pub(crate) formats: Vec<Format>,
    /// A folder, or standard output for exactly one language and one format.
    pub(crate) out: Output,
    /// Also compile each LaTeX sheet.
    pub(crate) pdf: bool,
    /// Also convert each Markdown sheet to Word.
    pub(crate) docx: bool,
}

impl StatementJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let ex = &self.exercise;
        let folder = match &self.out {
            Output::Path(p) => p.clone(),
            Output::Stdout => PathBuf::new(),
        };
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let pandoc = if self.docx {
            Some(docx::find_pandoc().map_err(Failure::input)?)
        } else {
            None
        };
        let engine = if self.pdf {
            Some(pdf::find_engine().map_err(Failure::input)?)
        } else {
            None
        };
        for lang in &self.langs {
            let name = |ext: &str| folder.join(format!("statement-{lang}.{ext}"));
            for f in &self.formats {
                let text = render::render_statement(&self.templates, ex, lang, *f)
                    .map_err(Failure::input)?;
                if *f == Format::Latex {
                    if let Some(engine) = &engine {
                        let bytes = pdf::compile(engine, &text).map_err(|e| {
                            Failure::input(format!("{}: {e}", name("tex").display()))
                        })?;
                        files.push((name("pdf"), bytes));
                    }
                }
                files.push((name(f.ext()), text.into_bytes()));
            }
            if let Some(pandoc) = &pandoc {
                let md = render::render_statement(&self.templates, ex, lang, Format::Markdown)
                    .map_err(Failure::input)?;
                let bytes = docx::convert(pandoc, &md, &[])
                    .map_err(|e| Failure::input(format!("statement-{lang}.docx: {e}")))?;
                files.push((name("docx"), bytes));
            }
        }
        if self.out == Output::Stdout {
            let text = files.pop().map(|(_, t)| t).unwrap_or_default();
            return String::from_utf8(text).map_err(|e| Failure::input(e.to_string()));
        }
        create_dir(&folder)?;
        let all: Vec<(PathBuf, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.clone(), b.as_slice()))
            .collect();
        write_all(&all)?;
        for (path, _) in &all {
            eprintln!("wrote {}", path.display());
        }
        Ok(String::new())
    }
}
