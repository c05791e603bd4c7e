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

/// The largest exercise or key file stepwise reads: far above any real one, and small enough that
/// `/dev/zero` or a huge file ends at once.
pub(crate) const MAX_INPUT_BYTES: u64 = 4 << 20;

/// The text of the file at `path`, at most [`MAX_INPUT_BYTES`].
pub(crate) fn read_text(path: &Path) -> Result<String, Failure> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| {
        Failure::input(format!(
            "{}: cannot read: {}",
            path.display(),
            io_reason(&e)
        ))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::input(format!(
            "{}: larger than the limit of {} MiB for an input file",
            path.display(),
            MAX_INPUT_BYTES >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        Failure::input(format!(
            "{}: cannot read: stream did not contain valid UTF-8",
            path.display()
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

/// Writes every file of a run, or none: each goes first to a temporary file created exclusively
/// with an unpredictable name in its target's folder (never through a planted symlink, never
/// colliding with another run), every temporary file is written and synced, and only then are they
/// renamed into place, and the renames synced. On Linux the syncs are one `syncfs` each for the whole
/// run, not one per file. A failure before the renames removes every temporary file and touches no
/// target; a target that is a folder is refused before anything is written.
pub(crate) fn write_all(files: &[(PathBuf, &[u8])]) -> Result<(), Failure> {
    let cannot = |path: &Path, e: &std::io::Error| {
        Failure::input(format!(
            "{}: cannot write: {}",
            path.display(),
            io_reason(e)
        ))
    };
    for (path, _) in files {
        if path.is_dir() {
            return Err(Failure::input(format!(
                "{}: cannot write: is a folder",
                path.display()
            )));
        }
    }
    // each file created and written on its own core (the kernel's copying and allocating is most
    // of the work); on a failure, every temporary file made is removed as it is dropped
    use rayon::prelude::*;
    let temps = files
        .par_iter()
        .map(|(path, bytes)| {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mut builder = tempfile::Builder::new();
            builder.prefix(".stepwise-").suffix(".tmp");
            // created as any new file is (0666 less the umask), not 0600: graders share these
            // folders
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o666));
            }
            let mut tmp = builder.tempfile_in(dir).map_err(|e| cannot(path, &e))?;
            tmp.write_all(bytes).map_err(|e| cannot(path, &e))?;
            if !ONE_SYNC {
                tmp.as_file().sync_all().map_err(|e| cannot(path, &e))?;
            }
            Ok(tmp)
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    if let Some(first) = temps.first() {
        sync_filesystem(first.as_file()).map_err(|e| cannot(&files[0].0, &e))?;
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (tmp, (path, _)) in temps.into_iter().zip(files) {
        tmp.persist(path).map_err(|e| cannot(path, &e.error))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    // the renames: one more sync of the filesystem (or of each folder elsewhere)
    if let Some((path, _)) = files.first() {
        if ONE_SYNC {
            if let Ok(f) = std::fs::File::open(path) {
                let _ = sync_filesystem(&f);
            }
        } else {
            for d in &dirs {
                let d = if d.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    d
                };
                if let Ok(f) = std::fs::File::open(d) {
                    let _ = f.sync_all();
                }
            }
        }
    }
    Ok(())
}

/// Whether one `syncfs` makes the whole run durable (Linux), instead of a sync per file.
const ONE_SYNC: bool = cfg!(target_os = "linux");

/// Writes `bytes` to a new file at `path` inside a staging folder that no one else reads (see
/// [`Staging`]): no temporary name, and no sync where one `syncfs` later covers it (Linux).
pub(crate) fn write_staged(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let cannot = |e: &std::io::Error| {
        Failure::input(format!(
            "{}: cannot write: {}",
            path.display(),
            io_reason(e)
        ))
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| cannot(&e))?;
    f.write_all(bytes).map_err(|e| cannot(&e))?;
    if !ONE_SYNC {
        f.sync_all().map_err(|e| cannot(&e))?;
    }
    Ok(())
}

/// A hidden folder inside a run's output folder (`.stepwise-<random>`) that receives a large run's
/// files as soon as each is made, so that they need not be held in memory; [`Staging::publish`]
/// then makes them durable with one sync and renames each of its entries into the output folder.
/// Dropped without publishing (a failure), it is removed with everything in it, and the output
/// folder is as it was.
pub(crate) struct Staging {
    dir: Option<tempfile::TempDir>,
    out: PathBuf,
}

/// Whether `name` is a staging folder's (left by a run that was killed).
pub(crate) fn is_staging(name: &str) -> bool {
    name.starts_with(".stepwise-")
}

impl Staging {
    /// A new staging folder inside `out` (created if need be).
    pub(crate) fn new(out: &Path) -> Result<Staging, Failure> {
        create_dir(out)?;
        let dir = tempfile::Builder::new()
            .prefix(".stepwise-")
            .tempdir_in(out)
            .map_err(|e| {
                Failure::input(format!(
                    "{}: cannot write: {}",
                    out.display(),
                    io_reason(&e)
                ))
            })?;
        Ok(Staging {
            dir: Some(dir),
            out: out.to_path_buf(),
        })
    }

    /// The staging folder's path.
    pub(crate) fn path(&self) -> &Path {
        self.dir.as_ref().map_or(self.out.as_path(), |d| d.path())
    }

    /// Makes everything written durable (one `syncfs` on Linux; each file was synced elsewhere),
    /// then runs `before` (which may remove what the new entries replace), renames each entry of
    /// the staging folder into the output folder, removes the staging folder and syncs again.
    pub(crate) fn publish(
        mut self,
        before: impl FnOnce() -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        let cannot = |p: &Path, e: &std::io::Error| {
            Failure::input(format!("{}: cannot write: {}", p.display(), io_reason(e)))
        };
        let staged = dir.path().to_path_buf();
        let handle = std::fs::File::open(&staged).map_err(|e| cannot(&staged, &e))?;
        sync_filesystem(&handle).map_err(|e| cannot(&staged, &e))?;
        before()?;
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&staged)
            .map_err(|e| cannot(&staged, &e))?
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for from in &entries {
            let Some(name) = from.file_name() else {
                continue;
            };
            let to = self.out.join(name);
            std::fs::rename(from, &to).map_err(|e| cannot(&to, &e))?;
        }
        dir.close().map_err(|e| cannot(&staged, &e))?;
        let out = std::fs::File::open(&self.out).map_err(|e| cannot(&self.out, &e))?;
        if ONE_SYNC {
            sync_filesystem(&out).map_err(|e| cannot(&self.out, &e))?;
        } else {
            out.sync_all().map_err(|e| cannot(&self.out, &e))?;
        }
        Ok(())
    }
}

/// Flushes the filesystem that holds `file` (Linux: `syncfs`; elsewhere: the file itself).
fn sync_filesystem(file: &std::fs::File) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::syncfs(file).map_err(std::io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        file.sync_all()
    }
}

/// Writes `bytes` to `path` atomically (see [`write_all`]).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_all(&[(path.to_path_buf(), bytes)])
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
    fn a_run_writes_all_its_files_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b");
        std::fs::create_dir(&b).unwrap();
        std::fs::write(&a, "old").unwrap();
        // b is a folder: nothing is written, a keeps its old text, no temporary file is left
        let err = write_all(&[(a.clone(), b"new".as_slice()), (b.clone(), b"x".as_slice())]);
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        // a symlink planted where the old fixed temporary name was is not followed
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "safe").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&victim, dir.path().join(".a.txt.stepwise-tmp")).unwrap();
        write_all(&[(a.clone(), b"new".as_slice())]).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "safe");
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
