//! A fault plan as a test writes it: which faults, where, and when.

use std::fmt;

use super::reply::{Reply, Stage};

/// What a fault does in place of the server's answer.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Effect {
    /// Answers with this reply.
    Reply(Reply),
    /// Says nothing: the client's own timeout ends the wait.
    Silence,
    /// Closes the connection without a reply.
    Disconnect,
    /// Stores the message, then closes the connection instead of the 250.
    ReplyLost,
    /// `450 4.2.0` to the first `RCPT` of each sender and recipient pair;
    /// later tries pass.
    Greylist,
    /// `421 4.7.0` at `MAIL` once this many messages were accepted.
    RateLimit(u64),
}

/// One fault of a [`FaultPlan`]: what it does, at which [`Stage`], and
/// which sends it hits — every one by default, or the next few
/// ([`times`](Fault::times)), one ([`nth`](Fault::nth)), those to one
/// recipient ([`to`](Fault::to)), or each with a probability drawn from
/// the plan's seeded generator ([`probability`](Fault::probability)).
///
/// ```
/// use mailtest_capture::{Fault, Stage};
///
/// let _ = Fault::reply(Stage::Rcpt, 550, "5.1.1 no such user").to("gone@example.com");
/// let _ = Fault::reply(Stage::EndOfData, 451, "4.3.0 try again later").times(2);
/// let _ = Fault::timeout(Stage::Data).nth(3);
/// let _ = Fault::disconnect(Stage::Mail).probability(0.1);
/// let _ = Fault::reply_lost().times(1);
/// let _ = Fault::greylist();
/// let _ = Fault::rate_limit(100);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use = "a fault does nothing until a plan holds it: `FaultPlan::new().fault(..)`"]
pub struct Fault {
    pub(crate) stage: Stage,
    pub(crate) effect: Effect,
    pub(crate) to: Option<String>,
    /// Arrivals passed over before the first hit (`nth`).
    pub(crate) skip: u64,
    /// How many hits at most.
    pub(crate) times: Option<u64>,
    pub(crate) probability: Option<f64>,
}

impl Fault {
    fn new(stage: Stage, effect: Effect) -> Fault {
        Fault { stage, effect, to: None, skip: 0, times: None, probability: None }
    }

    /// Answers `code` and `text` at `stage` instead of the server: a 4xx is
    /// a temporary failure, a 5xx a permanent one. At [`Stage::Rcpt`] the
    /// reply refuses one recipient (each one, unless [`to`](Fault::to)
    /// names one); the greeting's reply ends the session.
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::reply(mailtest_capture::Stage::Mail, 452, "4.3.1 insufficient system storage");
    /// ```
    pub fn reply(stage: Stage, code: u16, text: impl Into<String>) -> Fault {
        Fault::new(stage, Effect::Reply(Reply::new(code, text)))
    }

    /// Says nothing at `stage`: the client waits until its own timeout.
    /// A sink stays silent until the client hangs up (or its idle timeout);
    /// a capture answers at once with the error the mailer's timeout
    /// gives, so a test does not wait for a timeout it asked for.
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::timeout(mailtest_capture::Stage::Greeting);
    /// ```
    pub fn timeout(stage: Stage) -> Fault {
        Fault::new(stage, Effect::Silence)
    }

    /// Closes the connection at `stage` without a reply. At
    /// [`Stage::EndOfData`] the message is not stored, but the client
    /// cannot tell that from [`reply_lost`](Fault::reply_lost).
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::disconnect(mailtest_capture::Stage::Rcpt);
    /// ```
    pub fn disconnect(stage: Stage) -> Fault {
        Fault::new(stage, Effect::Disconnect)
    }

    /// "Accepted, but the 250 was lost": at the end of data the message is
    /// stored, then the connection closes instead of the `250`. The client
    /// sees a dropped connection, and a client that retries sends it twice.
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::reply_lost().times(1);
    /// ```
    pub fn reply_lost() -> Fault {
        Fault::new(Stage::EndOfData, Effect::ReplyLost)
    }

