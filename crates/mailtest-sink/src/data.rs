//! The message data of `DATA`: where it ends, and dot-unstuffing.
//!
//! Only `<CR><LF>.<CR><LF>` ends the data (RFC 5321 §4.1.1.4), and only a
//! `.` right after `<CR><LF>` (or at the very start) is a dot to unstuff.
//! A bare LF is data like any other byte: it does not end a line, so
//! `<LF>.<LF>` ends nothing and a `.` after a bare LF is kept. Reading it any
//! other way is SMTP smuggling: a server that ends the data where the next
//! hop does not (or the reverse) lets a client slip a second message, with an
//! envelope of its choosing, into the first one's data.
//!
//! The reader takes the data in whatever pieces the socket hands over (a
//! terminator may be split across reads at any byte) and copies it into the
//! message in large runs: between two `<CR><LF>.` there is nothing to look
//! at, and `memmem` finds those with SIMD.

use memchr::memmem;

/// Where the reader stands between two pieces of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// Inside a line; the last byte was not CR.
    Text,
    /// Inside a line, just after a CR.
    Cr,
    /// At the start of a line: the start of the data, or just after CRLF.
    LineStart,
    /// A `.` at the start of a line, not yet kept or dropped.
    Dot,
    /// `.` and CR at the start of a line: LF next ends the data.
    DotCr,
}

/// Reads one message's data, up to and without its final `.<CR><LF>`.
#[derive(Debug)]
pub(crate) struct DataReader {
    at: At,
    message: Vec<u8>,
    /// Bytes of data after unstuffing, kept or not.
    size: usize,
    max_size: usize,
    /// `<CR><LF>.<LF>` was seen (its dot was unstuffed, so the message
    /// alone no longer shows it).
    crlf_dot_lf: bool,
}

/// What the data turned out to be once its end arrived.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Message {
    /// The message, its capacity trimmed to its length.
    Complete(Vec<u8>),
    /// Over the size limit: read to its end and thrown away.
    TooBig,
}

impl DataReader {
    pub(crate) fn new(max_size: usize) -> DataReader {
        DataReader { at: At::LineStart, message: Vec::new(), size: 0, max_size, crlf_dot_lf: false }
    }

    /// Takes data from `input`. `Some(consumed)` when the data ended: the
    /// terminator is the last of the `consumed` bytes and what follows is
    /// the client's next command; `None` when all of `input` was data.
    pub(crate) fn read(&mut self, input: &[u8]) -> Option<usize> {
        let mut i = 0;
        while i < input.len() {
            if self.at == At::Text {
                match memmem::find(&input[i..], b"\r\n.") {
                    Some(found) => {
                        self.keep(&input[i..i + found + 2]);
                        self.at = At::Dot;
                        i += found + 3;
                    }
                    None => {
                        let rest = &input[i..];
                        self.keep(rest);
                        self.at = if rest.ends_with(b"\r\n") {
                            At::LineStart
                        } else if rest.ends_with(b"\r") {
                            At::Cr
                        } else {
                            At::Text
                        };
                        return None;
                    }
                }
                continue;
            }
            let byte = input[i];
            i += 1;
            self.at = match (self.at, byte) {
                (At::DotCr, b'\n') => return Some(i),
                // A stuffed dot: dropped, whatever follows it on the line.
                (At::LineStart, b'.') => At::Dot,
                (At::Dot, b'\r') => At::DotCr,
                (At::Dot, b'\n') => {
                    self.crlf_dot_lf = true;
                    self.after(byte, At::Text)
                }
                (At::DotCr, _) => {
                    self.keep(b"\r");
                    self.after(byte, At::Cr)
                }
                (At::Cr, b'\n') => {
                    self.keep(b"\n");
                    At::LineStart
                }
                (At::Text | At::Cr | At::LineStart | At::Dot, _) => self.after(byte, At::Text),
            };
        }
        None
    }

    /// Keeps `byte`, read in a line where the last byte was `before` (`Cr`
    /// or not): CR LF makes the next byte start a line.
    fn after(&mut self, byte: u8, before: At) -> At {
        self.keep(&[byte]);
        match (before, byte) {
            (At::Cr, b'\n') => At::LineStart,
            (_, b'\r') => At::Cr,
            _ => At::Text,
        }
    }

    fn keep(&mut self, bytes: &[u8]) {
        self.size = self.size.saturating_add(bytes.len());
        if self.size > self.max_size {
            // Over the limit: stop keeping (and free) the bytes, but read on
            // to the end, so the client's next command is read as one.
            self.message = Vec::new();
        } else {
            self.message.extend_from_slice(bytes);
        }
    }

