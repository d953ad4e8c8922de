//! [`guard`]: mailtest's rule for an application's own lettre transports.
//!
//! Most applications build `lettre::SmtpTransport` (or
//! `AsyncSmtpTransport<Tokio1Executor>`, a sendmail, file or provider
//! transport) themselves. mailtest cannot see inside those: a test that
//! runs one sends real mail. Wrapped at construction — one line —
//! such a transport follows the same delivery decision as mailtest's own
//! mailers: in production it delivers through the inner transport,
//! unchanged; in a test process a capture takes the message (bound on the
//! thread, a routed address, the global capture), and with none the send
//! is refused with [`Error::NoOutbox`] — never sent.
//!
//! It follows lettre's traits, not its builders: [`Guarded`] implements
//! `lettre::Transport` (and, with the `tokio` feature, `AsyncTransport`)
//! for any inner transport, so the app keeps building its transport as it
//! does, and its `match` on the inner error keeps working through
//! [`GuardError::Transport`].

#[cfg(feature = "tokio")]
mod asynchronous;
mod error;

use lettre::address::Envelope;
use lettre::{Message, Transport};

use crate::capture::{Capturing, capture_if_claimed, envelope_strings};
use crate::error::Error;
pub use error::{GuardError, Sent};

/// Wraps an application's own lettre transport so that a test can never
/// send through it for real: see [`Guarded`].
///
/// ```
/// use lettre::{Message, Transport};
/// use lettre::transport::stub::StubTransport;
///
/// // Production code: the transport it always built, wrapped in one line.
/// let transport = mailtest::guard(StubTransport::new_ok());
///
/// // A test: the capture takes the message; the inner transport never sees it.
/// let mail = mailtest::capture();
/// let message = Message::builder()
///     .from("shop@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Your receipt")
///     .body(String::from("Paid: 12.50 EUR"))
///     .unwrap();
/// assert!(transport.send(&message).unwrap().is_captured());
/// mail.find().to("ann@example.com").subject("Your receipt").one();
/// assert!(transport.inner().messages().is_empty());
/// ```
pub fn guard<T>(inner: T) -> Guarded<T> {
    Guarded { inner, server: None }
}

/// A lettre transport that mailtest guards (made by [`guard`]).
///
/// | where | something captures (a `capture()` bound on the thread, a routed address, `capture_global()`) | nothing captures |
/// |---|---|---|
/// | a production process | — (only tests capture) | the inner transport: [`Sent::Delivered`] with its reply |
/// | a test process | the capture: [`Sent::Captured`] | refused: [`GuardError::Refused`] ([`Error::NoOutbox`], recorded so a failing query lists it) — unless [`reaching`](Guarded::reaching) names an `SmtpSink` of the process, which then gets it |
///
/// A process is a test process as for mailtest's own mailers: it links
/// mailtest's harness, made a capture, or runs from a cargo test binary
/// (see `mailtest_capture::guard`). The inner transport is reached only
/// through its own `send`/`send_raw`, so whatever it does (pooling, TLS,
/// a provider's API) is unchanged in production.
///
/// The reply type is the inner one's inside [`Sent`], because a captured
/// message has no server reply; `transport.send(&m)?` compiles unchanged.
///
/// ```
/// use lettre::transport::stub::StubTransport;
/// use lettre::{Message, Transport};
/// use mailtest::{Error, GuardError};
///
/// let transport = mailtest::guard(StubTransport::new_ok());
/// let message = Message::builder()
///     .from("shop@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// // A doctest is a test process: with nothing to capture it, the send is refused.
/// let err = transport.send(&message).unwrap_err();
/// assert!(matches!(&err, GuardError::Refused(Error::NoOutbox { .. })));
/// assert!(transport.inner().messages().is_empty(), "nothing reached the inner transport");
/// ```
#[derive(Clone, Debug)]
pub struct Guarded<T> {
    inner: T,
    /// Where the inner transport connects, when the app said (`reaching`).
    server: Option<(String, u16)>,
}

