//! The crate's error type.

use std::fmt;
use std::sync::Arc;

/// Everything that can go wrong outside an assertion.
///
/// Assertions report through [`Failure`](https://docs.rs/mailtest/latest/mailtest/struct.Failure.html) instead: an `Error`
/// is about the harness (where a message should go, what a setting means),
/// a `Failure` is about what your code sent.
///
/// ```
/// use lettre::Transport;
/// use mailtest::{CaptureTransport, Error};
///
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Hi")
///     .body(String::from("Hello"))
///     .unwrap();
/// // Nothing is bound on this thread, so the message has nowhere to go.
/// let err = CaptureTransport::ambient().send(&message).unwrap_err();
/// assert!(matches!(err, Error::NoOutbox { .. }));
/// // One line for logs; the alternate form, and `Debug` (what `.unwrap()`
/// // shows), says every way to fix it.
/// assert!(!err.to_string().contains('\n'));
/// assert!(format!("{err:#}").contains("mailtest::capture()"));
/// assert_eq!(format!("{err:?}"), format!("{err:#}"));
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A send was refused, not dropped: the sender sees this error, and a
    /// failing query lists it (see [`capture_global`](https://docs.rs/mailtest/latest/mailtest/fn.capture_global.html)).
    ///
    /// Either an ambient send (a capture transport, the memory backend)
    /// found nowhere to deliver — no outbox bound on the sending thread, no
    /// [`unique_address`](https://docs.rs/mailtest/latest/mailtest/struct.Outbox.html#method.unique_address) route for any
    /// recipient, no global capture — or, with `prevented` set, a mailer in
    /// a test process was about to send over SMTP to a server that is not an
    /// [`SmtpSink`](https://docs.rs/mailtest/latest/mailtest/struct.SmtpSink.html) of the process.
    ///
    /// `Display` is one line — what was refused and why — so that a log
    /// keeps it whole; the alternate form (`{:#}`) and `Debug` add every
    /// way to capture the mail instead.
    #[non_exhaustive]
    NoOutbox {
        /// The thread that tried to send, by name (or id when unnamed).
        thread: String,
        /// The envelope recipients of the refused message.
        recipients: Vec<String>,
        /// The SMTP server (`host:port`) a real send would have reached.
        prevented: Option<String>,
        /// Why the process counts as a test, when a real send was prevented.
        test_process: Option<String>,
        /// Whether it was sent through an async transport or mailer (the
        /// fixes then name the async forms).
        asynchronous: bool,
    },
    /// An email setting (`EMAIL_PORT`, `EMAIL_USE_TLS`, ...) has a value
    /// that cannot be used.
    InvalidSetting {
        /// The setting, e.g. `EMAIL_PORT`.
        name: String,
        /// The value as given.
        value: String,
        /// What the setting accepts.
        expected: String,
    },
    /// Two settings that exclude each other are both on
    /// (`EMAIL_USE_TLS` and `EMAIL_USE_SSL`).
    ConflictingSettings {
        /// The first setting.
        first: String,
        /// The second setting.
        second: String,
    },
    /// `EMAIL_BACKEND` names no backend mailtest knows.
    #[non_exhaustive]
    UnknownBackend {
        /// The value as given.
        value: String,
        /// The values it accepts.
        expected: String,
    },
    /// The configuration asks for something a cargo feature of mailtest
    /// provides, and that feature is off.
    FeatureRequired {
        /// What was asked for, e.g. `EMAIL_BACKEND=smtp`.
        what: String,
        /// The mailtest feature that provides it.
        feature: String,
    },
    /// Reading or writing a file failed (the file backend, `Outbox::load`,
    /// certificate files). The operating system's error is the
    /// [`source`](std::error::Error::source), when there was one.
    #[non_exhaustive]
    Io {
        /// What mailtest was doing, e.g. `create the mail directory`.
        action: String,
        /// The path it was doing it to.
        path: std::path::PathBuf,
        /// The kind of failure.
        kind: std::io::ErrorKind,
        /// The operating system's description.
        message: String,
        /// The `std::io::Error`, when there was one.
        source: Option<Cause>,
    },
    /// A message file could not be read back (`Outbox::load`).
    MalformedMailbox {
        /// The file.
        path: std::path::PathBuf,
        /// The 1-based line where the problem is.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// An email address could not be parsed.
    #[non_exhaustive]
    InvalidAddress {
        /// The address as given.
        address: String,
        /// What is wrong with it.
        reason: String,
        /// The parser's error, when there was one.
        source: Option<Cause>,
    },
    /// A message could not be built (e.g. by `send_mail`).
    #[non_exhaustive]
    InvalidMessage {
        /// What is wrong.
        reason: String,
        /// The builder's error, when there was one.
        source: Option<Cause>,
    },
    /// The SMTP server refused, or could not be reached. See
    /// [`is_temporary`](Error::is_temporary) to tell a failure worth a retry
    /// (a 4xx reply) from a permanent one (5xx), and
    /// [`outcome_unknown`](Error::outcome_unknown) for the one after which
    /// a retry may deliver twice.
    #[non_exhaustive]
    Smtp {
        /// `host:port`.
        server: String,
        /// The server's reply (code and text), or what failed on the way
        /// (connection, TLS, a timeout).
        reply: String,
        /// The server's reply code, when it answered (e.g. 451, 550).
        code: Option<u16>,
        /// The SMTP client's error (a refusal, a connection or TLS
        /// failure), when there was one.
        source: Option<Cause>,
        /// The whole message was sent and the connection failed before the
        /// server's reply: it may have been delivered. See
        /// [`outcome_unknown`](Error::outcome_unknown).
        outcome_unknown: bool,
    },
    /// A backend of your own failed: see [`Error::backend`] and
    /// [`Error::backend_source`].
    #[non_exhaustive]
    Backend {
        /// The backend's name.
        backend: String,
        /// What went wrong.
        message: String,
        /// The backend's own error, when it gave one.
        source: Option<Cause>,
    },
    /// No mailer has this name: `MAILERS` does not name it (see
    /// [`Settings::mailer`](crate::Settings::mailer)).
    UnknownMailer {
        /// The name asked for.
        name: String,
        /// The mailers there are, `default` first.
        known: Vec<String>,
    },
    /// A header value has a line break (CR or LF), which would end the
    /// header and start another: header injection. `send_mail` and its
    /// relatives refuse it, as Django does.
    ///
    /// ```
    /// let err = mailtest::send_mail("Hi\nBcc: everyone@example.com", "Hello", "app@example.com", &["ann@example.com"])
    ///     .send()
    ///     .unwrap_err();
    /// assert!(matches!(&err, mailtest::Error::BadHeader { name, .. } if name == "Subject"));
    /// ```
    BadHeader {
        /// The header, e.g. `Subject`.
        name: String,
        /// The value as given.
        value: String,
    },
    /// Two options that cannot go together were both given, e.g.
    /// `auth_user(..)` with `connection(..)` on `send_mail`.
    ConflictingOptions {
        /// The first option, as written in code.
        first: String,
        /// The second option.
        second: String,
        /// Why they exclude each other, and what to do instead.
        reason: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoOutbox { thread, recipients, prevented, test_process, asynchronous }
                if f.alternate() =>
            {
                no_outbox(f, thread, recipients, prevented.as_deref(), test_process.as_deref(), *asynchronous)
            }
            Error::NoOutbox { thread, recipients, prevented, test_process, .. } => {
                refused(f, thread, recipients, prevented.as_deref(), test_process.as_deref())
            }
            Error::InvalidSetting { name, value, expected } if value.is_empty() => {
                write!(f, "mailtest: {name} is not set: expected {expected}")
            }
            Error::InvalidSetting { name, value, expected } => {
                write!(f, "mailtest: {name}={value:?} is not valid: expected {expected}")
            }
            Error::ConflictingSettings { first, second } => write!(
                f,
                "mailtest: {first} and {second} are both on, but only one can be: \
                 {first} is STARTTLS on a plain connection (usually port 587), \
                 {second} is TLS from the start (usually port 465)"
            ),
            Error::UnknownBackend { value, expected } => {
                write!(
                    f,
                    "mailtest: EMAIL_BACKEND={value:?} is not a known backend; expected one of {expected}"
                )
            }
            Error::UnknownMailer { name, known } => write!(
                f,
                "mailtest: no mailer is called {name:?}; the mailers are: {} (MAILERS names all but default)",
                known.join(", ")
            ),
            Error::BadHeader { name, value } => write!(
                f,
                "mailtest: the {name} header may not contain a line break (CR or LF), which would start \
                 another header (header injection): {name}: {value:?}"
            ),
            Error::ConflictingOptions { first, second, reason } => {
                write!(f, "mailtest: {first} cannot be used with {second}: {reason}")
            }
            Error::FeatureRequired { what, feature } => write!(
                f,
                "mailtest: {what} needs mailtest's `{feature}` cargo feature, which is off. \
                 Turn it on: mailtest = {{ version = \"..\", features = [\"{feature}\"] }}"
            ),
            Error::Io { action, path, message, .. } => {
                write!(f, "mailtest: could not {action} {}: {message}", path.display())
            }
            Error::MalformedMailbox { path, line, reason } => {
                write!(f, "mailtest: {}:{line}: {reason}", path.display())
            }
            Error::InvalidAddress { address, reason, .. } => {
                write!(f, "mailtest: {address:?} is not a valid email address: {reason}")
            }
            Error::InvalidMessage { reason, .. } => {
                write!(f, "mailtest: could not build the message: {reason}")
            }
            Error::Smtp { server, reply, .. } => write!(f, "mailtest: SMTP server {server}: {reply}"),
            Error::Backend { backend, message, .. } => write!(f, "mailtest: backend {backend}: {message}"),
        }
    }
}

