//! The outbox: an `Arc`-shared store of captured messages.
//!
//! Capturing stores the raw bytes and the SMTP envelope and nothing else; the
//! parse happens on first inspection (see [`Email`]). Every change bumps a
//! generation counter and wakes waiters, so a waiting query sleeps until mail
//! arrives instead of polling.

mod attempts;
mod bind;
mod load;
mod mailer;
mod scope;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::Waker;
use std::thread::ThreadId;
use std::time::Instant;

use mailtest_capture::{ArmedPlan, Attempt, Captured, Outcome, Refusal, SharedStore, Store};
use mailtest_mime::same_address;

use crate::email::{Email, Record};

pub(crate) use bind::AtEnd;
pub use bind::{Capture, current};
pub(crate) use bind::{start, start_global};
pub use scope::WithOutboxExt;

/// A store of captured email: a cheap, `Clone + Send + Sync` handle.
///
/// Clones share the same messages. Most tests get one from
/// [`mailtest::capture()`](crate::capture), which also binds it to the test's
/// thread; `Outbox::new()` makes an unbound one for explicit use through
/// [`transport`](Outbox::transport) or [`capture_raw`](Outbox::capture_raw).
///
/// ```
/// use lettre::Transport;
///
/// let outbox = mailtest::Outbox::new();
/// let transport = outbox.transport();
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Welcome")
///     .body(String::from("Hello Ann"))
///     .unwrap();
/// transport.send(&message).unwrap();
///
/// assert_eq!(outbox.len(), 1);
/// assert_eq!(outbox.emails()[0].subject(), Some("Welcome"));
/// ```
#[derive(Clone)]
pub struct Outbox {
    pub(crate) shared: Arc<Shared>,
}

pub(crate) struct Shared {
    id: u64,
    /// When the outbox was made: a report lists the sends refused since.
    created: Instant,
    state: Mutex<State>,
    changed: Condvar,
    /// Every thread this outbox was bound on (the test's, and every one its
    /// capture was propagated to): sends refused there are its test's own.
    /// Apart from `state`, so a poll that binds never waits on a capture.
    bound_threads: Mutex<Vec<ThreadId>>,
    /// The fault plan sends into it meet (`Outbox::faults`), and whether
    /// there is one: a send checks the flag, not the lock.
    faults: Mutex<Option<Arc<ArmedPlan>>>,
    has_faults: AtomicBool,
}

/// How the delivery decision reaches an outbox: a binding, a route or the
/// global capture hands mail to it here.
impl Store for Shared {
    fn store(&self, mail: Captured) {
        Outbox::push_into(self, mail);
    }

    fn bound_on(&self, thread: ThreadId) {
        let mut threads = self.bound_threads.lock().unwrap_or_else(PoisonError::into_inner);
        if !threads.contains(&thread) {
            threads.push(thread);
        }
    }

    fn faults(&self) -> Option<Arc<ArmedPlan>> {
        if !self.has_faults.load(Ordering::Acquire) {
            return None;
        }
        self.faults.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn attempt(&self, attempt: Attempt) {
        Outbox::log_into(self, attempt);
    }
}

/// An outbox takes mail from anything that delivers to a store: the SMTP
/// sink hands over each message it accepts this way, without a copy.
///
/// ```
/// use mailtest_capture::{Captured, Store};
///
/// let outbox = mailtest::Outbox::new();
/// outbox.store(Captured::new(None, vec!["ann@example.com".into()], b"Subject: Hi\r\n\r\n.".to_vec()));
/// assert_eq!(outbox.len(), 1);
/// ```
impl Store for Outbox {
    fn store(&self, mail: Captured) {
        self.push(mail);
    }

    fn faults(&self) -> Option<Arc<ArmedPlan>> {
        self.shared.faults()
    }

