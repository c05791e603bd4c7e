//! From the parsed command line to the work to do, in one place: [`Job::resolve`] loads the exercise,
//! selects the problems, checks the epochs, reads the key file, loads the templates and turns each
//! option into the value its command uses, so that a [`Job`] holds everything its command needs and
//! every bad input found before any work is reported here. The commands (`run.rs`, `solve.rs`, ...)
//! execute resolved jobs. Two checks stay with their command so that errors come in the order they
//! always did: trace's `--epoch` range (after the trace, whose own error comes first) and the search
//! for `xelatex` (after the sheets render).

use super::args::{Command, Dtype, ExerciseArg, ExportTo, Lang, Langs, ProblemArg, SheetFormat};
use super::code::CodeJob;
use super::compare::CompareJob;
use super::export::ExportJob;
use super::io::{load_exercise, read_text, Output};
use super::key::{CheckKeyJob, KeyJob};
use super::misc::InitJob;
use super::run::{RunJob, TraceJob};
use super::solve::SolveJob;
use super::statement::StatementJob;
use super::vanishing::VanishingJob;
use super::variants::VariantsJob;
use super::Failure;
use crate::quiz::keyfile;
use crate::render::catalog::Catalog;
use crate::render::{self, Format};
use crate::spec::{self, Exercise, MAX_EPOCHS};
use std::path::Path;

/// The compiled-in catalog of a language.
fn catalog(lang: Lang) -> Result<Catalog, Failure> {
    Catalog::builtin(lang.code()).map_err(Failure::input)
}

/// A command with its inputs resolved.
pub(crate) enum Job {
    Run(RunJob),
    Trace(TraceJob),
    Solve(SolveJob),
    Statement(StatementJob),
    Code(CodeJob),
    Compare(CompareJob),
    Key(KeyJob),
    CheckKey(CheckKeyJob),
    Export(ExportJob),
    Variants(VariantsJob),
    Vanishing(VanishingJob),
    List,
    Init(InitJob),
}

