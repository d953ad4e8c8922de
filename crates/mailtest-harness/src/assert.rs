//! `email.assert()`: a chain of checks on one email, each failing at your
//! line with what the email had instead.

use std::sync::atomic::Ordering;

use crate::criteria::{self, Criterion};
use crate::email::Email;
use crate::failure::Failure;
use crate::pattern::Pattern;
use mailtest_mime::Attachment;

/// Checks on one [`Email`], made by [`Email::assert`]. Every method checks
/// at once and returns the chain, or panics at your line with a report of
/// the email and what it had instead.
///
/// Every criterion of a [`Query`](crate::Query) is a check here too, with
/// the same name and arguments (both are generated from one list), and each
/// check `x` has a negative twin `not_x` (`no_header` for `has_header`).
/// A few checks only make sense on one email:
/// [`attachment`](EmailAssert::attachment) opens a chain on one attachment,
/// [`link_matching`](EmailAssert::link_matching) returns the link it found.
///
/// ```
/// let mail = mailtest::capture();
/// mail.capture_raw(
///     Some("shop@example.com"),
///     &["ann@example.com", "audit@example.com"],
///     b"From: Shop <shop@example.com>\r\nTo: Ann <ann@example.com>\r\nSubject: Reset your password\r\n\
///       Content-Type: text/plain\r\n\r\nHi Ann,\r\nreset it here: https://shop.example.com/reset?token=9f8e\r\nBye\r\n",
/// );
///
/// let email = mail.find().to("ann@example.com").one();
/// let link = email
///     .assert()
///     .subject("Reset your password")
///     .from("shop@example.com")
///     .bcc("audit@example.com")
///     .text_in_order(["Hi Ann", "reset it here", "Bye"])
///     .not_text_contains("password:")
///     .no_header("X-Debug")
///     .link_matching(mailtest::regex(r"/reset\?token=\w+"));
/// assert_eq!(link, "https://shop.example.com/reset?token=9f8e");
/// ```
#[derive(Debug)]
pub struct EmailAssert<'a> {
    email: &'a Email,
}

impl Email {
    /// Starts a chain of checks on this email; see [`EmailAssert`].
    ///
    /// Counts as an assertion for [`strict`](crate::Capture::strict) mode.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// email.assert().subject("Hi").text_contains("Hello");
    /// ```
    #[must_use = "`email.assert()` alone checks nothing: chain checks onto it"]
    pub fn assert(&self) -> EmailAssert<'_> {
        self.record().asserted.store(true, Ordering::Relaxed);
        EmailAssert { email: self }
    }
}

impl<'a> EmailAssert<'a> {
    #[track_caller]
    fn check(self, criterion: Criterion) -> Self {
        if !criterion.test(self.email) {
            Failure::for_email(self.email, &criterion).panic();
        }
        self
    }

    // Every criterion a query has, from the one list.
    criteria::criteria_methods! {
        apply: check,
        owner: "EmailAssert",
        opposite: "fails when it holds",
        attributes: [#[track_caller]],
    }

    // Checks only one email can make: they return something, or open a
    // nested chain. (Add such checks here; a plain yes/no criterion belongs
    // in the list, so that queries have it too.)

    /// Checks the attachment named `name` (a literal or a regex; a part
    /// with no file name is found by its Content-ID) with `checks`: content
    /// type, size, bytes, inline or not, Content-ID. When any fails, the
    /// report lists every check made on the part, met or missed.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n\
    ///      --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=invoice.pdf\r\n\r\n%PDF\r\n--b--\r\n",
    /// );
    /// email.assert().attachment("invoice.pdf", |pdf| {
    ///     pdf.content_type("application/pdf").size(4).content(b"%PDF").not_inline()
    /// });
    /// ```
    #[track_caller]
    pub fn attachment(
        self,
        name: impl Into<Pattern>,
        checks: impl FnOnce(AttachmentAssert<'a>) -> AttachmentAssert<'a>,
    ) -> Self {
        let name = name.into();
        let found = self.email.attachments().iter().find(|a| criteria::attachment_is(a, &name));
        match found {
            Some(attachment) => {
                let checked = checks(AttachmentAssert { attachment, checks: Vec::new() });
                if checked.checks.iter().any(|(_, held)| !held) {
                    let (criteria, met): (Vec<Criterion>, Vec<bool>) = checked.checks.into_iter().unzip();
                    Failure::for_email_checks(self.email, &criteria, met).panic();
                }
                self
            }
            None => self.check(criteria::has_attachment(name)),
        }
    }

    /// Returns the first link (see [`Email::links`]) that contains `pattern`,
    /// so a test can follow it: a password reset, a confirmation.
    ///
    /// # Panics
    ///
    /// When no link matches, listing the links there are.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: text/html\r\n\r\n<a href=\"https://example.com/reset?token=ab12&amp;u=7\">Reset</a>",
    /// );
    /// let link = email.assert().link_matching(mailtest::regex(r"token=\w+"));
    /// assert_eq!(link, "https://example.com/reset?token=ab12&u=7");
    /// ```
    #[track_caller]
    pub fn link_matching(self, pattern: impl Into<Pattern>) -> String {
        let pattern = pattern.into();
        match self.email.links().iter().find(|link| pattern.is_found_in(link)) {
            Some(link) => link.clone(),
            None => Failure::for_email(self.email, &criteria::has_link(pattern)).panic(),
        }
    }

    /// The email under check, to read anything the chain does not cover.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\n.");
    /// assert_eq!(email.assert().subject("Hi").email().subject(), Some("Hi"));
    /// ```
    pub fn email(&self) -> &'a Email {
        self.email
    }
}

/// Checks on one attachment, inside [`EmailAssert::attachment`]. Each
/// check is recorded, not fatal: when the closure returns, a failure
/// reports every check of the part, met or missed, so one run shows every
/// way the part is wrong.
///
/// ```
/// let email = mailtest::Email::from_raw(
///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
/// );
/// email.assert().attachment("logo.png", |logo| logo.content_type("image/png").inline());
/// ```
pub struct AttachmentAssert<'a> {
    attachment: &'a Attachment,
    /// Each check made: its criterion, and whether it held.
    checks: Vec<(Criterion, bool)>,
}

