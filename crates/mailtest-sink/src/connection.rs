//! One client connection: its socket, what it still has to be sent, and
//! when its time is up. The protocol itself is the session's.

use std::io;
use std::time::{Duration, Instant};

use mio::net::TcpStream;

use crate::builder::Config;
use crate::link::Link;
use crate::session::{Ending, Flow, Phase, Session};
use crate::shared::Shared;

/// Replies waiting for a client that does not read them: past this, the
/// session stops taking commands until the client catches up, so a client
/// that pipelines without reading cannot make the sink buffer without end.
const OUTPUT_HIGH: usize = 64 * 1024;

/// Reads one connection gets before the others get a turn (4 MiB with the
/// loop's read buffer): a client streaming a large message cannot hold up
/// the rest, their timeouts, or a stop.
const READS_PER_TURN: usize = 16;

/// An output buffer that grew past this is given back once written.
const OUTPUT_KEEP: usize = 16 * 1024;

/// What the event loop learnt about a socket.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ready {
    pub(crate) readable: bool,
    pub(crate) writable: bool,
    /// The client closed its side, or the socket has an error.
    pub(crate) read_closed: bool,
}

/// Whether the connection goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Open,
    /// Open, with input still to read: its turn ended first. No new event
    /// will say so (readiness is edge-triggered), so the loop comes back.
    MoreToRead,
    Closed,
}

pub(crate) struct Connection {
    stream: TcpStream,
    /// Plain, or TLS (from the start, or after STARTTLS).
    link: Link,
    /// After STARTTLS: the TLS link to switch to once its `220` is sent.
    starting_tls: Option<Link>,
    session: Session,
    /// Replies not yet written; `output[written..]` is still to go.
    output: Vec<u8>,
    written: usize,
    /// Input read but not yet fed to the session, because the client had
    /// too many replies waiting.
    stash: Vec<u8>,
    /// The socket may hold unread input (readiness is edge-triggered: it is
    /// reported once, and stays true until a read finds the socket empty).
    readable: bool,
    /// The client closed its side: read on to the end-of-file, even after
    /// a short read (which otherwise means the socket is empty for now, as a
    /// new edge comes with new input — but none comes after the close).
    read_closed: bool,
    /// The session is over: once the output is written, the socket closes.
    closing: bool,
    /// When the session began waiting for the current command line, or
    /// when the current DATA began.
    waiting_since: Instant,
    /// When the last input arrived.
    last_input: Instant,
    /// Since when output has been waiting for the client to read.
    stuck_since: Option<Instant>,
}

impl Connection {
    /// Greets a new client (or hangs up, as a fault may ask).
    pub(crate) fn open(stream: TcpStream, shared: &Shared, now: Instant) -> (Connection, Status) {
        // Replies go out whole; Nagle would only hold back the next batch.
        let _ = stream.set_nodelay(true);
        let link = Link::at_connect(&shared.config);
        let mut connection = Connection {
            stream,
            link: Link::Plain,
            starting_tls: None,
            session: Session::new(),
            output: Vec::new(),
            written: 0,
            stash: Vec::new(),
            readable: false,
            read_closed: false,
            closing: false,
            waiting_since: now,
            last_input: now,
            stuck_since: None,
        };
        match link {
            Ok(link) if link.is_tls() => {
                connection.link = link;
                connection.session.secured();
            }
            Ok(_) => {}
            Err(_) => return (connection, Status::Closed),
        }
        if connection.session.open(shared, &mut connection.output) == Flow::Close {
            // A refused greeting goes out before the hang-up.
            let _ = connection.flush(now);
            return (connection, Status::Closed);
        }
        let status = connection.flush(now);
        (connection, status)
    }

    pub(crate) fn stream(&mut self) -> &mut TcpStream {
        &mut self.stream
    }

    /// The socket is readable or writable (or both), or the client closed
    /// its side.
    pub(crate) fn on_ready(
        &mut self,
        ready: Ready,
        shared: &Shared,
        read_buffer: &mut [u8],
        now: Instant,
    ) -> Status {
        self.readable |= ready.readable || ready.read_closed;
        self.read_closed |= ready.read_closed;
        if ready.writable && self.flush(now) == Status::Closed {
            return Status::Closed;
        }
        self.pump(shared, read_buffer, now)
    }