    fn attempt(&self, attempt: Attempt) {
        Outbox::log_into(&self.shared, attempt);
    }
}

/// The refused sends a report shows (see [`Outbox::refusals`]).
pub(crate) struct Refusals {
    /// Its test's own, oldest first.
    pub(crate) own: Vec<Refusal>,
    /// How many others were refused meanwhile (or are no longer kept).
    pub(crate) elsewhere: usize,
}

#[derive(Default)]
pub(crate) struct State {
    records: Vec<Arc<Record>>,
    /// Bumped on every push and clear: a waiter re-checks only when it moved.
    generation: u64,
    next_seq: u64,
    wakers: Vec<Waker>,
    /// Threads blocked in `wait_for_change`: with none, a capture skips the
    /// condition variable (a system call) entirely.
    blocked: usize,
    /// The attempts that stored nothing, in order; the stored ones are the
    /// records (see `attempts.rs`).
    failed: Vec<attempts::Failed>,
    /// The number of the last attempt, stored or not.
    attempts: u64,
}

static NEXT_OUTBOX_ID: AtomicU64 = AtomicU64::new(1);

impl Outbox {
    /// Makes a new, empty outbox, bound to no thread.
    ///
    /// ```
    /// let outbox = mailtest::Outbox::new();
    /// assert!(outbox.is_empty());
    /// assert!(mailtest::current().is_none());
    /// ```
    pub fn new() -> Outbox {
        crate::linked::keep();
        Outbox {
            shared: Arc::new(Shared {
                id: NEXT_OUTBOX_ID.fetch_add(1, Ordering::Relaxed),
                created: Instant::now(),
                state: Mutex::new(State::default()),
                changed: Condvar::new(),
                bound_threads: Mutex::new(Vec::new()),
                faults: Mutex::new(None),
                has_faults: AtomicBool::new(false),
            }),
        }
    }

    /// Captures a message given as raw RFC 5322 bytes, with its SMTP envelope.
    ///
    /// For code that does not use lettre (mail-builder, hand-made messages).
    /// The bytes are stored as they are, even when they are not a valid
    /// message: the [`Email`] then says what is wrong in
    /// [`problems`](Email::problems).
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(
    ///     Some("app@example.com"),
    ///     &["ann@example.com", "audit@example.com"],
    ///     b"From: app@example.com\r\nTo: ann@example.com\r\nSubject: Hi\r\n\r\nHello\r\n",
    /// );
    /// let email = &mail.emails()[0];
    /// assert_eq!(email.text(), Some("Hello\n"));
    /// assert_eq!(email.bcc()[0], "audit@example.com"); // envelope-only recipient
    /// ```
    pub fn capture_raw(&self, envelope_from: Option<&str>, envelope_to: &[&str], raw: &[u8]) {
        self.push(Captured::new(
            envelope_from.map(str::to_owned),
            envelope_to.iter().map(|&to| to.to_owned()).collect(),
            raw.to_vec(),
        ));
    }

    /// Stores one message: the only write path, every capture ends here.
    pub(crate) fn push(&self, mail: Captured) {
        Outbox::push_into(&self.shared, mail);
    }

    fn push_into(shared: &Shared, mail: Captured) {
        Outbox::log_into(shared, Attempt::new(mail, Outcome::Delivered));
    }

    /// Keeps one attempt: the message as an email when it was stored, else
    /// in the log of failed attempts. Every capture ends here.
    fn log_into(shared: &Shared, attempt: Attempt) {
        let Attempt { mail, at, outcome, .. } = attempt;
        let stored = outcome.stored();
        let wakers = {
            let mut state = lock(shared);
            state.attempts += 1;
            let seq = if stored {
                state.next_seq += 1;
                state.next_seq
            } else {
                0
            };
            let mut record = Record::new(seq, at, mail.envelope_from, mail.envelope_to, mail.raw);
            record.sent_using = mail.sent_using;
            record.attempt = state.attempts;
            record.reply_lost = outcome == Outcome::ReplyLost;
            let record = Arc::new(record);
            if stored {
                state.records.push(record);
            } else {
                state.failed.push(attempts::Failed { outcome, record });
            }
            state.generation += 1;
            (std::mem::take(&mut state.wakers), state.blocked > 0)
        };
        wake(shared, wakers);
    }

    /// This outbox as the delivery decision holds it.
    pub(crate) fn as_store(&self) -> SharedStore {
        self.shared.clone()
    }

    /// The outbox a store handle leads to, when it is one.
    pub(crate) fn from_store(store: SharedStore) -> Option<Outbox> {
        let any: Arc<dyn std::any::Any + Send + Sync> = store;
        any.downcast::<Shared>().ok().map(|shared| Outbox { shared })
    }

    /// Every captured email, in capture order.
    ///
    /// Cheap: the emails share their bytes and their parsed view with the
    /// outbox, and each message is parsed once, on first inspection.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["a@example.com"], b"Subject: one\r\n\r\n1");
    /// mail.capture_raw(None, &["b@example.com"], b"Subject: two\r\n\r\n2");
    /// let subjects: Vec<_> = mail.emails().iter().map(|e| e.subject().unwrap().to_owned()).collect();
    /// assert_eq!(subjects, ["one", "two"]);
    /// ```
    pub fn emails(&self) -> Vec<Email> {
        self.lock().records.iter().cloned().map(Email::from_record).collect()
    }

    /// How many emails were captured.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// assert_eq!(mail.len(), 0);
    /// mail.capture_raw(None, &["a@example.com"], b"Subject: one\r\n\r\n1");
    /// assert_eq!(mail.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.lock().records.len()
    }

