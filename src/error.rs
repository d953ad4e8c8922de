//! The crate's error type.

use std::fmt;

/// Everything that can go wrong outside an assertion.
///
/// Assertions report through [`Failure`](crate::Failure) instead: an `Error`
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
/// assert!(err.to_string().contains("mailtest::capture()"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An ambient send found no outbox bound on the sending thread and no
    /// [`unique_address`](crate::Outbox::unique_address) route for any
    /// recipient. The message was refused, not dropped: the sender sees this
    /// error.
    NoOutbox {
        /// The thread that tried to send, by name (or id when unnamed).
        thread: String,
        /// The envelope recipients of the refused message.
        recipients: Vec<String>,
    },
    /// An [`SmtpSink`](crate::SmtpSink) could not start: a setting is out of
    /// range, or the address cannot be bound. Nothing was started.
    ///
    /// ```
    /// let err = mailtest::SmtpSink::builder().max_recipients(0).start().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "mailtest: the SMTP sink cannot use `max_recipients`: 0 would refuse every recipient",
    /// );
    /// ```
    #[cfg(feature = "sink")]
    Sink {
        /// What the sink was doing, e.g. "listen on 127.0.0.1:25".
        action: String,
        /// Why it failed, e.g. the operating system's error.
        cause: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoOutbox { thread, recipients } => {
                let to =
                    if recipients.is_empty() { "no recipients".to_owned() } else { recipients.join(", ") };
                write!(
                    f,
                    "mailtest: no outbox to capture a message for {to} (sent on thread {thread}).\n\
                     Nothing is bound on this thread and no recipient is a routed address. Either:\n  \
                     - call `let mail = mailtest::capture();` in the test before sending;\n  \
                     - give the code an explicit transport: `outbox.transport()`;\n  \
                     - propagate the capture to other threads and tasks: `outbox.scope(fut)`, \
                     `fut.with_outbox(&outbox)`, `outbox.spawn(..)` or `outbox.in_scope(..)`;\n  \
                     - for work no test owns (a server, a worker pool), send to \
                     `outbox.unique_address(\"name\")`."
                )
            }
            #[cfg(feature = "sink")]
            Error::Sink { action, cause } => write!(f, "mailtest: the SMTP sink cannot {action}: {cause}"),
        }
    }
}

impl std::error::Error for Error {}

/// Names the current thread for error messages.
pub(crate) fn thread_label() -> String {
    let thread = std::thread::current();
    match thread.name() {
        Some(name) => format!("'{name}'"),
        None => format!("{:?}", thread.id()),
    }
}
