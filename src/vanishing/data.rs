//! FashionMNIST from its four IDX files (gzip-compressed or not), held in memory as one byte array of
//! pixels and one of labels per split.
//!
//! IDX: a 4-byte magic number (two zero bytes, the element type, 0x08 for unsigned bytes, and the
//! number of dimensions), each dimension as a big-endian u32, then the elements. Images are
//! `N x 28 x 28`, labels `N` values from 0 to 9. A file that is not IDX, whose sizes disagree with its
//! header or with its partner, or that is cut short is refused with a message naming it, never a panic.

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Pixels per image (28 x 28).
pub const PIXELS: usize = 28 * 28;

/// The classes.
pub const CLASSES: usize = 10;

/// What installs the data set.
pub const INSTALL: &str = "apt-get install dataset-fashion-mnist";

/// Where Debian's `dataset-fashion-mnist` puts the files.
pub const SYSTEM_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// Where torchvision downloads them, relative to the working folder.
pub const TORCHVISION_DIR: &str = "data/FashionMNIST/raw";

/// The environment variable that names a folder holding the files.
pub const ENV_DIR: &str = "FASHION_MNIST_DIR";

/// The four files, without `.gz`: train images, train labels, test images, test labels.
pub const FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

/// The largest file read (after decompression): the training images are 47 MB.
const MAX_BYTES: u64 = 256 << 20;

/// Why the data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// No folder holds the files.
    #[error("fashion-mnist not found in {looked}: install it with `{INSTALL}`, or give --data DIR or ${ENV_DIR}")]
    NotFound {
        /// The folders looked in.
        looked: String,
    },
    /// The folder given lacks a file.
    #[error("{dir}: no {file} or {file}.gz there (install fashion-mnist with `{INSTALL}`)")]
    Missing {
        /// The folder.
        dir: String,
        /// The file.
        file: &'static str,
    },
    /// A file could not be read.
    #[error("{path}: cannot read: {reason}")]
    Io {
        /// The file.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// A file is not what it should be.
    #[error("{path}: {detail} (reinstall with `{INSTALL}`)")]
    Corrupt {
        /// The file.
        path: String,
        /// What is wrong.
        detail: String,
    },
}

/// One split: `len` images of [`PIXELS`] bytes each, row after row, and their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Pixels, 0 to 255, `len * PIXELS` of them.
    pub images: Vec<u8>,
    /// Labels, 0 to 9.
    pub labels: Vec<u8>,
}

impl Split {
    /// The number of examples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// The data set.
#[derive(Debug, Clone)]
pub struct FashionMnist {
    /// The folder it was read from.
    pub dir: PathBuf,
    /// 60,000 training examples in the real set.
    pub train: Split,
    /// 10,000 test examples in the real set.
    pub test: Split,
}

/// The folder to read: `explicit` (`--data`) when given, else `env` (`$FASHION_MNIST_DIR`) when set,
/// else the first of [`SYSTEM_DIR`] and [`TORCHVISION_DIR`] that holds the four files. A folder given
/// explicitly is taken even when it lacks files, so that [`load`] says which one is missing.
pub fn locate(explicit: Option<&Path>, env: Option<&Path>) -> Result<PathBuf, DataError> {
    if let Some(d) = explicit.or(env) {
        return Ok(d.to_path_buf());
    }
    let defaults = [Path::new(SYSTEM_DIR), Path::new(TORCHVISION_DIR)];
    defaults
        .iter()
        .find(|d| FILES.iter().all(|f| find(d, f).is_some()))
        .map(|d| d.to_path_buf())
        .ok_or_else(|| DataError::NotFound {
            looked: defaults
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(" and "),
        })
}

/// The path of `name` or `name.gz` in `dir`, the uncompressed one first.
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    [dir.join(name), dir.join(format!("{name}.gz"))]
        .into_iter()
        .find(|p| p.is_file())
}

