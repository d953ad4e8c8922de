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
use crate::attempt::{Attempt, Identity};
use crate::email::{Email, Record};
use crate::failure::Failure;

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

    /// Makes every send into this outbox — through a binding, a routed
    /// address ([`unique_address`](Outbox::unique_address)) or the global
    /// capture — meet `plan`: a fault answers instead of storing, as a real
    /// server answering that way would make the sender see it, and each
    /// attempt is kept ([`attempts`](Outbox::attempts)). Replaces the plan
    /// it had. For one routed address only, give its faults
    /// [`.to(address)`](mailtest_capture::Fault::to).
    ///
    /// # Panics
    ///
    /// When the plan does not pass [`FaultPlan::check`], at your line,
    /// naming the fault; [`try_faults`](Outbox::try_faults) returns the error.
    ///
    /// ```
    /// use lettre::Transport;
    /// use mailtest::{Fault, FaultPlan};
    ///
    /// let mail = mailtest::capture();
    /// mail.faults(FaultPlan::new().fault(Fault::greylist()));
    /// let message = lettre::Message::builder()
    ///     .from("shop@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    ///
    /// let err = mailtest::CaptureTransport::ambient().send(&message).unwrap_err();
    /// assert!(err.is_temporary()); // 450 4.2.0 greylisted
    /// mailtest::CaptureTransport::ambient().send(&message).unwrap(); // a retry passes
    /// mail.find().to("ann@example.com").attempts(2);
    /// mail.find().to("ann@example.com").delivered_once();
    /// ```
    #[track_caller]
    pub fn faults(&self, plan: FaultPlan) {
        if let Err(err) = self.try_faults(plan) {
            Failure::misuse(&err.to_string()).panic();
        }
    }

    /// [`faults`](Outbox::faults), returning what is wrong with the plan.
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

    /// Asserts that no message was stored twice: no two emails share an
    /// [`identity`](Email::identity) (Message-ID, else the content's hash).
    /// What a worker that retries after a lost `250` must get right.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, naming each duplicated message and every
    /// attempt of it.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Message-ID: <1@shop>\r\n\r\n.");
    /// mail.capture_raw(None, &["ann@example.com"], b"Message-ID: <2@shop>\r\n\r\n.");
    /// mail.assert_no_duplicates();
    /// ```
    #[track_caller]
    pub fn assert_no_duplicates(&self) {
        if let Err(failure) = self.try_assert_no_duplicates() {
            failure.panic();
        }
    }

    /// [`assert_no_duplicates`](Outbox::assert_no_duplicates), returning
    /// the failure.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Message-ID: <1@shop>\r\n\r\n.");
    /// mail.capture_raw(None, &["ann@example.com"], b"Message-ID: <1@shop>\r\n\r\n.");
    /// let failure = mail.try_assert_no_duplicates().unwrap_err();
    /// assert!(failure.report().starts_with("expected no message stored twice; Message-ID <1@shop> was stored 2 times"));
    /// ```
    pub fn try_assert_no_duplicates(&self) -> Result<(), Failure> {
        let attempts = self.attempts();
        let mut stored: Vec<(Identity, Vec<&Attempt>)> = Vec::new();
        for attempt in attempts.iter().filter(|attempt| attempt.stored()) {
            let identity = attempt.identity();
            match stored.iter_mut().find(|(seen, _)| *seen == identity) {
                Some((_, copies)) => copies.push(attempt),
                None => stored.push((identity, vec![attempt])),
            }
        }
        let duplicated: Vec<(Identity, Vec<&Attempt>)> =
            stored.into_iter().filter(|(_, copies)| copies.len() > 1).collect();
        if duplicated.is_empty() {
            return Ok(());
        }
        let related = |identity: &Identity| -> Vec<&Attempt> {
            attempts.iter().filter(|attempt| attempt.identity() == *identity).collect()
        };
        let groups: Vec<(Identity, usize, Vec<&Attempt>)> = duplicated
            .into_iter()
            .map(|(identity, copies)| {
                let all = related(&identity);
                (identity, copies.len(), all)
            })
            .collect();
        Err(Failure::duplicates(&groups).showing(self.emails()))
    }
}
