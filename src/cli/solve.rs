//! `solve`: the answer sheets of every problem in each language and format asked for, with the NumPy
//! code of part (b) beside them and, with `--pdf`, the LaTeX sheets compiled. Everything is rendered
//! (and compiled) before the first file is written, so a failure leaves nothing half done.

use super::io::{create_dir, write_all, Output};
use super::Failure;
use super::{docx, pdf};
use crate::render::{self, Format, Templates};
use crate::solution;
use crate::spec::Exercise;
use crate::vanishing::report;
use std::path::PathBuf;

/// `solve`, resolved.
pub(crate) struct SolveJob {
    pub(crate) exercise: Exercise,
    pub(crate) templates: Templates,
    /// Catalog codes, in order.
    pub(crate) langs: Vec<&'static str>,
    pub(crate) formats: Vec<Format>,
    /// A folder, or standard output for exactly one language and one format (and no PDF).
    pub(crate) out: Output,
    /// Significant digits printed.
    pub(crate) digits: u32,
    /// Also compile each LaTeX sheet (`formats` then holds LaTeX).
    pub(crate) pdf: bool,
    /// Also convert each Markdown sheet to a Word document with pandoc.
    pub(crate) docx: bool,
    /// Also write each problem's NumPy code in each language.
    pub(crate) with_code: bool,
    /// The folder of exercise 5's results (`--vanishing`), for an exercise that has exercise 5.
    pub(crate) vanishing: Option<PathBuf>,
}

/// `s` as one shell word: as is when it is made of safe characters, else in single quotes.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-+=:,@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The command that makes exercise 5's results of `ex` in `dir`.
fn vanishing_command(ex: &Exercise, dir: &std::path::Path) -> String {
    let mut cmd = String::from("stepwise vanishing");
    if ex.source != crate::spec::BUILTIN_NAME {
        cmd.push(' ');
        cmd.push_str(&shell_word(&ex.source));
    }
    cmd.push_str(" --out ");
    cmd.push_str(&shell_word(&dir.display().to_string()));
    cmd
}

/// What the sheets of every language are made from: computed once, read by each language's thread.
struct Made<'a> {
    renderer: &'a render::Renderer,
    drawings: &'a render::Drawings,
    solution: &'a solution::Solution,
    section: Option<&'a report::Section>,
    worked: &'a render::view::Worked,
}

impl SolveJob {
    /// The sheets of one language in every format asked for, and its code files.
    fn language(
        &self,
        made: &Made<'_>,
        lang: &str,
        folder: &std::path::Path,
    ) -> Result<Vec<(PathBuf, String)>, Failure> {
        let ex = &self.exercise;
        let Made {
            renderer,
            drawings,
            solution,
            section,
            worked,
        } = *made;
        let code = renderer.codes(ex, solution, lang).map_err(Failure::input)?;
        let sheets = renderer
            .sheets(
                ex,
                solution,
                Some(drawings),
                section,
                &code,
                lang,
                &self.formats,
                self.digits,
                worked,
            )
            .map_err(Failure::input)?;
        let mut files: Vec<(PathBuf, String)> = self
            .formats
            .iter()
            .zip(sheets)
            .map(|(f, text)| (folder.join(format!("solution-{lang}.{}", f.ext())), text))
            .collect();
        if self.with_code {
            for (p, c) in ex.problems.iter().zip(code) {
                files.push((folder.join(render::code::file_name(p, lang)), c));
            }
        }
        Ok(files)
    }

