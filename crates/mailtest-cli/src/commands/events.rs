//! The live list's feed: what happened to the outbox, for server-sent events.
//!
//! One watcher thread follows the outbox by capture number (so a clear
//! never makes it miss or repeat an email) and publishes each new email;
//! `DELETE /api/messages` publishes a clear. Each `/events` connection
//! follows the feed from where it joined, woken by a condition variable.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use mailtest::Outbox;

/// How many events a late reader can catch up on; one further behind is
/// told to reload the list instead.
const KEPT: usize = 1024;
/// How often an idle stream sends a comment, so a dead reader is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Clone)]
pub(crate) enum Event {
    /// A new email: its JSON summary.
    Email(String),
    /// The outbox was cleared.
    Cleared,
}

#[derive(Default)]
struct State {
    /// (id, event), ids from 1, oldest first.
    events: VecDeque<(u64, Event)>,
    last_id: u64,
}

#[derive(Default)]
pub(crate) struct Feed {
    state: Mutex<State>,
    changed: Condvar,
}

impl Feed {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(state: &mut State, event: Event) {
        state.last_id += 1;
        let id = state.last_id;
        state.events.push_back((id, event));
        if state.events.len() > KEPT {
            state.events.pop_front();
        }
    }

    /// Clears the outbox and tells every reader, as one step: an email that
    /// arrives meanwhile is published after the clear, never before it.
    pub(crate) fn clear(&self, outbox: &Outbox) -> usize {
        let mut state = self.lock();
        let deleted = outbox.len();
        outbox.clear();
        Feed::push(&mut state, Event::Cleared);
        self.changed.notify_all();
        deleted
    }

    /// Follows `outbox` for ever, publishing each new email.
    pub(crate) fn watch(self: Arc<Feed>, outbox: Outbox) {
        let mut last_seen = 0;
        loop {
            let new = super::follow::arrivals_after(&outbox, last_seen);
            let mut state = self.lock();
            // Under the feed's lock, so a clear is either before (and the
            // email is gone) or after (and follows it in the feed).
            let present: Vec<u64> = outbox.emails().iter().map(|email| email.sequence()).collect();
            for email in new {
                last_seen = last_seen.max(email.sequence());
                if present.contains(&email.sequence()) {
                    Feed::push(&mut state, Event::Email(super::json::summary(&email).to_string()));
                }
            }
            self.changed.notify_all();
        }
    }

    /// The id of the newest event: a new reader starts after it.
    pub(crate) fn last_id(&self) -> u64 {
        self.lock().last_id
    }

    /// The events after `after`, waiting up to `timeout` for one. `None`
    /// when the reader fell so far behind that some are gone.
    fn after(&self, after: u64, timeout: Duration) -> Option<Vec<(u64, Event)>> {
        let mut state = self.lock();
        if state.last_id == after {
            state = self.changed.wait_timeout(state, timeout).unwrap_or_else(PoisonError::into_inner).0;
        }
        if state.events.front().is_some_and(|(first, _)| *first > after + 1) {
            return None;
        }
        Some(state.events.iter().filter(|(id, _)| *id > after).cloned().collect())
    }
}

/// Streams the feed to one `/events` connection until it goes away.
pub(crate) fn stream(feed: &Feed, out: &mut impl Write) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n{}retry: 2000\n\n",
        super::http::COMMON_HEADERS
    );
    // Taken before the head goes out: whatever happens once the reader
    // sees the stream open is sent to it.
    let mut cursor = feed.last_id();
    if out.write_all(head.as_bytes()).and_then(|()| out.flush()).is_err() {
        return;
    }
    loop {
        let text = match feed.after(cursor, KEEP_ALIVE) {
            None => {
                cursor = feed.last_id();
                "event: resync\ndata: {}\n\n".to_owned()
            }
            Some(events) if events.is_empty() => ": keep-alive\n\n".to_owned(),
            Some(events) => {
                let mut text = String::new();
                for (id, event) in events {
                    cursor = id;
                    match event {
                        Event::Email(json) => {
                            text.push_str(&format!("id: {id}\nevent: email\ndata: {json}\n\n"))
                        }
                        Event::Cleared => text.push_str(&format!("id: {id}\nevent: cleared\ndata: {{}}\n\n")),
                    }
                }
                text
            }
        };
        if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}
