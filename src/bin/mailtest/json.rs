//! Emails as the JSON API shows them.
//!
//! A summary (`/api/messages`, `/api/wait`, the live list's events) has `n`,
//! `subject`, `from`, `to`, `cc`, `bcc`, `date` and `size`; the full form
//! (`/api/messages/{n}`) adds the envelope, `reply_to`, `message_id`,
//! `text`, `html`, `headers`, `attachments`, `links`, `problems` and
//! `lints`. Mailboxes are `{"name", "address"}`; `date` is the Date header
//! in RFC 3339 UTC, or null.

use std::time::{SystemTime, UNIX_EPOCH};

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
        "date": email.date().map(rfc3339),
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

/// LINTS: `email.lint()` (issue 12) goes here, as a list of
/// `{"code", "severity", "message"}`; null until it exists.
fn lints(_email: &Email) -> Value {
    Value::Null
}

fn mailboxes(list: &[Mailbox]) -> Value {
    list.iter().map(|m| json!({ "name": m.name, "address": m.address })).collect()
}

/// `2024-01-02T03:04:05Z`.
fn rfc3339(time: SystemTime) -> String {
    let secs = match time.duration_since(UNIX_EPOCH) {
        Ok(since) => since.as_secs() as i64,
        Err(before) => -(before.duration().as_secs() as i64),
    };
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_rfc3339_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(1_709_251_199)), "2024-02-29T23:59:59Z");
        assert_eq!(rfc3339(UNIX_EPOCH - Duration::from_secs(1)), "1969-12-31T23:59:59Z");
    }
}
