//! What the delivery decision hands captured mail to.
//!
//! This crate decides *where* a send goes; keeping the mail, reading it and
//! asserting on it belong to the store behind this trait — in practice
//! `mailtest::Outbox`, which depends on this crate and never the reverse.

use std::any::Any;
use std::sync::Arc;

use crate::attempt::Attempt;
use crate::captured::Captured;
use crate::fault::ArmedPlan;

/// A store of captured mail: what a binding, a routed address or the global
/// capture leads to.
///
/// `store` is called on the sending thread, under no lock of this crate, so
/// it may take its own. `Any` lets the owner of a store get its own type
/// back from [`current`](crate::current).
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use mailtest_capture::{Captured, Store};
///
/// #[derive(Default)]
/// struct Kept(Mutex<Vec<Captured>>);
///
/// impl Store for Kept {
///     fn store(&self, mail: Captured) {
///         self.0.lock().unwrap().push(mail);
///     }
/// }
///
/// let kept = Arc::new(Kept::default());
/// let _bound = mailtest_capture::bind(kept.clone());
/// let claim = mailtest_capture::claim(&["ann@example.com".to_owned()]);
/// assert!(claim.capture(Captured::new(None, vec!["ann@example.com".into()], b"Subject: Hi\r\n\r\n.".to_vec())));
/// assert_eq!(kept.0.lock().unwrap().len(), 1);
/// ```
pub trait Store: Any + Send + Sync {
    /// Keeps one message.
    fn store(&self, mail: Captured);

    /// Called on every [`bind`](crate::bind) of this store, on the thread
    /// it is bound to — for every poll of a [`WithOutbox`](crate::WithOutbox)
    /// too, so keep it cheap. A store remembers these threads to tell the
    /// sends refused there (its own test's work) from the rest of the
    /// process. The default forgets them.
    fn bound_on(&self, thread: std::thread::ThreadId) {
        let _ = thread;
    }

    /// The fault plan sends into this store meet, if it has one: then the
    /// decision plays each send against it and hands the store an
    /// [`Attempt`] instead of the mail. Asked on every send, so keep it
    /// cheap; the default has none.
    fn faults(&self) -> Option<Arc<ArmedPlan>> {
        None
    }

    /// Keeps one attempt of the attempt log — refused, failed or
    /// delivered — and the message when it was stored. Called for sends
    /// that met a plan (a sink's or a capture's); a plain send is
    /// [`store`](Store::store)d. The default keeps only what was stored.
    fn attempt(&self, attempt: Attempt) {
        if attempt.outcome.stored() {
            self.store(attempt.mail);
        }
    }
}

/// A shared store, as bindings, routes and the global capture hold it.
pub type SharedStore = Arc<dyn Store>;

/// Whether two handles lead to the same store.
pub(crate) fn same_store(a: &SharedStore, b: &SharedStore) -> bool {
    std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b))
}
