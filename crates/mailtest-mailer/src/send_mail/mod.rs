//! Django's one-call helpers: [`send_mail`], [`send_mass_mail`],
//! [`mail_admins`] and [`mail_managers`]. Each is a builder finished with
//! `send()` (or `send_async().await`, feature `tokio`).

mod compose;
mod mass;
mod staff;
mod via;

use crate::error::Error;
use compose::Compose;
use via::Via;

pub use mass::{SendMassMail, send_mass_mail};
pub use staff::{MailStaff, mail_admins, mail_managers};

/// Starts sending one message, Django's `send_mail`: finish with
/// [`send`](SendMail::send).
///
/// Without [`connection`](SendMail::connection), the message goes through
/// [`Mailer::from_env()`](crate::Mailer::from_env) — and, as with every `Mailer`, into the capture
/// that claims it in a test. An empty `from_email` means
/// `DEFAULT_FROM_EMAIL`.
///
/// ```
/// let mail = mailtest::capture();
///
/// let sent = mailtest::send_mail(
///     "Your order shipped",
///     "It arrives on Tuesday.",
///     "Shop <shop@example.com>",
///     &["ann@example.com", "bob@example.com"],
/// )
/// .html_message("<p>It arrives on <b>Tuesday</b>.</p>")
/// .send()
/// .unwrap();
///
/// assert_eq!(sent, 1); // one message, whatever the number of recipients
/// let email = mail.find().to("bob@example.com").one();
/// assert_eq!(email.text(), Some("It arrives on Tuesday."));
/// assert!(email.html().unwrap().contains("<b>Tuesday</b>"));
/// ```
pub fn send_mail(subject: &str, message: &str, from_email: &str, recipient_list: &[&str]) -> SendMail {
    SendMail { compose: Compose::new(subject, message, from_email, recipient_list), via: Via::default() }
}

/// The message [`send_mail`] is about to send; options, then
/// [`send`](SendMail::send).
///
/// ```
/// let mail = mailtest::capture();
/// let sent = mailtest::send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"])
///     .connection(&mailtest::Mailer::new(mailtest::DummyBackend))
///     .send()
///     .unwrap();
/// assert_eq!(sent, 1);
/// mail.find().to("ann@example.com").subject("Hi").one();
/// ```
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until you call .send()"]
pub struct SendMail {
    compose: Compose,
    via: Via,
}

