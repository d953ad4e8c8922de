//! [`Mailer`]: sends through one backend, chosen in code or by configuration.

use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;

#[cfg(not(feature = "smtp"))]
use super::Permit;
use super::core::{Core, from_settings};
use super::options::mailer_options;
use super::plan::{Plan, Step};
use super::{
    BackendKind, ConsoleBackend, Delivery, DummyBackend, EmailBackend, FileBackend, MemoryBackend, Settings,
    registry,
};
use crate::error::Error;

/// Sends email through one backend, chosen in code or by configuration;
/// a `lettre::Transport`.
///
/// Clones share the backend and its session. In a test, a capture takes the
/// mail whatever the backend ([the delivery decision](mailtest_capture)): the outbox bound on the sending
/// thread, an outbox that [routed](https://docs.rs/mailtest/latest/mailtest/struct.Outbox.html#method.unique_address) a
/// recipient, or the [global capture](https://docs.rs/mailtest/latest/mailtest/fn.capture_global.html); and in a test
/// process the SMTP backend reaches only an [`SmtpSink`](https://docs.rs/mailtest/latest/mailtest/struct.SmtpSink.html) of
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
    core: Core,
    backend: Arc<Session>,
}

/// Owns the backend; closes it when the last `Mailer` clone drops.
struct Session(Box<dyn EmailBackend>);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.0.close();
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
        let label = Core::label_of(&backend);
        Mailer::boxed(Box::new(backend), label)
    }

    fn boxed(backend: Box<dyn EmailBackend>, label: &str) -> Mailer {
        Mailer { core: Core::new(label, false), backend: Arc::new(Session(backend)) }
    }

    /// The mailer `settings` configure, called `name`.
    pub(crate) fn named(settings: &Settings, name: &str) -> Result<Mailer, Error> {
        from_settings!(Mailer, settings, name, smtp_mailer, registry::make)
    }

    /// Sends `messages` and returns how many were sent.
    ///
    /// Each message goes where [the delivery decision](mailtest_capture)
    /// says: into the capture that claims it (all of them count as sent),
    /// else through the backend — one session for the batch, where the
    /// backend has sessions.
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
        self.deliver(messages).map(|delivery| delivery.sent())
    }

    /// [`send_messages`](Mailer::send_messages), telling which recipients
    /// the server refused: an SMTP server may refuse some recipients of a
    /// message and take it for the others. The message then goes to those it
    /// accepted and counts as sent, as in Django; `deliver` lists the refused
    /// ones (with the message's place in `messages` and the server's reply),
    /// where `send_messages` — like Django — only counts. A message whose
    /// every recipient is refused is an error, as any failure.
    ///
    /// ```
    /// use mailtest::{Mailer, Settings, SmtpSink};
    ///
    /// let sink = SmtpSink::builder().refuse_recipient("gone@example.com", 550, "5.1.1 no such user").start().unwrap();
    /// let settings =
    ///     Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", &sink.port().to_string())]).unwrap();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .to("gone@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    ///
    /// # #[cfg(feature = "smtp")] {
    /// let delivery = Mailer::from_settings(&settings).unwrap().deliver(&[message]).unwrap();
    ///
    /// assert_eq!(delivery.sent(), 1); // ann got it
    /// assert_eq!(delivery.refused()[0].recipient(), "gone@example.com");
    /// assert_eq!(delivery.refused()[0].code(), Some(550));
    /// assert_eq!(sink.outbox().emails()[0].envelope_to(), ["ann@example.com"]);
    /// # }
    /// ```
    pub fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        self.run(self.core.deliver(messages))
    }

    /// Carries out `plan`: each step a call of the backend.
    fn run(&self, mut plan: Plan<'_>) -> Result<Delivery, Error> {
        while let Some(step) = plan.next() {
            let outcome = self.call(step, &plan);
            plan.record(outcome);
        }
        plan.finish()
    }

    fn call(&self, step: Step<'_>, plan: &Plan<'_>) -> super::plan::Outcome {
        let (backend, permit) = (&self.backend.0, plan.permit());
        match step {
            Step::Open => backend.open_with(permit).into(),
            Step::Deliver(range) => backend.deliver_with(plan.messages(range), permit).into(),
            Step::SendRaw(envelope, raw) => backend.send_raw_with(envelope, raw, permit).into(),
            Step::Close => backend.close().into(),
        }
    }

    /// Sends one message: [`send_messages`](Mailer::send_messages) for one,
    /// without importing `lettre::Transport`. The recipients a server
    /// refused while it took the message for others are not reported here:
    /// use [`deliver`](Mailer::deliver).
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
        self.deliver(std::slice::from_ref(message)).map(drop)
    }

    /// Starts the backend's session now (see [`EmailBackend::open`]), so
    /// that a wrong setting shows at start-up: for SMTP, connects, sets the
    /// session up (STARTTLS, AUTH) and holds it for every send until
    /// [`close`](Mailer::close). A second `open` is a no-op. A failure is an
    /// error, unless the mailer [fails silently](Mailer::fail_silently).
    ///
    /// In a test process, an SMTP mailer opens a session only with an
    /// [`SmtpSink`](https://docs.rs/mailtest/latest/mailtest/struct.SmtpSink.html)
    /// of the process (or when it [bypasses capture](Mailer::bypass_capture)):
    /// any other server is refused with [`Error::NoOutbox`] naming it, and
    /// the refusal is recorded like a refused send — the test learns at
    /// start-up, not at the first send, that its configuration would reach
    /// a real server.
    ///
    /// ```
    /// let mailer = mailtest::Mailer::new(mailtest::DummyBackend);
    /// mailer.open().unwrap();
    /// mailer.close().unwrap();
    ///
    /// // This doctest is a test process: no session with a real server.
    /// # #[cfg(feature = "smtp")] {
    /// let smtp = mailtest::Mailer::from_settings(&mailtest::Settings::default()).unwrap();
    /// let err = smtp.open().unwrap_err();
    /// assert!(matches!(&err, mailtest::Error::NoOutbox { prevented: Some(server), .. } if server == "localhost:25"));
    /// # }
    /// ```
    pub fn open(&self) -> Result<(), Error> {
        self.run(self.core.open()).map(drop)
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
        self.run(self.core.close()).map(drop)
    }
}

