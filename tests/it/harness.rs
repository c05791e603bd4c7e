//! The harness, written once for every test module: the built binary, a scratch folder per test, the
//! rule for external tools, the insta settings, and a seeded generator.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The name of the running test (libtest names each test's thread after it), for messages.
fn test_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string()
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// How it exited.
    pub status: ExitStatus,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

impl Run {
    /// The exit code (`None` when a signal ended it).
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

/// Runs the built `stepwise` binary in the repository root with `args`, `stdin` as its standard input.
pub fn run(args: &[&str], stdin: &str) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stepwise"));
    cmd.args(args);
    output(cmd, args, stdin)
}

/// Runs `cmd` in the repository root with `stdin` as its standard input; `args` name it in messages.
fn output(mut cmd: Command, args: &[&str], stdin: &str) -> Run {
    let mut child = cmd
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    let stdin = stdin.to_string();
    // a thread writes, so a child that prints much before reading cannot deadlock with us; a child
    // that never reads closes the pipe, which is not an error here
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let out = child.wait_with_output().expect("the binary runs");
    writer.join().expect("stdin is written");
    let utf8 = |b: Vec<u8>, what: &str| {
        String::from_utf8(b)
            .unwrap_or_else(|e| panic!("stepwise {args:?} wrote non-UTF-8 {what}: {e}"))
    };
    Run {
        status: out.status,
        stdout: utf8(out.stdout, "to stdout"),
        stderr: utf8(out.stderr, "to stderr"),
    }
}

/// Address space every [`bounded`] run may use: an allocation past it fails, and the process ends
/// with a signal instead of an exit code.
pub const MEMORY_BOUND: u64 = 1 << 30;
/// Seconds of CPU every [`bounded`] run may use: past them the kernel ends the process (SIGXCPU).
pub const CPU_BOUND_SECONDS: u64 = 20;

/// Runs the built binary like [`run`], under `prlimit` (util-linux) with [`MEMORY_BOUND`] and
/// [`CPU_BOUND_SECONDS`]: a run that would take more ends by a signal, so its exit code is `None`
/// and a test asking for an exit code fails. The bound holds by construction, not by timing.
pub fn bounded(args: &[&str], stdin: &str) -> Run {
    let mut cmd = Command::new("prlimit");
    cmd.arg(format!("--as={MEMORY_BOUND}"))
        .arg(format!("--cpu={CPU_BOUND_SECONDS}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_stepwise"))
        .args(args);
    output(cmd, args, stdin)
}

/// Runs the built `stepwise` binary in the repository root with `args` and an empty standard input.
pub fn stepwise(args: &[&str]) -> Run {
    run(args, "")
}

/// A scratch folder for one test: empty, unique (test name, process id and a counter), under Cargo's
/// temporary folder for integration tests, and removed when dropped. A failing test keeps it, and says
/// where, so it can be looked at.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty scratch folder.
    pub fn new() -> Scratch {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let name: String = test_name()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "{name}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the scratch folder is created");
        Scratch(dir)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside the folder (not created).
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// A path inside the folder as a command-line argument.
    pub fn arg(&self, name: &str) -> String {
        self.join(name).to_str().expect("a UTF-8 path").to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = writeln!(std::io::stderr(), "kept {}", self.0.display());
        } else {
            std::fs::remove_dir_all(&self.0).expect("the scratch folder is removed");
        }
    }
}

/// An external program some tests need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// XeLaTeX, to compile the LaTeX sheets.
    Xelatex,
    /// `pdftotext`, to read a compiled sheet back.
    Pdftotext,
    /// Headless Chromium, to open the HTML sheet.
    Chromium,
    /// pandoc, to make Word documents.
    Pandoc,
    /// Python with NumPy 2, to run the generated code: `$STEPWISE_PYTHON`, the project's `.venv`, or
    /// `python3`, the first that imports NumPy 2.
    NumPy,
    /// The FashionMNIST data set (not a program, required the same way): the folder named by
    /// `$FASHION_MNIST_DIR`, or Debian's `/usr/share/datasets/fashion-mnist`.
    FashionMnist,
}

impl Tool {
    const ALL: [Tool; 6] = [
        Tool::Xelatex,
        Tool::Pdftotext,
        Tool::Chromium,
        Tool::Pandoc,
        Tool::NumPy,
        Tool::FashionMnist,
    ];

