//! One email as snapshot text. The layout is documented in the module docs
//! of [`crate::snapshot`]; a change here is a change to every user's
//! snapshots, so it is pinned by the corpus snapshots in `snapshots/`.

use std::fmt::Write as _;

use crate::email::Email;
use crate::snapshot::redact::{self, GENERATED_ID};
use mailtest_mime::{Attachment, Mailbox, MimePart, Presentation};

/// Shown instead of the `Date` header's value.
pub(crate) const DATE: &str = "[date]";
/// Shown instead of this email's own `Message-ID`.
pub(crate) const MESSAGE_ID: &str = "[message-id]";

/// Headers rendered first, in this order, from the decoded view.
const LEADING: [&str; 11] = [
    "From",
    "Sender",
    "To",
    "Cc",
    "Bcc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
];

/// The sha256 prefix length, in hex digits: enough to tell files apart,
/// short enough to read.
const SHA_PREFIX: usize = 16;

/// Message ids the rendering knows by name: this email's own, and in an
/// outbox rendering every captured email's (`[message-id #2]`), so a reply
/// shows which email it answers.
#[derive(Default, Clone)]
pub(crate) struct KnownIds {
    ids: Vec<(String, String)>,
}

impl KnownIds {
    pub(crate) fn new() -> KnownIds {
        KnownIds::default()
    }

    pub(crate) fn add(&mut self, id: &str, label: String) {
        let id = strip_angles(id);
        if !id.is_empty() && !self.ids.iter().any(|(known, _)| known == id) {
            self.ids.push((id.to_owned(), label));
        }
    }

    fn label(&self, id: &str) -> Option<&str> {
        let id = strip_angles(id);
        self.ids.iter().find(|(known, _)| known == id).map(|(_, label)| label.as_str())
    }

    pub(crate) fn as_scrub_list(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.ids.iter().cloned()
    }
}

/// Renders `email`; `ids` names the message ids it may mention (an id
/// `ids` does not know is shown as `[message-id]` in `Message-ID`).
pub(crate) fn email(out: &mut String, email: &Email, ids: &KnownIds) {
    let email = email.presentation();
    headers(out, &email, ids);
    section(out, "mime");
    mime(out, email.mime_tree(), 0);
    if let Some(text) = email.text() {
        section(out, "text/plain");
        body(out, text);
    }
    if let Some(html) = email.html() {
        section(out, "text/html");
        body(out, html);
        if email.text().is_none() {
            // An HTML-only email has no other readable version to review.
            section(out, "text/html as text");
            body(out, &email.html_text().unwrap_or_default());
        }
    }
    if !email.attachments().is_empty() {
        section(out, "attachments");
        for (n, attachment) in email.attachments().iter().enumerate() {
            attachment_line(out, n + 1, attachment, ids);
        }
    }
    let mut problems = email.problems().peekable();
    if problems.peek().is_some() {
        section(out, "problems");
        for problem in problems {
            let _ = writeln!(out, "- {}", visible(problem));
        }
    }
}

fn section(out: &mut String, name: &str) {
    let _ = write!(out, "\n--- {name} ---\n");
}

fn headers(out: &mut String, email: &Presentation<'_>, ids: &KnownIds) {
    addresses(out, "From", email.from(), email);
    if let Some(sender) = email.header("Sender") {
        header(out, "Sender", sender);
    }
    addresses(out, "To", email.to(), email);
    addresses(out, "Cc", email.cc(), email);
    addresses(out, "Bcc", email.bcc(), email);
    addresses(out, "Reply-To", email.reply_to(), email);
    if let Some(subject) = email.subject() {
        header(out, "Subject", subject);
    }
    if email.header("Date").is_some() {
        header(out, "Date", DATE);
    }
    if let Some(id) = email.message_id().or_else(|| email.header("Message-ID")) {
        header(out, "Message-ID", ids.label(id).unwrap_or(MESSAGE_ID));
    }
    for name in ["In-Reply-To", "References"] {
        if let Some(value) = email.header(name) {
            header(out, name, &id_list(value, ids));
        }
    }
    // The MIME headers are shown by the `--- mime ---` section in a stable
    // form; transport traces are added on the way, not by your code.
    for other in email.content_headers() {
        if !LEADING.iter().any(|known| known.eq_ignore_ascii_case(other.name())) {
            header(out, other.name(), other.value());
        }
    }
    if email.envelope_from().is_some() || !email.envelope_to().is_empty() {
        let from = email.envelope_from().unwrap_or("<>");
        header(out, "Envelope", &format!("{from} -> {}", email.envelope_to().join(", ")));
    }
}