    /// The message, once [`read`](DataReader::read) found its end.
    pub(crate) fn finish(self) -> Message {
        if self.size > self.max_size {
            return Message::TooBig;
        }
        let mut message = self.message;
        message.shrink_to_fit();
        Message::Complete(message)
    }

    /// Whether the data so far holds `.` alone between line ends of which
    /// one is a bare LF (`<LF>.<LF>`, `<LF>.<CR><LF>`, `<CR><LF>.<LF>`): how
    /// a client that ends lines with LF alone thinks data ends. Said in the
    /// timeout reply, so such a client learns why nobody answered.
    pub(crate) fn has_bare_lf_dot_line(&self) -> bool {
        let m = &self.message;
        self.crlf_dot_lf
            || (0..m.len()).any(|i| {
                let bare_lf = m[i] == b'\n' && (i == 0 || m[i - 1] != b'\r');
                bare_lf && (m[i + 1..].starts_with(b".\n") || m[i + 1..].starts_with(b".\r\n"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `data` in pieces cut at `cuts`; the message and how much of
    /// the input was data, or `None` when the end never came.
    fn read_in_pieces(data: &[u8], cuts: &[usize], max: usize) -> Option<(Message, usize)> {
        let mut reader = DataReader::new(max);
        let mut start = 0;
        for end in cuts.iter().copied().chain([data.len()]) {
            if let Some(used) = reader.read(&data[start..end]) {
                return Some((reader.finish(), start + used));
            }
            start = end;
        }
        None
    }

    /// The reference: split at CRLF, the line "." ends, a leading dot goes.
    fn reference(data: &[u8]) -> Option<(Vec<u8>, usize)> {
        let mut message = Vec::new();
        let mut start = 0;
        while let Some(len) = data[start..].windows(2).position(|w| w == b"\r\n") {
            let line = &data[start..start + len + 2];
            if line == b".\r\n" {
                return Some((message, start + 3));
            }
            message.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
            start += len + 2;
        }
        None
    }

    #[test]
    fn only_crlf_dot_crlf_ends_the_data_wherever_the_reads_are_cut() {
        let cases: &[&[u8]] = &[
            b".\r\n",
            b"Subject: a\r\n\r\nbody\r\n.\r\nNOOP\r\n",
            b"a\n.\nMAIL FROM:<evil@example.com>\r\n.\r\n",
            b"a\r\n.\nb\r\n.\r\n",
            b"a\n.\r\nb\r\n.\r\n",
            b"a\r.\r\nb\r\n.\r\n",
            b"..\r\n...x\r\n.\r\r\n.\r\n",
            b"a\n..b\r\n..\r\n.\r\n",
            b"\r\r\n\r\n.\r\r\n\r\n.\r\n",
            b".x\r\n.\r\n",
            b"no end\r\n.\n",
        ];
        for data in cases {
            let expected = reference(data);
            for cut in 0..=data.len() {
                for second in cut..=data.len() {
                    let got = read_in_pieces(data, &[cut, second], usize::MAX);
                    let got = got.map(|(m, used)| match m {
                        Message::Complete(m) => (m, used),
                        Message::TooBig => unreachable!(),
                    });
                    assert_eq!(got, expected, "{} cut at {cut}, {second}", data.escape_ascii());
                }
            }
        }
    }

    #[test]
    fn a_message_over_the_limit_is_read_to_its_end_and_not_kept() {
        let data = b"0123456789\r\n.\r\nQUIT\r\n";
        let (message, used) = read_in_pieces(data, &[3], 11).unwrap();
        assert_eq!((message, used), (Message::TooBig, 15));
        let (message, _) = read_in_pieces(data, &[3], 12).unwrap();
        assert_eq!(message, Message::Complete(b"0123456789\r\n".to_vec()));
    }

    #[test]
    fn the_kept_message_has_no_spare_capacity() {
        let data = [b"x".repeat(1000).as_slice(), b"\r\n.\r\n"].concat();
        let Some((Message::Complete(message), _)) = read_in_pieces(&data, &[100, 500], usize::MAX) else {
            panic!("the data ends");
        };
        assert_eq!(message.capacity(), message.len());
    }

    #[test]
    fn a_bare_lf_dot_line_is_noticed() {
        let mut reader = DataReader::new(usize::MAX);
        assert_eq!(reader.read(b"Subject: x\n\nhello\n.\n"), None);
        assert!(reader.has_bare_lf_dot_line());
        let mut reader = DataReader::new(usize::MAX);
        assert_eq!(reader.read(b"Subject: x\r\n\r\nhello\r\n.\n"), None);
        assert!(reader.has_bare_lf_dot_line());
        let mut reader = DataReader::new(usize::MAX);
        assert_eq!(reader.read(b"Subject: x\r\n\r\nhello.\n\r\n.\r"), None);
        assert!(!reader.has_bare_lf_dot_line());
    }
}
