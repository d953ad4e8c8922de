//! What only some inspections need: every header decoded, and the MIME
//! tree with each leaf's decoded size.

use super::tree::{self, Children, Part};
use super::{fields, leaf};
use crate::parts::{Header, MimePart};

/// What only some inspections need: every header and the MIME tree (and the
/// problems only they reveal). Decoded apart, on first use, so reading a
/// subject or a body never pays for it. Made by [`decode_detail`](crate::decode_detail).
///
/// ```
/// let detail = mailtest_mime::decode_detail(b"Subject: =?utf-8?q?Caf=C3=A9?=\r\nX-Tag: a\r\n\r\nHello\r\n");
/// assert_eq!(detail.headers[0].value(), "Café");
/// assert_eq!(detail.mime_tree.content_type(), "text/plain");
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Detail {
    /// Every header field in order, its value decoded (encoded words, folding).
    pub headers: Vec<Header>,
    /// The MIME structure, each leaf with its decoded size.
    pub mime_tree: MimePart,
    /// What only reading every header and part reveals.
    pub problems: Vec<String>,
}

/// Fields whose value is a list of addresses: shown as the mailboxes read
/// from it, or as written when it has none (`undisclosed-recipients:;`).
const ADDRESS_FIELDS: [&str; 11] = [
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Cc",
    "Bcc",
    "Resent-From",
    "Resent-Sender",
    "Resent-To",
    "Resent-Cc",
    "Resent-Bcc",
];

pub(super) fn detail(raw: &[u8]) -> Detail {
    let root = tree::message(raw, &mut Vec::new());
    let mut problems = Vec::new();
    let headers = root
        .fields
        .iter()
        .map(|field| {
            let value = value(field.name, field.value);
            problems.extend(fields::undecoded_words(field.name, field.value, &value));
            Header { name: field.name.to_owned(), value }
        })
        .collect();
    Detail { headers, mime_tree: mime_part(&root, 0), problems }
}

/// Fields holding message ids: one id is shown bare, as
/// [`Email::message_id`](crate::Email::message_id) gives it; a list as written.
const ID_FIELDS: [&str; 5] = ["Message-ID", "Content-ID", "In-Reply-To", "References", "Resent-Message-ID"];

fn value(name: &str, raw: &[u8]) -> String {
    if ID_FIELDS.iter().any(|field| field.eq_ignore_ascii_case(name)) {
        let text = fields::text(raw);
        if text.matches('<').count() <= 1
            && let Some(id) = fields::message_id(raw)
        {
            return id;
        }
        return text;
    }
    if ADDRESS_FIELDS.iter().any(|field| field.eq_ignore_ascii_case(name)) {
        let (mailboxes, _) = fields::addresses(raw);
        if !mailboxes.is_empty() {
            return mailboxes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        }
    }
    fields::text(raw)
}

/// Forwarded messages in base64 inside forwarded messages in base64 are
/// expanded this deep, no deeper: each level needs its own decoded copy.
const MAX_ENCODED_NESTING: usize = 16;

fn mime_part(part: &Part<'_>, encoded_depth: usize) -> MimePart {
    let disposition = leaf::disposition(part);
    let (size, children) = match &part.children {
        Children::Parts(parts) => (0, parts.iter().map(|part| mime_part(part, encoded_depth)).collect()),
        Children::Message(inner) => (part.body.len(), vec![mime_part(inner, encoded_depth)]),
        Children::None if part.is_encoded_message() && encoded_depth < MAX_ENCODED_NESTING => {
            let (bytes, _) = leaf::bytes(part);
            (bytes.len(), vec![mime_part(&tree::nested_message(&bytes), encoded_depth + 1)])
        }
        Children::None => (leaf::bytes(part).0.len(), Vec::new()),
    };
    MimePart {
        content_type: part.content_type.clone(),
        charset: part.params.get("charset").map(str::to_ascii_lowercase),
        disposition: disposition.kind.clone(),
        filename: leaf::filename(part, &disposition),
        content_id: leaf::content_id(part),
        transfer_encoding: Some(part.transfer_encoding.clone()).filter(|encoding| !encoding.is_empty()),
        size,
        children,
    }
}
