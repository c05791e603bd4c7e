//! The binary as a user runs it: invalid inputs, exit codes, and the commands' output.

use crate::harness::{root, stepwise, Scratch};
use crate::optimizers::{self, TABLE};
use std::path::Path;

/// Every invalid exercise file with the one line it must produce (after `stepwise: <path>:`); `{ids}`
/// stands for the ids of the optimizer table, so that adding an optimizer changes no message here.
const INVALID: &[(&str, &str)] = &[
    ("bad-function", "8:12: problem 'gd': function: 'import' is a Python keyword or a name the generated code uses itself"),
    ("bad-id", "5:6: problem id '../etc': use 1 to 40 of a-z, 0-9, '_' and '-'"),
    ("bad-symbol", "5:5: notation: symbol of 'g': '\\input' is not a command a symbol may use (Greek letters, \\hat, \\bar, \\tilde, \\mathrm, ...)"),
    ("beta-one", "7:29: problem 'm': beta must be in [0, 1), got 1"),
    ("convention-without-optimizer", "7:14: problem 'gd': pytorch has no adopt: the conventions with adopt are course, optax"),
    ("duplicate-id", "10:6: problem id 'gd' is used twice"),
    ("empty-start", "2:9: start must list 1 to 32 numbers, one per variable w1, w2, ..."),
    ("float-overflow", "2:14: floating-point number overflowed (numbers must stay within the magnitude bound 1e300)"),
    ("malformed-toml", "3:1: missing comma between array elements, expected `,`"),
    ("missing-parameter", "4:1: problem 'gd': gd needs parameter 'lr'"),
    ("negative-lr", "7:17: problem 'gd': lr must be > 0, got -0.4"),
    ("no-problem", " no [[problem]] tables: an exercise needs at least one problem"),
    ("no-such-form", "7:8: problem 'gd': adam has no form with eps = inside, bias_correction = folded: its forms are paper (eps = outside, bias_correction = separate; convention course, pytorch, d2l, optax, goodfellow); keras (eps = outside, bias_correction = folded; convention keras); eps-inside (eps = inside, bias_correction = separate)"),
    ("non-polynomial-objective", "1:27: objective: not a polynomial: only division by a number is allowed"),
    ("not-a-number", "7:17: problem 'gd': lr: 'fast' is not a decimal number"),
    ("past-magnitude-bound", "2:14: start[2]: '1e305' is past the magnitude bound 1e300"),
    ("state-left-out", "8:18: problem 'gd': notation: 'V' is a state, carried from epoch to epoch: its symbol cannot be empty"),
    ("unknown-choice", "7:20: problem 'gd': rmsprop has no choice 'centred': expected eps, centered, momentum"),
    ("unknown-convention", "7:14: problem 'gd': unknown convention 'tensorflow': expected one of course, pytorch, d2l, optax, keras, goodfellow"),
    ("unknown-key", "8:1: unknown field `learning_rate`, expected one of `id`, `title`, `optimizer`, `convention`, `form`, `params`, `worked_epochs`, `tabulated_epochs`, `notation`, `formulas`, `function`"),
    ("unknown-optimizer", "6:13: unknown optimizer 'no-such-optimizer': expected one of {ids}"),
    ("unknown-quantity", "8:18: problem 'gd': gd has no quantity 'V': expected delta, w"),
    ("unknown-variable", "1:27: objective: unknown variable 'w3': the start point gives w1 to w2"),
    ("unparsable-objective", "1:25: objective: expected a number, a variable or '(', found '*'"),
    ("worked-past-tabulated", "3:17: problem 'gd': worked_epochs (10) is more than tabulated_epochs (5): part (a) works epochs that part (b) tabulates"),
    ("zero-epochs", "8:20: tabulated_epochs must be from 1 to 100000, got 0"),
];