impl Error {
    /// An error for a backend of your own (see
    /// [`EmailBackend`](crate::EmailBackend)), named so that the message
    /// says which backend failed.
    ///
    /// ```
    /// let err = mailtest::Error::backend("sms-gateway", "quota exceeded");
    /// assert_eq!(err.to_string(), "mailtest: backend sms-gateway: quota exceeded");
    /// ```
    pub fn backend(backend: impl Into<String>, message: impl std::fmt::Display) -> Error {
        Error::Backend { backend: backend.into(), message: message.to_string(), source: None }
    }

    /// An error for a backend of your own that keeps the error underneath
    /// as its [`source`](std::error::Error::source), so a caller can walk
    /// the chain or downcast it; the message is that error's text.
    ///
    /// ```
    /// use std::error::Error as _;
    ///
    /// let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "gateway down");
    /// let err = mailtest::Error::backend_source("sms-gateway", refused);
    /// assert_eq!(err.to_string(), "mailtest: backend sms-gateway: gateway down");
    /// let io = err.source().unwrap().downcast_ref::<std::io::Error>().unwrap();
    /// assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
    /// ```
    pub fn backend_source(
        backend: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Backend {
            backend: backend.into(),
            message: source.to_string(),
            source: Some(Cause::new(source)),
        }
    }

