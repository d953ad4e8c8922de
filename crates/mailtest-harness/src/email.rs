//! The captured `Email`: an owned, decoded view over the raw bytes.

use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use mailtest_mime::Mailbox;
use mailtest_mime::{Attachment, Header, MimePart};
use mailtest_mime::{Decoded, Detail};

/// One captured message as it was stored: bytes and envelope, never parsed
/// at capture time. The decoded view is filled on first inspection and shared
/// by every `Email` handle to this record.
pub(crate) struct Record {
    pub(crate) seq: u64,
    pub(crate) captured_at: SystemTime,
    pub(crate) envelope_from: Option<String>,
    pub(crate) envelope_to: Vec<String>,
    pub(crate) raw: Vec<u8>,
    /// The name of the mailer that sent it, when a named mailer did.
    pub(crate) sent_using: Option<Arc<str>>,
    /// Its attempt's place in the outbox's attempt log (see `outbox::attempts`).
    pub(crate) attempt: u64,
    /// Stored, but the sender saw the connection drop instead of the 250.
    pub(crate) reply_lost: bool,
    // Boxed, as `detail`: a record nobody inspects (most of what an SMTP
    // sink takes in a load test) then holds a pointer, not the whole view.
    view: OnceLock<Box<Decoded>>,
    links: OnceLock<Vec<String>>,
    html_text: OnceLock<Option<String>>,
    detail: OnceLock<Box<Detail>>,
    problems: OnceLock<Vec<String>>,
    /// Whether an assertion ever matched this email (for strict mode).
    pub(crate) asserted: AtomicBool,
}

impl Record {
    pub(crate) fn new(
        seq: u64,
        captured_at: SystemTime,
        envelope_from: Option<String>,
        envelope_to: Vec<String>,
        raw: Vec<u8>,
    ) -> Record {
        Record {
            seq,
            captured_at,
            envelope_from,
            envelope_to,
            raw,
            sent_using: None,
            attempt: 0,
            reply_lost: false,
            view: OnceLock::new(),
            links: OnceLock::new(),
            html_text: OnceLock::new(),
            detail: OnceLock::new(),
            problems: OnceLock::new(),
            asserted: AtomicBool::new(false),
        }
    }
}

/// A captured email: owned, decoded, with line endings normalised to `\n`.
///
/// Cheap to clone (it shares the bytes and the decoded view with its
/// outbox). Nothing is parsed at capture; each part of the view is decoded
/// on its first use, once, however many handles there are: addresses,
/// subject, bodies and attachments together; the full header list and the
/// MIME tree (which most assertions never read) apart, so that first
/// inspection stays within a few microseconds of the parser itself. Malformed input never panics: what could
/// not be read is listed in [`problems`](Email::problems) and the bytes stay
/// available in [`raw`](Email::raw).
///
/// Two emails are equal (`==`) when they are the same message: the same
/// bytes and the same envelope, wherever and whenever each was captured.
///
/// ```
/// let email = mailtest::Email::from_raw(
///     "From: App <app@example.com>\r\n\
///      To: =?utf-8?q?Ren=C3=A9e?= <renee@example.com>\r\n\
///      Subject: =?utf-8?b?V2lsbGtvbW1lbiDwn46J?=\r\n\
///      Content-Type: text/plain; charset=iso-8859-1\r\n\
///      Content-Transfer-Encoding: quoted-printable\r\n\r\n\
///      Gr=FC=DFe aus M=FCnchen, a long line that is =\r\nsoftly broken.\r\n",
/// );
/// assert_eq!(email.subject(), Some("Willkommen 🎉"));
/// assert_eq!(email.to()[0].name.as_deref(), Some("Renée"));
/// assert_eq!(email.text(), Some("Grüße aus München, a long line that is softly broken.\n"));
/// assert!(email.problems().is_empty());
/// ```
#[derive(Clone)]
pub struct Email {
    record: Arc<Record>,
}

impl Email {
    pub(crate) fn from_record(record: Arc<Record>) -> Email {
        Email { record }
    }

    pub(crate) fn record(&self) -> &Arc<Record> {
        &self.record
    }

