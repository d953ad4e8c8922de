//! The mailer's side of the delivery decision (`mailtest_capture`): lettre's
//! envelopes and messages in, the mailer's [`Error`] out.

use std::borrow::Cow;
use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;
use mailtest_capture::{Captured, Refusal, claim};

use crate::error::Error;

#[cfg(feature = "smtp")]
pub(crate) use mailtest_capture::server_label;

/// An ambient send (the memory backend): captured by whoever claims it, else
/// refused — never dropped.
pub(crate) fn deliver_ambient(envelope: &Envelope, raw: &[u8], asynchronous: bool) -> Result<(), Error> {
    let (from, to) = envelope_strings(envelope);
    mailtest_capture::deliver_ambient(Captured::new(from, to, raw.to_vec()), asynchronous)
        .map_err(Error::from)
}

/// A mailer's send: captured when something claims it (the bytes made only
/// then), else `false`, for the mailer's own backend. `sent_using` is the
/// mailer's name, kept with the captured email.
pub(crate) fn capture_if_claimed(
    envelope: &Envelope,
    sent_using: Option<&Arc<str>>,
    raw: impl FnOnce() -> Vec<u8>,
) -> bool {
    let (from, to) = envelope_strings(envelope);
    let claim = claim(&to);
    claim.is_claimed() && claim.capture(Captured::new(from, to, raw()).sent_using(sent_using.cloned()))
}

/// Captures every message of a batch that something claims (in order) and
/// returns how many, with the rest for the mailer's backend and, for each of
/// those, its place in `messages`.
pub(crate) fn capture_claimed<'a>(
    messages: Cow<'a, [Message]>,
    sent_using: Option<&Arc<str>>,
) -> (usize, Cow<'a, [Message]>, Vec<usize>) {
    let mut captured = 0;
    // Copied only once a message is claimed: usually all or none are.
    let mut rest: Option<Vec<Message>> = None;
    let mut places = Vec::new();
    for (at, message) in messages.iter().enumerate() {
        if capture_if_claimed(message.envelope(), sent_using, || message.formatted()) {
            rest.get_or_insert_with(|| messages[..at].to_vec());
            captured += 1;
        } else {
            places.push(at);
            if let Some(rest) = &mut rest {
                rest.push(message.clone());
            }
        }
    }
    (captured, rest.map_or(messages, Cow::Owned), places)
}

/// The envelope as a mailer's send stores it: domains in ASCII, as the
/// SMTP backend sends them (see `crate::idna`).
pub(crate) fn envelope_strings(envelope: &Envelope) -> (Option<String>, Vec<String>) {
    let text = |address: &lettre::Address| crate::idna::ascii_address_text(address.as_ref()).into_owned();
    (envelope.from().map(text), envelope.to().iter().map(text).collect())
}

impl From<Box<Refusal>> for Error {
    /// The error the sender of a refused message sees.
    fn from(refusal: Box<Refusal>) -> Error {
        Error::NoOutbox {
            prevented: refusal.prevented(),
            test_process: refusal.test_process(),
            thread: refusal.thread,
            recipients: refusal.recipients,
            asynchronous: refusal.asynchronous,
        }
    }
}
