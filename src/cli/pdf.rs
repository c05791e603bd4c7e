//! Compiling a LaTeX sheet to PDF with a real TeX engine (XeLaTeX), in a temporary folder.

use std::path::PathBuf;
use std::process::Command;

/// The TeX engine, or what to install.
pub(crate) fn find_engine() -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("xelatex"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            "--pdf needs xelatex, which is not installed: on Debian or Ubuntu run \
             'apt-get install texlive-xetex texlive-latex-recommended fonts-dejavu-core \
             fonts-dejavu-extra fonts-noto-mono'"
                .to_string()
        })
}

/// Compiles `tex` and returns the PDF's bytes; the error carries TeX's first error line.
pub(crate) fn compile(engine: &PathBuf, tex: &str) -> Result<Vec<u8>, String> {
    let dir = std::env::temp_dir().join(format!("stepwise-tex-{}-{}", std::process::id(), nonce()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let result = run(engine, &dir, tex);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn nonce() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn run(engine: &PathBuf, dir: &std::path::Path, tex: &str) -> Result<Vec<u8>, String> {
    std::fs::write(dir.join("sheet.tex"), tex).map_err(|e| format!("cannot write: {e}"))?;
    // twice, so that longtable settles its column widths
    for _ in 0..2 {
        let out = Command::new(engine)
            .args(["-interaction=nonstopmode", "-halt-on-error", "sheet.tex"])
            .current_dir(dir)
            // a fixed date makes the PDF reproducible
            .env("SOURCE_DATE_EPOCH", "0")
            .env("FORCE_SOURCE_DATE", "1")
            .output()
            .map_err(|e| format!("cannot run xelatex: {e}"))?;
        if !out.status.success() {
            let log = String::from_utf8_lossy(&out.stdout);
            let first = log
                .lines()
                .find(|l| l.starts_with('!'))
                .unwrap_or("xelatex failed")
                .to_string();
            return Err(format!("xelatex: {first}"));
        }
    }
    std::fs::read(dir.join("sheet.pdf")).map_err(|e| format!("xelatex wrote no PDF: {e}"))
}
