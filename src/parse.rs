//! Raw bytes to the decoded [`View`]: the only file that names mail-parser.
//!
//! mail-parser 0.11 can panic on odd input in debug builds (its
//! `debug_assert!`s on malformed nested parts), so every parse runs under
//! [`contain_panics`]; a panic becomes a problem on that email and the rest
//! of the test goes on.

use std::borrow::Cow;
use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mail_parser::parsers::MessageStream;
use mail_parser::{
    Address, HeaderName, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

use crate::contain::contain_panics;
use crate::email::{Detail, View};
use crate::mailbox::{Mailbox, same_address};
use crate::parts::{Attachment, Header, MimePart};

static PARSER: LazyLock<MessageParser> = LazyLock::new(MessageParser::default);
static ENCODED_WORD: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=").expect("valid regex"));

/// Decodes `raw`; `envelope_to` supplies the Bcc recipients. Never panics.
pub(crate) fn parse(raw: &[u8], envelope_to: &[String]) -> View {
    if raw.is_empty() {
        return View { problems: vec!["the message is empty (0 bytes)".to_owned()], ..View::default() };
    }
    let mut view = match contain_panics(|| PARSER.parse(raw).map(|message| decode(&message))) {
        Ok(Some(view)) => view,
        Ok(None) => View { problems: vec![no_headers(raw)], ..View::default() },
        Err(panic) => View {
            problems: vec![format!(
                "the MIME parser (mail-parser) failed on this message: {panic}; the bytes are in raw()"
            )],
            ..View::default()
        },
    };
    view.bcc = blind_recipients(&view, envelope_to);
    view
}

/// The parts of the view that first inspection rarely needs — every header,
/// the MIME tree, and the problems only they reveal — decoded on their own
/// first use by parsing `raw` again, so that reading a subject or a body
/// does not pay for them. Never panics; a message the core parse could not
/// read yields an empty detail (the core view already says why).
pub(crate) fn parse_detail(raw: &[u8]) -> Detail {
    if raw.is_empty() {
        return Detail::default();
    }
    contain_panics(|| PARSER.parse(raw).map(|message| decode_detail(&message)))
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn decode_detail(message: &Message<'_>) -> Detail {
    let mut problems = Vec::new();
    let headers = decode_headers(message, message.root_part(), &mut problems);
    let mime_tree = mime_tree(message, 0, &mut problems, &mut vec![1]);
    Detail { headers, mime_tree, problems }
}

/// HTML to readable text: tags out, entities decoded, white space folded.
pub(crate) fn html_to_text(html: &str) -> String {
    contain_panics(|| mail_parser::decoders::html::html_to_text(html)).unwrap_or_else(|_| html.to_owned())
}

fn decode(message: &Message<'_>) -> View {
    let mut problems = Vec::new();
    if message.root_part().headers.is_empty() {
        problems.push(no_headers(message.raw_message()));
    }
    let mut view = View {
        subject: message.subject().map(str::to_owned),
        from: mailboxes(message.from(), "From", &mut problems),
        to: mailboxes(message.to(), "To", &mut problems),
        cc: mailboxes(message.cc(), "Cc", &mut problems),
        bcc: mailboxes(message.bcc(), "Bcc", &mut problems),
        reply_to: mailboxes(message.reply_to(), "Reply-To", &mut problems),
        text: join_bodies(message, &message.text_body, false),
        html: join_bodies(message, &message.html_body, true),
        attachments: message.attachments().map(attachment).collect(),
        message_id: message.message_id().map(str::to_owned),
        date: message.date().filter(|date| date.is_valid()).map(|date| timestamp(date.to_timestamp())),
        problems: Vec::new(),
    };
    view.problems = problems;
    view
}

fn decode_headers(message: &Message<'_>, part: &MessagePart<'_>, problems: &mut Vec<String>) -> Vec<Header> {
    let raw = message.raw_message();
    part.headers
        .iter()
        .map(|header| {
            let raw_value =
                raw.get(header.offset_start as usize..header.offset_end as usize).unwrap_or_default();
            let name = match &header.name {
                HeaderName::Other(name) => name.to_string(),
                known => raw
                    .get(header.offset_field as usize..header.offset_start as usize)
                    .map(|field| String::from_utf8_lossy(field).trim_end_matches(':').trim().to_owned())
                    .filter(|field| field.eq_ignore_ascii_case(known.as_static_str()))
                    .unwrap_or_else(|| known.as_static_str().to_owned()),
            };
            let value = match &header.value {
                // Unknown headers arrive raw: folded, encoded words intact.
                HeaderValue::Text(text) if !text.contains(['\r', '\n']) && !text.contains("=?") => {
                    text.trim().to_owned()
                }
                // mail-parser also reads List-* headers as addresses; their
                // `<url>` form is what a reader expects, so those stay raw.
                HeaderValue::Address(address) if !is_list_header(&header.name) => {
                    flatten(address).map(|addr| addr.to_string()).collect::<Vec<_>>().join(", ")
                }
                _ => decode_unstructured(raw_value),
            };
            if value.contains("=?") && ENCODED_WORD.is_match(&value) {
                problems.push(format!(
                    "{name}: an RFC 2047 encoded word could not be decoded: {}",
                    ENCODED_WORD.find(&value).map_or("", |m| m.as_str())
                ));
            }
            Header { name, value }
        })
        .collect()
}

fn is_list_header(name: &HeaderName<'_>) -> bool {
    matches!(
        name,
        HeaderName::ListArchive
            | HeaderName::ListHelp
            | HeaderName::ListId
            | HeaderName::ListOwner
            | HeaderName::ListPost
            | HeaderName::ListSubscribe
            | HeaderName::ListUnsubscribe
    )
}

/// Unfolds a raw header value and decodes its encoded words.
fn decode_unstructured(raw_value: &[u8]) -> String {
    match MessageStream::new(raw_value).parse_unstructured() {
        HeaderValue::Text(text) => text.trim().to_owned(),
        _ => String::from_utf8_lossy(raw_value).split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

fn flatten<'a>(address: &'a Address<'_>) -> impl Iterator<Item = Mailbox> + 'a {
    address.iter().filter_map(|addr| {
        let address = addr.address.as_deref()?.trim();
        (!address.is_empty()).then(|| Mailbox {
            name: addr.name.as_deref().map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned),
            address: address.to_owned(),
        })
    })
}

fn mailboxes(address: Option<&Address<'_>>, field: &str, problems: &mut Vec<String>) -> Vec<Mailbox> {
    let Some(address) = address else { return Vec::new() };
    let unreadable: Vec<String> = address
        .iter()
        .filter(|addr| addr.address.as_deref().is_none_or(|a| a.trim().is_empty()))
        .filter_map(|addr| addr.name.as_deref().map(str::to_owned))
        .collect();
    if !unreadable.is_empty() {
        problems.push(format!("{field}: no address could be read in {}", unreadable.join(", ")));
    }
    flatten(address).collect()
}

/// Envelope recipients missing from To and Cc, after any Bcc header.
fn blind_recipients(view: &View, envelope_to: &[String]) -> Vec<Mailbox> {
    let mut bcc = view.bcc.clone();
    for recipient in envelope_to {
        let visible = view.to.iter().chain(&view.cc).chain(&bcc).any(|m| same_address(&m.address, recipient));
        if !visible {
            bcc.push(Mailbox { name: None, address: recipient.clone() });
        }
    }
    bcc
}

fn join_bodies(message: &Message<'_>, ids: &[u32], html: bool) -> Option<String> {
    let mut joined: Option<String> = None;
    for part in ids.iter().filter_map(|&id| message.parts.get(id as usize)) {
        let body = match (&part.body, html) {
            (PartType::Html(body), true) | (PartType::Text(body), false) => body,
            _ => continue,
        };
        let joined = joined.get_or_insert_with(String::new);
        if !joined.is_empty() && !joined.ends_with('\n') {
            joined.push('\n');
        }
        joined.push_str(&normalize_newlines(body));
    }
    joined
}

fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut normalized = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            chars.next_if_eq(&'\n');
            normalized.push('\n');
        } else {
            normalized.push(c);
        }
    }
    Cow::Owned(normalized)
}

