//! One pass over a message's headers, as lettre writes them, for what a
//! mailer must know of every message it sends: whether an address header
//! has a non-ASCII domain (then `crate::idna` rewrites it), and whether a
//! header has a line break (CR or LF), which Django refuses
//! (`BadHeaderError`) and so does a mailer, with [`Error::BadHeader`].
//!
//! lettre offers no way to list a message's headers but its text, and
//! writes that text four pieces a header — the name, `": "`, the encoded
//! value, CRLF — so a [`fmt::Write`] that looks at the pieces as they go
//! by reads every header without an allocation: the hot path of every
//! send. Where a piece says more is to be known (an encoded word, a line
//! break, a layout it does not expect), the slow, exact check runs.
//!
//! A line break reaches a message two ways. In a typed header, or a raw
//! one made with `HeaderValue::new`, lettre encodes it (an encoded word,
//! `=?utf-8?…?=`), so the header reads differently from what the code
//! meant. In a pre-encoded raw header (`HeaderValue::dangerous_new_pre_encoded`)
//! it goes out as is, and a CRLF not followed by white space starts
//! another header: header injection.

use std::fmt::{self, Write};

use lettre::Message;

use crate::error::Error;

/// The headers that hold addresses, whose domains a mailer writes in ASCII.
const ADDRESS_HEADERS: [&str; 6] = ["From", "Reply-To", "To", "Cc", "Bcc", "Sender"];

/// What one pass over a message's headers found.
#[derive(Default)]
pub(crate) struct HeaderScan {
    /// Pieces written so far: four a header.
    piece: usize,
    /// Whether the header being written holds addresses.
    address: bool,
    /// An address header has a non-ASCII byte (a domain to encode, or a
    /// local part only SMTPUTF8 takes).
    pub(crate) non_ascii_address: bool,
    /// The exact check must run: an encoded word, a line break, or a
    /// layout this pass does not know.
    suspicious: bool,
}

impl HeaderScan {
    /// Scans `message`'s headers; `Err` for a line break in one.
    pub(crate) fn of(message: &Message) -> Result<HeaderScan, Error> {
        let mut scan = HeaderScan::default();
        if write!(scan, "{}", message.headers()).is_err() || scan.piece % 4 != 0 {
            scan.suspicious = true;
        }
        if scan.suspicious {
            exact(message)?;
        }
        Ok(scan)
    }
}

impl Write for HeaderScan {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        match self.piece % 4 {
            0 => {
                // Most names are not an address header's: the length tells, before any comparison.
                self.address = matches!(piece.len(), 2 | 3 | 4 | 6 | 8)
                    && ADDRESS_HEADERS.iter().any(|name| name.eq_ignore_ascii_case(piece));
            }
            1 => self.suspicious |= piece != ": ",
            2 => {
                // Most values are printable ASCII without a `?`: one look at each byte tells.
                let bytes = piece.as_bytes();
                if bytes.iter().any(|&byte| matches!(byte, b'\r' | b'\n' | b'?' | 0x80..)) {
                    // An encoded word (`=?…?=`) may hide a line break; a `?` alone is a question.
                    let encoded_word = bytes.windows(2).any(|pair| pair == b"=?");
                    self.suspicious |=
                        encoded_word || bytes.iter().any(|&byte| matches!(byte, b'\r' | b'\n'));
                    self.non_ascii_address |= self.address && !piece.is_ascii();
                }
            }
            _ => self.suspicious |= piece != "\r\n",
        }
        self.piece += 1;
        Ok(())
    }
}

/// The exact check: each header's value as given has no line break, and
/// its text has none but the folds lettre makes (CRLF, then white space).
fn exact(message: &Message) -> Result<(), Error> {
    let headers = message.headers();
    let text = headers.to_string();
    let mut previous: Option<(&str, &str)> = None;
    for line in text.split("\r\n").filter(|line| !line.is_empty()) {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        let Some(raw) = headers.get_raw(name) else {
            // No header of the message has this name: a line break in the one before put it there.
            let (name, value_before) = previous.unwrap_or((name, value));
            return Err(bad_header(name, &format!("{}\r\n{line}", value_before.trim_start())));
        };
        if raw.contains(['\r', '\n']) {
            return Err(bad_header(name, raw));
        }
        if line.contains(['\r', '\n']) {
            return Err(bad_header(name, value.trim_start()));
        }
        previous = Some((name, value));
    }
    Ok(())
}

fn bad_header(name: &str, value: &str) -> Error {
    Error::BadHeader { name: name.to_owned(), value: value.to_owned() }
}

#[cfg(test)]
mod tests {
    use lettre::message::header::{HeaderName, HeaderValue};

    use super::*;

    fn message(subject: &str) -> lettre::message::MessageBuilder {
        Message::builder()
            .from("app@example.com".parse().unwrap())
            .to("ann@example.com".parse().unwrap())
            .subject(subject)
    }

    fn scan(message: lettre::message::MessageBuilder) -> Result<HeaderScan, Error> {
        HeaderScan::of(&message.body(String::from("Hi")).unwrap())
    }

    #[test]
    fn plain_headers_pass_without_the_exact_check() {
        let scan = scan(message("Hello")).unwrap();
        assert!(!scan.suspicious && !scan.non_ascii_address);
    }

    #[test]
    fn encoded_words_and_folds_are_checked_and_pass() {
        let long = "a long subject ".repeat(20);
        for subject in ["Grüße", long.trim()] {
            assert!(scan(message(subject)).is_ok(), "{subject}");
        }
    }

    #[test]
    fn a_non_ascii_domain_is_seen() {
        let builder = message("Hi").cc("bob@bücher.example".parse().unwrap());
        assert!(scan(builder).unwrap().non_ascii_address);
    }

    #[test]
    fn a_line_break_is_refused_however_the_header_was_made() {
        let name = HeaderName::new_from_ascii_str("X-Tag");
        let cases = [
            ("Subject", message("Hi\nBcc: b@example.com")),
            ("Subject", message("Hi\rthere")),
            ("X-Tag", message("Hi").raw_header(HeaderValue::new(name.clone(), "a\r\nb".into()))),
            (
                "X-Tag",
                message("Hi").raw_header(HeaderValue::dangerous_new_pre_encoded(
                    name.clone(),
                    "a".into(),
                    "a\r\nBcc: b@example.com".into(),
                )),
            ),
            (
                "X-Tag",
                message("Hi").raw_header(HeaderValue::dangerous_new_pre_encoded(
                    name,
                    "a".into(),
                    "a\nb".into(),
                )),
            ),
        ];
        for (header, builder) in cases {
            let err = scan(builder).err();
            assert!(
                matches!(&err, Some(Error::BadHeader { name, .. }) if name == header),
                "{header}: {err:?}"
            );
        }
    }
}
