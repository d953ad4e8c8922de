//! Terminals over the attempt log: how often a message was tried, and
//! whether it was delivered exactly once.

use std::time::Instant;

use crate::attempt::Attempt;
use crate::email::Email;
use crate::failure::{Expected, Failure};
use crate::wait;

use super::Query;

impl Query {
    /// Exactly `n` attempts were made to deliver a matching message —
    /// refused, failed and delivered ones alike (see
    /// [`Outbox::attempts`](crate::Outbox::attempts)); returns them. With
    /// [`within`](Query::within), waits for them.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, listing every attempt.
    ///
    /// ```
    /// use lettre::Transport;
    /// use mailtest::{Fault, FaultPlan, Stage};
    ///
    /// let mail = mailtest::capture();
    /// mail.faults(FaultPlan::new().fault(Fault::reply(Stage::EndOfData, 451, "4.3.0 try again later").times(1)));
    /// let message = lettre::Message::builder()
    ///     .from("shop@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .subject("Receipt")
    ///     .body(String::from("Thanks"))
    ///     .unwrap();
    /// while mail.transport().send(&message).is_err() {} // the app's retry
    ///
    /// let attempts = mail.find().subject("Receipt").attempts(2);
    /// assert!(!attempts[0].stored() && attempts[1].stored());
    /// ```
    #[track_caller]
    pub fn attempts(self, n: usize) -> Vec<Attempt> {
        match self.try_attempts(n) {
            Ok(attempts) => attempts,
            Err(failure) => failure.panic(),
        }
    }

    /// Like [`attempts`](Query::attempts), returning the failure instead of
    /// panicking.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let failure = mail.find().to("ann@example.com").try_attempts(1).unwrap_err();
    /// assert!(failure.report().starts_with("expected exactly 1 attempt matching to=ann@example.com; found 0 of 0 attempts"));
    /// ```
    pub fn try_attempts(self, n: usize) -> Result<Vec<Attempt>, Failure> {
        self.try_over_attempts(Expected::Exactly(n).of_attempts(), |matching| {
            let found = matching.len();
            if found == n { Ok(()) } else { Err(found > n) }
        })
        .map(|(matching, _)| matching)
    }

    /// Exactly one matching message was delivered (stored), whatever
    /// attempts failed before it; returns it. What a worker that retries
    /// must achieve: not zero copies, not two.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, listing every attempt.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Receipt\r\n\r\n.");
    /// let receipt = mail.find().subject("Receipt").delivered_once();
    /// assert_eq!(receipt.to()[0], "ann@example.com");
    /// ```
    #[track_caller]
    pub fn delivered_once(self) -> Email {
        match self.try_delivered_once() {
            Ok(email) => email,
            Err(failure) => failure.panic(),
        }
    }

    /// Like [`delivered_once`](Query::delivered_once), returning the
    /// failure instead of panicking.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Receipt\r\n\r\n.");
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Receipt\r\n\r\n.");
    /// let failure = mail.find().subject("Receipt").try_delivered_once().unwrap_err();
    /// assert!(failure.report().starts_with("expected exactly 1 delivery matching subject=\"Receipt\"; found 2 deliveries in 2 matching attempts"));
    /// ```
    pub fn try_delivered_once(self) -> Result<Email, Failure> {
        let stored = |matching: &[Attempt]| matching.iter().filter(|attempt| attempt.stored()).count();
        let (matching, _) = self.try_over_attempts("exactly 1 delivery".to_owned(), |matching| {
            let delivered = stored(matching);
            if delivered == 1 { Ok(()) } else { Err(delivered > 1) }
        })?;
        let email =
            matching.into_iter().find(Attempt::stored).map(|attempt| attempt.email).expect("one stored");
        Ok(email)
    }

    /// Runs `verdict` over the matching attempts until it holds (`Ok`),
    /// can no longer hold (`Err(true)`), or the wait ends (`Err(false)`:
    /// could hold with more attempts).
    fn try_over_attempts(
        self,
        wanted: String,
        verdict: impl Fn(&[Attempt]) -> Result<(), bool>,
    ) -> Result<(Vec<Attempt>, ()), Failure> {
        let deadline = self.within.map(|timeout| Instant::now() + timeout);
        if deadline.is_some()
            && let Some(refusal) = wait::blocking_wait_refusal()
        {
            return Err(Failure::misuse(refusal));
        }
        loop {
            let generation = self.outbox.snapshot().1;
            let attempts = self.outbox.attempts();
            let matching: Vec<Attempt> = attempts
                .iter()
                .filter(|attempt| self.criteria.iter().all(|criterion| criterion.test(attempt.email())))
                .cloned()
                .collect();
            let broken = match verdict(&matching) {
                Ok(()) => return Ok((matching, ())),
                Err(broken) => broken,
            };
            match deadline {
                Some(deadline) if !broken && Instant::now() < deadline => {
                    wait::block_until_change(&self.outbox, generation, deadline)
                }
                _ => {
                    let stored = matching.iter().filter(|attempt| attempt.stored()).count();
                    let found = if wanted.ends_with("delivery") {
                        let deliveries = if stored == 1 { "delivery" } else { "deliveries" };
                        format!("{stored} {deliveries} in {} matching attempts", matching.len())
                    } else {
                        format!("{} of {} attempts", matching.len(), attempts.len())
                    };
                    return Err(Failure::for_attempts(&self.criteria, &wanted, &found, &attempts)
                        .showing(self.outbox.emails()));
                }
            }
        }
    }
}
