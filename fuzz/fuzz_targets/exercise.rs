//! libFuzzer's inputs to `stepwise::fuzzing::exercise` (see there). Run from the repository root:
//! `bash .ci/fuzz`, or `cargo +nightly fuzz run exercise fuzz/corpus/exercise fuzz/seeds/exercise`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stepwise::fuzzing::exercise(data));
