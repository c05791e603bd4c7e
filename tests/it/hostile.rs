//! The bad-input catalogue: one case per way a hostile or broken input was seen to hurt (issue
//! reports, fuzzing), each run under the harness's memory and CPU bounds ([`bounded`]). Every case
//! must end by itself with its exit code and its one-line message (or with a result), so a case
//! that exhausts memory or time fails by a signal, never by a timing assertion.

use crate::harness::{bounded, Scratch};

/// What a case writes before it runs: files in its scratch folder, by name.
type Files = Vec<(&'static str, Vec<u8>)>;

struct Case {
    name: &'static str,
    files: Files,
    /// Arguments; `{dir}` is the case's scratch folder.
    args: &'static [&'static str],
    code: i32,
    /// A part of standard error (for exit 2 and 1) or of standard output (for exit 0).
    says: &'static str,
}

/// A one-problem exercise over `n` variables with this objective.
fn objective(obj: &str, n: usize) -> Vec<u8> {
    let start = vec!["1"; n].join(", ");
    format!(
        "objective = \"{obj}\"\nstart = [{start}]\n[[problem]]\nid = \"p\"\noptimizer = \"gd\"\nparams = {{ lr = 0.1 }}\n"
    )
    .into_bytes()
}

/// The built-in exercise's head with `tail` appended (problems, questions).
fn course_with(tail: &str) -> Vec<u8> {
    format!(
        "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = {{ lr = 0.4 }}\n{tail}"
    )
    .into_bytes()
}

