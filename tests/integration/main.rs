//! mailtest's integration tests: one binary, one module per area.
//!
//! A failure report lists the sends refused on threads its capture was bound
//! on, or to recipients its query names. So a test that makes a send be
//! refused sends it to an address of its own (`ann.propagation@example.com`,
//! `ann.unbound@example.com`), which no other test's query names: the
//! reports pinned beside it stay the same whatever runs in parallel.

mod assertions;
mod backend_file;
mod backend_local;
mod backend_permit;
mod backend_process;
mod backend_send_mail;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod backend_sessions;
mod backend_settings;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod backend_sink;
#[cfg(feature = "smtp")]
mod backend_smtp;
mod backend_urls;
mod concurrency;
mod criteria_everywhere;
mod decoding;
mod decoding_classes;
mod delivery;
mod django_behaviours;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod django_parity;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod django_parity_smtp;
mod equality;
mod error_sources;
#[cfg(all(feature = "smtp", feature = "sink"))]
#[path = "../support/fault_replies.rs"]
mod fault_replies;
mod faults;
mod hygiene;
mod layering;
mod links_and_lints;
mod lint_asserts;
mod lint_compat;
mod lint_content;
mod lint_fixtures;
mod lint_locales;
mod lint_rules;
mod malformed;
mod panic_hook;
mod parallel;
mod preview;
mod propagation;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod refusals;
mod reports;
#[path = "../support/showcase.rs"]
mod showcase;
#[cfg(feature = "sink")]
mod sink;
#[cfg(feature = "sink")]
#[path = "../support/sink_clients.rs"]
mod sink_clients;
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
#[cfg(all(feature = "smtp", feature = "sink-tls"))]
mod sink_tls;
#[cfg(feature = "smtp")]
#[path = "../support/smtp_messages.rs"]
mod smtp_messages;
mod snapshot;
mod snapshot_corpus;
mod snapshot_macros;
#[cfg(unix)]
mod terminal;
mod transport;
mod waiting;
