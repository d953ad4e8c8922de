//! Why a sink could not start.

use std::fmt;
use std::sync::Arc;

/// An [`SmtpSink`](crate::SmtpSink) could not start: a setting is out of
/// range, or the address cannot be bound. Nothing was started.
///
/// ```
/// let err = mailtest_sink::SmtpSink::builder().max_recipients(0).start().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "mailtest: the SMTP sink cannot use `max_recipients`: 0 would refuse every recipient",
/// );
/// assert_eq!(err.action(), "use `max_recipients`");
/// ```
#[derive(Clone)]
pub struct Error {
    action: String,
    cause: String,
    source: Option<Arc<std::io::Error>>,
}

impl Error {
    /// A setting the sink cannot use.
    pub(crate) fn setting(setting: &str, cause: String) -> Error {
        Error { action: format!("use `{setting}`"), cause, source: None }
    }

    /// A failure of the operating system while starting, e.g. to listen.
    pub(crate) fn io(action: String, err: std::io::Error) -> Error {
        Error { action, cause: err.to_string(), source: Some(Arc::new(err)) }
    }

    /// What the sink was doing, e.g. "listen on 127.0.0.1:25" or "use `max_recipients`".
    pub fn action(&self) -> &str {
        &self.action
    }

    /// Why it failed, e.g. the operating system's error.
    pub fn cause(&self) -> &str {
        &self.cause
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mailtest: the SMTP sink cannot {}: {}", self.action, self.cause)
    }
}

impl fmt::Debug for Error {
    /// The same text as `Display`: `.unwrap()` on an error shows what went
    /// wrong, not a struct dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {
    /// The operating system's error, when there was one.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|err| err as &(dyn std::error::Error + 'static))
    }
}

impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        self.action == other.action && self.cause == other.cause
    }
}

impl Eq for Error {}
