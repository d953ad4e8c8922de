//! The SMTP backends: Django's `smtp.EmailBackend` on lettre's SMTP client
//! with rustls (feature `smtp`), blocking ([`SmtpBackend`]) and async
//! ([`AsyncSmtpBackend`], with feature `tokio`).
//!
//! TLS is always built with rustls (`build_rustls`), even when a crate next
//! to us turns on lettre's `native-tls`: the behaviour of these backends
//! then does not depend on features elsewhere in the build. Trust is the
//! Mozilla roots (webpki-roots) plus `EMAIL_SSL_CAFILE`, mailtest's addition
//! for servers with a private or self-signed certificate.
//!
//! Sessions are managed here rather than by lettre's `SmtpTransport`, so
//! that they follow Django: `open()` holds a session, every send reuses it,
//! `close()` ends it; without `open()`, one `send_messages` batch is one
//! session. The async backend keeps idle sessions for the next send (a
//! pool), as a service sending from many tasks needs.
//!
//! What happens on a session — setting it up, each mail transaction,
//! refused recipients, the errors — is one state machine
//! (`transaction.rs`); the two backends only carry its steps out, over
//! lettre's blocking or async connection.
//!
//! Before connecting, each backend asks the [`Permit`] its mailer hands it
//! (the test-process rule of the delivery decision): in a test, it reaches
//! only an `SmtpSink` of the process, unless its mailer was made with
//! `bypass_capture()`.

#[cfg(feature = "tokio")]
mod async_backend;
mod config;
mod data;
mod idle;
mod transaction;

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

use lettre::Message;
use lettre::address::Envelope;
use lettre::transport::smtp::client::SmtpConnection;

use super::{Delivery, EmailBackend, Permit, Settings};
use crate::error::Error;
use config::{MECHANISMS, SmtpConfig};
use idle::Idle;
use transaction::{Exchange, Failure, Io, Outgoing};

#[cfg(feature = "tokio")]
pub use async_backend::AsyncSmtpBackend;

/// Sends through an SMTP server (`EMAIL_BACKEND=smtp`, the default),
/// blocking the calling thread.
///
/// | setting | effect |
/// |---|---|
/// | `EMAIL_HOST`, `EMAIL_PORT` | the server |
/// | `EMAIL_USE_TLS` | STARTTLS, required: a server that does not offer it is an error |
/// | `EMAIL_USE_SSL` | TLS from the first byte (usually port 465) |
/// | `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD` | AUTH PLAIN or LOGIN, when both are set |
/// | `EMAIL_TIMEOUT` | for connecting and for each reply (default 60 s) |
/// | `EMAIL_SSL_CERTFILE`, `EMAIL_SSL_KEYFILE` | a client certificate (PEM; the key may be in the cert file) |
/// | `EMAIL_SSL_CAFILE` | a PEM certificate to trust besides the Mozilla roots |
///
/// Sessions follow Django: [`open`](EmailBackend::open) connects and holds
/// a session that every send reuses until [`close`](EmailBackend::close);
/// without it, each [`send_messages`](EmailBackend::send_messages) batch
/// opens one session and quits it at the end.
///
/// Errors name `host:port` and the server's reply, e.g.
/// `mailtest: SMTP server 127.0.0.1:2525: permanent error (535): 5.7.8 Authentication credentials invalid`.
///
/// In a test process, a send — or an [`open`](EmailBackend::open) — to
/// anything but an [`SmtpSink`](https://docs.rs/mailtest/latest/mailtest/struct.SmtpSink.html)
/// of the process is refused with [`Error::NoOutbox`] (see
/// [`capture_global`](https://docs.rs/mailtest/latest/mailtest/fn.capture_global.html)), unless the mailer was made
/// with [`Mailer::bypass_capture`](crate::Mailer::bypass_capture): the
/// backend asks the [`Permit`] its mailer hands it before connecting.
///
/// A client certificate needs lettre's `native-tls` feature to be off in
/// the whole build (lettre then cannot build the rustls identity from PEM);
/// with it on, a clear error says so.
///
/// ```
/// use mailtest::{Mailer, Settings, SmtpBackend, SmtpSink};
///
/// let sink = SmtpSink::start().unwrap();
/// let settings = Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", &sink.port().to_string())])
///     .unwrap();
/// let mailer = Mailer::new(SmtpBackend::from_settings(&settings).unwrap());
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Over SMTP")
///     .body(String::from("Hello"))
///     .unwrap();
/// assert_eq!(mailer.send_messages(&[message]).unwrap(), 1);
/// assert_eq!(sink.outbox().len(), 1);
/// ```
pub struct SmtpBackend {
    config: SmtpConfig,
    /// The session `open()` holds, between sends.
    held: Idle<SmtpConnection>,
    /// Whether `open()` was called (and `close()` not since): sends then
    /// give their session back instead of quitting it.
    open: AtomicBool,
}

impl SmtpBackend {
    /// An SMTP backend for `settings`; reads the certificate files now, so a
    /// missing or malformed one fails here, naming it. Connects at the first
    /// send or at [`open`](EmailBackend::open).
    ///
    /// ```
    /// let settings =
    ///     mailtest::Settings::from_vars([("EMAIL_USE_TLS", "true"), ("EMAIL_SSL_CAFILE", "/no/such/ca.pem")])
    ///         .unwrap();
    /// let err = mailtest::SmtpBackend::from_settings(&settings).unwrap_err();
    /// assert!(err.to_string().contains("/no/such/ca.pem"));
    /// ```
    pub fn from_settings(settings: &Settings) -> Result<SmtpBackend, Error> {
        Ok(SmtpBackend {
            config: SmtpConfig::from_settings(settings)?,
            held: Idle::default(),
            open: AtomicBool::new(false),
        })
    }