fn attachment(part: &MessagePart<'_>) -> Attachment {
    let content_id = part.content_id().map(strip_angles);
    let disposition = part.content_disposition();
    Attachment {
        filename: part.attachment_name().map(str::to_owned),
        content_type: content_type(part),
        content: part.contents().to_vec(),
        inline: match disposition {
            Some(disposition) => disposition.is_inline(),
            None => content_id.is_some(),
        },
        content_id,
    }
}

fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(ct) => match &ct.c_subtype {
            Some(subtype) => format!("{}/{}", ct.c_type, subtype).to_ascii_lowercase(),
            None => ct.c_type.to_ascii_lowercase(),
        },
        None => match &part.body {
            PartType::Text(_) => "text/plain".to_owned(),
            PartType::Html(_) => "text/html".to_owned(),
            PartType::Message(_) => "message/rfc822".to_owned(),
            PartType::Multipart(_) => "multipart/mixed".to_owned(),
            PartType::Binary(_) | PartType::InlineBinary(_) => "application/octet-stream".to_owned(),
        },
    }
}

/// The tree from part `id`; `path` is its position (`1.2.1`), kept as
/// numbers and spelled out only for a problem.
fn mime_tree(
    message: &Message<'_>,
    id: usize,
    problems: &mut Vec<String>,
    path: &mut Vec<usize>,
) -> MimePart {
    let Some(part) = message.parts.get(id) else { return MimePart::default() };
    let content_type = content_type(part);
    if part.is_encoding_problem {
        let at: Vec<String> = path.iter().map(ToString::to_string).collect();
        problems.push(format!("part {} ({content_type}): the body could not be fully decoded", at.join(".")));
    }
    let mut child = |id: usize, position: usize, message: &Message<'_>| {
        path.push(position);
        let tree = mime_tree(message, id, problems, path);
        path.pop();
        tree
    };
    let children = match &part.body {
        PartType::Multipart(ids) => {
            ids.iter().enumerate().map(|(i, &id)| child(id as usize, i + 1, message)).collect()
        }
        PartType::Message(nested) => vec![child(0, 1, nested)],
        _ => Vec::new(),
    };
    MimePart {
        charset: part.content_type().and_then(|ct| ct.attribute("charset")).map(str::to_ascii_lowercase),
        disposition: part.content_disposition().map(|cd| cd.c_type.to_ascii_lowercase()),
        filename: part.attachment_name().map(str::to_owned),
        content_id: part.content_id().map(strip_angles),
        transfer_encoding: part.content_transfer_encoding().map(str::to_ascii_lowercase),
        size: if matches!(part.body, PartType::Multipart(_)) { 0 } else { part.len() },
        content_type,
        children,
    }
}

fn strip_angles(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').to_owned()
}

fn timestamp(seconds: i64) -> SystemTime {
    if seconds >= 0 {
        UNIX_EPOCH + Duration::from_secs(seconds.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs())
    }
}

fn no_headers(raw: &[u8]) -> String {
    format!(
        "no header could be read: a message starts with `Name: value` lines; this one starts with {}",
        preview(raw)
    )
}

/// The first bytes of `raw`, escaped, for a problem message.
fn preview(raw: &[u8]) -> String {
    let head = &raw[..raw.len().min(40)];
    let shown = head.escape_ascii().to_string();
    if raw.len() > head.len() { format!("\"{shown}…\"") } else { format!("\"{shown}\"") }
}
