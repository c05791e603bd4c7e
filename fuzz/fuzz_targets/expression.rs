//! Any text as an objective: parsing, differentiation and printing never panic.
//! Run: cargo +nightly fuzz run expression (from the repository root).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stepwise::expr::Poly;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    if let Ok(p) = Poly::parse(src, 3) {
        let _ = p.gradient();
        let _ = p.to_latex();
        let _ = p.to_python();
    }
});