    /// Feeds the session until the socket is empty, the client has to read
    /// its replies first, or the session is over; then sends the replies.
    fn pump(&mut self, shared: &Shared, read_buffer: &mut [u8], now: Instant) -> Status {
        let mut reads = 0;
        let mut data_came = false;
        loop {
            if self.closing {
                return match self.flush(now) {
                    Status::Open if self.unsent() == 0 => Status::Closed,
                    status => status,
                };
            }
            if self.starting_tls.is_some() {
                // Nothing is read until the `220` is out and TLS has begun.
                if self.flush(now) == Status::Closed {
                    return Status::Closed;
                }
                if self.starting_tls.is_some() {
                    return Status::Open; // resumed when the socket is writable
                }
            }
            if self.unsent() >= OUTPUT_HIGH {
                if self.flush(now) == Status::Closed {
                    return Status::Closed;
                }
                if self.unsent() >= OUTPUT_HIGH {
                    return Status::Open; // resumed when the socket is writable
                }
            }
            if !self.stash.is_empty() {
                let stash = std::mem::take(&mut self.stash);
                self.feed(shared, &stash, now);
                continue;
            }
            if !self.readable {
                break;
            }
            if reads == READS_PER_TURN {
                return match self.flush(now) {
                    Status::Closed => Status::Closed,
                    _ => Status::MoreToRead,
                };
            }
            reads += 1;
            match self.link.read(&mut self.stream, read_buffer) {
                Ok(0) => {
                    // The client closed its side: it may still read replies.
                    self.session.client_left(shared);
                    self.readable = false;
                    self.closing = true;
                }
                Ok(n) => {
                    self.last_input = now;
                    // A short read emptied the socket: a new edge will come.
                    self.readable = n == read_buffer.len() || self.read_closed || self.link.may_hold_more();
                    self.feed(shared, &read_buffer[..n], now);
                    data_came = self.session.phase() == Phase::Data;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.readable = false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Status::Closed,
            }
        }
        if data_came {
            // Message data came, more is to come, and there is nothing to
            // answer yet (no reply to carry the ACK): ACK what came at once. Clients that write the data and its final
            // `.` separately without TCP_NODELAY (lettre does) would
            // otherwise wait for Linux's delayed ACK, 40 ms a message.
            #[cfg(any(target_os = "linux", target_os = "android"))]
            let _ = socket2::SockRef::from(&self.stream).set_tcp_quickack(true);
        }
        self.flush(now)
    }

    /// Hands `input` to the session, command by command; what is left when
    /// too many replies are waiting goes to the stash.
    fn feed(&mut self, shared: &Shared, mut input: &[u8], now: Instant) {
        while !input.is_empty() && !self.closing {
            if self.unsent() >= OUTPUT_HIGH {
                self.stash.extend_from_slice(input);
                return;
            }
            let (used, flow) = self.session.feed(shared, input, &mut self.output);
            input = &input[used..];
            match flow {
                Flow::Partial => {}
                Flow::Done => self.waiting_since = now,
                Flow::Close => self.closing = true,
                Flow::StartTls => match Link::after_starttls(&shared.config) {
                    Ok(link) => {
                        self.starting_tls = Some(link);
                        self.session.secured();
                        return;
                    }
                    Err(_) => self.closing = true,
                },
            }
        }
    }

    fn unsent(&self) -> usize {
        self.output.len() - self.written
    }

    /// Writes what the socket takes now.
    fn flush(&mut self, now: Instant) -> Status {
        while self.written < self.output.len() {
            match self.link.write(&mut self.stream, &self.output[self.written..]) {
                Ok(0) => return Status::Closed,
                Ok(n) => self.written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.stuck_since.get_or_insert(now);
                    return Status::Open;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Status::Closed,
            }
        }
        match self.link.push(&mut self.stream) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                self.stuck_since.get_or_insert(now);
                return Status::Open;
            }
            Err(_) => return Status::Closed,
        }
        self.output.clear();
        self.written = 0;
        self.stuck_since = None;
        if let Some(link) = self.starting_tls.take() {
            self.link = link;
        }
        if self.output.capacity() > OUTPUT_KEEP {
            self.output = Vec::new();
        }
        Status::Open
    }

    /// When this connection's time is up, and why: a command line must be
    /// whole within the idle timeout of its start, DATA must not go silent
    /// for the idle timeout nor last longer than the data timeout, and a
    /// client must not leave replies unread for the idle timeout.
    pub(crate) fn deadline(&self, config: &Config) -> (Instant, Ending) {
        let idle = config.idle_timeout;
        let (mut at, mut why) = match self.session.phase() {
            Phase::Command if self.session.in_a_line() => {
                (later(self.waiting_since, idle), Ending::SlowCommand)
            }
            Phase::Command => (later(self.waiting_since, idle), Ending::Idle),
            Phase::Data => {
                let silent = later(self.last_input.max(self.waiting_since), idle);
                let slow = later(self.waiting_since, config.data_timeout);
                if slow < silent { (slow, Ending::SlowData) } else { (silent, Ending::Idle) }
            }
        };
        if let Some(stuck) = self.stuck_since
            && later(stuck, idle) < at
        {
            (at, why) = (later(stuck, idle), Ending::Idle);
        }
        (at, why)
    }

    /// Ends the session from outside: `421` saying why, sent if the socket
    /// takes it now. The message in progress, if any, is not delivered.
    pub(crate) fn end(&mut self, shared: &Shared, why: Ending, now: Instant) {
        if !self.closing {
            self.session.end(shared, why, &mut self.output);
        }
        let _ = self.flush(now);
    }
}

/// `at + timeout`, or far in the future for a timeout too long to add.
fn later(at: Instant, timeout: Duration) -> Instant {
    at.checked_add(timeout).unwrap_or_else(|| at + Duration::from_secs(365 * 24 * 3600))
}