    /// Greylisting: the first `RCPT` of each pair of envelope sender and
    /// recipient gets `450 4.2.0 greylisted, try again later`; later tries
    /// of the pair pass.
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::greylist();
    /// ```
    pub fn greylist() -> Fault {
        Fault::new(Stage::Rcpt, Effect::Greylist)
    }

    /// A rate limit: once `messages` messages were accepted, each `MAIL`
    /// gets `421 4.7.0 rate limit exceeded` (and the connection closes,
    /// as after any 421).
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::rate_limit(2);
    /// ```
    pub fn rate_limit(messages: u64) -> Fault {
        Fault::new(Stage::Mail, Effect::RateLimit(messages))
    }

    /// Only for `address` (compared case-insensitively): at
    /// [`Stage::Rcpt`] its own `RCPT`, at a later stage a message that has
    /// it among its recipients. Only stages from `RCPT` on know the
    /// recipients; the plan's check refuses it elsewhere.
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::greylist().to("ann@example.com");
    /// ```
    pub fn to(self, address: impl Into<String>) -> Fault {
        Fault { to: Some(address.into()), ..self }
    }

    /// Only the next `n` times the fault is reached (counted across every
    /// connection, in order), then never again.
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::reply(mailtest_capture::Stage::EndOfData, 451, "4.3.0 later").times(2);
    /// ```
    pub fn times(self, n: u64) -> Fault {
        Fault { times: Some(n), ..self }
    }

    /// Only the `n`th time (from 1) the fault is reached, counted across
    /// every connection.
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::disconnect(mailtest_capture::Stage::Data).nth(2);
    /// ```
    pub fn nth(self, n: u64) -> Fault {
        match n.checked_sub(1) {
            Some(skip) => Fault { skip, times: Some(1), ..self },
            // Never reached: kept for the plan's check to name it.
            None => Fault { skip: u64::MAX, times: Some(0), ..self },
        }
    }

    /// Each time it is reached, hits with probability `p` (0 to 1), drawn
    /// from the plan's generator ([`FaultPlan::seed`]): the same sends meet
    /// the same faults in every run.
    ///
    /// ```
    /// let _ = mailtest_capture::Fault::disconnect(mailtest_capture::Stage::Rcpt).probability(0.25);
    /// ```
    pub fn probability(self, p: f64) -> Fault {
        Fault { probability: Some(p), ..self }
    }

    /// What is wrong with this fault, if anything.
    fn problem(&self) -> Option<String> {
        if let Effect::Reply(reply) = &self.effect
            && let Some(problem) = reply.problem()
        {
            return Some(problem);
        }
        if self.to.is_some() && !self.stage.knows_recipients() {
            return Some(format!(
                "`.to(..)` needs a stage that knows the recipients (RCPT or later), not {}",
                self.stage
            ));
        }
        if self.skip == u64::MAX {
            return Some("`nth(0)`: arrivals are counted from 1, not 0".to_owned());
        }
        if self.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
            return Some(format!(
                "probability {} is not between 0 and 1",
                self.probability.unwrap_or_default()
            ));
        }
        None
    }
}

impl fmt::Display for Fault {
    /// The fault in words, as errors and reports name it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.effect {
            Effect::Reply(reply) => write!(f, "reply {reply} at {}", self.stage)?,
            Effect::Silence => write!(f, "timeout at {}", self.stage)?,
            Effect::Disconnect => write!(f, "disconnect at {}", self.stage)?,
            Effect::ReplyLost => f.write_str("reply lost after the end of data")?,
            Effect::Greylist => f.write_str("greylist")?,
            Effect::RateLimit(n) => write!(f, "rate limit after {n} messages")?,
        }
        if let Some(to) = &self.to {
            write!(f, " for {to}")?;
        }
        Ok(())
    }
}

