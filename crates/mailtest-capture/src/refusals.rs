//! The record of refused sends, so that "found 0" never hides mail that was
//! sent and refused.
//!
//! Process-wide, because a refusal happens exactly where no test's outbox is
//! in reach (a worker thread with nothing bound). Bounded: the newest
//! [`KEPT`] refusals are kept, and the count of older ones that were
//! forgotten is kept with them, so a report can say that it is incomplete.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::Instant;

/// How many refusals are kept: enough for any report, small enough to hold
/// in every test process.
const KEPT: usize = 1024;

/// One refused send: who sent it, to whom, and why it was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refusal {
    /// When it was refused.
    pub at: Instant,
    /// The sending thread's name (or id, when unnamed).
    pub thread: String,
    /// The sending thread: a report lists the refusals made on threads its
    /// capture was bound on.
    pub thread_id: std::thread::ThreadId,
    /// The envelope recipients of the refused message.
    pub recipients: Vec<String>,
    /// Why it was refused.
    pub cause: Cause,
    /// Whether it was sent through an async transport or mailer (the fixes
    /// then name the async forms).
    pub asynchronous: bool,
}

impl Refusal {
    /// The SMTP server (`host:port`) a real send would have reached, when
    /// that is why it was refused.
    ///
    /// ```
    /// let mail = mailtest_capture::Captured::new(None, vec!["ann@example.com".into()], Vec::new());
    /// assert_eq!(mailtest_capture::deliver_ambient(mail, mailtest_capture::Client::Lettre, false).unwrap_err().prevented(), None);
    /// ```
    pub fn prevented(&self) -> Option<String> {
        match &self.cause {
            Cause::NoOutbox => None,
            Cause::RealSmtp { server, .. } => Some(server.clone()),
        }
    }

    /// Why the process counts as a test, when a real send was prevented.
    ///
    /// ```
    /// let refusal = mailtest_capture::check_real_smtp("smtp.example.com", 25, &[], false).unwrap_err();
    /// assert!(refusal.test_process().is_some());
    /// ```
    pub fn test_process(&self) -> Option<String> {
        match &self.cause {
            Cause::NoOutbox => None,
            Cause::RealSmtp { why, .. } => Some(why.clone()),
        }
    }
}

/// Why a send was refused.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// An ambient transport (or the memory backend) had no outbox to deliver into.
    NoOutbox,
    /// A mailer in a test process would have sent over SMTP to `server`;
    /// `why` says why the process counts as a test.
    RealSmtp {
        /// `host:port`.
        server: String,
        /// Why the process counts as a test.
        why: String,
    },
}

#[derive(Default)]
struct Log {
    kept: VecDeque<Refusal>,
    /// Refusals pushed out of `kept`, and when the newest of them was made.
    forgotten: usize,
    forgotten_until: Option<Instant>,
}

static LOG: LazyLock<Mutex<Log>> = LazyLock::new(Mutex::default);
/// Whether anything was ever refused: lets a report skip the lock.
static ANY: AtomicBool = AtomicBool::new(false);

/// Records a refusal.
pub(crate) fn record(refusal: Refusal) {
    ANY.store(true, Ordering::Release);
    let mut log = LOG.lock().unwrap_or_else(PoisonError::into_inner);
    if log.kept.len() == KEPT
        && let Some(oldest) = log.kept.pop_front()
    {
        log.forgotten += 1;
        log.forgotten_until = Some(oldest.at);
    }
    log.kept.push_back(refusal);
}

/// The refusals made at or after `since`, oldest first, and how many more
/// were made then but are no longer kept.
///
/// ```
/// let later = std::time::Instant::now() + std::time::Duration::from_secs(3600);
/// assert_eq!(mailtest_capture::refusals_since(later), (Vec::new(), 0));
/// ```
pub fn since(since: Instant) -> (Vec<Refusal>, usize) {
    if !ANY.load(Ordering::Acquire) {
        return (Vec::new(), 0);
    }
    let log = LOG.lock().unwrap_or_else(PoisonError::into_inner);
    let kept: Vec<Refusal> = log.kept.iter().filter(|r| r.at >= since).cloned().collect();
    // The forgotten ones are older than every kept one; some of them fall in
    // the window only if the newest forgotten one does.
    let forgotten = match log.forgotten_until {
        Some(until) if until >= since => log.forgotten,
        _ => 0,
    };
    (kept, forgotten)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(at: Instant, to: &str) -> Refusal {
        Refusal {
            at,
            thread: "worker".into(),
            thread_id: std::thread::current().id(),
            recipients: vec![to.into()],
            cause: Cause::NoOutbox,
            asynchronous: false,
        }
    }

    #[test]
    fn keeps_the_newest_and_counts_the_forgotten() {
        let start = Instant::now();
        for i in 0..KEPT + 3 {
            record(refusal(Instant::now(), &format!("r{i}@example.com")));
        }
        let (kept, forgotten) = since(start);
        // Other unit tests may record too; ours are the newest KEPT at most.
        assert!(kept.len() <= KEPT);
        assert!(forgotten >= 3);
        assert!(kept.iter().any(|r| r.recipients[0] == format!("r{}@example.com", KEPT + 2)));
    }

    #[test]
    fn a_window_after_every_refusal_is_empty() {
        record(refusal(Instant::now(), "old@example.com"));
        let later = Instant::now() + std::time::Duration::from_secs(3600);
        assert_eq!(since(later), (Vec::new(), 0));
    }
}