fn cases() -> Vec<Case> {
    let sum = (1..=8)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join("+");
    let product = (1..=32)
        .map(|i| format!("(w{i}+1)"))
        .collect::<Vec<_>>()
        .join("*");
    let many_problems: String = (0..100)
        .map(|i| {
            format!("[[problem]]\nid = \"p{i}\"\noptimizer = \"gd\"\nparams = {{ lr = 0.1 }}\n")
        })
        .collect();
    let heavy: String = (0..5)
        .map(|i| format!("[[problem]]\nid = \"p{i}\"\noptimizer = \"gd\"\nparams = {{ lr = 0.1 }}\ntabulated_epochs = 100000\n"))
        .collect();
    let repeated = vec!["1"; 1000].join(", ");
    let deep_loops = format!(
        "{}x{}",
        "{% for a in range(end=2) %}".repeat(7),
        "{% endfor %}".repeat(7)
    );
    let wide_loops = format!(
        "{{% for a in range(end=10000) %}}{{% for b in range(end=10000) %}}{}{{% endfor %}}{{% endfor %}}",
        "x".repeat(1000)
    );
    vec![
        Case {
            name: "10,000 nested parentheses",
            files: vec![(
                "e.toml",
                objective(&format!("{}w1{}", "(".repeat(10_000), ")".repeat(10_000)), 1),
            )],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "nests deeper than 400 levels of parentheses or signs",
        },
        Case {
            name: "100,000 chained negations",
            files: vec![("e.toml", objective(&format!("{}w1", "-".repeat(100_000)), 1))],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "nests deeper than 400 levels",
        },
        Case {
            name: "a sum of 8 variables to the 64th",
            files: vec![("e.toml", objective(&format!("({sum})^64"), 8))],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "the expanded polynomial would have more than 10000 terms",
        },
        Case {
            name: "a product of 32 binomials",
            files: vec![("e.toml", objective(&product, 32))],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "the expanded polynomial would have more than 10000 terms",
        },
        Case {
            name: "a power of a power",
            files: vec![("e.toml", objective("((w1+1)^64)^64", 1))],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "the degree would be above the limit 64",
        },
        Case {
            name: "an input file without end",
            files: vec![],
            args: &["run", "/dev/zero"],
            code: 2,
            says: "/dev/zero: larger than the limit of 4 MiB for an input file",
        },
        Case {
            name: "a key file of 5 MB",
            files: vec![("key.txt", "1: A\n".repeat(1 << 20).into_bytes())],
            args: &["check-key", "{dir}/key.txt"],
            code: 2,
            says: "larger than the limit of 4 MiB for an input file",
        },
        Case {
            name: "a question with 1,000 repeated components",
            files: vec![(
                "e.toml",
                course_with(&format!(
                    "[[quiz]]\nkind = \"computed\"\nquestion = \"q\"\nproblem = \"gd\"\nepoch = 1\ncomponents = [{repeated}]\noptions = [\"1\", \"2\"]\n"
                )),
            )],
            args: &["key", "{dir}/e.toml"],
            code: 2,
            says: "component 1 is given twice",
        },
        Case {
            name: "100 problems",
            files: vec![("e.toml", course_with(&many_problems))],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "more than the limit of 64 problems",
        },
        Case {
            name: "5 problems of 100,000 epochs in 32 variables",
            files: vec![(
                "e.toml",
                format!(
                    "objective = \"{}\"\nstart = [{}]\n{heavy}",
                    (1..=32).map(|i| format!("w{i}^2")).collect::<Vec<_>>().join("+"),
                    vec!["1"; 32].join(", ")
                )
                .into_bytes(),
            )],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "more than the limit of 12800000",
        },
        Case {
            name: "a user template with loops nested 7 deep",
            files: vec![("t/sheet.md", deep_loops.into_bytes())],
            args: &["solve", "--templates", "{dir}/t", "--format", "md", "--lang", "en", "-o", "-"],
            code: 2,
            says: "loops nest deeper than the limit of 6",
        },
        Case {
            name: "a user template whose loops would write 100 GB",
            files: vec![("t/sheet.md", wide_loops.into_bytes())],
            args: &["solve", "--templates", "{dir}/t", "--format", "md", "--lang", "en", "-o", "-"],
            code: 2,
            says: "the rendered text would pass the limit of 64 MiB",
        },
        Case {
            name: "an id with a terminal escape sequence",
            files: vec![(
                "e.toml",
                b"objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"a\\u001b[31mred\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n".to_vec(),
            )],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "\\u{1b}",
        },
        Case {
            name: "a key line with a newline-like control character",
            files: vec![("key.txt", b"1: A\n2: \x1b[2J\n".to_vec())],
            args: &["check-key", "{dir}/key.txt"],
            code: 2,
            says: "key.txt:2:",
        },
        Case {
            name: "RMSProp with eps 0 at a zero component",
            files: vec![(
                "e.toml",
                b"objective = \"w1^2 + w2^2\"\nstart = [0, 1]\n[[problem]]\nid = \"r\"\noptimizer = \"rmsprop\"\nparams = { lr = 0.1, gamma = 0.9, eps = 0 }\n".to_vec(),
            )],
            args: &["run", "{dir}/e.toml"],
            code: 2,
            says: "e.toml:3:1",
        },
        Case {
            name: "FashionMNIST files that are not IDX",
            files: vec![
                ("data/train-images-idx3-ubyte", b"not an idx file".to_vec()),
                ("data/train-labels-idx1-ubyte", b"not an idx file".to_vec()),
                ("data/t10k-images-idx3-ubyte", b"not an idx file".to_vec()),
                ("data/t10k-labels-idx1-ubyte", b"not an idx file".to_vec()),
            ],
            args: &["vanishing", "--data", "{dir}/data", "--epochs", "1", "--out", "{dir}/o"],
            code: 2,
            says: "train-images-idx3-ubyte",
        },
    ]
}

#[test]
fn every_hostile_input_ends_in_its_bounds_with_its_message() {
    let mut failures = Vec::new();
    for case in cases() {
        let dir = Scratch::new();
        for (name, bytes) in &case.files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder is made");
            std::fs::write(&path, bytes).expect("the case's file is written");
        }
        let root = dir.arg("");
        let root = root.trim_end_matches('/');
        let args: Vec<String> = case.args.iter().map(|a| a.replace("{dir}", root)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = bounded(&args, "");
        let text = if case.code == 0 {
            &run.stdout
        } else {
            &run.stderr
        };
        let ok = run.code() == Some(case.code)
            && text.contains(case.says)
            && (case.code == 0 || run.stderr.lines().count() == 1);
        if !ok {
            failures.push(format!(
                "{}: exit {:?} (want {}), stderr {:?}",
                case.name,
                run.code(),
                case.code,
                run.stderr.chars().take(400).collect::<String>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
