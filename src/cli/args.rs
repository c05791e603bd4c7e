//! The command line as clap parses it: the commands, their arguments, help texts and examples, and
//! the value types of their options. Nothing here reads a file or checks more than clap does; `job`
//! turns a parsed [`Cli`] into the work to do.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Without FILE, every command uses the built-in course exercise: f(w1, w2) = 0.1 w1^2 + 2 w2^2 from
(-5, -2), with GD (lr 0.4), Momentum (lr 0.6, beta 0.5), RMSProp (lr 0.3, gamma 0.9, eps 1e-6) and
Adam (lr 0.2, beta1 0.9, beta2 0.999, eps 1e-6). `stepwise init` writes it out to edit.

Examples:
  stepwise solve                        answer sheets (vi, en; md, tex, html) into out/
  stepwise solve --lang vi --pdf        the Vietnamese sheets, with PDF (needs TeX Live)
  stepwise statement --format docx      the statement students receive, as Word documents
  stepwise run                          every problem, 30 epochs, as a table
  stepwise run --problem adam --digits 28
  stepwise trace --problem rmsprop --epoch 2
  stepwise compare --problem momentum   the course's momentum beside PyTorch's and the others
  stepwise key                          the quiz's answers, each with its evidence
  stepwise check-key grader.txt         is a grader's key right? (exit 1 if not)
  stepwise export --to moodle -o quiz.xml
  stepwise variants -n 40 -s 2024       one exercise, sheet and key per student
  stepwise init my-exercise.toml        a commented exercise file to start from

Exit codes: 0 ok, 1 a check failed, 2 bad input.";

const SOLVE_HELP: &str = "\
Files: OUT/solution-<lang>.<md|tex|html|docx> (and .pdf with --pdf), written only when every sheet
rendered; beside the Markdown, the SVG files of its figures.

Examples:
  stepwise solve                           both languages, every format, into out/
  stepwise solve my.toml --lang vi --out sheets --pdf
  stepwise solve --lang en --format md -o -     one sheet to standard output
  stepwise solve --format docx             Word documents (needs pandoc)";

const STATEMENT_HELP: &str = "\
Files: OUT/statement-<lang>.<md|tex|html|docx> (and .pdf with --pdf). Nothing is computed: the sheets
hold no answer and no worked value.

Examples:
  stepwise statement                       both languages, md, tex and html, into out/
  stepwise statement my.toml --lang vi --format docx --out handout";

const COMPARE_HELP: &str = "\
The problem's own form comes first (marked *), then each other form with the conventions that use
it. A form that needs a hyperparameter the problem does not give takes a library's default, or is
left out and named.

Examples:
  stepwise compare --problem momentum
  stepwise compare --problem rmsprop --conventions course,pytorch --epochs 5
  stepwise compare my.toml --problem adam --format md";

const CHECK_KEY_HELP: &str = "\
Key file: one question a line, `5: A`, `5 A` or `5,A`; blank lines and lines starting with # are
skipped; a first line `question,answer` (CSV header) is skipped too.

Each line is reported as agree, disagree (with the computed answer), defective or ambiguous question
(the options themselves are at fault), with the evidence.";

