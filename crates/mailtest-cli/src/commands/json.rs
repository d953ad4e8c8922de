//! Emails as the JSON API shows them.
//!
//! A summary (`/api/messages`, `/api/wait`, the live list's events) has `n`,
//! `subject`, `from`, `to`, `cc`, `bcc`, `date` and `size`; the full form
//! (`/api/messages/{n}`) adds the envelope, `reply_to`, `message_id`,
//! `text`, `html`, `headers`, `attachments` (each with its `sha256`), `links`, `problems` and
//! `lints` (those of `email.lint()`). Mailboxes are `{"name", "address"}`; `date` is the Date header
//! in RFC 3339 UTC, or null. Both read the email's
//! [`Presentation`](mailtest_mime::Presentation), as every rendering does.

use mailtest::{Email, Mailbox};
use mailtest_mime::Presentation;
use serde_json::{Value, json};

/// How many hex digits of an attachment's sha256 the API gives: all of them.
const SHA256_DIGITS: usize = 64;

pub(crate) fn summary(email: &Email) -> Value {
    shown_summary(email, &email.presentation())
}

fn shown_summary(email: &Email, shown: &Presentation<'_>) -> Value {
    json!({
        "n": email.sequence(),
        "subject": shown.subject(),
        "from": mailboxes(shown.from()),
        "to": mailboxes(shown.to()),
        "cc": mailboxes(shown.cc()),
        "bcc": mailboxes(shown.bcc()),
        "date": shown.date().map(mailtest_harness::__private::rfc3339),
        "size": email.raw().len(),
    })
}

pub(crate) fn detail(email: &Email) -> Value {
    let shown = email.presentation();
    let mut value = shown_summary(email, &shown);
    let extra = json!({
        "envelope": { "from": shown.envelope_from(), "to": shown.envelope_to() },
        "reply_to": mailboxes(shown.reply_to()),
        "message_id": shown.message_id(),
        "text": shown.text(),
        "html": shown.html(),
        "headers": shown.headers().iter().map(|h| json!({ "name": h.name(), "value": h.value() })).collect::<Vec<_>>(),
        "attachments": shown.attachments().iter().map(|a| json!({
            "filename": a.filename(),
            "content_type": a.content_type(),
            "size": a.size(),
            "inline": a.is_inline(),
            "content_id": a.content_id(),
            "sha256": mailtest_mime::sha256_prefix(a.content(), SHA256_DIGITS),
        })).collect::<Vec<_>>(),
        "links": shown.links(),
        "problems": shown.problems().collect::<Vec<_>>(),
        "lints": lints(email),
    });
    if let (Value::Object(fields), Value::Object(more)) = (&mut value, extra) {
        fields.extend(more);
    }
    value
}

/// `email.lint()`: each lint's code, severity, message, where it applies
/// (`text/html line 14`), notes and help.
fn lints(email: &Email) -> Value {
    email
        .lint()
        .iter()
        .map(|lint| {
            json!({
                "code": lint.code(),
                "severity": lint.severity().to_string(),
                "message": lint.message(),
                "location": lint.location().map(ToString::to_string),
                "notes": lint.notes(),
                "help": lint.help(),
            })
        })
        .collect()
}

fn mailboxes(list: &[Mailbox]) -> Value {
    list.iter().map(|m| json!({ "name": m.name, "address": m.address })).collect()
}