impl Job {
    /// Resolves `command`; the first bad input fails.
    pub(crate) fn resolve(command: Command) -> Result<Job, Failure> {
        Ok(match command {
            Command::Run {
                exercise,
                problem,
                epochs,
                format,
                digits,
            } => {
                let exercise = load(&exercise)?;
                let problems = select(&exercise, problem.as_deref())?
                    .into_iter()
                    .map(|i| {
                        let n = epochs.unwrap_or(exercise.problems[i].tabulated_epochs);
                        check_epochs(n).map(|n| (i, n))
                    })
                    .collect::<Result<_, _>>()?;
                Job::Run(RunJob {
                    exercise,
                    problems,
                    format,
                    digits,
                })
            }
            Command::Trace {
                exercise,
                problem,
                epoch,
                epochs,
                format: _,
            } => {
                let exercise = load(&exercise)?;
                let problem = select_one(&exercise, &problem)?;
                let p = &exercise.problems[problem];
                let epochs = check_epochs(epochs.unwrap_or(p.tabulated_epochs))?;
                if let Some(k) = epoch {
                    if k == 0 || k > epochs {
                        return Err(Failure::input(format!(
                            "--epoch must be from 1 to {epochs}, the epochs problem '{}' runs (--epochs runs more), got {k}",
                            p.id
                        )));
                    }
                }
                Job::Trace(TraceJob {
                    exercise,
                    problem,
                    epochs,
                    epoch,
                })
            }
            Command::Solve {
                exercise,
                lang,
                format,
                out,
                digits,
                templates,
                pdf,
                vanishing,
            } => {
                let mut job = resolve_solve(
                    &exercise,
                    lang,
                    format,
                    Output::new(out),
                    digits,
                    templates.as_deref(),
                    pdf,
                )?;
                job.vanishing = Some(vanishing);
                Job::Solve(job)
            }
            Command::Statement {
                exercise,
                lang,
                format,
                out,
                templates,
                pdf,
            } => {
                let solve = resolve_solve(
                    &exercise,
                    lang,
                    format,
                    Output::new(out),
                    10,
                    templates.as_deref(),
                    pdf,
                )?;
                Job::Statement(StatementJob {
                    exercise: solve.exercise,
                    templates: solve.templates,
                    langs: solve.langs,
                    formats: solve.formats,
                    out: solve.out,
                    pdf: solve.pdf,
                    docx: solve.docx,
                })
            }
            Command::Compare {
                exercise,
                problem,
                conventions,
                epochs,
                format,
                digits,
            } => {
                let exercise = load(&exercise)?;
                let problem = select_one(&exercise, &problem)?;
                let epochs =
                    check_epochs(epochs.unwrap_or(exercise.problems[problem].tabulated_epochs))?;
                Job::Compare(CompareJob {
                    exercise,
                    problem,
                    conventions,
                    epochs,
                    format,
                    digits,
                })
            }
            Command::Code {
                exercise,
                problem,
                dtype,
                lang,
                templates,
            } => {
                let exercise = load(&exercise)?;
                let problem = select_one(&exercise, &problem)?;
                Job::Code(CodeJob {
                    exercise,
                    problem,
                    templates: load_templates(templates.as_deref())?,
                    dtype: match dtype {
                        Dtype::Float32 => render::code::Dtype::F32,
                        Dtype::Float64 => render::code::Dtype::F64,
                    },
                    lang: lang.code(),
                })
            }
            Command::Key {
                exercise,
                format,
                lang,
            } => Job::Key(KeyJob {
                exercise: with_quiz(load(&exercise)?)?,
                format,
                catalog: catalog(lang)?,
            }),
            Command::CheckKey {
                keyfile,
                exercise,
                lang,
            } => {
                let exercise = load(&exercise)?;
                let text = read_text(&keyfile)?;
                let name = keyfile.display().to_string();
                let lines = keyfile::parse(&name, &text, &exercise.quiz).map_err(Failure::input)?;
                Job::CheckKey(CheckKeyJob {
                    exercise,
                    lines,
                    catalog: catalog(lang)?,
                })
            }
            Command::Export {
                exercise,
                to,
                lang,
                numerical,
                variants,
                out,
            } => Job::Export(ExportJob {
                source: match variants {
                    Some(dir) => super::export::read_variants(&dir)?,
                    None => super::export::Source::Exercise(Box::new(with_quiz(load(&exercise)?)?)),
                },
                target: match to {
                    ExportTo::Moodle => render::export::Target::Moodle,
                    ExportTo::Gift => render::export::Target::Gift,
                },
                catalog: catalog(lang)?,
                numerical,
                out: Output::new(out),
            }),
            Command::Variants {
                exercise,
                count,
                seed,
                out,
                force,
            } => Job::Variants(VariantsJob {
                exercise: load(&exercise)?,
                count,
                seed,
                out,
                force,
            }),
            Command::Vanishing {
                exercise,
                epochs,
                optimizers,
                data,
                out,
                seed,
                threads,
                resume,
                save_init,
            } => {
                let exercise = load(&exercise)?;
                let mut settings = exercise.vanishing.clone().unwrap_or_default();
                if let Some(n) = epochs {
                    settings.epochs = check_epochs(n)?;
                }
                if let Some(s) = seed {
                    settings.seed = s;
                }
                if !optimizers.is_empty() {
                    let mut chosen: Vec<spec::VanishingOptimizer> = Vec::new();
                    for name in &optimizers {
                        if chosen.iter().any(|o| &o.name == name) {
                            return Err(Failure::input(format!(
                                "--optimizers names '{name}' twice"
                            )));
                        }
                        chosen.push(match settings.optimizers.iter().find(|o| &o.name == name) {
                            Some(o) => o.clone(),
                            None => spec::vanishing_optimizer(name, &settings.lr, &[])
                                .map_err(|e| Failure::input(format!("--optimizers: {e}")))?,
                        });
                    }
                    settings.optimizers = chosen;
                }
                let threads = match threads {
                    Some(0) => return Err(Failure::input("--threads must be at least 1, got 0")),
                    Some(t) => t,
                    None => std::thread::available_parallelism().map_or(1, |n| n.get()),
                };
                Job::Vanishing(VanishingJob {
                    plan: crate::vanishing::Plan::new(settings, threads),
                    data,
                    out,
                    resume,
                    save_init,
                })
            }
            Command::List => Job::List,
            Command::Init { path, force } => {
                let out = Output::new(path);
                if let Output::Path(p) = &out {
                    if p.exists() && !force {
                        return Err(Failure::input(format!(
                            "{}: already exists (use --force to replace it)",
                            p.display()
                        )));
                    }
                }
                Job::Init(InitJob { out })
            }
        })
    }
}

