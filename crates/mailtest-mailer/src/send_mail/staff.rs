//! `mail_admins` and `mail_managers`: a message to the site's staff, from
//! `SERVER_EMAIL`, its subject after `EMAIL_SUBJECT_PREFIX`.

use lettre::Message;

use super::compose::Compose;
use super::delivery_options;
use super::via::Via;
use crate::backend::Settings;
use crate::error::Error;

/// Starts a message to everyone in `ADMINS`, Django's `mail_admins`: from
/// `SERVER_EMAIL`, with `EMAIL_SUBJECT_PREFIX` before the subject. Finish
/// with [`send`](MailStaff::send); with nobody in `ADMINS`, nothing is sent
/// and it returns `Ok(0)`.
///
/// ```
/// let settings = mailtest::Settings::from_vars([
///     ("ADMINS", "Ann <ann@example.com>, ops@example.com"),
///     ("SERVER_EMAIL", "errors@example.com"),
///     ("EMAIL_SUBJECT_PREFIX", "[shop] "),
/// ])
/// .unwrap();
/// let mailer = mailtest::Mailer::from_settings(&settings).unwrap();
/// let mail = mailtest::capture();
///
/// mailtest::mail_admins("Disk almost full", "92% used on /var.").connection(&mailer).send().unwrap();
///
/// let email = mail.find().subject("[shop] Disk almost full").one();
/// assert_eq!(email.to(), ["ann@example.com", "ops@example.com"]);
/// assert_eq!(email.from(), ["errors@example.com"]);
/// ```
pub fn mail_admins(subject: &str, message: &str) -> MailStaff {
    MailStaff { staff: Staff::Admins, compose: Compose::new(subject, message, "", &[]), via: Via::default() }
}

/// Starts a message to everyone in `MANAGERS`, Django's `mail_managers`:
/// as [`mail_admins`], for the managers.
///
/// ```
/// let settings = mailtest::Settings::from_vars([("MANAGERS", "sales@example.com")]).unwrap();
/// let mailer = mailtest::Mailer::from_settings(&settings).unwrap();
/// let mail = mailtest::capture();
///
/// let sent = mailtest::mail_managers("New order", "Order 42").connection(&mailer).send().unwrap();
///
/// assert_eq!(sent, 1);
/// mail.find().to("sales@example.com").subject("[Django] New order").one();
/// ```
pub fn mail_managers(subject: &str, message: &str) -> MailStaff {
    MailStaff {
        staff: Staff::Managers,
        compose: Compose::new(subject, message, "", &[]),
        via: Via::default(),
    }
}

#[derive(Debug, Clone, Copy)]
enum Staff {
    Admins,
    Managers,
}

/// The message [`mail_admins`] or [`mail_managers`] is about to send;
/// options, then [`send`](MailStaff::send).
///
/// ```
/// let mail = mailtest::capture();
/// // With no ADMINS configured, nothing is sent.
/// # if std::env::var_os("ADMINS").is_none() {
/// assert_eq!(mailtest::mail_admins("Hi", "Hello").send().unwrap(), 0);
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until you call .send()"]
pub struct MailStaff {
    staff: Staff,
    compose: Compose,
    via: Via,
}

delivery_options!(MailStaff, " let sent = mailtest::mail_admins(\"Hi\", \"Hello\")");

impl MailStaff {
    /// Adds an HTML version (`multipart/alternative`).
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([("ADMINS", "ops@example.com")]).unwrap();
    /// let mail = mailtest::capture();
    /// mailtest::mail_admins("Hi", "Hello")
    ///     .html_message("<p>Hello</p>")
    ///     .connection(&mailtest::Mailer::from_settings(&settings).unwrap())
    ///     .send()
    ///     .unwrap();
    /// assert_eq!(mail.emails()[0].html(), Some("<p>Hello</p>"));
    /// ```
    pub fn html_message(mut self, html: &str) -> MailStaff {
        self.compose.html = Some(html.to_owned());
        self
    }

    /// Sends it: `Ok(1)` when sent, `Ok(0)` with nobody to send to (or a
    /// failure with `fail_silently`).
    ///
    /// # Errors
    ///
    /// As [`SendMail::send`](crate::SendMail::send).
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([("ADMINS", "ops@example.com")]).unwrap();
    /// let mail = mailtest::capture();
    /// let sent = mailtest::mail_admins("Hi", "Hello")
    ///     .connection(&mailtest::Mailer::from_settings(&settings).unwrap())
    ///     .send()
    ///     .unwrap();
    /// assert_eq!(sent, 1);
    /// ```
    pub fn send(self) -> Result<usize, Error> {
        self.via.send(|settings| self.messages(settings))
    }

    /// [`send`](MailStaff::send) for async code.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let settings = mailtest::Settings::from_vars([("ADMINS", "ops@example.com")]).unwrap();
    /// let mailer = mailtest::AsyncMailer::from_settings(&settings).unwrap();
    /// let mail = mailtest::capture();
    /// let sent = mailtest::mail_admins("Hi", "Hello").async_connection(&mailer).send_async().await.unwrap();
    /// assert_eq!(sent, 1);
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub async fn send_async(self) -> Result<usize, Error> {
        self.via.send_async(|settings| self.messages(settings)).await
    }

    fn messages(&self, settings: &Settings) -> Result<Vec<Message>, Error> {
        let to = match self.staff {
            Staff::Admins => &settings.admins,
            Staff::Managers => &settings.managers,
        };
        if to.is_empty() {
            return Ok(Vec::new());
        }
        let compose = Compose {
            subject: format!("{}{}", settings.subject_prefix, self.compose.subject),
            from: settings.server_email.clone(),
            to: to.clone(),
            ..self.compose.clone()
        };
        Ok(vec![compose.build(settings)?])
    }
}