    /// Connects: the greeting and `EHLO`; the exchange sets the session up.
    fn connect(&self) -> Result<SmtpConnection, Error> {
        let config = &self.config;
        let address = (config.host.as_str(), config.port);
        SmtpConnection::connect(
            address,
            Some(config.timeout()),
            &config.hello_name,
            config.implicit_tls(),
            None,
        )
        .map_err(|err| config.error(err))
    }

    /// A session for the next sends: a held one that still answers, else a
    /// new one (`true`: to set up).
    fn session(&self) -> Result<(SmtpConnection, bool), Error> {
        loop {
            let (held, stale) = self.held.take();
            stale.into_iter().for_each(quit);
            let Some(mut conn) = held else { return Ok((self.connect()?, true)) };
            if conn.test_connected() {
                return Ok((conn, false));
            }
            conn.abort();
        }
    }

    /// Carries out `exchange` over `conn`; whether `conn` may be kept.
    fn exchange(
        &self,
        conn: &mut SmtpConnection,
        mut exchange: Exchange<'_>,
    ) -> (Result<Delivery, Error>, bool) {
        while let Some(io) = exchange.next(conn.server_info()) {
            let result = self.perform(conn, io);
            exchange.reply(result);
        }
        exchange.finish()
    }

    fn perform(&self, conn: &mut SmtpConnection, io: Io<'_>) -> Result<(), Failure> {
        let result = match io {
            Io::StartTls(tls) => conn.starttls(tls, &self.config.hello_name).map(drop),
            Io::Auth(credentials) => conn.auth(MECHANISMS, credentials).map(drop),
            Io::Command(command) => conn.command(command).map(drop),
            Io::Data(data) => conn.message(data).map(drop),
            Io::Abort => {
                conn.abort();
                Ok(())
            }
        };
        result.map_err(Failure::Smtp)
    }

    /// Ends a session after sends: held again when the backend is open and
    /// the session is sound, else quit.
    fn release(&self, conn: SmtpConnection) {
        let keep = self.open.load(Ordering::Acquire) && !conn.has_broken();
        if let Some(conn) = self.held.keep_or_return(conn, keep) {
            quit(conn);
        }
    }

    /// Sends each message over one session, in order, stopping at the first
    /// failure; the recipients refused on the way are reported with the
    /// message's place in the batch.
    fn send_all(&self, messages: &[Outgoing<'_>]) -> Result<Delivery, Error> {
        if messages.is_empty() {
            return Ok(Delivery::default());
        }
        let (mut conn, fresh) = self.session()?;
        let (delivery, usable) = self.exchange(&mut conn, Exchange::new(&self.config, messages, fresh));
        if usable {
            self.release(conn);
        }
        delivery
    }

    /// Asks `permit` whether this server may be reached, for `envelopes`.
    fn reach<'a>(
        &self,
        permit: Permit,
        envelopes: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<(), Error> {
        permit.reach(&self.config.host, self.config.port, envelopes)
    }
}

fn quit(mut conn: SmtpConnection) {
    if conn.quit().is_err() {
        conn.abort();
    }
}

/// The messages as SMTP sends them: formatted as Django formats them.
fn outgoing(messages: &[Message]) -> Vec<Outgoing<'_>> {
    messages.iter().map(|message| (message.envelope(), Cow::Owned(crate::idna::formatted(message)))).collect()
}

impl std::fmt::Debug for SmtpBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpBackend").field("server", &self.config.server()).finish_non_exhaustive()
    }
}

impl EmailBackend for SmtpBackend {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        self.deliver(messages).map(|delivery| delivery.sent())
    }

    /// Sends over one session; a message that some recipients refused goes
    /// to the others and counts as sent, the refused ones in the
    /// [`Delivery`]; a message that every recipient refused is an error.
    fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        self.deliver_with(messages, Permit::default())
    }

    /// Sends the bytes as given (their line endings as CRLF); only the
    /// envelope's domains are encoded.
    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        self.send_raw_with(envelope, raw, Permit::default())
    }

    /// Connects and holds the session for every send until
    /// [`close`](EmailBackend::close); a no-op when a session is held. In a
    /// test process, refused with [`Error::NoOutbox`] unless the server is
    /// an `SmtpSink` of the process (see [`Permit::reach`]).
    fn open(&self) -> Result<(), Error> {
        self.open_with(Permit::default())
    }

    /// Quits the held session; later sends open one per batch again.
    fn close(&self) -> Result<(), Error> {
        self.open.store(false, Ordering::Release);
        self.held.drain().into_iter().for_each(quit);
        Ok(())
    }

    fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        self.reach(permit, messages.iter().map(Message::envelope))?;
        self.send_all(&outgoing(messages))
    }

    fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
        self.reach(permit, [envelope])?;
        self.send_all(&[(envelope, Cow::Borrowed(raw))]).map(drop)
    }

    fn open_with(&self, permit: Permit) -> Result<(), Error> {
        self.reach(permit, [])?;
        if self.held.is_empty() {
            let mut conn = self.connect()?;
            self.exchange(&mut conn, Exchange::new(&self.config, &[], true)).0?;
            self.open.store(true, Ordering::Release);
            self.release(conn);
        }
        self.open.store(true, Ordering::Release);
        Ok(())
    }
}