impl std::fmt::Debug for AttachmentAssert<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let checks: Vec<(&str, bool)> =
            self.checks.iter().map(|(c, held)| (c.label.as_str(), *held)).collect();
        f.debug_struct("AttachmentAssert")
            .field("attachment", self.attachment)
            .field("checks", &checks)
            .finish()
    }
}

impl AttachmentAssert<'_> {
    fn check(mut self, label: String, holds: bool, actual: String) -> Self {
        let name = match (self.attachment.filename(), self.attachment.content_id()) {
            (Some(name), _) => format!("{name:?}"),
            (None, Some(id)) => format!("<{id}>"),
            (None, None) => "(unnamed)".to_owned(),
        };
        let criterion = criteria::Criterion::new(
            format!("attachment {name} {label}"),
            move |_| holds,
            move |_| actual.clone(),
        );
        self.checks.push((criterion, holds));
        self
    }

    /// The MIME type is `content_type` (lower case, no parameters).
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\r\nPNG\r\n--b--\r\n",
    /// );
    /// email.assert().attachment("logo.png", |logo| logo.content_type("image/png"));
    /// ```
    pub fn content_type(self, content_type: &str) -> Self {
        let actual = self.attachment.content_type().to_owned();
        self.check(format!("content_type={content_type}"), actual.eq_ignore_ascii_case(content_type), actual)
    }

    /// The decoded size is `bytes`.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\r\nPNG\r\n--b--\r\n",
    /// );
    /// email.assert().attachment("logo.png", |logo| logo.size(3));
    /// ```
    pub fn size(self, bytes: usize) -> Self {
        let actual = self.attachment.size();
        self.check(format!("size={bytes}"), actual == bytes, format!("{actual} bytes"))
    }

    /// The decoded content is exactly `expected`.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\r\nPNG\r\n--b--\r\n",
    /// );
    /// email.assert().attachment("logo.png", |logo| logo.content(b"PNG"));
    /// ```
    pub fn content(self, expected: impl AsRef<[u8]>) -> Self {
        let expected = expected.as_ref();
        let actual = self.attachment.content();
        let shown = |bytes: &[u8]| match std::str::from_utf8(bytes) {
            Ok(text) if text.len() <= 60 => format!("{text:?}"),
            _ => format!("{} bytes", bytes.len()),
        };
        self.check(format!("content={}", shown(expected)), actual == expected, shown(actual))
    }

    /// The attachment is inline (shown in the message, e.g. an image with a
    /// `Content-ID`).
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\r\nPNG\r\n--b--\r\n",
    /// );
    /// email.assert().attachment("logo.png", |logo| logo.inline());
    /// ```
    pub fn inline(self) -> Self {
        let actual = self.attachment.is_inline();
        self.check("is inline".to_owned(), actual, "an attachment".to_owned())
    }

    /// The Content-ID is `cid` (`logo` or `<logo>`): what `cid:` URLs
    /// in the HTML refer to.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:logo@acme\" alt=\"Acme\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo@acme>\r\nContent-Disposition: inline\r\n\r\nPNG\r\n--b--\r\n",
    /// );
    /// email.assert().attachment("logo@acme", |logo| logo.content_id("logo@acme").content_id("<logo@acme>").inline());
    /// ```
    pub fn content_id(self, cid: &str) -> Self {
        let actual = self.attachment.content_id().map(str::to_owned);
        let wanted = criteria::strip_angles(cid);
        let holds = actual.as_deref() == Some(wanted);
        let shown = actual.map_or_else(|| "no Content-ID".to_owned(), |id| format!("<{id}>"));
        self.check(format!("content_id=<{wanted}>"), holds, shown)
    }

    /// The attachment is a download, not inline.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n\
    ///      --b\r\nContent-Disposition: attachment; filename=report.csv\r\n\r\na,b\r\n--b--\r\n",
    /// );
    /// email.assert().attachment("report.csv", |csv| csv.not_inline());
    /// ```
    pub fn not_inline(self) -> Self {
        let actual = self.attachment.is_inline();
        self.check("is not inline".to_owned(), !actual, "inline".to_owned())
    }
}