const VANISHING_HELP: &str = "\
The course's set-up unless the exercise's [vanishing] table says otherwise: 784 -> 5 x (128, sigmoid)
-> 10, weights from Normal(0, 0.05), biases 0, cross-entropy, batch 512 reshuffled every epoch, lr 0.01,
300 epochs; SGD, momentum 0.9, RMSProp, Adam (PyTorch's forms and defaults) and ADOPT. Every optimizer
starts from the same weights and sees the same batches. Data: `apt-get install dataset-fashion-mnist`.

Files (OUT is out/vanishing unless --out says): OUT/vanishing.csv, OUT/vanishing.json,
OUT/vanishing-<optimizer>.ckpt, rewritten after every epoch, and OUT/vanishing.py, the reference PyTorch
code with these settings; with --save-init, OUT/vanishing-init/*.npy, the initial weights and every
epoch's batch order, which vanishing.py loads when its NPY_DIR names that folder. `stepwise solve`
puts the results of out/vanishing (or of its --vanishing DIR) into exercise 5 of the answer sheets.

Examples:
  stepwise vanishing                          the course's experiment (5 optimizers x 300 epochs)
  stepwise vanishing --epochs 5 --optimizers sgd,adam
  stepwise vanishing --epochs 300 --resume    go on after an interruption
  stepwise vanishing --epochs 2 --save-init   also the .npy files to compare a PyTorch run with";

/// stepwise: exact, step-by-step worked solutions of optimization exercises.
#[derive(Parser, Debug)]
#[command(name = "stepwise", version, about, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

// The shared arguments below carry no doc comment of their own: clap would take it for the
// command's about.

#[derive(Args, Debug)]
pub(crate) struct ExerciseArg {
    /// Exercise file (TOML); the built-in course exercise when left out.
    pub(crate) file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct ProblemArg {
    /// The problem (its id, e.g. `adam`).
    #[arg(long, short)]
    pub(crate) problem: String,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Print the trajectory of each problem (the points after every epoch).
    Run {
        #[command(flatten)]
        exercise: ExerciseArg,
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
        #[arg(long, short, value_parser = digits_parser())]
        digits: Option<u32>,
    },
    /// Print the full record of a problem: every quantity of every epoch, exact, as JSON.
    Trace {
        #[command(flatten)]
        exercise: ExerciseArg,
        #[command(flatten)]
        problem: ProblemArg,
        /// Only this epoch (1-based) [default: every epoch].
        #[arg(long)]
        epoch: Option<u64>,
        /// Epochs to run [default: the problem's tabulated epochs, or --epoch].
        #[arg(long, short)]
        epochs: Option<u64>,
        /// Output format (JSON only for now; the format is `stepwise-trace/2`, see the README).
        #[arg(long, short, value_enum, default_value_t = TraceFormat::Json)]
        format: TraceFormat,
    },
    /// Write the worked solution (answer sheets) of every problem: Markdown, LaTeX and HTML, in
    /// Vietnamese and English.
    #[command(after_help = SOLVE_HELP)]
    Solve {
        #[command(flatten)]
        exercise: ExerciseArg,
        /// Language of the sheets.
        #[arg(long, short, default_value = "all", value_parser = langs_parser())]
        lang: Langs,
        /// Format of the sheets.
        #[arg(long, short, value_enum, default_value_t = SheetFormat::All)]
        format: SheetFormat,
        /// Output folder; `-` writes one sheet (one --lang, one --format) to standard output.
        #[arg(long, short, default_value = "out")]
        out: PathBuf,
        /// Significant digits printed (1 to 28); the engine always carries 28.
        #[arg(long, short, default_value_t = 10, value_parser = digits_parser())]
        digits: u32,
        /// A folder whose files override the built-in templates (sheet.md, sheet.tex, page.html,
        /// i18n/vi.toml, i18n/en.toml).
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Also compile each LaTeX sheet to PDF with xelatex (needs TeX Live).
        #[arg(long)]
        pdf: bool,
        /// The folder of exercise 5's results (vanishing.json, and vanishing.csv checked against
        /// it), written by `stepwise vanishing`; without them the sheet says how to make them.
        /// Only for an exercise with a [vanishing] table, such as the built-in one.
        #[arg(long, value_name = "DIR", default_value = "out/vanishing")]
        vanishing: PathBuf,
    },
    /// Write the statement sheets students receive: the objective, the start point, each problem's
    /// hyperparameters, update rule and tasks, and the quiz's questions, with no answer.
    #[command(after_help = STATEMENT_HELP)]
    Statement {
        #[command(flatten)]
        exercise: ExerciseArg,
        /// Language of the sheets.
        #[arg(long, short, default_value = "all", value_parser = langs_parser())]
        lang: Langs,
        /// Format of the sheets.
        #[arg(long, short, value_enum, default_value_t = SheetFormat::All)]
        format: SheetFormat,
        /// Output folder; `-` writes one sheet (one --lang, one --format) to standard output.
        #[arg(long, short, default_value = "out")]
        out: PathBuf,
        /// A folder whose files override the built-in templates (statement.md, statement.tex,
        /// page.html, i18n/vi.toml, i18n/en.toml).
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Also compile each LaTeX sheet to PDF with xelatex (needs TeX Live).
        #[arg(long)]
        pdf: bool,
    },
    /// Print the reference NumPy code of a problem (part b): runnable as is, printing every point
    /// of its tabulated epochs.
    Code {
        #[command(flatten)]
        exercise: ExerciseArg,
        #[command(flatten)]
        problem: ProblemArg,
        /// Float type of the arrays (the course uses float32).
        #[arg(long, short, value_enum, default_value_t = Dtype::Float32)]
        dtype: Dtype,
        /// Language of the comments.
        #[arg(long, short, value_enum, default_value_t = Lang::En)]
        lang: Lang,
        /// A folder whose files override the built-in templates (code.py, i18n/*.toml).
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Run one problem in every form of its optimizer (PyTorch's, Keras's, the course's, ...) with the
    /// same hyperparameters, and show where the forms part and where each ends.
    #[command(after_help = COMPARE_HELP)]
    Compare {
        #[command(flatten)]
        exercise: ExerciseArg,
        #[command(flatten)]
        problem: ProblemArg,
        /// Only the forms of these conventions, comma-separated (course, pytorch, d2l, optax, keras,
        /// goodfellow) [default: every form].
        #[arg(long, short, value_delimiter = ',')]
        conventions: Vec<String>,
        /// Epochs to run [default: the problem's tabulated epochs].
        #[arg(long, short)]
        epochs: Option<u64>,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
        /// Significant digits to print (1 to 28) [default: 10; csv and json print every digit].
        #[arg(long, short, value_parser = digits_parser())]
        digits: Option<u32>,
    },
    /// Print the computed key of the quiz: each question's answer, verdict and evidence.
    Key {
        #[command(flatten)]
        exercise: ExerciseArg,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = KeyFormat::Table)]
        format: KeyFormat,
        /// Language of the evidence.
        #[arg(long, short, value_enum, default_value_t = Lang::En)]
        lang: Lang,
    },
    /// Check a grader's key against the computed key. Exit 0 when every line agrees, 1 when one
    /// disagrees or names a defective or ambiguous question, 2 on bad input.
    #[command(after_help = CHECK_KEY_HELP)]
    CheckKey {
        /// The grader's key: one `NUMBER: LETTER` per line (`5: A`), or CSV `question,answer`.
        keyfile: PathBuf,
        #[command(flatten)]
        exercise: ExerciseArg,
        /// Language of the report.
        #[arg(long, short, value_enum, default_value_t = Lang::En)]
        lang: Lang,
    },
    /// Export the quiz with its computed key for a learning platform (Moodle XML or GIFT).
    Export {
        #[command(flatten)]
        exercise: ExerciseArg,
        /// Target format.
        #[arg(long, value_enum, default_value_t = ExportTo::Moodle)]
        to: ExportTo,
        /// Language of the questions.
        #[arg(long, short, value_enum, default_value_t = Lang::En)]
        lang: Lang,
        /// Computed and formula questions as numerical questions (exact value, tolerance) instead of
        /// multiple choice.
        #[arg(long)]
        numerical: bool,
        /// A folder written by `stepwise variants`: one question bank in which each question has
        /// one version per variant, in a category of its own (instead of an exercise file).
        #[arg(long, value_name = "DIR", conflicts_with = "file")]
        variants: Option<PathBuf>,
        /// Output file; `-` for standard output.
        #[arg(long, short, default_value = "-")]
        out: PathBuf,
    },
    /// Generate per-student variants: numbers drawn from the exercise's [variants] ranges, each
    /// variant with its exercise file, answer sheets (Markdown) and key.
    Variants {
        #[command(flatten)]
        exercise: ExerciseArg,
        /// How many variants.
        #[arg(long, short = 'n')]
        count: usize,
        /// Seed: the same seed gives the same variants.
        #[arg(long, short)]
        seed: u64,
        /// Output folder: one subfolder per variant. The variant folders of an earlier run there are
        /// replaced; a folder holding other files is refused unless --force.
        #[arg(long, short, default_value = "variants")]
        out: PathBuf,
        /// Write into a folder that holds files stepwise did not write (they are left alone).
        #[arg(long)]
        force: bool,
    },
    /// Run exercise 5, the vanishing-gradient experiment: an MLP of five sigmoid layers trained on
    /// FashionMNIST with each optimizer; writes per-epoch losses, accuracies and per-layer gradient
    /// norms.
    #[command(after_help = VANISHING_HELP)]
    Vanishing {
        #[command(flatten)]
        exercise: ExerciseArg,
        /// Epochs per optimizer [default: the exercise's [vanishing] epochs, or the course's 300].
        #[arg(long, short)]
        epochs: Option<u64>,
        /// The optimizers, comma-separated: sgd, momentum, rmsprop, adam, adopt or any registered
        /// id [default: the exercise's, or those five].
        #[arg(long, value_delimiter = ',')]
        optimizers: Vec<String>,
        /// The folder holding the four FashionMNIST IDX files, gzipped or not [default:
        /// $FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist, else ./data/FashionMNIST/raw].
        #[arg(long)]
        data: Option<PathBuf>,
        /// Output folder: vanishing.csv, vanishing.json, vanishing.py and one checkpoint per
        /// optimizer (`stepwise solve` reads the results from out/vanishing).
        #[arg(long, short, default_value = "out/vanishing")]
        out: PathBuf,
        /// Seed of the initial weights and batch orders [default: the exercise's, or 0].
        #[arg(long, short)]
        seed: Option<u64>,
        /// Threads that train [default: every core]; the numbers are the same on any number.
        #[arg(long, short)]
        threads: Option<usize>,
        /// Go on from the checkpoints in the output folder (same settings; --epochs may grow).
        #[arg(long)]
        resume: bool,
        /// Also write the initial weights and every epoch's batch order as .npy files into
        /// OUT/vanishing-init/, for vanishing.py's NPY_DIR (a PyTorch run step by step like this one).
        #[arg(long)]
        save_init: bool,
    },
    /// List the optimizers with their forms (and the conventions that use them), hyperparameters,
    /// defaults per library and valid ranges.
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

/// `--digits`: 1 to 28 significant digits.
fn digits_parser() -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(1..=28)
}

/// A language, of the sheets, the code's comments or the questions.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The catalog's code, `vi` or `en`.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// `solve --lang`: one [`Lang`], or `all` of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Langs {
    One(Lang),
    All,
}

/// The values of [`Lang`] and `all`, with their help, as one possible-values list.
fn langs_parser() -> impl TypedValueParser<Value = Langs> {
    let values = Lang::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .chain([PossibleValue::new("all").help("Both")]);
    PossibleValuesParser::new(values)
        .map(|s| Lang::from_str(&s, false).map_or(Langs::All, Langs::One))
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RunFormat {
    /// Aligned columns for reading.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// JSON, exact values as strings.
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CompareFormat {
    /// Aligned columns for reading.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// JSON, exact values as strings.
    Json,
    /// A Markdown table.
    Md,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TraceFormat {
    /// JSON, exact values as strings.
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SheetFormat {
    /// Markdown with $ math (GitHub, Jupyter).
    Md,
    /// A complete LaTeX document (XeLaTeX).
    Tex,
    /// One self-contained HTML page (MathML, no script).
    Html,
    /// A Word document with native equations, made by pandoc from the Markdown sheet (needs pandoc).
    Docx,
    /// Every format but Word (md, tex, html).
    All,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dtype {
    /// np.float32, as in the course.
    Float32,
    /// np.float64.
    Float64,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyFormat {
    /// Aligned columns for reading.
    Table,
    /// JSON, with every option's comparison.
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExportTo {
    /// Moodle XML.
    Moodle,
    /// GIFT.
    Gift,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_clap_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn solve_takes_one_language_or_all() {
        let lang = |args: &[&str]| match Cli::try_parse_from(args).map(|c| c.command) {
            Ok(Command::Solve { lang, .. }) => Some(lang),
            _ => None,
        };
        assert_eq!(lang(&["stepwise", "solve"]), Some(Langs::All));
        assert_eq!(
            lang(&["stepwise", "solve", "--lang", "vi"]),
            Some(Langs::One(Lang::Vi))
        );
        assert_eq!(
            lang(&["stepwise", "solve", "-l", "en"]),
            Some(Langs::One(Lang::En))
        );
        assert_eq!(
            lang(&["stepwise", "solve", "--lang", "all"]),
            Some(Langs::All)
        );
        assert_eq!(lang(&["stepwise", "solve", "--lang", "fr"]), None);
    }
}
