//! Figures: the built-in exercise's pictures pinned byte for byte, every sheet carrying them, and the
//! figure data of harder exercises (Rosenbrock, three variables, a diverging run, a long run).

use crate::harness::{root, snapshots, stepwise, Scratch};
use stepwise::figure::{self, CurveKind, Held};
use stepwise::render::{self, Format, Templates};
use stepwise::solution;
use stepwise::spec::{self, Exercise};

fn load(name: &str) -> Exercise {
    let path = root().join("tests/exercises").join(name);
    let src = std::fs::read_to_string(&path).unwrap();
    spec::load(name, &src).unwrap()
}

#[test]
fn builtin_figures_are_pinned() {
    let ex = spec::builtin();
    let sol = solution::solve(&ex).unwrap();
    let files = render::figure_files(&ex, &sol).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "gd-figure.svg",
            "momentum-figure.svg",
            "rmsprop-figure.svg",
            "adam-figure.svg",
            "figures-compare.svg",
            "figures-objective.svg",
            "figures-gradient.svg"
        ]
    );
    for (name, svg) in &files {
        // a well-formed SVG document
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        snapshots(|| {
            insta::assert_snapshot!(format!("figure-{}", name.trim_end_matches(".svg")), svg)
        });
    }
    // the same bytes on a second run
    assert_eq!(files, render::figure_files(&ex, &sol).unwrap());
}

#[test]
fn every_sheet_shows_the_trajectories_the_comparison_and_the_curves() {
    let ex = spec::builtin();
    let sol = solution::solve(&ex).unwrap();
    let t = Templates::default();
    for lang in ["vi", "en"] {
        let md = render::render(&t, &ex, &sol, lang, Format::Markdown, 10).unwrap();
        for id in ["gd", "momentum", "rmsprop", "adam"] {
            assert_eq!(
                md.matches(&format!("]({id}-figure.svg)")).count(),
                1,
                "{lang} {id}"
            );
        }
        for f in [
            "figures-compare.svg",
            "figures-objective.svg",
            "figures-gradient.svg",
        ] {
            assert_eq!(md.matches(&format!("]({f})")).count(), 1, "{lang} {f}");
        }
        let tex = render::render(&t, &ex, &sol, lang, Format::Latex, 10).unwrap();
        assert_eq!(tex.matches("\\begin{tikzpicture}").count(), 7, "{lang}");
        let html = render::render(&t, &ex, &sol, lang, Format::Html, 10).unwrap();
        assert_eq!(html.matches("<svg ").count(), 7, "{lang}");
        assert!(
            !html.contains("-figure.svg"),
            "{lang}: the page links no file"
        );
        assert!(!html.contains("<?xml"), "{lang}");
    }
    let en = render::render(&t, &ex, &sol, "en", Format::Markdown, 10).unwrap();
    assert!(en.contains("*The trajectory of Gradient descent (problem gd) over the contour lines of f, from the start (t = 0) to epoch 30. The contour lines are where f exceeds its lowest value by 1, 2 or 5 times a power of ten: their levels are spaced on a log scale. The cross marks the minimizer $w^{*}$.*"), "{en}");
    assert!(en.contains("$f(w^{(t)}) - f^{*}$ against the epoch t, for every problem. The vertical axis is on a log scale."));
    let vi = render::render(&t, &ex, &sol, "vi", Format::Markdown, 10).unwrap();
    assert!(
        vi.contains("Quỹ đạo của Gradient Descent (bài gd) trên các đường đồng mức của f"),
        "{vi}"
    );
}