    /// Makes an `Email` from raw RFC 5322 bytes, outside any outbox: for
    /// inspecting a message file or a message your code built.
    ///
    /// The envelope is empty, so [`bcc`](Email::bcc) holds only a `Bcc`
    /// header, if the bytes have one.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hello\r\n\r\nBody");
    /// assert_eq!(email.subject(), Some("Hello"));
    /// ```
    pub fn from_raw(raw: impl Into<Vec<u8>>) -> Email {
        Email::with_envelope(None, Vec::new(), raw.into())
    }

    /// An `Email` outside any outbox that knows its envelope, so that
    /// [`bcc`](Email::bcc) is derived as for a captured one.
    pub(crate) fn with_envelope(
        envelope_from: Option<String>,
        envelope_to: Vec<String>,
        raw: Vec<u8>,
    ) -> Email {
        Email::from_record(Arc::new(Record::new(0, SystemTime::now(), envelope_from, envelope_to, raw)))
    }

    fn detail(&self) -> &Detail {
        self.record.detail.get_or_init(|| Box::new(mailtest_mime::decode_detail(&self.record.raw)))
    }

    fn view(&self) -> &Decoded {
        self.record
            .view
            .get_or_init(|| Box::new(mailtest_mime::decode(&self.record.raw, &self.record.envelope_to)))
    }

    /// The decoded `Subject`, if any.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// assert_eq!(email.subject(), Some("Hi"));
    /// ```
    pub fn subject(&self) -> Option<&str> {
        self.view().subject.as_deref()
    }

    /// The `From` mailboxes.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// assert_eq!(email.from(), ["Shop <shop@example.com>"]);
    /// ```
    pub fn from(&self) -> &[Mailbox] {
        &self.view().from
    }

    /// The `To` mailboxes.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// assert_eq!(email.to(), ["ann@example.com"]);
    /// ```
    pub fn to(&self) -> &[Mailbox] {
        &self.view().to
    }

    /// The `Cc` mailboxes.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// assert_eq!(email.cc(), ["boss@example.com"]);
    /// ```
    pub fn cc(&self) -> &[Mailbox] {
        &self.view().cc
    }

    /// The blind-copied mailboxes: envelope recipients that are in neither
    /// `To` nor `Cc` (lettre removes the `Bcc` header before sending, so the
    /// envelope is where they are), plus any `Bcc` header still present.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(
    ///     Some("app@example.com"),
    ///     &["ann@example.com", "audit@example.com"],
    ///     b"To: ann@example.com\r\n\r\nHi",
    /// );
    /// assert_eq!(mail.emails()[0].bcc(), ["audit@example.com"]);
    /// ```
    pub fn bcc(&self) -> &[Mailbox] {
        &self.view().bcc
    }

    /// The `Reply-To` mailboxes.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// assert_eq!(email.reply_to(), ["help@example.com"]);
    /// ```
    pub fn reply_to(&self) -> &[Mailbox] {
        &self.view().reply_to
    }

    /// The SMTP envelope sender (`MAIL FROM`), if there was one.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(Some("bounces@example.com"), &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// assert_eq!(mail.emails()[0].envelope_from(), Some("bounces@example.com"));
    /// ```
    pub fn envelope_from(&self) -> Option<&str> {
        self.record.envelope_from.as_deref()
    }

    /// The name of the mailer that sent it — Django's `sent_using`: `"default"`
    /// for a [`Mailer`](mailtest_mailer::Mailer) made from settings, the mailer's name
    /// for one chosen with [`Mailer::using`](mailtest_mailer::Mailer::using) (see
    /// `MAILERS` in [`Settings`](mailtest_mailer::Settings)); `None` for a mailer made
    /// from a backend in code, and for mail that came any other way (a
    /// capture transport, `capture_raw`, an `SmtpSink`).
    ///
    /// ```
    /// let settings =
    ///     mailtest::Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BULK_EMAIL_BACKEND", "dummy")]).unwrap();
    /// let mail = mailtest::capture();
    /// mailtest::send_mail("Spring sale", "20% off", "shop@example.com", &["ann@example.com"])
    ///     .connection(&mailtest::Mailer::using(&settings, "bulk").unwrap())
    ///     .send()
    ///     .unwrap();
    /// assert_eq!(mail.emails()[0].sent_using(), Some("bulk"));
    /// ```
    pub fn sent_using(&self) -> Option<&str> {
        self.record.sent_using.as_deref()
    }

