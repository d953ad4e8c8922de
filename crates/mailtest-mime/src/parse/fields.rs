//! Header values decoded by mail-parser's field parsers: unstructured text,
//! addresses, ids and MIME parameters. Each parser reads one value
//! (the bytes after a field's colon), never a whole message, so none of
//! mail-parser's message-level assertions can be reached from here.

use std::borrow::Cow;

use mail_parser::HeaderValue;
use mail_parser::parsers::MessageStream;

use super::encoded_word::encoded_words;
use super::{address, charset};
use crate::mailbox::Mailbox;

/// mail-parser's field parsers end a value at a line end: make sure there is one.
fn terminated(value: &[u8]) -> Cow<'_, [u8]> {
    if value.ends_with(b"\n") {
        Cow::Borrowed(value)
    } else {
        let mut owned = value.to_vec();
        owned.push(b'\n');
        Cow::Owned(owned)
    }
}

/// Header bytes for mail-parser: UTF-8 (RFC 6532) when they are valid UTF-8,
/// else windows-1252 turned into UTF-8, the guess mail clients make for raw
/// 8-bit headers. Raw bytes inside an encoded word stay as they are: the
/// word's own charset reads them.
fn as_utf8(value: &[u8]) -> Cow<'_, [u8]> {
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
    let value = terminated(&value);
    match MessageStream::new(&value).parse_unstructured() {
        HeaderValue::Text(text) => text.trim().to_owned(),
        _ => String::from_utf8_lossy(&value).split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// The mailboxes of an address field, and what was wrong with it.
pub(super) fn addresses(value: &[u8]) -> (Vec<Mailbox>, Vec<String>) {
    let unfolded: Vec<u8> = value.iter().copied().filter(|b| !matches!(b, b'\r' | b'\n')).collect();
    address::parse(&unfolded)
}

/// The first id of a `Message-ID`-like field, without angle brackets.
pub(super) fn message_id(value: &[u8]) -> Option<String> {
    let value = terminated(value);
    let id = match MessageStream::new(&value).parse_id() {
        HeaderValue::Text(id) => id.into_owned(),
        HeaderValue::TextList(ids) => ids.into_iter().next()?.into_owned(),
        _ => return None,
    };
    let id = id.trim().trim_start_matches('<').trim_end_matches('>').trim().to_owned();
    (!id.is_empty()).then_some(id)
}

/// A `Content-Type` or `Content-Disposition` value: the type in lower case
/// and the parameters, RFC 2231 and RFC 2047 decoded.
pub(super) struct Parameters {
    /// `text/plain`, `attachment`: lower case, without parameters. `None`
    /// when the value has no type that can be read.
    pub(super) kind: Option<String>,
    /// `(name in lower case, value)`, in order.
    pub(super) params: Vec<(String, String)>,
}

impl Parameters {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Reads a MIME value. The value is first tidied the way mail clients
/// tolerate it, and mail-parser does not: folding white space right after a
/// parameter's `=` (as Exchange folds long names) or around it is dropped,
/// and so is white space between two encoded words inside a quoted value
/// (RFC 2047 §6.2: it is not part of the text).
pub(super) fn parameters(value: &[u8]) -> Parameters {
    let tidy = tidy_parameters(value);
    let HeaderValue::ContentType(ct) = MessageStream::new(&tidy).parse_content_type() else {
        return Parameters { kind: None, params: Vec::new() };
    };
    let main = ct.ctype().trim().to_ascii_lowercase();
    let kind = match ct.subtype().map(|s| s.trim().to_ascii_lowercase()) {
        _ if main.is_empty() => None,
        Some(sub) if !sub.is_empty() => Some(format!("{main}/{sub}")),
        _ => Some(main),
    };
    let params = ct
        .attributes()
        .unwrap_or_default()
        .iter()
        // Values as written: a boundary may end in spaces (RFC 2046 forbids
        // it, mailers do it, and only the exact string finds its delimiters).
        .map(|attr| (attr.name.to_ascii_lowercase(), attr.value.to_string()))
        .collect();
    Parameters { kind, params }
}

fn tidy_parameters(value: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(value.len() + 1);
    let mut quoted = false;
    let mut escaped = false;
    let mut i = 0;
    while i < value.len() {
        let byte = value[i];
        i += 1;
        if byte == b'\r' || byte == b'\n' {
            continue;
        }
        if quoted {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                quoted = false;
            } else if matches!(byte, b' ' | b'\t') && out.ends_with(b"?=") {
                // White space between two encoded words goes.
                let rest = &value[i..];
                let next = rest.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
                if next.is_some_and(|at| rest[at..].starts_with(b"=?")) {
                    i += next.unwrap_or(0);
                    continue;
                }
            }
            out.push(byte);
            continue;
        }
        match byte {
            b'"' => quoted = true,
            b' ' | b'\t' if out.last() == Some(&b'=') => continue,
            b'=' => {
                while out.last().is_some_and(|b| matches!(b, b' ' | b'\t')) {
                    out.pop();
                }
            }
            _ => {}
        }
        out.push(byte);
    }
    out.push(b'\n');
    out
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
    fn a_parameter_folded_after_the_equals_sign() {
        let ct = parameters(b" application/pdf; name=\r\n\t\"report.pdf\"\r\n");
        assert_eq!(ct.kind.as_deref(), Some("application/pdf"));
        assert_eq!(ct.get("name"), Some("report.pdf"));
        let ct = parameters(b" multipart/mixed; boundary=\r\n \"b1\"\r\n");
        assert_eq!(ct.get("boundary"), Some("b1"));
    }

    #[test]
    fn encoded_words_split_across_lines_in_a_filename_join() {
        let cd = parameters(
            b" attachment; filename=\"=?UTF-8?Q?Solidarno=C5=9B?=\r\n        =?UTF-8?Q?=C4=87.pdf?=\"\r\n",
        );
        assert_eq!(cd.kind.as_deref(), Some("attachment"));
        assert_eq!(cd.get("filename"), Some("Solidarność.pdf"));
    }

    #[test]
    fn a_type_without_subtype() {
        assert_eq!(parameters(b" text\r\n").kind.as_deref(), Some("text"));
    }

    #[test]
    fn addresses_and_undisclosed_recipients() {
        let (mailboxes, notes) = addresses(b" Ann <ann@example.com>, bob@example.com\r\n");
        assert_eq!(mailboxes, ["Ann <ann@example.com>", "bob@example.com"]);
        assert!(notes.is_empty());
        assert_eq!(addresses(b" undisclosed-recipients:;\r\n").0, [] as [&str; 0]);
    }
}
