//! Snapshots: each email as a stable, human-readable text, for insta.
//!
//! [`render`] turns an [`Email`] into text a reviewer can read in a diff;
//! [`assert_email_snapshot!`](crate::assert_email_snapshot) and
//! [`assert_outbox_snapshot!`](crate::assert_outbox_snapshot) hand that text
//! to insta, so a change to what your code sends shows up in
//! `cargo insta review` like any other snapshot change.
//!
//! # Why a rendering, not the raw message
//!
//! Two sends of the same logical email never have the same bytes: lettre
//! stamps a new `Date`, a random `Message-ID` and random MIME boundaries, and
//! chooses transfer encodings and line folding as it likes. A snapshot of the
//! bytes would fail on every run and hide the change that matters in
//! base64. The rendering shows what the recipient gets, decoded, and leaves
//! out or names what varies, so the same logical email renders identically
//! every time while any change a recipient could notice changes the text.
//!
//! # In a test
//!
//! ```no_run
//! // In a `#[test] fn welcome_email()`. Not run here: the first run of the file
//! // form has no snapshot to compare with, and `cargo insta review` writes it.
//! let mail = mailtest::capture();
//! # mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome!\r\n\r\nHi\r\n");
//! let email = mail.find().to("ann@example.com").one();
//!
//! // tests/snapshots/<test file>__welcome_email.snap, as insta names it
//! mailtest::assert_email_snapshot!(email);
//! // every email captured, in capture order
//! mailtest::assert_outbox_snapshot!(mail);
//! ```
//!
//! Your crate needs no insta dependency: the macros reach insta through
//! mailtest. Install the `cargo-insta` tool to review changes
//! (`cargo insta review`) or accept them (`cargo insta test --accept`, or
//! `INSTA_UPDATE=always`). The snapshot's `expression:` is what you wrote
//! (`email`); under `CI=true` a changed snapshot fails the test and writes
//! no `.snap.new`. Run `cargo insta test --check --unreferenced=reject` in
//! CI to also reject orphaned snapshots. The forms (named, inline, with
//! redactions) are listed at [`assert_email_snapshot!`](crate::assert_email_snapshot).
//!
//! # The layout
//!
//! ```text
//! From: Shop <shop@example.com>                 headers, decoded, in a fixed order:
//! To: Ann <ann@example.com>                       From, Sender, To, Cc, Bcc, Reply-To, Subject,
//! Bcc: audit@example.com                          Date, Message-ID, In-Reply-To, References,
//! Subject: Your invoice                           then every other header in message order
//! Date: [date]                                  (volatile values named, see below)
//! Message-ID: [message-id]
//! List-Unsubscribe: <https://shop.example.com/u>
//! Envelope: shop@example.com -> ann@example.com, audit@example.com
//!
//! --- mime ---                                  the MIME tree: type, charset, disposition,
//! multipart/mixed                                 filename, content-id, and the size of files
//!   multipart/alternative
//!     text/plain; charset=utf-8
//!     text/html; charset=utf-8
//!   application/pdf; attachment; filename="invoice.pdf"; 2048 bytes
//!
//! --- text/plain ---                            the decoded text body, as is
//! Hi Ann,
//!
//! --- text/html ---                             the decoded HTML body, as is (an HTML-only email
//! <p>Hi Ann,</p>                                  also gets `--- text/html as text ---`)
//!
//! --- attachments ---                           name, type, disposition, size, sha256 prefix:
//! 1. "invoice.pdf" application/pdf, attachment, 2048 bytes, sha256 3f2a9c1e5b7d0a4f
//!
//! --- problems ---                              what could not be decoded, if anything
//! ```
//!
//! A body that does not end in a new line is followed by
//! `\ no newline at end`; an empty one reads `(empty)`. Control characters
//! other than new lines and tabs are written `\u{1b}`. A forwarded
//! `message/rfc822` attachment is rendered in full, indented, instead of
//! hashed. Line endings are `\n`.
//!
//! Headers never shown: transport traces and signatures (`Received`,
//! `Return-Path`, `Delivered-To`, `DKIM-Signature`, `DomainKey-Signature`,
//! `ARC-*`, `Authentication-Results`, `Received-SPF`, `X-Received`,
//! `X-Originating-IP`, `X-Google-*`, `X-Gm-*`, `X-MS-Exchange-*`) and the MIME
//! headers the `--- mime ---` section already shows (`MIME-Version`,
//! `Content-Type`, `Content-Transfer-Encoding`, `Content-Disposition`). Every
//! other header — `List-Unsubscribe`, `Content-Language`, `Auto-Submitted`,
//! your own `X-*` — is shown, because your code put it there.
//!
//! # What is redacted by default
//!
//! | value | shown as |
//! |---|---|
//! | `Date` | `[date]` (present or absent still shows) |
//! | this email's `Message-ID`, wherever it appears | `[message-id]`; in an outbox rendering `[message-id #n]`, so a reply's `In-Reply-To: [message-id #1]` says which email it answers |
//! | an id in `In-Reply-To` / `References` that looks generated (a uuid, 16+ mixed letters and digits, a 10+ digit number) and is not known | `[generated-id]`; hand-made ids (`<order-42@shop>`) stay |
//! | a MIME boundary of 12 characters or more, wherever it appears | `[boundary]` |
//! | transfer encodings, header folding, part sizes of text bodies | not shown |
//!
//! Anything else your code generates — a token in a link, an order number —
//! is yours to redact with [`Redactions`], applied after the built-in ones.
//!
//! ```
//! let email = mailtest::Email::from_raw(
//!     "From: Shop <shop@example.com>\r\n\
//!      To: ann@example.com\r\n\
//!      Subject: Welcome\r\n\
//!      Date: Tue, 7 May 2024 10:00:00 +0000\r\n\
//!      Message-ID: <Xk3v9QpL2mZr7TnB4wYc8HdJ1sFg6aEu5oRi@localhost>\r\n\
//!      Content-Type: text/plain; charset=utf-8\r\n\r\n\
//!      Hi Ann\r\n",
//! );
//! assert_eq!(
//!     mailtest::snapshot::render(&email),
//!     "From: Shop <shop@example.com>\n\
//!      To: ann@example.com\n\
//!      Subject: Welcome\n\
//!      Date: [date]\n\
//!      Message-ID: [message-id]\n\
//!      \n\
//!      --- mime ---\n\
//!      text/plain; charset=utf-8\n\
//!      \n\
//!      --- text/plain ---\n\
//!      Hi Ann\n",
//! );
//! ```

