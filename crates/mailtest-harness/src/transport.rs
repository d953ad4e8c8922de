//! lettre transports that deliver into an outbox.

use lettre::address::Envelope;

use mailtest_capture::{Captured, Client, deliver_ambient};
use mailtest_mailer::Error;

use crate::outbox::Outbox;

/// A `lettre::Transport` that captures instead of sending.
///
/// Made by [`Outbox::transport`] (always delivers into that outbox, from any
/// thread) or [`CaptureTransport::ambient`] (delivers into whatever outbox
/// is bound on the sending thread, else to the outboxes that routed the
/// recipients, else refuses with [`Error::NoOutbox`]). Never drops a message
/// silently. `Clone + Send + Sync`.
///
/// ```
/// use lettre::Transport;
///
/// fn send_welcome(mailer: &impl Transport<Error = mailtest::Error>) {
///     let message = lettre::Message::builder()
///         .from("app@example.com".parse().unwrap())
///         .to("ann@example.com".parse().unwrap())
///         .subject("Welcome")
///         .body(String::from("Hello Ann"))
///         .unwrap();
///     mailer.send(&message).unwrap();
/// }
///
/// let mail = mailtest::capture();
/// send_welcome(&mail.transport());
/// send_welcome(&mailtest::CaptureTransport::ambient());
/// mail.assert_count(2);
/// ```
#[derive(Clone, Debug)]
pub struct CaptureTransport {
    target: Target,
}

#[derive(Clone, Debug)]
enum Target {
    Outbox(Outbox),
    Ambient,
}

impl CaptureTransport {
    pub(crate) fn to_outbox(outbox: Outbox) -> CaptureTransport {
        CaptureTransport { target: Target::Outbox(outbox) }
    }

    /// A transport that delivers into the outbox bound on the thread that
    /// sends (see [`capture`](crate::capture)), or, with nothing bound, to the
    /// outbox that made a recipient's [`unique_address`](Outbox::unique_address).
    ///
    /// ```
    /// use lettre::Transport;
    ///
    /// let transport = mailtest::CaptureTransport::ambient(); // made before any capture
    /// let mail = mailtest::capture();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// transport.send(&message).unwrap();
    /// mail.assert_count(1);
    /// ```
    pub fn ambient() -> CaptureTransport {
        CaptureTransport { target: Target::Ambient }
    }

    /// Captures `raw` with `envelope`: the work both transports share. A
    /// fault of the outbox's plan comes back as the error lettre's SMTP
    /// transport would give for the same answer (it stops at the first
    /// refused recipient).
    pub(crate) fn deliver(&self, envelope: &Envelope, raw: &[u8], asynchronous: bool) -> Result<(), Error> {
        let envelope_from = envelope.from().map(ToString::to_string);
        let envelope_to: Vec<String> = envelope.to().iter().map(ToString::to_string).collect();
        let mail = Captured::new(envelope_from, envelope_to, raw.to_vec());
        match &self.target {
            Target::Outbox(outbox) => outbox.deliver(mail, Client::Lettre),
            Target::Ambient => Error::from_verdict(deliver_ambient(mail, Client::Lettre, asynchronous)?),
        }
        .map(drop)
    }
}

impl Outbox {
    /// A `lettre::Transport` that delivers into this outbox, from any thread.
    ///
    /// ```
    /// use lettre::Transport;
    ///
    /// let outbox = mailtest::Outbox::new();
    /// let transport = outbox.transport();
    /// std::thread::spawn(move || {
    ///     let message = lettre::Message::builder()
    ///         .from("app@example.com".parse().unwrap())
    ///         .to("ann@example.com".parse().unwrap())
    ///         .body(String::from("sent from a worker"))
    ///         .unwrap();
    ///     transport.send(&message).unwrap();
    /// })
    /// .join()
    /// .unwrap();
    /// assert_eq!(outbox.len(), 1);
    /// ```
    pub fn transport(&self) -> CaptureTransport {
        CaptureTransport::to_outbox(self.clone())
    }

    /// An async `lettre::AsyncTransport` that delivers into this outbox.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use lettre::AsyncTransport;
    ///
    /// let outbox = mailtest::Outbox::new();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hello"))
    ///     .unwrap();
    /// outbox.async_transport().send(message).await.unwrap();
    /// assert_eq!(outbox.len(), 1);
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub fn async_transport(&self) -> crate::AsyncCaptureTransport {
        crate::AsyncCaptureTransport::to_outbox(self.clone())
    }
}

impl lettre::Transport for CaptureTransport {
    type Ok = ();
    type Error = Error;

    fn send_raw(&self, envelope: &Envelope, email: &[u8]) -> Result<(), Error> {
        self.deliver(envelope, email, false)
    }
}

/// The async twin of [`CaptureTransport`], for `lettre::AsyncTransport`
/// (feature `tokio`).
///
/// A separate type, because one type implementing both lettre traits makes
/// `send` ambiguous at every call site. The feature turns on
/// `lettre/tokio1`; if your crate uses lettre's default `native-tls`, turn on
/// `lettre/tokio1-native-tls` too, or lettre refuses to compile.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use lettre::AsyncTransport;
///
/// let mail = mailtest::capture();
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// mailtest::AsyncCaptureTransport::ambient().send(message).await.unwrap();
/// mail.assert_count(1);
/// # }
/// ```
#[cfg(feature = "tokio")]
#[derive(Clone, Debug)]
pub struct AsyncCaptureTransport {
    inner: CaptureTransport,
}

#[cfg(feature = "tokio")]
impl AsyncCaptureTransport {
    pub(crate) fn to_outbox(outbox: Outbox) -> AsyncCaptureTransport {
        AsyncCaptureTransport { inner: CaptureTransport::to_outbox(outbox) }
    }

    /// Delivers into the outbox bound while the sending future is polled
    /// (propagate it with [`Outbox::scope`]), else to routed outboxes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use lettre::AsyncTransport;
    ///
    /// let mail = mailtest::capture();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// mailtest::AsyncCaptureTransport::ambient().send(message).await.unwrap();
    /// mail.assert_count(1);
    /// # }
    /// ```
    pub fn ambient() -> AsyncCaptureTransport {
        AsyncCaptureTransport { inner: CaptureTransport::ambient() }
    }
}

#[cfg(feature = "tokio")]
#[async_trait::async_trait]
impl lettre::AsyncTransport for AsyncCaptureTransport {
    type Ok = ();
    type Error = Error;

    async fn send_raw(&self, envelope: &Envelope, email: &[u8]) -> Result<(), Error> {
        self.inner.deliver(envelope, email, true)
    }
}

const _: () = {
    const fn assert_traits<T: Clone + Send + Sync>() {}
    assert_traits::<CaptureTransport>();
    #[cfg(feature = "tokio")]
    assert_traits::<AsyncCaptureTransport>();
};