/// Reads the four files of `dir`.
pub fn load(dir: &Path) -> Result<FashionMnist, DataError> {
    let path = |file: &'static str| {
        find(dir, file).ok_or_else(|| DataError::Missing {
            dir: dir.display().to_string(),
            file,
        })
    };
    let paths = [
        path(FILES[0])?,
        path(FILES[1])?,
        path(FILES[2])?,
        path(FILES[3])?,
    ];
    let train = split(&paths[0], &paths[1])?;
    let test = split(&paths[2], &paths[3])?;
    Ok(FashionMnist {
        dir: dir.to_path_buf(),
        train,
        test,
    })
}

fn split(images: &Path, labels: &Path) -> Result<Split, DataError> {
    let (dims, pixels) = idx(images, 3)?;
    if dims[1] != 28 || dims[2] != 28 {
        return Err(corrupt(
            images,
            format!(
                "images of {} x {} pixels, expected 28 x 28",
                dims[1], dims[2]
            ),
        ));
    }
    let (ldims, labs) = idx(labels, 1)?;
    if ldims[0] != dims[0] {
        return Err(corrupt(
            labels,
            format!(
                "{} labels for the {} images of {}",
                ldims[0],
                dims[0],
                images.display()
            ),
        ));
    }
    if let Some(i) = labs.iter().position(|&l| usize::from(l) >= CLASSES) {
        return Err(corrupt(
            labels,
            format!(
                "label {} of example {} is not a class from 0 to 9",
                labs[i],
                i + 1
            ),
        ));
    }
    Ok(Split {
        images: pixels,
        labels: labs,
    })
}

fn corrupt(path: &Path, detail: String) -> DataError {
    DataError::Corrupt {
        path: path.display().to_string(),
        detail,
    }
}

/// The bytes of `path`, gunzipped when they start with the gzip magic number.
fn read(path: &Path) -> Result<Vec<u8>, DataError> {
    let io = |e: std::io::Error| DataError::Io {
        path: path.display().to_string(),
        reason: io_reason(&e),
    };
    let mut raw = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut raw)
        .map_err(io)?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .take(MAX_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => {
                    corrupt(path, "truncated: the gzip stream ends early".into())
                }
                _ => corrupt(path, format!("not a valid gzip file: {}", io_reason(&e))),
            })?;
        out
    } else {
        raw
    };
    if bytes.len() as u64 > MAX_BYTES {
        return Err(corrupt(
            path,
            format!("larger than {} MiB, not FashionMNIST", MAX_BYTES >> 20),
        ));
    }
    Ok(bytes)
}

/// The dimensions and elements of the IDX file at `path`, which must hold unsigned bytes in `ndim`
/// dimensions.
fn idx(path: &Path, ndim: usize) -> Result<(Vec<usize>, Vec<u8>), DataError> {
    let mut bytes = read(path)?;
    let header = 4 + 4 * ndim;
    if bytes.len() < 4 {
        return Err(corrupt(
            path,
            format!("truncated: {} bytes, no IDX header", bytes.len()),
        ));
    }
    let want = [0, 0, 0x08, ndim as u8];
    if bytes[..4] != want {
        return Err(corrupt(
            path,
            format!(
                "not an IDX file of unsigned bytes in {ndim} dimension{}: magic number {:02x}{:02x}{:02x}{:02x}, expected {:02x}{:02x}{:02x}{:02x}",
                if ndim == 1 { "" } else { "s" },
                bytes[0], bytes[1], bytes[2], bytes[3], want[0], want[1], want[2], want[3]
            ),
        ));
    }
    if bytes.len() < header {
        return Err(corrupt(
            path,
            format!(
                "truncated: {} bytes, the header alone is {header}",
                bytes.len()
            ),
        ));
    }
    let dims: Vec<usize> = bytes[4..header]
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let count = dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
    let got = bytes.len() - header;
    match count {
        Some(n) if n == got => {}
        Some(n) if n > got => {
            return Err(corrupt(
                path,
                format!("truncated: the header announces {n} bytes of data, the file has {got}"),
            ))
        }
        Some(n) => {
            return Err(corrupt(
                path,
                format!("{} bytes after the {n} the header announces", got - n),
            ))
        }
        None => return Err(corrupt(path, "sizes in the header overflow".into())),
    }
    bytes.drain(..header);
    Ok((dims, bytes))
}

