//! An outbox as a mailer's backend: `outbox.mailer()` and
//! `outbox.async_mailer()`, for application code that holds a mailer in
//! its state, the way `outbox.transport()` serves code that takes a
//! transport.

use lettre::Message;
use lettre::address::Envelope;
use mailtest_capture::{Captured, Client};
use mailtest_mailer::{EmailBackend, Error, Mailer};

use super::Outbox;

/// Delivers into one outbox, from any thread or task.
struct OutboxBackend(Outbox);

impl EmailBackend for OutboxBackend {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        for message in messages {
            self.send_raw(message.envelope(), &message.formatted())?;
        }
        Ok(messages.len())
    }

    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        let from = envelope.from().map(ToString::to_string);
        let to = envelope.to().iter().map(ToString::to_string).collect();
        self.0.deliver(Captured::new(from, to, raw.to_vec()), Client::Mailer).map(drop)
    }
}

#[cfg(feature = "tokio")]
#[async_trait::async_trait]
impl mailtest_mailer::AsyncEmailBackend for OutboxBackend {
    async fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        EmailBackend::send_messages(self, messages)
    }

    async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        EmailBackend::send_raw(self, envelope, raw)
    }
}

impl Outbox {
    /// A [`Mailer`] that delivers into this outbox, from any thread: for
    /// application code that holds a mailer in its state. No binding, route
    /// or global capture takes its mail elsewhere.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let mailer = mail.mailer(); // hand it to the app's state
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("from a worker thread"))
    ///     .unwrap();
    /// std::thread::spawn(move || mailer.send(&message).unwrap()).join().unwrap();
    /// mail.assert_count(1);
    /// ```
    pub fn mailer(&self) -> Mailer {
        Mailer::new(OutboxBackend(self.clone())).bypass_capture()
    }

    /// An [`AsyncMailer`](mailtest_mailer::AsyncMailer) that delivers into this
    /// outbox, from any task on any runtime flavour: for application state
    /// that holds an `AsyncMailer`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "multi_thread", worker_threads = 2)] async fn main() {
    /// let mail = mailtest::capture();
    /// let mailer = mail.async_mailer();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("from a spawned task"))
    ///     .unwrap();
    /// tokio::spawn(async move { mailer.send(message).await.unwrap() }).await.unwrap();
    /// mail.assert_count(1);
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub fn async_mailer(&self) -> mailtest_mailer::AsyncMailer {
        mailtest_mailer::AsyncMailer::new(OutboxBackend(self.clone())).bypass_capture()
    }
}
