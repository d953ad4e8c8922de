//! Django's email backends, in Rust: one [`Mailer`] whose backend is chosen
//! by configuration.
//!
//! Application code sends through a `Mailer` (it is a `lettre::Transport`);
//! `EMAIL_BACKEND` decides whether that means a real SMTP server, the
//! console, a directory of mbox files, the in-memory outbox or nowhere. The
//! code never changes between production, local development and tests.
//!
//! One rule overrides the configuration: while a capture is bound on the
//! sending thread ([`current()`](crate::current) is `Some`), every `Mailer`
//! delivers into it, whatever its backend. A test can therefore never send
//! real mail by accident, even when the environment says `smtp`.

mod console;
mod dummy;
mod file;
mod load;
mod mbox;
mod memory;
pub(crate) mod settings;
#[cfg(feature = "smtp")]
mod smtp;
mod timestamp;

use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;

use crate::error::Error;
use crate::outbox::current;

pub use console::ConsoleBackend;
pub use dummy::DummyBackend;
pub use file::FileBackend;
pub use memory::MemoryBackend;
pub use settings::{BackendKind, Settings};
#[cfg(feature = "smtp")]
pub use smtp::SmtpBackend;

/// Where a [`Mailer`] sends: implement it for a backend of your own.
///
/// Only [`send_messages`](EmailBackend::send_messages) is required. A backend
/// with a session (a connection, an open file) also implements
/// [`open`](EmailBackend::open) and [`close`](EmailBackend::close); the
/// `Mailer` calls `close` when its last clone drops. A backend that can send
/// bytes it did not build (what `lettre::Transport::send_raw` hands over)
/// implements [`send_raw`](EmailBackend::send_raw).
///
/// ```
/// use std::sync::Mutex;
/// use mailtest::{EmailBackend, Error, Mailer};
///
/// /// Keeps the subjects, for a status page.
/// #[derive(Default)]
/// struct Subjects(Mutex<Vec<String>>);
///
/// impl EmailBackend for Subjects {
///     fn send_messages(&self, messages: &[lettre::Message]) -> Result<usize, Error> {
///         let mut subjects = self.0.lock().unwrap();
///         for message in messages {
///             let subject = message.headers().get_raw("Subject").unwrap_or_default();
///             subjects.push(subject.to_owned());
///         }
///         Ok(messages.len())
///     }
/// }
///
/// let mailer = Mailer::new(Subjects::default());
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Weekly report")
///     .body(String::from("..."))
///     .unwrap();
/// assert_eq!(mailer.send_messages(&[message]).unwrap(), 1);
/// ```
pub trait EmailBackend: Send + Sync {
    /// Sends `messages` in order and returns how many were sent. Stops at
    /// the first failure with its error (the messages before it were sent).
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error>;

