//! The SMTP sink: real SMTP on loopback, delivering into an [`Outbox`].
//!
//! With it, code and programs that only speak SMTP — in any language — are
//! tested with the same queries and assertions as code that uses a
//! [`CaptureTransport`](crate::CaptureTransport).
//!
//! # Design
//!
//! **A thread per connection, one acceptor thread, no runtime.** A test sink
//! serves a handful of clients, rarely more than a few hundred at once; std
//! threads handle that easily (each session thread gets a 256 KiB stack) and
//! need no async runtime, so the `sink` feature adds no dependency and works
//! the same from sync tests, `#[tokio::test]` or any other runtime. Blocking
//! reads with a timeout give the idle timeout for free.
//!
//! **Every thread ends when the sink drops.** The acceptor blocks in
//! `accept`; a drop sets a stop flag and wakes it with a connection of its
//! own, then joins it (closing the port). Each session's socket is kept
//! beside its thread: the drop shuts its read side, so a session blocked on
//! a read sees end-of-file, answers `421` and ends, and the drop joins it.
//! A session also ends on its own after the idle timeout (`421`), and writes
//! time out too, so no client can hold a thread forever.
//!
//! **A hand-written parser.** The protocol a sink needs is small (a dozen
//! verbs, two SASL mechanisms) and its error paths are the point — which
//! reply, with which code, for which mistake — so the parser lives in
//! [`session`] where each rule can be read next to the RFC. A crate such as
//! smtp-proto would bring a far larger grammar than a test sink needs and
//! leave the replies to us anyway.
//!
//! **Bounded memory.** Command lines over 4096 octets (RFC 5321 allows 512;
//! extensions need more) get `500` and are read to their end without being
//! kept. Message data over the size limit is read to its end and dropped
//! (`552`).
//!
//! **Line endings.** CRLF is the standard; a bare LF also ends a line, in
//! commands and in data, so hand-written clients that send `\n` work. The
//! data ends at a line holding only `.` (`.\r\n` or `.\n`); a leading `.`
//! on any other line is removed (dot-unstuffing). Data bytes are kept as
//! received otherwise — bare LFs stay bare — and [`Email`](crate::Email)
//! normalises line endings when it decodes.
//!
//! **Delivery.** A message is pushed into the outbox *before* its `250` is
//! written, so a client that saw `250` can rely on it being there, exactly
//! once. Nothing else is delivered: not a message whose client left
//! mid-DATA, nor one refused by size or by an injected failure.

mod builder;
mod line;
mod server;
mod session;

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::deliver::guard::SinkRegistration;
use crate::error::{Cause, Error};
use crate::outbox::Outbox;

pub use builder::{DropPoint, SmtpSinkBuilder};

use builder::Config;
use server::Server;

/// An SMTP server on loopback that delivers every accepted message into an
/// [`Outbox`]. Stops on drop: the port closes, open sessions get `421`, and
/// every accepted message stays in the outbox.
///
/// It speaks RFC 5321: EHLO/HELO, MAIL (with `SIZE=`), RCPT, DATA with
/// dot-unstuffing, RSET, NOOP, QUIT, VRFY (`252`), HELP; it advertises
/// PIPELINING, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES and SIZE, and AUTH
/// PLAIN/LOGIN once [credentials](SmtpSinkBuilder::credentials) are set.
/// The envelope (MAIL FROM, RCPT TO) is kept, so
/// [`Email::bcc`](crate::Email::bcc) sees blind copies.
///
/// ```
/// use lettre::Transport;
///
/// let sink = mailtest::SmtpSink::start().unwrap();
///
/// // The code under test sends real SMTP to the sink's address.
/// let mailer = lettre::SmtpTransport::builder_dangerous("127.0.0.1").port(sink.port()).build();
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .bcc("audit@example.com".parse().unwrap())
///     .subject("Welcome")
///     .body(String::from("Hello Ann"))
///     .unwrap();
/// mailer.send(&message).unwrap();
///
/// let email = sink.outbox().find().to("ann@example.com").subject("Welcome").one();
/// assert_eq!(email.bcc(), ["audit@example.com"]);
/// ```
#[must_use = "the sink stops listening when it is dropped"]
pub struct SmtpSink {
    outbox: Outbox,
    server: Server,
    threads: String,
    /// Marks the address as a sink of this process while it lives: a mailer
    /// in a test process may send here (DESIGN §10).
    _registration: SinkRegistration,
}

