//! The test-process rule: in a process that tests, no mailer sends over SMTP
//! to anything but an [`SmtpSink`](crate::SmtpSink) of that process.
//!
//! # When a process counts as a test
//!
//! Two signals, either one enough:
//!
//! 1. **It made a capture** (`capture()`, `capture_global()`, a binding, a
//!    routed address). Only tests capture, so this never catches a
//!    production program; but it depends on order: a send that happens
//!    before the first capture of the process is not guarded by it.
//! 2. **It runs from a cargo test harness binary**, which makes the rule
//!    independent of test order. Cargo builds the binaries of `cargo test`
//!    and `cargo bench` (unit, integration and bench targets) as
//!    `target/<profile>/deps/<name>-<16 hex digits>`, and rustdoc runs
//!    doctests from a `rustdoctest…` temporary directory. A program's own
//!    binary is `target/<profile>/<name>` (and `examples/<name>`), wherever
//!    it runs from: a production binary that a test starts as a child
//!    process (`env!("CARGO_BIN_EXE_app")`) is *not* a test by this signal,
//!    so it can still send to the test's sink. Environment variables could
//!    not tell the two apart (a child inherits `NEXTEST`, `CARGO_*`, …),
//!    which is why the executable's path is the signal.
//!
//! A process that is neither sends as configured: this rule never changes
//! what a production program does.

mod bypass;
#[cfg(feature = "smtp")]
mod process;
#[cfg(feature = "sink")]
mod sinks;

#[cfg(feature = "tokio")]
pub(crate) use bypass::Bypassing;
#[cfg(any(feature = "smtp", feature = "tokio"))]
pub(crate) use bypass::bypass_active;
pub(crate) use bypass::bypassing;
#[cfg(feature = "smtp")]
pub(crate) use process::{is_local_sink, test_process};
#[cfg(feature = "sink")]
pub(crate) use sinks::SinkRegistration;
