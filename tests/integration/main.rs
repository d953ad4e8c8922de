//! mailtest's integration tests: one binary, one module per area.

mod concurrency;
mod decoding;
mod malformed;
mod parallel;
mod propagation;
mod reports;
mod transport;
mod waiting;
