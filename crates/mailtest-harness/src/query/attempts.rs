//! Terminals over the attempt log: how often a message was tried, whether
//! it was delivered exactly once, whether any was stored twice — and
//! `Outbox::faults`, whose bad plan is reported as a failure. They read the
//! outbox's log; the outbox knows nothing of them.

use std::time::Instant;

use mailtest_capture::FaultPlan;

use crate::attempt::{Attempt, Identity};
use crate::email::Email;
use crate::failure::{Expected, Failure};
use crate::outbox::Outbox;
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

impl Outbox {
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
