//! libFuzzer's inputs to `stepwise::fuzzing::expression` (see there). Run from the repository root:
//! `bash .ci/fuzz`, or `cargo +nightly fuzz run expression fuzz/corpus/expression fuzz/seeds/expression`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stepwise::fuzzing::expression(data));
