//! `stepwise vanishing` (exercise 5) on a small synthetic FashionMNIST written here as IDX files: ten
//! classes, each a fixed random pattern of pixels with some flipped per example, so a network that
//! trains learns them quickly. Adam does; plain SGD, whose first layers' gradients vanish through
//! five sigmoids, stays at chance. The same seed gives the same numbers, and a run resumed from its
//! checkpoint gives those of a run never stopped. On CI, one epoch of every optimizer on the real
//! data.

use crate::harness::{stepwise, tool, Rng, Scratch, Tool};
use std::io::Write as _;
use std::path::Path;

const PIXELS: usize = 784;

/// `n` examples, pixels and labels: class `c` lights rows `2c + 4` and `2c + 5` (columns 4 to 23),
/// and one pixel in ten elsewhere is noise.
fn examples(rng: &mut Rng, n: usize) -> (Vec<u8>, Vec<u8>) {
    let (mut images, mut labels) = (Vec::with_capacity(n * PIXELS), Vec::with_capacity(n));
    for i in 0..n {
        let c = i % 10;
        labels.push(c as u8);
        for p in 0..PIXELS {
            let (row, col) = (p / 28, p % 28);
            images.push(if row / 2 == c + 2 && (4..24).contains(&col) {
                200
            } else if rng.below(10) == 0 {
                rng.below(256) as u8
            } else {
                0
            });
        }
    }
    (images, labels)
}

fn idx(magic: u8, dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0x08, magic];
    for d in dims {
        out.extend(d.to_be_bytes());
    }
    out.extend(data);
    out
}

/// Writes the four files of a synthetic set into `dir`: the training images gzipped, the rest not.
pub(crate) fn synthetic(dir: &Path, train: usize, test: usize) {
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    for (prefix, n) in [("train", train), ("t10k", test)] {
        let (images, labels) = examples(&mut rng, n);
        let images = idx(3, &[n as u32, 28, 28], &images);
        let labels = idx(1, &[n as u32], &labels);
        if prefix == "train" {
            let file = std::fs::File::create(dir.join("train-images-idx3-ubyte.gz")).unwrap();
            let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
            gz.write_all(&images).unwrap();
            gz.finish().unwrap();
        } else {
            std::fs::write(dir.join(format!("{prefix}-images-idx3-ubyte")), images).unwrap();
        }
        std::fs::write(dir.join(format!("{prefix}-labels-idx1-ubyte")), labels).unwrap();
    }
}

/// An exercise file with a `[vanishing]` table for the small set.
pub(crate) fn exercise(s: &Scratch, batch: usize) -> String {
    let path = s.join("ex.toml");
    std::fs::write(
        &path,
        format!(
            "objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = {{ lr = 0.1 }}\n\n[vanishing]\nbatch_size = {batch}\nseed = 7\n"
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

/// One CSV row.
#[derive(Debug)]
struct Row {
    optimizer: String,
    epoch: u64,
    numbers: Vec<f64>,
}

impl Row {
    fn test_accuracy(&self) -> f64 {
        self.numbers[3]
    }
    fn grad_norms(&self) -> &[f64] {
        &self.numbers[5..]
    }
}

fn csv(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("optimizer,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,grad_norm_1,grad_norm_2,grad_norm_3,grad_norm_4,grad_norm_5,grad_norm_6")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 13, "{l}");
            Row {
                optimizer: f[0].to_string(),
                epoch: f[1].parse().unwrap(),
                numbers: f[2..].iter().map(|x| x.parse().unwrap()).collect(),
            }
        })
        .collect()
}

/// The CSV without the seconds column, for comparing runs.
fn without_seconds(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f.remove(6);
            f.join(",")
        })
        .collect()
}

/// Runs `stepwise vanishing` on the data in `data`, into `out`, and checks it succeeded.
fn vanishing(ex: &str, data: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "vanishing",
        ex,
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let r = stepwise(&args);
    assert_eq!(r.code(), Some(0), "{}", r.stderr);
    // standard error is not a terminal here: no progress bar
    assert_eq!(r.stderr, "");
    r.stdout
}

