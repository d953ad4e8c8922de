//! Header values: unstructured text (unfolded, RFC 2047 words decoded),
//! addresses and ids, each read from one value (the bytes after a field's
//! colon). MIME parameters are in [`super::parameters`], dates in
//! [`super::date`].

use std::borrow::Cow;

use super::encoded_word::{decode_words, encoded_words};
use super::{address, charset};
use crate::mailbox::Mailbox;

/// Header bytes as UTF-8 (RFC 6532) when they are valid UTF-8,
/// else windows-1252 turned into UTF-8, the guess mail clients make for raw
/// 8-bit headers. Raw bytes inside an encoded word stay as they are: the
/// word's own charset reads them.
pub(super) fn as_utf8(value: &[u8]) -> Cow<'_, [u8]> {
    if value.is_ascii() || std::str::from_utf8(value).is_ok() {
        return Cow::Borrowed(value);
    }
    let mut out = Vec::with_capacity(value.len() + 8);
    let mut last = 0;
    let windows_1252 = |bytes: &[u8], out: &mut Vec<u8>| {
        out.extend_from_slice(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.as_bytes());
    };
    for word in encoded_words(value) {
        windows_1252(&value[last..word.whole.start], &mut out);
        out.extend_from_slice(&value[word.whole.clone()]);
        last = word.whole.end;
    }
    windows_1252(&value[last..], &mut out);
    Cow::Owned(out)
}

/// Header bytes as text, read as [`as_utf8`] reads them.
pub(super) fn lossless_text(value: &[u8]) -> String {
    String::from_utf8_lossy(&as_utf8(value)).into_owned()
}

/// Unfolded, encoded words decoded, trimmed.
pub(super) fn text(value: &[u8]) -> String {
    let value = as_utf8(value);
    let unfolded = if has_line_end(&value) { Cow::Owned(unfold(&value)) } else { value };
    // Most values hold no encoded word: one allocation, not two.
    if memchr::memmem::find(&unfolded, b"=?").is_none() {
        return String::from_utf8_lossy(&unfolded).trim().to_owned();
    }
    decode_words(&unfolded).trim().to_owned()
}

fn has_line_end(value: &[u8]) -> bool {
    value.iter().any(|b| matches!(b, b'\r' | b'\n'))
}

/// `value` with its line ends dropped and the white space after them kept:
/// RFC 5322's unfolding, for structured values (addresses, parameters),
/// whose readers skip white space themselves.
pub(super) fn without_line_ends(value: &[u8]) -> Cow<'_, [u8]> {
    if !has_line_end(value) {
        return Cow::Borrowed(value);
    }
    Cow::Owned(value.iter().copied().filter(|b| !matches!(b, b'\r' | b'\n')).collect())
}

/// A folded value on one line: each line end, with the white space around
/// it, is one space. A mailer folds a long line at a space, so the fold
/// stands for that space whatever white space it wrote; white space inside
/// a line is the sender's and stays.
fn unfold(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if matches!(value[i], b'\r' | b'\n') {
            while out.last().is_some_and(|b| matches!(b, b' ' | b'\t')) {
                out.pop();
            }
            i += value[i..].iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')).count();
            out.push(b' ');
        } else {
            out.push(value[i]);
            i += 1;
        }
    }
    out
}

/// The mailboxes of an address field, and what was wrong with it.
pub(super) fn addresses(value: &[u8]) -> (Vec<Mailbox>, Vec<String>) {
    address::parse(&without_line_ends(value))
}

/// The first id of a `Message-ID`-like field, without angle brackets:
/// the first non-empty `<…>`, or, when the field has none (broken
/// mailers), its text.
pub(super) fn message_id(value: &[u8]) -> Option<String> {
    let value = lossless_text(value);
    let bracketed = value.split('<').skip(1).filter_map(|rest| rest.split_once('>').map(|(id, _)| id));
    let id = bracketed
        .map(|id| id.split_whitespace().collect::<String>())
        .find(|id| !id.is_empty())
        .unwrap_or_else(|| value.trim().trim_start_matches('<').trim_end_matches('>').trim().to_owned());
    (!id.is_empty()).then_some(id)
}

/// A problem for each encoded word in `value` that could not be decoded:
/// one left as it was, or one in a charset this crate cannot read.
pub(super) fn undecoded_words(name: &str, raw: &[u8], decoded: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !raw.windows(2).any(|w| w == b"=?") {
        return problems;
    }
    if let Some(word) = encoded_words(decoded.as_bytes()).next() {
        problems
            .push(format!("{name}: an RFC 2047 encoded word could not be decoded: {}", &decoded[word.whole]));
    }
    let raw = String::from_utf8_lossy(raw);
    for word in encoded_words(raw.as_bytes()) {
        let label = raw[word.charset].split('*').next().unwrap_or_default();
        if !charset::is_known(label) {
            problems.push(format!(
                "{name}: the charset {label:?} of an RFC 2047 encoded word is not known: {}",
                &raw[word.whole]
            ));
            break;
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstructured_text_folds_and_decodes() {
        assert_eq!(text(b" Re: =?utf-8?q?caf=C3=A9?= \r\n\t au   lait\r\n"), "Re: café au   lait");
        assert_eq!(
            text(b" caf\xe9 =?utf-8?q?=C3=A9?="),
            "café é",
            "raw 8-bit outside words reads as windows-1252"
        );
        assert_eq!(text(b""), "");
    }

    #[test]
    fn message_ids() {
        assert_eq!(message_id(b" <a.1@example.com>\r\n").as_deref(), Some("a.1@example.com"));
        assert_eq!(message_id(b" (comment) <>  <b@x>").as_deref(), Some("b@x"));
        assert_eq!(message_id(b" <a@\r\n x>").as_deref(), Some("a@x"), "folded inside the brackets");
        assert_eq!(message_id(b" bare@example.com ").as_deref(), Some("bare@example.com"));
        assert_eq!(message_id(b"  "), None);
    }

    #[test]
    fn addresses_and_undisclosed_recipients() {
        let (mailboxes, notes) = addresses(b" Ann <ann@example.com>, bob@example.com\r\n");
        assert_eq!(mailboxes, ["Ann <ann@example.com>", "bob@example.com"]);
        assert!(notes.is_empty());
        assert_eq!(addresses(b" undisclosed-recipients:;\r\n").0, [] as [&str; 0]);
    }
}
