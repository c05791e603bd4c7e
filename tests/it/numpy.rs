//! The generated NumPy code, run by real NumPy, prints exactly what stepwise's float engines compute:
//! every point of every epoch, bit for bit, in float32 and float64, for the built-in exercise and for
//! the exercises in `tests/exercises/`.

use crate::harness::{root, tool, Scratch, Tool};
use std::path::{Path, PathBuf};
use std::process::Command;
use stepwise::render::{self, code::Dtype, Templates};
use stepwise::spec::{self, Exercise};
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

fn run_python(python: &Path, code: &str, name: &str) -> Vec<Vec<String>> {
    let dir = Scratch::new();
    let file = dir.join(name);
    std::fs::write(&file, code).unwrap();
    let out = Command::new(python)
        .arg(&file)
        .arg("--hex")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split(' ').skip(1).map(str::to_string).collect())
        .collect()
}

#[test]
fn generated_code_matches_the_float_engines_bit_for_bit() {
    let Some(python) = tool(Tool::NumPy) else {
        return;
    };
    let mut checked = 0;
    for ex in exercises() {
        for (i, p) in ex.problems.iter().enumerate() {
            for dtype in [Dtype::F32, Dtype::F64] {
                let code = render::render_code(&Templates::default(), &ex, i, "en", dtype).unwrap();
                let name = format!("{}-{}.py", p.id, dtype.name());
                let printed = run_python(&python, &code, &name);
                let ours: Vec<Vec<String>> = match dtype {
                    Dtype::F32 => trace::points::<f32>(&ex, p, p.tabulated_epochs)
                        .unwrap()
                        .iter()
                        .map(|w| w.iter().map(|x| py_hex(f64::from(*x))).collect())
                        .collect(),
                    Dtype::F64 => trace::points::<f64>(&ex, p, p.tabulated_epochs)
                        .unwrap()
                        .iter()
                        .map(|w| w.iter().map(|x| py_hex(*x)).collect())
                        .collect(),
                };
                assert_eq!(printed.len(), ours.len(), "{}: {name}", ex.source);
                for (k, (a, b)) in printed.iter().zip(&ours).enumerate() {
                    assert_eq!(a, b, "{}: {name}, epoch {k}", ex.source);
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "{checked} programs checked");
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
