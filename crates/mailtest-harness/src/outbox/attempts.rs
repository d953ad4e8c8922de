//! The attempt log of an outbox, and the fault plan sends into it meet.
//!
//! The log is kept by the store, not by the delivery decision: the
//! decision hands each attempt to the store that claimed it
//! (`Store::attempt`), and the store keeps it beside its emails. A stored
//! attempt is the email's record itself (numbered in the log); one that
//! stored nothing is kept apart, in [`Failed`]. A send that met no plan
//! costs nothing more than before: its record gets a number.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use mailtest_capture::{ArmedPlan, Captured, Claim, Client, FaultPlan, Outcome, PlanError, Verdict};
use mailtest_mailer::{Delivery, Error};

use super::{Outbox, PoisonError};
use crate::attempt::Attempt;
use crate::email::{Email, Record};

/// An attempt that stored nothing.
pub(crate) struct Failed {
    pub(crate) outcome: Outcome,
    /// The message as far as the attempt got (its `seq` is 0).
    pub(crate) record: Arc<Record>,
}

impl Outbox {
    /// Delivers `mail` into this outbox as a send from `client` would go:
    /// played against its fault plan (if it has one), the attempt kept.
    pub(crate) fn deliver(&self, mail: Captured, client: Client) -> Result<Delivery, Error> {
        let verdict = Claim::One(self.as_store()).deliver(mail, client, None).unwrap_or(Verdict::ACCEPTED);
        Error::from_verdict(verdict)
    }

    /// [`faults`](Outbox::faults), returning what is wrong with the plan
    /// (`faults`, which reports it as a failure, is with the assertions in
    /// `query/attempts.rs`: the outbox does not depend on its readers).
    ///
    /// ```
    /// use mailtest::{Fault, FaultPlan, Stage};
    ///
    /// let mail = mailtest::Outbox::new();
    /// let err = mail.try_faults(FaultPlan::new().fault(Fault::timeout(Stage::Data).nth(0))).unwrap_err();
    /// assert!(err.to_string().contains("counted from 1"));
    /// ```
    pub fn try_faults(&self, plan: FaultPlan) -> Result<(), PlanError> {
        let armed = (!plan.is_empty()).then(|| ArmedPlan::new(plan)).transpose()?.map(Arc::new);
        let shared = &self.shared;
        let has = armed.is_some();
        *shared.faults.lock().unwrap_or_else(PoisonError::into_inner) = armed;
        shared.has_faults.store(has, Ordering::Release);
        Ok(())
    }

    /// Every attempt to deliver into this outbox, in order: each send that
    /// met no fault plan (one delivered attempt), and each attempt a plan
    /// answered — refused, timed out, disconnected, delivered, delivered
    /// with its `250` lost.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// assert_eq!(mail.attempts().len(), 1);
    /// ```
    pub fn attempts(&self) -> Vec<Attempt> {
        let state = self.lock();
        let stored = state.records.iter().map(|record| {
            let outcome = if record.reply_lost { Outcome::ReplyLost } else { Outcome::Delivered };
            (record, outcome)
        });
        let failed = state.failed.iter().map(|failed| (&failed.record, failed.outcome.clone()));
        let mut attempts: Vec<Attempt> = stored
            .chain(failed)
            .map(|(record, outcome)| Attempt {
                number: record.attempt,
                at: record.captured_at,
                outcome,
                email: Email::from_record(Arc::clone(record)),
            })
            .collect();
        attempts.sort_by_key(Attempt::number);
        attempts
    }

    /// The attempt log for a failure report: every attempt when some
    /// stored nothing or lost its reply, else none (a report then reads as
    /// it did before fault plans).
    pub(crate) fn eventful_attempts(&self) -> Vec<Attempt> {
        let eventful = {
            let state = self.lock();
            !state.failed.is_empty() || state.records.iter().any(|record| record.reply_lost)
        };
        if eventful { self.attempts() } else { Vec::new() }
    }
}
