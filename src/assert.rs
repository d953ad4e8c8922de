//! `email.assert()`: a chain of checks on one email, each failing at your
//! line with what the email had instead.

use std::sync::atomic::Ordering;

use crate::criteria::{self, Body, Criterion, Field};
use crate::email::Email;
use crate::parts::Attachment;
use crate::pattern::Pattern;
use crate::report::Failure;

/// Checks on one [`Email`], made by [`Email::assert`]. Every method checks
/// at once and returns the chain, or panics at your line with a report of
/// the email and what it had instead.
///
/// Each check `x` has a negative twin `not_x` (and `no_header`).
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

/// Writes each check and its `not_` twin.
macro_rules! email_checks {
    ($(
        $(#[$doc:meta])*
        fn $name:ident / $not:ident ($($arg:ident : $ty:ty),*) => $make:expr;
    )*) => {$(
        $(#[$doc])*
        #[track_caller]
        pub fn $name(self, $($arg: $ty),*) -> Self {
            self.check($make)
        }

        #[doc = concat!(
            "The opposite of [`", stringify!($name), "`](EmailAssert::", stringify!($name),
            "): fails when it holds. See its example."
        )]
        #[track_caller]
        pub fn $not(self, $($arg: $ty),*) -> Self {
            self.check(($make).negate())
        }
    )*};
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

    email_checks! {
        /// The subject is `pattern`: equal to a literal, or matching a regex.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Subject: Welcome, Ann\r\n\r\n.");
        /// email.assert().subject("Welcome, Ann").subject(mailtest::regex("Ann$")).not_subject("Bye");
        /// ```
        fn subject / not_subject(pattern: impl Into<Pattern>) => criteria::subject(pattern.into());

        /// The subject contains `pattern`.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Subject: Order #1042 shipped\r\n\r\n.");
        /// email.assert().subject_contains("shipped").not_subject_contains("cancelled");
        /// ```
        fn subject_contains / not_subject_contains(pattern: impl Into<Pattern>) => criteria::subject_contains(pattern.into());

        /// `To` holds `address` (`ann@example.com` or `Ann <ann@example.com>`).
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("To: Ann <ann@example.com>\r\n\r\n.");
        /// email.assert().to("ann@EXAMPLE.com").to("Ann <ann@example.com>").not_to("bob@example.com");
        /// ```
        fn to / not_to(address: &str) => criteria::address(Field::To, address);

        /// `Cc` holds `address`.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Cc: boss@example.com\r\n\r\n.");
        /// email.assert().cc("boss@example.com").not_cc("ann@example.com");
        /// ```
        fn cc / not_cc(address: &str) => criteria::address(Field::Cc, address);

        /// `address` was blind-copied (see [`Email::bcc`]).
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Bcc: audit@example.com\r\n\r\n.");
        /// email.assert().bcc("audit@example.com").not_bcc("ann@example.com");
        /// ```
        fn bcc / not_bcc(address: &str) => criteria::address(Field::Bcc, address);

        /// `From` holds `address`.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\n\r\n.");
        /// email.assert().from("shop@example.com").not_from("spam@example.com");
        /// ```
        fn from / not_from(address: &str) => criteria::address(Field::From, address);

        /// `Reply-To` holds `address`.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Reply-To: help@example.com\r\n\r\n.");
        /// email.assert().reply_to("help@example.com").not_reply_to("noreply@example.com");
        /// ```
        fn reply_to / not_reply_to(address: &str) => criteria::address(Field::ReplyTo, address);

        /// The plain-text body contains `pattern`.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nYour code is 123456.");
        /// email.assert().text_contains("code is").text_contains(mailtest::regex(r"\d{6}")).not_text_contains("password");
        /// ```
        fn text_contains / not_text_contains(pattern: impl Into<Pattern>) => criteria::body_contains(Body::Text, pattern.into());

        /// The HTML body contains `pattern`, in its markup or in its decoded
        /// text (entities decoded, tags out).
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Content-Type: text/html\r\n\r\n<p>O&#039;Connor &amp; <b>friends</b></p>");
        /// email.assert().html_contains("O'Connor & friends").html_contains("<b>").not_html_contains("enemies");
        /// ```
        fn html_contains / not_html_contains(pattern: impl Into<Pattern>) => criteria::body_contains(Body::Html, pattern.into());

        /// The text or HTML body contains `pattern`.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Content-Type: text/html\r\n\r\n<p>Welcome</p>");
        /// email.assert().body_contains("Welcome").not_body_contains("Goodbye");
        /// ```
        fn body_contains / not_body_contains(pattern: impl Into<Pattern>) => criteria::body_contains(Body::Either, pattern.into());

        /// A header `name` (any case) has the decoded value `value`: equal to
        /// a literal, or matching a regex.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("X-Campaign: spring\r\n\r\n.");
        /// email.assert().header("x-campaign", "spring").not_header("X-Campaign", "winter");
        /// ```
        fn header / not_header(name: &str, value: impl Into<Pattern>) => criteria::header(name, value.into());

        /// A header `name` is present, whatever its value.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("List-Unsubscribe: <https://example.com/u>\r\n\r\n.");
        /// email.assert().has_header("list-unsubscribe").no_header("X-Debug");
        /// ```
        fn has_header / no_header(name: &str) => criteria::has_header(name);

        /// An attachment's file name is `name`: equal to a literal, or
        /// matching a regex. A part with no file name (lettre's inline
        /// images) is found by its Content-ID. See
        /// [`attachment`](EmailAssert::attachment) to check what it holds.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw(
        ///     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n\
        ///      --b\r\nContent-Disposition: attachment; filename=invoice.pdf\r\n\r\n%PDF\r\n--b--\r\n",
        /// );
        /// email.assert().has_attachment("invoice.pdf").has_attachment(mailtest::regex(r"\.pdf$")).not_has_attachment("x.exe");
        /// ```
        fn has_attachment / not_has_attachment(name: impl Into<Pattern>) => criteria::has_attachment(name.into());

        /// An inline part has the Content-ID `cid` (`logo` or `<logo>`, or a
        /// regex): what `<img src="cid:logo">` shows.
        ///
        /// ```
        /// use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
        ///
        /// let message = lettre::Message::builder()
        ///     .from("app@example.com".parse().unwrap())
        ///     .to("ann@example.com".parse().unwrap())
        ///     .multipart(
        ///         MultiPart::related()
        ///             .singlepart(SinglePart::html(String::from("<img src=\"cid:logo\" alt=\"Acme\">")))
        ///             .singlepart(Attachment::new_inline(String::from("logo")).body(b"PNG".to_vec(), ContentType::parse("image/png").unwrap())),
        ///     )
        ///     .unwrap();
        /// let email = mailtest::Email::from_raw(message.formatted());
        /// email.assert().has_inline("logo").has_inline("<logo>").not_has_inline("banner");
        /// ```
        fn has_inline / not_has_inline(cid: impl Into<Pattern>) => criteria::has_inline(cid.into());

        /// Some link (see [`Email::links`]) contains `pattern`.
        ///
        /// ```
        /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nGo to https://example.com/reset?t=1");
        /// email.assert().has_link("/reset").not_has_link("/unsubscribe");
        /// ```
        fn has_link / not_has_link(pattern: impl Into<Pattern>) => criteria::has_link(pattern.into());
    }

    /// The text body holds `fragments` in this order, each after the one before.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nDear Ann,\r\nthanks.\r\nThe team");
    /// email.assert().text_in_order(["Dear Ann", "thanks", "The team"]);
    /// ```
    #[track_caller]
    pub fn text_in_order<S: AsRef<str>>(self, fragments: impl IntoIterator<Item = S>) -> Self {
        let fragments = fragments.into_iter().map(|f| f.as_ref().to_owned()).collect();
        self.check(criteria::in_order(Body::Text, fragments))
    }

    /// The HTML body, as decoded text, holds `fragments` in this order.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Content-Type: text/html\r\n\r\n<h1>Hi</h1><p>Tom &amp; Jerry</p>");
    /// email.assert().html_in_order(["Hi", "Tom & Jerry"]);
    /// ```
    #[track_caller]
    pub fn html_in_order<S: AsRef<str>>(self, fragments: impl IntoIterator<Item = S>) -> Self {
        let fragments = fragments.into_iter().map(|f| f.as_ref().to_owned()).collect();
        self.check(criteria::in_order(Body::Html, fragments))
    }

    /// Exactly `n` attachments (inline parts included).
    ///
    /// ```
    /// mailtest::Email::from_raw("Subject: Hi\r\n\r\n.").assert().attachment_count(0);
    /// ```
    #[track_caller]
    pub fn attachment_count(self, n: usize) -> Self {
        self.check(criteria::attachment_count(n))
    }

    /// Checks the attachment named `name` (a literal or a regex; a part
    /// with no file name is found by its Content-ID) with `checks`: content
    /// type, size, bytes, inline or not, Content-ID.
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
                let _checked = checks(AttachmentAssert { email: self.email, attachment });
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

/// Checks on one attachment, inside [`EmailAssert::attachment`].
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
#[derive(Debug)]
pub struct AttachmentAssert<'a> {
    email: &'a Email,
    attachment: &'a Attachment,
}

impl AttachmentAssert<'_> {
    #[track_caller]
    fn check(self, label: String, holds: bool, actual: String) -> Self {
        if !holds {
            let name = match (self.attachment.filename(), self.attachment.content_id()) {
                (Some(name), _) => format!("{name:?}"),
                (None, Some(id)) => format!("<{id}>"),
                (None, None) => "(unnamed)".to_owned(),
            };
            let criterion = criteria::Criterion::new(
                format!("attachment {name} {label}"),
                |_| false,
                move |_| actual.clone(),
            );
            Failure::for_email(self.email, &criterion).panic();
        }
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
    #[track_caller]
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
    #[track_caller]
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
    #[track_caller]
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
    #[track_caller]
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
    #[track_caller]
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
    #[track_caller]
    pub fn not_inline(self) -> Self {
        let actual = self.attachment.is_inline();
        self.check("is not inline".to_owned(), !actual, "inline".to_owned())
    }
}
