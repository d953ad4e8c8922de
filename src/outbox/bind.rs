//! Binding an outbox to the current thread.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::ops::Deref;

use super::Outbox;
use super::global::{Ticket, enter_capture, enter_global};
use crate::deliver::guard::mark_test_process;

thread_local! {
    static CURRENT: RefCell<Option<Outbox>> = const { RefCell::new(None) };
}

/// Makes a fresh, empty outbox and binds it to the current thread until the
/// returned guard drops.
///
/// While bound, every [`CaptureTransport::ambient()`](crate::CaptureTransport::ambient)
/// send on this thread lands in it. Dropping the guard restores whatever was
/// bound before, so captures nest. To follow work onto other threads and
/// tasks, see [`Outbox::scope`], [`Outbox::spawn`] and
/// [`Outbox::unique_address`].
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
    let ticket = enter_capture();
    let outbox = Outbox::new();
    let guard = outbox.bind();
    Capture::bound(outbox, guard, ticket)
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
    mark_test_process();
    let outbox = Outbox::new();
    let ticket = enter_global(&outbox);
    let guard = outbox.bind();
    Capture::bound(outbox, guard, ticket)
}

/// The outbox bound on the current thread, if any.
///
/// ```
/// assert!(mailtest::current().is_none());
/// let mail = mailtest::capture();
/// assert_eq!(mailtest::current().as_ref(), Some(&*mail));
/// ```
pub fn current() -> Option<Outbox> {
    // During thread teardown the thread-local may be gone: nothing is bound then.
    CURRENT.try_with(|current| current.borrow().clone()).ok().flatten()
}

/// A capture bound to the current thread: an [`Outbox`] (it derefs to one)
/// and the binding, which ends when this drops.
///
/// `!Send`: the binding belongs to the thread that made it.
///
/// ```
/// let mail: mailtest::Capture = mailtest::capture();
/// let outbox: &mailtest::Outbox = &mail; // derefs to its outbox
/// assert!(outbox.is_empty());
/// ```
#[must_use = "the capture ends as soon as this is dropped; keep it: `let mail = mailtest::capture();`"]
pub struct Capture {
    outbox: Outbox,
    #[cfg_attr(not(feature = "harness"), allow(dead_code))]
    strict: bool,
    /// With `strict_lints`: every email must be lint-clean at drop.
    #[cfg(feature = "harness")]
    lints: Option<crate::lint::LintConfig>,
    // Unbinds first, then leaves the gate (fields drop in this order).
    _guard: BindGuard,
    _ticket: Ticket,
}

impl Capture {
    /// A capture of `outbox`, bound by `guard`, holding its place at the gate.
    fn bound(outbox: Outbox, guard: BindGuard, ticket: Ticket) -> Capture {
        Capture {
            outbox,
            strict: false,
            #[cfg(feature = "harness")]
            lints: None,
            _guard: guard,
            _ticket: ticket,
        }
    }

    /// Makes the capture fail when it drops if any captured email was never
    /// matched by an assertion: a query with criteria that picked it out
    /// (`find().to(..).one()`, `assert_sent!(..)`) or `email.assert()`. The
    /// report names each such email. Nothing happens if the test is already
    /// failing.
    ///
    /// ```should_panic
    /// let mail = mailtest::capture().strict();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Welcome\r\n\r\n.");
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Surprise\r\n\r\n.");
    /// mail.find().subject("Welcome").one();
    /// // panics here: "strict capture: 1 of 2 captured emails were never matched by an assertion"
    /// ```
    #[cfg(feature = "harness")]
    pub fn strict(mut self) -> Capture {
        self.strict = true;
        self
    }

    /// Makes the capture fail when it drops if any captured email is not
    /// lint-clean ([`Outbox::assert_lints_clean`]), so that every test of a
    /// suite checks the mail it sends without saying so. Combines with
    /// [`strict`](Capture::strict). Nothing happens if the test is already
    /// failing.
    ///
    /// ```should_panic
    /// let mail = mailtest::capture().strict_lints();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\nHello\r\n");
    /// // panics here: "strict capture: 1 of 1 captured email is not lint-clean: 2 errors"
    /// ```
    #[cfg(feature = "harness")]
    pub fn strict_lints(self) -> Capture {
        self.strict_lints_with(crate::lint::LintConfig::new())
    }

