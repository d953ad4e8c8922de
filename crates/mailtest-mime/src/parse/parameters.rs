//! `Content-Type` and `Content-Disposition` values: a type, then
//! `; name=value` parameters (RFC 2045 §5.1), read as mail clients read
//! them.
//!
//! - RFC 2231: `name*=charset'lang'%XX` values and `name*0`, `name*1*`, …
//!   sections, joined in order and decoded in the charset of section 0
//!   (after joining, so a character split across sections survives). When a
//!   field has both `name` and `name*…`, the RFC 2231 value wins, as it is
//!   the one written for clients that read it.
//! - RFC 2047 encoded words inside values (`filename="=?UTF-8?B?…?="`, as
//!   Outlook and Gmail write them), except in `boundary`: a boundary is
//!   matched byte for byte against the body's delimiter lines, so it is kept
//!   exactly as written, trailing spaces included.
//! - What mailers get wrong and clients forgive: folding white space around
//!   `=`, comments (`charset=us-ascii (Plain text)`), unterminated quotes,
//!   text after a closing quote, parameters without a value.

use std::borrow::Cow;

use super::charset;
use super::encoded_word::decode_words;
use super::fields::{as_utf8, without_line_ends};
use super::transfer::hex_byte;

/// A `Content-Type` or `Content-Disposition` value: the type in lower case
/// and the parameters, RFC 2231 and RFC 2047 decoded. The default is a
/// field that is not there.
#[derive(Default)]
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

/// One `name=value` as written: RFC 2231's `name*N*` split into its parts.
struct Written {
    name: String,
    /// `Some(N)` for a section `name*N` or `name*N*`.
    section: Option<u32>,
    /// A trailing `*`: the value is `%XX`-encoded (and, unless it is a later
    /// section, starts with `charset'lang'`).
    extended: bool,
    /// Unquoted, unescaped bytes.
    value: Vec<u8>,
}

/// Reads a MIME value (the bytes after the field's colon).
pub(super) fn parameters(value: &[u8]) -> Parameters {
    let value = as_utf8(value);
    let unfolded = without_line_ends(&value);
    let mut segments = split_outside_quotes(&unfolded).into_iter();
    let mut written_params = Vec::new();
    let kind = segments.next().and_then(|segment| {
        let (kind, missing_semicolon) = kind_and_rest(segment);
        written_params.extend(missing_semicolon.and_then(written));
        kind
    });
    written_params.extend(segments.filter_map(written));
    Parameters { kind, params: joined(written_params) }
}

/// The type of the first segment, in lower case (`None` when there is
/// none), and what follows it on the same segment when that looks like a
/// parameter: mailers that fold a header after the type forget the `;`
/// (`multipart/mixed` CRLF TAB `boundary="b"`), and clients read it anyway.
fn kind_and_rest(segment: &[u8]) -> (Option<String>, Option<&[u8]>) {
    let mut text = String::from_utf8_lossy(&without_comments(segment)).to_ascii_lowercase();
    // `text / plain`: white space around the slash is not part of the type.
    if text.contains(" /") || text.contains("/ ") || text.contains('\t') {
        text = text.split('/').map(str::trim).collect::<Vec<_>>().join("/");
    }
    let text = text.trim();
    let (kind, rest) = text.split_once([' ', '\t']).unwrap_or((text, ""));
    let kind = match kind.split_once('/') {
        _ if kind.is_empty() || kind.starts_with('/') => None,
        Some((main, "")) => Some(main.to_owned()),
        _ => Some(kind.to_owned()),
    };
    let rest = rest.contains('=').then(|| {
        let at = segment.iter().position(|&b| b == b'=').unwrap_or(0);
        let start =
            segment[..at].iter().rposition(|b| matches!(b, b' ' | b'\t')).map_or(0, |space| space + 1);
        &segment[start..]
    });
    (kind, rest)
}

