//! [`AsyncMailer`]: Django's backends for async code (feature `tokio`).

use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;

use super::core::{Core, from_settings};
use super::options::mailer_options;
use super::plan::{Outcome, Plan, Step};
use super::{
    BackendKind, ConsoleBackend, Delivery, DummyBackend, EmailBackend, FileBackend, MemoryBackend, Permit,
    Settings, registry,
};
use crate::error::Error;

/// Where an [`AsyncMailer`] sends: the async twin of [`EmailBackend`].
///
/// mailtest's console, file, memory and dummy backends implement both
/// traits; [`AsyncSmtpBackend`](crate::AsyncSmtpBackend) is the async SMTP
/// one. A blocking backend of your own works through [`Blocking`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use mailtest::{AsyncEmailBackend, AsyncMailer, Error};
///
/// /// Counts what it would hand to an HTTP mail API.
/// #[derive(Default)]
/// struct Counting(AtomicUsize);
///
/// #[mailtest::async_trait]
/// impl AsyncEmailBackend for Counting {
///     async fn send_messages(&self, messages: &[lettre::Message]) -> Result<usize, Error> {
///         self.0.fetch_add(messages.len(), Ordering::Relaxed);
///         Ok(messages.len())
///     }
/// }
///
/// let mailer = AsyncMailer::new(Counting::default());
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// assert_eq!(mailer.send_messages(&[message]).await.unwrap(), 1);
/// # }
/// ```
#[async_trait::async_trait]
pub trait AsyncEmailBackend: Send + Sync {
    /// Sends `messages` in order and returns how many were sent. Stops at
    /// the first failure with its error (the messages before it were sent).
    async fn send_messages(&self, messages: &[Message]) -> Result<usize, Error>;

    /// [`send_messages`](AsyncEmailBackend::send_messages), reporting the
    /// recipients a server refused while it took the message for the others
    /// (see [`Delivery`]). The default reports none.
    async fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        self.send_messages(messages).await.map(Delivery::new)
    }

    /// Sends one message given as bytes with its envelope. The default
    /// refuses: implement it when the backend can send bytes it did not build.
    async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        let _ = (envelope, raw);
        Err(Error::backend(
            std::any::type_name::<Self>(),
            "this backend sends only lettre Messages (send_messages), not raw bytes",
        ))
    }

    /// Starts a session ahead of the first send. The default does nothing.
    async fn open(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Ends the session. Called by [`AsyncMailer::close`]; the default does
    /// nothing. (Dropping an `AsyncMailer` cannot wait: call `close` to end
    /// sessions politely.)
    async fn close(&self) -> Result<(), Error> {
        Ok(())
    }

    /// [`deliver`](AsyncEmailBackend::deliver), with what the mailer allows
    /// (see [`Permit`]): what an [`AsyncMailer`] calls. The default ignores
    /// the permit; a backend that opens its own network connection asks it
    /// first ([`Permit::reach`]).
    async fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        let _ = permit;
        self.deliver(messages).await
    }

    /// [`send_raw`](AsyncEmailBackend::send_raw), with what the mailer
    /// allows. The default ignores the permit.
    async fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
        let _ = permit;
        self.send_raw(envelope, raw).await
    }

    /// [`open`](AsyncEmailBackend::open), with what the mailer allows. The
    /// default ignores the permit.
    async fn open_with(&self, permit: Permit) -> Result<(), Error> {
        let _ = permit;
        self.open().await
    }
}

/// A backend in a box is a backend: what a registered backend is made as.
#[async_trait::async_trait]
impl<B: AsyncEmailBackend + ?Sized> AsyncEmailBackend for Box<B> {
    async fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        (**self).send_messages(messages).await
    }

    async fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        (**self).deliver(messages).await
    }

    async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        (**self).send_raw(envelope, raw).await
    }

    async fn open(&self) -> Result<(), Error> {
        (**self).open().await
    }

    async fn close(&self) -> Result<(), Error> {
        (**self).close().await
    }

    async fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        (**self).deliver_with(messages, permit).await
    }

    async fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
        (**self).send_raw_with(envelope, raw, permit).await
    }

    async fn open_with(&self, permit: Permit) -> Result<(), Error> {
        (**self).open_with(permit).await
    }
}

