//! Analysis of a finished run, on the engine side: what the sheets say about a trajectory (the
//! reading) and how NumPy's float results compare with the exact ones (the precision report).
//!
//! Everything here is typed data with exact numbers; renderers only choose words for it and round it
//! for display. Each analysis is unit-tested where it is computed.

pub mod forms;
pub mod precision;
pub mod reading;
pub mod rows;

pub use forms::FormGroup;
pub use precision::{CorrectDigits, FloatResult, Precision, PrecisionRow};
pub use reading::{ComponentReading, Motion, Reading, Trend};
