//! Files for the commands: where output goes ([`Output`]: `-` or a path), loading an exercise (or the
//! built-in one), reading a text file, creating a folder and writing a file atomically; each failure
//! is a one-line [`Failure`] naming the path, with the system's reason in lower case.

use super::Failure;
use crate::spec::{self, Exercise};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where a command writes: standard output (`-`) or a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Output {
    Stdout,
    Path(PathBuf),
}

impl Output {
    pub(crate) fn new(path: PathBuf) -> Output {
        if path == Path::new("-") {
            Output::Stdout
        } else {
            Output::Path(path)
        }
    }
}

/// Loads an exercise file, or the built-in exercise when `file` is `None`.
pub(crate) fn load_exercise(file: Option<&Path>) -> Result<Exercise, Failure> {
    match file {
        None => {
            spec::load(spec::BUILTIN_NAME, spec::BUILTIN).map_err(|e| Failure::input(e.to_string()))
        }
        Some(p) => {
            let name = p.display().to_string();
            let src = read_text(p)?;
            spec::load(&name, &src).map_err(|e| Failure::input(e.to_string()))
        }
    }
}

/// The text of the file at `path`.
pub(crate) fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::input(format!(
            "{}: cannot read: {}",
            path.display(),
            io_reason(&e)
        ))
    })
}

/// Creates the folder `dir` and its parents.
pub(crate) fn create_dir(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::input(format!(
            "{}: cannot create: {}",
            dir.display(),
            io_reason(&e)
        ))
    })
}

/// An I/O error as a message's tail: "No such file or directory (os error 2)" becomes
/// "no such file or directory".
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s).to_string();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a rename.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
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

/// Writes `bytes` to `path` atomically, then says so on standard error (`wrote PATH`).
pub(crate) fn write_reporting(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_atomic(path, bytes)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reasons_are_lower_case_without_the_os_code() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&e), "no such file or directory");
    }

    #[test]
    fn a_missing_file_is_named_in_the_failure() {
        let f = read_text(Path::new("/nonexistent/stepwise-key.txt")).err();
        assert_eq!(
            f.map(|f| (f.message, f.code)),
            Some((
                "/nonexistent/stepwise-key.txt: cannot read: no such file or directory".into(),
                2
            ))
        );
    }

    #[test]
    fn dash_is_standard_output() {
        assert_eq!(Output::new(PathBuf::from("-")), Output::Stdout);
        assert_eq!(
            Output::new(PathBuf::from("out")),
            Output::Path(PathBuf::from("out"))
        );
    }
}
