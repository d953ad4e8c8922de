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
//! - [`Presentation`]: one email as a reader sees it, the value every
//!   rendering (console, snapshots, HTML report, JSON API) reads.
//! - [`html_to_text`]: HTML as a reader sees it; [`links`]: the URLs of a
//!   message, HTML `href`s first, then URLs in the text.
//! - [`html`]: the one HTML tokenizer every reader of HTML uses; [`url`]:
//!   the one URL splitter; [`base64`]: the one base64 codec.
//! - [`contain_panics`]: the safety net the decoder runs under.
//!
//! # What is decoded, and how
//!
//! The decoder reads mail the way mail clients do, and is checked on every
//! CI run against 1,003 real messages (Outlook, Eudora, Pine, Exchange,
//! LKML, spam and fuzzed mail from public MIME test suites) and against
//! Python's `email` package.
//!
//! - **Charsets**, in bodies, RFC 2047 header words and RFC 2231
//!   parameters: every label of the WHATWG Encoding Standard, as browsers
//!   read them — UTF-8, UTF-16LE/BE, ISO-8859-1…16 (ISO-8859-1 and US-ASCII
//!   read as windows-1252, a superset), windows-874 and 1250–1258,
//!   KOI8-R/U, IBM866, Macintosh and x-mac-cyrillic, ISO-2022-JP,
//!   Shift_JIS, EUC-JP, EUC-KR (`ks_c_5601-1987`), GB2312/GBK/GB18030,
//!   Big5 — plus IANA's aliases and Microsoft's names for them
//!   (`csWindows1252`, `ISO_8859-1:1987`, `cp936`, `ks_c_5601-1989`), UTF-7
//!   and IBM850.
//!   Text with no charset (or US-ASCII with 8-bit bytes, or raw 8-bit header
//!   bytes) reads as UTF-8 when it is valid UTF-8, else as windows-1252.
//!   UTF-8 under a legacy label reads as UTF-8. An unknown charset
//!   (`x-unknown`), ISO-2022-KR and HZ, and bytes not valid in the declared
//!   charset are listed in the problems; the text is still shown.
//! - **Transfer encodings**: base64 (unpadded too; ends at its padding),
//!   quoted-printable (lower-case hex too; a stray `=` kept), x-uuencode,
//!   7bit/8bit/binary. An unknown encoding is a problem, the body shown as is.
//! - **MIME structure** (RFC 2045/2046): a delimiter is a line starting with
//!   `--boundary` (not a boundary string inside a line, nor a longer
//!   boundary); a missing closing delimiter ends the part at the enclosing
//!   boundary or at the end of the message, and is a problem;
//!   `message/rfc822` nests to any depth, directly in another too
//!   (base64-encoded ones are expanded in the MIME tree); a `Content-Type`
//!   without subtype (`text`) or unreadable is `text/plain`
//!   (`message/rfc822` in a digest); a multipart without parts reads as
//!   text, with a problem.
//! - **Bodies and attachments** follow RFC 8621's rules (what JMAP servers
//!   and mail clients show): the text body is every text/plain body part,
//!   the HTML body every text/html one, joined in order; every other part is
//!   an attachment — each part in exactly one place. An attachment's
//!   content is its bytes with the transfer encoding undone, nothing else (a
//!   text file keeps its charset and line ends).
//! - **Headers**: folded lines, obsolete `Name :` syntax, a byte-order mark
//!   or mbox `From ` line before the headers. A field given twice: the
//!   addresses of every `To`/`Cc`/`From`/`Reply-To`/`Bcc` count; `Subject`,
//!   `Message-ID`, `Date` and the others take the first, and the repeat is
//!   a problem.
//! - **MIME parameters**: RFC 2231 (continuations, charsets), encoded words
//!   in quoted or unquoted values (split over lines without the folding
//!   white space), a value folded right after `=`, boundaries kept exactly.
//! - **Addresses**: quoted and encoded names, groups
//!   (`undisclosed-recipients:;` gives no mailbox, and the `To` header and
//!   snapshots show it as written), comments (dropped;
//!   `bob@example.com (Bob)` takes `Bob` as the name), obsolete routes
//!   (`<@relay:ann@example.com>`), stray `>`, two addresses missing their
//!   comma; a bare local part is kept, with a problem.
//! - **HTML as text** ([`html_to_text`]: `Email::html_text()`,
//!   `html_contains`, failure reports): entities decoded, white space
//!   folded, table cells separated by a space, rows, list items,
//!   paragraphs, headings, `div`s and `<br>` by a line; nothing of
//!   `<head>`, `<style>`, `<script>` or comments (Outlook's conditional
//!   comments included: what they hold is for Outlook). Tags are read as
//!   browsers read them ([`html::tokenize`]).
//! - **Not messages**: an empty message, an Outlook `.msg` file or binary
//!   garbage gives a problem that says so, never a panic.
//!
//! Every reader is the crate's own — header fields, the MIME walk, transfer
//! encodings, charsets (with encoding_rs's tables), HTML — so that a test
//! build compiles no mail parser beside it, and decoding runs under
//! [`contain_panics`].
//!
//! # Performance
//!
//! The first inspection of a captured email — subject, first To, text,
//! HTML, attachments — against mail-parser's own parse and the same reads,
//! on a multipart/mixed message with text and HTML alternatives and a
//! 2 KB attachment (`cargo bench -p mailtest-benches --bench capture`,
//! criterion, 2 cores): **1.26–1.37×** (13.3–14.7 µs vs 10.5–10.7 µs,
//! quiet machine), around the goal of 1.3×; the build before the crate
//! read header fields itself, run in turn, measured 1.27–1.33×. (An earlier,
//! loaded run measured 1.13–1.19×.) The full header list and the MIME
//! tree ([`decode_detail`]) are decoded apart, on their own first use.

#![warn(missing_docs)]

pub mod base64;
mod contain;
mod domain;
pub mod html;
mod links;
mod mailbox;
mod parse;
mod parts;
mod presentation;
mod sha256;
pub mod url;

pub use contain::contain_panics;
pub use html::{decode_entities, html_to_text};
pub use links::{extract as links, parsed_text_urls, text_urls};
pub use mailbox::{Mailbox, same_address};
pub use parse::{Decoded, Detail, decode, decode_detail};
pub use parts::{Attachment, Header, MimePart};
pub use presentation::{HeaderRole, Presentation, sha256_prefix};