    /// What the tool is called in messages, and what installs it.
    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Tool::Xelatex => ("xelatex", "the Debian package texlive-xetex"),
            Tool::Pdftotext => ("pdftotext", "the Debian package poppler-utils"),
            Tool::Chromium => ("chromium", "the Debian package chromium"),
            Tool::Pandoc => ("pandoc", "the Debian package pandoc"),
            Tool::NumPy => (
                "Python with NumPy 2",
                "numpy>=2 from pip in .venv (or set STEPWISE_PYTHON)",
            ),
            Tool::FashionMnist => (
                "FashionMNIST",
                "the Debian package dataset-fashion-mnist (or set FASHION_MNIST_DIR)",
            ),
        }
    }

    fn look_up(self) -> Option<PathBuf> {
        match self {
            Tool::Xelatex => on_path(&["xelatex"]),
            Tool::Pdftotext => on_path(&["pdftotext"]),
            Tool::Chromium => on_path(&["chromium", "chromium-browser", "google-chrome"]),
            Tool::Pandoc => on_path(&["pandoc"]),
            Tool::NumPy => {
                let candidates = [
                    std::env::var_os("STEPWISE_PYTHON").map(PathBuf::from),
                    Some(root().join(".venv/bin/python")),
                    on_path(&["python3"]),
                ];
                candidates.into_iter().flatten().find(|p| has_numpy_2(p))
            }
            Tool::FashionMnist => {
                let candidates = [
                    std::env::var_os("FASHION_MNIST_DIR").map(PathBuf::from),
                    Some(PathBuf::from("/usr/share/datasets/fashion-mnist")),
                ];
                candidates.into_iter().flatten().find(|d| {
                    ["train-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
                        .iter()
                        .all(|f| d.join(f).is_file() || d.join(format!("{f}.gz")).is_file())
                })
            }
        }
    }
}

/// The first of `names` found in a folder of `$PATH`.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

fn has_numpy_2(python: &Path) -> bool {
    Command::new(python)
        .args([
            "-c",
            "import numpy, sys; sys.exit(0 if int(numpy.__version__.split('.')[0]) >= 2 else 1)",
        ])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether this is CI: `CI=true`, where every tool is required.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The one rule for external tools: the tool's path when it is there. When it is not, under CI
/// (`CI=true`) the test fails, naming the package to install; otherwise the test is told to skip
/// (`None`) and one line on the terminal says which test skipped and why. Each tool is looked up once.
pub fn tool(t: Tool) -> Option<PathBuf> {
    static FOUND: [OnceLock<Option<PathBuf>>; 6] = [const { OnceLock::new() }; 6];
    let i = Tool::ALL.iter().position(|x| *x == t).expect("listed");
    if let Some(p) = FOUND[i].get_or_init(|| t.look_up()) {
        return Some(p.clone());
    }
    let (name, package) = t.describe();
    if under_ci() {
        panic!("{name} is required under CI=true: install {package} (bash .ci/test does)");
    }
    // straight to the terminal: libtest would hide a captured line of a passing test
    let _ = writeln!(
        std::io::stderr(),
        "skipped {}: no {name}; install {package} (bash .ci/test does)",
        test_name()
    );
    None
}

/// Runs insta assertions with the project's settings: snapshots in the top-level `snapshots/` folder,
/// named by the assertion alone (`trace-adam.snap`), not by the test module, so moving a test between
/// modules renames no snapshot.
pub fn snapshots(assertions: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(assertions);
}

/// A small deterministic generator (xorshift) for property tests.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A decimal with four places in [lo, hi), as text.
    pub fn decimal(&mut self, lo: f64, hi: f64) -> String {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        format!("{:.4}", lo + (hi - lo) * u)
    }
}

/// Asserts that a XeLaTeX log (of the sheet named `what`) shows every glyph and nothing past the
/// margin by more than 10pt.
pub fn assert_clean_latex_log(what: &str, log: &str) {
    assert!(
        !log.contains("Missing character"),
        "{what}: a glyph is missing from the font"
    );
    for line in log.lines().filter(|l| l.starts_with("Overfull \\hbox (")) {
        let pt: f64 = line["Overfull \\hbox (".len()..]
            .split("pt")
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(f64::MAX);
        assert!(pt <= 10.0, "{what}: {line}");
    }
}
