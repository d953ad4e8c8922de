//! A header block split into its fields, and where the body starts.
//!
//! RFC 5322 §2.2: a field is a name, a colon and a value that may continue
//! on lines starting with white space; the first empty line ends the block.
//! A line that is neither a field nor a continuation ends it too (the body
//! starts there, as Python's parser and mail clients read such mail), and is
//! reported.

/// One header field as written: the name without trailing white space, and
/// the value from after the colon to the end of its last continuation line,
/// line end included.
#[derive(Clone, Copy, Debug)]
pub(super) struct Field<'a> {
    pub(super) name: &'a str,
    pub(super) value: &'a [u8],
}

impl Field<'_> {
    pub(super) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// A header block and the body after it.
pub(super) struct Block<'a> {
    pub(super) fields: Vec<Field<'a>>,
    pub(super) body: &'a [u8],
    /// The first line that ended the block without being a field, when the
    /// block did not end with an empty line.
    pub(super) stray_line: Option<&'a [u8]>,
}

/// Splits `bytes` into fields and body.
pub(super) fn split<'a>(bytes: &'a [u8]) -> Block<'a> {
    let mut fields: Vec<Field<'a>> = Vec::new();
    // (end of the name, start of the value, end of the value) of the field being read.
    let mut open: Option<(usize, usize, usize)> = None;
    let mut field_start = 0;
    let mut pos = 0;
    let mut stray_line = None;
    let close = |fields: &mut Vec<Field<'a>>, open: Option<(usize, usize, usize)>, field_start: usize| {
        if let Some((name_end, value_start, value_end)) = open {
            let name = std::str::from_utf8(&bytes[field_start..name_end]).unwrap_or_default();
            fields.push(Field { name, value: &bytes[value_start..value_end] });
        }
    };
    while pos < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |at| pos + at + 1);
        let line = &bytes[pos..end];
        if line == b"\n" || line == b"\r\n" {
            close(&mut fields, open.take(), field_start);
            return Block { fields, body: &bytes[end..], stray_line };
        }
        if matches!(line[0], b' ' | b'\t') {
            // A continuation with no field before it is skipped, as Python
            // and mail clients skip it.
            if let Some((_, _, value_end)) = open.as_mut() {
                *value_end = end;
            }
            pos = end;
            continue;
        }
        match field_name_end(line) {
            Some((name_end, colon)) => {
                close(&mut fields, open.take(), field_start);
                field_start = pos;
                open = Some((pos + name_end, pos + colon + 1, end));
            }
            None => {
                close(&mut fields, open.take(), field_start);
                stray_line = Some(line);
                return Block { fields, body: &bytes[pos..], stray_line };
            }
        }
        pos = end;
    }
    close(&mut fields, open.take(), field_start);
    Block { fields, body: &bytes[bytes.len()..], stray_line }
}

/// `(end of the name, position of the colon)` when `line` starts a field:
/// a name of printable ASCII other than the colon, then optional white
/// space (the obsolete syntax of RFC 5322 §4.5), then a colon.
fn field_name_end(line: &[u8]) -> Option<(usize, usize)> {
    let name_end = line.iter().position(|&b| !(33..=126).contains(&b) || b == b':')?;
    if name_end == 0 {
        return None;
    }
    let colon = name_end + line[name_end..].iter().position(|&b| b != b' ' && b != b'\t')?;
    (line[colon] == b':').then_some((name_end, colon))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(block: &Block<'a>) -> Vec<(&'a str, String)> {
        block.fields.iter().map(|f| (f.name, String::from_utf8_lossy(f.value).into_owned())).collect()
    }

    #[test]
    fn fields_values_and_body() {
        let block = split(b"Subject: a\r\n b\r\nTo : x\r\n\r\nbody");
        assert_eq!(names(&block), [("Subject", " a\r\n b\r\n".to_owned()), ("To", " x\r\n".to_owned())]);
        assert_eq!(block.body, b"body");
        assert!(block.stray_line.is_none());
    }

    #[test]
    fn a_line_that_is_not_a_field_starts_the_body() {
        let block = split(b"Subject: a\nthis is text\nmore\n");
        assert_eq!(names(&block).len(), 1);
        assert_eq!(block.body, b"this is text\nmore\n");
        assert_eq!(block.stray_line, Some(&b"this is text\n"[..]));
    }

    #[test]
    fn no_body_and_no_final_line_end() {
        let block = split(b"Subject: a");
        assert_eq!(names(&block), [("Subject", " a".to_owned())]);
        assert!(block.body.is_empty());
    }

    #[test]
    fn an_empty_first_line_means_no_fields() {
        let block = split(b"\r\nbody");
        assert!(block.fields.is_empty());
        assert_eq!(block.body, b"body");
    }
}