    /// The SMTP envelope recipients (`RCPT TO`), Bcc included.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com", "audit@example.com"], b"To: ann@example.com\r\n\r\n.");
    /// assert_eq!(mail.emails()[0].envelope_to(), ["ann@example.com", "audit@example.com"]);
    /// ```
    pub fn envelope_to(&self) -> &[String] {
        &self.record.envelope_to
    }

    /// The first header called `name` (any case), decoded; see [`Header`].
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("X-Priority: 1\r\nx-tag: a\r\nX-Tag: b\r\n\r\n.");
    /// assert_eq!(email.header("x-priority"), Some("1"));
    /// assert_eq!(email.header("X-Tag"), Some("a"));
    /// assert_eq!(email.header("Missing"), None);
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .iter()
            .find(|header| header.name().eq_ignore_ascii_case(name))
            .map(|header| header.value())
    }

    /// Every header called `name` (any case), in order, decoded.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("X-Tag: a\r\nx-tag: b\r\n\r\n.");
    /// assert_eq!(email.header_values("X-TAG").collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers()
            .iter()
            .filter(move |header| header.name().eq_ignore_ascii_case(name))
            .map(|header| header.value())
    }

    /// Every top-level header, in order, decoded.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// let names: Vec<&str> = email.headers().iter().map(|h| h.name()).collect();
    /// assert_eq!(names, ["From", "To", "Cc", "Reply-To", "Subject", "Message-ID"]);
    /// ```
    pub fn headers(&self) -> &[Header] {
        &self.detail().headers
    }

    /// The plain-text body, decoded, with `\n` line endings; `None` for an
    /// HTML-only message. Several text parts (in a `multipart/mixed`) are
    /// joined in order.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// assert_eq!(email.text(), Some("Hello"));
    /// ```
    pub fn text(&self) -> Option<&str> {
        self.view().text.as_deref()
    }

    /// The HTML body, decoded, with `\n` line endings, if any.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Content-Type: text/html\r\n\r\n<p>Hi</p>\r\n");
    /// assert_eq!(email.html(), Some("<p>Hi</p>\n"));
    /// assert_eq!(email.text(), None);
    /// ```
    pub fn html(&self) -> Option<&str> {
        self.view().html.as_deref()
    }

    /// The HTML body as the reader sees it: tags out, entities decoded,
    /// white space folded. Computed on first use, once.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: text/html\r\n\r\n<p>O&#039;Connor &amp; <b>friends</b></p>",
    /// );
    /// assert_eq!(email.html_text(), Some("O'Connor & friends"));
    /// ```
    pub fn html_text(&self) -> Option<&str> {
        self.record.html_text.get_or_init(|| self.html().map(mailtest_mime::html_to_text)).as_deref()
    }

    /// Every part that is not a body: files, inline images (see
    /// [`Attachment::is_inline`]), forwarded messages.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// assert_eq!(email.attachments()[0].filename(), Some("logo.png"));
    /// ```
    pub fn attachments(&self) -> &[Attachment] {
        &self.view().attachments
    }

    /// The URLs in the message: every `href` of the HTML's `<a>` and
    /// `<area>` (entities decoded), then every `http(s)://` URL in the
    /// text, each once, in order. A link inside an HTML comment is no link
    /// (no reader can click it); one inside Outlook's conditional comments
    /// (`<!--[if mso]>…<![endif]-->`) is. The link lints read the same links.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: text/html\r\n\r\n\
    ///      <a href=\"https://example.com/reset?token=abc&amp;u=1\">Reset</a>\r\n",
    /// );
    /// assert_eq!(email.links(), ["https://example.com/reset?token=abc&u=1"]);
    /// ```
    pub fn links(&self) -> &[String] {
        self.record.links.get_or_init(|| mailtest_mime::links(self.html(), self.text()))
    }

    /// The `Message-ID`, without angle brackets.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// assert_eq!(email.message_id(), Some("42@example.com"));
    /// ```
    pub fn message_id(&self) -> Option<&str> {
        self.view().message_id.as_deref()
    }

    /// The `Date` header as a point in time, if present and valid.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let email = mailtest::Email::from_raw("Date: Thu, 01 Jan 1970 01:00:00 +0100\r\n\r\n.");
    /// assert_eq!(email.date(), Some(UNIX_EPOCH));
    /// ```
    pub fn date(&self) -> Option<SystemTime> {
        self.view().date
    }

    /// The bytes exactly as captured.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nCc: boss@example.com\r\nReply-To: help@example.com\r\nSubject: Hi\r\nMessage-ID: <42@example.com>\r\n\r\nHello");
    /// assert!(email.raw().starts_with(b"From: Shop"));
    /// ```
    pub fn raw(&self) -> &[u8] {
        &self.record.raw
    }

    /// The MIME structure.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// assert_eq!(email.mime_tree().children()[1].content_type(), "image/png");
    /// ```
    pub fn mime_tree(&self) -> &MimePart {
        &self.detail().mime_tree
    }

    /// What could not be read, in words: no headers, a body that would not
    /// decode, an encoded word that is broken, a parser failure. Empty for a
    /// well-formed message.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(&b""[..]);
    /// assert_eq!(email.problems(), ["the message is empty (0 bytes)"]);
    /// ```
    pub fn problems(&self) -> &[String] {
        self.record
            .problems
            .get_or_init(|| self.view().problems.iter().chain(&self.detail().problems).cloned().collect())
    }

    /// The email as every rendering of it reads it — snapshots, the HTML
    /// report, the JSON API of `mailtest serve`, the console backend: see
    /// [`Presentation`](mailtest_mime::Presentation). Its HTML text and links
    /// are this email's, computed once.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(Some("shop@example.com"), &["ann@example.com", "audit@example.com"], b"To: ann@example.com\r\n\r\nHi");
    /// let email = mail.emails().remove(0);
    /// let shown = email.presentation();
    /// assert_eq!(shown.bcc(), ["audit@example.com"]);
    /// assert!(shown.envelope_differs());
    /// ```
    pub fn presentation(&self) -> mailtest_mime::Presentation<'_> {
        mailtest_mime::Presentation::new(self.view(), self.detail(), self.envelope_from(), self.envelope_to())
            .with_computed(self.html_text(), self.links())
    }

    /// The position of this email in its outbox's capture order, from 1
    /// (0 for [`Email::from_raw`]). Not reset by [`Outbox::clear`](crate::Outbox::clear).
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// let numbers: Vec<u64> = mail.emails().iter().map(|e| e.sequence()).collect();
    /// assert_eq!(numbers, [1, 2]);
    /// ```
    pub fn sequence(&self) -> u64 {
        self.record.seq
    }

    /// When the email was captured.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// assert!(mail.emails()[0].captured_at() <= std::time::SystemTime::now());
    /// ```
    pub fn captured_at(&self) -> SystemTime {
        self.record.captured_at
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Email");
        debug
            .field("sequence", &self.sequence())
            .field("from", &self.from())
            .field("to", &self.to())
            .field("cc", &self.cc())
            .field("bcc", &self.bcc())
            .field("subject", &self.subject())
            .field("attachments", &self.attachments().len());
        if !self.problems().is_empty() {
            debug.field("problems", &self.problems());
        }
        debug.finish()
    }
}

impl PartialEq for Email {
    /// The same message: the same bytes and the same envelope. Where and
    /// when each was captured ([`sequence`](Email::sequence),
    /// [`captured_at`](Email::captured_at)) is not part of it, so a message
    /// sent twice gives two equal emails, and a message read back from a
    /// file equals the one captured when it was sent.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.record, &other.record)
            || (self.record.raw == other.record.raw
                && self.record.envelope_from == other.record.envelope_from
                && self.record.envelope_to == other.record.envelope_to)
    }
}

impl Eq for Email {}

const _: () = {
    const fn assert_traits<T: Clone + Send + Sync + fmt::Debug>() {}
    assert_traits::<Email>();
};