/// The system's reason, without the error number, in lower case.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s);
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Writes `split` as the IDX files `<prefix>-images-idx3-ubyte` and `<prefix>-labels-idx1-ubyte`
/// in `dir`, gzipped when `gz`: for tests and for data made elsewhere.
pub fn write_idx(dir: &Path, prefix: &str, split: &Split, gz: bool) -> std::io::Result<()> {
    use std::io::Write as _;
    let n = (split.len() as u32).to_be_bytes();
    let mut images = vec![0, 0, 0x08, 3];
    images.extend(n);
    images.extend(28u32.to_be_bytes());
    images.extend(28u32.to_be_bytes());
    images.extend(&split.images);
    let mut labels = vec![0, 0, 0x08, 1];
    labels.extend(n);
    labels.extend(&split.labels);
    for (name, bytes) in [("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)] {
        let file = format!("{prefix}-{name}");
        if gz {
            let mut enc = flate2::write::GzEncoder::new(
                std::fs::File::create(dir.join(format!("{file}.gz")))?,
                flate2::Compression::fast(),
            );
            enc.write_all(&bytes)?;
            enc.finish()?;
        } else {
            std::fs::write(dir.join(file), bytes)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(n: usize) -> Split {
        Split {
            images: (0..n * PIXELS).map(|i| (i % 251) as u8).collect(),
            labels: (0..n).map(|i| (i % 10) as u8).collect(),
        }
    }

    #[test]
    fn reads_back_what_it_writes_gzipped_or_not() {
        let dir = tempfile::tempdir().unwrap();
        write_idx(dir.path(), "train", &tiny(5), true).unwrap();
        write_idx(dir.path(), "t10k", &tiny(3), false).unwrap();
        let d = load(dir.path()).unwrap();
        assert_eq!(d.train, tiny(5));
        assert_eq!(d.test, tiny(3));
    }

    #[test]
    fn refuses_corrupt_files_with_their_reason() {
        let dir = tempfile::tempdir().unwrap();
        write_idx(dir.path(), "train", &tiny(5), false).unwrap();
        write_idx(dir.path(), "t10k", &tiny(3), false).unwrap();
        let images = dir.path().join(FILES[0]);
        let good = std::fs::read(&images).unwrap();
        let msg = |bytes: &[u8]| {
            std::fs::write(&images, bytes).unwrap();
            load(dir.path()).unwrap_err().to_string()
        };
        assert!(msg(&good[..good.len() - 1])
            .contains("truncated: the header announces 3920 bytes of data, the file has 3919"));
        let mut bad = good.clone();
        bad[3] = 1;
        assert!(msg(&bad).contains("magic number 00000801, expected 00000803"));
        assert!(msg(&good[..2]).contains("no IDX header"));
        let mut extra = good.clone();
        extra.push(0);
        assert!(msg(&extra).contains("1 bytes after the 3920"));
        std::fs::write(&images, &good).unwrap();
        let labels = dir.path().join(FILES[1]);
        let mut l = std::fs::read(&labels).unwrap();
        *l.last_mut().unwrap() = 10;
        std::fs::write(&labels, &l).unwrap();
        assert!(load(dir.path())
            .unwrap_err()
            .to_string()
            .contains("label 10 of example 5"));
        std::fs::remove_file(&labels).unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("no train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz"),
            "{e}"
        );
        assert!(e.contains(INSTALL));
    }

    #[test]
    fn a_cut_gzip_file_is_truncated() {
        let dir = tempfile::tempdir().unwrap();
        write_idx(dir.path(), "train", &tiny(40), true).unwrap();
        write_idx(dir.path(), "t10k", &tiny(3), true).unwrap();
        let p = dir.path().join(format!("{}.gz", FILES[0]));
        let gz = std::fs::read(&p).unwrap();
        std::fs::write(&p, &gz[..gz.len() / 2]).unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("truncated: the gzip stream ends early"), "{e}");
    }
}
