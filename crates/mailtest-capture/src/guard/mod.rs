//! The test-process rule: in a process that tests, no mailer sends over SMTP
//! to anything but an `SmtpSink` of that process.
//!
//! # When a process counts as a test
//!
//! Three signals, any one enough:
//!
//! 1. **It contains mailtest's test harness.** mailtest-harness, which only
//!    tests link (an application depends on mailtest-mailer; `mailtest` is
//!    its dev-dependency), registers itself as the process starts — an
//!    initializer the loader runs before `main` ([`mark_test_harness`]) —
//!    so the rule holds from the first line of the first test, whatever the
//!    test order, and wherever the binary lives: copied out of `target/` by
//!    Bazel, Buck2 or a CI artefact step, it is still a test binary. A
//!    production binary never contains the harness, not even one built by
//!    `cargo test` for a test to start as a child process
//!    (`env!("CARGO_BIN_EXE_app")`): features unify across a build, but
//!    what a binary links is its own. So that child still sends to the
//!    test's sink — or wherever it is configured to.
//! 2. **It made a capture** (a binding, a routed address, a global
//!    capture): only tests capture.
//! 3. **It runs from a cargo test binary**: `target/<profile>/deps/<name>-<16
//!    hex digits>`, or rustdoc's `rustdoctest…` directory. This catches the
//!    tests of an application that send through its mailer without using
//!    mailtest at all; it depends on the path, which is why it is the last
//!    of the three and never the only guard of a test that uses mailtest.
//!
//! Environment variables could not be a signal: a child inherits `NEXTEST`,
//! `CARGO_*` and the rest from the test that starts it. A process that is
//! none of the three sends as configured: this rule never changes what a
//! production program does.

mod process;
mod sinks;

use std::sync::atomic::{AtomicBool, Ordering};

pub use process::{is_local_sink, mark_test_harness, test_process};
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
