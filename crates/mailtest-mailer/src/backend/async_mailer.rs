//! [`AsyncMailer`]: Django's backends for async code (feature `tokio`).

use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;

use std::sync::atomic::{AtomicBool, Ordering};

use super::{
    BackendKind, ConsoleBackend, Delivery, DummyBackend, EmailBackend, FileBackend, MemoryBackend, Settings,
    prepare, registry,
};
use crate::capture::{capture_claimed, capture_if_claimed, deliver_ambient};
use crate::error::Error;
use mailtest_capture::{Bypassing, bypass_active, bypassing};

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
        }
    )*};
}

local_backends_are_async!(ConsoleBackend, FileBackend, DummyBackend);

#[async_trait::async_trait]
impl AsyncEmailBackend for MemoryBackend {
    async fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        for message in messages {
            AsyncEmailBackend::send_raw(self, message.envelope(), &crate::idna::formatted(message)).await?;
        }
        Ok(messages.len())
    }

    /// As the blocking form, but a refusal names the async fixes.
    async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        deliver_ambient(envelope, raw, true)
    }
}

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

    /// Runs `work` on a blocking thread, as the calling mailer would (a
    /// `bypass_capture()` mailer stays one there).
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&B) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let backend = Arc::clone(&self.0);
        let bypass = bypass_active();
        tokio::task::spawn_blocking(move || bypassing(bypass, || work(&backend))).await.map_err(|err| {
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
    backend: Arc<dyn AsyncEmailBackend>,
    label: Arc<str>,
    bypass: bool,
    fail_silently: bool,
    /// Whether `open()` was called and `close()` not since (shared by clones).
    opened: Arc<AtomicBool>,
    /// What it was made from, if from settings: defaults for `send_mail`.
    settings: Option<Arc<Settings>>,
    /// Its name among the configured mailers, if it has one.
    name: Option<Arc<str>>,
}

impl AsyncMailer {
    /// A mailer sending through `backend`.
    ///
    /// ```
    /// let mailer = mailtest::AsyncMailer::new(mailtest::DummyBackend);
    /// # let _ = mailer;
    /// ```
    pub fn new(backend: impl AsyncEmailBackend + 'static) -> AsyncMailer {
        let label = std::any::type_name_of_val(&backend).rsplit("::").next().unwrap_or("backend");
        AsyncMailer::boxed(Arc::new(backend), label)
    }

    fn boxed(backend: Arc<dyn AsyncEmailBackend>, label: &str) -> AsyncMailer {
        AsyncMailer {
            label: label.into(),
            backend,
            bypass: false,
            fail_silently: false,
            opened: Arc::new(AtomicBool::new(false)),
            settings: None,
            name: None,
        }
    }

    /// A mailer configured by the `EMAIL_*` environment variables: see
    /// [`Settings`].
    ///
    /// ```
    /// # if std::env::var_os("EMAIL_BACKEND").is_none() {
    /// let mailer = mailtest::AsyncMailer::from_env().unwrap();
    /// # let _ = mailer;
    /// # }
    /// ```
    pub fn from_env() -> Result<AsyncMailer, Error> {
        AsyncMailer::from_settings(&Settings::from_env()?)
    }

    /// A mailer configured by `settings`, as [`Mailer::from_settings`](crate::Mailer::from_settings).
    /// Needs no runtime until the first send.
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([("EMAIL_BACKEND", "console")]).unwrap();
    /// let mailer = mailtest::AsyncMailer::from_settings(&settings).unwrap();
    /// # let _ = mailer;
    /// ```
    pub fn from_settings(settings: &Settings) -> Result<AsyncMailer, Error> {
        AsyncMailer::named(settings, "default")
    }

    /// The mailer called `name` in `settings`: see
    /// [`Mailer::using`](crate::Mailer::using).
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BULK_EMAIL_BACKEND", "dummy")])
    ///     .unwrap();
    /// let bulk = mailtest::AsyncMailer::using(&settings, "bulk").unwrap();
    /// assert_eq!(bulk.name(), Some("bulk"));
    /// ```
    pub fn using(settings: &Settings, name: &str) -> Result<AsyncMailer, Error> {
        AsyncMailer::named(settings.mailer(name)?, &name.to_ascii_lowercase())
    }

    /// The mailer `settings` configure, called `name`.
    pub(crate) fn named(settings: &Settings, name: &str) -> Result<AsyncMailer, Error> {
        settings.check()?;
        let mailer = match settings.backend {
            BackendKind::Smtp => async_smtp_mailer(settings)?,
            BackendKind::Console => AsyncMailer::new(ConsoleBackend::stdout()),
            BackendKind::File => AsyncMailer::new(FileBackend::new(settings.required_file_path()?)?),
            BackendKind::Memory => AsyncMailer::new(MemoryBackend),
            BackendKind::Dummy => AsyncMailer::new(DummyBackend),
            BackendKind::Custom(backend) => {
                AsyncMailer::boxed(Arc::from(registry::make_async(backend, settings)?), backend)
            }
        };
        Ok(AsyncMailer { settings: Some(Arc::new(settings.clone())), name: Some(name.into()), ..mailer })
    }

    /// Its name among the configured mailers: see [`Mailer::name`](crate::Mailer::name).
    ///
    /// ```
    /// assert_eq!(mailtest::AsyncMailer::new(mailtest::DummyBackend).name(), None);
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// This mailer, failing silently: see
    /// [`Mailer::fail_silently`](crate::Mailer::fail_silently).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// // A memory backend with nothing bound refuses every send.
    /// let mailer = mailtest::AsyncMailer::new(mailtest::MemoryBackend).fail_silently(true);
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// assert_eq!(mailer.send_messages(&[message]).await.unwrap(), 0);
    /// # }
    /// ```
    pub fn fail_silently(mut self, fail_silently: bool) -> AsyncMailer {
        self.fail_silently = fail_silently;
        self
    }

    fn localtime(&self) -> bool {
        self.settings.as_ref().is_some_and(|settings| settings.use_localtime)
    }

    /// The settings this mailer was made from, if it was: see
    /// [`Mailer::settings`](crate::Mailer::settings).
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([("DEFAULT_FROM_EMAIL", "shop@example.com")]).unwrap();
    /// let mailer = mailtest::AsyncMailer::from_settings(&settings).unwrap();
    /// assert_eq!(mailer.settings().unwrap().default_from_email, "shop@example.com");
    /// ```
    pub fn settings(&self) -> Option<&Settings> {
        self.settings.as_deref()
    }

    /// This mailer, always sending through its own backend: see
    /// [`Mailer::bypass_capture`](crate::Mailer::bypass_capture).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let mailer = mailtest::AsyncMailer::new(mailtest::DummyBackend).bypass_capture();
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// mailer.send_messages(&[message]).await.unwrap();
    /// mail.assert_empty();
    /// # }
    /// ```
    pub fn bypass_capture(mut self) -> AsyncMailer {
        self.bypass = true;
        self
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
        let messages = prepare::messages(messages, self.localtime());
        if self.bypass {
            return Bypassing::new(true, self.through_backend(&messages)).await;
        }
        let (captured, rest, places) = capture_claimed(&messages, self.name.as_ref());
        if rest.is_empty() {
            return Ok(Delivery::new(captured));
        }
        let mut delivery = self.through_backend(&rest).await?.renumbered(&places);
        delivery.absorb(Delivery::new(captured), 0);
        Ok(delivery)
    }

    /// As `Mailer`'s: at once, or — failing silently — one by one over one
    /// session, going on past failures.
    async fn through_backend(&self, messages: &[Message]) -> Result<Delivery, Error> {
        if !self.fail_silently {
            return self.backend.deliver(messages).await;
        }
        let own_session = !self.opened.load(Ordering::Acquire);
        if own_session && self.backend.open().await.is_err() {
            return Ok(Delivery::default());
        }
        let mut delivery = Delivery::default();
        for (at, message) in messages.iter().enumerate() {
            if let Ok(sent) = self.backend.deliver(std::slice::from_ref(message)).await {
                delivery.absorb(sent, at);
            }
        }
        if own_session {
            let _ = self.backend.close().await;
        }
        Ok(delivery)
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
    /// setting shows at start-up).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mailer = mailtest::AsyncMailer::new(mailtest::DummyBackend);
    /// mailer.open().await.unwrap();
    /// mailer.close().await.unwrap();
    /// # }
    /// ```
    pub async fn open(&self) -> Result<(), Error> {
        match Bypassing::new(self.bypass, self.backend.open()).await {
            Ok(()) => {
                self.opened.store(true, Ordering::Release);
                Ok(())
            }
            Err(_) if self.fail_silently => Ok(()),
            Err(err) => Err(err),
        }
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
        self.opened.store(false, Ordering::Release);
        match self.backend.close().await {
            Err(_) if self.fail_silently => Ok(()),
            other => other,
        }
    }
}

impl std::fmt::Debug for AsyncMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncMailer")
            .field("name", &self.name)
            .field("backend", &self.label)
            .field("bypass_capture", &self.bypass)
            .field("fail_silently", &self.fail_silently)
            .finish()
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
        if !self.bypass && capture_if_claimed(envelope, self.name.as_ref(), || email.to_vec()) {
            return Ok(());
        }
        match Bypassing::new(self.bypass, self.backend.send_raw(envelope, email)).await {
            Err(_) if self.fail_silently => Ok(()),
            other => other,
        }
    }
}

#[cfg(feature = "smtp")]
fn async_smtp_mailer(settings: &Settings) -> Result<AsyncMailer, Error> {
    Ok(AsyncMailer::new(super::AsyncSmtpBackend::from_settings(settings)?))
}

#[cfg(not(feature = "smtp"))]
fn async_smtp_mailer(settings: &Settings) -> Result<AsyncMailer, Error> {
    settings.check()?;
    Ok(AsyncMailer::new(Blocking::new(super::mailer::UnavailableSmtp)))
}

const _: () = {
    const fn assert_traits<T: Clone + Send + Sync>() {}
    assert_traits::<AsyncMailer>();
};
