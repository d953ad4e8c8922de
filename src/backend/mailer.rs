//! [`Mailer`]: sends through one backend, chosen in code or by configuration.

use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;

use super::{BackendKind, ConsoleBackend, DummyBackend, EmailBackend, FileBackend, MemoryBackend, Settings};
use crate::deliver::guard::bypassing;
use crate::deliver::{capture_claimed, capture_if_claimed};
use crate::error::Error;

/// Sends email through one backend, chosen in code or by configuration;
/// a `lettre::Transport`.
///
/// Clones share the backend and its session. In a test, a capture takes the
/// mail whatever the backend (DESIGN §10): the outbox bound on the sending
/// thread, an outbox that [routed](crate::Outbox::unique_address) a
/// recipient, or the [global capture](crate::capture_global); and in a test
/// process the SMTP backend reaches only an [`SmtpSink`](crate::SmtpSink) of
/// the process, from any thread. A test can never send real mail by
/// accident; [`bypass_capture`](Mailer::bypass_capture) opts one mailer out,
/// for tests of a backend itself.
///
/// ```
/// use lettre::Transport;
///
/// // Production code: configuration decides where mail goes.
/// fn notify(mailer: &mailtest::Mailer) -> Result<(), mailtest::Error> {
///     let message = lettre::Message::builder()
///         .from("app@example.com".parse().unwrap())
///         .to("ann@example.com".parse().unwrap())
///         .subject("Your export is ready")
///         .body(String::from("Download it within 24 hours."))
///         .unwrap();
///     mailer.send(&message)
/// }
///
/// // A test: the settings say SMTP to localhost:25, but the capture wins.
/// let mail = mailtest::capture();
/// let mailer = mailtest::Mailer::from_settings(&mailtest::Settings::default()).unwrap();
/// notify(&mailer).unwrap();
/// mail.find().subject("Your export is ready").one();
/// ```
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Session>,
    bypass: bool,
    /// What it was made from, if from settings: defaults for `send_mail`.
    settings: Option<Arc<Settings>>,
}

/// Owns the backend; closes it when the last `Mailer` clone drops.
struct Session {
    backend: Box<dyn EmailBackend>,
    label: String,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.backend.close();
    }
}

impl Mailer {
    /// A mailer sending through `backend`.
    ///
    /// ```
    /// let mailer = mailtest::Mailer::new(mailtest::DummyBackend);
    /// # let _ = mailer;
    /// ```
    pub fn new(backend: impl EmailBackend + 'static) -> Mailer {
        let label = std::any::type_name_of_val(&backend).rsplit("::").next().unwrap_or("backend").to_owned();
        Mailer {
            inner: Arc::new(Session { backend: Box::new(backend), label }),
            bypass: false,
            settings: None,
        }
    }

    /// A mailer configured by the `EMAIL_*` environment variables: see
    /// [`Settings`].
    ///
    /// ```
    /// # if std::env::var_os("EMAIL_BACKEND").is_none() {
    /// let mail = mailtest::capture();
    /// let mailer = mailtest::Mailer::from_env().unwrap();
    /// # let _ = (mail, mailer);
    /// # }
    /// ```
    pub fn from_env() -> Result<Mailer, Error> {
        Mailer::from_settings(&Settings::from_env()?)
    }

