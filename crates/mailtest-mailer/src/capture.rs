//! The mailer's side of the delivery decision (`mailtest_capture`): lettre's
//! envelopes and messages in, the mailer's [`Error`] out — for a fault a
//! plan injected too, the error the SMTP backend gives for the same answer
//! of a real server (see `crate::fault_error`).

use std::borrow::Cow;
use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;
use mailtest_capture::{ArmedPlan, Captured, Client, Refusal, Verdict, claim};

use crate::delivery::Delivery;
use crate::error::Error;

#[cfg(feature = "smtp")]
pub(crate) use mailtest_capture::server_label;

/// An ambient send (the memory backend): delivered to whoever claims it,
/// else refused — never dropped.
pub(crate) fn deliver_ambient(envelope: &Envelope, raw: &[u8], asynchronous: bool) -> Result<(), Error> {
    let (from, to) = envelope_strings(envelope);
    let verdict = mailtest_capture::deliver_ambient(
        Captured::new(from, to, raw.to_vec()),
        Client::Mailer,
        asynchronous,
    )?;
    crate::fault_error::delivery(0, verdict).map(drop)
}

/// A mailer's send: delivered when something claims it (the bytes made
/// only then) — its fault plan, or the mailer's `faults`, answering — else
/// `None`, for the mailer's own backend. `sent_using` is the mailer's name,
/// kept with the captured email; `at` its place in the batch.
pub(crate) fn capture_if_claimed(
    envelope: &Envelope,
    policy: &Capturing<'_>,
    at: usize,
    raw: impl FnOnce() -> Vec<u8>,
) -> Option<Result<Delivery, Error>> {
    let (from, to) = envelope_strings(envelope);
    let claim = claim(&to);
    if !claim.is_claimed() {
        return None;
    }
    let mail = Captured::new(from, to, raw()).sent_using(policy.sent_using.cloned());
    let verdict = claim.deliver(mail, Client::Mailer, policy.faults).unwrap_or(Verdict::ACCEPTED);
    Some(crate::fault_error::delivery(at, verdict))
}

/// What capturing a mailer's sends needs to know of the mailer.
#[derive(Clone, Copy)]
pub(crate) struct Capturing<'a> {
    pub(crate) sent_using: Option<&'a Arc<str>>,
    pub(crate) faults: Option<&'a Arc<ArmedPlan>>,
    pub(crate) fail_silently: bool,
}

/// What [`capture_claimed`] left for the mailer's backend.
pub(crate) struct Rest<'a> {
    /// What the captures took (messages and refused recipients).
    pub(crate) delivery: Delivery,
    /// The messages nothing claimed, for the backend.
    pub(crate) messages: Cow<'a, [Message]>,
    /// For each of those, its place in the batch as given.
    pub(crate) places: Vec<usize>,
}

/// Delivers every message of a batch that something claims (in order) and
/// returns what the captures took, with the rest for the mailer's backend.
/// A fault stops the batch with its error, unless the mailer fails
/// silently: then that message counts as not sent.
pub(crate) fn capture_claimed<'a>(
    messages: Cow<'a, [Message]>,
    policy: &Capturing<'_>,
) -> Result<Rest<'a>, Error> {
    let mut delivery = Delivery::default();
    // Copied only once a message is claimed: usually all or none are.
    let mut rest: Option<Vec<Message>> = None;
    let mut places = Vec::new();
    for (at, message) in messages.iter().enumerate() {
        match capture_if_claimed(message.envelope(), policy, at, || message.formatted()) {
            Some(result) => {
                rest.get_or_insert_with(|| messages[..at].to_vec());
                match result {
                    Ok(part) => delivery.absorb(part, 0),
                    Err(_) if policy.fail_silently => {}
                    Err(err) => return Err(err),
                }
            }
            None => {
                places.push(at);
                if let Some(rest) = &mut rest {
                    rest.push(message.clone());
                }
            }
        }
    }
    Ok(Rest { delivery, messages: rest.map_or(messages, Cow::Owned), places })
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