#[test]
fn every_invalid_file_gets_one_line_and_exit_code_2() {
    let dir = root().join("tests/invalid");
    let mut seen: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    seen.sort();
    let listed: Vec<String> = INVALID.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        seen, listed,
        "every fixture in tests/invalid has an expected message"
    );
    let ids = optimizers::ids().join(", ");
    for (name, want) in INVALID {
        let want = want.replace("{ids}", &ids);
        let path = format!("tests/invalid/{name}.toml");
        for cmd in ["run", "trace"] {
            let mut args = vec![cmd, path.as_str()];
            if cmd == "trace" {
                args.extend(["--problem", "gd"]);
            }
            let out = stepwise(&args);
            assert_eq!(
                out.stderr,
                format!("stepwise: {path}:{want}\n"),
                "{cmd} {name}"
            );
            assert_eq!(out.code(), Some(2), "{cmd} {name}");
            assert!(out.stdout.is_empty(), "{cmd} {name} printed to stdout");
        }
    }
}

#[test]
fn a_missing_file_is_bad_input() {
    let out = stepwise(&["run", "no/such/file.toml"]);
    assert_eq!(
        out.stderr,
        "stepwise: no/such/file.toml: cannot read: no such file or directory\n"
    );
    assert_eq!(out.code(), Some(2));
}

#[test]
fn an_unknown_problem_lists_the_known_ones() {
    let out = stepwise(&["trace", "--problem", "sgd"]);
    assert_eq!(
        out.stderr,
        "stepwise: no problem 'sgd' in <built-in exercise>: expected one of gd, momentum, rmsprop, adam\n"
    );
    assert_eq!(out.code(), Some(2));
}

#[test]
fn bad_flags_exit_2() {
    let out = stepwise(&["run", "--digits", "40"]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr.contains("--digits"));
}

#[test]
fn run_prints_the_course_numbers() {
    let out = stepwise(&["run", "--problem", "gd", "--epochs", "2", "--format", "csv"]);
    assert_eq!(out.code(), Some(0));
    assert_eq!(
        out.stdout,
        "problem,epoch,w1,w2,f\ngd,0,-5,-2,10.5\ngd,1,-4.6,1.2,4.996\ngd,2,-4.232,-0.72,2.8277824\n"
    );
}

#[test]
fn run_table_says_it_rounds() {
    let out = stepwise(&["run", "--problem", "adam", "--epochs", "1"]);
    let s = out.stdout;
    assert!(s.contains("-4.8000002"), "{s}");
    assert!(
        s.contains("at most 10 significant digits, every one certain"),
        "{s}"
    );
}

#[test]
fn trace_one_epoch_as_json() {
    let out = stepwise(&["trace", "--problem", "momentum", "--epoch", "2"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["format"], "stepwise-trace/2");
    let e = &v["epochs"][0];
    assert_eq!(e["epoch"], 2);
    // every computed value comes with its radius (0: momentum's course values are exact)
    let mids = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .unwrap()
            .iter()
            .map(|b| {
                assert_eq!(b["rad"], "0");
                b["mid"].as_str().unwrap().to_string()
            })
            .collect()
    };
    assert_eq!(mids(&e["after"]), ["-4.268", "1.12"]);
    assert_eq!(e["quantities"][0]["key"], "V");
    assert_eq!(mids(&e["quantities"][0]["values"]), ["-0.72", "-1.2"]);
}

#[test]
fn list_shows_every_optimizer_and_default() {
    let s = stepwise(&["list"]).stdout;
    for row in TABLE {
        assert!(s.contains(row.id), "missing {}: {s}", row.id);
    }
    for want in ["beta2", "= 0.999", "in [0, 1)", "(required)"] {
        assert!(s.contains(want), "missing {want}: {s}");
    }
}

#[test]
fn init_writes_the_builtin_exercise_and_refuses_to_overwrite() {
    let dir = Scratch::new();
    let path = dir.arg("ex.toml");
    let p = path.as_str();
    assert_eq!(stepwise(&["init", p]).code(), Some(0));
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, stepwise::spec::BUILTIN);
    let again = stepwise(&["init", p]);
    assert_eq!(again.code(), Some(2));
    assert!(again
        .stderr
        .contains("already exists (use --force to replace it)"));
    // the written file runs and gives the built-in numbers
    let out = stepwise(&[
        "run",
        p,
        "--problem",
        "momentum",
        "--epochs",
        "2",
        "--format",
        "csv",
    ]);
    assert!(out.stdout.contains("momentum,2,-4.268,1.12,"));
    drop(dir);
    assert!(!Path::new(p).exists());
}

