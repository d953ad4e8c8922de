//! The async SMTP backend: the same sessions as [`SmtpBackend`](super::SmtpBackend),
//! on lettre's tokio client, kept idle between sends as a pool.

use std::borrow::Cow;

use lettre::Message;
use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;

use super::config::{MECHANISMS, SmtpConfig};
use super::idle::Idle;
use super::outgoing;
use super::transaction::{Exchange, Failure, Io, Outgoing};
use crate::backend::{AsyncEmailBackend, Delivery, Permit, Settings};
use crate::error::Error;

/// Sends through an SMTP server from async code (`EMAIL_BACKEND=smtp` in an
/// [`AsyncMailer`](crate::AsyncMailer); features `smtp` and `tokio`).
///
/// The settings are those of [`SmtpBackend`](crate::SmtpBackend). Sessions
/// are pooled: after a send, the session stays open (up to ten idle, each
/// for a minute) and the next send reuses it after a `NOOP`, so a service
/// sending from many tasks does not connect for every message, and one
/// batch is one session. [`open`](AsyncEmailBackend::open) connects ahead
/// of the first send; [`close`](AsyncEmailBackend::close) quits the idle
/// sessions. Every step is bounded by `EMAIL_TIMEOUT` (default 60 s).
///
/// Needs a tokio runtime with I/O and timers enabled (`#[tokio::main]`,
/// `#[tokio::test]` enable both).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mailtest::{AsyncMailer, AsyncSmtpBackend, Settings, SmtpSink};
///
/// let sink = SmtpSink::start().unwrap();
/// let settings = Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", &sink.port().to_string())])
///     .unwrap();
/// let mailer = AsyncMailer::new(AsyncSmtpBackend::from_settings(&settings).unwrap());
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Over SMTP")
///     .body(String::from("Hello"))
///     .unwrap();
/// assert_eq!(mailer.send_messages(&[message]).await.unwrap(), 1);
/// assert_eq!(sink.outbox().len(), 1);
/// # }
/// ```
pub struct AsyncSmtpBackend {
    config: SmtpConfig,
    idle: Idle<AsyncSmtpConnection>,
}

impl AsyncSmtpBackend {
    /// An async SMTP backend for `settings`; reads the certificate files
    /// now, so a missing or malformed one fails here, naming it. Connects at
    /// the first send or at [`open`](AsyncEmailBackend::open); needs no
    /// runtime until then.
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([("EMAIL_HOST", "smtp.example.com")]).unwrap();
    /// let backend = mailtest::AsyncSmtpBackend::from_settings(&settings).unwrap();
    /// # let _ = backend;
    /// ```
    pub fn from_settings(settings: &Settings) -> Result<AsyncSmtpBackend, Error> {
        Ok(AsyncSmtpBackend { config: SmtpConfig::from_settings(settings)?, idle: Idle::default() })
    }

    /// Connects: the greeting and `EHLO`, within the timeout; the exchange
    /// sets the session up.
    async fn connect(&self) -> Result<AsyncSmtpConnection, Error> {
        let config = &self.config;
        let address = (config.host.as_str(), config.port);
        let tls = config.implicit_tls().cloned();
        let connect = AsyncSmtpConnection::connect_tokio1(
            address,
            Some(config.timeout()),
            &config.hello_name,
            tls,
            None,
        );
        match tokio::time::timeout(config.timeout(), connect).await {
            Ok(result) => result.map_err(|err| config.error(err)),
            Err(_) => Err(config.timed_out()),
        }
    }

    /// An idle session that still answers (after a `NOOP`), else a new one
    /// (`true`: to set up).
    async fn session(&self) -> Result<(AsyncSmtpConnection, bool), Error> {
        loop {
            let (idle, stale) = self.idle.take();
            for conn in stale {
                quit(conn).await;
            }
            let Some(mut conn) = idle else { return Ok((self.connect().await?, true)) };
            if tokio::time::timeout(self.config.timeout(), conn.test_connected()).await.unwrap_or(false) {
                return Ok((conn, false));
            }
            conn.abort().await;
        }
    }

