//! The fuzz targets' inputs replayed as a test: every committed seed (`fuzz/seeds/<target>/`) and
//! every input that once crashed a target (`fuzz/regressions/<target>/`, where `.ci/fuzz` tells to
//! put one) goes through the target's body in `stepwise::fuzzing`. A panic fails the test with the
//! file's name.

use crate::harness::root;
use stepwise::fuzzing::TARGETS;

#[test]
fn fuzz_inputs_replay() {
    let mut seen = 0;
    for (name, body) in TARGETS {
        let mut files = Vec::new();
        for dir in ["seeds", "regressions"] {
            if let Ok(entries) = std::fs::read_dir(root().join("fuzz").join(dir).join(name)) {
                files.extend(entries.flatten().map(|e| e.path()));
            }
        }
        files.sort();
        assert!(
            !files.is_empty(),
            "target {name} has no seed in fuzz/seeds/{name}"
        );
        for f in files {
            let data = std::fs::read(&f).expect("a fuzz input reads");
            let caught = std::panic::catch_unwind(|| body(&data));
            assert!(caught.is_ok(), "{name} panics on {}", f.display());
            seen += 1;
        }
    }
    assert!(seen >= 40, "only {seen} fuzz inputs replayed");
}
