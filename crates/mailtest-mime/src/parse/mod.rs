//! Raw bytes to the decoded [`Decoded`] and [`Detail`]: the only module that
//! names mail-parser.
//!
//! # Where each part of decoding happens, and why
//!
//! mail-parser 0.11 (1.x needs a newer rustc than ours) reads header fields
//! well, but its message-level parser (`MessageParser::parse`) decodes real
//! mail wrongly in ways no pre-processing can repair without redoing its
//! work: it takes a boundary string anywhere in a line for a delimiter,
//! loses the parts after a missing closing delimiter, swallows the parts
//! after a `message/rfc822` nested directly in another (and trips a
//! `debug_assert!` there, so debug and release builds decoded the same
//! bytes differently), re-encodes text attachments to UTF-8, and takes the
//! last of repeated headers. So the work is split:
//!
//! - **The MIME structure is walked here** ([`tree`], over [`block`]): RFC
//!   2046 delimiters (whole lines only; an enclosing boundary or the end of
//!   the message ends unclosed parts), nested messages at any depth,
//!   defaults of RFC 2045 §5.2. Which parts are the bodies follows RFC 8621's
//!   `parseStructure` ([`select`]), as mail clients do.
//! - **Header fields are read by mail-parser's field parsers** ([`fields`]):
//!   addresses, RFC 2047 encoded words (with its `full_encoding` feature, so
//!   CJK charsets decode), RFC 2231 parameters and ids. Each parser
//!   reads one field value; MIME parameter values are first tidied of the
//!   folding white space mail-parser trips on. Dates are read here
//!   ([`date`]).
//! - **Bodies**: transfer encodings are undone here ([`transfer`]: lenient
//!   base64, quoted-printable and uuencode, which mail-parser's stop short
//!   on), charsets by encoding_rs ([`charset`]), which says when bytes are
//!   not valid in the declared charset, with mail-parser's table for the
//!   labels the WHATWG standard lacks (UTF-7, IBM850, …).
//!
//! Nothing here calls mail-parser's message parser, so its debug-only
//! assertions cannot fire and a debug build decodes exactly as a release
//! build. Decoding still runs under [`contain_panics`]: should a field
//! parser panic on input nobody foresaw, that email gets a problem and the
//! test goes on.

mod address;
mod block;
mod charset;
mod date;
mod detail;
mod encoded_word;
mod fields;
mod leaf;
mod select;
mod transfer;
mod tree;
mod view;

use crate::contain::contain_panics;
pub use detail::Detail;
pub use view::Decoded;

/// Decodes `raw`; `envelope_to` supplies the Bcc recipients. Never panics.
pub fn decode(raw: &[u8], envelope_to: &[String]) -> Decoded {
    contain_panics(|| view::view(raw, envelope_to)).unwrap_or_else(|panic| Decoded {
        problems: vec![format!("the decoder failed on this message: {panic}; the bytes are in raw()")],
        ..Decoded::default()
    })
}

/// Every header and the MIME tree, decoded on their own first use, so that
/// reading a subject or a body does not pay for them. Never panics.
pub fn decode_detail(raw: &[u8]) -> Detail {
    contain_panics(|| detail::detail(raw)).unwrap_or_default()
}

/// Why no header could be read: an empty message, an Outlook `.msg` file,
/// or bytes that do not start with `Name: value` lines.
fn no_headers(raw: &[u8]) -> String {
    const OLE_SIGNATURE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
    if raw.is_empty() {
        "the message is empty (0 bytes)".to_owned()
    } else if raw.starts_with(OLE_SIGNATURE) {
        "this is an Outlook .msg file (an OLE compound file), not an RFC 5322 message: export it as .eml"
            .to_owned()
    } else {
        format!(
            "no header could be read: a message starts with `Name: value` lines; this one starts with {}",
            preview(raw)
        )
    }
}

/// The first bytes of `raw`, escaped, for a problem message.
fn preview(raw: &[u8]) -> String {
    let head = &raw[..raw.len().min(40)];
    let shown = head.escape_ascii().to_string();
    if raw.len() > head.len() { format!("\"{shown}…\"") } else { format!("\"{shown}\"") }
}

/// Decodes one HTML character reference (`&amp;`, `&#233;`, `&eacute;`)
/// with mail-parser's entity table; `None` when it is not one.
pub(crate) fn html_entity(reference: &str) -> Option<String> {
    if !(reference.starts_with('&') && reference.ends_with(';') && reference.len() > 2) {
        return None;
    }
    let mut decoded = String::new();
    mail_parser::decoders::html::add_html_token(&mut decoded, reference.as_bytes(), false);
    (decoded != reference).then_some(decoded)
}