    /// Whether the SMTP server answered with a temporary failure (a 4xx
    /// reply: try again later); `false` for a permanent one (5xx), for a
    /// failure before any reply, and for every other error.
    ///
    /// ```
    /// # let err = mailtest::Error::backend("x", "y");
    /// if err.is_temporary() {
    ///     // queue the message for a retry
    /// }
    /// # assert!(!err.is_temporary());
    /// ```
    pub fn is_temporary(&self) -> bool {
        matches!(self, Error::Smtp { code: Some(400..=499), .. })
    }

    /// Whether the SMTP server answered with a permanent failure (a 5xx
    /// reply: the same message will be refused again).
    ///
    /// ```
    /// # let err = mailtest::Error::backend("x", "y");
    /// assert!(!err.is_permanent());
    /// ```
    pub fn is_permanent(&self) -> bool {
        matches!(self, Error::Smtp { code: Some(500..=599), .. })
    }

    /// Whether the message may have been delivered although the send
    /// failed: the whole message went out and the connection broke (or
    /// went silent) before the server's reply to it — "the 250 was lost".
    /// A server may have stored it; only the recipient can tell.
    ///
    /// When a retry is safe:
    ///
    /// | the error | stored? | a retry |
    /// |---|---|---|
    /// | [`is_temporary`](Error::is_temporary) (4xx) | no | safe: what the server asks for |
    /// | [`is_permanent`](Error::is_permanent) (5xx) | no | refused again; fix the message or the address |
    /// | `outcome_unknown()` | maybe | may deliver twice: give each message a Message-ID and let the receiver drop duplicates, or do not retry |
    /// | any other `Error::Smtp` (connection refused, dropped or silent before the end of the data, TLS) | no | safe |
    ///
    /// lettre's own transports tell a lost reply from a dropped connection
    /// only by when it happened; mailtest's SMTP backend and a capture's
    /// fault plan ([`Fault::reply_lost`](mailtest_capture::Fault::reply_lost)) say so here.
    ///
    /// ```
    /// # let err = mailtest::Error::backend("x", "y");
    /// if err.is_temporary() {
    ///     // retry later
    /// } else if err.outcome_unknown() {
    ///     // maybe delivered: retry only with the same Message-ID
    /// }
    /// # assert!(!err.outcome_unknown());
    /// ```
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::Smtp { outcome_unknown: true, .. })
    }

    /// An [`Error::Io`] for `action` on `path`. The source is a copy of
    /// `err`: exact for an operating-system error (its code is kept), the
    /// kind and text otherwise (`std::io::Error` cannot be cloned).
    ///
    /// ```
    /// let missing = std::fs::read("/nonexistent/mail").unwrap_err();
    /// let err = mailtest_mailer::Error::io("read", "/nonexistent/mail".as_ref(), &missing);
    /// assert!(err.to_string().starts_with("mailtest: could not read /nonexistent/mail: "));
    /// ```
    pub fn io(action: &str, path: &std::path::Path, err: &std::io::Error) -> Error {
        let copy = match err.raw_os_error() {
            Some(code) => std::io::Error::from_raw_os_error(code),
            None => std::io::Error::new(err.kind(), err.to_string()),
        };
        Error::Io {
            action: action.to_owned(),
            path: path.to_owned(),
            kind: err.kind(),
            message: err.to_string(),
            source: Some(Cause::new(copy)),
        }
    }

    /// An [`Error::Io`] that no operating-system call reported.
    pub(crate) fn io_problem(
        action: &str,
        path: &std::path::Path,
        kind: std::io::ErrorKind,
        message: &str,
    ) -> Error {
        Error::Io {
            action: action.to_owned(),
            path: path.to_owned(),
            kind,
            message: message.to_owned(),
            source: None,
        }
    }
}

