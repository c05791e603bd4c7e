//! `variants`: per-student variants of the exercise, each in its own folder with its exercise file,
//! its key and its Markdown answer sheets.

use super::io::{create_dir, write_all};
use super::Failure;
use crate::render::{self, Format};
use crate::solution;
use crate::spec::{self, Exercise};
use std::path::PathBuf;

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
fn is_variant_folder(name: &str) -> bool {
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
        if e.path().is_dir() && is_variant_folder(&name) {
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

impl VariantsJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
        let stale = earlier_runs(&self.out, self.force)?;
        let variants = crate::variants::generate(&self.exercise, self.count, self.seed)
            .map_err(|e| Failure::input(e.to_string()))?;
        let templates = render::Templates::default();
        let width = self.count.to_string().len().max(3);
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        for v in &variants {
            let dir = self.out.join(format!("variant-{:0width$}", v.number));
            let sol = solution::solve(&v.exercise).map_err(|e| Failure::input(e.to_string()))?;
            files.push((dir.join("exercise.toml"), spec::to_toml(&v.exercise)));
            let key: String = sol
                .key
                .iter()
                .map(|k| format!("{}: {}\n", k.number, k.answer.map_or('-', |c| c)))
                .collect();
            files.push((dir.join("key.txt"), key));
            for lang in render::catalog::LANGS {
                let md = render::render(&templates, &v.exercise, &sol, lang, Format::Markdown, 10)
                    .map_err(Failure::input)?;
                files.push((dir.join(format!("solution-{lang}.md")), md));
                // the code files the sheet links
                for (i, p) in v.exercise.problems.iter().enumerate() {
                    let code = render::render_code(
                        &templates,
                        &v.exercise,
                        i,
                        &sol.runs[i].trace,
                        lang,
                        render::code::Dtype::F32,
                    )
                    .map_err(Failure::input)?;
                    files.push((dir.join(render::code::file_name(p, lang)), code));
                }
            }
        }
        // everything rendered: the folders of an earlier run give way to this one's
        for d in &stale {
            std::fs::remove_dir_all(d).map_err(|e| {
                Failure::input(format!(
                    "{}: cannot remove: {}",
                    d.display(),
                    super::io::io_reason(&e)
                ))
            })?;
        }
        for (path, _) in &files {
            if let Some(d) = path.parent() {
                create_dir(d)?;
            }
        }
        let all: Vec<(PathBuf, &[u8])> = files
            .iter()
            .map(|(p, t)| (p.clone(), t.as_bytes()))
            .collect();
        write_all(&all)?;
        eprintln!(
            "wrote {} variants into {}",
            variants.len(),
            self.out.display()
        );
        Ok(String::new())
    }
}
