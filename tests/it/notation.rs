//! The course's notation: symbols, formula numbers, the initial state and the code's function names
//! come from the exercise file; a file that says nothing keeps the optimizers' own.

use stepwise::render::{self, Format, Templates};
use stepwise::solution;
use stepwise::spec::{self, Exercise};

fn sheet(ex: &Exercise, lang: &str) -> String {
    let sol = solution::solve(ex).unwrap();
    render::render(&Templates::default(), ex, &sol, lang, Format::Markdown, 10).unwrap()
}

fn code(ex: &Exercise, i: usize) -> String {
    let tr = stepwise::trace::trace(ex, &ex.problems[i], 2).unwrap();
    render::render_code(
        &Templates::default(),
        ex,
        i,
        &tr,
        "en",
        render::code::Dtype::F32,
    )
    .unwrap()
}

#[test]
fn the_builtin_sheet_writes_the_courses_symbols_and_numbers() {
    let ex = spec::builtin();
    let md = sheet(&ex, "en");
    for s in [
        "dw_{1}^{(1)} &= \\frac{\\partial f}{\\partial w_{1}} = 0.2 w_{1}",
        "v_{corr,i}^{(t)}",
        "s_{corr,2}^{(1)} &= \\frac{s_{2}^{(1)}}{1 - \\beta_{2}^{1}}",
        // GD's update (1.1), with the step written out
        "w_{i}^{(t)} = w_{i}^{(t-1)} - \\alpha \\cdot dw_{i}^{(t)} \\qquad (1.1)",
        "w_{1}^{(1)} &= w_{1}^{(0)} - \\alpha \\cdot dw_{1}^{(1)} \\\\ &= -5 - 0.4 \\cdot \\left(-1\\right) = -4.6",
        "v_{i}^{(t)} = \\beta \\cdot v_{i}^{(t-1)} + \\left(1 - \\beta\\right) \\cdot dw_{i}^{(t)} \\qquad (2.1)",
        "\\qquad (2.2)",
        "\\qquad (3.1)",
        "w_{i}^{(t)} = w_{i}^{(t-1)} - \\alpha \\cdot \\frac{dw_{i}^{(t)}}{\\sqrt{s_{i}^{(t)} + \\epsilon}} \\qquad (3.2)",
        "\\qquad (4.3)",
        "w_{i}^{(t)} = w_{i}^{(t-1)} - \\alpha \\cdot \\frac{v_{corr,i}^{(t)}}{\\sqrt{s_{corr,i}^{(t)}} + \\epsilon} \\qquad (4.5)",
        "**STEP 4.** Bias correction of v and s, by formulas (4.3), (4.4)",
        "**STEP 2.** Update the velocity (first moment) v, by formula (2.1)",
        "Before epoch 1 the state starts at $v_{1}^{(0)} = v_{2}^{(0)} = 0$, $s_{1}^{(0)} = s_{2}^{(0)} = 0$.",
        "$dw_{i}$ denotes component i of the gradient",
    ] {
        assert!(md.contains(s), "missing {s}");
    }
    // the optimizers' own symbols are gone
    for s in ["g_{", "\\hat{v}", "\\hat{s}", "D_{", "\\Delta_{"] {
        assert!(!md.contains(s), "{s} is still there");
    }
    // GD has two STEPs, as the course's
    let gd = &md[md.find("## Exercise 1").unwrap()..md.find("## Exercise 2").unwrap()];
    assert!(gd.contains("**STEP 2.**") && !gd.contains("**STEP 3.**"));
    assert!(!gd.contains("Before epoch 1"), "GD keeps no state");
    let vi = sheet(&ex, "vi");
    assert!(vi.contains("Trước epoch 1, trạng thái được khởi tạo: $v_{1}^{(0)} = v_{2}^{(0)} = 0$"));
    assert!(vi.contains(", theo các công thức (4.3), (4.4)"));
}

#[test]
fn the_builtin_code_uses_the_courses_function_names() {
    let ex = spec::builtin();
    for (i, f) in ["sgd", "sgd_momentum", "RMSProp", "Adam"]
        .iter()
        .enumerate()
    {
        let c = code(&ex, i);
        assert!(c.contains("\ndef df_w(W):\n"), "{c}");
        assert!(c.contains(&format!("\ndef {f}(W, dW, lr, ")), "{c}");
        assert!(c.contains("\ndef train_p1(optimizer, lr, epochs):\n"));
        assert!(c.contains(&format!("results = train_p1({f}, lr=")));
    }
}

#[test]
fn a_file_without_notation_keeps_the_optimizers_own() {
    let src = "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\n[[problem]]\nid = \"adam\"\noptimizer = \"adam\"\nparams = { lr = 0.2 }\n";
    let ex = spec::load("a.toml", src).unwrap();
    let md = sheet(&ex, "en");
    for s in [
        "g_{1}^{(1)}",
        "\\hat{v}_{1}^{(1)}",
        "D_{1}^{(1)}",
        "\\Delta_{1}^{(1)}",
        "$g_{i}$ denotes",
    ] {
        assert!(md.contains(s), "missing {s}");
    }
    assert!(!md.contains("\\qquad ("));
    assert!(code(&ex, 0).contains("\ndef adam(W, dW, lr, "));
}

#[test]
fn a_problem_overrides_the_exercises_symbols_and_the_file_reads_back() {
    let src = r#"
objective = "0.1*w1^2 + 2*w2^2"
start = [-5, -2]

[notation]
g = "dw_{#}"
V = "m_{#}"

[code]
gradient = "grad"
train = "fit"

[[problem]]
id = "m"
optimizer = "momentum"
params = { lr = 0.6, beta = 0.5 }
notation = { V = "\\mathrm{V}_{#}", delta = "" }
formulas = { V = "7" }
function = "heavy"

[[problem]]
id = "a"
optimizer = "adam"
params = { lr = 0.2 }
"#;
    let ex = spec::load("n.toml", src).unwrap();
    assert_eq!(ex.problems[0].notation.symbols["V"], "\\mathrm{V}_{#}");
    assert_eq!(ex.problems[1].notation.symbols["V"], "m_{#}");
    assert!(!ex.problems[1].notation.symbols.contains_key("delta"));
    let md = sheet(&ex, "en");
    assert!(md.contains("\\mathrm{V}_{i}^{(t)} = \\beta \\cdot \\mathrm{V}_{i}^{(t-1)}"));
    assert!(md.contains("m_{1}^{(1)}"));
    assert!(md.contains("\\qquad (7)"));
    let c = code(&ex, 0);
    assert!(
        c.contains("\ndef grad(W):\n")
            && c.contains("\ndef heavy(W, dW, lr, ")
            && c.contains("results = fit(heavy, ")
    );
    let back = spec::load("back.toml", &spec::to_toml(&ex)).unwrap();
    for (p, q) in ex.problems.iter().zip(&back.problems) {
        assert_eq!(p.notation, q.notation);
    }
    assert_eq!(back.code, ex.code);
    assert_eq!(spec::to_toml(&back), spec::to_toml(&ex));
    // the built-in exercise reads back too
    let b = spec::builtin();
    let again = spec::load("b.toml", &spec::to_toml(&b)).unwrap();
    assert_eq!(again.problems[3].notation, b.problems[3].notation);
}
