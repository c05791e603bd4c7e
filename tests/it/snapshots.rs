//! insta snapshots in the top-level `snapshots/` folder: the trace JSON of the built-in exercise.

use crate::harness::snapshots;
use stepwise::{spec, trace};

#[test]
fn builtin_traces() {
    let ex = spec::builtin();
    for p in &ex.problems {
        let tr = trace::trace(&ex, p, p.tabulated_epochs).unwrap();
        let json = serde_json::to_string_pretty(&tr).unwrap();
        snapshots(|| insta::assert_snapshot!(format!("trace-{}", p.id), json));
    }
}
