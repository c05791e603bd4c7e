//! libFuzzer's inputs to `stepwise::fuzzing::keyfile` (see there). Run from the repository root:
//! `bash .ci/fuzz`, or `cargo +nightly fuzz run keyfile fuzz/corpus/keyfile fuzz/seeds/keyfile`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stepwise::fuzzing::keyfile(data));
