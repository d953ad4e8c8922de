//! What a part says about itself: its disposition, file name and content
//! id, and its body with the transfer encoding (and, for text, the charset)
//! undone.

use std::borrow::Cow;

use super::fields;
use super::parameters::{Parameters, parameters};
use super::tree::Part;
use super::{charset, transfer};

/// The `Content-Disposition`, read (an empty one when there is none).
pub(super) fn disposition(part: &Part<'_>) -> Parameters {
    part.field("Content-Disposition").map_or_else(Parameters::default, |field| parameters(field.value))
}

/// The file name: the disposition's `filename`, else the type's `name`.
pub(super) fn filename(part: &Part<'_>, disposition: &Parameters) -> Option<String> {
    disposition
        .get("filename")
        .or_else(|| part.params.get("name"))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
}

/// The `Content-ID`, without angle brackets.
pub(super) fn content_id(part: &Part<'_>) -> Option<String> {
    part.field("Content-ID").and_then(|field| fields::message_id(field.value))
}

/// The body's bytes, transfer encoding undone, and a problem if that was
/// not clean.
pub(super) fn bytes<'a>(part: &Part<'a>) -> (Cow<'a, [u8]>, Option<String>) {
    transfer::decode(&part.transfer_encoding, part.body)
}

/// The body as text, `\n` line ends, and the problems met on the way.
pub(super) fn text(part: &Part<'_>, problems: &mut Vec<String>) -> String {
    let (bytes, problem) = bytes(part);
    problems.extend(problem);
    let (text, problem) = charset::decode(&bytes, part.params.get("charset"));
    problems.extend(problem);
    normalize_newlines(text)
}

fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
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
    normalized
}
