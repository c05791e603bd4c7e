//! Word documents through pandoc: the Markdown sheet, with the SVG files of its figures beside it,
//! converted in a temporary folder; its `$` math becomes native Word equations (Office Math).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The install command named when pandoc is missing.
const INSTALL: &str = "apt-get install pandoc";

/// pandoc, or what to install.
pub(crate) fn find_pandoc() -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("pandoc"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "--format docx needs pandoc, which is not installed: on Debian or Ubuntu run '{INSTALL}'"
            )
        })
}

/// Converts `markdown` (whose images are among `files`, `(name, text)`) to a Word document.
pub(crate) fn convert(
    pandoc: &Path,
    markdown: &str,
    files: &[(String, String)],
) -> Result<Vec<u8>, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).map_err(|e| format!("cannot write: {e}"))
    };
    write("sheet.md", markdown)?;
    for (name, text) in files {
        write(name, text)?;
    }
    let out = Command::new(pandoc)
        .args([
            "--from=markdown",
            "--to=docx",
            "--resource-path=.",
            "--output=sheet.docx",
            "sheet.md",
        ])
        .current_dir(dir.path())
        // a fixed date makes the document reproducible
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .map_err(|e| format!("cannot run pandoc: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .next()
            .unwrap_or("pandoc failed")
            .trim()
            .to_string();
        return Err(format!("pandoc: {first}"));
    }
    std::fs::read(dir.path().join("sheet.docx"))
        .map_err(|e| format!("pandoc wrote no document: {e}"))
}