/// mailtest's local backends do no network I/O: they run in the task.
macro_rules! local_backends_are_async {
    ($($backend:ty),*) => {$(
        #[async_trait::async_trait]
        impl AsyncEmailBackend for $backend {
            async fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
                EmailBackend::send_messages(self, messages)
            }

            async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
                EmailBackend::send_raw(self, envelope, raw)
            }

            async fn open(&self) -> Result<(), Error> {
                EmailBackend::open(self)
            }

            async fn close(&self) -> Result<(), Error> {
                EmailBackend::close(self)
            }

            async fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
                EmailBackend::deliver_with(self, messages, permit)
            }

            async fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
                EmailBackend::send_raw_with(self, envelope, raw, permit)
            }
        }
    )*};
}

local_backends_are_async!(ConsoleBackend, FileBackend, DummyBackend, MemoryBackend);

/// Runs a blocking [`EmailBackend`] of your own from an [`AsyncMailer`], on
/// tokio's blocking threads (`spawn_blocking`), so it never stalls the
/// runtime.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mailtest::{AsyncMailer, Blocking, DummyBackend};
///
/// let mailer = AsyncMailer::new(Blocking::new(DummyBackend));
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// assert_eq!(mailer.bypass_capture().send_messages(&[message]).await.unwrap(), 1);
/// # }
/// ```
#[derive(Debug)]
pub struct Blocking<B>(Arc<B>);

impl<B: EmailBackend + 'static> Blocking<B> {
    /// Wraps `backend`.
    ///
    /// ```
    /// let blocking = mailtest::Blocking::new(mailtest::DummyBackend);
    /// # let _ = blocking;
    /// ```
    pub fn new(backend: B) -> Blocking<B> {
        Blocking(Arc::new(backend))
    }

    /// Runs `work` on a blocking thread.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&B) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let backend = Arc::clone(&self.0);
        tokio::task::spawn_blocking(move || work(&backend)).await.map_err(|err| {
            Error::backend(std::any::type_name::<B>(), format!("the blocking send failed: {err}"))
        })?
    }
}

#[async_trait::async_trait]
impl<B: EmailBackend + 'static> AsyncEmailBackend for Blocking<B> {
    async fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        let messages = messages.to_vec();
        self.run(move |backend| backend.send_messages(&messages)).await
    }

    async fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        let messages = messages.to_vec();
        self.run(move |backend| backend.deliver(&messages)).await
    }

    async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        let (envelope, raw) = (envelope.clone(), raw.to_vec());
        self.run(move |backend| backend.send_raw(&envelope, &raw)).await
    }

    async fn open(&self) -> Result<(), Error> {
        self.run(|backend| backend.open()).await
    }

    async fn close(&self) -> Result<(), Error> {
        self.run(|backend| backend.close()).await
    }

    /// The permit goes along to the blocking thread.
    async fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        let messages = messages.to_vec();
        self.run(move |backend| backend.deliver_with(&messages, permit)).await
    }

    async fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
        let (envelope, raw) = (envelope.clone(), raw.to_vec());
        self.run(move |backend| backend.send_raw_with(&envelope, &raw, permit)).await
    }

    async fn open_with(&self, permit: Permit) -> Result<(), Error> {
        self.run(move |backend| backend.open_with(permit)).await
    }
}

