//! What a lint run checks: the profile, allowed codes, whether warnings
//! fail, and the base URLs links must start with.

use super::closest::closest;
use super::codes::CODES;
use mailtest_mime::url::Url;

/// The kind of mail being checked.
///
/// ```
/// use mailtest::lint::Profile;
///
/// let email = mailtest::Email::from_raw(
///     "Message-ID: <1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\r\nOur spring sale!",
/// );
/// let bulk = email.lint_with(&mailtest::LintConfig::new().profile(Profile::Bulk));
/// assert!(bulk.contains("one-click-unsubscribe"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Profile {
    /// Mail a user's action triggers: receipts, password resets, sign-up
    /// confirmations. The default.
    #[default]
    Transactional,
    /// Newsletters and campaigns: besides every transactional rule, mail
    /// must offer RFC 8058 one-click unsubscribe (`one-click-unsubscribe`),
    /// which Gmail and Yahoo require of bulk senders since 2024.
    Bulk,
}

/// How [`Email::lint_with`](crate::Email::lint_with) and
/// [`lints_clean_with`](crate::EmailAssert::lints_clean_with) check: a
/// [`Profile`], codes to allow, whether warnings fail, and base URLs.
///
/// ```
/// use mailtest::LintConfig;
/// use mailtest::lint::Profile;
///
/// let config = LintConfig::new()
///     .profile(Profile::Bulk)
///     .allow(["html-missing-lang"])
///     .deny_warnings()
///     .base_url("https://shop.example.com");
/// let email = mailtest::Email::from_raw(
///     "Message-ID: <1@shop.example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\
///      Content-Type: text/plain\r\n\r\nSee https://staging.shop.example.com/sale\r\n",
/// );
/// let lints = email.lint_with(&config);
/// assert_eq!(lints.codes(), ["off-base-url", "one-click-unsubscribe"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct LintConfig {
    profile: Profile,
    allowed: Vec<&'static str>,
    deny_warnings: bool,
    base_urls: Vec<Url<'static>>,
}

impl LintConfig {
    /// The default: [`Profile::Transactional`], nothing allowed, warnings
    /// reported but not failing, no base URL.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// assert_eq!(email.lint_with(&mailtest::LintConfig::new()), email.lint());
    /// ```
    pub fn new() -> LintConfig {
        LintConfig::default()
    }

    /// Checks mail of this kind.
    ///
    /// ```
    /// use mailtest::lint::Profile;
    ///
    /// let email = mailtest::Email::from_raw(
    ///     "Message-ID: <1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\r\nOur spring sale!",
    /// );
    /// assert!(email.lint().is_empty());
    /// let bulk = email.lint_with(&mailtest::LintConfig::new().profile(Profile::Bulk));
    /// assert_eq!(bulk.codes(), ["one-click-unsubscribe"]);
    /// ```
    #[must_use]
    pub fn profile(mut self, profile: Profile) -> LintConfig {
        self.profile = profile;
        self
    }

    /// Leaves out every lint with one of these codes.
    ///
    /// # Panics
    ///
    /// When a code is not one of [`CODES`](crate::lint::CODES), at your
    /// line, with the closest code there is: a misspelt code must not
    /// silently allow nothing.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// let config = mailtest::LintConfig::new().allow(["missing-message-id", "missing-date"]);
    /// assert!(email.lint_with(&config).is_empty());
    /// ```
    #[must_use]
    #[track_caller]
    pub fn allow<S: AsRef<str>>(mut self, codes: impl IntoIterator<Item = S>) -> LintConfig {
        for code in codes {
            let code = code.as_ref().trim();
            match CODES.iter().find(|known| **known == code) {
                Some(known) => self.allowed.push(known),
                None => {
                    let hint = closest(code, CODES.iter().copied())
                        .map(|known| format!("did you mean `{known}`? "))
                        .unwrap_or_default();
                    panic!(
                        "LintConfig::allow: `{code}` is not a lint code; {hint}the codes are: {}",
                        CODES.join(", ")
                    )
                }
            }
        }
        self
    }

    /// Makes every warning an error, so that it fails the assertion.
    ///
    /// ```
    /// use mailtest::lint::Severity;
    ///
    /// let email = mailtest::Email::from_raw(
    ///     "Message-ID: <1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\
    ///      Content-Type: text/html\r\n\r\n<html lang=\"en\"><p>Hi</p></html>",
    /// );
    /// assert_eq!(email.lint().iter().next().unwrap().severity(), Severity::Warning);
    /// let denied = email.lint_with(&mailtest::LintConfig::new().deny_warnings());
    /// assert_eq!(denied.iter().next().unwrap().severity(), Severity::Error);
    /// ```
    #[must_use]
    pub fn deny_warnings(mut self) -> LintConfig {
        self.deny_warnings = true;
        self
    }

    /// Links (HTML `href`s and URLs in the text) must start with this base
    /// URL, or with another one given the same way; a link elsewhere is an
    /// `off-base-url` error, with the link on the base as the candidate.
    /// Scheme aside (`http:` is `insecure-url`'s business): the host, port
    /// and path prefix must match. Images (`src`) may come from anywhere,
    /// a CDN included.
    ///
    /// # Panics
    ///
    /// When `url` is not an absolute `http(s)://host` URL, at your line.
    ///
    /// ```
    /// let config = mailtest::LintConfig::new().base_url("https://app.example.com");
    /// let email = mailtest::Email::from_raw(
    ///     "Message-ID: <1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\r\n\
    ///      Reset: https://localhost:3000/reset?t=1\r\n",
    /// );
    /// let lints = email.lint_with(&config);
    /// assert_eq!(lints.codes(), ["localhost-url"]);
    /// assert_eq!(
    ///     lints.iter().next().unwrap().help(),
    ///     Some("did you mean `https://app.example.com/reset?t=1`?"),
    /// );
    /// ```
    #[must_use]
    #[track_caller]
    pub fn base_url(mut self, url: &str) -> LintConfig {
        match Url::parse(url.trim()) {
            Some(base) if base.is_web() && !base.host.is_empty() => self.base_urls.push(base.into_owned()),
            _ => panic!(
                "LintConfig::base_url: `{url}` is not an absolute http(s) URL; write it as `https://app.example.com`"
            ),
        }
        self
    }

    pub(crate) fn is_bulk(&self) -> bool {
        self.profile == Profile::Bulk
    }

    pub(crate) fn is_allowed(&self, code: &str) -> bool {
        self.allowed.contains(&code)
    }

    pub(crate) fn denies_warnings(&self) -> bool {
        self.deny_warnings
    }

    pub(crate) fn base_urls(&self) -> &[Url<'static>] {
        &self.base_urls
    }

    /// `allowed: a, b; warnings denied`, for a report, or nothing.
    pub(crate) fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.profile == Profile::Bulk {
            parts.push("profile: bulk".to_owned());
        }
        if !self.allowed.is_empty() {
            parts.push(format!("allowed: {}", self.allowed.join(", ")));
        }
        if self.deny_warnings {
            parts.push("warnings denied".to_owned());
        }
        if !self.base_urls.is_empty() {
            let bases: Vec<String> = self.base_urls.iter().map(Url::to_string).collect();
            parts.push(format!("base URL: {}", bases.join(", ")));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}
