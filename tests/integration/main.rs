//! mailtest's integration tests: one binary, one module per area.

mod assertions;
mod concurrency;
mod decoding;
mod hygiene;
mod malformed;
mod parallel;
mod propagation;
mod reports;
mod transport;
mod waiting;
#[cfg(feature = "sink")]
mod sink;
#[cfg(feature = "sink")]
mod sink_robust;
#[cfg(feature = "sink")]
mod sink_interop;
#[cfg(feature = "cli")]
mod sink_cli;