#[test]
fn help_teaches() {
    let s = stepwise(&["--help"]).stdout;
    assert!(s.contains("Examples:") && s.contains("Exit codes"), "{s}");
    let s = stepwise(&["run", "--help"]).stdout;
    assert!(s.contains("--digits"), "{s}");
}

#[test]
fn solve_writes_every_sheet() {
    let scratch = Scratch::new();
    let dir = scratch.join("out");
    let out = stepwise(&["solve", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want = vec![];
    for lang in ["en", "vi"] {
        for id in ["adam", "gd", "momentum", "rmsprop"] {
            want.push(format!("{id}-{lang}.py"));
        }
        for ext in ["html", "md", "tex"] {
            want.push(format!("solution-{lang}.{ext}"));
        }
    }
    // the figures the Markdown sheets link, one set for both languages
    for id in ["adam", "gd", "momentum", "rmsprop"] {
        want.push(format!("{id}-figure.svg"));
    }
    for f in ["compare", "gradient", "objective"] {
        want.push(format!("figures-{f}.svg"));
    }
    // exercise 5's figures, when out/vanishing holds its results
    if let Ok(Some(r)) = stepwise::vanishing::report::load(&root().join("out/vanishing")) {
        want.push("vanishing-accuracy.svg".into());
        want.push("vanishing-loss.svg".into());
        for run in r.runs.iter().filter(|r| !r.epochs.is_empty()) {
            want.push(format!("vanishing-gradients-{}.svg", run.optimizer));
        }
    }
    want.sort();
    assert_eq!(names, want);
    // the committed out/ is what solve makes
    for n in &names {
        let fresh = std::fs::read_to_string(dir.join(n)).unwrap();
        let committed = std::fs::read_to_string(root().join("out").join(n)).unwrap();
        assert!(
            fresh == committed,
            "out/{n} is stale: run 'cargo run -- solve --pdf'"
        );
    }
}

#[test]
fn solve_to_stdout_needs_one_sheet() {
    let out = stepwise(&["solve", "--lang", "en", "--format", "md", "-o", "-"]);
    assert_eq!(out.code(), Some(0));
    assert!(out.stdout.starts_with("# Optimization algorithms"));
    let out = stepwise(&["solve", "-o", "-"]);
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr,
        "stepwise: -o - writes one sheet: choose one --lang and one --format\n"
    );
}

#[test]
fn a_failed_solve_leaves_nothing_behind() {
    let scratch = Scratch::new();
    let tpl = scratch.join("templates");
    std::fs::create_dir_all(&tpl).unwrap();
    // the HTML template is the last one rendered: an error there must still leave nothing written
    std::fs::write(tpl.join("page.html"), "{% for x in %}").unwrap();
    let dir = scratch.join("out");
    let out = stepwise(&[
        "solve",
        "--out",
        dir.to_str().unwrap(),
        "--templates",
        tpl.to_str().unwrap(),
    ]);
    assert_eq!(out.code(), Some(2));
    let err = out.stderr;
    assert!(
        err.starts_with("stepwise: ") && err.contains("page.html") && err.lines().count() == 1,
        "{err}"
    );
    assert!(!dir.exists(), "nothing is written when a sheet fails");
}

#[test]
fn variants_writes_a_folder_per_variant() {
    let scratch = Scratch::new();
    let dir = scratch.join("variants");
    let out = stepwise(&[
        "variants",
        "-n",
        "3",
        "-s",
        "11",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    for k in 1..=3 {
        let v = dir.join(format!("variant-00{k}"));
        for f in [
            "exercise.toml",
            "key.txt",
            "solution-vi.md",
            "solution-en.md",
        ] {
            assert!(v.join(f).is_file(), "{}/{f}", v.display());
        }
        // the written key checks against the written exercise
        let key = v.join("key.txt");
        let ex = v.join("exercise.toml");
        let check = stepwise(&["check-key", key.to_str().unwrap(), ex.to_str().unwrap()]);
        assert_eq!(check.code(), Some(0), "{}", check.stdout);
    }
}

#[test]
fn variants_need_ranges() {
    let out = stepwise(&[
        "variants",
        "tests/exercises/booth.toml",
        "-n",
        "2",
        "-s",
        "1",
    ]);
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr,
        "stepwise: tests/exercises/booth.toml: no [variants] table: say which numbers vary and over what ranges\n"
    );
}

#[test]
fn export_writes_a_file() {
    let dir = Scratch::new();
    let path = dir.join("quiz.gift");
    let out = stepwise(&[
        "export",
        "--to",
        "gift",
        "--lang",
        "vi",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.code(), Some(0));
    let s = std::fs::read_to_string(&path).unwrap();
    assert!(s.contains("::Q5:: [plain]Bài 1 (Gradient Descent)"), "{s}");
    assert!(s.contains("=-4.232, -0.72\n"), "{s}");
}

#[test]
fn compare_shows_where_the_forms_part() {
    // the course's momentum against PyTorch's (heavy-ball): step 1 of the reference file's check values
    let out = stepwise(&["compare", "--problem", "momentum", "--epochs", "2"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let heavy = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("heavy-ball"))
        .unwrap();
    assert!(
        heavy.contains("epoch 1")
            && heavy.contains("(-4.4, 2.8)")
            && heavy.contains("(-3.572, -1.52)"),
        "{heavy}"
    );
    assert!(out
        .stdout
        .contains("left out: the dampened form, which needs 'dampening'"));
    // every digit in CSV, one row per form
    let csv = stepwise(&[
        "compare",
        "--problem",
        "adam",
        "--format",
        "csv",
        "--epochs",
        "3",
    ])
    .stdout;
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "form,own,conventions,parts_at,there_w1,there_w2,final_w1,final_w2,final_f"
    );
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(rows[1].starts_with("paper,true,"), "{csv}");
    // JSON parses and names the forms
    let json: serde_json::Value = serde_json::from_str(
        &stepwise(&["compare", "--problem", "rmsprop", "-f", "json", "-e", "2"]).stdout,
    )
    .unwrap();
    let forms: Vec<&str> = json["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["form"].as_str().unwrap())
        .collect();
    assert_eq!(
        forms,
        vec![
            "eps-inside",
            "eps-outside",
            "centered",
            "momentum",
            "centered-momentum"
        ]
    );
    // a convention without the optimizer is bad input
    let bad = stepwise(&["compare", "--problem", "gd", "--conventions", "tensorflow"]);
    assert_eq!(bad.code(), Some(2));
    assert!(
        bad.stderr
            .starts_with("stepwise: unknown convention 'tensorflow'"),
        "{}",
        bad.stderr
    );
}

#[test]
fn epoch_flags_follow_one_rule() {
    for (args, want) in [
        (
            &["trace", "--problem", "gd", "--epoch", "0"][..],
            "stepwise: --epoch must be from 1 to 30, the epochs problem 'gd' runs (--epochs runs more), got 0\n",
        ),
        (
            &["trace", "--problem", "gd", "--epoch", "31"][..],
            "stepwise: --epoch must be from 1 to 30, the epochs problem 'gd' runs (--epochs runs more), got 31\n",
        ),
        (
            &["run", "--epochs", "0"][..],
            "stepwise: --epochs must be from 1 to 100000, got 0\n",
        ),
        (
            &["compare", "--problem", "gd", "--epochs", "100001"][..],
            "stepwise: --epochs must be from 1 to 100000, got 100001\n",
        ),
    ] {
        let out = stepwise(args);
        assert_eq!(out.code(), Some(2), "{args:?}");
        assert_eq!(out.stderr, want, "{args:?}");
    }
    // --epochs runs more, and --epoch may then ask for one of them
    let out = stepwise(&[
        "trace",
        "--problem",
        "gd",
        "--epoch",
        "31",
        "--epochs",
        "31",
    ]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("\"epoch\": 31"));
}

/// Runs writing the same folder at once never collide, and a half-failed run touches nothing.
#[test]
fn concurrent_runs_and_failed_writes_leave_every_file_intact() {
    let dir = Scratch::new();
    let out = dir.arg("sheets");
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let out = out.clone();
            std::thread::spawn(move || stepwise(&["solve", "--out", &out, "--format", "md"]).code())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), Some(0));
    }
    let want = std::fs::read_to_string(root().join("out/solution-en.md")).unwrap();
    let got = std::fs::read_to_string(Path::new(&out).join("solution-en.md")).unwrap();
    assert_eq!(got, want);
    let stray: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    // the files are made as any new file is, with the umask's permissions (not only the owner's)
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let plain = Path::new(&out).join("plain");
        std::fs::write(&plain, "").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&Path::new(&out).join("solution-en.md")), mode(&plain));
    }
    // one target is a folder: the run fails and writes none of its files
    let out2 = dir.arg("half");
    std::fs::create_dir_all(Path::new(&out2).join("solution-vi.md")).unwrap();
    let run = stepwise(&["solve", "--out", &out2, "--format", "md"]);
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr
            .contains("solution-vi.md: cannot write: is a folder"),
        "{}",
        run.stderr
    );
    assert!(!Path::new(&out2).join("solution-en.md").exists());
}

