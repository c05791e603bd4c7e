//! stepwise turns an optimization exercise into an exact, step-by-step worked solution.
//!
//! Data flows one way: an exercise file is loaded and validated ([`spec`]), the engine runs each problem
//! in exact arithmetic and records every intermediate quantity ([`trace`], [`optim`], [`number`],
//! [`expr`]), and renderers turn the record into answer sheets. The binary (`src/main.rs`) is a thin
//! layer over [`cli`].

#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod expr;
pub mod number;
pub mod optim;
pub mod quiz;
pub mod render;
pub mod solution;
pub mod spec;
pub mod trace;
pub mod variants;
