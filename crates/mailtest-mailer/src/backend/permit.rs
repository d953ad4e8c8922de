//! [`Permit`]: what a mailer allows its backend, handed over as an argument.
//!
//! The delivery decision has one exception, `bypass_capture()`, and one
//! guard, the test-process rule (in a test, a network backend reaches only
//! an `SmtpSink` of the process). Both concern the backend, which the
//! mailer calls; so the mailer says which applies in a value it passes to
//! every call (`deliver_with`, `send_raw_with`, `open_with`), rather than
//! in state the backend would have to look up. A backend that connects to
//! a server asks the permit first, whoever wrote it.

use lettre::address::Envelope;

use crate::capture::envelope_strings;
use crate::error::Error;

/// What a [`Mailer`](crate::Mailer) allows its backend for one call: whether
/// the mailer [bypasses capture](crate::Mailer::bypass_capture), and — asked
/// with [`reach`](Permit::reach) before connecting — whether a network
/// backend may reach a server.
///
/// mailtest's SMTP backends ask it; a backend of your own that opens its own
/// network connection asks it too, by implementing the `_with` methods of
/// [`EmailBackend`](crate::EmailBackend). A backend called outside a mailer
/// gets [`Permit::default`]: the test-process rule applies.
///
/// ```
/// use lettre::Message;
/// use mailtest::{Delivery, EmailBackend, Error, Mailer, Permit};
///
/// /// Posts each message to an HTTP mail API (the request is left out here).
/// struct HttpApi {
///     host: String,
///     port: u16,
/// }
///
/// impl EmailBackend for HttpApi {
///     fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
///         self.deliver_with(messages, Permit::default()).map(|delivery| delivery.sent())
///     }
///
///     fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
///         // Before connecting: in a test process only a bypass_capture() mailer
///         // (or an SmtpSink's address) may reach the server.
///         permit.reach(&self.host, self.port, messages.iter().map(Message::envelope))?;
///         // ... connect to self.host:self.port and post the messages ...
///         Ok(Delivery::new(messages.len()))
///     }
/// }
///
/// let message = Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// let api = || HttpApi { host: "mail-api.example.com".into(), port: 443 };
///
/// // This doctest is a test process: the send is refused before any connection.
/// let err = Mailer::new(api()).send_messages(&[message.clone()]).unwrap_err();
/// assert!(matches!(err, Error::NoOutbox { prevented: Some(_), .. }));
///
/// // A mailer that bypasses capture lets it through.
/// assert_eq!(Mailer::new(api()).bypass_capture().send_messages(&[message]).unwrap(), 1);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Permit {
    bypass: bool,
    asynchronous: bool,
}

impl Permit {
    /// The permit of a mailer: `bypass` for a `bypass_capture()` one;
    /// `asynchronous` for an `AsyncMailer` (a refusal then names the async fixes).
    pub(crate) fn new(bypass: bool, asynchronous: bool) -> Permit {
        Permit { bypass, asynchronous }
    }

    /// Whether the mailer bypasses capture: its backend may reach any server.
    ///
    /// ```
    /// assert!(!mailtest::Permit::default().bypasses_capture());
    /// ```
    pub fn bypasses_capture(&self) -> bool {
        self.bypass
    }

    /// Whether the mailer is an `AsyncMailer`.
    ///
    /// ```
    /// assert!(!mailtest::Permit::default().is_async());
    /// ```
    pub fn is_async(&self) -> bool {
        self.asynchronous
    }

    /// Asks before connecting to `host:port` to send to the recipients of
    /// `envelopes` (none, to open a session ahead of sending): `Ok` outside
    /// a test process, for an [`SmtpSink`](https://docs.rs/mailtest/latest/mailtest/struct.SmtpSink.html)
    /// of the process, and for a mailer that bypasses capture. Otherwise the
    /// send is refused — recorded, so a failing query lists it — with
    /// [`Error::NoOutbox`] naming the server (`prevented`).
    ///
    /// ```
    /// // A doctest is a test process, and nothing listens there as a sink.
    /// let err = mailtest::Permit::default().reach("smtp.example.com", 587, []).unwrap_err();
    /// assert!(matches!(&err, mailtest::Error::NoOutbox { prevented: Some(server), .. } if server == "smtp.example.com:587"));
    /// ```
    pub fn reach<'a>(
        &self,
        host: &str,
        port: u16,
        envelopes: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<(), Error> {
        if self.bypass {
            return Ok(());
        }
        let recipients: Vec<String> =
            envelopes.into_iter().flat_map(|envelope| envelope_strings(envelope).1).collect();
        mailtest_capture::check_real_smtp(host, port, &recipients, self.asynchronous).map_err(Error::from)
    }
}
