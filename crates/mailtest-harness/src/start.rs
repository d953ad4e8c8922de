//! Starting a capture: the entry points that bind a fresh outbox and
//! attach what the harness does when a capture ends (the HTML report of a
//! test that fails). They sit above the outbox, which knows none of its
//! readers.

use crate::outbox::{Capture, start, start_global};

/// Makes a fresh, empty outbox and binds it to the current thread until the
/// returned guard drops.
///
/// While bound, every [`CaptureTransport::ambient()`](crate::CaptureTransport::ambient)
/// send on this thread lands in it. Dropping the guard restores whatever was
/// bound before, so captures nest. To follow work onto other threads and
/// tasks, see [`Outbox::scope`](crate::Outbox::scope), [`Outbox::spawn`](crate::Outbox::spawn) and
/// [`Outbox::unique_address`](crate::Outbox::unique_address).
///
/// ```
/// use lettre::Transport;
///
/// let mail = mailtest::capture();
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Welcome")
///     .body(String::from("Hello Ann"))
///     .unwrap();
/// mailtest::CaptureTransport::ambient().send(&message).unwrap();
/// mail.find().to("ann@example.com").subject("Welcome").one();
/// ```
pub fn capture() -> Capture {
    with_harness(start())
}

/// Makes a capture for the whole process: every send that no binding or
/// route claims, from any thread or task, lands in it — and it is bound to
/// the current thread as [`capture()`] is.
///
/// For applications whose workers the test does not own: a background task
/// spawned at start-up, a thread pool, a multi-thread tokio runtime. The
/// same test then passes on every runtime flavour.
///
/// It waits until no other capture is alive in the process, and holds new
/// ones off until it drops. Under `cargo test` (many tests in one process)
/// tests that use it run one at a time and apart from other capturing tests,
/// so no test sees another's mail; under `cargo nextest` (a process per test)
/// it costs nothing.
///
/// A `capture()` made on another thread while it is alive waits until it
/// drops; a thread of the test itself should not make one (it would wait
/// for the test, which waits for it): the global capture takes that
/// thread's mail anyway.
///
/// # Panics
///
/// When this thread already holds a capture (it would wait for ever): make
/// the global capture first, or instead.
///
/// ```
/// use lettre::Transport;
///
/// let mail = mailtest::capture_global();
/// // A worker thread the test does not own, sending through an ambient transport.
/// std::thread::spawn(|| {
///     let message = lettre::Message::builder()
///         .from("app@example.com".parse().unwrap())
///         .to("ann@example.com".parse().unwrap())
///         .subject("Your export is ready")
///         .body(String::from("..."))
///         .unwrap();
///     mailtest::CaptureTransport::ambient().send(&message).unwrap();
/// })
/// .join()
/// .unwrap();
/// mail.find().to("ann@example.com").subject("Your export is ready").one();
/// ```
#[track_caller]
pub fn capture_global() -> Capture {
    with_harness(start_global())
}

/// Attaches what the harness does when the capture ends.
fn with_harness(mut capture: Capture) -> Capture {
    capture.at_end(|| crate::html_report::ReportAtEnd);
    capture
}
