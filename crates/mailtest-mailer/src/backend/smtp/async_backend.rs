//! The async SMTP backend: the same sessions as [`SmtpBackend`](super::SmtpBackend),
//! on lettre's tokio client, kept idle between sends as a pool.

use std::borrow::Cow;
use std::future::Future;

use lettre::Message;
use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;

use super::config::{MECHANISMS, SmtpConfig};
use super::idle::Idle;
use super::transaction;
use crate::backend::{AsyncEmailBackend, Delivery, Settings};
use crate::capture::{check_real_smtp, envelope_strings, real_smtp_allowed};
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

    /// Runs one step of the protocol within the timeout.
    async fn step<T>(
        &self,
        future: impl Future<Output = Result<T, lettre::transport::smtp::Error>>,
    ) -> Result<T, Error> {
        match tokio::time::timeout(self.config.timeout(), future).await {
            Ok(result) => result.map_err(|err| self.config.error(err)),
            Err(_) => Err(self.config.timed_out()),
        }
    }

    /// Connects, greets, upgrades to TLS and logs in, as configured.
    async fn connect(&self) -> Result<AsyncSmtpConnection, Error> {
        let config = &self.config;
        let mut conn = self
            .step(AsyncSmtpConnection::connect_tokio1(
                (config.host.as_str(), config.port),
                Some(config.timeout()),
                &config.hello_name,
                config.implicit_tls().cloned(),
                None,
            ))
            .await?;
        if let Some(parameters) = config.starttls() {
            if !conn.can_starttls() {
                conn.abort().await;
                return Err(
                    config.failure("the server does not offer STARTTLS, which EMAIL_USE_TLS requires")
                );
            }
            self.step(conn.starttls(parameters.clone(), &config.hello_name)).await?;
        }
        if let Some(credentials) = &config.credentials {
            self.step(conn.auth(MECHANISMS, credentials)).await?;
        }
        Ok(conn)
    }

    /// An idle session that still answers, else a new one.
    async fn session(&self) -> Result<AsyncSmtpConnection, Error> {
        loop {
            let (idle, stale) = self.idle.take();
            for conn in stale {
                quit(conn).await;
            }
            let Some(mut conn) = idle else { break };
            if tokio::time::timeout(self.config.timeout(), conn.test_connected()).await.unwrap_or(false) {
                return Ok(conn);
            }
            conn.abort().await;
        }
        self.connect().await
    }

    /// Keeps a sound session for the next send; quits a broken or surplus one.
    async fn release(&self, conn: AsyncSmtpConnection) {
        if conn.has_broken() {
            quit(conn).await;
        } else if let Some(extra) = self.idle.put(conn) {
            quit(extra).await;
        }
    }

    /// Sends each `(envelope, bytes)` over one session, in order, stopping
    /// at the first failure; refused recipients are reported.
    async fn send_all<'a>(
        &self,
        messages: impl ExactSizeIterator<Item = (&'a Envelope, Cow<'a, [u8]>)>,
    ) -> Result<Delivery, Error> {
        if messages.len() == 0 {
            return Ok(Delivery::default());
        }
        let mut conn = self.session().await?;
        let mut delivery = Delivery::default();
        let mut result = Ok(());
        for (at, (envelope, raw)) in messages.enumerate() {
            match transaction::send_async(&mut conn, envelope, &raw, self.config.timeout()).await {
                Ok(refused) => delivery.absorb(transaction::delivered(at, refused), 0),
                Err(failure) => {
                    result = Err(self.config.transaction_error(failure));
                    break;
                }
            }
        }
        self.release(conn).await;
        result.map(|()| delivery)
    }

    fn check<'a>(&self, envelopes: impl Iterator<Item = &'a Envelope>) -> Result<(), Error> {
        let recipients: Vec<String> = envelopes.flat_map(|envelope| envelope_strings(envelope).1).collect();
        check_real_smtp(&self.config.host, self.config.port, &recipients, true)
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
        self.check(messages.iter().map(Message::envelope))?;
        self.send_all(
            messages.iter().map(|message| (message.envelope(), Cow::Owned(crate::idna::formatted(message)))),
        )
        .await
    }

    async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        self.check(std::iter::once(envelope))?;
        self.send_all(std::iter::once((envelope, Cow::Borrowed(raw)))).await.map(drop)
    }

    /// Connects now (so a wrong setting shows at start-up) and keeps the
    /// session for the first send; a no-op when one is idle already, and in
    /// a test process where the test-process rule forbids the server (a
    /// send is then refused, with the explanation).
    async fn open(&self) -> Result<(), Error> {
        if real_smtp_allowed(&self.config.host, self.config.port).is_err() {
            return Ok(());
        }
        if self.idle.is_empty() {
            let conn = self.connect().await?;
            self.release(conn).await;
        }
        Ok(())
    }

    /// Quits the idle sessions. The backend stays usable: a later send
    /// connects again.
    async fn close(&self) -> Result<(), Error> {
        for conn in self.idle.drain() {
            quit(conn).await;
        }
        Ok(())
    }
}