/// `value` split at each `;` that is not inside quotes or a comment.
fn split_outside_quotes(value: &[u8]) -> Vec<&[u8]> {
    let mut segments = Vec::new();
    let (mut start, mut quoted, mut escaped, mut comment_depth) = (0, false, false, 0usize);
    for (i, &byte) in value.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match byte {
            b'\\' if quoted || comment_depth > 0 => escaped = true,
            b'"' if comment_depth == 0 => quoted = !quoted,
            b'(' if !quoted => comment_depth += 1,
            b')' if !quoted => comment_depth = comment_depth.saturating_sub(1),
            b';' if !quoted && comment_depth == 0 => {
                segments.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    segments.push(&value[start..]);
    segments
}

/// `text` without its comments (`( … )`, nested, with `\` escapes). A `(`
/// right after a non-space byte starts no comment: `report(1).pdf` is a
/// name, written unquoted by careless mailers.
fn without_comments(text: &[u8]) -> Cow<'_, [u8]> {
    if !text.contains(&b'(') {
        return Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len());
    let (mut depth, mut escaped) = (0usize, false);
    for (i, &byte) in text.iter().enumerate() {
        if depth > 0 {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            continue;
        }
        let starts_comment = byte == b'(' && (i == 0 || matches!(text[i - 1], b' ' | b'\t'));
        if starts_comment {
            depth = 1;
        } else {
            out.push(byte);
        }
    }
    Cow::Owned(out)
}

/// One `name=value` segment; `None` without a name or an `=`.
fn written(segment: &[u8]) -> Option<Written> {
    let equals = segment.iter().position(|&b| b == b'=')?;
    let name = String::from_utf8_lossy(&without_comments(&segment[..equals])).trim().to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let raw = segment[equals + 1..].trim_ascii_start();
    let value = match raw.strip_prefix(b"\"") {
        Some(quoted) => unquoted(quoted),
        None => without_comments(raw).trim_ascii().to_vec(),
    };
    let (name, section, extended) = rfc2231_name(name);
    Some(Written { name, section, extended, value })
}

/// The content of a quoted string (after its opening quote): up to the
/// closing quote, or the end when there is none; `\x` is `x`.
fn unquoted(quoted: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(quoted.len());
    let mut bytes = quoted.iter();
    while let Some(&byte) = bytes.next() {
        match byte {
            b'"' => break,
            b'\\' => out.extend(bytes.next()),
            _ => out.push(byte),
        }
    }
    out
}

/// `filename*0*` → (`filename`, `Some(0)`, extended). A name whose `*` part
/// is not RFC 2231's is kept whole.
fn rfc2231_name(name: String) -> (String, Option<u32>, bool) {
    let Some((base, star)) = name.split_once('*') else { return (name, None, false) };
    let (digits, extended) = match star.strip_suffix('*') {
        Some(digits) => (digits, true),
        None => (star, false),
    };
    match digits {
        "" if extended => (name, None, false),
        "" => (base.to_owned(), None, true),
        digits if digits.bytes().all(|b| b.is_ascii_digit()) => match digits.parse() {
            Ok(section) => (base.to_owned(), Some(section), extended),
            Err(_) => (name, None, false),
        },
        _ => (name, None, false),
    }
}

/// Each name once, where it first appears: its RFC 2231 value when it has
/// one, else its plain value (the first, when it is repeated).
fn joined(written: Vec<Written>) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = Vec::with_capacity(written.len());
    for (at, first) in written.iter().enumerate() {
        if params.iter().any(|(name, _)| *name == first.name) {
            continue;
        }
        // Empty (no allocation) for the fields most mail has: no RFC 2231 part.
        let rfc2231: Vec<&Written> = written[at..]
            .iter()
            .filter(|w| w.name == first.name && (w.extended || w.section.is_some()))
            .collect();
        let value =
            if rfc2231.is_empty() { plain_value(&first.name, &first.value) } else { rfc2231_value(&rfc2231) };
        // `boundary=""`: an empty value is no value (a multipart without a
        // boundary is read as text, and says so).
        if !value.is_empty() {
            params.push((first.name.clone(), value));
        }
    }
    params
}

fn plain_value(name: &str, value: &[u8]) -> String {
    if name == "boundary" || memchr::memmem::find(value, b"=?").is_none() {
        String::from_utf8_lossy(value).into_owned()
    } else {
        decode_words(value)
    }
}

/// The value of RFC 2231 parts: a whole `name*` alone, else the sections in
/// order (the first of each number), `%XX` undone in the extended ones, the
/// bytes read in the charset section 0 names.
fn rfc2231_value(parts: &[&Written]) -> String {
    let mut sections: Vec<&Written> = match parts.iter().find(|w| w.section.is_none()) {
        Some(whole) => vec![whole],
        None => parts.to_vec(),
    };
    sections.sort_by_key(|w| w.section);
    sections.dedup_by_key(|w| w.section);
    let mut bytes = Vec::new();
    let mut label = None;
    for (i, part) in sections.iter().enumerate() {
        if !part.extended {
            bytes.extend_from_slice(&part.value);
            continue;
        }
        let mut encoded = part.value.as_slice();
        if i == 0 {
            // `charset'language'`: both may be empty, and a value without
            // the two quotes is taken as having neither.
            let mut quotes = encoded.iter().enumerate().filter(|(_, b)| **b == b'\'').map(|(at, _)| at);
            if let (Some(first), Some(second)) = (quotes.next(), quotes.next()) {
                label = Some(String::from_utf8_lossy(&encoded[..first]).into_owned());
                encoded = &encoded[second + 1..];
            }
        }
        percent_decode_into(encoded, &mut bytes);
    }
    charset::decode(&bytes, label.as_deref()).0
}

