//! The test-process rule: in a process that tests, no mailer sends over SMTP
//! to anything but an `SmtpSink` of that process.
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
mod process;
mod sinks;

use std::sync::atomic::{AtomicBool, Ordering};

pub use bypass::{Bypassing, bypass_active, bypassing};
pub use process::{is_local_sink, test_process};
pub use sinks::SinkRegistration;

/// Set by the first capture, binding or routed address of the process. Only
/// tests capture, so the rule reads it as a sign of a test process.
static CAPTURED: AtomicBool = AtomicBool::new(false);

/// Records that this process captures mail (see [`made_a_capture`]).
pub(crate) fn mark_captured() {
    if !CAPTURED.load(Ordering::Relaxed) {
        CAPTURED.store(true, Ordering::Relaxed);
    }
}

/// Whether this process ever made a capture, bound a store or routed an
/// address.
fn made_a_capture() -> bool {
    CAPTURED.load(Ordering::Relaxed)
}
