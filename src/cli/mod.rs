//! The command line: argument parsing (clap), loading, and printing. Exit codes: 0 ok, 1 a check
//! failed, 2 bad input or an error.

use crate::number::{Num, SIG_DIGITS};
use crate::optim;
use crate::quiz;
use crate::render::{self, Format};
use crate::solution;
use crate::spec::{self, Exercise, MAX_EPOCHS};
use crate::trace;

mod pdf;
use clap::{Parser, Subcommand, ValueEnum};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Without FILE, every command uses the built-in course exercise: f(w1, w2) = 0.1 w1^2 + 2 w2^2 from
(-5, -2), with GD (lr 0.4), Momentum (lr 0.6, beta 0.5), RMSProp (lr 0.3, gamma 0.9, eps 1e-6) and
Adam (lr 0.2, beta1 0.9, beta2 0.999, eps 1e-6). `stepwise init` writes it out to edit.

Examples:
  stepwise solve                        answer sheets (vi, en; md, tex, html) into out/
  stepwise solve --lang vi --pdf        the Vietnamese sheets, with PDF (needs TeX Live)
  stepwise run                          every problem, 30 epochs, as a table
  stepwise run --problem adam --digits 28
  stepwise trace --problem rmsprop --epoch 2
  stepwise key                          the quiz's answers, each with its evidence
  stepwise check-key grader.txt         is a grader's key right? (exit 1 if not)
  stepwise export --to moodle -o quiz.xml
  stepwise variants -n 40 -s 2024       one exercise, sheet and key per student
  stepwise init my-exercise.toml        a commented exercise file to start from

Exit codes: 0 ok, 1 a check failed, 2 bad input.";

