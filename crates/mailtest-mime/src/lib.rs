//! The decoder of [mailtest](https://docs.rs/mailtest): raw RFC 5322 and
//! MIME bytes to what a test reads — addresses, subject, text and HTML
//! bodies, attachments, every header, the MIME tree and the links — with
//! line endings normalised to `\n`.
//!
//! Malformed input never panics and never loses bytes: what could not be
//! read is listed in [`Decoded::problems`] and [`Detail::problems`], and the
//! caller keeps the raw bytes. Most users never name this crate: `mailtest`
//! decodes each captured message on first inspection with it and shows the
//! result as a `mailtest::Email`.
//!
//! ```
//! let raw = b"From: App <app@example.com>\r\n\
//!             To: =?utf-8?q?Ren=C3=A9e?= <renee@example.com>\r\n\
//!             Subject: =?utf-8?b?V2lsbGtvbW1lbiDwn46J?=\r\n\
//!             Content-Type: text/html; charset=utf-8\r\n\r\n\
//!             <p>Confirm: <a href=\"https://example.com/c?t=1&amp;u=2\">here</a></p>\r\n";
//! let decoded = mailtest_mime::decode(raw, &[]);
//! assert_eq!(decoded.subject.as_deref(), Some("Willkommen 🎉"));
//! assert_eq!(decoded.to[0].name.as_deref(), Some("Renée"));
//! assert_eq!(mailtest_mime::html_to_text(decoded.html.as_deref().unwrap()), "Confirm: here");
//! assert_eq!(mailtest_mime::links(decoded.html.as_deref(), None), ["https://example.com/c?t=1&u=2"]);
//! ```
//!
//! # Contents
//!
//! - [`decode`] → [`Decoded`]: what first inspection needs (addresses,
//!   subject, ids, date, bodies, attachments); [`decode_detail`] →
//!   [`Detail`]: every header and the MIME tree, which most inspections
//!   never read and so are decoded apart.
//! - [`Mailbox`]: an address with its display name, compared as mail
//!   servers compare addresses (the domain in any case and either IDNA form).
//! - [`Attachment`], [`Header`], [`MimePart`]: the parts of a decoded message.
//! - [`html_to_text`]: HTML as a reader sees it; [`links`]: the URLs of a
//!   message, HTML `href`s first, then URLs in the text.
//! - [`contain_panics`]: the safety net the decoder runs under.
//!
//! mail-parser 0.11 reads the header fields; its types never leave
//! [`decode`]'s module (see its docs for which part of decoding happens
//! where, and why).

#![warn(missing_docs)]

mod contain;
mod domain;
mod html_text;
mod links;
mod mailbox;
mod parse;
mod parts;

pub use contain::contain_panics;
pub use html_text::{decode_entities, html_to_text};
pub use links::{extract as links, text_urls};
pub use mailbox::{Mailbox, same_address};
pub use parse::{Decoded, Detail, decode, decode_detail};
pub use parts::{Attachment, Header, MimePart};
