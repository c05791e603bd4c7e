//! The integration tests, in one binary (one build, one link): a module per area, the shared harness,
//! and the one table of optimizers the tests use. Fixtures stay beside this folder: `tests/exercises`,
//! `tests/invalid`, `tests/keys` and `tests/data`; insta snapshots are in the top-level `snapshots/`.

mod harness;

mod certified;
mod cli;
mod engine;
mod exercise5;
mod export;
mod figures;
mod forms;
mod fuzz;
mod hostile;
mod no_panic;
mod notation;
mod numpy;
mod optimizers;
mod quiz;
mod sheets;
mod snapshots;
mod statement;
mod tools;
mod vanishing;
mod variants;