/// stepwise: exact, step-by-step worked solutions of optimization exercises.
#[derive(Parser, Debug)]
#[command(name = "stepwise", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the trajectory of each problem (the points after every epoch).
    Run {
        /// Exercise file (TOML); the built-in course exercise when left out.
        file: Option<PathBuf>,
        /// Only this problem (its id, e.g. `adam`).
        #[arg(long, short)]
        problem: Option<String>,
        /// Epochs to run [default: the problem's tabulated epochs].
        #[arg(long, short)]
        epochs: Option<u64>,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = RunFormat::Table)]
        format: RunFormat,
        /// Significant digits to print (1 to 28). Tables default to 10; csv and json print every digit.
        #[arg(long, short, value_parser = clap::value_parser!(u32).range(1..=28))]
        digits: Option<u32>,
    },
    /// Print the full record of a problem: every quantity of every epoch, exact, as JSON.
    Trace {
        /// Exercise file (TOML); the built-in course exercise when left out.
        file: Option<PathBuf>,
        /// The problem (its id, e.g. `adam`).
        #[arg(long, short)]
        problem: String,
        /// Only this epoch (1-based) [default: every epoch].
        #[arg(long)]
        epoch: Option<u64>,
        /// Epochs to run [default: the problem's tabulated epochs, or --epoch].
        #[arg(long, short)]
        epochs: Option<u64>,
        /// Output format (JSON only for now; the format is `stepwise-trace/1`, see the README).
        #[arg(long, short, value_enum, default_value_t = TraceFormat::Json)]
        format: TraceFormat,
    },
    /// Write the worked solution (answer sheets) of every problem: Markdown, LaTeX and HTML, in
    /// Vietnamese and English.
    #[command(after_help = SOLVE_HELP)]
    Solve {
        /// Exercise file (TOML); the built-in course exercise when left out.
        file: Option<PathBuf>,
        /// Language of the sheets.
        #[arg(long, short, value_enum, default_value_t = LangArg::All)]
        lang: LangArg,
        /// Format of the sheets.
        #[arg(long, short, value_enum, default_value_t = FormatArg::All)]
        format: FormatArg,
        /// Output folder; `-` writes one sheet (one --lang, one --format) to standard output.
        #[arg(long, short, default_value = "out")]
        out: PathBuf,
        /// Significant digits printed (1 to 28); the engine always carries 28.
        #[arg(long, short, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=28))]
        digits: u32,
        /// A folder whose files override the built-in templates (sheet.md, sheet.tex, page.html,
        /// i18n/vi.toml, i18n/en.toml).
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Also compile each LaTeX sheet to PDF with xelatex (needs TeX Live).
        #[arg(long)]
        pdf: bool,
    },
    /// Print the reference NumPy code of a problem (part b): runnable as is, printing every point
    /// of its tabulated epochs.
    Code {
        /// Exercise file (TOML); the built-in course exercise when left out.
        file: Option<PathBuf>,
        /// The problem (its id, e.g. `adam`).
        #[arg(long, short)]
        problem: String,
        /// Float type of the arrays (the course uses float32).
        #[arg(long, short, value_enum, default_value_t = DtypeArg::Float32)]
        dtype: DtypeArg,
        /// Language of the comments.
        #[arg(long, short, value_enum, default_value_t = OneLang::En)]
        lang: OneLang,
        /// A folder whose files override the built-in templates (code.py, i18n/*.toml).
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Print the computed key of the quiz: each question's answer, verdict and evidence.
    Key {
        /// Exercise file (TOML); the built-in course exercise when left out.
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = KeyFormat::Table)]
        format: KeyFormat,
    },
    /// Check a grader's key against the computed key. Exit 0 when every line agrees, 1 when one
    /// disagrees or names a defective or ambiguous question, 2 on bad input.
    #[command(after_help = CHECK_KEY_HELP)]
    CheckKey {
        /// The grader's key: one `NUMBER: LETTER` per line (`5: A`), or CSV `question,answer`.
        keyfile: PathBuf,
        /// Exercise file (TOML); the built-in course exercise when left out.
        file: Option<PathBuf>,
    },
    /// Export the quiz with its computed key for a learning platform (Moodle XML or GIFT).
    Export {
        /// Exercise file (TOML); the built-in course exercise when left out.
        file: Option<PathBuf>,
        /// Target format.
        #[arg(long, value_enum, default_value_t = ExportTo::Moodle)]
        to: ExportTo,
        /// Language of the questions.
        #[arg(long, short, value_enum, default_value_t = OneLang::En)]
        lang: OneLang,
        /// Computed and formula questions as numerical questions (exact value, tolerance) instead of
        /// multiple choice.
        #[arg(long)]
        numerical: bool,
        /// Output file; `-` for standard output.
        #[arg(long, short, default_value = "-")]
        out: PathBuf,
    },
    /// Generate per-student variants: numbers drawn from the exercise's [variants] ranges, each
    /// variant with its exercise file, answer sheets (Markdown) and key.
    Variants {
        /// Exercise file (TOML); the built-in course exercise when left out.
        file: Option<PathBuf>,
        /// How many variants.
        #[arg(long, short = 'n')]
        count: usize,
        /// Seed: the same seed gives the same variants.
        #[arg(long, short)]
        seed: u64,
        /// Output folder: one subfolder per variant.
        #[arg(long, short, default_value = "variants")]
        out: PathBuf,
    },
    /// List the optimizers with their hyperparameters, defaults and valid ranges.
    List,
    /// Write the built-in exercise as a commented file to start from.
    Init {
        /// Where to write it; `-` for standard output.
        #[arg(default_value = "exercise.toml")]
        path: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum RunFormat {
    /// Aligned columns for reading.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// JSON, exact values as strings.
    Json,
}

const SOLVE_HELP: &str = "\
Files: OUT/solution-<lang>.<md|tex|html> (and .pdf with --pdf), written only when every sheet rendered.

Examples:
  stepwise solve                           both languages, every format, into out/
  stepwise solve my.toml --lang vi --out sheets --pdf
  stepwise solve --lang en --format md -o -     one sheet to standard output";

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum LangArg {
    /// Vietnamese.
    Vi,
    /// English.
    En,
    /// Both.
    All,
}

const CHECK_KEY_HELP: &str = "\
Key file: one question a line, `5: A`, `5 A` or `5,A`; blank lines and lines starting with # are
skipped; a first line `question,answer` (CSV header) is skipped too.

Each line is reported as agree, disagree (with the computed answer), defective or ambiguous question
(the options themselves are at fault), with the evidence.";

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ExportTo {
    /// Moodle XML.
    Moodle,
    /// GIFT.
    Gift,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum KeyFormat {
    /// Aligned columns for reading.
    Table,
    /// JSON, with every option's comparison.
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum DtypeArg {
    /// np.float32, as in the course.
    Float32,
    /// np.float64.
    Float64,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OneLang {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum FormatArg {
    /// Markdown with $ math (GitHub, Jupyter).
    Md,
    /// A complete LaTeX document (XeLaTeX).
    Tex,
    /// One self-contained HTML page (MathML, no script).
    Html,
    /// Every format.
    All,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum TraceFormat {
    /// JSON, exact values as strings.
    Json,
}

/// A command's failure: the message and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// One line.
    pub message: String,
    /// 1 for a failed check, 2 for bad input.
    pub code: u8,
}

impl Failure {
    fn input(message: impl std::fmt::Display) -> Failure {
        Failure {
            message: message.to_string(),
            code: 2,
        }
    }
}

/// Loads an exercise file, or the built-in exercise when `file` is `None`.
pub fn load_exercise(file: Option<&Path>) -> Result<Exercise, Failure> {
    match file {
        None => {
            spec::load(spec::BUILTIN_NAME, spec::BUILTIN).map_err(|e| Failure::input(e.to_string()))
        }
        Some(p) => {
            let name = p.display().to_string();
            let src = std::fs::read_to_string(p)
                .map_err(|e| Failure::input(format!("{name}: cannot read: {}", io_reason(&e))))?;
            spec::load(&name, &src).map_err(|e| Failure::input(e.to_string()))
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    // "No such file or directory (os error 2)" -> "no such file or directory"
    let s = s.split(" (os error").next().unwrap_or(&s).to_string();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let name = path.display().to_string();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.stepwise-tmp"));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Failure::input(format!(
            "{name}: cannot write: {}",
            io_reason(&e)
        )));
    }
    Ok(())
}

fn problems<'a>(ex: &'a Exercise, id: Option<&str>) -> Result<Vec<&'a spec::Problem>, Failure> {
    match id {
        None => Ok(ex.problems.iter().collect()),
        Some(id) => match ex.problem(id) {
            Some(p) => Ok(vec![p]),
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

fn check_epochs(n: u64) -> Result<u64, Failure> {
    if n > MAX_EPOCHS {
        return Err(Failure::input(format!(
            "--epochs must be at most {MAX_EPOCHS}, got {n}"
        )));
    }
    Ok(n)
}

fn fmt_num(n: &Num, digits: u32) -> String {
    n.round_sig(digits.min(SIG_DIGITS)).to_compact()
}

fn cmd_run(
    file: Option<&Path>,
    problem: Option<&str>,
    epochs: Option<u64>,
    format: RunFormat,
    digits: Option<u32>,
) -> Result<String, Failure> {
    let ex = load_exercise(file)?;
    let mut out = String::new();
    let mut json = Vec::new();
    let digits_table = digits.unwrap_or(10);
    let digits_exact = digits.unwrap_or(SIG_DIGITS);
    if format == RunFormat::Csv {
        let vars: Vec<String> = (1..=ex.nvars()).map(|i| format!("w{i}")).collect();
        let _ = writeln!(out, "problem,epoch,{},f", vars.join(","));
    }
    for p in problems(&ex, problem)? {
        let n = check_epochs(epochs.unwrap_or(p.tabulated_epochs))?;
        let tr = trace::trace(&ex, p, n).map_err(|e| Failure::input(e.to_string()))?;
        let rows: Vec<(u64, &[Num], &Num)> = std::iter::once((0, tr.start.as_slice(), &tr.f_start))
            .chain(
                tr.epochs
                    .iter()
                    .map(|e| (e.epoch, e.after.as_slice(), &e.f)),
            )
            .collect();
        match format {
            RunFormat::Table => {
                let _ = writeln!(
                    out,
                    "{} ({}; {}), {} epochs, {}",
                    p.id,
                    optimizer_name(p.optimizer.id),
                    tr.hyperparameters
                        .iter()
                        .map(|h| format!("{} = {}", h.name, h.value))
                        .collect::<Vec<_>>()
                        .join(", "),
                    n,
                    tr.status.key()
                );
                let mut header = vec!["epoch".to_string()];
                header.extend(tr.variables.iter().cloned());
                header.push("f".into());
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|(t, w, f)| {
                        let mut r = vec![t.to_string()];
                        r.extend(w.iter().map(|x| fmt_num(x, digits_table)));
                        r.push(fmt_num(f, digits_table));
                        r
                    })
                    .collect();
                let widths: Vec<usize> = (0..header.len())
                    .map(|c| {
                        body.iter()
                            .map(|r| r[c].len())
                            .chain([header[c].len()])
                            .max()
                            .unwrap_or(0)
                    })
                    .collect();
                for r in std::iter::once(&header).chain(body.iter()) {
                    let cells: Vec<String> = r
                        .iter()
                        .zip(&widths)
                        .map(|(s, w)| format!("{s:>w$}"))
                        .collect();
                    let _ = writeln!(out, "  {}", cells.join("  "));
                }
                if digits_table < SIG_DIGITS {
                    let _ = writeln!(
                        out,
                        "  (values rounded to {digits_table} significant digits; --digits 28 prints every digit)"
                    );
                }
                out.push('\n');
            }
            RunFormat::Csv => {
                for (t, w, f) in &rows {
                    let ws: Vec<String> = w.iter().map(|x| fmt_num(x, digits_exact)).collect();
                    let _ = writeln!(
                        out,
                        "{},{},{},{}",
                        p.id,
                        t,
                        ws.join(","),
                        fmt_num(f, digits_exact)
                    );
                }
            }
            RunFormat::Json => {
                let pts: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|(t, w, f)| {
                        serde_json::json!({
                            "epoch": t,
                            "w": w.iter().map(|x| fmt_num(x, digits_exact)).collect::<Vec<_>>(),
                            "f": fmt_num(f, digits_exact),
                        })
                    })
                    .collect();
                json.push(serde_json::json!({
                    "problem": p.id,
                    "optimizer": p.optimizer.id,
                    "status": tr.status.key(),
                    "points": pts,
                }));
            }
        }
    }
    if format == RunFormat::Json {
        out =
            serde_json::to_string_pretty(&json).map_err(|e| Failure::input(e.to_string()))? + "\n";
    }
    Ok(out)
}

fn cmd_trace(
    file: Option<&Path>,
    problem: &str,
    epoch: Option<u64>,
    epochs: Option<u64>,
) -> Result<String, Failure> {
    let ex = load_exercise(file)?;
    let p = problems(&ex, Some(problem))?[0];
    let n = check_epochs(epochs.unwrap_or(match epoch {
        Some(k) => k.max(p.tabulated_epochs),
        None => p.tabulated_epochs,
    }))?;
    let mut tr = trace::trace(&ex, p, n).map_err(|e| Failure::input(e.to_string()))?;
    if let Some(k) = epoch {
        if k == 0 || k > n {
            return Err(Failure::input(format!(
                "--epoch must be from 1 to {n}, got {k}"
            )));
        }
        tr.epochs.retain(|e| e.epoch == k);
    }
    let s = serde_json::to_string_pretty(&tr).map_err(|e| Failure::input(e.to_string()))?;
    Ok(s + "\n")
}

/// An optimizer's English name, from the catalog.
fn optimizer_name(id: &str) -> String {
    render::catalog::Catalog::builtin("en")
        .map_or_else(|_| id.to_string(), |c| c.optimizer_name(id))
}

fn cmd_list() -> String {
    let mut out = String::new();
    for o in optim::ALL {
        let _ = writeln!(out, "{:<10} {}", o.id, optimizer_name(o.id));
        for h in o.hypers {
            let _ = writeln!(
                out,
                "    {:<8} {:<10} {}",
                h.name,
                match h.default {
                    Some(d) => format!("= {d}"),
                    None => "(required)".to_string(),
                },
                h.bound.describe()
            );
        }
    }
    out
}

fn cmd_init(path: &Path, force: bool) -> Result<String, Failure> {
    if path == Path::new("-") {
        return Ok(spec::BUILTIN.to_string());
    }
    if path.exists() && !force {
        return Err(Failure::input(format!(
            "{}: already exists (use --force to replace it)",
            path.display()
        )));
    }
    write_atomic(path, spec::BUILTIN.as_bytes())?;
    eprintln!("wrote {}", path.display());
    Ok(String::new())
}

struct SolveArgs<'a> {
    file: Option<&'a Path>,
    lang: LangArg,
    format: FormatArg,
    out: &'a Path,
    digits: u32,
    templates: Option<&'a Path>,
    pdf: bool,
}

fn cmd_solve(a: &SolveArgs) -> Result<String, Failure> {
    let ex = load_exercise(a.file)?;
    let templates =
        render::Templates::new(a.templates).map_err(|e| Failure::input(e.to_string()))?;
    let langs: Vec<&str> = match a.lang {
        LangArg::Vi => vec!["vi"],
        LangArg::En => vec!["en"],
        LangArg::All => render::catalog::LANGS.to_vec(),
    };
    let formats: Vec<Format> = match a.format {
        FormatArg::Md => vec![Format::Markdown],
        FormatArg::Tex => vec![Format::Latex],
        FormatArg::Html => vec![Format::Html],
        FormatArg::All => Format::ALL.to_vec(),
    };
    let to_stdout = a.out == Path::new("-");
    if to_stdout && (langs.len() != 1 || formats.len() != 1) {
        return Err(Failure::input(
            "-o - writes one sheet: choose one --lang and one --format",
        ));
    }
    if to_stdout && a.pdf {
        return Err(Failure::input("--pdf needs an output folder, not -o -"));
    }
    if a.pdf && !formats.contains(&Format::Latex) {
        return Err(Failure::input(
            "--pdf needs the LaTeX sheet: use --format tex or all",
        ));
    }
    let solution = solution::solve(&ex).map_err(|e| Failure::input(e.to_string()))?;
    // render everything first: a failure leaves nothing written
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for lang in &langs {
        for f in &formats {
            let text = render::render(&templates, &ex, &solution, lang, *f, a.digits)
                .map_err(Failure::input)?;
            files.push((a.out.join(format!("solution-{lang}.{}", f.ext())), text));
        }
        // the NumPy code of part (b), beside the sheets
        if !to_stdout && a.format == FormatArg::All {
            for (i, p) in ex.problems.iter().enumerate() {
                let code = render::render_code(&templates, &ex, i, lang, render::code::Dtype::F32)
                    .map_err(Failure::input)?;
                files.push((a.out.join(render::code::file_name(p, lang)), code));
            }
        }
    }
    if to_stdout {
        return Ok(files.pop().map(|(_, t)| t).unwrap_or_default());
    }
    let pdf_tool = if a.pdf {
        Some(pdf::find_engine().map_err(Failure::input)?)
    } else {
        None
    };
    std::fs::create_dir_all(a.out).map_err(|e| {
        Failure::input(format!(
            "{}: cannot create: {}",
            a.out.display(),
            io_reason(&e)
        ))
    })?;
    let mut pdfs = Vec::new();
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
    for (path, text) in &files {
        write_atomic(path, text.as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    for (path, bytes) in &pdfs {
        write_atomic(path, bytes)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(String::new())
}

/// A verdict's evidence in English plain text, for the terminal.
fn evidence(v: &quiz::Verdict) -> String {
    match render::catalog::Catalog::builtin("en") {
        Ok(cat) => render::verdict::sentence(v, &cat, render::verdict::Style::Plain),
        Err(e) => e,
    }
}

/// Runs every problem as far as its questions need, then computes the key.
fn computed_key(ex: &Exercise) -> Result<Vec<quiz::Verdict>, Failure> {
    Ok(solution::solve(ex)
        .map_err(|e| Failure::input(e.to_string()))?
        .key)
}

fn cmd_key(file: Option<&Path>, format: KeyFormat) -> Result<String, Failure> {
    let ex = load_exercise(file)?;
    if ex.quiz.is_empty() {
        return Err(Failure::input(format!(
            "{}: the exercise has no [[quiz]]",
            ex.source
        )));
    }
    let key = computed_key(&ex)?;
    if format == KeyFormat::Json {
        let s = serde_json::to_string_pretty(&key).map_err(|e| Failure::input(e.to_string()))?;
        return Ok(s + "\n");
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>3}  {:<8}  {:<6}  {:<10}  evidence",
        "#", "kind", "answer", "verdict"
    );
    for v in &key {
        let _ = writeln!(
            out,
            "{:>3}  {:<8}  {:<6}  {:<10}  {}",
            v.number,
            v.kind,
            v.answer.map_or("-".to_string(), |c| c.to_string()),
            v.status.key(),
            evidence(v)
        );
    }
    Ok(out)
}

fn cmd_check_key(keyfile: &Path, file: Option<&Path>) -> Result<String, Failure> {
    let ex = load_exercise(file)?;
    let name = keyfile.display().to_string();
    let text = std::fs::read_to_string(keyfile)
        .map_err(|e| Failure::input(format!("{name}: cannot read: {}", io_reason(&e))))?;
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let lineno = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if lines.is_empty() && line.to_ascii_lowercase().replace(' ', "") == "question,answer" {
            continue;
        }
        let start = raw.len() - raw.trim_start().len() + 1;
        let bad_at =
            |col: usize, what: &str| Failure::input(format!("{name}:{lineno}:{col}: {what}"));
        let bad = |what: &str| bad_at(start, what);
        let mut parts = line.splitn(2, [':', ',', ' ', '\t']);
        let num = parts
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches(['q', 'Q']);
        let letter = parts.next().unwrap_or("").trim();
        let n: usize = num.parse().map_err(|_| {
            bad(&format!(
                "expected 'NUMBER: LETTER', as in '5: A', found '{line}'"
            ))
        })?;
        let Some(q) = ex.quiz.iter().find(|q| q.number == n) else {
            return Err(bad(&format!(
                "no question {n}: the quiz has {}",
                ex.quiz.len()
            )));
        };
        let letter_col = raw
            .rfind(letter)
            .map_or(start, |i| raw[..i].chars().count() + 1);
        let idx = spec::letter_index(letter)
            .filter(|i| *i < q.options.len())
            .ok_or_else(|| {
                bad_at(
                    letter_col,
                    &format!(
                        "question {n}: '{letter}' is not an option (A to {})",
                        spec::option_letter(q.options.len() - 1)
                    ),
                )
            })?;
        lines.push((n, spec::option_letter(idx)));
    }
    if lines.is_empty() {
        return Err(Failure::input(format!(
            "{name}: no answers in the key file"
        )));
    }
    let key = computed_key(&ex)?;
    let mut out = String::new();
    let mut failed = 0;
    for (n, given) in &lines {
        let Some(v) = key.iter().find(|v| v.number == *n) else {
            continue;
        };
        let (word, ok) = match (v.status, v.answer) {
            (quiz::Status::Defective | quiz::Status::NoMatch, _) => {
                ("defective question".to_string(), false)
            }
            (quiz::Status::Ambiguous, _) => ("ambiguous question".to_string(), false),
            (_, Some(a)) if a == *given => ("agree".to_string(), true),
            (_, Some(a)) => (format!("disagree: the answer is {a}"), false),
            (_, None) => ("not machine-checkable".to_string(), true),
        };
        if !ok {
            failed += 1;
        }
        let _ = writeln!(out, "{n:>3}: {given}  {word}  ({})", evidence(v));
    }
    let missing: Vec<String> = key
        .iter()
        .filter(|v| !lines.iter().any(|(n, _)| *n == v.number))
        .map(|v| v.number.to_string())
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "not in the key file: {}", missing.join(", "));
    }
    let _ = writeln!(
        out,
        "{} of {} lines agree",
        lines.len() - failed,
        lines.len()
    );
    if failed > 0 {
        print!("{out}");
        return Err(Failure {
            message: format!("{failed} of {} lines do not check", lines.len()),
            code: 1,
        });
    }
    Ok(out)
}

