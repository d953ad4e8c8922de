//! The view first inspection needs: addresses, subject, ids, bodies and
//! attachments, with every problem met while decoding them.

use std::time::SystemTime;

use super::block::Field;
use super::select::{self, Role};
use super::tree::{self, Part};
use super::{date, fields, leaf};
use crate::mailbox::{Mailbox, same_address};
use crate::parts::Attachment;

/// What first inspection decodes: addresses, subject, ids, date, bodies and
/// attachments, with every problem met while decoding them. Made by
/// [`decode`](crate::decode).
///
/// ```
/// let decoded = mailtest_mime::decode(b"From: app@example.com\r\nTo: ann@example.com\r\nSubject: Hi\r\n\r\nHello\r\n", &["ann@example.com".into(), "audit@example.com".into()]);
/// assert_eq!(decoded.text.as_deref(), Some("Hello\n"));
/// assert_eq!(decoded.bcc[0].address, "audit@example.com"); // in the envelope only
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Decoded {
    /// The decoded `Subject`, if any.
    pub subject: Option<String>,
    /// The mailboxes of every `From` field.
    pub from: Vec<Mailbox>,
    /// The mailboxes of every `To` field.
    pub to: Vec<Mailbox>,
    /// The mailboxes of every `Cc` field.
    pub cc: Vec<Mailbox>,
    /// Blind recipients: a `Bcc` field's mailboxes, and the envelope
    /// recipients that no `To`, `Cc` or `Bcc` field names (lettre drops the
    /// `Bcc` header, so a captured message shows its Bcc only this way).
    pub bcc: Vec<Mailbox>,
    /// The mailboxes of every `Reply-To` field.
    pub reply_to: Vec<Mailbox>,
    /// The text body, decoded, line endings `\n`: the part a mail client
    /// shows as text (RFC 8621's choice).
    pub text: Option<String>,
    /// The HTML body, decoded, line endings `\n`.
    pub html: Option<String>,
    /// Every part that is not a body: attachments and inline parts.
    pub attachments: Vec<Attachment>,
    /// The `Message-ID`, without its angle brackets.
    pub message_id: Option<String>,
    /// The `Date`, when it could be read.
    pub date: Option<SystemTime>,
    /// What could not be read, each a sentence; empty for a sound message.
    pub problems: Vec<String>,
}

/// Fields RFC 5322 §3.6 allows once: a second one is a problem, and the
/// first is the one read (as `Email::header` reads it).
const SINGLE: [&str; 11] = [
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Cc",
    "Bcc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
];

pub(super) fn view(raw: &[u8], envelope_to: &[String]) -> Decoded {
    let mut structure = Vec::new();
    let root = tree::message(raw, &mut structure);
    let mut problems = Vec::new();
    if root.fields.is_empty() {
        problems.push(super::no_headers(raw));
    }
    let mut view = Decoded {
        subject: root.field("Subject").map(|field| fields::text(field.value)),
        from: mailboxes(&root, "From", &mut problems),
        to: mailboxes(&root, "To", &mut problems),
        cc: mailboxes(&root, "Cc", &mut problems),
        bcc: mailboxes(&root, "Bcc", &mut problems),
        reply_to: mailboxes(&root, "Reply-To", &mut problems),
        message_id: root.field("Message-ID").and_then(|field| fields::message_id(field.value)),
        date: root.field("Date").and_then(|field| date::parse(field.value)),
        ..Decoded::default()
    };
    repeated_fields(&root, &mut problems);
    problems.append(&mut structure);
    bodies(&root, &mut view, &mut problems);
    view.bcc = blind_recipients(&view, envelope_to);
    view.problems = problems;
    view
}

/// The mailboxes of every `name` field: recipients on a second `To:` line
/// are recipients too.
fn mailboxes(root: &Part<'_>, name: &str, problems: &mut Vec<String>) -> Vec<Mailbox> {
    let mut all = Vec::new();
    for field in root.fields.iter().filter(|field| field.is(name)) {
        let (mailboxes, notes) = fields::addresses(field.value);
        problems.extend(notes.into_iter().map(|note| format!("{name}: {note}")));
        all.extend(mailboxes);
    }
    all
}

fn repeated_fields(root: &Part<'_>, problems: &mut Vec<String>) {
    for name in SINGLE {
        let count = root.fields.iter().filter(|field: &&Field<'_>| field.is(name)).count();
        if count > 1 {
            let read = if matches!(name, "From" | "Reply-To" | "To" | "Cc" | "Bcc") {
                "the addresses of every one are used"
            } else {
                "the first is used"
            };
            problems.push(format!("{name} appears {count} times (RFC 5322 allows one): {read}"));
        }
    }
}

fn bodies(root: &Part<'_>, view: &mut Decoded, problems: &mut Vec<String>) {
    for leaf in select::leaves(root) {
        let mut found = Vec::new();
        match leaf.role {
            Role::Text => join(&mut view.text, &leaf::text(leaf.part, &mut found)),
            Role::Html => join(&mut view.html, &leaf::text(leaf.part, &mut found)),
            Role::Attachment => {
                let (content, problem) = leaf::bytes(leaf.part);
                found.extend(problem);
                let content_id = leaf::content_id(leaf.part);
                view.attachments.push(Attachment {
                    filename: leaf::filename(leaf.part, &leaf.disposition),
                    content_type: leaf.part.content_type.clone(),
                    content: content.into_owned(),
                    inline: match leaf.disposition.kind.as_deref() {
                        Some(kind) => kind == "inline",
                        None => content_id.is_some(),
                    },
                    content_id,
                });
            }
        }
        for problem in found {
            problems.push(at(&leaf.path, &leaf.part.content_type, &problem));
        }
    }
}

/// `part 1.2 (text/plain): …`, or `the message (text/plain): …`.
fn at(path: &[usize], content_type: &str, problem: &str) -> String {
    if path.is_empty() {
        format!("the message ({content_type}): {problem}")
    } else {
        let at: Vec<String> = path.iter().map(ToString::to_string).collect();
        format!("part {} ({content_type}): {problem}", at.join("."))
    }
}

fn join(joined: &mut Option<String>, body: &str) {
    let joined = joined.get_or_insert_with(String::new);
    if !joined.is_empty() && !joined.ends_with('\n') {
        joined.push('\n');
    }
    joined.push_str(body);
}

/// Envelope recipients missing from To and Cc, after any Bcc header.
fn blind_recipients(view: &Decoded, envelope_to: &[String]) -> Vec<Mailbox> {
    let mut bcc = view.bcc.clone();
    for recipient in envelope_to {
        let visible = view.to.iter().chain(&view.cc).chain(&bcc).any(|m| same_address(&m.address, recipient));
        if !visible {
            bcc.push(Mailbox { name: None, address: recipient.clone() });
        }
    }
    bcc
}
