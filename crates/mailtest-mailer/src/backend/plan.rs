//! What one call of a mailer does — a batch, a raw send, `open`, `close` —
//! as a plan that asks for backend calls and takes their results: written
//! once, for [`Mailer`](crate::Mailer) (which calls its backend) and
//! [`AsyncMailer`](crate::AsyncMailer) (which awaits it). No decision is
//! left to them.
//!
//! A batch is prepared (`prepare`: domains in ASCII, the local `Date`, no
//! line break in a header), then each message goes where the delivery
//! decision says: into the capture that claims it, else to the backend —
//! unless the mailer bypasses capture, when all go to the backend. Failing
//! silently, the backend gets one message at a time over one session (its
//! own unless the mailer was opened), and a failure counts as not sent.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use lettre::Message;
use lettre::address::Envelope;

use super::{Delivery, Permit};
use crate::capture::{Capturing, capture_claimed, capture_if_claimed};
use crate::error::Error;

/// A backend call the plan asks its driver for, with the plan's permit.
#[derive(Debug)]
pub(crate) enum Step<'a> {
    /// `open_with`.
    Open,
    /// `deliver_with` of these messages of [`Plan::messages`].
    Deliver(Range<usize>),
    /// `send_raw_with`.
    SendRaw(&'a Envelope, &'a [u8]),
    /// `close`.
    Close,
}

/// What the backend answered to a [`Step`].
pub(crate) struct Outcome(Result<Delivery, Error>);

impl From<Result<Delivery, Error>> for Outcome {
    fn from(result: Result<Delivery, Error>) -> Outcome {
        Outcome(result)
    }
}

impl From<Result<(), Error>> for Outcome {
    fn from(result: Result<(), Error>) -> Outcome {
        Outcome(result.map(|()| Delivery::default()))
    }
}

/// What the call is about.
enum Work<'a> {
    /// The messages for the backend (those no capture claimed), each with
    /// its place in the batch as given.
    Batch {
        messages: Cow<'a, [Message]>,
        places: Vec<usize>,
    },
    Raw {
        envelope: &'a Envelope,
        raw: &'a [u8],
    },
    Open,
    Close,
}

/// The step to ask for next.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Next {
    Open,
    DeliverAll,
    DeliverOne(usize),
    SendRaw,
    Close,
    Finished,
}

/// One call of a mailer, from its decision to its result.
pub(crate) struct Plan<'a> {
    work: Work<'a>,
    next: Next,
    permit: Permit,
    fail_silently: bool,
    /// Whether the mailer's session is open (`open()` and no `close()` since).
    opened: &'a AtomicBool,
    /// Failing silently without an open session: the batch opens and closes one.
    own_session: bool,
    delivery: Delivery,
    error: Option<Error>,
}

/// The mailer settings a plan follows.
#[derive(Clone, Copy)]
pub(crate) struct Policy<'a> {
    pub(crate) permit: Permit,
    pub(crate) fail_silently: bool,
    pub(crate) opened: &'a AtomicBool,
    /// `EMAIL_USE_LOCALTIME`.
    pub(crate) localtime: bool,
    /// The mailer's name, kept with what a capture takes.
    pub(crate) sent_using: Option<&'a std::sync::Arc<str>>,
    /// The mailer's fault plan, answering for what a capture takes.
    pub(crate) faults: Option<&'a std::sync::Arc<mailtest_capture::ArmedPlan>>,
}

impl Policy<'_> {
    fn capturing(&self) -> Capturing<'_> {
        Capturing { sent_using: self.sent_using, faults: self.faults, fail_silently: self.fail_silently }
    }
}

