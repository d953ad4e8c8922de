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

/// One refused send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) at: Instant,
    /// The sending thread's name (or id, when unnamed).
    pub(crate) thread: String,
    pub(crate) recipients: Vec<String>,
    pub(crate) cause: Cause,
}

/// Why a send was refused.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Cause {
    /// An ambient transport (or the memory backend) had no outbox to deliver into.
    NoOutbox,
    /// A mailer in a test process would have sent over SMTP to `server`;
    /// `why` says why the process counts as a test.
    #[cfg_attr(not(feature = "smtp"), allow(dead_code))]
    RealSmtp { server: String, why: String },
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
#[cfg(feature = "harness")]
pub(crate) fn since(since: Instant) -> (Vec<Refusal>, usize) {
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

#[cfg(all(test, feature = "harness"))]
mod tests {
    use super::*;

    fn refusal(at: Instant, to: &str) -> Refusal {
        Refusal { at, thread: "worker".into(), recipients: vec![to.into()], cause: Cause::NoOutbox }
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