mod macros;
mod redact;
mod render;

pub use self::redact::Redactions;

use self::render::KnownIds;
use crate::email::Email;
use crate::outbox::Outbox;

/// The email as snapshot text, with the built-in redactions; see the
/// [module docs](self) for the layout.
///
/// ```
/// let email = mailtest::Email::from_raw("Subject: Hi\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\n\r\nHello");
/// let text = mailtest::snapshot::render(&email);
/// assert!(text.starts_with("Subject: Hi\nDate: [date]\n"));
/// assert!(text.ends_with("--- text/plain ---\nHello\n\\ no newline at end\n"));
/// ```
pub fn render(email: &Email) -> String {
    render_with(email, &Redactions::new())
}

/// [`render`], then your [`Redactions`].
///
/// ```
/// use mailtest::snapshot::{Redactions, render_with};
///
/// let email = mailtest::Email::from_raw("Subject: Your code is 493817\r\n\r\n.");
/// let text = render_with(&email, &Redactions::new().pattern(r"\b\d{6}\b", "[code]"));
/// assert!(text.starts_with("Subject: Your code is [code]\n"));
/// ```
pub fn render_with(email: &Email, redactions: &Redactions) -> String {
    let mut ids = KnownIds::new();
    if let Some(id) = email.message_id() {
        ids.add(id, render::MESSAGE_ID.to_owned());
    }
    let mut out = String::new();
    render::email(&mut out, email, &ids);
    finish(out, email.raw(), &ids, redactions)
}

/// Every email in `outbox`, in capture order, each rendered as by
/// [`render`] under an `=== email n of m ===` heading. Message ids are
/// numbered by email (`[message-id #2]`), so replies show what they answer.
///
/// ```
/// let outbox = mailtest::Outbox::new();
/// outbox.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: One\r\n\r\n.");
/// outbox.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Two\r\n\r\n.");
/// let text = mailtest::snapshot::render_outbox(&outbox);
/// assert!(text.starts_with("2 emails captured\n\n=== email 1 of 2 ===\nTo: ann@example.com\nSubject: One\n"));
/// assert!(text.contains("\n=== email 2 of 2 ===\nTo: bob@example.com\nSubject: Two\n"));
/// ```
pub fn render_outbox(outbox: &Outbox) -> String {
    render_outbox_with(outbox, &Redactions::new())
}

/// [`render_outbox`], then your [`Redactions`].
///
/// ```
/// use mailtest::snapshot::{Redactions, render_outbox_with};
///
/// let outbox = mailtest::Outbox::new();
/// let text = render_outbox_with(&outbox, &Redactions::new());
/// assert_eq!(text, "no emails captured\n");
/// ```
pub fn render_outbox_with(outbox: &Outbox, redactions: &Redactions) -> String {
    let emails = outbox.emails();
    if emails.is_empty() {
        return finish("no emails captured\n".to_owned(), &[], &KnownIds::new(), redactions);
    }
    let mut ids = KnownIds::new();
    for (n, email) in emails.iter().enumerate() {
        if let Some(id) = email.message_id() {
            ids.add(id, format!("[message-id #{}]", n + 1));
        }
    }
    let total = emails.len();
    let mut out = format!("{total} {} captured\n", if total == 1 { "email" } else { "emails" });
    let mut raw = Vec::new();
    for (n, email) in emails.iter().enumerate() {
        out.push_str(&format!("\n=== email {} of {total} ===\n", n + 1));
        render::email(&mut out, email, &ids);
        raw.extend_from_slice(email.raw());
        raw.push(b'\n');
    }
    finish(out, &raw, &ids, redactions)
}

/// The built-in scrubbing of values that may have leaked into bodies, then
/// the user's rules.
fn finish(rendered: String, raw: &[u8], ids: &KnownIds, redactions: &Redactions) -> String {
    let mut volatile: Vec<(String, String)> = ids.as_scrub_list().collect();
    volatile.extend(redact::boundaries(raw).into_iter().map(|b| (b, redact::BOUNDARY.to_owned())));
    let scrubbed = redact::scrub(&rendered, &volatile);
    if redactions.is_empty() { scrubbed } else { redactions.apply(&scrubbed) }
}
