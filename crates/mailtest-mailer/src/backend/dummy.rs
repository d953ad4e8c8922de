//! The dummy backend: Django's `dummy.EmailBackend`.

use lettre::Message;
use lettre::address::Envelope;

use super::EmailBackend;
use crate::error::Error;

/// Accepts every message and discards it (`EMAIL_BACKEND=dummy`): for
/// environments that must not send and need not look.
///
/// ```
/// use mailtest::{DummyBackend, EmailBackend};
///
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// assert_eq!(DummyBackend.send_messages(&[message.clone(), message]).unwrap(), 2);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct DummyBackend;

impl EmailBackend for DummyBackend {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        Ok(messages.len())
    }

    fn send_raw(&self, _envelope: &Envelope, _raw: &[u8]) -> Result<(), Error> {
        Ok(())
    }
}
