//! One email as a reader sees it: the value every rendering of an email
//! reads — the console backend, snapshots, the HTML report, the JSON API —
//! so that they agree on what a message holds and each decides only how
//! to lay it out.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::{Attachment, Decoded, Detail, Header, Mailbox, MimePart};

/// What a reader of one email sees: the envelope, the addresses, the
/// headers (each with its [`HeaderRole`]), the decoded bodies, the
/// attachments by name, type, size and hash, the links, the MIME tree and
/// the problems met decoding it. It borrows a [`decode`](crate::decode)d
/// and a [`decode_detail`](crate::decode_detail)ed message.
///
/// ```
/// let raw = b"From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nSubject: Hi\r\nMIME-Version: 1.0\r\n\
///             Received: from x by y\r\nX-Campaign: spring\r\n\r\nSee https://example.com/a\r\n";
/// let envelope_to = ["ann@example.com".to_owned(), "audit@example.com".to_owned()];
/// let (decoded, detail) = (mailtest_mime::decode(raw, &envelope_to), mailtest_mime::decode_detail(raw));
/// let email = mailtest_mime::Presentation::new(&decoded, &detail, Some("shop@example.com"), &envelope_to);
///
/// assert_eq!(email.bcc(), ["audit@example.com"]);
/// let content: Vec<&str> = email.content_headers().map(|header| header.name()).collect();
/// assert_eq!(content, ["From", "To", "Subject", "X-Campaign"]);
/// assert_eq!(*email.links(), ["https://example.com/a"]);
/// assert!(email.envelope_differs(), "audit@ is in the envelope only");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Presentation<'a> {
    decoded: &'a Decoded,
    detail: &'a Detail,
    envelope_from: Option<&'a str>,
    envelope_to: &'a [String],
    html_text: Option<&'a str>,
    links: Option<&'a [String]>,
}

/// What a header is for, as a rendering groups it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderRole {
    /// The MIME structure (`MIME-Version`, `Content-Type`,
    /// `Content-Transfer-Encoding`, `Content-Disposition`): the decoded
    /// bodies and the MIME tree already show what it says.
    Structure,
    /// Added on the way, not by the sender's code: `Received`,
    /// `Return-Path`, DKIM and ARC signatures, authentication results,
    /// the `X-Google-…`/`X-MS-Exchange-…` traces of the big providers.
    Trace,
    /// Everything else: what the sender wrote.
    Content,
}

/// Headers that describe the MIME structure.
const STRUCTURE: [&str; 4] =
    ["MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition"];

/// Headers added in transit.
const TRACE: [&str; 12] = [
    "Received",
    "Return-Path",
    "Delivered-To",
    "DKIM-Signature",
    "DomainKey-Signature",
    "ARC-Seal",
    "ARC-Message-Signature",
    "ARC-Authentication-Results",
    "Authentication-Results",
    "Received-SPF",
    "X-Received",
    "X-Originating-IP",
];
const TRACE_PREFIXES: [&str; 3] = ["x-google-", "x-gm-", "x-ms-exchange-"];

impl HeaderRole {
    /// The role of the header called `name` (any case).
    ///
    /// ```
    /// use mailtest_mime::HeaderRole;
    /// assert_eq!(HeaderRole::of("content-type"), HeaderRole::Structure);
    /// assert_eq!(HeaderRole::of("X-Google-Smtp-Source"), HeaderRole::Trace);
    /// assert_eq!(HeaderRole::of("List-Unsubscribe"), HeaderRole::Content);
    /// ```
    pub fn of(name: &str) -> HeaderRole {
        let is = |known: &&str| known.eq_ignore_ascii_case(name);
        if STRUCTURE.iter().any(is) {
            HeaderRole::Structure
        } else if TRACE.iter().any(is)
            || TRACE_PREFIXES.iter().any(|prefix| {
                name.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
            })
        {
            HeaderRole::Trace
        } else {
            HeaderRole::Content
        }
    }
}