mailer_options!(
    Mailer,
    fail_silently: "```
// A memory backend with nothing bound on the thread refuses every send.
let mailer = mailtest::Mailer::new(mailtest::MemoryBackend).fail_silently(true);
let message = lettre::Message::builder()
    .from(\"app@example.com\".parse().unwrap())
    .to(\"ann@example.com\".parse().unwrap())
    .body(String::from(\"Hi\"))
    .unwrap();
assert_eq!(mailer.send_messages(&[message]).unwrap(), 0);
```",
    bypass_capture: "```
let mail = mailtest::capture();
let mailer = mailtest::Mailer::new(mailtest::DummyBackend).bypass_capture();
let message = lettre::Message::builder()
    .from(\"app@example.com\".parse().unwrap())
    .to(\"ann@example.com\".parse().unwrap())
    .body(String::from(\"Hi\"))
    .unwrap();
mailer.send_messages(&[message]).unwrap();
mail.assert_empty(); // the dummy backend had it, not the capture
```"
);

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.core.debug("Mailer", f)
    }
}

impl lettre::Transport for Mailer {
    type Ok = ();
    type Error = Error;

    /// [`Mailer::send`]: through [`Mailer::deliver`], so backends that only
    /// take `Message`s work; use `deliver` to see refused recipients.
    fn send(&self, message: &Message) -> Result<(), Error> {
        Mailer::send(self, message)
    }

    /// The bytes as given (no IDNA or `Date` rewriting: they were built
    /// elsewhere), to the backend's `send_raw`.
    fn send_raw(&self, envelope: &Envelope, email: &[u8]) -> Result<(), Error> {
        self.run(self.core.send_raw(envelope, email)).map(drop)
    }
}

#[cfg(feature = "smtp")]
fn smtp_mailer(settings: &Settings) -> Result<Mailer, Error> {
    Ok(Mailer::new(super::SmtpBackend::from_settings(settings)?))
}

#[cfg(not(feature = "smtp"))]
fn smtp_mailer(settings: &Settings) -> Result<Mailer, Error> {
    settings.check()?;
    Ok(Mailer::new(UnavailableSmtp::new(settings)))
}

/// Stands in for SMTP without the `smtp` feature: captures still work; a
/// real send says which feature to turn on — except in a test process,
/// where the feature would not make it happen: there the test-process rule
/// refuses it first, with the fixes that do help.
#[cfg(not(feature = "smtp"))]
pub(crate) struct UnavailableSmtp {
    host: String,
    port: u16,
}

#[cfg(not(feature = "smtp"))]
impl UnavailableSmtp {
    pub(crate) fn new(settings: &Settings) -> UnavailableSmtp {
        UnavailableSmtp { host: settings.host.clone(), port: settings.port }
    }

    fn refuse<'a>(&self, permit: Permit, envelopes: impl IntoIterator<Item = &'a Envelope>) -> Error {
        match permit.reach(&self.host, self.port, envelopes) {
            Err(refusal) => refusal,
            Ok(()) => {
                Error::FeatureRequired { what: "EMAIL_BACKEND=smtp".to_owned(), feature: "smtp".to_owned() }
            }
        }
    }
}

#[cfg(not(feature = "smtp"))]
impl EmailBackend for UnavailableSmtp {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        self.deliver_with(messages, Permit::default()).map(|delivery| delivery.sent())
    }

    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        self.send_raw_with(envelope, raw, Permit::default())
    }

    fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        Err(self.refuse(permit, messages.iter().map(Message::envelope)))
    }

    fn send_raw_with(&self, envelope: &Envelope, _raw: &[u8], permit: Permit) -> Result<(), Error> {
        Err(self.refuse(permit, [envelope]))
    }
}

const _: () = {
    const fn assert_traits<T: Clone + Send + Sync>() {}
    assert_traits::<Mailer>();
};
