//! Where a send goes (DESIGN §10): the one decision every path makes —
//! ambient transports (sync and async), `Mailer`, `AsyncMailer`, the memory
//! backend, `send_mail` and its relatives.
//!
//! 1. The outbox bound on the sending thread (or on the future being polled,
//!    through [`Outbox::scope`](crate::Outbox::scope)).
//! 2. The outboxes that [`unique_address`](crate::Outbox::unique_address)
//!    routed, for any recipient.
//! 3. The global capture ([`capture_global`](crate::capture_global)), if one
//!    is alive.
//! 4. Otherwise an ambient transport refuses ([`Error::NoOutbox`]), and a
//!    mailer uses its own backend — whose SMTP backends, in a test process,
//!    refuse to reach anything but an `SmtpSink` of the process
//!    ([`guard`]).
//!
//! A `bypass_capture()` mailer skips all of it and uses its backend.
//!
//! Every refusal is recorded ([`refusals`]), so a failing query can list the
//! sends refused while its outbox was alive.

pub(crate) mod guard;
pub(crate) mod refusals;

use std::borrow::Cow;
use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;

use crate::error::{Error, thread_label};
use crate::outbox::{Outbox, current, global_outbox, routed_outboxes};

use refusals::{Cause, Refusal};

/// Who claims a message: the first of the rules above that applies.
#[derive(Debug)]
pub(crate) enum Claim {
    Unclaimed,
    One(Outbox),
    /// Routed addresses of several tests among the recipients: each gets it.
    Many(Vec<Outbox>),
}

/// Finds who claims a message for `recipients`, without capturing it yet
/// (so a mailer formats the message only when it is captured).
pub(crate) fn claim(recipients: &[String]) -> Claim {
    if let Some(outbox) = current() {
        return Claim::One(outbox);
    }
    let mut routed = routed_outboxes(recipients);
    match routed.len() {
        0 => global_outbox().map_or(Claim::Unclaimed, Claim::One),
        1 => Claim::One(routed.remove(0)),
        _ => Claim::Many(routed),
    }
}

impl Claim {
    pub(crate) fn is_claimed(&self) -> bool {
        !matches!(self, Claim::Unclaimed)
    }

    /// Captures the message into every claiming outbox; `false` when none
    /// claimed it (nothing was captured).
    pub(crate) fn capture(
        self,
        envelope_from: Option<String>,
        envelope_to: Vec<String>,
        raw: Vec<u8>,
        sent_using: Option<&Arc<str>>,
    ) -> bool {
        match self {
            Claim::Unclaimed => false,
            Claim::One(outbox) => {
                outbox.push_sent_using(envelope_from, envelope_to, raw, sent_using.cloned());
                true
            }
            Claim::Many(outboxes) => {
                for outbox in outboxes {
                    outbox.push_sent_using(
                        envelope_from.clone(),
                        envelope_to.clone(),
                        raw.clone(),
                        sent_using.cloned(),
                    );
                }
                true
            }
        }
    }
}

/// An ambient send (a capture transport, the memory backend): captured by
/// whoever claims it, else refused — never dropped.
pub(crate) fn deliver_ambient(
    envelope_from: Option<String>,
    envelope_to: Vec<String>,
    raw: &[u8],
    asynchronous: bool,
) -> Result<(), Error> {
    let claim = claim(&envelope_to);
    if !claim.is_claimed() {
        return Err(refuse(envelope_to, Cause::NoOutbox, asynchronous));
    }
    claim.capture(envelope_from, envelope_to, raw.to_vec(), None);
    Ok(())
}

/// Whether an SMTP backend may connect to `host:port` now: `Err(why the
/// process is a test)` when the test-process rule forbids it. Records
/// nothing: [`check_real_smtp`] does, for a send.
#[cfg(feature = "smtp")]
pub(crate) fn real_smtp_allowed(host: &str, port: u16) -> Result<(), String> {
    if guard::bypass_active() || guard::is_local_sink(host, port) {
        return Ok(());
    }
    guard::test_process().map_or(Ok(()), Err)
}

/// The test-process rule, for an SMTP backend about to send to `host:port`:
/// `Ok` outside tests, for a sink of this process, and for a
/// `bypass_capture()` mailer; otherwise the send is refused and recorded.
#[cfg(feature = "smtp")]
pub(crate) fn check_real_smtp(
    host: &str,
    port: u16,
    recipients: &[String],
    asynchronous: bool,
) -> Result<(), Error> {
    real_smtp_allowed(host, port).map_err(|why| {
        refuse(recipients.to_vec(), Cause::RealSmtp { server: server_label(host, port), why }, asynchronous)
    })
}

/// `host:port` as errors and reports name an SMTP server (`[::1]:25` for IPv6).
#[cfg(feature = "smtp")]
pub(crate) fn server_label(host: &str, port: u16) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
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
    claim.is_claimed() && claim.capture(from, to, raw(), sent_using)
}

/// Captures every message of a batch that something claims (in order) and
/// returns how many, with the rest for the mailer's backend and, for each of
/// those, its place in `messages`.
pub(crate) fn capture_claimed<'a>(
    messages: &'a [Message],
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
    (captured, rest.map_or(Cow::Borrowed(messages), Cow::Owned), places)
}

/// The envelope as a mailer's send stores it: domains in ASCII, as the
/// SMTP backend sends them (see `crate::idna`).
pub(crate) fn envelope_strings(envelope: &Envelope) -> (Option<String>, Vec<String>) {
    let text = |address: &lettre::Address| crate::idna::ascii_address_text(address.as_ref()).into_owned();
    (envelope.from().map(text), envelope.to().iter().map(text).collect())
}

/// Records a refusal and makes the error the sender sees.
fn refuse(recipients: Vec<String>, cause: Cause, asynchronous: bool) -> Error {
    let thread = thread_label();
    let (prevented, test_process) = match &cause {
        Cause::NoOutbox => (None, None),
        Cause::RealSmtp { server, why } => (Some(server.clone()), Some(why.clone())),
    };
    refusals::record(Refusal {
        at: std::time::Instant::now(),
        thread: thread.clone(),
        recipients: recipients.clone(),
        cause,
    });
    Error::NoOutbox { thread, recipients, prevented, test_process, asynchronous }
}