    /// Whether nothing was captured.
    ///
    /// ```
    /// assert!(mailtest::Outbox::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every captured email and every attempt (routes made by
    /// [`unique_address`](Outbox::unique_address) and the fault plan stay).
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["a@example.com"], b"Subject: one\r\n\r\n1");
    /// mail.clear();
    /// assert!(mail.is_empty());
    /// ```
    pub fn clear(&self) {
        let wakers = {
            let mut state = self.lock();
            state.records.clear();
            state.failed.clear();
            state.generation += 1;
            (std::mem::take(&mut state.wakers), state.blocked > 0)
        };
        wake(&self.shared, wakers);
    }

    /// Forgets the email numbered `sequence` (see [`Email::sequence`]);
    /// whether it was there. Numbers are never reused, so the others keep
    /// theirs: `mailtest serve` deletes one message of a shared inbox this
    /// way while other clients wait on it.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["a@example.com"], b"Subject: one\r\n\r\n1");
    /// mail.capture_raw(None, &["b@example.com"], b"Subject: two\r\n\r\n2");
    /// assert!(mail.remove(1));
    /// assert!(!mail.remove(1));
    /// assert_eq!(mail.emails()[0].sequence(), 2);
    /// ```
    pub fn remove(&self, sequence: u64) -> bool {
        let wakers = {
            let mut state = self.lock();
            let Some(at) = state.records.iter().position(|record| record.seq == sequence) else {
                return false;
            };
            state.records.remove(at);
            state.generation += 1;
            (std::mem::take(&mut state.wakers), state.blocked > 0)
        };
        wake(&self.shared, wakers);
        true
    }

    /// A snapshot of the records and the generation it was taken at.
    pub(crate) fn snapshot(&self) -> (Vec<Arc<Record>>, u64) {
        let state = self.lock();
        (state.records.clone(), state.generation)
    }

    /// Blocks until the outbox changes after `generation`, or `deadline` passes.
    pub(crate) fn wait_for_change(&self, generation: u64, deadline: Instant) {
        let mut state = self.lock();
        state.blocked += 1;
        while state.generation == generation {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state.blocked -= 1;
    }

    /// Registers `waker` to be woken when the outbox changes after
    /// `generation`; returns `true` when it already has.
    pub(crate) fn register_waker(&self, generation: u64, waker: &Waker) -> bool {
        let mut state = self.lock();
        if state.generation != generation {
            return true;
        }
        if !state.wakers.iter().any(|w| w.will_wake(waker)) {
            state.wakers.push(waker.clone());
        }
        false
    }

    /// The sends refused while this outbox was alive that are its test's
    /// own — made on a thread it was bound on, or to one of `recipients`
    /// (the addresses a failing query names) — oldest first, and how many
    /// others were refused meanwhile (other tests, or work this test did not
    /// propagate to), which a report only counts.
    pub(crate) fn refusals(&self, recipients: &[&str]) -> Refusals {
        let (refused, forgotten) = mailtest_capture::refusals_since(self.shared.created);
        let threads = self.shared.bound_threads.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let (own, others): (Vec<Refusal>, Vec<Refusal>) = refused.into_iter().partition(|refusal| {
            threads.contains(&refusal.thread_id)
                || refusal.recipients.iter().any(|to| recipients.iter().any(|named| same_address(to, named)))
        });
        Refusals { own, elsewhere: others.len() + forgotten }
    }

    /// The state lock. A panic elsewhere (a user's closure, say) never
    /// poisons the outbox for anyone else: no user code runs under this lock,
    /// and a poisoned lock is taken over as it is.
    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.shared)
    }
}

/// The state lock. A panic elsewhere (a user's closure, say) never poisons
/// the outbox for anyone else: no user code runs under this lock, and a
/// poisoned lock is taken over as it is.
fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    shared.state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Wakes blocked and async waiters after a change made under the lock.
fn wake(shared: &Shared, (wakers, blocked): (Vec<Waker>, bool)) {
    if blocked {
        shared.changed.notify_all();
    }
    wakers.into_iter().for_each(Waker::wake);
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox::new()
    }
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").field("id", &self.shared.id).field("len", &self.len()).finish()
    }
}

impl PartialEq for Outbox {
    /// Two handles are equal when they share one store.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Eq for Outbox {}

const _: () = {
    const fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Outbox>();
};
