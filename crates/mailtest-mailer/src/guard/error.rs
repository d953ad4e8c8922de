//! What a [`Guarded`](super::Guarded) transport returns: the inner
//! transport's reply or error, or mailtest's answer.

use std::fmt;

use crate::error::Error;

/// What a guarded send did.
///
/// ```
/// use lettre::Transport;
///
/// let transport = mailtest::guard(lettre::transport::stub::StubTransport::new_ok());
/// let mail = mailtest::capture();
/// let message = lettre::Message::builder()
///     .from("shop@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// let sent = transport.send(&message).unwrap();
/// assert_eq!(sent, mailtest::Sent::Captured);
/// assert_eq!(sent.delivered(), None);
/// # mail.assert_count(1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent<T> {
    /// The inner transport delivered it, with its reply (an SMTP response,
    /// a file transport's id, ...).
    Delivered(T),
    /// A test's capture took it; the inner transport never saw it.
    Captured,
}

impl<T> Sent<T> {
    /// The inner transport's reply, when it delivered the message.
    pub fn delivered(&self) -> Option<&T> {
        match self {
            Sent::Delivered(reply) => Some(reply),
            Sent::Captured => None,
        }
    }

    /// Whether a test's capture took the message.
    pub fn is_captured(&self) -> bool {
        matches!(self, Sent::Captured)
    }
}

/// Why a guarded send failed: the inner transport's own error, unchanged, or
/// mailtest's refusal of a real send from a test.
///
/// An application that names lettre's error type names this one instead
/// (`GuardError<lettre::transport::smtp::Error>`), and matches on the inner
/// error as before through [`GuardError::Transport`]. `Display` and
/// `source` are the inner error's own for `Transport`.
///
/// ```
/// use lettre::Transport;
/// use mailtest::GuardError;
///
/// let transport = mailtest::guard(lettre::transport::stub::StubTransport::new_error());
/// let message = lettre::Message::builder()
///     .from("shop@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// match transport.send(&message) {
///     Err(GuardError::Transport(err)) => println!("the relay failed: {err}"),
///     Err(GuardError::Refused(err)) => println!("a test refused a real send: {err}"),
///     Ok(_) => {}
/// }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum GuardError<E> {
    /// The inner transport's error, as it returned it.
    Transport(E),
    /// A test process refused the send: nothing captured it
    /// ([`Error::NoOutbox`], whose alternate form `{:#}` says how to
    /// capture it). Or the capture's fault plan answered instead of
    /// storing it: an [`Error::Smtp`], with its reply code
    /// ([`Error::is_temporary`], [`Error::outcome_unknown`]).
    Refused(Error),
}

impl<E> GuardError<E> {
    /// The inner transport's error, if that is what failed.
    pub fn transport(&self) -> Option<&E> {
        match self {
            GuardError::Transport(err) => Some(err),
            GuardError::Refused(_) => None,
        }
    }

    /// mailtest's refusal, if that is what failed.
    pub fn refusal(&self) -> Option<&Error> {
        match self {
            GuardError::Refused(err) => Some(err),
            GuardError::Transport(_) => None,
        }
    }
}

/// So that `?` on the inner transport's own calls (its builder's
/// `from_url`, say) works in a function that returns a `GuardError`.
///
/// ```
/// use lettre::transport::stub::StubTransport;
/// use mailtest::{GuardError, Guarded, guard};
///
/// /// Stands for the app's own fallible construction (`SmtpTransport::from_url(url)?`).
/// fn connect(url: &str) -> Result<StubTransport, std::io::Error> {
///     if url.is_empty() { Err(std::io::Error::other("no URL")) } else { Ok(StubTransport::new_ok()) }
/// }
///
/// fn mailer(url: &str) -> Result<Guarded<StubTransport>, GuardError<std::io::Error>> {
///     Ok(guard(connect(url)?))
/// }
/// assert!(mailer("smtp://smtp.example.com").is_ok());
/// assert!(matches!(mailer(""), Err(GuardError::Transport(_))));
/// ```
impl<E> From<E> for GuardError<E> {
    fn from(err: E) -> GuardError<E> {
        GuardError::Transport(err)
    }
}

impl<E: fmt::Display> fmt::Display for GuardError<E> {
    /// The inner error's text, or the refusal's (`{:#}` keeps its fixes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GuardError::Transport(err) => fmt::Display::fmt(err, f),
            GuardError::Refused(err) => fmt::Display::fmt(err, f),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for GuardError<E> {
    /// The inner error's `Debug`, or the refusal's (what `.unwrap()` shows:
    /// what happened and how to capture it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GuardError::Transport(err) => f.debug_tuple("Transport").field(err).finish(),
            GuardError::Refused(err) => fmt::Debug::fmt(err, f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for GuardError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GuardError::Transport(err) => err.source(),
            GuardError::Refused(err) => err.source(),
        }
    }
}
