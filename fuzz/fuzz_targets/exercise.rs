//! Any text as an exercise file: loading, solving (a few epochs) and rendering never panic.
//! Run: cargo +nightly fuzz run exercise (from the repository root).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stepwise::render::{self, Format, Templates};
use stepwise::{solution, spec};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let Ok(mut ex) = spec::load("fuzz.toml", src) else { return };
    for p in &mut ex.problems {
        p.tabulated_epochs = p.tabulated_epochs.min(5);
        p.worked_epochs = p.worked_epochs.min(2);
    }
    if let Ok(sol) = solution::solve(&ex) {
        for f in Format::ALL {
            let _ = render::render(&Templates::default(), &ex, &sol, "en", f, 6);
        }
    }
});