/// `%XX` is a byte; a `%` not followed by two hex digits stays.
fn percent_decode_into(encoded: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < encoded.len() {
        if encoded[i] == b'%'
            && let Some(byte) = encoded.get(i + 1..i + 3).and_then(hex_byte)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(encoded[i]);
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: &str) -> (Option<String>, Vec<(String, String)>) {
        let read = parameters(value.as_bytes());
        (read.kind, read.params)
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_type_and_parameters() {
        assert_eq!(
            read(" Text/HTML; Charset=\"UTF-8\"; format=flowed"),
            (Some("text/html".into()), params(&[("charset", "UTF-8"), ("format", "flowed")]))
        );
        assert_eq!(read(" text\r\n").0.as_deref(), Some("text"));
        assert_eq!(read(" ; charset=utf-8").0, None);
        assert_eq!(read(" text / plain ; charset=utf-8").0.as_deref(), Some("text/plain"));
        assert_eq!(read(" text/ ").0.as_deref(), Some("text"));
        assert_eq!(read(" text/plain; charset=us-ascii (Plain text)").1, params(&[("charset", "us-ascii")]));
    }

    #[test]
    fn a_parameter_folded_after_the_equals_sign() {
        let ct = parameters(b" application/pdf; name=\r\n\t\"report.pdf\"\r\n");
        assert_eq!(ct.kind.as_deref(), Some("application/pdf"));
        assert_eq!(ct.get("name"), Some("report.pdf"));
        let ct = parameters(b" multipart/mixed; boundary =\r\n \"b1\"\r\n");
        assert_eq!(ct.get("boundary"), Some("b1"));
    }

    #[test]
    fn quoted_values_keep_their_spaces_semicolons_and_escapes() {
        let ct = parameters(b" multipart/mixed; boundary=\"==b; 1 \"; name=\"a \\\"q\\\" b\"");
        assert_eq!(ct.get("boundary"), Some("==b; 1 "));
        assert_eq!(ct.get("name"), Some("a \"q\" b"));
        assert_eq!(
            parameters(b" attachment; filename=\"unterminated.txt").get("filename"),
            Some("unterminated.txt")
        );
        assert_eq!(parameters(b" attachment; filename=report(1).pdf").get("filename"), Some("report(1).pdf"));
    }

    #[test]
    fn encoded_words_split_across_lines_in_a_filename_join() {
        let cd = parameters(
            b" attachment; filename=\"=?UTF-8?Q?Solidarno=C5=9B?=\r\n        =?UTF-8?Q?=C4=87.pdf?=\"\r\n",
        );
        assert_eq!(cd.kind.as_deref(), Some("attachment"));
        assert_eq!(cd.get("filename"), Some("Solidarność.pdf"));
        let ct = parameters(b" multipart/mixed; boundary=\"=?utf-8?q?x?=\"");
        assert_eq!(ct.get("boundary"), Some("=?utf-8?q?x?="), "a boundary is kept as written");
    }

    #[test]
    fn rfc2231_values_and_sections() {
        let cd = parameters(b" attachment; filename*=UTF-8''na%C3%AFve%20plan.txt");
        assert_eq!(cd.get("filename"), Some("naïve plan.txt"));
        let cd = parameters(
            b" attachment; filename=\"fallback.txt\";\r\n filename*1*=%A9.txt; filename*0*=utf-8'en'r%C3",
        );
        assert_eq!(cd.params, params(&[("filename", "ré.txt")]), "sections join before decoding");
        let cd = parameters(b" attachment; filename*0=\"a b\"; filename*1=\" c.txt\"");
        assert_eq!(cd.get("filename"), Some("a b c.txt"));
        let cd = parameters(b" attachment; filename*=iso-8859-1'fr'caf%E9%zz.txt");
        assert_eq!(cd.get("filename"), Some("café%zz.txt"));
    }

    #[test]
    fn a_parameter_folded_after_the_type_without_a_semicolon() {
        assert_eq!(
            read(" multipart/mixed\r\n\tboundary=\"b 1\"; x=y"),
            (Some("multipart/mixed".into()), params(&[("boundary", "b 1"), ("x", "y")]))
        );
        assert_eq!(read(" text/plain junk").1, params(&[]));
    }

    #[test]
    fn broken_parameters_lose_nothing_that_can_be_read() {
        assert_eq!(read(" multipart/mixed; boundary=\"\"").1, params(&[]), "an empty value is no value");
        assert_eq!(read(" text/plain; ; junk; charset=utf-8").1, params(&[("charset", "utf-8")]));
        assert_eq!(read(" text/plain; name=\"a\" trailing; x=1").1, params(&[("name", "a"), ("x", "1")]));
        assert_eq!(read(" text/plain; name=caf\u{e9}.txt").1, params(&[("name", "café.txt")]));
        assert_eq!(parameters(b" text/plain; name=caf\xe9.txt").get("name"), Some("café.txt"));
    }
}
