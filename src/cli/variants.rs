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
}

impl VariantsJob {
    pub(crate) fn execute(self) -> Result<String, Failure> {
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