#[test]
fn adam_learns_while_sgd_stays_at_chance_with_vanishing_first_layers() {
    let s = Scratch::new();
    synthetic(s.path(), 1200, 300);
    let ex = exercise(&s, 20);
    let out = vanishing(
        &ex,
        s.path(),
        &s.join("out"),
        &["--epochs", "5", "--optimizers", "sgd,adam"],
    );
    assert!(out.contains("1200 training and 300 test examples"), "{out}");
    assert!(out.contains("vanishing.py"), "{out}");
    let rows = csv(&s.join("out/vanishing.csv"));
    assert_eq!(rows.len(), 10);
    for r in &rows {
        for (i, x) in r.numbers.iter().enumerate() {
            assert!(x.is_finite() && *x >= 0.0, "{r:?} column {i}");
        }
    }
    let (sgd, adam): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.optimizer == "sgd");
    assert_eq!(
        adam.iter().map(|r| r.epoch).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    // chance is 0.1 on ten balanced classes, where the loss is ln 10 = 2.303. Through five sigmoid
    // layers Adam learns the classes a few at a time: half of them after 5 short epochs here
    assert!(adam[4].test_accuracy() >= 0.4, "{:?}", adam[4]);
    assert!(adam[4].numbers[2] < 1.2, "{:?}", adam[4]);
    for r in &sgd {
        assert!(r.test_accuracy() < 0.2, "{r:?}");
        assert!((r.numbers[2] - 10f64.ln()).abs() < 0.05, "{r:?}");
        // the gradient reaching the input layer is orders of magnitude below the output layer's
        let g = r.grad_norms();
        assert!(g[0] * 100.0 < g[5], "{g:?}");
        assert!(g.windows(2).all(|w| w[0] < w[1]), "{g:?}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.join("out/vanishing.json")).unwrap())
            .unwrap();
    assert_eq!(json["format"], "stepwise-vanishing/1");
    assert_eq!(json["batch_size"], 20);
    assert_eq!(json["runs"][1]["optimizer"], "adam");
    assert_eq!(json["runs"][1]["form"], "paper");
    assert_eq!(
        json["runs"][1]["torch"],
        "torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-8)"
    );
    assert_eq!(
        json["runs"][1]["epochs"][4]["test_accuracy"].as_f64(),
        Some(adam[4].test_accuracy())
    );
    // the reference PyTorch code, with the run's settings, is valid Python
    let py = s.join("out/vanishing.py");
    let code = std::fs::read_to_string(&py).unwrap();
    for line in [
        "BATCH_SIZE = 20\n",
        "SEED = 7\n",
        "    \"sgd\": lambda model: torch.optim.SGD(model.parameters(), lr=0.01),\n",
        "    \"adam\": lambda model: torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-8),\n",
        "SIZES = [784, 128, 128, 128, 128, 128, 10]\n",
        "    model = MLP(SIZES).to(DEVICE)\n",
        // the .npy files of --save-init, when NPY_DIR or --npy names their folder
        "NPY_DIR = None\n",
        "        init, orders = saved(args.npy)\n",
    ] {
        assert!(code.contains(line), "{line}");
    }
    if let Some(python) = tool(Tool::NumPy) {
        let out = std::process::Command::new(python)
            .args(["-m", "py_compile"])
            .arg(&py)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_numbers_and_another_seed_others() {
    let s = Scratch::new();
    synthetic(s.path(), 300, 100);
    let ex = exercise(&s, 64);
    let args = ["--epochs", "2", "--optimizers", "momentum,rmsprop"];
    vanishing(&ex, s.path(), &s.join("a"), &args);
    vanishing(&ex, s.path(), &s.join("b"), &args);
    let a = without_seconds(&s.join("a/vanishing.csv"));
    assert_eq!(a.len(), 5);
    assert_eq!(a, without_seconds(&s.join("b/vanishing.csv")));
    vanishing(
        &ex,
        s.path(),
        &s.join("c"),
        &[&args[..], &["--seed", "8"]].concat(),
    );
    let c = without_seconds(&s.join("c/vanishing.csv"));
    assert_ne!(a[1..], c[1..]);
}

#[test]
fn the_numbers_are_the_same_on_any_number_of_threads() {
    let s = Scratch::new();
    synthetic(s.path(), 300, 100);
    // batches of 300 rows: three shards, the last one short; the network's 167,818 parameters make
    // several stretches of the gradients' sum and of the update
    let ex = exercise(&s, 300);
    let args = ["--epochs", "2", "--optimizers", "sgd,adam"];
    let run = |name: &str, threads: &str| {
        let extra = [&args[..], &["--threads", threads]].concat();
        vanishing(&ex, s.path(), &s.join(name), &extra);
        without_seconds(&s.join(name).join("vanishing.csv"))
    };
    let one = run("one", "1");
    assert_eq!(one.len(), 5);
    assert_eq!(one, run("three", "3"));
}

#[test]
fn a_resumed_run_gives_the_numbers_of_one_never_stopped() {
    let s = Scratch::new();
    synthetic(s.path(), 300, 100);
    let ex = exercise(&s, 64);
    let all = "sgd,momentum,rmsprop,adam,adopt";
    vanishing(
        &ex,
        s.path(),
        &s.join("whole"),
        &["--epochs", "3", "--optimizers", all],
    );
    // stopped after epoch 1 of every optimizer, then again with adam at epoch 2
    let part = s.join("part");
    vanishing(
        &ex,
        s.path(),
        &part,
        &["--epochs", "1", "--optimizers", all],
    );
    vanishing(
        &ex,
        s.path(),
        &part,
        &["--epochs", "2", "--optimizers", "adam", "--resume"],
    );
    vanishing(
        &ex,
        s.path(),
        &part,
        &["--epochs", "3", "--optimizers", all, "--resume"],
    );
    let whole = without_seconds(&s.join("whole/vanishing.csv"));
    assert_eq!(whole.len(), 16);
    assert_eq!(whole, without_seconds(&part.join("vanishing.csv")));
    // a checkpoint of other settings is refused, not silently restarted
    let r = stepwise(&[
        "vanishing",
        &ex,
        "--data",
        s.path().to_str().unwrap(),
        "--out",
        part.to_str().unwrap(),
        "--epochs",
        "4",
        "--optimizers",
        "adam",
        "--seed",
        "9",
        "--resume",
    ]);
    assert_eq!(r.code(), Some(2));
    assert!(
        r.stderr
            .contains("the checkpoint of 'adam' was made with other settings"),
        "{}",
        r.stderr
    );
}

#[test]
fn missing_and_corrupt_data_are_clear_errors() {
    let s = Scratch::new();
    let ex = exercise(&s, 64);
    let data = s.join("data");
    std::fs::create_dir(&data).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "vanishing",
            &ex,
            "--data",
            data.to_str().unwrap(),
            "--out",
            s.path().to_str().unwrap(),
            "--epochs",
            "1",
        ];
        args.extend(extra);
        let r = stepwise(&args);
        assert_eq!(r.code(), Some(2), "{r:?}");
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(r.stderr.starts_with("stepwise: "), "{}", r.stderr);
        r.stderr
    };
    let e = run(&[]);
    assert!(
        e.contains("no train-images-idx3-ubyte or train-images-idx3-ubyte.gz"),
        "{e}"
    );
    assert!(e.contains("apt-get install dataset-fashion-mnist"), "{e}");

    synthetic(&data, 50, 20);
    let labels = data.join("t10k-labels-idx1-ubyte");
    let good = std::fs::read(&labels).unwrap();
    std::fs::write(&labels, &good[..good.len() - 3]).unwrap();
    let e = run(&[]);
    assert!(
        e.contains("t10k-labels-idx1-ubyte: truncated: the header announces 20 bytes of data, the file has 17"),
        "{e}"
    );
    let mut bad = good.clone();
    bad[2] = 0x0d;
    std::fs::write(&labels, &bad).unwrap();
    let e = run(&[]);
    assert!(
        e.contains("magic number 00000d01, expected 00000801"),
        "{e}"
    );
    std::fs::write(&labels, &good).unwrap();

    // a gzip file cut short
    let gz = data.join("train-images-idx3-ubyte.gz");
    let bytes = std::fs::read(&gz).unwrap();
    std::fs::write(&gz, &bytes[..bytes.len() / 2]).unwrap();
    let e = run(&[]);
    assert!(e.contains("truncated: the gzip stream ends early"), "{e}");

    let e = run(&["--optimizers", "sgd,nosuch"]);
    assert!(
        e.contains("--optimizers: unknown optimizer 'nosuch'"),
        "{e}"
    );
    let e = run(&["--threads", "0"]);
    assert!(e.contains("--threads must be at least 1"), "{e}");
}

#[test]
fn the_vanishing_table_is_checked_with_its_position() {
    let s = Scratch::new();
    let cases = [
        (
            "epochs = 0",
            "ex.toml:8:10: vanishing.epochs must be from 1 to 100000, got 0",
        ),
        ("lr = -1", "ex.toml:8:6: vanishing.lr must be > 0, got -1"),
        (
            "optimizers = [\"sgd\", \"adamax\"]",
            "ex.toml:8:22: vanishing: unknown optimizer 'adamax'",
        ),
        (
            "optimizers = [\"adam\"]\n[vanishing.params.adam]\nbeta3 = 1",
            "ex.toml:9:1: vanishing: adam has no hyperparameter 'beta3'",
        ),
        (
            "[vanishing.params.momentum]\nbeta = 1.5",
            "ex.toml:8:1: vanishing: momentum: beta must be in [0, 1), got 1.5",
        ),
        ("batch = 5", "ex.toml:8:1: unknown field `batch`"),
    ];
    for (table, want) in cases {
        let path = s.join("ex.toml");
        std::fs::write(
            &path,
            format!("objective = \"w1^2\"\nstart = [1]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = {{ lr = 0.1 }}\n[vanishing]\n{table}\n"),
        )
        .unwrap();
        let r = stepwise(&[
            "vanishing",
            path.to_str().unwrap(),
            "--data",
            "/nonexistent",
        ]);
        assert_eq!(r.code(), Some(2), "{table}: {r:?}");
        assert!(r.stderr.contains(want), "{table}: {}", r.stderr);
    }
}

#[test]
fn one_epoch_of_every_optimizer_on_the_real_fashion_mnist() {
    let Some(data) = tool(Tool::FashionMnist) else {
        return;
    };
    let s = Scratch::new();
    let r = stepwise(&[
        "vanishing",
        "--data",
        data.to_str().unwrap(),
        "--out",
        s.path().to_str().unwrap(),
        "--epochs",
        "1",
    ]);
    assert_eq!(r.code(), Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("60000 training and 10000 test examples"),
        "{}",
        r.stdout
    );
    let rows = csv(&s.join("vanishing.csv"));
    let names: Vec<&str> = rows.iter().map(|r| r.optimizer.as_str()).collect();
    assert_eq!(names, ["sgd", "momentum", "rmsprop", "adam", "adopt"]);
    let acc = |name: &str| {
        rows.iter()
            .find(|r| r.optimizer == name)
            .unwrap()
            .test_accuracy()
    };
    // after one epoch at lr 0.01: SGD has not left chance (0.1), the adaptive methods have: Adam and
    // ADOPT are past 0.5, RMSProp near 0.2 (guessing over 10,000 test images has a standard
    // deviation of 0.003, so 0.12 and 0.15 are far apart)
    assert!(acc("sgd") < 0.12, "{rows:?}");
    assert!(acc("rmsprop") > 0.15, "{rows:?}");
    for name in ["adam", "adopt"] {
        assert!(acc(name) > 0.4, "{name}: {rows:?}");
    }
    let g = rows[0].grad_norms();
    assert!(g[0] * 100.0 < g[5], "{g:?}");
}
