//! Idle SMTP sessions kept for the next send: what makes a batch, and a
//! busy service's sends, use one connection instead of one each.
//!
//! Generic over the connection type so the sync and async backends share
//! the bookkeeping; opening, testing and quitting stay with them (one
//! blocks, the other awaits).

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many idle sessions are kept: more concurrent sends than this open
/// sessions of their own, and those beyond it quit when done.
pub(super) const MAX_IDLE: usize = 10;
/// How long an idle session is kept. Servers must wait at least five
/// minutes before dropping an idle client (RFC 5321 §4.5.3.2.7); staying
/// well under that means a kept session is almost always still open.
pub(super) const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

pub(super) struct Idle<C> {
    sessions: Mutex<Vec<(C, Instant)>>,
}

impl<C> Default for Idle<C> {
    fn default() -> Self {
        Idle { sessions: Mutex::new(Vec::new()) }
    }
}

impl<C> Idle<C> {
    /// The most recently used idle session, and the stale ones to quit.
    pub(super) fn take(&self) -> (Option<C>, Vec<C>) {
        let mut sessions = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        let mut stale = Vec::new();
        while let Some((session, since)) = sessions.pop() {
            if since.elapsed() < IDLE_TIMEOUT {
                return (Some(session), stale);
            }
            stale.push(session);
        }
        (None, stale)
    }

    /// Keeps `session` for the next send, or hands it back when enough
    /// sessions are idle already (the caller quits it).
    pub(super) fn put(&self, session: C) -> Option<C> {
        let mut sessions = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        if sessions.len() >= MAX_IDLE {
            return Some(session);
        }
        sessions.push((session, Instant::now()));
        None
    }

    /// Keeps `session` for the next send when `keep` (and enough are not
    /// idle already); else hands it back, for the caller to quit.
    pub(super) fn keep_or_return(&self, session: C, keep: bool) -> Option<C> {
        if keep { self.put(session) } else { Some(session) }
    }

    /// Every idle session, for the caller to quit.
    pub(super) fn drain(&self) -> Vec<C> {
        let mut sessions = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        sessions.drain(..).map(|(session, _)| session).collect()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner).is_empty()
    }
}