impl<T> Guarded<T> {
    /// Says where the inner transport connects. A refusal then names that
    /// server, and in a test process a send to an `SmtpSink` of the process
    /// goes through the inner transport — so a test can check the app's
    /// own SMTP configuration (TLS, AUTH) against the sink, while any other
    /// server is still refused.
    ///
    /// ```
    /// use lettre::transport::stub::StubTransport;
    /// use lettre::{Message, Transport};
    ///
    /// let transport = mailtest::guard(StubTransport::new_ok()).reaching("smtp.example.com", 587);
    /// let message = Message::builder()
    ///     .from("shop@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// let err = transport.send(&message).unwrap_err();
    /// assert!(err.to_string().contains("not smtp.example.com:587"), "{err}");
    /// ```
    #[must_use]
    pub fn reaching(mut self, host: impl Into<String>, port: u16) -> Guarded<T> {
        self.server = Some((host.into(), port));
        self
    }

    /// The inner transport.
    ///
    /// ```
    /// let transport = mailtest::guard(lettre::transport::stub::StubTransport::new_ok());
    /// assert!(transport.inner().messages().is_empty());
    /// ```
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The inner transport, unguarded: for a test of the transport itself.
    ///
    /// ```
    /// let transport = mailtest::guard(lettre::transport::stub::StubTransport::new_ok());
    /// let _unguarded: lettre::transport::stub::StubTransport = transport.into_inner();
    /// ```
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The one decision, for sync and async alike: `Ok(true)` when a capture
    /// took the message, `Ok(false)` when the inner transport may deliver it,
    /// `Err` when a test process refuses it.
    fn decide(
        &self,
        envelope: &Envelope,
        raw: impl FnOnce() -> Vec<u8>,
        asynchronous: bool,
    ) -> Result<bool, Error> {
        // A capture's fault plan answers here too: its error (`Error::Smtp`)
        // is what the sender sees, as from mailtest's own mailers.
        let capturing = Capturing { sent_using: None, faults: None, fail_silently: false };
        if let Some(captured) = capture_if_claimed(envelope, &capturing, 0, raw) {
            return captured.map(|_| true);
        }
        let recipients = || envelope_strings(envelope).1;
        let checked = match &self.server {
            Some((host, port)) => mailtest_capture::check_real_smtp(host, *port, &recipients(), asynchronous),
            None => mailtest_capture::check_real_send(&self.destination(), &recipients(), asynchronous),
        };
        checked.map(|()| false).map_err(Error::from)
    }

    /// How a refusal names where the message would have gone, when the app
    /// did not say: the inner transport's type.
    fn destination(&self) -> String {
        let name = std::any::type_name::<T>();
        // `lettre::transport::smtp::transport::SmtpTransport` → `SmtpTransport`,
        // generics kept (`AsyncSmtpTransport<lettre::executor::Tokio1Executor>`).
        let base = name.split('<').next().unwrap_or(name);
        let short = base.rsplit("::").next().unwrap_or(base);
        format!("the server of its guarded {short}{}", &name[base.len()..])
    }
}

impl<T: Transport> Transport for Guarded<T> {
    type Ok = Sent<T::Ok>;
    type Error = GuardError<T::Error>;

    /// Captured, refused, or the inner transport's own `send` (so a
    /// transport that overrides it keeps its behaviour).
    fn send(&self, message: &Message) -> Result<Sent<T::Ok>, GuardError<T::Error>> {
        if self.decide(message.envelope(), || message.formatted(), false).map_err(GuardError::Refused)? {
            return Ok(Sent::Captured);
        }
        self.inner.send(message).map(Sent::Delivered).map_err(GuardError::Transport)
    }

    fn send_raw(&self, envelope: &Envelope, email: &[u8]) -> Result<Sent<T::Ok>, GuardError<T::Error>> {
        if self.decide(envelope, || email.to_vec(), false).map_err(GuardError::Refused)? {
            return Ok(Sent::Captured);
        }
        self.inner.send_raw(envelope, email).map(Sent::Delivered).map_err(GuardError::Transport)
    }

    fn shutdown(&self) {
        self.inner.shutdown();
    }
}
