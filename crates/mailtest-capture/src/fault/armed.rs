//! A plan at work: its counts, its generator, the pairs it greylisted and
//! the messages accepted so far, shared by every connection (a sink's) or
//! send (a capture's) it answers.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use super::plan::{Effect, FaultPlan, PlanError};
use super::reply::{Reply, Stage};
use super::rng::SplitMix64;

/// What a fault answered instead of the server, at which stage (and for
/// which recipient, at `RCPT`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Injected {
    /// Where.
    pub stage: Stage,
    /// What the client got.
    pub answer: Answer,
    /// The recipient whose `RCPT` it answered.
    pub recipient: Option<String>,
}

/// What the client gets from a fault.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// A negative reply.
    Reply(Reply),
    /// Nothing, until the client gives up.
    Silence,
    /// The connection closes without a reply.
    Disconnect,
    /// The message was stored, then the connection closed instead of the
    /// `250`: the client sees the same as [`Answer::Disconnect`].
    ReplyLost,
}

/// Where the exchange stands when a plan is asked: the sender, and the
/// recipient being tried (at `RCPT`) or all accepted ones (after).
#[derive(Clone, Copy, Debug, Default)]
pub struct Point<'a> {
    /// The envelope sender, once `MAIL` was given (`None` for `<>`).
    pub from: Option<&'a str>,
    /// At `RCPT`: the recipient being tried.
    pub recipient: Option<&'a str>,
    /// After `RCPT`: the recipients accepted.
    pub recipients: &'a [String],
}

/// A checked [`FaultPlan`] at work. Shared (`Arc`) by whatever it is
/// attached to; every answer it gives moves its counts and its generator.
#[derive(Debug)]
pub struct ArmedPlan {
    plan: FaultPlan,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    rng: SplitMix64,
    /// For each fault: how often it was reached, and how often it hit.
    reached: Vec<u64>,
    hits: Vec<u64>,
    /// Sender and recipient pairs greylisted once (lower case).
    greylisted: HashSet<(String, String)>,
    /// Messages accepted so far (for the rate limit).
    accepted: u64,
}

impl ArmedPlan {
    /// Checks `plan` and puts it to work.
    ///
    /// ```
    /// use mailtest_capture::{ArmedPlan, Fault, FaultPlan, Point, Stage};
    ///
    /// let plan = ArmedPlan::new(FaultPlan::new().fault(Fault::reply(Stage::Mail, 451, "4.3.0 later").times(1))).unwrap();
    /// assert!(plan.answer(Stage::Mail, Point::default()).is_some());
    /// assert!(plan.answer(Stage::Mail, Point::default()).is_none(), "only once");
    /// ```
    pub fn new(plan: FaultPlan) -> Result<ArmedPlan, PlanError> {
        plan.check()?;
        let n = plan.faults.len();
        let state = State {
            rng: SplitMix64::new(plan.seed),
            reached: vec![0; n],
            hits: vec![0; n],
            greylisted: HashSet::new(),
            accepted: 0,
        };
        Ok(ArmedPlan { plan, state: Mutex::new(state) })
    }

    /// The plan as written.
    ///
    /// ```
    /// let plan = mailtest_capture::ArmedPlan::new(mailtest_capture::FaultPlan::new()).unwrap();
    /// assert!(plan.plan().is_empty());
    /// ```
    pub fn plan(&self) -> &FaultPlan {
        &self.plan
    }

    /// Whether a fault of the plan sits at `stage` (a sink offers
    /// `STARTTLS` when one does, so that a client reaches it).
    ///
    /// ```
    /// use mailtest_capture::{ArmedPlan, Fault, FaultPlan, Stage};
    /// let plan = ArmedPlan::new(FaultPlan::new().fault(Fault::greylist())).unwrap();
    /// assert!(plan.has_stage(Stage::Rcpt) && !plan.has_stage(Stage::Mail));
    /// ```
    pub fn has_stage(&self, stage: Stage) -> bool {
        self.plan.faults.iter().any(|fault| fault.stage == stage)
    }

    /// The answer of the first fault at `stage` that hits, if one does.
    ///
    /// ```
    /// use mailtest_capture::{Answer, ArmedPlan, Fault, FaultPlan, Point, Stage};
    ///
    /// let plan = ArmedPlan::new(FaultPlan::new().fault(Fault::greylist())).unwrap();
    /// let ann = Point { from: Some("app@example.com"), recipient: Some("ann@example.com"), ..Point::default() };
    /// let first = plan.answer(Stage::Rcpt, ann).unwrap();
    /// assert!(matches!(first.answer, Answer::Reply(reply) if reply.code() == 450));
    /// assert!(plan.answer(Stage::Rcpt, ann).is_none(), "a later try passes");
    /// ```
    pub fn answer(&self, stage: Stage, point: Point<'_>) -> Option<Injected> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let state = &mut *state;
        for (at, fault) in self.plan.faults.iter().enumerate() {
            if fault.stage != stage || !concerns(fault.to.as_deref(), stage, point) {
                continue;
            }
            let greylist_key = || {
                let from = point.from.unwrap_or_default().to_ascii_lowercase();
                (from, point.recipient.unwrap_or_default().to_ascii_lowercase())
            };
            let applies = match fault.effect {
                Effect::Greylist => !state.greylisted.contains(&greylist_key()),
                Effect::RateLimit(limit) => state.accepted >= limit,
                _ => true,
            };
            if !applies {
                continue;
            }
            if let Some(p) = fault.probability
                && state.rng.next_unit() >= p
            {
                continue;
            }
            state.reached[at] += 1;
            if state.reached[at] <= fault.skip || fault.times.is_some_and(|times| state.hits[at] >= times) {
                continue;
            }
            state.hits[at] += 1;
            let answer = match &fault.effect {
                Effect::Reply(reply) => Answer::Reply(reply.clone()),
                Effect::Silence => Answer::Silence,
                Effect::Disconnect => Answer::Disconnect,
                Effect::ReplyLost => Answer::ReplyLost,
                Effect::Greylist => {
                    state.greylisted.insert(greylist_key());
                    Answer::Reply(Reply::new(450, "4.2.0 greylisted, try again later"))
                }
                Effect::RateLimit(limit) => Answer::Reply(Reply::new(
                    421,
                    format!("4.7.0 rate limit exceeded: {limit} messages accepted, closing connection"),
                )),
            };
            let recipient = (stage == Stage::Rcpt).then(|| point.recipient.unwrap_or_default().to_owned());
            return Some(Injected { stage, answer, recipient });
        }
        None
    }

    /// Counts a message accepted (stored), for the rate limit.
    ///
    /// ```
    /// use mailtest_capture::{ArmedPlan, Fault, FaultPlan, Point, Stage};
    /// let plan = ArmedPlan::new(FaultPlan::new().fault(Fault::rate_limit(1))).unwrap();
    /// assert!(plan.answer(Stage::Mail, Point::default()).is_none());
    /// plan.accepted();
    /// assert!(plan.answer(Stage::Mail, Point::default()).is_some());
    /// ```
    pub fn accepted(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).accepted += 1;
    }
}

/// Whether a fault for `to` (or for anyone) concerns this point.
fn concerns(to: Option<&str>, stage: Stage, point: Point<'_>) -> bool {
    let Some(to) = to else { return true };
    if stage == Stage::Rcpt {
        point.recipient.is_some_and(|recipient| recipient.eq_ignore_ascii_case(to))
    } else {
        point.recipients.iter().any(|recipient| recipient.eq_ignore_ascii_case(to))
    }
}
