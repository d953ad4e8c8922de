//! The message as SMTP `DATA` carries it, so that the server stores exactly
//! the bytes that were built.
//!
//! On the wire, every line ends in CRLF, a line that starts with `.` gets a
//! second one (dot-stuffing, RFC 5321 §4.5.2), and `CRLF . CRLF` ends the
//! data. The server removes the extra dots and the final `. CRLF`, so it
//! stores the message up to and including its last CRLF.
//!
//! lettre's `message()` does the dot-stuffing but always writes
//! `CRLF . CRLF` after the bytes it is given: a message that already ends in
//! CRLF — `"Content\n"`, a body with a final newline — would be stored with
//! an empty line more (`"Content\n\n"`). Python's `smtplib`, which Django
//! uses, adds the CRLF only when it is missing. [`for_lettre`] gives lettre
//! the message with its final CRLF taken off, so that lettre's terminator
//! puts it back: the server stores the message as built. Bare LF and bare
//! CR line endings become CRLF first, as `smtplib` makes them, so that
//! lettre's dot-stuffing — which only looks after a CRLF — sees every line,
//! and no line of the message can end the data early.

use std::borrow::Cow;

/// `raw` with CRLF line endings and without its final CRLF: what lettre's
/// `message()` must be given for the server to store `raw` (with CRLF line
/// endings, and a final CRLF if it had none — SMTP data always ends in one).
pub(super) fn for_lettre(raw: &[u8]) -> Cow<'_, [u8]> {
    let mut data = crlf_lines(raw);
    if data.ends_with(b"\r\n") {
        match &mut data {
            Cow::Borrowed(bytes) => *bytes = &bytes[..bytes.len() - 2],
            Cow::Owned(bytes) => bytes.truncate(bytes.len() - 2),
        }
    }
    data
}

/// Every line ending (CRLF, a bare LF, a bare CR) as CRLF; borrowed when
/// there is nothing to change.
fn crlf_lines(raw: &[u8]) -> Cow<'_, [u8]> {
    let bare = raw.iter().enumerate().any(|(at, &byte)| match byte {
        b'\n' => at == 0 || raw[at - 1] != b'\r',
        b'\r' => raw.get(at + 1) != Some(&b'\n'),
        _ => false,
    });
    if !bare {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32);
    let mut bytes = raw.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        match byte {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                if bytes.peek() == Some(&b'\n') {
                    bytes.next();
                }
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the server should store for `raw`: its lines ended in CRLF, and
    /// a final CRLF when it had none.
    fn as_stored(raw: &[u8]) -> Vec<u8> {
        let mut data = crlf_lines(raw).into_owned();
        if !data.ends_with(b"\r\n") {
            data.extend_from_slice(b"\r\n");
        }
        data
    }

    /// What goes on the wire when lettre's `message()` gets `for_lettre(raw)`:
    /// dot-stuffing at the start of every line, then `CRLF . CRLF`. (lettre's
    /// own codec is private; this is its rule, to show the round trip.)
    fn wire(raw: &[u8]) -> Vec<u8> {
        let data = for_lettre(raw);
        let mut out = Vec::new();
        let mut line_start = true;
        for (at, &byte) in data.iter().enumerate() {
            if line_start && byte == b'.' {
                out.push(b'.');
            }
            out.push(byte);
            line_start = byte == b'\n' && at > 0 && data[at - 1] == b'\r';
        }
        out.extend_from_slice(b"\r\n.\r\n");
        out
    }

    /// What a server stores from the wire: lines up to `.` CRLF, unstuffed.
    fn server_stores(wire: &[u8]) -> Vec<u8> {
        let mut stored = Vec::new();
        for line in wire.split_inclusive(|&b| b == b'\n') {
            if line == b".\r\n" {
                return stored;
            }
            stored.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
        }
        panic!("the data never ended: {:?}", String::from_utf8_lossy(wire));
    }

    #[test]
    fn the_server_stores_what_was_built() {
        let cases: [(&[u8], &[u8]); 9] = [
            (b"Subject: a\r\n\r\nContent\r\n", b"Subject: a\r\n\r\nContent\r\n"),
            (b"Subject: a\r\n\r\nContent", b"Subject: a\r\n\r\nContent\r\n"),
            (b"Subject: a\n\nContent\n", b"Subject: a\r\n\r\nContent\r\n"),
            (b"Subject: a\r\n\r\n.\r\n..\r\n.leading\r\n", b"Subject: a\r\n\r\n.\r\n..\r\n.leading\r\n"),
            (b"Subject: a\n\n.\n.x", b"Subject: a\r\n\r\n.\r\n.x\r\n"),
            (b".starts with a dot\r\n", b".starts with a dot\r\n"),
            (b"bare\rCR\r\n", b"bare\r\nCR\r\n"),
            (b"", b"\r\n"),
            (b"two blank lines\r\n\r\n\r\n", b"two blank lines\r\n\r\n\r\n"),
        ];
        for (built, stored) in cases {
            let wire = wire(built);
            assert_eq!(
                String::from_utf8_lossy(&server_stores(&wire)),
                String::from_utf8_lossy(stored),
                "built {:?}",
                String::from_utf8_lossy(built)
            );
            assert_eq!(as_stored(built), stored, "as_stored({:?})", String::from_utf8_lossy(built));
        }
    }

    #[test]
    fn no_line_of_the_message_ends_the_data_early() {
        let built = b"Subject: a\n\nbefore\n.\nafter\r\n.\r\nend";
        let wire = wire(built);
        let ends = wire.windows(5).filter(|w| w == b"\r\n.\r\n").count();
        assert_eq!(ends, 1, "{:?}", String::from_utf8_lossy(&wire));
        assert!(wire.ends_with(b"end\r\n.\r\n"));
    }

    #[test]
    fn a_crlf_message_is_not_copied() {
        assert!(matches!(crlf_lines(b"a\r\nb\r\n"), Cow::Borrowed(_)));
        assert!(matches!(for_lettre(b"a\r\nb\r\n"), Cow::Borrowed(b"a\r\nb")));
    }
}
