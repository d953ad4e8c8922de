//! The mailroom: what `mailtest serve` keeps — one outbox per namespace
//! (see `namespace.rs` for the rule), a cap on each, the copy on disk with
//! `--dir` — and the one place that changes it. The sink hands it every
//! message (it is the sink's [`Delivery`]); the web UI, the JSON API and the
//! console only read it, or ask it to delete.
//!
//! A namespace is a [`mailtest::Outbox`] of its own, so its numbers, its
//! queries, its waits and its near-miss reports are those of a test's
//! outbox, and mail of other namespaces never wakes or slows its waiters.
//!
//! The cap: a namespace holds at most `cap` messages. A recipient of a full
//! namespace is refused at `RCPT TO`, and a message that would overfill one
//! (it filled up meanwhile) at the end of its data, both with
//! `452 4.2.2` (mailbox full, RFC 3463) naming the namespace, the cap and
//! how to make room: the client hears it, nothing is dropped in silence.
//! A message is kept in all its namespaces or none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use mailtest::Outbox;
use mailtest_capture::{Captured, Store};
use mailtest_sink::{Delivery, SmtpReply};

use super::events::{Event, Feed};
use super::mail_dir::MailDir;
use super::namespace::{self, DEFAULT};

/// The cap of a namespace unless `serve --cap` says otherwise.
pub(crate) const DEFAULT_CAP: usize = 10_000;

/// A cheap handle: the sink, the web server and the console share one.
#[derive(Clone)]
pub(crate) struct Mailroom {
    inner: Arc<Inner>,
}

struct Inner {
    namespaces: Mutex<BTreeMap<String, Namespace>>,
    cap: usize,
    dir: Option<MailDir>,
    feed: Feed,
    /// Where each accepted message goes to be printed, once it is kept.
    console: Mutex<Option<Sender<Captured>>>,
}

#[derive(Clone, Default)]
struct Namespace {
    outbox: Outbox,
    /// `/api/wait` requests waiting on it now.
    waiting: Arc<AtomicUsize>,
}

/// One namespace as `/api/namespaces` lists it.
pub(crate) struct Listed {
    pub(crate) name: String,
    pub(crate) count: usize,
    pub(crate) waiting: usize,
}