    /// Carries out `exchange` over `conn`, each step within the timeout;
    /// whether `conn` may be kept.
    async fn exchange(
        &self,
        conn: &mut AsyncSmtpConnection,
        mut exchange: Exchange<'_>,
    ) -> (Result<Delivery, Error>, bool) {
        while let Some(io) = exchange.next(conn.server_info()) {
            let result = tokio::time::timeout(self.config.timeout(), self.perform(conn, io)).await;
            exchange.reply(result.unwrap_or(Err(Failure::TimedOut)));
        }
        exchange.finish()
    }

    async fn perform(&self, conn: &mut AsyncSmtpConnection, io: Io<'_>) -> Result<(), Failure> {
        let result = match io {
            Io::StartTls(tls) => conn.starttls(tls.clone(), &self.config.hello_name).await,
            Io::Auth(credentials) => conn.auth(MECHANISMS, credentials).await.map(drop),
            Io::Command(command) => conn.command(command).await.map(drop),
            Io::Data(data) => conn.message(data).await.map(drop),
            Io::Abort => {
                conn.abort().await;
                Ok(())
            }
        };
        result.map_err(Failure::Smtp)
    }

    /// Keeps a sound session for the next send; quits a broken or surplus one.
    async fn release(&self, conn: AsyncSmtpConnection) {
        let keep = !conn.has_broken();
        if let Some(conn) = self.idle.keep_or_return(conn, keep) {
            // Bounded: a server gone silent would hold a send forever
            // (lettre's async `quit` has no timeout of its own).
            let _ = tokio::time::timeout(self.config.timeout(), quit(conn)).await;
        }
    }

    /// Sends each message over one session, in order, stopping at the first
    /// failure; refused recipients are reported.
    async fn send_all(&self, messages: &[Outgoing<'_>]) -> Result<Delivery, Error> {
        if messages.is_empty() {
            return Ok(Delivery::default());
        }
        let (mut conn, fresh) = self.session().await?;
        let (delivery, usable) = self.exchange(&mut conn, Exchange::new(&self.config, messages, fresh)).await;
        if usable {
            self.release(conn).await;
        }
        delivery
    }
}

async fn quit(mut conn: AsyncSmtpConnection) {
    if conn.quit().await.is_err() {
        conn.abort().await;
    }
}

impl std::fmt::Debug for AsyncSmtpBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncSmtpBackend").field("server", &self.config.server()).finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl AsyncEmailBackend for AsyncSmtpBackend {
    async fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        self.deliver(messages).await.map(|delivery| delivery.sent())
    }

    /// As [`SmtpBackend::deliver`](crate::EmailBackend::deliver): refused
    /// recipients are reported, not fatal, unless every one is refused.
    async fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        self.deliver_with(messages, Permit::new(false, true)).await
    }

    async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        self.send_raw_with(envelope, raw, Permit::new(false, true)).await
    }

    /// Connects now (so a wrong setting shows at start-up) and keeps the
    /// session for the first send; a no-op when one is idle already. In a
    /// test process, refused with [`Error::NoOutbox`] unless the server is
    /// an `SmtpSink` of the process (see [`Permit::reach`]).
    async fn open(&self) -> Result<(), Error> {
        self.open_with(Permit::new(false, true)).await
    }

    /// Quits the idle sessions. The backend stays usable: a later send
    /// connects again.
    async fn close(&self) -> Result<(), Error> {
        for conn in self.idle.drain() {
            let _ = tokio::time::timeout(self.config.timeout(), quit(conn)).await;
        }
        Ok(())
    }

    async fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        permit.reach(&self.config.host, self.config.port, messages.iter().map(Message::envelope))?;
        self.send_all(&outgoing(messages)).await
    }

    async fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
        permit.reach(&self.config.host, self.config.port, [envelope])?;
        self.send_all(&[(envelope, Cow::Borrowed(raw))]).await.map(drop)
    }

    async fn open_with(&self, permit: Permit) -> Result<(), Error> {
        permit.reach(&self.config.host, self.config.port, [])?;
        if self.idle.is_empty() {
            let mut conn = self.connect().await?;
            self.exchange(&mut conn, Exchange::new(&self.config, &[], true)).await.0?;
            self.release(conn).await;
        }
        Ok(())
    }
}
