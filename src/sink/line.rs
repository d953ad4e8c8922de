//! Bounded line reading and the base64 that SMTP AUTH needs.
//!
//! A line is everything up to and including LF: CRLF is the standard ending,
//! a bare LF is accepted too (many hand-written clients send one), and a bare
//! CR is an ordinary byte. Memory is bounded: past `limit` bytes the rest of
//! the line is read and thrown away, and the caller learns it was too long.

use std::io::{self, BufRead};

/// What [`read_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// A whole line is in the buffer, its ending included.
    Complete,
    /// The line was longer than the limit; the buffer is empty and the line
    /// was consumed up to its end.
    TooLong,
    /// The peer closed the connection (a partial last line is dropped).
    Eof,
}

/// Reads one line into `buf` (cleared first), keeping at most `limit` bytes.
pub(crate) fn read_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>, limit: usize) -> io::Result<Line> {
    buf.clear();
    let mut too_long = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(Line::Eof);
        }
        let (take, ends) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        reader.consume(take);
        if ends {
            return Ok(if too_long { Line::TooLong } else { Line::Complete });
        }
    }
}

/// `line` without its LF or CRLF ending.
pub(crate) fn trim_ending(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648 §4), as SASL uses it. `None` when
/// the text is not valid base64.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for (i, quad) in text.chunks(4).enumerate() {
        let last = i == text.len() / 4 - 1;
        let padding = quad.iter().rev().take_while(|&&b| b == b'=').count();
        if padding > 2 || (padding > 0 && !last) {
            return None;
        }
        let mut bits: u32 = 0;
        for &b in &quad[..4 - padding] {
            let value = ALPHABET.iter().position(|&a| a == b)?;
            bits = bits << 6 | value as u32;
        }
        bits <<= 6 * padding as u32;
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..4 - padding]);
    }
    Some(out)
}

/// Standard base64 with padding, for the AUTH LOGIN prompts.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut triple = [0u8; 3];
        triple[..chunk.len()].copy_from_slice(chunk);
        let bits = u32::from_be_bytes([0, triple[0], triple[1], triple[2]]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(bits >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base64_encode(b"\0app\0secret"), "AGFwcABzZWNyZXQ=");
        assert_eq!(base64_encode(b"Username:"), "VXNlcm5hbWU6");
    }

    #[test]
    fn base64_rejects_what_is_not_base64() {
        for bad in ["abc", "ab=c", "a===", "ab==abcd", "ab!d"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn lines_end_at_lf_and_overlong_lines_are_consumed_without_growing() {
        let input = b"EHLO a\r\nNOOP\nxxxxxxxxxxxxxxxxxxxx\r\nQUIT\r\npartial";
        let mut reader = io::BufReader::with_capacity(4, &input[..]);
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        loop {
            let line = read_line(&mut reader, &mut buf, 10).unwrap();
            assert!(buf.capacity() <= 16, "the buffer grew past its limit");
            lines.push((line, String::from_utf8(buf.clone()).unwrap()));
            if line == Line::Eof {
                break;
            }
        }
        let expected = [
            (Line::Complete, "EHLO a\r\n"),
            (Line::Complete, "NOOP\n"),
            (Line::TooLong, ""),
            (Line::Complete, "QUIT\r\n"),
            (Line::Eof, "partial"),
        ];
        let expected: Vec<_> = expected.iter().map(|(l, s)| (*l, (*s).to_owned())).collect();
        assert_eq!(lines, expected);
    }
}