/// Counts one waiter of a namespace while it lives.
pub(crate) struct Waiting(Arc<AtomicUsize>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Mailroom {
    /// A mailroom with `cap` messages a namespace, reloading what `dir`
    /// holds; also says what was reloaded, for the banner.
    pub(crate) fn open(cap: usize, dir: Option<&Path>) -> Result<(Mailroom, Vec<(String, usize)>), String> {
        let mut namespaces = BTreeMap::from([(DEFAULT.to_owned(), Namespace::default())]);
        let (dir, reloaded) = match dir {
            None => (None, Vec::new()),
            Some(path) => {
                let (dir, reloaded) = MailDir::open(path)?;
                (Some(dir), reloaded)
            }
        };
        let mut counts = Vec::new();
        for (ns, mail) in reloaded {
            counts.push((ns.clone(), mail.len()));
            let outbox = &namespaces.entry(ns).or_default().outbox;
            // Over the cap or not: reloading never drops mail; new mail to a
            // namespace over its cap is refused until some is deleted.
            mail.into_iter().for_each(|mail| outbox.store(mail));
        }
        let inner = Inner {
            namespaces: Mutex::new(namespaces),
            cap,
            dir,
            feed: Feed::default(),
            console: Mutex::default(),
        };
        Ok((Mailroom { inner: Arc::new(inner) }, counts))
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Namespace>> {
        self.inner.namespaces.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The folder `--dir` files into, if any.
    pub(crate) fn dir(&self) -> Option<&Path> {
        self.inner.dir.as_ref().map(MailDir::root)
    }

    pub(crate) fn cap(&self) -> usize {
        self.inner.cap
    }

    pub(crate) fn feed(&self) -> &Feed {
        &self.inner.feed
    }

    /// Sends every message kept from now on to `console`, in order.
    pub(crate) fn print_to(&self, console: Sender<Captured>) {
        *self.inner.console.lock().unwrap_or_else(PoisonError::into_inner) = Some(console);
    }

    /// The outbox of namespace `ns` (made empty if it had no mail yet, so a
    /// waiter is woken by its first message).
    pub(crate) fn outbox(&self, ns: &str) -> Outbox {
        self.lock().entry(ns.to_owned()).or_default().outbox.clone()
    }

    /// Counts a waiter of `ns` until the value drops.
    pub(crate) fn waiting(&self, ns: &str) -> Waiting {
        let waiting = Arc::clone(&self.lock().entry(ns.to_owned()).or_default().waiting);
        waiting.fetch_add(1, Ordering::SeqCst);
        Waiting(waiting)
    }

    /// Every namespace, by name: the default one first.
    pub(crate) fn namespaces(&self) -> Vec<Listed> {
        let namespaces = self.lock();
        let mut listed: Vec<Listed> = namespaces
            .iter()
            .map(|(name, ns)| Listed {
                name: name.clone(),
                count: ns.outbox.len(),
                waiting: ns.waiting.load(Ordering::SeqCst),
            })
            .collect();
        listed.sort_by_key(|ns| ns.name != DEFAULT);
        listed
    }

    /// Deletes email `n` of namespace `ns`; whether it was there.
    pub(crate) fn delete(&self, ns: &str, n: u64) -> Result<bool, String> {
        let namespaces = self.lock();
        let Some(outbox) = namespaces.get(ns).map(|ns| &ns.outbox) else { return Ok(false) };
        if !outbox.remove(n) {
            return Ok(false);
        }
        if let Some(dir) = &self.inner.dir {
            let live: Vec<Captured> = outbox.emails().iter().map(captured).collect();
            dir.rewrite(ns, &live)?;
        }
        self.inner.feed.publish(ns, Event::Deleted(n));
        Ok(true)
    }

    /// Deletes every email of namespace `ns`; how many there were.
    pub(crate) fn clear(&self, ns: &str) -> Result<usize, String> {
        let namespaces = self.lock();
        let Some(outbox) = namespaces.get(ns).map(|ns| &ns.outbox) else { return Ok(0) };
        let deleted = outbox.len();
        outbox.clear();
        if let Some(dir) = &self.inner.dir {
            dir.clear(ns)?;
        }
        self.inner.feed.publish(ns, Event::Cleared);
        Ok(deleted)
    }

    /// The reply refusing mail to a full namespace.
    fn full(&self, ns: &str) -> SmtpReply {
        let cap = self.inner.cap;
        let text = format!(
            "4.2.2 namespace {ns:?} is full: it holds {cap} messages, its cap (mailtest serve --cap); \
             delete some (DELETE /ns/{ns}/api/messages) and send again"
        );
        SmtpReply::new(452, text).expect("a 452 with a one-line text")
    }

    fn is_full(namespaces: &BTreeMap<String, Namespace>, ns: &str, cap: usize) -> bool {
        namespaces.get(ns).is_some_and(|ns| ns.outbox.len() >= cap)
    }
}

/// An email back as the sink handed it over.
pub(crate) fn captured(email: &mailtest::Email) -> Captured {
    Captured::new(
        email.envelope_from().map(str::to_owned),
        email.envelope_to().to_vec(),
        email.raw().to_vec(),
    )
}

fn not_a_namespace(why: String) -> SmtpReply {
    SmtpReply::new(553, format!("5.1.3 {why}")).expect("a 553 with a one-line text")
}

impl Delivery for Mailroom {
    fn accept_recipient(&self, recipient: &str) -> Result<(), SmtpReply> {
        let ns = namespace::of_recipient(recipient).map_err(not_a_namespace)?;
        match Mailroom::is_full(&self.lock(), &ns, self.inner.cap) {
            true => Err(self.full(&ns)),
            false => Ok(()),
        }
    }

    fn deliver(&self, mail: Captured) -> Result<(), SmtpReply> {
        let names: BTreeSet<String> = mail
            .envelope_to
            .iter()
            .map(|to| namespace::of_recipient(to))
            .collect::<Result<_, _>>()
            .map_err(not_a_namespace)?;
        let mut namespaces = self.lock();
        if let Some(full) = names.iter().find(|ns| Mailroom::is_full(&namespaces, ns, self.inner.cap)) {
            return Err(self.full(full));
        }
        if let Some(dir) = &self.inner.dir {
            for ns in &names {
                dir.file(ns, &mail).map_err(|why| {
                    let why = why.replace(['\r', '\n'], " ");
                    SmtpReply::new(451, format!("4.3.0 cannot file the message: {why}")).expect("one line")
                })?;
            }
        }
        for ns in &names {
            let outbox = &namespaces.entry(ns.clone()).or_default().outbox;
            outbox.store(mail.clone());
            if let Some(email) = outbox.emails().pop() {
                self.inner.feed.publish(ns, Event::Email(email));
            }
        }
        drop(namespaces);
        if let Some(console) = &*self.inner.console.lock().unwrap_or_else(PoisonError::into_inner) {
            let _ = console.send(mail);
        }
        Ok(())
    }
}