/// Faults on demand: a list of [`Fault`]s that a test attaches to a
/// capture (`outbox.faults(plan)`), a mailer (`mailer.faults(plan)`) or an
/// SMTP sink (`SmtpSink::builder().faults(plan)`) — the same plan, in the
/// same words, everywhere.
///
/// At each stage the faults placed there are asked in order, and the first
/// that hits answers; the ones after it are not asked (and do not count
/// that arrival). Deterministic: counts are kept across every connection
/// in order, and probabilities come from one SplitMix64 generator seeded
/// with [`seed`](FaultPlan::seed) (0 unless set), so the same sends meet
/// the same faults in every run.
///
/// ```
/// use mailtest_capture::{Fault, FaultPlan, Stage};
///
/// let plan = FaultPlan::new()
///     .seed(42)
///     .fault(Fault::greylist())
///     .fault(Fault::reply(Stage::Rcpt, 550, "5.1.1 no such user").to("gone@example.com"))
///     .fault(Fault::disconnect(Stage::Data).probability(0.1));
/// assert!(plan.check().is_ok());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use = "a plan does nothing until it is attached to a capture, a mailer or a sink"]
pub struct FaultPlan {
    pub(crate) faults: Vec<Fault>,
    pub(crate) seed: u64,
}

impl FaultPlan {
    /// A plan without faults.
    ///
    /// ```
    /// assert!(mailtest_capture::FaultPlan::new().is_empty());
    /// ```
    pub fn new() -> FaultPlan {
        FaultPlan::default()
    }

    /// Adds a fault, asked after those added before.
    ///
    /// ```
    /// let plan = mailtest_capture::FaultPlan::new().fault(mailtest_capture::Fault::greylist());
    /// assert!(!plan.is_empty());
    /// ```
    pub fn fault(mut self, fault: Fault) -> FaultPlan {
        self.faults.push(fault);
        self
    }

    /// Seeds the generator of [`Fault::probability`].
    ///
    /// ```
    /// let _ = mailtest_capture::FaultPlan::new().seed(7);
    /// ```
    pub fn seed(self, seed: u64) -> FaultPlan {
        FaultPlan { seed, ..self }
    }

    /// The seed of [`Fault::probability`]'s generator.
    ///
    /// ```
    /// assert_eq!(mailtest_capture::FaultPlan::new().seed(7).seed_value(), 7);
    /// ```
    pub fn seed_value(&self) -> u64 {
        self.seed
    }

    /// The faults, in the order they are asked.
    ///
    /// ```
    /// let plan = mailtest_capture::FaultPlan::new().fault(mailtest_capture::Fault::greylist());
    /// assert_eq!(plan.into_faults().len(), 1);
    /// ```
    pub fn into_faults(self) -> Vec<Fault> {
        self.faults
    }

    /// Whether the plan has no fault.
    ///
    /// ```
    /// assert!(mailtest_capture::FaultPlan::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.faults.is_empty()
    }

    /// Checks every fault: a reply code outside 400–599 or an enhanced
    /// status of another class, `.to(..)` before the recipients are known,
    /// `.nth(0)`, a probability outside 0–1.
    ///
    /// ```
    /// use mailtest_capture::{Fault, FaultPlan, Stage};
    ///
    /// let err = FaultPlan::new().fault(Fault::reply(Stage::Mail, 250, "OK")).check().unwrap_err();
    /// assert_eq!(err.to_string(), "fault 1 of the plan (reply 250 OK at MAIL): reply code 250 is not a failure: use 400-599");
    /// ```
    pub fn check(&self) -> Result<(), PlanError> {
        for (at, fault) in self.faults.iter().enumerate() {
            if let Some(problem) = fault.problem() {
                return Err(PlanError { number: at + 1, fault: fault.to_string(), problem });
            }
        }
        Ok(())
    }
}

/// A fault the plan cannot hold, from [`FaultPlan::check`]: which one, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError {
    number: usize,
    fault: String,
    problem: String,
}

impl PlanError {
    /// What is wrong, without saying which fault.
    ///
    /// ```
    /// use mailtest_capture::{Fault, FaultPlan, Stage};
    /// let err = FaultPlan::new().fault(Fault::timeout(Stage::Mail).nth(0)).check().unwrap_err();
    /// assert_eq!(err.problem(), "`nth(0)`: arrivals are counted from 1, not 0");
    /// ```
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fault {} of the plan ({}): {}", self.number, self.fault, self.problem)
    }
}

impl std::error::Error for PlanError {}
