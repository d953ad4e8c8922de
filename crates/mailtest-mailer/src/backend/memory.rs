//! The in-memory backend: Django's `locmem.EmailBackend`.

use lettre::Message;
use lettre::address::Envelope;

use super::{Delivery, EmailBackend, Permit};
use crate::capture::deliver_ambient;
use crate::error::Error;

/// Delivers into the outbox bound on the sending thread, else into the
/// outboxes that [routed](https://docs.rs/mailtest/latest/mailtest/struct.Outbox.html#method.unique_address) a recipient
/// (`EMAIL_BACKEND=memory` or `locmem`).
///
/// Django's locmem backend appends to a global `mail.outbox`; here each test
/// owns its outbox, so parallel tests never see each other's mail. With
/// nowhere to deliver, the send fails with [`Error::NoOutbox`] — a message is
/// never dropped silently.
///
/// ```
/// use mailtest::{EmailBackend, MemoryBackend};
///
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// // Nothing bound: refused, not dropped.
/// assert!(MemoryBackend.send_messages(&[message.clone()]).is_err());
///
/// let mail = mailtest::capture();
/// MemoryBackend.send_messages(&[message]).unwrap();
/// mail.assert_count(1);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoryBackend;

impl EmailBackend for MemoryBackend {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        self.deliver_with(messages, Permit::default()).map(|delivery| delivery.sent())
    }

    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        self.send_raw_with(envelope, raw, Permit::default())
    }

    /// Each message formatted as Django formats it (domains in ASCII), in
    /// order, stopping at the first refusal.
    fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        for message in messages {
            self.send_raw_with(message.envelope(), &crate::idna::formatted(message), permit)?;
        }
        Ok(Delivery::new(messages.len()))
    }

    /// Into the capture that claims it, else refused; from an `AsyncMailer`
    /// the refusal names the async fixes.
    fn send_raw_with(&self, envelope: &Envelope, raw: &[u8], permit: Permit) -> Result<(), Error> {
        deliver_ambient(envelope, raw, permit.is_async())
    }
}
