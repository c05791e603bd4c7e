//! The generated NumPy code, run by real NumPy, prints exactly what stepwise's float engines compute:
//! every point of every epoch, bit for bit, in float32 and float64, for every optimizer of the shared
//! table (through `stepwise code`), for the built-in exercise and for the exercises in
//! `tests/exercises/`. All the programs of a test run in one Python process.

use crate::harness::{root, stepwise, tool, Scratch, Tool};
use crate::optimizers::{self, TABLE};
use std::path::{Path, PathBuf};
use std::process::Command;
use stepwise::render::{self, code::Dtype, Templates};
use stepwise::spec::{self, Exercise, Problem};
use stepwise::trace;
/// `float.hex()` as Python writes it.
fn py_hex(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let bits = x.to_bits();
    let sign = if bits >> 63 == 1 { "-" } else { "" };
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let man = bits & ((1u64 << 52) - 1);
    if exp == 0 && man == 0 {
        return format!("{sign}0x0.0p+0");
    }
    let (lead, e) = if exp == 0 {
        (0, -1022)
    } else {
        (1, exp - 1023)
    };
    let e = if e >= 0 {
        format!("+{e}")
    } else {
        e.to_string()
    };
    format!("{sign}0x{lead}.{man:013x}p{e}")
}

fn exercises() -> Vec<Exercise> {
    let mut v = vec![spec::builtin()];
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/exercises"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        v.push(spec::load(&f.display().to_string(), &src).unwrap());
    }
    v
}