/// The mailboxes of a field; a field with none (`To: undisclosed-recipients:;`)
/// as written, so it does not vanish.
fn addresses(out: &mut String, name: &str, mailboxes: &[Mailbox], email: &Presentation<'_>) {
    if !mailboxes.is_empty() {
        let joined: Vec<String> = mailboxes.iter().map(Mailbox::to_string).collect();
        header(out, name, &joined.join(", "));
    } else if let Some(value) = email.header(name) {
        header(out, name, value);
    }
}

fn header(out: &mut String, name: &str, value: &str) {
    if value.is_empty() {
        let _ = writeln!(out, "{name}:");
    } else {
        let _ = writeln!(out, "{name}: {}", visible(value));
    }
}

/// An `In-Reply-To` / `References` value with each id shown by its label,
/// or as `<id>` when it is hand-made.
fn id_list(value: &str, ids: &KnownIds) -> String {
    let tokens: Vec<&str> = if value.contains('<') {
        value.split('<').filter_map(|part| part.split_once('>').map(|(id, _)| id.trim())).collect()
    } else {
        value.split_whitespace().collect()
    };
    let shown: Vec<String> = tokens
        .into_iter()
        .filter(|id| !id.is_empty())
        .map(|id| match ids.label(id) {
            Some(label) => label.to_owned(),
            None if redact::looks_generated(id) => GENERATED_ID.to_owned(),
            None => format!("<{id}>"),
        })
        .collect();
    shown.join(" ")
}

fn mime(out: &mut String, part: &MimePart, depth: usize) {
    let mut line = part.content_type().to_owned();
    if let Some(charset) = part.charset() {
        let _ = write!(line, "; charset={charset}");
    }
    if let Some(disposition) = part.disposition() {
        let _ = write!(line, "; {disposition}");
    }
    if let Some(filename) = part.filename() {
        let _ = write!(line, "; filename={filename:?}");
    }
    if let Some(id) = part.content_id() {
        let _ = write!(line, "; content-id=<{id}>");
    }
    if shows_size(part) {
        let _ = write!(line, "; {}", bytes(part.size()));
    }
    let _ = writeln!(out, "{:indent$}{}", "", visible(&line), indent = depth * 2);
    for child in part.children() {
        mime(out, child, depth + 1);
    }
}

/// Sizes are shown for files, not for text bodies (shown in full below, and
/// whose length would change with any redacted token in them), containers,
/// or forwarded messages (rendered in full under attachments).
fn shows_size(part: &MimePart) -> bool {
    let container = part.content_type().starts_with("multipart/") || part.content_type() == "message/rfc822";
    let body = matches!(part.content_type(), "text/plain" | "text/html")
        && part.filename().is_none()
        && part.disposition() != Some("attachment");
    !container && !body
}

fn attachment_line(out: &mut String, n: usize, attachment: &Attachment, ids: &KnownIds) {
    let name = attachment.filename().map_or_else(|| "(no filename)".to_owned(), |name| format!("{name:?}"));
    let mut line = format!("{n}. {name} {}", attachment.content_type());
    line.push_str(if attachment.is_inline() { ", inline" } else { ", attachment" });
    if let Some(id) = attachment.content_id() {
        let _ = write!(line, ", content-id <{id}>");
    }
    if attachment.content_type() == "message/rfc822" {
        // Its bytes hold its own date, id and boundaries: render it instead
        // of hashing it, so it is as stable and as reviewable as the outer one.
        let _ = writeln!(out, "{}, forwarded message:", visible(&line));
        let nested = Email::from_raw(attachment.content().to_vec());
        let mut rendered = String::new();
        email(&mut rendered, &nested, ids);
        for nested_line in rendered.lines() {
            if nested_line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "    {nested_line}");
            }
        }
        return;
    }
    let _ = writeln!(
        out,
        "{}, {}, sha256 {}",
        visible(&line),
        bytes(attachment.size()),
        mailtest_mime::sha256_prefix(attachment.content(), SHA_PREFIX)
    );
}

fn bytes(n: usize) -> String {
    if n == 1 { "1 byte".to_owned() } else { format!("{n} bytes") }
}

/// A body as it reads, then a note when it does not end in a newline, so a
/// trailing newline added or lost shows in the snapshot.
fn body(out: &mut String, text: &str) {
    if text.is_empty() {
        out.push_str("(empty)\n");
        return;
    }
    out.push_str(&visible(text));
    if !text.ends_with('\n') {
        out.push_str("\n\\ no newline at end\n");
    }
}

/// Control characters (an escape sequence, a stray `\r`) written as
/// `\u{1b}`, so they neither disturb a terminal nor hide in a diff; new
/// lines and tabs stay as they are.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            let _ = write!(shown, "\\u{{{:x}}}", u32::from(c));
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

fn strip_angles(id: &str) -> &str {
    id.trim().trim_start_matches('<').trim_end_matches('>')
}
