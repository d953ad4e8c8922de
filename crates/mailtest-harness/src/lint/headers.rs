//! The top-level header block as transmitted: each field's name, its
//! unfolded value and where it is in the raw bytes.
//!
//! The lints read headers from the bytes rather than through
//! [`Email::headers`](crate::Email::headers) for two reasons: what they
//! judge is the message as it goes over the wire (a `Bcc` line there is the
//! leak), and the decoded header list is a second parse of the whole
//! message, which would make linting cost twice a first inspection before
//! any rule ran. The values the lints read — `List-Unsubscribe` URIs,
//! `List-Unsubscribe-Post`, the DKIM `h=` tag, whether `Date`, `Message-ID`
//! or `Bcc` are there — are ASCII by their RFCs, so unfolding is all the
//! decoding they need.

use std::ops::Range;

/// One header field of the top-level block.
pub(crate) struct Field {
    pub(crate) name: String,
    /// Unfolded (line breaks of continuation lines removed) and trimmed.
    pub(crate) value: String,
    /// The field's first line in the raw message.
    pub(crate) span: Range<usize>,
    /// Where the field ends, continuation lines included.
    pub(crate) end: usize,
    /// Where the value starts on that line.
    pub(crate) value_start: usize,
}

/// The header block of a raw message.
#[derive(Default)]
pub(crate) struct Headers {
    fields: Vec<Field>,
}

impl Headers {
    /// Scans the header block of `raw`: every line up to the first empty
    /// one. A line starting with white space continues the field before it;
    /// a line that is not `Name: value` (an mbox `From ` line, garbage) is
    /// passed over.
    pub(crate) fn scan(raw: &[u8]) -> Headers {
        let mut fields: Vec<Field> = Vec::new();
        let mut at = 0;
        while at < raw.len() {
            let end = memchr::memchr(b'\n', &raw[at..]).map_or(raw.len(), |found| at + found);
            let line = raw[at..end].strip_suffix(b"\r").unwrap_or(&raw[at..end]);
            if line.is_empty() {
                break;
            }
            if matches!(line[0], b' ' | b'\t') {
                if let Some(field) = fields.last_mut() {
                    field.value.push_str(&String::from_utf8_lossy(line));
                    field.end = at + line.len();
                }
            } else if let Some(colon) = memchr::memchr(b':', line) {
                let name = line[..colon].trim_ascii_end();
                if !name.is_empty() && name.iter().all(|&b| b.is_ascii_graphic()) {
                    fields.push(Field {
                        name: String::from_utf8_lossy(name).into_owned(),
                        value: String::from_utf8_lossy(&line[colon + 1..]).into_owned(),
                        span: at..at + line.len(),
                        end: at + line.len(),
                        value_start: at + colon + 1,
                    });
                }
            }
            at = end + 1;
        }
        for field in &mut fields {
            let trimmed = field.value.trim();
            if trimmed.len() != field.value.len() {
                field.value = trimmed.to_owned();
            }
        }
        Headers { fields }
    }

    /// The first field called `name` (any case).
    pub(crate) fn get<'a>(&'a self, name: &'a str) -> Option<&'a Field> {
        self.all(name).next()
    }

    /// Every field called `name` (any case), in order.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |field| field.name.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfolds_values_and_records_where_each_field_starts() {
        let raw = b"From ann@example.com Tue May 7 10:00:00 2024\r\nSubject: Hi\r\nList-Unsubscribe:\r\n <https://x.example/u>,\r\n\t<mailto:u@x.example>\r\nbroken line\r\n\r\nBcc: not a header\r\n";
        let headers = Headers::scan(raw);
        let names: Vec<&str> = headers.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Subject", "List-Unsubscribe"]);
        let list = headers.get("list-unsubscribe").unwrap();
        assert_eq!(list.value, "<https://x.example/u>,\t<mailto:u@x.example>");
        assert_eq!(&raw[list.span.clone()], b"List-Unsubscribe:");
        assert!(headers.get("Bcc").is_none(), "the body is not headers");
    }

    #[test]
    fn reads_a_message_with_no_body_and_bare_newlines() {
        let headers = Headers::scan(b"Subject: a\nX: b");
        assert_eq!(headers.get("x").map(|f| f.value.as_str()), Some("b"));
        assert!(Headers::scan(b"").get("x").is_none());
    }
}
