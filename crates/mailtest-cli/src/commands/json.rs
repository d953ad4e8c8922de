//! Emails as the JSON API shows them.
//!
//! A summary (`/api/messages`, `/api/wait`, the live list's events) has `n`,
//! `subject`, `from`, `to`, `cc`, `bcc`, `date` and `size`; the full form
//! (`/api/messages/{n}`) adds the envelope, `reply_to`, `message_id`,
//! `text`, `html`, `headers`, `attachments`, `links`, `problems` and
//! `lints` (those of `email.lint()`). Mailboxes are `{"name", "address"}`; `date` is the Date header
//! in RFC 3339 UTC, or null.

use mailtest::{Email, Mailbox};
use serde_json::{Value, json};

pub(crate) fn summary(email: &Email) -> Value {
    json!({
        "n": email.sequence(),
        "subject": email.subject(),
        "from": mailboxes(email.from()),
        "to": mailboxes(email.to()),
        "cc": mailboxes(email.cc()),
        "bcc": mailboxes(email.bcc()),
        "date": email.date().map(mailtest_harness::__private::rfc3339),
        "size": email.raw().len(),
    })
}

pub(crate) fn detail(email: &Email) -> Value {
    let mut value = summary(email);
    let extra = json!({
        "envelope": { "from": email.envelope_from(), "to": email.envelope_to() },
        "reply_to": mailboxes(email.reply_to()),
        "message_id": email.message_id(),
        "text": email.text(),
        "html": email.html(),
        "headers": email.headers().iter().map(|h| json!({ "name": h.name(), "value": h.value() })).collect::<Vec<_>>(),
        "attachments": email.attachments().iter().map(|a| json!({
            "filename": a.filename(),
            "content_type": a.content_type(),
            "size": a.size(),
            "inline": a.is_inline(),
            "content_id": a.content_id(),
        })).collect::<Vec<_>>(),
        "links": email.links(),
        "problems": email.problems(),
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
