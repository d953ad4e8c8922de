//! What the delivery decision hands captured mail to.
//!
//! This crate decides *where* a send goes; keeping the mail, reading it and
//! asserting on it belong to the store behind this trait — in practice
//! `mailtest::Outbox`, which depends on this crate and never the reverse.

use std::any::Any;
use std::sync::Arc;

use crate::attempt::Attempt;
use crate::fault::ArmedPlan;

/// One message on its way into a store: the SMTP envelope and the bytes as
/// they would have gone over the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Captured {
    /// The envelope sender (`MAIL FROM`), if any.
    pub envelope_from: Option<String>,
    /// The envelope recipients (`RCPT TO`), Bcc included.
    pub envelope_to: Vec<String>,
    /// The message, byte for byte.
    pub raw: Vec<u8>,
    /// The name of the mailer that sent it, when a named mailer did.
    pub sent_using: Option<Arc<str>>,
}

impl Captured {
    /// A message with its envelope, sent by no named mailer.
    ///
    /// ```
    /// let mail = mailtest_capture::Captured::new(Some("app@example.com".into()), vec!["ann@example.com".into()], b"Subject: Hi\r\n\r\nHello".to_vec());
    /// assert_eq!(mail.envelope_to, ["ann@example.com"]);
    /// assert!(mail.sent_using.is_none());
    /// ```
    pub fn new(envelope_from: Option<String>, envelope_to: Vec<String>, raw: Vec<u8>) -> Captured {
        Captured { envelope_from, envelope_to, raw, sent_using: None }
    }

    /// The same message, as sent by the mailer called `name`.
    ///
    /// ```
    /// let mail = mailtest_capture::Captured::new(None, vec![], Vec::new()).sent_using(Some("bulk".into()));
    /// assert_eq!(mail.sent_using.as_deref(), Some("bulk"));
    /// ```
    pub fn sent_using(mut self, name: Option<Arc<str>>) -> Captured {
        self.sent_using = name;
        self
    }
}

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