impl fmt::Debug for Error {
    /// The text of the alternate `Display` (`{:#}`): `.unwrap()` on an
    /// error shows what went wrong and how to fix it, not a struct dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:#}")
    }
}

impl std::error::Error for Error {
    /// The error underneath, when there is one: the `std::io::Error` of an
    /// [`Error::Io`], lettre's error of an [`Error::Smtp`], and so on.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let source = match self {
            Error::Io { source, .. }
            | Error::InvalidAddress { source, .. }
            | Error::InvalidMessage { source, .. }
            | Error::Smtp { source, .. }
            | Error::Backend { source, .. } => source.as_ref(),
            _ => None,
        };
        source.map(|cause| cause.error() as &(dyn std::error::Error + 'static))
    }
}

/// The error underneath an [`Error`]: what
/// [`source`](std::error::Error::source) returns, kept so that the
/// `Error` stays `Clone`. Two causes are equal when they say the same.
///
/// ```
/// use std::error::Error as _;
///
/// let missing = std::path::Path::new("/nonexistent/mail");
/// let err = mailtest::Outbox::load(missing).unwrap_err();
/// let io = err.source().and_then(|source| source.downcast_ref::<std::io::Error>()).unwrap();
/// assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
/// if let mailtest::Error::Io { source: Some(cause), .. } = &err {
///     assert_eq!(cause.to_string(), io.to_string());
/// }
/// ```
#[derive(Clone)]
pub struct Cause(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl Cause {
    pub(crate) fn new(error: impl std::error::Error + Send + Sync + 'static) -> Cause {
        Cause(Arc::new(error))
    }

    /// The error, to walk its own chain or downcast it.
    ///
    /// ```
    /// # let err = mailtest::Outbox::load("/nonexistent/mail").unwrap_err();
    /// if let mailtest::Error::Io { source: Some(cause), .. } = &err {
    ///     assert!(cause.error().downcast_ref::<std::io::Error>().is_some());
    /// }
    /// ```
    pub fn error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq for Cause {
    fn eq(&self, other: &Cause) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for Cause {}

/// The one-line text of [`Error::NoOutbox`]: what was refused, and why.
fn refused(
    f: &mut fmt::Formatter<'_>,
    thread: &str,
    recipients: &[String],
    prevented: Option<&str>,
    test_process: Option<&str>,
) -> fmt::Result {
    let what = match (recipients.is_empty(), prevented) {
        (true, Some(_)) => "refused to open an SMTP session".to_owned(),
        (true, None) => "refused a send to no recipients".to_owned(),
        (false, _) => format!("refused a send to {}", recipients.join(", ")),
    };
    write!(f, "mailtest: {what} on thread '{thread}': ")?;
    match prevented {
        Some(server) => {
            let why = test_process.map(|why| format!(" ({why})")).unwrap_or_default();
            write!(
                f,
                "this is a test process{why}, where a mailer reaches no SMTP server but an SmtpSink, not {server}"
            )?;
        }
        None => {
            f.write_str("no outbox is bound there, no recipient is routed, no global capture is alive")?
        }
    }
    f.write_str(" (use {:#} for how to capture it)")
}

/// The full text of [`Error::NoOutbox`]: what happened, then every way to fix it.
fn no_outbox(
    f: &mut fmt::Formatter<'_>,
    thread: &str,
    recipients: &[String],
    prevented: Option<&str>,
    test_process: Option<&str>,
    asynchronous: bool,
) -> fmt::Result {
    let to = if recipients.is_empty() { "no recipients".to_owned() } else { recipients.join(", ") };
    match prevented {
        Some(server) => {
            let why = test_process.map(|why| format!(" ({why})")).unwrap_or_default();
            let what = if recipients.is_empty() {
                format!("a session (opened on thread '{thread}') would have connected over SMTP to {server}")
            } else {
                format!(
                    "the message for {to} (sent on thread '{thread}') would have gone over SMTP to {server}"
                )
            };
            write!(
                f,
                "mailtest: a real send from a test was prevented: {what}.\n\
                 This is a test process{why}: a mailer reaches only an SmtpSink of the process. \
                 Capture the mail instead:\n  \
                 - call `let mail = mailtest::capture();` in the test, on the thread that sends;"
            )?;
        }
        None => write!(
            f,
            "mailtest: no outbox to capture a message for {to} (sent on thread '{thread}').\n\
             Nothing is bound on this thread, no recipient is a routed address and no global capture \
             is alive. Either:\n  \
             - call `let mail = mailtest::capture();` in the test, on the thread that sends;"
        )?,
    }
    let transport = if asynchronous {
        "`outbox.async_transport()`, or `outbox.async_mailer()` where it holds an `AsyncMailer`"
    } else {
        "`outbox.transport()`, or `outbox.mailer()` where it holds a `Mailer`"
    };
    write!(
        f,
        "\n  - for work the test does not own (an app's workers, a thread pool, a multi-thread \
         runtime): `let mail = mailtest::capture_global();` in the test;\n  \
         - propagate the test's capture: `outbox.scope(fut)`, `fut.with_outbox(&outbox)`, \
         `outbox.spawn(..)` or `outbox.in_scope(..)`;\n  \
         - route by address: send to `outbox.unique_address(\"name\")`;\n  \
         - give the code an explicit transport: {transport}"
    )?;
    if prevented.is_some() {
        f.write_str(
            ";\n  - to test the SMTP backend itself, send to a `mailtest::SmtpSink`, or opt this mailer \
             out: `mailer.bypass_capture()`",
        )?;
    }
    f.write_str(".")
}
