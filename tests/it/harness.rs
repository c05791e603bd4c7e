//! Helpers shared by the integration tests: the built binary, the snapshot folder, a seeded generator.
#![allow(dead_code, unused_macros)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the built `stepwise` binary in the repository root.
pub fn stepwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// Bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
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

/// Runs an insta assertion with snapshots in the top-level `snapshots/` folder.
macro_rules! in_snapshots {
    ($body:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| $body);
    }};
}
