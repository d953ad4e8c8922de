//! The mailer's errors for what a fault plan answered in a capture: the
//! error mailtest's SMTP backend gives when a real server answers the same
//! way, so an application's retry code runs unchanged.
//!
//! | the fault | the error |
//! |---|---|
//! | a 4xx reply | `Error::Smtp { code: Some(4xx) }`, [`is_temporary`](Error::is_temporary) |
//! | a 5xx reply | `Error::Smtp { code: Some(5xx) }`, [`is_permanent`](Error::is_permanent) |
//! | every recipient refused | the first refusal's code, every refusal in the text |
//! | some recipients refused | sent; the refused in [`Delivery::refused`] |
//! | disconnect before the end of data | `code: None`, nothing stored: a retry is safe |
//! | disconnect at the end of data, the 250 lost | `code: None`, [`outcome_unknown`](Error::outcome_unknown) |
//! | timeout | `code: None`, `timed out` in the text |

use mailtest_capture::{Answer, Injected, Reply, Stage, Verdict};

use crate::delivery::{Delivery, RefusedRecipient};
use crate::error::Error;

/// How errors name the "server" of a capture's fault plan.
const SERVER: &str = "capture (fault plan)";

/// Message `at` of a batch as a capture delivered it: counted with its
/// refused recipients, or the error its fault gives.
pub(crate) fn delivery(at: usize, verdict: Verdict) -> Result<Delivery, Error> {
    match verdict {
        Verdict::Accepted { refused } => {
            Ok(refused.into_iter().fold(Delivery::new(1), |delivery, (to, reply)| {
                delivery.with_refused(RefusedRecipient::new(at, to, Some(reply.code()), reply.text()))
            }))
        }
        Verdict::Failed(injected) | Verdict::ReplyLost(injected) => Err(injected_error(&injected)),
        Verdict::AllRefused(refused) => {
            let each: Vec<String> = refused
                .iter()
                .map(|(to, reply)| format!("{to} ({} {})", reply.code(), reply.text()))
                .collect();
            Err(Error::Smtp {
                server: SERVER.to_owned(),
                reply: format!("every recipient was refused, nothing was sent: {}", each.join(", ")),
                code: refused.first().map(|(_, reply)| reply.code()),
                source: None,
                outcome_unknown: false,
            })
        }
        _ => Ok(Delivery::new(1)),
    }
}

/// The error for one fault's answer.
pub(crate) fn injected_error(injected: &Injected) -> Error {
    let (reply, code) = match &injected.answer {
        Answer::Reply(reply) => (lettre_reply(reply), Some(reply.code())),
        Answer::Silence => {
            (format!("timed out: no answer at {} (the fault plan's timeout)", injected.stage), None)
        }
        Answer::Disconnect | Answer::ReplyLost => (INCOMPLETE.to_owned(), None),
        _ => (format!("the fault plan answered at {}", injected.stage), None),
    };
    let outcome_unknown = code.is_none() && injected.stage == Stage::EndOfData;
    Error::Smtp { server: SERVER.to_owned(), reply, code, source: None, outcome_unknown }
}

/// What lettre says of a connection that closed instead of a reply.
pub(crate) const INCOMPLETE: &str = "response error: incomplete response";

/// A negative reply in lettre's words, as the SMTP backend passes them on.
fn lettre_reply(reply: &Reply) -> String {
    let kind = if reply.is_temporary() { "transient" } else { "permanent" };
    format!("{kind} error ({}): {}", reply.code(), reply.text())
}

impl Error {
    /// What a sender sees of a send a capture's fault plan answered
    /// ([`Verdict`]): sent (with any refused recipients), or the error
    /// mailtest's SMTP backend gives for the same answer of a real server.
    /// For transports that deliver into a capture.
    ///
    /// ```
    /// use mailtest_capture::Verdict;
    ///
    /// assert_eq!(mailtest::Error::from_verdict(Verdict::ACCEPTED).unwrap().sent(), 1);
    /// ```
    pub fn from_verdict(verdict: Verdict) -> Result<Delivery, Error> {
        delivery(0, verdict)
    }
}