    /// A mailer configured by `settings`.
    ///
    /// The file backend checks its directory now (creating it if missing),
    /// so a bad `EMAIL_FILE_PATH` fails here, not at the first send. The
    /// SMTP backend reads its certificate files now and connects at the
    /// first send. Without the `smtp` feature an SMTP mailer can still be
    /// made — so code and tests that capture work whatever the
    /// configuration — but a send that reaches it fails with
    /// [`Error::FeatureRequired`].
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let settings = mailtest::Settings::from_vars([
    ///     ("EMAIL_BACKEND", "file"),
    ///     ("EMAIL_FILE_PATH", dir.path().to_str().unwrap()),
    /// ])
    /// .unwrap();
    /// let mailer = mailtest::Mailer::from_settings(&settings).unwrap();
    /// # let _ = mailer;
    /// ```
    pub fn from_settings(settings: &Settings) -> Result<Mailer, Error> {
        settings.check()?;
        let mailer = match settings.backend {
            BackendKind::Smtp => smtp_mailer(settings)?,
            BackendKind::Console => Mailer::new(ConsoleBackend::stdout()),
            BackendKind::File => Mailer::new(FileBackend::new(settings.required_file_path()?)?),
            BackendKind::Memory => Mailer::new(MemoryBackend),
            BackendKind::Dummy => Mailer::new(DummyBackend),
        };
        Ok(Mailer { settings: Some(Arc::new(settings.clone())), ..mailer })
    }

    /// The settings this mailer was made from, if it was: for
    /// `DEFAULT_FROM_EMAIL` and the other settings an application reads.
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([("DEFAULT_FROM_EMAIL", "Shop <shop@example.com>")]).unwrap();
    /// let mailer = mailtest::Mailer::from_settings(&settings).unwrap();
    /// assert_eq!(mailer.settings().unwrap().default_from_email, "Shop <shop@example.com>");
    /// assert!(mailtest::Mailer::new(mailtest::DummyBackend).settings().is_none());
    /// ```
    pub fn settings(&self) -> Option<&Settings> {
        self.settings.as_deref()
    }

    /// This mailer, always sending through its own backend: no binding,
    /// route or global capture takes its mail, and the test-process rule
    /// does not apply to it. For tests of a backend itself — an SMTP
    /// server's behaviour, say — never for application code under test.
    /// Clones made from the result bypass too; the original does not.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let mailer = mailtest::Mailer::new(mailtest::DummyBackend).bypass_capture();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// mailer.send_messages(&[message]).unwrap();
    /// mail.assert_empty(); // the dummy backend had it, not the capture
    /// ```
    pub fn bypass_capture(mut self) -> Mailer {
        self.bypass = true;
        self
    }

    /// Sends `messages` and returns how many were sent.
    ///
    /// Each message goes where DESIGN §10 says: into the capture that claims
    /// it (all of them count as sent), else through the backend — one
    /// session for the batch, where the backend has sessions.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// let sent = mailtest::Mailer::new(mailtest::DummyBackend).send_messages(&[message]).unwrap();
    /// assert_eq!(sent, 1);
    /// mail.assert_count(1); // the capture won over the dummy backend
    /// ```
    pub fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        if self.bypass {
            return bypassing(true, || self.inner.backend.send_messages(messages));
        }
        let (captured, rest) = capture_claimed(messages);
        if rest.is_empty() {
            return Ok(captured);
        }
        Ok(captured + self.inner.backend.send_messages(&rest)?)
    }

    /// Sends one message: [`send_messages`](Mailer::send_messages) for one,
    /// without importing `lettre::Transport`.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// mailtest::Mailer::new(mailtest::DummyBackend).send(&message).unwrap();
    /// mail.assert_count(1);
    /// ```
    pub fn send(&self, message: &Message) -> Result<(), Error> {
        if !self.bypass && capture_if_claimed(message.envelope(), || message.formatted()) {
            return Ok(());
        }
        bypassing(self.bypass, || self.inner.backend.send_messages(std::slice::from_ref(message))).map(drop)
    }

    /// Starts the backend's session now (see [`EmailBackend::open`]).
    ///
    /// ```
    /// let mailer = mailtest::Mailer::new(mailtest::DummyBackend);
    /// mailer.open().unwrap();
    /// mailer.close().unwrap();
    /// ```
    pub fn open(&self) -> Result<(), Error> {
        bypassing(self.bypass, || self.inner.backend.open())
    }

    /// Ends the backend's session (the file backend closes its file; a
    /// later send reopens the same file). Dropping the last clone does this
    /// too, ignoring errors.
    ///
    /// ```
    /// let mailer = mailtest::Mailer::new(mailtest::DummyBackend);
    /// mailer.close().unwrap();
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.inner.backend.close()
    }
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("backend", &self.inner.label)
            .field("bypass_capture", &self.bypass)
            .finish()
    }
}

impl lettre::Transport for Mailer {
    type Ok = ();
    type Error = Error;

    /// Through [`Mailer::send_messages`], so backends that only take
    /// `Message`s work.
    fn send(&self, message: &Message) -> Result<(), Error> {
        Mailer::send(self, message)
    }

    fn send_raw(&self, envelope: &Envelope, email: &[u8]) -> Result<(), Error> {
        if !self.bypass && capture_if_claimed(envelope, || email.to_vec()) {
            return Ok(());
        }
        bypassing(self.bypass, || self.inner.backend.send_raw(envelope, email))
    }
}

#[cfg(feature = "smtp")]
fn smtp_mailer(settings: &Settings) -> Result<Mailer, Error> {
    Ok(Mailer::new(super::SmtpBackend::from_settings(settings)?))
}

#[cfg(not(feature = "smtp"))]
fn smtp_mailer(settings: &Settings) -> Result<Mailer, Error> {
    settings.check()?;
    Ok(Mailer::new(UnavailableSmtp))
}

/// Stands in for SMTP without the `smtp` feature: captures still work,
/// a real send says which feature to turn on.
#[cfg(not(feature = "smtp"))]
pub(crate) struct UnavailableSmtp;

#[cfg(not(feature = "smtp"))]
impl UnavailableSmtp {
    pub(crate) fn refuse() -> Error {
        Error::FeatureRequired { what: "EMAIL_BACKEND=smtp".to_owned(), feature: "smtp".to_owned() }
    }
}

#[cfg(not(feature = "smtp"))]
impl EmailBackend for UnavailableSmtp {
    fn send_messages(&self, _messages: &[Message]) -> Result<usize, Error> {
        Err(UnavailableSmtp::refuse())
    }

    fn send_raw(&self, _envelope: &Envelope, _raw: &[u8]) -> Result<(), Error> {
        Err(UnavailableSmtp::refuse())
    }
}

const _: () = {
    const fn assert_traits<T: Clone + Send + Sync>() {}
    assert_traits::<Mailer>();
};
