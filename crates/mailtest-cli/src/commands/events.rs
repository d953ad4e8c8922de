//! The live list's feed: what happened in each namespace, for server-sent
//! events.
//!
//! The mailroom publishes every arrival, deletion and clear as it makes it,
//! under its own lock, so the feed's order is the mailroom's. Each `/events`
//! connection follows the feed of one namespace from where it joined, woken
//! by a condition variable.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How many events a late reader can catch up on; one further behind is
/// told to reload the list instead.
const KEPT: usize = 1024;
/// How often an idle stream sends a comment, so a dead reader is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Clone)]
pub(crate) enum Event {
    /// A new email, shown to readers as its JSON summary (made only when a
    /// reader is there to read it).
    Email(mailtest::Email),
    /// The email numbered so was deleted.
    Deleted(u64),
    /// The namespace was cleared.
    Cleared,
}

#[derive(Default)]
struct State {
    /// (id, namespace, event), ids from 1, oldest first.
    events: VecDeque<(u64, String, Event)>,
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

    /// Publishes `event` of namespace `ns` to every reader.
    pub(crate) fn publish(&self, ns: &str, event: Event) {
        let mut state = self.lock();
        state.last_id += 1;
        let id = state.last_id;
        state.events.push_back((id, ns.to_owned(), event));
        if state.events.len() > KEPT {
            state.events.pop_front();
        }
        self.changed.notify_all();
    }

    /// The id of the newest event: a new reader starts after it.
    pub(crate) fn last_id(&self) -> u64 {
        self.lock().last_id
    }

    /// The events after `after`, waiting up to `timeout` for one. `None`
    /// when the reader fell so far behind that some are gone.
    fn after(&self, after: u64, timeout: Duration) -> Option<Vec<(u64, String, Event)>> {
        let mut state = self.lock();
        if state.last_id == after {
            state = self.changed.wait_timeout(state, timeout).unwrap_or_else(PoisonError::into_inner).0;
        }
        if state.events.front().is_some_and(|(first, _, _)| *first > after + 1) {
            return None;
        }
        Some(state.events.iter().filter(|(id, _, _)| *id > after).cloned().collect())
    }
}

/// Streams namespace `ns`'s feed to one `/events` connection until it goes
/// away.
pub(crate) fn stream(feed: &Feed, ns: &str, out: &mut impl Write) {
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
            Some(events) => {
                let mut text = String::new();
                for (id, _, event) in events.iter().filter(|(_, of, _)| of == ns) {
                    text.push_str(&match event {
                        Event::Email(email) => {
                            format!("id: {id}\nevent: email\ndata: {}\n\n", super::json::summary(email))
                        }
                        Event::Deleted(n) => format!("id: {id}\nevent: deleted\ndata: {{\"n\":{n}}}\n\n"),
                        Event::Cleared => format!("id: {id}\nevent: cleared\ndata: {{}}\n\n"),
                    });
                }
                let other_namespaces_only = !events.is_empty() && text.is_empty();
                cursor = events.last().map_or(cursor, |(id, _, _)| *id);
                if other_namespaces_only {
                    continue;
                }
                if text.is_empty() { ": keep-alive\n\n".to_owned() } else { text }
            }
        };
        if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}