impl<'a> Presentation<'a> {
    /// The email of `decoded` and `detail` (of the same raw message), sent
    /// with this SMTP envelope.
    pub fn new(
        decoded: &'a Decoded,
        detail: &'a Detail,
        envelope_from: Option<&'a str>,
        envelope_to: &'a [String],
    ) -> Presentation<'a> {
        Presentation { decoded, detail, envelope_from, envelope_to, html_text: None, links: None }
    }

    /// The same, with the HTML as text and the links already computed (a
    /// captured email keeps them), so they are not computed again.
    ///
    /// ```
    /// # let raw = b"Content-Type: text/html\r\n\r\n<p>Hi</p>";
    /// # let (decoded, detail) = (mailtest_mime::decode(raw, &[]), mailtest_mime::decode_detail(raw));
    /// let email = mailtest_mime::Presentation::new(&decoded, &detail, None, &[]).with_computed(Some("Hi"), &[]);
    /// assert_eq!(email.html_text().as_deref(), Some("Hi"));
    /// ```
    pub fn with_computed(mut self, html_text: Option<&'a str>, links: &'a [String]) -> Presentation<'a> {
        self.html_text = html_text;
        self.links = Some(links);
        self
    }

    /// `MAIL FROM`, if the email came with an envelope that has one.
    pub fn envelope_from(&self) -> Option<&'a str> {
        self.envelope_from
    }

    /// `RCPT TO`, in order.
    pub fn envelope_to(&self) -> &'a [String] {
        self.envelope_to
    }

    /// Whether the envelope says something the headers do not: another
    /// sender, or recipients other than `To` and `Cc` (blind copies).
    pub fn envelope_differs(&self) -> bool {
        if self.envelope_from.is_none() && self.envelope_to.is_empty() {
            return false;
        }
        let from_differs = self.envelope_from.is_some_and(|from| !self.from().iter().any(|m| m == from));
        let visible: Vec<&Mailbox> = self.to().iter().chain(self.cc()).collect();
        let to_differs = self.envelope_to.len() != visible.len()
            || !self.envelope_to.iter().all(|to| visible.iter().any(|mailbox| *mailbox == to.as_str()));
        from_differs || to_differs
    }

    /// The decoded `Subject`.
    pub fn subject(&self) -> Option<&'a str> {
        self.decoded.subject.as_deref()
    }

    /// The `Message-ID`, without its angle brackets.
    pub fn message_id(&self) -> Option<&'a str> {
        self.decoded.message_id.as_deref()
    }

    /// The `Date`, when it could be read.
    pub fn date(&self) -> Option<std::time::SystemTime> {
        self.decoded.date
    }

    /// The `From` mailboxes.
    pub fn from(&self) -> &'a [Mailbox] {
        &self.decoded.from
    }

    /// The `To` mailboxes.
    pub fn to(&self) -> &'a [Mailbox] {
        &self.decoded.to
    }

    /// The `Cc` mailboxes.
    pub fn cc(&self) -> &'a [Mailbox] {
        &self.decoded.cc
    }

    /// The blind copies: a `Bcc` header's mailboxes and the envelope
    /// recipients in no `To` or `Cc`.
    pub fn bcc(&self) -> &'a [Mailbox] {
        &self.decoded.bcc
    }

    /// The `Reply-To` mailboxes.
    pub fn reply_to(&self) -> &'a [Mailbox] {
        &self.decoded.reply_to
    }

    /// Every header in order, decoded.
    pub fn headers(&self) -> &'a [Header] {
        &self.detail.headers
    }

    /// The first header called `name` (any case), decoded.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers().iter().find(|header| header.name().eq_ignore_ascii_case(name)).map(Header::value)
    }

    /// The headers the sender wrote ([`HeaderRole::Content`]), in order.
    pub fn content_headers(&self) -> impl Iterator<Item = &'a Header> + use<'a> {
        self.headers().iter().filter(|header| HeaderRole::of(header.name()) == HeaderRole::Content)
    }

    /// The text body, decoded.
    pub fn text(&self) -> Option<&'a str> {
        self.decoded.text.as_deref()
    }

    /// The HTML body, decoded.
    pub fn html(&self) -> Option<&'a str> {
        self.decoded.html.as_deref()
    }

    /// The HTML body as a reader sees it ([`html_to_text`](crate::html_to_text)).
    pub fn html_text(&self) -> Option<Cow<'a, str>> {
        match self.html_text {
            Some(text) => Some(Cow::Borrowed(text)),
            None => self.html().map(|html| Cow::Owned(crate::html_to_text(html))),
        }
    }

    /// The links ([`links`](crate::links)): HTML `href`s, then URLs in the text.
    pub fn links(&self) -> Cow<'a, [String]> {
        match self.links {
            Some(links) => Cow::Borrowed(links),
            None => Cow::Owned(crate::links(self.html(), self.text())),
        }
    }

    /// Every part that is not a body.
    pub fn attachments(&self) -> &'a [Attachment] {
        &self.decoded.attachments
    }

    /// The MIME structure.
    pub fn mime_tree(&self) -> &'a MimePart {
        &self.detail.mime_tree
    }

    /// What could not be read, each a sentence.
    pub fn problems(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.decoded.problems.iter().chain(&self.detail.problems).map(String::as_str)
    }
}

/// The first `digits` hex digits of the sha256 of `content`: how renderings
/// name an attachment's bytes, short enough to read.
///
/// ```
/// assert_eq!(mailtest_mime::sha256_prefix(b"PNG", 16), "796120837694d3f3");
/// ```
pub fn sha256_prefix(content: &[u8], digits: usize) -> String {
    let digest = crate::sha256::sha256(content);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex.truncate(digits.min(64));
    hex
}