    /// Sends one message given as bytes with its envelope. The default
    /// refuses: implement it when the backend can send bytes it did not
    /// build.
    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        let _ = (envelope, raw);
        Err(Error::backend(
            std::any::type_name::<Self>(),
            "this backend sends only lettre Messages (send_messages), not raw bytes",
        ))
    }

    /// Starts a session (opens a connection, a file) ahead of the first
    /// send, so that a failure shows early. The default does nothing.
    fn open(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Ends the session. Called by [`Mailer::close`] and when the last
    /// clone of the `Mailer` drops (an error is then ignored). The default
    /// does nothing.
    fn close(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// Sends email through one backend, chosen in code or by configuration;
/// a `lettre::Transport`.
///
/// Clones share the backend and its session. While a capture is bound on
/// the sending thread ([`current()`](crate::current) is `Some`), every send
/// lands in it instead, whatever the backend: a test can never send real
/// mail by accident.
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
/// // A test: the environment may say smtp, but the capture wins.
/// let mail = mailtest::capture();
/// let mailer = mailtest::Mailer::from_settings(&mailtest::Settings::default()).unwrap();
/// notify(&mailer).unwrap();
/// mail.find().subject("Your export is ready").one();
/// ```
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Session>,
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
        Mailer { inner: Arc::new(Session { backend: Box::new(backend), label }) }
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
    /// SMTP backend connects at each send. Without the `smtp` feature an SMTP
    /// mailer can still be made — so code and tests that capture work
    /// whatever the configuration — but a send that reaches it fails with
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
        Ok(match settings.backend {
            BackendKind::Smtp => smtp_mailer(settings)?,
            BackendKind::Console => Mailer::new(ConsoleBackend::stdout()),
            BackendKind::File => {
                let Some(path) = &settings.file_path else {
                    return Err(Error::InvalidSetting {
                        name: "EMAIL_FILE_PATH".to_owned(),
                        value: String::new(),
                        expected: "a directory for the mbox files (EMAIL_BACKEND=file needs one)".to_owned(),
                    });
                };
                Mailer::new(FileBackend::new(path)?)
            }
            BackendKind::Memory => Mailer::new(MemoryBackend),
            BackendKind::Dummy => Mailer::new(DummyBackend),
        })
    }

    /// Sends `messages` and returns how many were sent.
    ///
    /// With a capture bound on this thread, they are captured there instead
    /// and all count as sent.
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
        if let Some(outbox) = current() {
            for message in messages {
                let (from, to) = envelope_strings(message.envelope());
                outbox.push(from, to, message.formatted());
            }
            return Ok(messages.len());
        }
        self.inner.backend.send_messages(messages)
    }

    /// Starts the backend's session now (see [`EmailBackend::open`]).
    ///
    /// ```
    /// let mailer = mailtest::Mailer::new(mailtest::DummyBackend);
    /// mailer.open().unwrap();
    /// mailer.close().unwrap();
    /// ```
    pub fn open(&self) -> Result<(), Error> {
        self.inner.backend.open()
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
        f.debug_struct("Mailer").field("backend", &self.inner.label).finish()
    }
}

impl lettre::Transport for Mailer {
    type Ok = ();
    type Error = Error;

    /// Through [`Mailer::send_messages`], so backends that only take
    /// `Message`s work.
    fn send(&self, message: &Message) -> Result<(), Error> {
        self.send_messages(std::slice::from_ref(message)).map(drop)
    }

    fn send_raw(&self, envelope: &Envelope, email: &[u8]) -> Result<(), Error> {
        if let Some(outbox) = current() {
            let (from, to) = envelope_strings(envelope);
            outbox.push(from, to, email.to_vec());
            return Ok(());
        }
        self.inner.backend.send_raw(envelope, email)
    }
}

#[cfg(feature = "smtp")]
fn smtp_mailer(settings: &Settings) -> Result<Mailer, Error> {
    Ok(Mailer::new(SmtpBackend::from_settings(settings)?))
}

#[cfg(not(feature = "smtp"))]
fn smtp_mailer(settings: &Settings) -> Result<Mailer, Error> {
    let _ = settings;
    Ok(Mailer::new(UnavailableSmtp))
}

/// Stands in for SMTP without the `smtp` feature: captures still work,
/// a real send says which feature to turn on.
#[cfg(not(feature = "smtp"))]
struct UnavailableSmtp;

#[cfg(not(feature = "smtp"))]
impl UnavailableSmtp {
    fn refuse() -> Error {
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

/// `send_messages` for a backend whose real work is `send_raw`: each message
/// formatted and sent in order, stopping at the first failure.
pub(crate) fn send_each(backend: &impl EmailBackend, messages: &[Message]) -> Result<usize, Error> {
    for message in messages {
        backend.send_raw(message.envelope(), &message.formatted())?;
    }
    Ok(messages.len())
}

/// The envelope as the outbox stores it.
pub(crate) fn envelope_strings(envelope: &Envelope) -> (Option<String>, Vec<String>) {
    (envelope.from().map(ToString::to_string), envelope.to().iter().map(ToString::to_string).collect())
}

const _: () = {
    const fn assert_traits<T: Clone + Send + Sync>() {}
    assert_traits::<Mailer>();
};