    /// [`strict_lints`](Capture::strict_lints) with `config`.
    ///
    /// ```
    /// let lenient = mailtest::LintConfig::new().allow(["missing-message-id", "missing-date"]);
    /// let mail = mailtest::capture().strict_lints_with(lenient);
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\nHello\r\n");
    /// ```
    #[cfg(feature = "harness")]
    pub fn strict_lints_with(mut self, config: crate::lint::LintConfig) -> Capture {
        self.lints = Some(config);
        self
    }

    /// The outbox, as a handle that outlives the capture.
    ///
    /// ```
    /// let outbox = mailtest::capture().outbox();
    /// assert!(outbox.is_empty());
    /// ```
    pub fn outbox(&self) -> Outbox {
        self.outbox.clone()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        // A second panic while unwinding would abort the test process.
        #[cfg(feature = "harness")]
        if (self.strict || self.lints.is_some()) && !std::thread::panicking() {
            use crate::report::Failure;
            let emails = self.outbox.emails();
            let unasserted: Vec<crate::email::Email> = emails
                .iter()
                .filter(|email| !email.record().asserted.load(std::sync::atomic::Ordering::Relaxed))
                .cloned()
                .collect();
            let failures: Vec<Failure> = [
                (self.strict && !unasserted.is_empty())
                    .then(|| Failure::unasserted(&unasserted, emails.len())),
                self.lints.as_ref().and_then(|config| crate::lint::strict_failure(&emails, config)),
            ]
            .into_iter()
            .flatten()
            .collect();
            // One panic, however many checks failed.
            if !failures.is_empty() {
                Failure::joined(&failures).panic();
            }
        }
    }
}

impl Deref for Capture {
    type Target = Outbox;

    fn deref(&self) -> &Outbox {
        &self.outbox
    }
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Capture").field(&self.outbox).finish()
    }
}

/// Keeps an outbox bound to the current thread; dropping it restores what was
/// bound before.
///
/// `!Send`: a binding belongs to one thread. Guards restore correctly when
/// dropped in reverse order of creation, which scoping does for you.
///
/// ```
/// let outbox = mailtest::Outbox::new();
/// let guard: mailtest::BindGuard = outbox.bind();
/// assert!(mailtest::current().is_some());
/// drop(guard);
/// assert!(mailtest::current().is_none());
/// ```
#[must_use = "the outbox is unbound as soon as this is dropped; keep it: `let _bound = outbox.bind();`"]
pub struct BindGuard {
    previous: Option<Outbox>,
    _not_send: PhantomData<*const ()>,
}

impl Outbox {
    /// Binds this outbox to the current thread until the guard drops.
    ///
    /// ```
    /// let outbox = mailtest::Outbox::new();
    /// {
    ///     let _bound = outbox.bind();
    ///     assert_eq!(mailtest::current(), Some(outbox.clone()));
    /// }
    /// assert_eq!(mailtest::current(), None);
    /// ```
    pub fn bind(&self) -> BindGuard {
        mark_test_process();
        let previous = CURRENT.with(|current| current.replace(Some(self.clone())));
        BindGuard { previous, _not_send: PhantomData }
    }

    /// Runs `f` with this outbox bound to the current thread.
    ///
    /// Handy inside `spawn_blocking`, a thread pool job, or any closure that
    /// runs elsewhere.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let outbox = mail.outbox();
    /// std::thread::spawn(move || {
    ///     outbox.in_scope(|| assert!(mailtest::current().is_some()));
    /// })
    /// .join()
    /// .unwrap();
    /// ```
    pub fn in_scope<T>(&self, f: impl FnOnce() -> T) -> T {
        let _bound = self.bind();
        f()
    }
}

impl Drop for BindGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // During thread teardown there is nothing left to restore.
        let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
    }
}

impl std::fmt::Debug for BindGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BindGuard").finish_non_exhaustive()
    }
}