    pub(crate) fn execute(self) -> Result<String, Failure> {
        let ex = &self.exercise;
        let folder = match &self.out {
            Output::Path(p) => p.clone(),
            Output::Stdout => PathBuf::new(),
        };
        // two strands side by side: the runs, then their figures beside the worked epochs that
        // every language's sheets share; and exercise 5's results (or how to make them) with
        // their figures, which need no run
        let (runs, vanishing) = rayon::join(
            || {
                let solution = solution::solve(ex).map_err(|e| Failure::input(e.to_string()))?;
                let (drawings, worked) = rayon::join(
                    || render::draw_runs(ex, &solution),
                    || render::view::worked(ex, &solution, self.digits),
                );
                Ok::<_, Failure>((solution, drawings.map_err(Failure::input)?, worked))
            },
            || {
                let section = match (&ex.vanishing, &self.vanishing) {
                    (Some(settings), Some(dir)) => Some(
                        report::section(settings, dir, &vanishing_command(ex, dir))
                            .map_err(|e| Failure::input(e.to_string()))?,
                    ),
                    _ => None,
                };
                let drawn = render::draw_vanishing(section.as_ref()).map_err(Failure::input)?;
                Ok::<_, Failure>((section, drawn))
            },
        );
        let ((solution, drawings, worked), (section, vanishing_drawn)) = (runs?, vanishing?);
        let drawings = drawings.with_vanishing(vanishing_drawn);
        let section = section.as_ref();
        // render everything first: a failure leaves nothing written. Templates are compiled
        // once, and each language is rendered on its own thread.
        let renderer = render::Renderer::new(self.templates.clone());
        let made = Made {
            renderer: &renderer,
            drawings: &drawings,
            solution: &solution,
            section,
            worked: &worked,
        };
        let per_lang: Vec<Result<Vec<(PathBuf, String)>, Failure>> = std::thread::scope(|s| {
            let handles: Vec<_> = self
                .langs
                .iter()
                .map(|lang| {
                    let (job, folder, made) = (&self, &folder, &made);
                    s.spawn(move || job.language(made, lang, folder))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Failure::input("a rendering thread failed")))
                })
                .collect()
        });
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        for f in per_lang {
            files.extend(f?);
        }
        if self.out == Output::Stdout {
            return Ok(files.pop().map(|(_, t)| t).unwrap_or_default());
        }
        let mut binaries: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        // the Markdown sheets link the figures' SVG files (the HTML and LaTeX sheets carry them)
        if self.formats.contains(&Format::Markdown) {
            for (name, svg) in drawings.files(ex) {
                files.push((folder.join(name), svg));
            }
        }
        // every epoch of a run whose table shows a sample
        for (name, csv) in render::trajectory_files(ex, &solution) {
            files.push((folder.join(name), csv));
        }
        // Word documents, converted from the Markdown sheets with their figures
        if self.docx {
            let pandoc = docx::find_pandoc().map_err(Failure::input)?;
            let figures = drawings.files(ex);
            for lang in &self.langs {
                let md = render::render_sheet(
                    &self.templates,
                    ex,
                    &solution,
                    section,
                    lang,
                    Format::Markdown,
                    self.digits,
                )
                .map_err(Failure::input)?;
                let bytes = docx::convert(&pandoc, &md, &figures)
                    .map_err(|e| Failure::input(format!("solution-{lang}.docx: {e}")))?;
                binaries.push((folder.join(format!("solution-{lang}.docx")), bytes));
            }
        }
        let pdf_tool = if self.pdf {
            Some(pdf::find_engine().map_err(Failure::input)?)
        } else {
            None
        };
        create_dir(&folder)?;
        let mut pdfs = binaries;
        if let Some(engine) = &pdf_tool {
            for (path, text) in files
                .iter()
                .filter(|(p, _)| p.extension().is_some_and(|e| e == "tex"))
            {
                let bytes = pdf::compile(engine, text)
                    .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
                pdfs.push((path.with_extension("pdf"), bytes));
            }
        }
        let all: Vec<(PathBuf, &[u8])> = files
            .iter()
            .map(|(p, t)| (p.clone(), t.as_bytes()))
            .chain(pdfs.iter().map(|(p, b)| (p.clone(), b.as_slice())))
            .collect();
        write_all(&all)?;
        for (path, _) in &all {
            eprintln!("wrote {}", path.display());
        }
        Ok(String::new())
    }
}
