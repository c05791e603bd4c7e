//! libFuzzer's inputs to `stepwise::fuzzing::pipeline` (see there). Run from the repository root:
//! `bash .ci/fuzz`, or `cargo +nightly fuzz run pipeline fuzz/corpus/pipeline fuzz/seeds/pipeline`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stepwise::fuzzing::pipeline(data));
