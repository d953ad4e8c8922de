//! A send into a capture whose plan has faults: the exchange an SMTP
//! client would have with a server that answers by the plan, played out
//! in memory, stage by stage, with no network and no waiting.

use super::armed::{Answer, ArmedPlan, Injected, Point};
use super::reply::{Reply, Stage};

/// How the sending client treats a refused recipient — the one place
/// where clients differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Client {
    /// lettre's transports (and so mailtest's capture transports, which
    /// stand in for them): the first refused `RCPT` fails the whole send,
    /// later recipients are not tried.
    Lettre,
    /// mailtest's `Mailer` and `AsyncMailer` (as Django's `smtplib`): the
    /// message goes to the accepted recipients, the refused ones are
    /// reported; only a message whose every recipient is refused fails.
    Mailer,
}

/// What the exchange came to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Stored, for every recipient but the `refused` ones (a
    /// [`Client::Mailer`] goes on past them).
    Accepted {
        /// The recipients refused on the way, with the replies.
        refused: Vec<(String, Reply)>,
    },
    /// Nothing was stored: a fault answered.
    Failed(Injected),
    /// Nothing was stored: every recipient was refused (a
    /// [`Client::Mailer`]; the first reply is the error's).
    AllRefused(Vec<(String, Reply)>),
    /// Stored, then the connection closed instead of the 250: the client
    /// saw a dropped connection.
    ReplyLost(Injected),
}

impl Verdict {
    /// The plain verdict of a send that met no fault.
    pub const ACCEPTED: Verdict = Verdict::Accepted { refused: Vec::new() };

    /// Whether the message was stored.
    ///
    /// ```
    /// assert!(mailtest_capture::Verdict::ACCEPTED.stored());
    /// ```
    pub fn stored(&self) -> bool {
        matches!(self, Verdict::Accepted { .. } | Verdict::ReplyLost(_))
    }
}

impl ArmedPlan {
    /// Plays a send from `from` to `recipients` against the plan: every
    /// stage in order, `RCPT` once per recipient; the recipients that
    /// would be stored come back in `stored_to`.
    ///
    /// ```
    /// use mailtest_capture::{ArmedPlan, Client, Fault, FaultPlan, Stage, Verdict};
    ///
    /// let plan = ArmedPlan::new(FaultPlan::new().fault(Fault::reply(Stage::Rcpt, 550, "5.1.1 no such user").to("gone@example.com"))).unwrap();
    /// let to = vec!["ann@example.com".to_owned(), "gone@example.com".to_owned()];
    ///
    /// let (verdict, stored) = plan.play(None, &to, Client::Mailer);
    /// assert!(matches!(&verdict, Verdict::Accepted { refused } if refused.len() == 1));
    /// assert_eq!(stored, ["ann@example.com"]);
    ///
    /// let (verdict, _) = plan.play(None, &to, Client::Lettre);
    /// assert!(matches!(verdict, Verdict::Failed(_)));
    /// ```
    pub fn play(&self, from: Option<&str>, recipients: &[String], client: Client) -> (Verdict, Vec<String>) {
        let failed = |injected: Injected| (Verdict::Failed(injected), Vec::new());
        let before = Point { from, ..Point::default() };
        for stage in [Stage::Greeting, Stage::Ehlo, Stage::StartTls, Stage::Auth, Stage::Mail] {
            if let Some(injected) = self.answer(stage, before) {
                return failed(injected);
            }
        }
        let mut accepted = Vec::with_capacity(recipients.len());
        let mut refused = Vec::new();
        for recipient in recipients {
            match self.answer(Stage::Rcpt, Point { recipient: Some(recipient), ..before }) {
                None => accepted.push(recipient.clone()),
                Some(Injected { answer: Answer::Reply(reply), .. })
                    if client == Client::Mailer && reply.code() != 421 =>
                {
                    refused.push((recipient.clone(), reply));
                }
                Some(injected) => return failed(injected),
            }
        }
        if accepted.is_empty() && !refused.is_empty() {
            return (Verdict::AllRefused(refused), Vec::new());
        }
        let after = Point { recipients: &accepted, ..before };
        for stage in [Stage::Data, Stage::EndOfData] {
            match self.answer(stage, after) {
                None => {}
                Some(injected) if injected.answer == Answer::ReplyLost => {
                    self.accepted();
                    return (Verdict::ReplyLost(injected), accepted);
                }
                Some(injected) => return failed(injected),
            }
        }
        self.accepted();
        (Verdict::Accepted { refused }, accepted)
    }
}
