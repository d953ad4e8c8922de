//! mailtest's integration tests: one binary, one module per area.

mod assertions;
#[cfg(feature = "smtp")]
mod backend_smtp;
mod concurrency;
mod decoding;
mod hygiene;
mod malformed;
mod parallel;
mod propagation;
mod reports;
mod transport;
mod waiting;