fn cmd_variants(
    file: Option<&Path>,
    count: usize,
    seed: u64,
    out: &Path,
) -> Result<String, Failure> {
    let ex = load_exercise(file)?;
    let variants =
        crate::variants::generate(&ex, count, seed).map_err(|e| Failure::input(e.to_string()))?;
    let templates = render::Templates::default();
    let width = count.to_string().len().max(3);
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for v in &variants {
        let dir = out.join(format!("variant-{:0width$}", v.number));
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
        }
    }
    for (path, text) in &files {
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(|e| {
                Failure::input(format!("{}: cannot create: {}", d.display(), io_reason(&e)))
            })?;
        }
        write_atomic(path, text.as_bytes())?;
    }
    eprintln!("wrote {} variants into {}", variants.len(), out.display());
    Ok(String::new())
}

fn dispatch(cli: Cli) -> Result<String, Failure> {
    match cli.command {
        Command::Run {
            file,
            problem,
            epochs,
            format,
            digits,
        } => cmd_run(file.as_deref(), problem.as_deref(), epochs, format, digits),
        Command::Trace {
            file,
            problem,
            epoch,
            epochs,
            format: TraceFormat::Json,
        } => cmd_trace(file.as_deref(), &problem, epoch, epochs),
        Command::Solve {
            file,
            lang,
            format,
            out,
            digits,
            templates,
            pdf,
        } => cmd_solve(&SolveArgs {
            file: file.as_deref(),
            lang,
            format,
            out: &out,
            digits,
            templates: templates.as_deref(),
            pdf,
        }),
        Command::Code {
            file,
            problem,
            dtype,
            lang,
            templates,
        } => {
            let ex = load_exercise(file.as_deref())?;
            let p = problems(&ex, Some(&problem))?[0];
            let index = ex.problems.iter().position(|q| q.id == p.id).unwrap_or(0);
            let templates = render::Templates::new(templates.as_deref())
                .map_err(|e| Failure::input(e.to_string()))?;
            let dtype = match dtype {
                DtypeArg::Float32 => render::code::Dtype::F32,
                DtypeArg::Float64 => render::code::Dtype::F64,
            };
            let lang = match lang {
                OneLang::Vi => "vi",
                OneLang::En => "en",
            };
            render::render_code(&templates, &ex, index, lang, dtype).map_err(Failure::input)
        }
        Command::Key { file, format } => cmd_key(file.as_deref(), format),
        Command::CheckKey { keyfile, file } => cmd_check_key(&keyfile, file.as_deref()),
        Command::Export {
            file,
            to,
            lang,
            numerical,
            out,
        } => {
            let ex = load_exercise(file.as_deref())?;
            if ex.quiz.is_empty() {
                return Err(Failure::input(format!(
                    "{}: the exercise has no [[quiz]]",
                    ex.source
                )));
            }
            let key = computed_key(&ex)?;
            let target = match to {
                ExportTo::Moodle => render::export::Target::Moodle,
                ExportTo::Gift => render::export::Target::Gift,
            };
            let lang = match lang {
                OneLang::Vi => "vi",
                OneLang::En => "en",
            };
            let cat = render::catalog::Catalog::builtin(lang).map_err(Failure::input)?;
            let text = render::export::export(&ex, &key, &cat, target, numerical);
            if out == Path::new("-") {
                Ok(text)
            } else {
                write_atomic(&out, text.as_bytes())?;
                eprintln!("wrote {}", out.display());
                Ok(String::new())
            }
        }
        Command::Variants {
            file,
            count,
            seed,
            out,
        } => cmd_variants(file.as_deref(), count, seed, &out),
        Command::List => Ok(cmd_list()),
        Command::Init { path, force } => cmd_init(&path, force),
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match dispatch(cli) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("stepwise: cannot write output: {}", io_reason(&e));
                    ExitCode::from(2)
                }
            }
        }
        Err(f) => {
            eprintln!("stepwise: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
