//! mailtest's integration tests: one binary, one module per area.

mod assertions;
mod concurrency;
mod decoding;
mod hygiene;
mod malformed;
mod parallel;
mod propagation;
mod reports;
#[cfg(feature = "sink")]
mod sink;
#[cfg(feature = "cli")]
mod sink_cli;
#[cfg(feature = "sink")]
mod sink_interop;
#[cfg(feature = "sink")]
mod sink_robust;
mod transport;
mod waiting;
