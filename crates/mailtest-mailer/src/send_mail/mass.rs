//! `send_mass_mail`: several messages over one connection.

use lettre::Message;

use super::compose::Compose;
use super::delivery_options;
use super::via::Via;
use crate::backend::Settings;
use crate::error::Error;

/// Starts sending several messages over one connection, Django's
/// `send_mass_mail`: each tuple is `(subject, message, from_email,
/// recipient_list)`; finish with [`send`](SendMassMail::send), which returns
/// how many were sent. An empty `from_email` means `DEFAULT_FROM_EMAIL`; a
/// message without recipients is skipped.
///
/// ```
/// let mail = mailtest::capture();
///
/// let sent = mailtest::send_mass_mail(&[
///     ("Your receipt", "Thanks, Ann.", "shop@example.com", &["ann@example.com"]),
///     ("Your receipt", "Thanks, Bob.", "shop@example.com", &["bob@example.com"]),
/// ])
/// .send()
/// .unwrap();
///
/// assert_eq!(sent, 2);
/// mail.find().subject("Your receipt").count(2);
/// ```
pub fn send_mass_mail(messages: &[(&str, &str, &str, &[&str])]) -> SendMassMail {
    SendMassMail {
        composed: messages
            .iter()
            .map(|&(subject, message, from, to)| Compose::new(subject, message, from, to))
            .collect(),
        via: Via::default(),
    }
}

/// The messages [`send_mass_mail`] is about to send; options, then
/// [`send`](SendMassMail::send).
///
/// ```
/// let mail = mailtest::capture();
/// let mailer = mailtest::Mailer::new(mailtest::MemoryBackend);
/// let sent = mailtest::send_mass_mail(&[("Hi", "Hello", "app@example.com", &["ann@example.com"])])
///     .connection(&mailer)
///     .send()
///     .unwrap();
/// assert_eq!(sent, 1);
/// ```
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until you call .send()"]
pub struct SendMassMail {
    composed: Vec<Compose>,
    via: Via,
}

delivery_options!(
    SendMassMail,
    " let sent = mailtest::send_mass_mail(&[(\"Hi\", \"Hello\", \"app@example.com\", &[\"ann@example.com\"])])"
);

impl SendMassMail {
    /// Builds every message first (a bad address anywhere sends nothing),
    /// then sends them all over one connection; returns how many were sent.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidAddress`] naming the address (always); otherwise what
    /// the configuration or the backend reports (unless `fail_silently`).
    ///
    /// ```
    /// let err = mailtest::send_mass_mail(&[("Hi", "Hello", "app@example.com", &["not an address"])])
    ///     .send()
    ///     .unwrap_err();
    /// assert!(matches!(err, mailtest::Error::InvalidAddress { .. }));
    /// ```
    pub fn send(self) -> Result<usize, Error> {
        self.via.send(|settings| self.messages(settings))
    }

    /// [`send`](SendMassMail::send) for async code.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let sent = mailtest::send_mass_mail(&[("Hi", "Hello", "app@example.com", &["ann@example.com"])])
    ///     .send_async()
    ///     .await
    ///     .unwrap();
    /// assert_eq!(sent, 1);
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub async fn send_async(self) -> Result<usize, Error> {
        self.via.send_async(|settings| self.messages(settings)).await
    }

    fn messages(&self, settings: &Settings) -> Result<Vec<Message>, Error> {
        self.composed
            .iter()
            .filter(|compose| !compose.to.is_empty())
            .map(|compose| compose.build(settings))
            .collect()
    }
}