fn resolve_solve(
    exercise: &ExerciseArg,
    lang: Langs,
    format: SheetFormat,
    out: Output,
    digits: u32,
    templates: Option<&Path>,
    pdf: bool,
) -> Result<SolveJob, Failure> {
    let exercise = load(exercise)?;
    let templates = load_templates(templates)?;
    let langs: Vec<&'static str> = match lang {
        Langs::One(l) => vec![l.code()],
        Langs::All => render::catalog::LANGS.to_vec(),
    };
    let formats: Vec<Format> = match format {
        SheetFormat::Md => vec![Format::Markdown],
        SheetFormat::Tex => vec![Format::Latex],
        SheetFormat::Html => vec![Format::Html],
        SheetFormat::Docx => vec![],
        SheetFormat::All => Format::ALL.to_vec(),
    };
    let docx = format == SheetFormat::Docx;
    let to_stdout = out == Output::Stdout;
    if to_stdout && docx {
        return Err(Failure::input(
            "--format docx writes a file: give an output folder, not -o -",
        ));
    }
    if to_stdout && (langs.len() != 1 || formats.len() != 1) {
        return Err(Failure::input(
            "-o - writes one sheet: choose one --lang and one --format",
        ));
    }
    if to_stdout && pdf {
        return Err(Failure::input("--pdf needs an output folder, not -o -"));
    }
    if pdf && !formats.contains(&Format::Latex) {
        return Err(Failure::input(
            "--pdf needs the LaTeX sheet: use --format tex or all",
        ));
    }
    Ok(SolveJob {
        exercise,
        templates,
        langs,
        formats,
        // the NumPy code of part (b) goes beside the sheets when every format is asked for
        with_code: !to_stdout,
        out,
        digits,
        pdf,
        docx,
        vanishing: None,
    })
}

fn load(arg: &ExerciseArg) -> Result<Exercise, Failure> {
    load_exercise(arg.file.as_deref())
}

fn load_templates(dir: Option<&Path>) -> Result<render::Templates, Failure> {
    render::Templates::new(dir).map_err(|e| Failure::input(e.to_string()))
}

/// The exercise, when it has a quiz.
fn with_quiz(ex: Exercise) -> Result<Exercise, Failure> {
    if ex.quiz.is_empty() {
        return Err(Failure::input(format!(
            "{}: the exercise has no [[quiz]]",
            ex.source
        )));
    }
    Ok(ex)
}

/// The indexes of the problems to run: every problem, or the one named `id`.
fn select(ex: &Exercise, id: Option<&str>) -> Result<Vec<usize>, Failure> {
    match id {
        None => Ok((0..ex.problems.len()).collect()),
        Some(id) => match ex.problems.iter().position(|p| p.id == id) {
            Some(i) => Ok(vec![i]),
            None => {
                let ids: Vec<&str> = ex.problems.iter().map(|p| p.id.as_str()).collect();
                Err(Failure::input(format!(
                    "no problem '{id}' in {}: expected one of {}",
                    ex.source,
                    ids.join(", ")
                )))
            }
        },
    }
}

/// The index of the problem `--problem` names.
fn select_one(ex: &Exercise, arg: &ProblemArg) -> Result<usize, Failure> {
    Ok(select(ex, Some(&arg.problem))?
        .first()
        .copied()
        .unwrap_or_default())
}

/// The one rule for `--epochs`, whatever the command: from 1 to the exercise files' own limit.
fn check_epochs(n: u64) -> Result<u64, Failure> {
    if n == 0 || n > MAX_EPOCHS {
        return Err(Failure::input(format!(
            "--epochs must be from 1 to {MAX_EPOCHS}, got {n}"
        )));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::super::args::Lang;
    use super::*;
    use crate::spec;

    #[test]
    fn a_problem_is_selected_by_id_or_refused_with_the_ids() {
        let ex = spec::builtin();
        assert_eq!(select(&ex, None).ok(), Some(vec![0, 1, 2, 3]));
        assert_eq!(select(&ex, Some("adam")).ok(), Some(vec![3]));
        assert_eq!(
            select(&ex, Some("sgd")).err().map(|f| f.message),
            Some(format!(
                "no problem 'sgd' in {}: expected one of gd, momentum, rmsprop, adam",
                ex.source
            ))
        );
    }

    #[test]
    fn epochs_past_the_bound_are_refused() {
        assert_eq!(check_epochs(MAX_EPOCHS).ok(), Some(MAX_EPOCHS));
        assert_eq!(
            check_epochs(MAX_EPOCHS + 1)
                .err()
                .map(|f| (f.message, f.code)),
            Some((
                format!(
                    "--epochs must be from 1 to {MAX_EPOCHS}, got {}",
                    MAX_EPOCHS + 1
                ),
                2
            ))
        );
    }

    #[test]
    fn langs_are_the_catalogs() {
        assert_eq!(
            [Lang::Vi.code(), Lang::En.code()].as_slice(),
            render::catalog::LANGS
        );
    }
}