/// Runs the generated programs `(name, code)` with `--hex`, all in one Python process (NumPy is imported
/// once), each as its own `__main__`; returns each program's lines as printed: the epoch, then its point
/// as `float.hex()`.
fn run_programs(python: &Path, programs: &[(String, String)]) -> Vec<Vec<Vec<String>>> {
    const DRIVER: &str = "\
import runpy, sys
paths = sys.argv[1:]
sys.argv = [sys.argv[0], '--hex']
for path in paths:
    print('== ' + path, flush=True)
    runpy.run_path(path, run_name='__main__')
    sys.stdout.flush()
";
    let dir = Scratch::new();
    let mut cmd = Command::new(python);
    cmd.arg("-c").arg(DRIVER);
    for (name, code) in programs {
        let file = dir.join(name);
        std::fs::write(&file, code).unwrap();
        cmd.arg(file);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "python failed after:\n{}\n{}",
        stdout.lines().rev().take(3).collect::<Vec<_>>().join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut printed: Vec<(String, Vec<Vec<String>>)> = vec![];
    for line in stdout.lines() {
        match line.strip_prefix("== ") {
            Some(path) => printed.push((path.to_string(), vec![])),
            None => printed
                .last_mut()
                .expect("a program's header comes first")
                .1
                .push(line.split(' ').map(str::to_string).collect()),
        }
    }
    let ran: Vec<String> = printed.iter().map(|(p, _)| p.clone()).collect();
    let given: Vec<String> = programs
        .iter()
        .map(|(name, _)| dir.join(name).display().to_string())
        .collect();
    assert_eq!(ran, given, "every program ran, in order");
    printed.into_iter().map(|(_, lines)| lines).collect()
}

/// A float engine's points as the generated code prints them with `--hex`: the epoch, then the point.
fn engine_points(ex: &Exercise, p: &Problem, dtype: Dtype) -> Vec<Vec<String>> {
    let points: Vec<Vec<f64>> = match dtype {
        Dtype::F32 => trace::points::<f32>(ex, p, p.tabulated_epochs)
            .unwrap()
            .iter()
            .map(|w| w.iter().map(|x| f64::from(*x)).collect())
            .collect(),
        Dtype::F64 => trace::points::<f64>(ex, p, p.tabulated_epochs).unwrap(),
    };
    points
        .iter()
        .enumerate()
        .map(|(epoch, w)| {
            std::iter::once(epoch.to_string())
                .chain(w.iter().map(|x| py_hex(*x)))
                .collect()
        })
        .collect()
}

/// Checks what NumPy printed for each program against the float engine.
fn compare(printed: &[Vec<Vec<String>>], cases: &[(&Exercise, &Problem, Dtype, String)]) {
    assert_eq!(printed.len(), cases.len());
    for (got, (ex, p, dtype, name)) in printed.iter().zip(cases) {
        let ours = engine_points(ex, p, *dtype);
        assert_eq!(got.len(), ours.len(), "{}: {name}", ex.source);
        for (k, (a, b)) in got.iter().zip(&ours).enumerate() {
            assert_eq!(a, b, "{}: {name}, epoch {k}", ex.source);
        }
    }
}

#[test]
fn generated_code_matches_the_float_engines_bit_for_bit() {
    let Some(python) = tool(Tool::NumPy) else {
        return;
    };
    let exercises = exercises();
    let mut programs = vec![];
    let mut cases = vec![];
    for (n, ex) in exercises.iter().enumerate() {
        for (i, p) in ex.problems.iter().enumerate() {
            for dtype in [Dtype::F32, Dtype::F64] {
                let tr = stepwise::trace::trace(ex, p, 0).unwrap();
                let code =
                    render::render_code(&Templates::default(), ex, i, &tr, "en", dtype).unwrap();
                let name = format!("{n}-{}-{}.py", p.id, dtype.name());
                programs.push((name.clone(), code));
                cases.push((ex, p, dtype, name));
            }
        }
    }
    let checked = programs.len();
    compare(&run_programs(&python, &programs), &cases);
    assert!(checked >= 20, "{checked} programs checked");
}

/// An exercise with two problems per row of the optimizer table, 30 epochs each on a two-variable
/// quartic: `<id>-worked` with the row's hand-worked parameters, `<id>-generated` with its generated
/// parameters filled in.
fn table_exercise() -> String {
    let mut src = String::from(
        "objective = \"0.3*w1^2 + 1.7*w2^2 + 0.25*w1*w2 + 0.1*w1^4\"\nstart = [1.3, -0.7]\ntabulated_epochs = 30\n",
    );
    for row in TABLE {
        let generated = optimizers::generated(row, "0.05", "0.8", "0.99");
        for (kind, params) in [("worked", row.params), ("generated", &generated)] {
            let id = format!("{}-{}-{kind}", row.id, row.form);
            src.push_str(&optimizers::problem(row, &id, params));
        }
    }
    src
}

#[test]
fn stepwise_code_matches_the_float_engines_for_every_optimizer() {
    let Some(python) = tool(Tool::NumPy) else {
        return;
    };
    let dir = Scratch::new();
    let file = dir.arg("table.toml");
    let src = table_exercise();
    std::fs::write(&file, &src).unwrap();
    let ex = spec::load(&file, &src).unwrap();
    assert_eq!(ex.problems.len(), 2 * TABLE.len());
    let mut programs = vec![];
    let mut cases = vec![];
    for p in &ex.problems {
        assert_eq!(p.tabulated_epochs, 30);
        for dtype in [Dtype::F32, Dtype::F64] {
            let out = stepwise(&["code", &file, "--problem", &p.id, "--dtype", dtype.name()]);
            assert_eq!(out.code(), Some(0), "{}: {}", p.id, out.stderr);
            assert!(
                out.stdout.contains(&format!("DTYPE = np.{}", dtype.name())),
                "{}",
                out.stdout
            );
            let name = format!("{}-{}.py", p.id, dtype.name());
            programs.push((name.clone(), out.stdout));
            cases.push((&ex, p, dtype, name));
        }
    }
    compare(&run_programs(&python, &programs), &cases);
    // every optimizer ran in both float types
    for row in TABLE {
        for kind in ["worked", "generated"] {
            let id = format!("{}-{}-{kind}", row.id, row.form);
            let p = ex.problem(&id).unwrap();
            assert_eq!((p.optimizer.id, p.optimizer.form), (row.id, row.form));
            for dtype in [Dtype::F32, Dtype::F64] {
                assert!(
                    cases.iter().any(|c| c.1.id == id && c.2 == dtype),
                    "{id} {}",
                    dtype.name()
                );
            }
        }
    }
}

#[test]
fn the_course_float32_numbers() {
    // float32 at epoch 2 of Adam, beside the exact (-4.60025477943..., -1.60082450636...): NumPy prints
    // these (the bit-for-bit test above runs the real code)
    let ex = spec::builtin();
    let p = ex.problem("adam").unwrap();
    let pts = trace::points::<f32>(&ex, p, 2).unwrap();
    assert_eq!(pts[2][0].to_string(), "-4.600255");
    assert_eq!(pts[2][1].to_string(), "-1.6008246");
    // and GD's epoch 2 in float32 is not exactly -4.232
    let p = ex.problem("gd").unwrap();
    let pts = trace::points::<f32>(&ex, p, 2).unwrap();
    assert_eq!(f64::from(pts[2][0]), -4.231_999_874_114_99);
}

#[test]
fn python_hex_format() {
    assert_eq!(py_hex(1.0), "0x1.0000000000000p+0");
    assert_eq!(py_hex(-0.1), "-0x1.999999999999ap-4");
    assert_eq!(py_hex(0.0), "0x0.0p+0");
    assert_eq!(py_hex(5e-324), "0x0.0000000000001p-1022");
}