#[test]
fn solve_writes_the_svg_files_beside_the_markdown() {
    let dir = Scratch::new();
    let out = dir.arg("out");
    let run = stepwise(&["solve", "--out", &out, "--format", "md", "--lang", "en"]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    for f in [
        "gd-figure.svg",
        "adam-figure.svg",
        "figures-compare.svg",
        "figures-gradient.svg",
    ] {
        let svg = std::fs::read_to_string(dir.join("out").join(f)).unwrap();
        assert!(svg.starts_with("<svg "), "{f}");
    }
    // no SVG files for the LaTeX sheet alone
    let out = dir.arg("tex");
    let run = stepwise(&["solve", "--out", &out, "--format", "tex", "--lang", "en"]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(!dir.join("tex/gd-figure.svg").exists());
}

#[test]
fn the_builtin_window_holds_the_runs_and_the_minimizer() {
    let ex = spec::builtin();
    let figs = figure::figures(&ex, &solution::solve(&ex).unwrap());
    for plane in figs.problems.iter().chain([&figs.comparison]) {
        assert!(!plane.clipped);
        assert_eq!(plane.minimizer, Some((0.0, 0.0)));
        assert!(plane.levels.log, "f spans decades");
        assert!(
            plane
                .contours
                .iter()
                .filter(|c| !c.lines.is_empty())
                .count()
                >= 8
        );
        assert_eq!(plane.labels, ("w1".to_string(), "w2".to_string()));
        for p in &plane.paths {
            assert_eq!(p.start, Some((-5.0, -2.0)));
            assert_eq!(p.epochs, 30);
            // 31 points, none thinned away at this length
            assert_eq!(p.markers.len(), 31, "{}", p.label);
        }
    }
    assert_eq!(figs.objective.kind, CurveKind::Gap);
    assert!(figs.objective.log && figs.gradient.log);
    // f − f* at the start is f(−5, −2) = 10.5
    assert_eq!(figs.objective.series[0].points[0], (0.0, 10.5));
    // |∇f(−5, −2)| = |(−1, −8)| = √65
    assert_eq!(figs.gradient.series[0].points[0], (0.0, 65f64.sqrt()));
}

#[test]
fn rosenbrock_gives_log_contours_around_its_trajectory() {
    let ex = load("rosenbrock.toml");
    let figs = figure::figures(&ex, &solution::solve(&ex).unwrap());
    for plane in &figs.problems {
        assert!(plane.levels.log);
        let drawn = plane
            .contours
            .iter()
            .filter(|c| !c.lines.is_empty())
            .count();
        assert!(drawn >= 6, "{drawn} levels drawn");
        assert!(plane.window.contains((-1.2, 1.0)));
        assert!(!plane.clipped);
        assert!(
            plane.minimizer.is_none(),
            "not a quadratic: no minimizer known"
        );
        assert!(!plane.paths[0].pieces.is_empty());
    }
    assert_eq!(figs.objective.kind, CurveKind::Objective);
}

#[test]
fn three_variables_show_the_two_that_move_most() {
    let ex = load("three-variables.toml");
    let sol = solution::solve(&ex).unwrap();
    let figs = figure::figures(&ex, &sol);
    for plane in &figs.problems {
        assert_eq!(plane.axes.len(), 2);
        assert_eq!(plane.held, Some(Held::Minimizer));
    }
    let md = render::render(&Templates::default(), &ex, &sol, "en", Format::Markdown, 10).unwrap();
    assert!(
        md.contains("f has 3 variables: the figure shows $w_{1}$ and $w_{2}$, the two components that move most, with the others held at the minimizer."),
        "{md}"
    );
}

#[test]
fn a_diverging_run_is_clipped_with_a_note() {
    let src = "objective = \"w1^2 + w2^2\"\nstart = [1, 1]\nworked_epochs = 1\ntabulated_epochs = 40\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 1.1 }\n";
    let ex = spec::load("d.toml", src).unwrap();
    let sol = solution::solve(&ex).unwrap();
    let figs = figure::figures(&ex, &sol);
    let plane = &figs.problems[0];
    assert!(plane.clipped);
    assert!(plane.paths[0].end.is_none(), "the end is far outside");
    assert!(plane.paths[0]
        .pieces
        .iter()
        .flatten()
        .all(|p| plane.window.contains(*p)));
    let md = render::render(&Templates::default(), &ex, &sol, "en", Format::Markdown, 10).unwrap();
    assert!(
        md.contains("The run leaves the window of the figure: the part outside it is not drawn.")
    );
    let vi = render::render(&Templates::default(), &ex, &sol, "vi", Format::Markdown, 10).unwrap();
    assert!(vi.contains("Quỹ đạo đi ra ngoài khung hình"));
}

#[test]
fn a_long_run_is_thinned_and_draws_the_same_ends() {
    let src = "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\nworked_epochs = 1\ntabulated_epochs = 20000\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 0.4 }\n";
    let ex = spec::load("long.toml", src).unwrap();
    let sol = solution::solve(&ex).unwrap();
    let figs = figure::figures(&ex, &sol);
    let path = &figs.problems[0].paths[0];
    let kept: usize = path.pieces.iter().map(Vec::len).sum();
    assert!(kept < 200, "{kept} points kept of 20001");
    assert!(path.markers.is_empty(), "no marker per epoch on a long run");
    assert_eq!(path.pieces[0][0], (-5.0, -2.0));
    assert_eq!(path.epochs, 20000);
    let s = &figs.gradient.series[0].points;
    assert!(s.len() <= 4 * figure::CURVE_BUCKETS, "{}", s.len());
    assert_eq!(s[0].0, 0.0);
    // the 1-variable case draws the graph of f
    let src = "objective = \"w1^4 - 3*w1^2 + w1\"\nstart = [2]\n[[problem]]\nid = \"gd\"\noptimizer = \"gd\"\nparams = { lr = 0.01 }\n";
    let ex = spec::load("one.toml", src).unwrap();
    let figs = figure::figures(&ex, &solution::solve(&ex).unwrap());
    let plane = &figs.problems[0];
    assert!(plane.contours.is_empty() && !plane.graph.is_empty());
    assert_eq!(plane.labels, ("w1".to_string(), "f".to_string()));
    assert_eq!(plane.paths[0].start, Some((2.0, 6.0)));
}
