//! The event loop: accepting, reading and writing every connection of one
//! sink on one thread, timeouts, and an orderly stop.

use std::io;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};

use crate::connection::{Connection, Ready, Status};
use crate::session::Ending;
use crate::shared::Shared;

pub(crate) const LISTENER: Token = Token(0);
pub(crate) const WAKER: Token = Token(1);
/// Connection `i` is registered as `Token(FIRST_CONNECTION + i)`.
const FIRST_CONNECTION: usize = 2;

/// One read's worth of input, shared by every connection (the loop reads one
/// socket at a time): large, so a 5 MB message takes twenty reads, and
/// shared, so an idle connection costs no read buffer.
const READ_BUFFER: usize = 256 * 1024;

/// How soon to try `accept` again after it failed for want of a descriptor
/// (or a session closing frees one, whichever comes first).
const ACCEPT_RETRY: Duration = Duration::from_millis(20);

pub(crate) struct EventLoop {
    poll: Poll,
    listener: TcpListener,
    shared: Arc<Shared>,
    /// Open connections by slot; a closed one leaves its slot free for reuse.
    connections: Vec<Option<Connection>>,
    free: Vec<usize>,
    read_buffer: Vec<u8>,
    /// Connections whose turn ended with input still to read.
    more_to_read: Vec<usize>,
    /// When to call `accept` again after it ran out of descriptors.
    accept_retry: Option<Instant>,
    /// When the next connection may time out (never earlier).
    next_sweep: Option<Instant>,
    /// Sweeps over all connections are at least this far apart: a sweep
    /// costs one look at each connection, and timeouts need no finer grain.
    sweep_grain: Duration,
}

impl EventLoop {
    pub(crate) fn new(poll: Poll, listener: TcpListener, shared: Arc<Shared>) -> EventLoop {
        let shortest = shared.config.idle_timeout.min(shared.config.data_timeout);
        let sweep_grain = (shortest / 64).clamp(Duration::from_millis(1), Duration::from_millis(100));
        EventLoop {
            poll,
            listener,
            shared,
            connections: Vec::new(),
            free: Vec::new(),
            read_buffer: vec![0; READ_BUFFER],
            more_to_read: Vec::new(),
            accept_retry: None,
            next_sweep: None,
            sweep_grain,
        }
    }

    pub(crate) fn run(mut self) {
        let mut events = Events::with_capacity(1024);
        loop {
            let timeout = self.timeout(Instant::now());
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() != io::ErrorKind::Interrupted {
                    // Not expected from epoll; do not spin if it persists.
                    std::thread::sleep(Duration::from_millis(10));
                }
                continue;
            }
            if self.shared.stopping.load(Ordering::SeqCst) {
                return self.shut_down();
            }
            let now = Instant::now();
            let mut accept = false;
            for event in events.iter() {
                match event.token() {
                    LISTENER => accept = true,
                    WAKER => {}
                    Token(token) => {
                        let ready = Ready {
                            readable: event.is_readable(),
                            writable: event.is_writable(),
                            read_closed: event.is_read_closed() || event.is_error(),
                        };
                        self.on_ready(token - FIRST_CONNECTION, ready, now);
                    }
                }
            }
            let no_event = Ready { readable: false, writable: false, read_closed: false };
            for slot in std::mem::take(&mut self.more_to_read) {
                self.on_ready(slot, no_event, now);
            }
            if accept || self.accept_retry.is_some_and(|at| at <= now) {
                self.accept(now);
            }
            if self.next_sweep.is_some_and(|at| at <= now) {
                self.sweep(now);
            }
        }
    }

    /// How long `poll` may block: until the next timeout or accept retry,
    /// or not at all while a connection has input waiting.
    fn timeout(&self, now: Instant) -> Option<Duration> {
        if !self.more_to_read.is_empty() {
            return Some(Duration::ZERO);
        }
        [self.next_sweep, self.accept_retry]
            .into_iter()
            .flatten()
            .min()
            .map(|at| at.saturating_duration_since(now))
    }

    fn on_ready(&mut self, slot: usize, ready: Ready, now: Instant) {
        let Some(Some(connection)) = self.connections.get_mut(slot) else {
            return; // closed earlier in this batch of events
        };
        let status = connection.on_ready(ready, &self.shared, &mut self.read_buffer, now);
        let (at, _) = connection.deadline(&self.shared.config);
        match status {
            Status::Open => self.schedule(at),
            Status::MoreToRead => {
                self.schedule(at);
                self.more_to_read.push(slot);
            }
            Status::Closed => self.close(slot, now),
        }
    }

    fn accept(&mut self, now: Instant) {
        self.accept_retry = None;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => self.open(stream, now),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e)
                    if matches!(e.kind(), io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted) => {}
                // Out of descriptors (EMFILE, ENFILE) or buffers: the client
                // waits in the backlog until a session ends or the retry.
                Err(_) => {
                    self.accept_retry = Some(now + ACCEPT_RETRY);
                    return;
                }
            }
        }
    }

    fn open(&mut self, mut stream: mio::net::TcpStream, now: Instant) {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.connections.push(None);
            self.connections.len() - 1
        });
        let token = Token(FIRST_CONNECTION + slot);
        if self.poll.registry().register(&mut stream, token, Interest::READABLE | Interest::WRITABLE).is_err()
        {
            self.free.push(slot);
            return;
        }
        self.shared.sessions.fetch_add(1, Ordering::SeqCst);
        self.shared.sessions_started.fetch_add(1, Ordering::SeqCst);
        let (connection, status) = Connection::open(stream, &self.shared, now);
        let (at, _) = connection.deadline(&self.shared.config);
        self.connections[slot] = Some(connection);
        match status {
            Status::Open | Status::MoreToRead => self.schedule(at),
            Status::Closed => self.close(slot, now),
        }
    }

    /// Ends a connection: its descriptor and buffers are released now.
    fn close(&mut self, slot: usize, now: Instant) {
        if let Some(mut connection) = self.connections[slot].take() {
            // Counted down first: whoever sees the socket close sees the count.
            self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
            let _ = self.poll.registry().deregister(connection.stream());
            drop(connection);
            self.free.push(slot);
            // A descriptor just came free: a client may be waiting for it.
            if self.accept_retry.is_some() {
                self.accept_retry = Some(now);
            }
        }
    }

    fn schedule(&mut self, at: Instant) {
        self.next_sweep = Some(self.next_sweep.map_or(at, |next| next.min(at)));
    }

    /// Ends the connections whose time is up and finds the next deadline.
    fn sweep(&mut self, now: Instant) {
        let mut next: Option<Instant> = None;
        for slot in 0..self.connections.len() {
            let Some(connection) = &mut self.connections[slot] else { continue };
            let (at, why) = connection.deadline(&self.shared.config);
            if at <= now {
                connection.end(&self.shared, why, now);
                self.close(slot, now);
            } else {
                next = Some(next.map_or(at, |next| next.min(at)));
            }
        }
        self.next_sweep = next.map(|at| at.max(now + self.sweep_grain));
    }

    /// The sink is dropped: every session hears `421`, then every socket
    /// and the listener close (when `self` drops, as the thread ends).
    fn shut_down(mut self) {
        let now = Instant::now();
        for slot in 0..self.connections.len() {
            if let Some(connection) = &mut self.connections[slot] {
                connection.end(&self.shared, Ending::Shutdown, now);
                self.close(slot, now);
            }
        }
    }
}
