//! Lints as assertions: on one email (`email.assert().lints_clean()`) and
//! on every email of an outbox (`outbox.assert_lints_clean()`).

use super::config::LintConfig;
use super::failure;
use crate::assert::EmailAssert;
use crate::failure::Failure;
use crate::outbox::Outbox;

impl<'a> EmailAssert<'a> {
    /// The email has no error-severity lint under the default
    /// [`LintConfig`] (warnings are shown in a failure, but do not fail).
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, with every lint as a rustc-style diagnostic.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "From: app@example.com\r\nTo: ann@example.com\r\nSubject: Welcome\r\n\
    ///      Message-ID: <w-1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\r\n\
    ///      Confirm: https://example.com/confirm?t=1\r\n",
    /// );
    /// email.assert().subject("Welcome").lints_clean();
    /// ```
    #[track_caller]
    pub fn lints_clean(self) -> Self {
        self.lints_clean_with(&LintConfig::new())
    }

    /// [`lints_clean`](EmailAssert::lints_clean) with `config`: a profile,
    /// allowed codes, `deny_warnings`, base URLs.
    ///
    /// # Panics
    ///
    /// On an error-severity lint (every lint, with `deny_warnings`), at your line.
    ///
    /// ```
    /// use mailtest::LintConfig;
    ///
    /// let email = mailtest::Email::from_raw(
    ///     "Message-ID: <w-1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\
    ///      Content-Type: text/html\r\n\r\n<html lang=\"en\"><a href=\"https://app.example.com/x\">x</a></html>",
    /// );
    /// let config = LintConfig::new().base_url("https://app.example.com").allow(["html-without-text"]).deny_warnings();
    /// email.assert().lints_clean_with(&config);
    /// ```
    #[track_caller]
    pub fn lints_clean_with(self, config: &LintConfig) -> Self {
        match self.try_lints_clean_with(config) {
            Ok(chain) => chain,
            Err(failure) => failure.panic(),
        }
    }

    /// [`lints_clean`](EmailAssert::lints_clean), returning the report
    /// instead of panicking.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// let failure = email.assert().try_lints_clean().unwrap_err();
    /// assert!(failure.report().starts_with("the email from (none) to (none): \"Hi\" is not lint-clean: 2 errors"));
    /// ```
    pub fn try_lints_clean(self) -> Result<Self, Failure> {
        self.try_lints_clean_with(&LintConfig::new())
    }

    /// [`lints_clean_with`](EmailAssert::lints_clean_with), returning the
    /// report instead of panicking.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// let config = mailtest::LintConfig::new().allow(["missing-message-id", "missing-date"]);
    /// assert!(email.assert().try_lints_clean_with(&config).is_ok());
    /// ```
    pub fn try_lints_clean_with(self, config: &LintConfig) -> Result<Self, Failure> {
        let lints = self.email().lint_with(config);
        if lints.error_count() == 0 { Ok(self) } else { Err(failure::email(self.email(), &lints, config)) }
    }
}

impl Outbox {
    /// Every captured email is lint-clean under the default [`LintConfig`]
    /// (see [`EmailAssert::lints_clean`]). An empty outbox passes.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, with one report for every email that is not:
    /// its summary, then its diagnostics.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(
    ///     Some("app@example.com"),
    ///     &["ann@example.com"],
    ///     b"From: app@example.com\r\nTo: ann@example.com\r\nMessage-ID: <1@example.com>\r\n\
    ///       Date: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\r\nHello\r\n",
    /// );
    /// mail.assert_lints_clean();
    /// ```
    #[track_caller]
    pub fn assert_lints_clean(&self) {
        self.assert_lints_clean_with(&LintConfig::new());
    }

    /// [`assert_lints_clean`](Outbox::assert_lints_clean) with `config`.
    ///
    /// # Panics
    ///
    /// When an email has an error-severity lint, at your line.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\nHello\r\n");
    /// mail.assert_lints_clean_with(&mailtest::LintConfig::new().allow(["missing-message-id", "missing-date"]));
    /// ```
    #[track_caller]
    pub fn assert_lints_clean_with(&self, config: &LintConfig) {
        if let Err(failure) = self.try_assert_lints_clean_with(config) {
            failure.panic()
        }
    }

    /// [`assert_lints_clean`](Outbox::assert_lints_clean), returning the
    /// report instead of panicking.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\nHello\r\n");
    /// let failure = mail.try_assert_lints_clean().unwrap_err();
    /// assert!(failure.report().starts_with("1 of 1 captured email is not lint-clean: 2 errors"));
    /// ```
    pub fn try_assert_lints_clean(&self) -> Result<(), Failure> {
        self.try_assert_lints_clean_with(&LintConfig::new())
    }

    /// [`assert_lints_clean_with`](Outbox::assert_lints_clean_with),
    /// returning the report instead of panicking.
    ///
    /// ```
    /// let outbox = mailtest::Outbox::new();
    /// assert!(outbox.try_assert_lints_clean_with(&mailtest::LintConfig::new().deny_warnings()).is_ok());
    /// ```
    pub fn try_assert_lints_clean_with(&self, config: &LintConfig) -> Result<(), Failure> {
        match failure::outbox("", &self.emails(), config) {
            Some(failure) => Err(failure),
            None => Ok(()),
        }
    }
}
