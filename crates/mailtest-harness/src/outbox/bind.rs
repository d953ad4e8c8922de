//! A capture: an outbox bound to the test's thread, with its place at the
//! gate that keeps a global capture apart from the others.

use std::ops::Deref;

use mailtest_capture::{BindGuard, Ticket, enter_capture, enter_global};

use super::Outbox;

/// A fresh outbox, bound to this thread, with a place at the gate:
/// [`capture()`](crate::capture) without what the harness attaches.
pub(crate) fn start() -> Capture {
    let ticket = enter_capture();
    let outbox = Outbox::new();
    let guard = outbox.bind();
    Capture::bound(outbox, guard, ticket)
}

/// The same for [`capture_global()`](crate::capture_global).
#[track_caller]
pub(crate) fn start_global() -> Capture {
    let outbox = Outbox::new();
    let ticket = enter_global(outbox.as_store());
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
    mailtest_capture::current().and_then(Outbox::from_store)
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
    /// What the harness does when the capture ends (strict checks, the
    /// report): kept as hooks, so that the outbox knows none of its readers.
    at_end: Vec<Box<dyn AtEnd>>,
    // Unbinds first, then leaves the gate (fields drop in this order).
    _guard: BindGuard,
    _ticket: Ticket,
}

/// Something done when a capture ends, while its outbox is still bound.
/// Each hook decides for itself what to do while the thread panics (a
/// second panic would abort the test process).
pub(crate) trait AtEnd: std::any::Any {
    fn capture_ended(&mut self, outbox: &Outbox);
}

impl Capture {
    /// A capture of `outbox`, bound by `guard`, holding its place at the gate.
    fn bound(outbox: Outbox, guard: BindGuard, ticket: Ticket) -> Capture {
        Capture { outbox, at_end: Vec::new(), _guard: guard, _ticket: ticket }
    }

    /// The hook of type `T` to run when the capture ends, made by `make`
    /// the first time it is asked for.
    pub(crate) fn at_end<T: AtEnd>(&mut self, make: impl FnOnce() -> T) -> &mut T {
        let at = match self.at_end.iter().position(|hook| (&**hook as &dyn std::any::Any).is::<T>()) {
            Some(at) => at,
            None => {
                self.at_end.push(Box::new(make()));
                self.at_end.len() - 1
            }
        };
        (&mut *self.at_end[at] as &mut dyn std::any::Any).downcast_mut::<T>().expect("found by its type")
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
        for mut hook in std::mem::take(&mut self.at_end) {
            hook.capture_ended(&self.outbox);
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
        mailtest_capture::bind(self.as_store())
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
