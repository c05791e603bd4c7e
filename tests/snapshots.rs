//! insta snapshots in the top-level `snapshots/` folder: the trace JSON of the built-in exercise.

use stepwise::{spec, trace};

macro_rules! in_snapshots {
    ($body:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| $body);
    }};
}

#[test]
fn builtin_traces() {
    let ex = spec::builtin();
    for p in &ex.problems {
        let tr = trace::trace(&ex, p, p.tabulated_epochs).unwrap();
        let json = serde_json::to_string_pretty(&tr).unwrap();
        in_snapshots!(insta::assert_snapshot!(format!("trace-{}", p.id), json));
    }
}
