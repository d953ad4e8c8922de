//! mailtest's integration tests: one binary, one module per area.

#[cfg(feature = "smtp")]
mod aiosmtpd;
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
#[cfg(feature = "smtp")]
mod backend_smtp;
mod concurrency;
mod criteria_everywhere;
mod decoding;
mod decoding_classes;
mod delivery;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod django_parity;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod django_parity_smtp;
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
#[cfg(feature = "cli")]
#[path = "../support/serve.rs"]
mod serve;
#[path = "../support/showcase.rs"]
mod showcase;
#[cfg(feature = "sink")]
mod sink;
#[cfg(feature = "cli")]
mod sink_cli;
#[cfg(feature = "sink")]
mod sink_fuzz;
#[cfg(feature = "sink")]
mod sink_interop;
#[cfg(feature = "sink")]
mod sink_limits;
#[cfg(feature = "sink")]
mod sink_robust;
#[cfg(feature = "sink")]
mod sink_smuggling;
mod snapshot;
mod snapshot_corpus;
mod snapshot_macros;
mod snapshot_user_crate;
mod tools;
mod transport;
mod waiting;
#[cfg(feature = "cli")]
mod web_api;