/// Problems that diverge at different epochs are results: every problem present, exit 0.
#[test]
fn diverging_problems_are_results_not_errors() {
    let src = "objective = \"w1^2 + w2^2\"\nstart = [1, 1]\ntabulated_epochs = 400\nworked_epochs = 1\n[[problem]]\nid = \"slow\"\noptimizer = \"gd\"\nparams = { lr = 1.2 }\n[[problem]]\nid = \"fast\"\noptimizer = \"gd\"\nparams = { lr = 3 }\n[[problem]]\nid = \"calm\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n";
    let dir = Scratch::new();
    let file = dir.arg("div.toml");
    std::fs::write(&file, src).unwrap();
    let run = stepwise(&["run", &file]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    for id in ["slow (", "fast (", "calm ("] {
        assert!(run.stdout.contains(id), "{id}: {}", run.stdout);
    }
    assert!(run.stdout.contains("diverged"));
    let out = dir.arg("sheets");
    let solve = stepwise(&[
        "solve", &file, "--out", &out, "--format", "md", "--lang", "en",
    ]);
    assert_eq!(solve.code(), Some(0), "{}", solve.stderr);
    let md = std::fs::read_to_string(Path::new(&out).join("solution-en.md")).unwrap();
    // |w| grows by |1 - 2 lr| each epoch: 1.4 and 5; f = 2 w^2 passes 1e300 at epochs 1027 and 215
    // for the slow one (beyond its 400 epochs) and the fast one
    assert!(md.contains("passed the magnitude bound"), "{md}");
    assert!(md.contains("| inf |"), "float32 overflows: {md}");
}

/// Hostile exercise files end at once with exit 2 and a one-line message naming the limit: deep
/// nesting (the parser's recursion), expansions past the term limit, a file without end.
#[test]
fn hostile_files_end_in_their_limits() {
    let sum: String = (1..=8)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join("+");
    let product: String = (1..=32)
        .map(|i| format!("(w{i}+1)"))
        .collect::<Vec<_>>()
        .join("*");
    let cases: Vec<(String, usize, &str)> = vec![
        (
            format!("{}w1{}", "(".repeat(10_000), ")".repeat(10_000)),
            1,
            "nests deeper than 400 levels of parentheses or signs",
        ),
        (
            format!("{}w1", "-".repeat(100_000)),
            1,
            "nests deeper than 400 levels",
        ),
        (
            format!("({sum})^64"),
            8,
            "the expanded polynomial would have more than 10000 terms",
        ),
        (
            product,
            32,
            "the expanded polynomial would have more than 10000 terms",
        ),
        (
            "((w1+1)^64)^64".to_string(),
            1,
            "the degree would be above the limit 64",
        ),
    ];
    let dir = Scratch::new();
    for (k, (objective, n, want)) in cases.iter().enumerate() {
        let start = vec!["1"; *n].join(", ");
        let file = dir.arg(&format!("h{k}.toml"));
        std::fs::write(
            &file,
            format!("objective = \"{objective}\"\nstart = [{start}]\n[[problem]]\nid = \"p\"\noptimizer = \"gd\"\nparams = {{ lr = 0.1 }}\n"),
        )
        .unwrap();
        let out = stepwise(&["run", &file]);
        assert_eq!(out.code(), Some(2), "{want}: {}", out.stderr);
        assert!(out.stderr.contains(want), "{}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1);
    }
    #[cfg(unix)]
    {
        let out = stepwise(&["run", "/dev/zero"]);
        assert_eq!(out.code(), Some(2));
        assert_eq!(
            out.stderr,
            "stepwise: /dev/zero: larger than the limit of 4 MiB for an input file\n"
        );
    }
}