/// The delivery options the helpers share, written once.
macro_rules! delivery_options {
    ($builder:ident, $example:literal) => {
        impl $builder {
            /// With `true`, a failure to send — a refused connection, a
            /// rejected message, a bad setting — makes `send` return `Ok(0)`
            /// instead of the error. An invalid address is still an error, as
            /// in Django: it is a bug in the calling code, not a delivery
            /// failure.
            ///
            /// ```
            /// let refusing = mailtest::Mailer::new(mailtest::MemoryBackend); // nothing bound: it refuses
            #[doc = $example]
            ///     .connection(&refusing)
            ///     .fail_silently(true)
            ///     .send()
            ///     .unwrap();
            /// assert_eq!(sent, 0);
            /// ```
            pub fn fail_silently(mut self, fail_silently: bool) -> $builder {
                self.via.fail_silently = fail_silently;
                self
            }

            /// The SMTP user to log in as, instead of `EMAIL_HOST_USER`, for
            /// the mailer made from the environment. With
            /// [`connection`](Self::connection) it is an error
            /// ([`Error::ConflictingOptions`](crate::Error::ConflictingOptions)),
            /// as in Django: a given mailer logs in with its own credentials.
            ///
            /// ```
            /// let mail = mailtest::capture();
            #[doc = $example]
            ///     .auth_user("reports")
            ///     .auth_password("s3cret")
            ///     .send()
            ///     .unwrap();
            /// # let _ = sent;
            /// ```
            pub fn auth_user(mut self, user: &str) -> $builder {
                self.via.auth_user = Some(user.to_owned());
                self
            }

            /// The SMTP password, instead of `EMAIL_HOST_PASSWORD`; see
            /// `auth_user` (an error with `connection`, too).
            ///
            /// ```
            /// let mail = mailtest::capture();
            #[doc = $example]
            ///     .auth_password("s3cret")
            ///     .send()
            ///     .unwrap();
            /// # let _ = sent;
            /// ```
            pub fn auth_password(mut self, password: &str) -> $builder {
                self.via.auth_password = Some(password.to_owned());
                self
            }

            /// Sends through the mailer called `name` in the environment's
            /// settings — Django's `using=` (see `MAILERS` in
            /// [`Settings`](crate::Settings)); `default` is the one the
            /// `EMAIL_*` settings configure. A name `MAILERS` does not have is
            /// [`Error::UnknownMailer`](crate::Error::UnknownMailer) (or 0 sent
            /// when failing silently); with `connection` it is an error.
            ///
            /// ```
            /// let mail = mailtest::capture();
            #[doc = $example]
            ///     .using("default")
            ///     .send()
            ///     .unwrap();
            /// assert_eq!(mail.len(), sent);
            /// assert!(mail.emails().iter().all(|email| email.sent_using() == Some("default")));
            /// ```
            pub fn using(mut self, name: &str) -> $builder {
                self.via.using = Some(name.to_owned());
                self
            }

            /// Sends through `mailer` instead of one made from the environment.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// let mailer = mailtest::Mailer::new(mailtest::MemoryBackend);
            #[doc = $example]
            ///     .connection(&mailer)
            ///     .send()
            ///     .unwrap();
            /// # let _ = sent;
            /// ```
            pub fn connection(mut self, mailer: &crate::backend::Mailer) -> $builder {
                self.via.connection = Some(mailer.clone());
                self
            }

            /// Sends through the async `mailer` (with
            /// `send_async().await`) instead of one made from the environment.
            ///
            /// ```
            /// # #[tokio::main(flavor = "current_thread")] async fn main() {
            /// let mail = mailtest::capture();
            /// let mailer = mailtest::AsyncMailer::new(mailtest::MemoryBackend);
            #[doc = $example]
            ///     .async_connection(&mailer)
            ///     .send_async()
            ///     .await
            ///     .unwrap();
            /// # let _ = sent;
            /// # }
            /// ```
            #[cfg(feature = "tokio")]
            pub fn async_connection(mut self, mailer: &crate::backend::AsyncMailer) -> $builder {
                self.via.async_connection = Some(mailer.clone());
                self
            }
        }
    };
}

use delivery_options;

delivery_options!(
    SendMail,
    " let sent = mailtest::send_mail(\"Hi\", \"Hello\", \"app@example.com\", &[\"ann@example.com\"])"
);

impl SendMail {
    /// Adds an HTML version: the message becomes `multipart/alternative`,
    /// the plain text first.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mailtest::send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"])
    ///     .html_message("<p>Hello</p>")
    ///     .send()
    ///     .unwrap();
    /// assert_eq!(mail.emails()[0].mime_tree().content_type(), "multipart/alternative");
    /// ```
    pub fn html_message(mut self, html: &str) -> SendMail {
        self.compose.html = Some(html.to_owned());
        self
    }

    /// Builds and sends the message: `Ok(1)` when it was sent, `Ok(0)` when
    /// there was no recipient, or it failed with
    /// [`fail_silently`](SendMail::fail_silently) on.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidAddress`] naming the address for a bad sender or
    /// recipient (always); otherwise whatever the configuration or the
    /// backend reports (unless `fail_silently`).
    ///
    /// ```
    /// let err = mailtest::send_mail("Hi", "Hello", "app@example.com", &["not an address"])
    ///     .send()
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("\"not an address\""));
    /// ```
    pub fn send(self) -> Result<usize, Error> {
        self.via.send(|settings| self.messages(settings))
    }

    /// [`send`](SendMail::send) for async code: through the
    /// [`async_connection`](SendMail::async_connection), or an
    /// [`AsyncMailer`](crate::AsyncMailer) made from the environment.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let sent = mailtest::send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"])
    ///     .send_async()
    ///     .await
    ///     .unwrap();
    /// assert_eq!(sent, 1);
    /// mail.find().to("ann@example.com").one();
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub async fn send_async(self) -> Result<usize, Error> {
        self.via.send_async(|settings| self.messages(settings)).await
    }

    fn messages(&self, settings: &crate::backend::Settings) -> Result<Vec<lettre::Message>, Error> {
        if self.compose.to.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![self.compose.build(settings)?])
    }
}
