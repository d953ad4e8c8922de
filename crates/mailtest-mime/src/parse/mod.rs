//! Raw bytes to the decoded [`Decoded`] and [`Detail`].
//!
//! # Where each part of decoding happens
//!
//! Every reader here is the crate's own. mail-parser read the header fields
//! before (never the whole message: its message parser took a boundary
//! anywhere in a line for a delimiter, lost parts after a missing closing
//! delimiter and tripped a `debug_assert!` on nested messages); it went
//! because its proc macro and syn made a test build of an app that adds
//! mailtest a fifth slower, for a few hundred lines of field reading.
//!
//! - **The MIME structure** ([`tree`], over [`block`]): RFC 2046
//!   delimiters (whole lines only; an enclosing boundary or the end of the
//!   message ends unclosed parts), nested messages at any depth, defaults
//!   of RFC 2045 §5.2. Which parts are the bodies follows RFC 8621's
//!   `parseStructure` ([`select`]), as mail clients do.
//! - **Header fields**: unstructured text and ids ([`fields`]), RFC 2047
//!   encoded words ([`encoded_word`]), addresses ([`address`]), MIME
//!   parameters with RFC 2231 ([`parameters`]), dates ([`date`]).
//! - **Bodies**: transfer encodings ([`transfer`]: lenient base64,
//!   quoted-printable and uuencode) and charsets ([`charset`]: encoding_rs,
//!   which says when bytes are not valid in the declared charset, and the
//!   labels the WHATWG standard lacks).
//!
//! Decoding runs under [`contain_panics`]: should a reader panic on input
//! nobody foresaw, that email gets a problem and the test goes on.

mod address;
mod block;
mod charset;
mod date;
mod detail;
mod encoded_word;
mod fields;
mod leaf;
mod parameters;
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

#[cfg(test)]
mod tests {
    /// The header readers see whatever a mailer wrote: random bytes drawn
    /// from what their syntax turns on (quotes, comments, `=?`, `*`, `%`,
    /// folds, 8-bit bytes) never make one panic. A fixed seed, so a failure
    /// reproduces.
    #[test]
    fn the_field_readers_never_panic_on_arbitrary_bytes() {
        let alphabet: &[u8] = b"=?_*'\";()\\/ \t\r\nabQBq%0F9<>@,:\x80\xff\xc3utf-8iso";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let bytes: Vec<u8> =
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let label = String::from_utf8_lossy(&bytes[..len.min(8)]).into_owned();
            let _ = super::fields::text(&bytes);
            let _ = super::fields::message_id(&bytes);
            let _ = super::fields::addresses(&bytes);
            let _ = super::parameters::parameters(&bytes);
            let _ = super::date::parse(&bytes);
            let _ = super::charset::decode(&bytes, Some(&label));
            let _ = super::charset::decode(&bytes, Some("utf-7"));
        }
    }
}