impl<'a> Plan<'a> {
    fn new(work: Work<'a>, next: Next, policy: Policy<'a>) -> Plan<'a> {
        Plan {
            work,
            next,
            permit: policy.permit,
            fail_silently: policy.fail_silently,
            opened: policy.opened,
            own_session: false,
            delivery: Delivery::default(),
            error: None,
        }
    }

    /// Sends `messages`: prepared, each captured when claimed, the rest for
    /// the backend.
    pub(crate) fn batch(messages: &'a [Message], policy: Policy<'a>) -> Plan<'a> {
        let prepared = match super::prepare::messages(messages, policy.localtime) {
            Ok(prepared) => prepared,
            Err(err) => return Plan::failed(err, policy),
        };
        let (captured, messages, places) = if policy.permit.bypasses_capture() {
            let places = (0..prepared.len()).collect();
            (Delivery::default(), prepared, places)
        } else {
            match capture_claimed(prepared, &policy.capturing()) {
                Ok(rest) => (rest.delivery, rest.messages, rest.places),
                Err(err) => return Plan::failed(err, policy),
            }
        };
        let own_session = policy.fail_silently && !policy.opened.load(Ordering::Acquire);
        let next = match (messages.is_empty(), policy.fail_silently, own_session) {
            (true, _, _) => Next::Finished,
            (false, false, _) => Next::DeliverAll,
            (false, true, true) => Next::Open,
            (false, true, false) => Next::DeliverOne(0),
        };
        let mut plan = Plan::new(Work::Batch { messages, places }, next, policy);
        plan.own_session = own_session;
        plan.delivery = captured;
        plan
    }

    /// Sends bytes built elsewhere, as given: captured when claimed, else
    /// to the backend's `send_raw`.
    pub(crate) fn raw(envelope: &'a Envelope, raw: &'a [u8], policy: Policy<'a>) -> Plan<'a> {
        let captured = if policy.permit.bypasses_capture() {
            None
        } else {
            capture_if_claimed(envelope, &policy.capturing(), 0, || raw.to_vec())
        };
        let delivery = match captured {
            None => None,
            Some(Ok(delivery)) => Some(delivery),
            Some(Err(_)) if policy.fail_silently => Some(Delivery::default()),
            Some(Err(err)) => return Plan::failed(err, policy),
        };
        let next = if delivery.is_some() { Next::Finished } else { Next::SendRaw };
        let mut plan = Plan::new(Work::Raw { envelope, raw }, next, policy);
        plan.delivery = delivery.unwrap_or_default();
        plan
    }

    /// Opens the backend's session.
    pub(crate) fn open(policy: Policy<'a>) -> Plan<'a> {
        Plan::new(Work::Open, Next::Open, policy)
    }

    /// Closes the backend's session.
    pub(crate) fn close(policy: Policy<'a>) -> Plan<'a> {
        policy.opened.store(false, Ordering::Release);
        Plan::new(Work::Close, Next::Close, policy)
    }

    /// Fails before any step: a mistake in the calling code (a header
    /// injection, an error even when failing silently), or a fault a
    /// capture's plan answered with.
    fn failed(err: Error, policy: Policy<'a>) -> Plan<'a> {
        let mut plan = Plan::new(Work::Open, Next::Finished, policy);
        plan.error = Some(err);
        plan
    }

    /// The permit to hand the backend with every step.
    pub(crate) fn permit(&self) -> Permit {
        self.permit
    }

    /// The messages a [`Step::Deliver`] names.
    pub(crate) fn messages(&self, range: Range<usize>) -> &[Message] {
        match &self.work {
            Work::Batch { messages, .. } => &messages[range],
            _ => &[],
        }
    }

    /// The next backend call, or `None` when the plan is done: then
    /// [`finish`](Plan::finish).
    pub(crate) fn next(&self) -> Option<Step<'a>> {
        Some(match self.next {
            Next::Open => Step::Open,
            Next::DeliverAll => Step::Deliver(0..self.batch_len()),
            Next::DeliverOne(at) => Step::Deliver(at..at + 1),
            Next::SendRaw => match self.work {
                Work::Raw { envelope, raw } => Step::SendRaw(envelope, raw),
                _ => return None,
            },
            Next::Close => Step::Close,
            Next::Finished => return None,
        })
    }

    fn batch_len(&self) -> usize {
        match &self.work {
            Work::Batch { messages, .. } => messages.len(),
            _ => 0,
        }
    }

    /// Takes what the backend answered to the last step.
    pub(crate) fn record(&mut self, outcome: Outcome) {
        let Outcome(result) = outcome;
        self.next = match (self.next, result) {
            (Next::DeliverAll, Ok(delivery)) => {
                let places = self.places();
                self.delivery.absorb(delivery.renumbered(places), 0);
                Next::Finished
            }
            (Next::DeliverOne(at), result) => {
                if let Ok(delivery) = result {
                    let place = self.places().get(at).copied().unwrap_or(at);
                    self.delivery.absorb(delivery, place);
                }
                self.after_one(at + 1)
            }
            // Failing silently, a batch whose session does not open sends nothing.
            (Next::Open, Ok(_)) if self.own_session => self.after_one(0),
            (Next::Open, Err(_)) if self.own_session => Next::Finished,
            (Next::Open, Ok(_)) => {
                self.opened.store(true, Ordering::Release);
                Next::Finished
            }
            // The batch's own session: closed whatever happened, quietly.
            (Next::Close, _) if self.own_session => Next::Finished,
            (_, Ok(_)) => Next::Finished,
            (_, Err(err)) => {
                if !self.fail_silently {
                    self.error = Some(err);
                }
                Next::Finished
            }
        };
    }

    /// Failing silently, after message `at - 1`: the next, or the end of
    /// the batch's own session.
    fn after_one(&self, at: usize) -> Next {
        match (at < self.batch_len(), self.own_session) {
            (true, _) => Next::DeliverOne(at),
            (false, true) => Next::Close,
            (false, false) => Next::Finished,
        }
    }

    fn places(&self) -> &[usize] {
        match &self.work {
            Work::Batch { places, .. } => places,
            _ => &[],
        }
    }

    /// The result of the call: what was sent (captured ones included), or
    /// the error.
    pub(crate) fn finish(self) -> Result<Delivery, Error> {
        match self.error {
            Some(err) => Err(err),
            None => Ok(self.delivery),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(to: &str) -> Message {
        Message::builder()
            .from("app@example.com".parse().unwrap())
            .to(to.parse().unwrap())
            .body(String::from("Hi"))
            .unwrap()
    }

    fn policy(fail_silently: bool, opened: &AtomicBool) -> Policy<'_> {
        Policy {
            permit: Permit::default(),
            fail_silently,
            opened,
            localtime: false,
            sent_using: None,
            faults: None,
        }
    }

    /// Runs `plan`, the backend answering each step with `answer`; the steps.
    fn run(
        mut plan: Plan<'_>,
        answer: impl Fn(&Step<'_>) -> Outcome,
    ) -> (Vec<String>, Result<Delivery, Error>) {
        let mut steps = Vec::new();
        while let Some(step) = plan.next() {
            steps.push(format!("{step:?}"));
            plan.record(answer(&step));
        }
        (steps, plan.finish())
    }

    fn refused() -> Error {
        Error::backend("test", "refused")
    }

    #[test]
    fn a_batch_goes_to_the_backend_in_one_call() {
        let (opened, batch) = (AtomicBool::new(false), [message("a@example.com"), message("b@example.com")]);

        let (steps, result) =
            run(Plan::batch(&batch, policy(false, &opened)), |_| Ok(Delivery::new(2)).into());

        assert_eq!(steps, ["Deliver(0..2)"]);
        assert_eq!(result.unwrap().sent(), 2);
    }

    #[test]
    fn failing_silently_a_batch_goes_one_by_one_over_a_session_of_its_own_past_failures() {
        let (opened, batch) = (AtomicBool::new(false), [message("a@example.com"), message("b@example.com")]);
        let answer = |step: &Step<'_>| match step {
            Step::Deliver(range) if range.start == 0 => Outcome::from(Err::<Delivery, _>(refused())),
            Step::Deliver(_) => Ok(Delivery::new(1)).into(),
            _ => Ok(()).into(),
        };

        let (steps, result) = run(Plan::batch(&batch, policy(true, &opened)), answer);

        assert_eq!(steps, ["Open", "Deliver(0..1)", "Deliver(1..2)", "Close"]);
        assert_eq!(result.unwrap().sent(), 1, "the failure counts as not sent");
    }

    #[test]
    fn failing_silently_an_open_mailer_keeps_its_session_and_a_session_that_fails_sends_nothing() {
        let (opened, batch) = (AtomicBool::new(true), [message("a@example.com")]);
        let (steps, _) = run(Plan::batch(&batch, policy(true, &opened)), |_| Ok(Delivery::new(1)).into());
        assert_eq!(steps, ["Deliver(0..1)"]);

        opened.store(false, Ordering::Release);
        let (steps, result) =
            run(Plan::batch(&batch, policy(true, &opened)), |_| Err::<(), _>(refused()).into());
        assert_eq!(steps, ["Open"]);
        assert_eq!(result.unwrap().sent(), 0);
    }

    #[test]
    fn open_and_close_keep_the_session_flag_and_say_what_failed_unless_silent() {
        let opened = AtomicBool::new(false);
        run(Plan::open(policy(false, &opened)), |_| Ok(()).into()).1.unwrap();
        assert!(opened.load(Ordering::Acquire));
        run(Plan::close(policy(false, &opened)), |_| Ok(()).into()).1.unwrap();
        assert!(!opened.load(Ordering::Acquire));

        let failing = |_: &Step<'_>| Outcome::from(Err::<(), _>(refused()));
        assert!(run(Plan::open(policy(false, &opened)), failing).1.is_err());
        assert!(run(Plan::open(policy(true, &opened)), failing).1.is_ok());
        assert!(!opened.load(Ordering::Acquire));
    }

    #[test]
    fn a_line_break_in_a_header_fails_the_batch_before_any_step_even_silently() {
        let opened = AtomicBool::new(false);
        let bad = [Message::builder()
            .from("app@example.com".parse().unwrap())
            .to("a@example.com".parse().unwrap())
            .subject("Hi\nBcc: b@example.com")
            .body(String::from("Hi"))
            .unwrap()];

        let (steps, result) = run(Plan::batch(&bad, policy(true, &opened)), |_| Ok(()).into());

        assert!(steps.is_empty(), "{steps:?}");
        assert!(matches!(result, Err(Error::BadHeader { .. })), "{result:?}");
    }
}
