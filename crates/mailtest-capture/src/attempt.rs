//! One attempt to deliver a message, as the delivery decision hands it to
//! the store that claimed it: the store keeps the attempt log.

use std::fmt;
use std::time::SystemTime;

use crate::captured::Captured;
use crate::fault::{Answer, Injected, Reply, Stage, Verdict};

/// One attempt: the message (as far as the exchange got: a sink knows no
/// content before `DATA`), when, and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The message, with the recipients it was stored for when it was.
    pub mail: Captured,
    /// When it ended.
    pub at: SystemTime,
    /// How.
    pub outcome: Outcome,
}

impl Attempt {
    /// An attempt that ended now.
    ///
    /// ```
    /// use mailtest_capture::{Attempt, Captured, Outcome};
    /// let attempt = Attempt::new(Captured::new(None, vec!["ann@example.com".into()], Vec::new()), Outcome::Delivered);
    /// assert!(attempt.outcome.stored());
    /// ```
    pub fn new(mail: Captured, outcome: Outcome) -> Attempt {
        Attempt { mail, at: SystemTime::now(), outcome }
    }
}

/// How an attempt ended.
///
/// ```
/// use mailtest_capture::{Outcome, Reply, Stage};
///
/// let refused = Outcome::Refused { stage: Stage::Rcpt, reply: Reply::new(450, "4.2.0 greylisted"), recipient: Some("ann@example.com".into()) };
/// assert_eq!(refused.to_string(), "refused at RCPT for ann@example.com: 450 4.2.0 greylisted");
/// assert!(!refused.stored());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Stored, and the client saw the `250`.
    Delivered,
    /// Stored, but the connection closed instead of the `250`: the client
    /// cannot know, and may send it again.
    ReplyLost,
    /// A negative reply.
    Refused {
        /// Where.
        stage: Stage,
        /// The reply.
        reply: Reply,
        /// The recipient refused, at `RCPT`.
        recipient: Option<String>,
    },
    /// No answer: the client timed out.
    TimedOut {
        /// Where the server fell silent.
        stage: Stage,
    },
    /// The connection closed without a reply.
    Disconnected {
        /// Where.
        stage: Stage,
    },
}

impl Outcome {
    /// Whether the message was stored.
    ///
    /// ```
    /// assert!(mailtest_capture::Outcome::ReplyLost.stored());
    /// ```
    pub fn stored(&self) -> bool {
        matches!(self, Outcome::Delivered | Outcome::ReplyLost)
    }

    /// The outcome of what a fault answered.
    ///
    /// ```
    /// use mailtest_capture::{Answer, Injected, Outcome, Stage};
    /// # let injected = mailtest_capture::ArmedPlan::new(mailtest_capture::FaultPlan::new().fault(mailtest_capture::Fault::disconnect(Stage::Mail))).unwrap().answer(Stage::Mail, Default::default()).unwrap();
    /// assert_eq!(Outcome::of(&injected), Outcome::Disconnected { stage: Stage::Mail });
    /// ```
    pub fn of(injected: &Injected) -> Outcome {
        let stage = injected.stage;
        match &injected.answer {
            Answer::Reply(reply) => {
                Outcome::Refused { stage, reply: reply.clone(), recipient: injected.recipient.clone() }
            }
            Answer::Silence => Outcome::TimedOut { stage },
            Answer::Disconnect => Outcome::Disconnected { stage },
            Answer::ReplyLost => Outcome::ReplyLost,
        }
    }

    /// The outcome of a played send.
    pub(crate) fn of_verdict(verdict: &Verdict) -> Outcome {
        match verdict {
            Verdict::Accepted { .. } => Outcome::Delivered,
            Verdict::Failed(injected) | Verdict::ReplyLost(injected) => Outcome::of(injected),
            Verdict::AllRefused(refused) => match refused.first() {
                Some((recipient, reply)) => Outcome::Refused {
                    stage: Stage::Rcpt,
                    reply: reply.clone(),
                    recipient: Some(recipient.clone()),
                },
                None => Outcome::Delivered,
            },
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Delivered => f.write_str("delivered"),
            Outcome::ReplyLost => {
                f.write_str("delivered, but the 250 was lost (the client saw the connection drop)")
            }
            Outcome::Refused { stage, reply, recipient: Some(recipient) } => {
                write!(f, "refused at {stage} for {recipient}: {reply}")
            }
            Outcome::Refused { stage, reply, recipient: None } => write!(f, "refused at {stage}: {reply}"),
            Outcome::TimedOut { stage } => write!(f, "no answer at {stage} (the client timed out)"),
            Outcome::Disconnected { stage } => write!(f, "connection dropped at {stage}, no reply"),
        }
    }
}
