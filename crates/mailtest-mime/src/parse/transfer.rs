//! Content-Transfer-Encoding undone: base64 (with [`crate::base64`]),
//! quoted-printable and uuencode, each read leniently (as mail clients read them) and saying
//! when the input was not clean.
//!
//! Lenient because the usual decoders stop at the first odd byte (and, for
//! base64, drop the last bytes of unpadded input), which lost data before.

use std::borrow::Cow;

/// The decoded bytes, and a problem when the input was not what its
/// encoding allows.
pub(super) fn decode<'a>(encoding: &str, body: &'a [u8]) -> (Cow<'a, [u8]>, Option<String>) {
    match encoding {
        "base64" => {
            let read = crate::base64::decode(body);
            (
                Cow::Owned(read.bytes),
                (!read.clean).then(|| "the base64 body has bytes outside base64".to_owned()),
            )
        }
        "quoted-printable" => {
            let (bytes, clean) = quoted_printable(body);
            let problem = (!clean)
                .then(|| "the quoted-printable body has `=` not followed by two hex digits".to_owned());
            (Cow::Owned(bytes), problem)
        }
        "x-uuencode" | "uuencode" | "x-uue" => match uudecode(body) {
            Some(bytes) => (Cow::Owned(bytes), None),
            None => (
                Cow::Borrowed(body),
                Some("the uuencoded body has no `begin` line; shown as it is".to_owned()),
            ),
        },
        "" | "7bit" | "8bit" | "binary" | "7-bit" | "8-bit" => (Cow::Borrowed(body), None),
        other => (
            Cow::Borrowed(body),
            Some(format!("the transfer encoding {other:?} is not known; the body is shown as it is")),
        ),
    }
}

/// Quoted-printable: `=XX` (either case) is a byte, `=` at the end of a line
/// joins it to the next, white space at the end of a line is dropped
/// (RFC 2045 §6.7); any other `=` is kept as it is.
pub(super) fn quoted_printable(input: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(input.len());
    let mut clean = true;
    for line in input.split_inclusive(|&b| b == b'\n') {
        let (content, line_end) = match line {
            [rest @ .., b'\r', b'\n'] => (rest, &b"\r\n"[..]),
            [rest @ .., b'\n'] => (rest, &b"\n"[..]),
            rest => (rest, &b""[..]),
        };
        let content = content.trim_ascii_end();
        let (content, soft_break) = match content {
            [rest @ .., b'='] => (rest, true),
            rest => (rest, false),
        };
        let mut i = 0;
        while i < content.len() {
            let byte = content[i];
            if byte == b'=' {
                if let Some(decoded) = content.get(i + 1..i + 3).and_then(hex_byte) {
                    out.push(decoded);
                    i += 3;
                    continue;
                }
                clean = false;
            }
            out.push(byte);
            i += 1;
        }
        if !soft_break {
            out.extend_from_slice(line_end);
        }
    }
    (out, clean)
}

/// The byte two hex digits (either case) spell, as quoted-printable,
/// RFC 2047's Q words and RFC 2231's `%XX` write it.
pub(super) fn hex_byte(pair: &[u8]) -> Option<u8> {
    let digit = |b: u8| char::from(b).to_digit(16);
    match pair {
        [high, low] => Some((digit(*high)? * 16 + digit(*low)?) as u8),
        _ => None,
    }
}

/// The file in a uuencoded body (`begin 644 name` … `end`), if it has one.
fn uudecode(input: &[u8]) -> Option<Vec<u8>> {
    // Trailing spaces are data (a space is six zero bits): only `\r` goes.
    let mut lines = input.split(|&b| b == b'\n').map(|line| line.strip_suffix(b"\r").unwrap_or(line));
    lines.by_ref().find(|line| line.starts_with(b"begin "))?;
    let mut out = Vec::new();
    for line in lines {
        if line.trim_ascii_end() == b"end" || line.is_empty() {
            break;
        }
        let length = usize::from((line[0].wrapping_sub(b' ')) & 0x3f);
        if length == 0 {
            break;
        }
        let mut decoded = Vec::with_capacity(length + 2);
        for chunk in line[1..].chunks(4) {
            let mut quad = [0u8; 4];
            for (slot, &c) in quad.iter_mut().zip(chunk) {
                *slot = c.wrapping_sub(b' ') & 0x3f;
            }
            decoded.push((quad[0] << 2) | (quad[1] >> 4));
            decoded.push((quad[1] << 4) | (quad[2] >> 2));
            decoded.push((quad[2] << 6) | quad[3]);
        }
        decoded.truncate(length);
        out.extend_from_slice(&decoded);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_soft_breaks_and_stray_equals() {
        assert_eq!(
            quoted_printable(b"caf=C3=a9 =\r\nau lait  \r\n"),
            (b"caf\xc3\xa9 au lait\r\n".to_vec(), true)
        );
        assert_eq!(quoted_printable(b"1+1=2"), (b"1+1=2".to_vec(), false));
    }

    #[test]
    fn uuencode() {
        assert_eq!(uudecode(b"begin 644 a.txt\n#0V%T\n`\nend\n"), Some(b"Cat".to_vec()));
        assert_eq!(uudecode(b"begin 644 z\r\n#    \r\n`\r\nend\r\n"), Some(vec![0, 0, 0]));
        assert_eq!(uudecode(b"no begin"), None);
    }
}