/// Sends email from async code through one backend, chosen in code or by
/// configuration; a `lettre::AsyncTransport` (feature `tokio`).
///
/// The async twin of [`Mailer`](crate::Mailer), with the same settings and
/// the same rules in a test: a capture takes the mail whatever the backend
/// (the outbox bound while the sending future is polled — see
/// [`Outbox::scope`](https://docs.rs/mailtest/latest/mailtest/struct.Outbox.html#method.scope) —, a routed address, or the
/// [global capture](https://docs.rs/mailtest/latest/mailtest/fn.capture_global.html)), and in a test process the SMTP
/// backend reaches only an [`SmtpSink`](https://docs.rs/mailtest/latest/mailtest/struct.SmtpSink.html) of the process.
/// With the `smtp` feature, `EMAIL_BACKEND=smtp` is
/// [`AsyncSmtpBackend`](crate::AsyncSmtpBackend): pooled sessions over
/// lettre's tokio client, STARTTLS, implicit TLS and AUTH as the blocking one.
///
/// Clones share the backend. Keep one in your application state.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// // Production code takes the mailer from its state.
/// async fn send_receipt(mailer: &mailtest::AsyncMailer, to: &str) -> Result<(), mailtest::Error> {
///     let message = lettre::Message::builder()
///         .from("shop@example.com".parse().unwrap())
///         .to(to.parse().unwrap())
///         .subject("Your receipt")
///         .body(String::from("Thank you for your order."))
///         .unwrap();
///     mailer.send(message).await
/// }
///
/// // The test: the settings say SMTP to localhost:25; the capture wins.
/// let mail = mailtest::capture();
/// let mailer = mailtest::AsyncMailer::from_settings(&mailtest::Settings::default()).unwrap();
/// send_receipt(&mailer, "ann@example.com").await.unwrap();
/// mail.find().to("ann@example.com").subject("Your receipt").one();
/// # }
/// ```
#[derive(Clone)]
pub struct AsyncMailer {
    core: Core,
    backend: Arc<dyn AsyncEmailBackend>,
}

impl AsyncMailer {
    /// A mailer sending through `backend`.
    ///
    /// ```
    /// let mailer = mailtest::AsyncMailer::new(mailtest::DummyBackend);
    /// # let _ = mailer;
    /// ```
    pub fn new(backend: impl AsyncEmailBackend + 'static) -> AsyncMailer {
        let label = Core::label_of(&backend);
        AsyncMailer::boxed(Box::new(backend), label)
    }

    fn boxed(backend: Box<dyn AsyncEmailBackend>, label: &str) -> AsyncMailer {
        AsyncMailer { core: Core::new(label, true), backend: Arc::from(backend) }
    }

    /// The mailer `settings` configure, called `name`.
    pub(crate) fn named(settings: &Settings, name: &str) -> Result<AsyncMailer, Error> {
        from_settings!(AsyncMailer, settings, name, async_smtp_mailer, registry::make_async)
    }

    /// Sends `messages` and returns how many were sent: each into the
    /// capture that claims it, the rest through the backend (one session
    /// for the batch).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let mailer = mailtest::AsyncMailer::new(mailtest::DummyBackend);
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// assert_eq!(mailer.send_messages(&[message.clone(), message]).await.unwrap(), 2);
    /// mail.assert_count(2);
    /// # }
    /// ```
    pub async fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        self.deliver(messages).await.map(|delivery| delivery.sent())
    }

    /// [`send_messages`](AsyncMailer::send_messages), telling which
    /// recipients the server refused: see [`Mailer::deliver`](crate::Mailer::deliver).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// let delivery = mailtest::AsyncMailer::new(mailtest::DummyBackend).deliver(&[message]).await.unwrap();
    /// assert_eq!(delivery.sent(), 1);
    /// assert!(delivery.refused().is_empty());
    /// # }
    /// ```
    pub async fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        self.run(self.core.deliver(messages)).await
    }

    /// Carries out `plan`: each step a call of the backend, awaited.
    async fn run(&self, mut plan: Plan<'_>) -> Result<Delivery, Error> {
        while let Some(step) = plan.next() {
            let outcome = self.call(step, &plan).await;
            plan.record(outcome);
        }
        plan.finish()
    }

    async fn call(&self, step: Step<'_>, plan: &Plan<'_>) -> Outcome {
        let (backend, permit) = (&self.backend, plan.permit());
        match step {
            Step::Open => backend.open_with(permit).await.into(),
            Step::Deliver(range) => backend.deliver_with(plan.messages(range), permit).await.into(),
            Step::SendRaw(envelope, raw) => backend.send_raw_with(envelope, raw, permit).await.into(),
            Step::Close => backend.close().await.into(),
        }
    }

    /// Sends one message: [`send_messages`](AsyncMailer::send_messages) for
    /// one, without importing `lettre::AsyncTransport`; use
    /// [`deliver`](AsyncMailer::deliver) to see refused recipients.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// mailtest::AsyncMailer::new(mailtest::DummyBackend).send(message).await.unwrap();
    /// mail.assert_count(1);
    /// # }
    /// ```
    pub async fn send(&self, message: Message) -> Result<(), Error> {
        self.deliver(std::slice::from_ref(&message)).await.map(drop)
    }

    /// Starts the backend's session now: for SMTP, connects (so a wrong
    /// setting shows at start-up). In a test process only with an `SmtpSink`
    /// of the process, as [`Mailer::open`](crate::Mailer::open): any other
    /// server is refused with [`Error::NoOutbox`](crate::Error::NoOutbox).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mailer = mailtest::AsyncMailer::new(mailtest::DummyBackend);
    /// mailer.open().await.unwrap();
    /// mailer.close().await.unwrap();
    /// # }
    /// ```
    pub async fn open(&self) -> Result<(), Error> {
        self.run(self.core.open()).await.map(drop)
    }

    /// Ends the backend's sessions (for SMTP, quits the idle connections).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mailer = mailtest::AsyncMailer::new(mailtest::DummyBackend);
    /// mailer.close().await.unwrap();
    /// # }
    /// ```
    pub async fn close(&self) -> Result<(), Error> {
        self.run(self.core.close()).await.map(drop)
    }
}

