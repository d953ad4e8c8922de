//! The backends and the mailers that drive them.

#[cfg(feature = "tokio")]
mod async_mailer;
mod console;
mod core;
mod dummy;
mod email_url;
mod file;
mod header_scan;
pub(crate) mod local_date;
mod mailer;
mod mbox;
mod memory;
mod named;
mod options;
mod permit;
mod plan;
mod prepare;
mod read;
mod registry;
pub(crate) mod settings;
#[cfg(feature = "smtp")]
mod smtp;
pub(crate) mod timestamp;

use lettre::Message;
use lettre::address::Envelope;

use crate::error::Error;

pub(crate) use crate::capture::envelope_strings;
pub use crate::delivery::{Delivery, RefusedRecipient};
#[cfg(feature = "tokio")]
pub use async_mailer::{AsyncEmailBackend, AsyncMailer, Blocking};
pub use console::ConsoleBackend;
pub use dummy::DummyBackend;
pub use file::FileBackend;
pub use mailer::Mailer;
pub use memory::MemoryBackend;
pub use permit::Permit;
pub use read::read_mail;
#[cfg(feature = "tokio")]
pub use registry::register_async_backend;
pub use registry::register_backend;
pub use settings::{BackendKind, Settings};
#[cfg(all(feature = "smtp", feature = "tokio"))]
pub use smtp::AsyncSmtpBackend;
#[cfg(feature = "smtp")]
pub use smtp::SmtpBackend;

/// Where a [`Mailer`] sends: implement it for a backend of your own.
///
/// Only [`send_messages`](EmailBackend::send_messages) is required. A backend
/// with a session (a connection, an open file) also implements
/// [`open`](EmailBackend::open) and [`close`](EmailBackend::close); the
/// `Mailer` calls `close` when its last clone drops. A backend that can send
/// bytes it did not build (what `lettre::Transport::send_raw` hands over)
/// implements [`send_raw`](EmailBackend::send_raw).
///
/// A [`Mailer`] calls the `_with` methods ([`deliver_with`](EmailBackend::deliver_with),
/// [`send_raw_with`](EmailBackend::send_raw_with), [`open_with`](EmailBackend::open_with)),
/// handing over a [`Permit`]; by default they call the methods without it.
/// A backend that opens its own network connection implements them and
/// asks the permit before it connects ([`Permit::reach`]), so that in a
/// test process it is refused as mailtest's SMTP backend is.
///
/// ```
/// use std::sync::Mutex;
/// use mailtest::{EmailBackend, Error, Mailer};
///
/// /// Keeps the subjects, for a status page.
/// #[derive(Default)]
/// struct Subjects(Mutex<Vec<String>>);
///
/// impl EmailBackend for Subjects {
///     fn send_messages(&self, messages: &[lettre::Message]) -> Result<usize, Error> {
///         let mut subjects = self.0.lock().unwrap();
///         for message in messages {
///             let subject = message.headers().get_raw("Subject").unwrap_or_default();
///             subjects.push(subject.to_owned());
///         }
///         Ok(messages.len())
///     }
/// }
///
/// let mailer = Mailer::new(Subjects::default());
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Weekly report")
///     .body(String::from("..."))
///     .unwrap();
/// assert_eq!(mailer.send_messages(&[message]).unwrap(), 1);
/// ```
pub trait EmailBackend: Send + Sync {
    /// Sends `messages` in order and returns how many were sent. Stops at
    /// the first failure with its error (the messages before it were sent).
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error>;

    /// [`send_messages`](EmailBackend::send_messages), reporting the
    /// recipients a server refused while it took the message for the others
    /// (see [`Delivery`]). The default reports none: implement it when the
    /// backend can tell.
    fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        self.send_messages(messages).map(Delivery::new)
    }

    /// Sends one message given as bytes with its envelope. The default
    /// refuses: implement it when the backend can send bytes it did not
    /// build.
    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        let _ = (envelope, raw);
        Err(Error::backend(
            std::any::type_name::<Self>(),
            "this backend sends only lettre Messages (send_messages), not raw bytes",
        ))
    }

    /// Starts a session (opens a connection, a file) ahead of the first
    /// send, so that a failure shows early. The default does nothing.
    fn open(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Ends the session. Called by [`Mailer::close`] and when the last
    /// clone of the `Mailer` drops (an error is then ignored). The default
    /// does nothing.
    fn close(&self) -> Result<(), Error> {
        Ok(())
    }

    /// [`deliver`](EmailBackend::deliver), with what the mailer allows (see
    /// [`Permit`]): what a [`Mailer`] calls. The default ignores the permit.
    fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        let _ = permit;
        self.deliver(messages)
    }

    /// [`send_raw`](EmailBackend::send_raw), with what the mailer allows.
    /// The default ignores the permit.
    fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
        let _ = permit;
        self.send_raw(envelope, raw)
    }

    /// [`open`](EmailBackend::open), with what the mailer allows. The
    /// default ignores the permit.
    fn open_with(&self, permit: Permit) -> Result<(), Error> {
        let _ = permit;
        self.open()
    }
}

/// A backend in a box is a backend: what a [registered](crate::register_backend)
/// backend is made as.
impl<B: EmailBackend + ?Sized> EmailBackend for Box<B> {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        (**self).send_messages(messages)
    }

    fn deliver(&self, messages: &[Message]) -> Result<Delivery, Error> {
        (**self).deliver(messages)
    }

    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        (**self).send_raw(envelope, raw)
    }

    fn open(&self) -> Result<(), Error> {
        (**self).open()
    }

    fn close(&self) -> Result<(), Error> {
        (**self).close()
    }

    fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        (**self).deliver_with(messages, permit)
    }

    fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
        (**self).send_raw_with(envelope, raw, permit)
    }

    fn open_with(&self, permit: Permit) -> Result<(), Error> {
        (**self).open_with(permit)
    }
}

/// `send_messages` for a backend whose real work is `send_raw`: each message
/// formatted as Django formats it (domains in ASCII, see `crate::idna`) and
/// sent in order, stopping at the first failure.
pub(crate) fn send_each(backend: &impl EmailBackend, messages: &[Message]) -> Result<usize, Error> {
    for message in messages {
        backend.send_raw(message.envelope(), &crate::idna::formatted(message))?;
    }
    Ok(messages.len())
}
