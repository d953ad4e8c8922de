//! The message as DKIM reads it: its header fields as written (folding
//! included) and its body, on CRLF line endings.

use std::borrow::Cow;

/// One header field: its name and every byte of it, through its CRLF.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field<'a> {
    pub(crate) name: &'a str,
    pub(crate) bytes: &'a [u8],
}

impl<'a> Field<'a> {
    /// What follows the colon, folding included, without the final CRLF.
    pub(crate) fn value(&self) -> &'a [u8] {
        let after = self.name.len() + 1;
        let bytes = self.bytes.strip_suffix(b"\r\n").unwrap_or(self.bytes);
        bytes.get(after..).unwrap_or_default()
    }

    pub(crate) fn is(&self, name: &str) -> bool {
        self.name.trim_end_matches([' ', '\t']).eq_ignore_ascii_case(name)
    }
}

/// The header fields, top first, and the body.
pub(crate) struct Message<'a> {
    pub(crate) fields: Vec<Field<'a>>,
    pub(crate) body: &'a [u8],
}

/// The message with every line ending CRLF, as SMTP carried it: a message
/// captured with bare LFs (hand-made, or through `capture_raw`) is read as
/// the CRLF form a signer saw.
pub(crate) fn crlf(raw: &[u8]) -> Cow<'_, [u8]> {
    let bare = raw.iter().enumerate().any(|(at, b)| *b == b'\n' && (at == 0 || raw[at - 1] != b'\r'));
    if !bare {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 40);
    for (at, b) in raw.iter().enumerate() {
        if *b == b'\n' && (at == 0 || raw[at - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(*b);
    }
    Cow::Owned(out)
}

impl<'a> Message<'a> {
    /// Splits a CRLF message (see [`crlf`]) into fields and body. A line
    /// that is no field (no colon) ends nothing: it is kept with the field
    /// before it, as a continuation would be, so no byte is lost.
    pub(crate) fn parse(raw: &'a [u8]) -> Message<'a> {
        let mut fields = Vec::new();
        let mut at = 0;
        while at < raw.len() {
            if raw[at..].starts_with(b"\r\n") {
                return Message { fields, body: &raw[at + 2..] };
            }
            let start = at;
            // The field runs to a CRLF not followed by white space.
            loop {
                match find_crlf(raw, at) {
                    Some(end) => {
                        at = end + 2;
                        if !matches!(raw.get(at), Some(b' ' | b'\t')) {
                            break;
                        }
                    }
                    None => {
                        at = raw.len();
                        break;
                    }
                }
            }
            let bytes = &raw[start..at];
            let name_end = bytes.iter().position(|b| *b == b':').unwrap_or(0);
            let name = std::str::from_utf8(&bytes[..name_end]).unwrap_or("");
            fields.push(Field { name, bytes });
        }
        Message { fields, body: &[] }
    }
}

fn find_crlf(raw: &[u8], from: usize) -> Option<usize> {
    raw[from..].windows(2).position(|pair| pair == b"\r\n").map(|at| from + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_folded_fields_and_the_body() {
        let raw = crlf(b"From: a@example.com\nSubject: one\n two\nTo: b\n\nbody\n");
        let message = Message::parse(&raw);
        let names: Vec<&str> = message.fields.iter().map(|f| f.name).collect();
        assert_eq!(names, ["From", "Subject", "To"]);
        assert_eq!(message.fields[1].bytes, b"Subject: one\r\n two\r\n");
        assert_eq!(message.fields[1].value(), b" one\r\n two");
        assert_eq!(message.body, b"body\r\n");
    }
}
