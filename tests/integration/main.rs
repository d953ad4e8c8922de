//! mailtest's integration tests: one binary, one module per area.

mod assertions;
mod backend_file;
mod backend_local;
mod backend_process;
mod backend_send_mail;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod backend_sessions;
mod backend_settings;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod backend_sink;
mod concurrency;
mod criteria_everywhere;
mod decoding;
mod decoding_classes;
mod delivery;
mod equality;
mod error_sources;
mod hygiene;
mod layering;
mod lint_asserts;
mod lint_fixtures;
mod lint_rules;
mod malformed;
mod panic_hook;
mod parallel;
mod preview;
mod propagation;
#[path = "../support/showcase.rs"]
mod showcase;
#[cfg(feature = "sink")]
mod sink;
#[cfg(feature = "sink")]
mod sink_fuzz;
#[cfg(feature = "sink")]
mod sink_limits;
#[cfg(feature = "sink")]
mod sink_robust;
#[cfg(feature = "sink")]
mod sink_smuggling;
mod snapshot;
mod snapshot_corpus;
mod snapshot_macros;
mod transport;
mod waiting;