mailer_options!(
    AsyncMailer,
    fail_silently: "```
# #[tokio::main(flavor = \"current_thread\")] async fn main() {
// A memory backend with nothing bound refuses every send.
let mailer = mailtest::AsyncMailer::new(mailtest::MemoryBackend).fail_silently(true);
let message = lettre::Message::builder()
    .from(\"app@example.com\".parse().unwrap())
    .to(\"ann@example.com\".parse().unwrap())
    .body(String::from(\"Hi\"))
    .unwrap();
assert_eq!(mailer.send_messages(&[message]).await.unwrap(), 0);
# }
```",
    bypass_capture: "```
# #[tokio::main(flavor = \"current_thread\")] async fn main() {
let mail = mailtest::capture();
let mailer = mailtest::AsyncMailer::new(mailtest::DummyBackend).bypass_capture();
let message = lettre::Message::builder()
    .from(\"app@example.com\".parse().unwrap())
    .to(\"ann@example.com\".parse().unwrap())
    .body(String::from(\"Hi\"))
    .unwrap();
mailer.send_messages(&[message]).await.unwrap();
mail.assert_empty();
# }
```"
);

impl std::fmt::Debug for AsyncMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.core.debug("AsyncMailer", f)
    }
}

#[async_trait::async_trait]
impl lettre::AsyncTransport for AsyncMailer {
    type Ok = ();
    type Error = Error;

    /// [`AsyncMailer::send`]: through [`AsyncMailer::deliver`], so backends
    /// that only take `Message`s work; use `deliver` to see refused recipients.
    async fn send(&self, message: Message) -> Result<(), Error> {
        AsyncMailer::send(self, message).await
    }

    /// The bytes as given, to the backend's `send_raw`.
    async fn send_raw(&self, envelope: &Envelope, email: &[u8]) -> Result<(), Error> {
        self.run(self.core.send_raw(envelope, email)).await.map(drop)
    }
}

#[cfg(feature = "smtp")]
fn async_smtp_mailer(settings: &Settings) -> Result<AsyncMailer, Error> {
    Ok(AsyncMailer::new(super::AsyncSmtpBackend::from_settings(settings)?))
}

#[cfg(not(feature = "smtp"))]
fn async_smtp_mailer(settings: &Settings) -> Result<AsyncMailer, Error> {
    settings.check()?;
    Ok(AsyncMailer::new(Blocking::new(super::mailer::UnavailableSmtp::new(settings))))
}

const _: () = {
    const fn assert_traits<T: Clone + Send + Sync>() {}
    assert_traits::<AsyncMailer>();
};
