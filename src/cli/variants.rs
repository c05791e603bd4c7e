//! `variants`: per-student variants of the exercise, each in its own folder with its exercise file,
//! its key, the statement students receive and the answer sheet (Markdown, in every language), and
//! the NumPy code the sheets link. Variant sheets have no figures: drawing them would cost about as
//! much as the rest of a variant's sheets, and double what is written.
//!
//! Variants are made and rendered in parallel, a chunk at a time, and each variant's files are
//! written as soon as it is rendered, into a hidden staging folder inside `--out`; when every
//! variant is written, one sync makes them durable, the folders of an earlier run are removed, and
//! each new folder is renamed into place. A failure leaves `--out` as it was.

use super::io::{is_staging, write_staged, Staging};
use super::Failure;
use crate::render::{self, Format, Renderer};
use crate::spec::{self, Exercise};
use crate::variants::{Solved, VariantError};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

impl From<VariantError> for Failure {
    fn from(e: VariantError) -> Failure {
        Failure::input(e.to_string())
    }
}

/// `variants`, resolved.
pub(crate) struct VariantsJob {
    pub(crate) exercise: Exercise,
    /// How many variants.
    pub(crate) count: usize,
    pub(crate) seed: u64,
    /// The folder that receives one subfolder per variant.
    pub(crate) out: PathBuf,
    /// Write even if the folder holds files stepwise did not write.
    pub(crate) force: bool,
}

/// Whether `name` is a variant folder stepwise writes (`variant-001`).
pub(crate) fn is_variant_folder(name: &str) -> bool {
    name.strip_prefix("variant-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The variant folders of an earlier run in `out`, after checking that nothing else is there (unless
/// `force`).
fn earlier_runs(out: &std::path::Path, force: bool) -> Result<Vec<PathBuf>, Failure> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(Vec::new());
    };
    let mut old = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() && (is_variant_folder(&name) || is_staging(&name)) {
            old.push(e.path());
        } else if !force {
            return Err(Failure::input(format!(
                "{}: holds '{name}', which stepwise did not write: choose an empty folder, or use --force to write beside it",
                out.display()
            )));
        }
    }
    Ok(old)
}

/// The files of one variant, `(file name, text)`: exercise file, key, and in each language the
/// statement, the answer sheet and each problem's NumPy code.
pub(crate) fn variant_files(
    renderer: &Renderer,
    solved: &Solved,
) -> Result<Vec<(String, String)>, Failure> {
    let ex = &solved.variant.exercise;
    let sol = &solved.solution;
    let mut files = vec![("exercise.toml".to_string(), spec::to_toml(ex))];
    let key: String = sol
        .key
        .iter()
        .map(|k| format!("{}: {}\n", k.number, k.answer.map_or('-', |c| c)))
        .collect();
    files.push(("key.txt".to_string(), key));
    // the worked epochs are the same mathematics in every language: derived once
    let worked = render::view::worked(ex, sol, 10);
    for lang in render::catalog::LANGS {
        let statement = renderer
            .statement(ex, lang, Format::Markdown)
            .map_err(Failure::input)?;
        files.push((format!("statement-{lang}.md"), statement));
        let code = renderer.codes(ex, sol, lang).map_err(Failure::input)?;
        let md = renderer
            .sheets(
                ex,
                sol,
                None,
                None,
                &code,
                lang,
                &[Format::Markdown],
                10,
                &worked,
            )
            .map_err(Failure::input)?
            .concat();
        files.push((format!("solution-{lang}.md"), md));
        // the code files the sheet links
        for (p, code) in ex.problems.iter().zip(code) {
            files.push((render::code::file_name(p, lang), code));
        }
    }
    // every epoch of a run whose table shows a sample, which the sheet links too
    files.extend(render::trajectory_files(ex, sol));
    Ok(files)
}

/// The folder name of variant `number` among `count`.
fn folder_name(number: usize, count: usize) -> String {
    let width = count.to_string().len().max(3);
    format!("variant-{number:0width$}")
}

impl VariantsJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let stale = earlier_runs(&self.out, self.force)?;
        let renderer = Renderer::new(render::Templates::default());
        let staging = Staging::new(&self.out)?;
        let count = self.count;
        let write = |solved: &Solved| -> Result<(), Failure> {
            let dir = staging
                .path()
                .join(folder_name(solved.variant.number, count));
            std::fs::create_dir(&dir).map_err(|e| {
                Failure::input(format!(
                    "{}: cannot create: {}",
                    dir.display(),
                    super::io::io_reason(&e)
                ))
            })?;
            for (name, text) in variant_files(&renderer, solved)? {
                write_staged(&dir.join(name), text.as_bytes())?;
            }
            Ok(())
        };
        let mut made = 0;
        crate::variants::generate_each(&self.exercise, count, self.seed, |chunk| {
            made += chunk.len();
            chunk.par_iter().try_for_each(write)
        })?;
        // everything written: the folders of an earlier run give way to this one's
        staging.publish(|| remove_all(&stale))?;
        eprintln!("wrote {made} variants into {}", self.out.display());
        Ok(String::new())
    }
}

/// Removes the folders of an earlier run.
fn remove_all(stale: &[PathBuf]) -> Result<(), Failure> {
    for d in stale {
        remove(d)?;
    }
    Ok(())
}

fn remove(d: &Path) -> Result<(), Failure> {
    std::fs::remove_dir_all(d).map_err(|e| {
        Failure::input(format!(
            "{}: cannot remove: {}",
            d.display(),
            super::io::io_reason(&e)
        ))
    })
}
