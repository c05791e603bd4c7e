//! stepwise turns an optimization exercise into an exact, step-by-step worked solution.
//!
//! Data flows one way, and the modules below are listed in that order: an exercise file is read into
//! a resolved exercise, the engine runs each problem and records every intermediate quantity, the
//! analyses and the quiz key read the records, and renderers turn them into answer sheets and exports.
//! No stage reaches back into an earlier one. The binary (`src/main.rs`) is a thin layer over [`cli`].

#![warn(missing_docs, unreachable_pub)]

// Exact decimal numbers (28 significant digits at any magnitude) and the `Scalar` trait the engines
// share.
pub mod number;

// Polynomials: parsing objectives, exact symbolic derivatives, evaluation, LaTeX and Python text.
pub mod expr;

// Exercise files: raw TOML, validated and resolved into an `Exercise` with file:line:column errors.
pub mod spec;

// Optimizers: one file each, a registry, and the building blocks they share.
pub mod optim;

// The engine: runs a problem in exact or float arithmetic and records every quantity of every epoch.
pub mod trace;

// One problem run in several forms, side by side.
pub mod compare;

// The quiz key: every question's answer with its verdict and evidence; key files.
pub mod quiz;

// Analyses of a finished run: the reading of the trajectory and the precision report.
pub mod analysis;

// Everything the engine computes for an exercise, bundled for the renderers.
pub mod solution;

// Figures as data: windows, contour levels, clipped and thinned paths, curves against the epoch.
pub mod figure;

// Per-student variants: drawn exercises with generated options, checked by computing their keys.
pub mod variants;

// Exercise 5: the vanishing-gradient experiment, an MLP trained on FashionMNIST with the registered
// optimizers.
pub mod vanishing;

// Rendering: view structs, Tera templates, catalogs, escaping, exports and the NumPy code.
pub mod render;

// The command line: arguments resolved into jobs, one file per command.
pub mod cli;

// The fuzz targets' bodies, shared by `fuzz/` (cargo-fuzz) and the regression test that replays the
// committed seeds and every input that once crashed.
#[doc(hidden)]
pub mod fuzzing;