/// Numbers sinks for their thread names, unique in the process (a port is
/// not: a dropped sink's port may be bound again at once).
static NEXT_SINK: AtomicU64 = AtomicU64::new(1);

impl SmtpSink {
    /// Starts a sink on `127.0.0.1` and a free port, delivering into a fresh
    /// outbox, with the default limits (10 MiB, 100 recipients, 30 s idle).
    ///
    /// # Errors
    ///
    /// [`Error::Sink`] when no port can be bound.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::start().unwrap();
    /// assert_eq!(sink.addr().ip().to_string(), "127.0.0.1");
    /// assert!(sink.outbox().is_empty());
    /// ```
    pub fn start() -> Result<SmtpSink, Error> {
        SmtpSink::builder().start()
    }

    /// Configures a sink: credentials, limits, timeouts, failure injection.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().max_recipients(5).start().unwrap();
    /// # drop(sink);
    /// ```
    pub fn builder() -> SmtpSinkBuilder {
        SmtpSinkBuilder::default()
    }

    pub(crate) fn serve(addr: SocketAddr, config: Config, outbox: Outbox) -> Result<SmtpSink, Error> {
        let failed = |action: String| {
            move |e: std::io::Error| Error::Sink { action, cause: e.to_string(), source: Some(Cause::new(e)) }
        };
        let listener = TcpListener::bind(addr).map_err(failed(format!("listen on {addr}")))?;
        let threads = format!("mts{}", NEXT_SINK.fetch_add(1, Ordering::Relaxed));
        let server = Server::start(listener, config, outbox.clone(), &threads)
            .map_err(failed(format!("serve on {addr}")))?;
        let _registration = SinkRegistration::new(server.addr);
        Ok(SmtpSink { outbox, server, threads, _registration })
    }

    /// The address the sink listens on.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::start().unwrap();
    /// let url = format!("smtp://{}", sink.addr()); // e.g. for curl or a DSN
    /// # assert!(url.starts_with("smtp://127.0.0.1:"));
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.server.addr
    }

    /// The port the sink listens on.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::start().unwrap();
    /// assert_eq!(sink.port(), sink.addr().port());
    /// ```
    pub fn port(&self) -> u16 {
        self.server.addr.port()
    }

    /// The outbox the sink delivers into (a shared handle).
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::start().unwrap();
    /// let outbox = sink.outbox();
    /// drop(sink);
    /// assert!(outbox.is_empty()); // and it outlives the sink
    /// ```
    pub fn outbox(&self) -> Outbox {
        self.outbox.clone()
    }

    /// How many SMTP sessions are open right now. A session counts until its
    /// thread is done with it, just before its connection closes.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::start().unwrap();
    /// assert_eq!(sink.sessions(), 0);
    /// ```
    pub fn sessions(&self) -> usize {
        self.server.shared.sessions.load(Ordering::SeqCst)
    }

    /// How many SMTP sessions clients have started since the sink started
    /// (one per connection): checks that a mailer reuses its connection.
    ///
    /// ```
    /// use std::io::{BufRead, BufReader};
    ///
    /// let sink = mailtest::SmtpSink::start().unwrap();
    /// let mut greeting = String::new();
    /// let stream = std::net::TcpStream::connect(sink.addr()).unwrap();
    /// BufReader::new(stream).read_line(&mut greeting).unwrap(); // the session has started
    /// assert_eq!(sink.sessions_started(), 1);
    /// ```
    pub fn sessions_started(&self) -> usize {
        self.server.shared.sessions_started.load(Ordering::SeqCst)
    }
}

impl SmtpSink {
    /// The prefix of this sink's thread names (`{prefix}:acc` for the
    /// acceptor, `{prefix}:conn` for sessions), for tests that check no
    /// thread outlives the sink.
    #[doc(hidden)]
    pub fn thread_name_prefix(&self) -> &str {
        &self.threads
    }
}

impl std::fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSink")
            .field("addr", &self.addr())
            .field("hostname", &self.server.shared.config.hostname)
            .field("outbox", &self.outbox)
            .finish()
    }
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SmtpSink>();
};
