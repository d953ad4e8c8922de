//! Strict captures: checks a capture makes when it ends — that every email
//! was asserted on, that every email is lint-clean — failing the test with
//! one report. They hook into the capture ([`Capture::at_end`]), so the
//! outbox knows nothing of reports or lints.

use std::panic::Location;
use std::sync::atomic::Ordering;

use crate::email::Email;
use crate::failure::Failure;
use crate::lint::{LintConfig, strict_failure};
use crate::outbox::{AtEnd, Capture, Outbox};

/// What a strict capture checks when it ends.
struct StrictChecks {
    /// Every email must have been matched by an assertion (`strict()`).
    unasserted: bool,
    /// Every email must be lint-clean with this configuration (`strict_lints()`).
    lints: Option<LintConfig>,
    /// Where strictness was first asked for: the failure names it first, as
    /// the drop that runs the checks has no caller.
    asked_at: &'static Location<'static>,
}

impl StrictChecks {
    fn asked_at(asked_at: &'static Location<'static>) -> StrictChecks {
        StrictChecks { unasserted: false, lints: None, asked_at }
    }
}

impl AtEnd for StrictChecks {
    fn capture_ended(&mut self, outbox: &Outbox) {
        // A second panic while unwinding would abort the test process.
        if std::thread::panicking() {
            return;
        }
        let emails = outbox.emails();
        let unasserted: Vec<Email> =
            emails.iter().filter(|email| !email.record().asserted.load(Ordering::Relaxed)).cloned().collect();
        let refused = if self.unasserted { outbox.refusals(&[]).own } else { Vec::new() };
        let failures: Vec<Failure> = [
            (self.unasserted && !unasserted.is_empty())
                .then(|| Failure::unasserted(&unasserted, emails.len())),
            (!refused.is_empty()).then(|| Failure::refused(&refused)),
            self.lints.as_ref().and_then(|config| strict_failure(&emails, config)),
        ]
        .into_iter()
        .flatten()
        .collect();
        // One panic, however many checks failed.
        if !failures.is_empty() {
            Failure::joined(&failures).showing(emails).panic_at(self.asked_at);
        }
    }
}

impl Capture {
    /// Makes the capture fail when it drops if any captured email was never
    /// matched by an assertion: a query with criteria that picked it out
    /// (`find().to(..).one()`, `assert_sent!(..)`) or `email.assert()`. The
    /// report names each such email, and its first line starts with where
    /// `.strict()` was called (`tests/signup.rs:12:40: strict capture: …`):
    /// the panic itself happens in the drop, where Rust knows no caller.
    /// Nothing happens if the test is already failing.
    ///
    /// It also fails when a send of this test was refused — made on a
    /// thread the capture was bound on (`outbox.spawn(..)`, `scope(..)`, …)
    /// where nothing took it — since a refused send is otherwise invisible
    /// in a passing test.
    ///
    /// ```should_panic
    /// let mail = mailtest::capture().strict();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Welcome\r\n\r\n.");
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Surprise\r\n\r\n.");
    /// mail.find().subject("Welcome").one();
    /// // panics here: "src/main.rs:2:31: strict capture: 1 of 2 captured emails was never matched by an assertion"
    /// ```
    #[track_caller]
    pub fn strict(mut self) -> Capture {
        let asked_at = Location::caller();
        self.at_end(|| StrictChecks::asked_at(asked_at)).unasserted = true;
        self
    }

    /// Makes the capture fail when it drops if any captured email is not
    /// lint-clean ([`Outbox::assert_lints_clean`]), so that every test of a
    /// suite checks the mail it sends without saying so. Combines with
    /// [`strict`](Capture::strict). Nothing happens if the test is already
    /// failing.
    ///
    /// ```should_panic
    /// let mail = mailtest::capture().strict_lints();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\nHello\r\n");
    /// // panics here: "strict capture: 1 of 1 captured email is not lint-clean: 2 errors"
    /// ```
    #[track_caller]
    pub fn strict_lints(self) -> Capture {
        self.strict_lints_with(LintConfig::new())
    }

    /// [`strict_lints`](Capture::strict_lints) with `config`.
    ///
    /// ```
    /// let lenient = mailtest::LintConfig::new().allow(["missing-message-id", "missing-date"]);
    /// let mail = mailtest::capture().strict_lints_with(lenient);
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\nHello\r\n");
    /// ```
    #[track_caller]
    pub fn strict_lints_with(mut self, config: LintConfig) -> Capture {
        let asked_at = Location::caller();
        self.at_end(|| StrictChecks::asked_at(asked_at)).lints = Some(config);
        self
    }
}
