//! `send_mail`: Django's one-call way to send a message.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};

use crate::backend::{Mailer, Settings};
use crate::error::Error;

/// Starts sending one message, Django's `send_mail`: finish with
/// [`send`](SendMail::send).
///
/// Without [`connection`](SendMail::connection), the message goes through
/// [`Mailer::from_env()`] — and, as with every `Mailer`, into the capture
/// bound on this thread if there is one.
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
    SendMail {
        subject: subject.to_owned(),
        message: message.to_owned(),
        from_email: from_email.to_owned(),
        recipient_list: recipient_list.iter().map(|&to| to.to_owned()).collect(),
        html_message: None,
        fail_silently: false,
        auth_user: None,
        auth_password: None,
        connection: None,
    }
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
    subject: String,
    message: String,
    from_email: String,
    recipient_list: Vec<String>,
    html_message: Option<String>,
    fail_silently: bool,
    auth_user: Option<String>,
    auth_password: Option<String>,
    connection: Option<Mailer>,
}

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
        self.html_message = Some(html.to_owned());
        self
    }

    /// With `true`, a failure to send — a refused connection, a rejected
    /// message, a bad setting — makes [`send`](SendMail::send) return
    /// `Ok(0)` instead of the error. An invalid address is still an error,
    /// as in Django: it is a bug in the calling code, not a delivery failure.
    ///
    /// ```
    /// let dummy = mailtest::Mailer::new(mailtest::MemoryBackend); // nothing bound: it refuses
    /// let sent = mailtest::send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"])
    ///     .connection(&dummy)
    ///     .fail_silently(true)
    ///     .send()
    ///     .unwrap();
    /// assert_eq!(sent, 0);
    /// ```
    pub fn fail_silently(mut self, fail_silently: bool) -> SendMail {
        self.fail_silently = fail_silently;
        self
    }

    /// The SMTP user to log in as, instead of `EMAIL_HOST_USER`. Used only
    /// when no [`connection`](SendMail::connection) is given (as in Django:
    /// a given connection keeps its own credentials).
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mailtest::send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"])
    ///     .auth_user("reports")
    ///     .auth_password("s3cret")
    ///     .send()
    ///     .unwrap();
    /// # mail.assert_count(1);
    /// ```
    pub fn auth_user(mut self, user: &str) -> SendMail {
        self.auth_user = Some(user.to_owned());
        self
    }

    /// The SMTP password, instead of `EMAIL_HOST_PASSWORD`; see
    /// [`auth_user`](SendMail::auth_user).
    ///
    /// ```
    /// let message = mailtest::send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"])
    ///     .auth_password("s3cret");
    /// # let _ = message;
    /// ```
    pub fn auth_password(mut self, password: &str) -> SendMail {
        self.auth_password = Some(password.to_owned());
        self
    }

    /// Sends through `mailer` instead of `Mailer::from_env()`.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let mailer = mailtest::Mailer::new(mailtest::MemoryBackend);
    /// mailtest::send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"])
    ///     .connection(&mailer)
    ///     .send()
    ///     .unwrap();
    /// mail.assert_count(1);
    /// ```
    pub fn connection(mut self, mailer: &Mailer) -> SendMail {
        self.connection = Some(mailer.clone());
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
        if self.recipient_list.is_empty() {
            return Ok(0);
        }
        let message = self.build()?;
        let fail_silently = self.fail_silently;
        match self.mailer().and_then(|mailer| mailer.send_messages(std::slice::from_ref(&message))) {
            Ok(sent) => Ok(sent),
            Err(_) if fail_silently => Ok(0),
            Err(err) => Err(err),
        }
    }

    fn build(&self) -> Result<Message, Error> {
        let mut builder = Message::builder().from(mailbox(&self.from_email)?).subject(self.subject.as_str());
        for to in &self.recipient_list {
            builder = builder.to(mailbox(to)?);
        }
        let built = match &self.html_message {
            Some(html) => {
                builder.multipart(MultiPart::alternative_plain_html(self.message.clone(), html.clone()))
            }
            None => builder.header(ContentType::TEXT_PLAIN).body(self.message.clone()),
        };
        built.map_err(|err| Error::InvalidMessage { reason: err.to_string() })
    }

    fn mailer(&self) -> Result<Mailer, Error> {
        if let Some(mailer) = &self.connection {
            return Ok(mailer.clone());
        }
        let mut settings = Settings::from_env()?;
        if let Some(user) = &self.auth_user {
            settings.host_user = Some(user.clone());
        }
        if let Some(password) = &self.auth_password {
            settings.host_password = Some(password.clone());
        }
        Mailer::from_settings(&settings)
    }
}

fn mailbox(address: &str) -> Result<Mailbox, Error> {
    address.parse().map_err(|err: lettre::address::AddressError| Error::InvalidAddress {
        address: address.to_owned(),
        reason: err.to_string(),
    })
}
