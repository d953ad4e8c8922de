//! The mbox format the file backend writes and `Outbox::load` reads.
//!
//! mboxrd: each message starts with a `From <sender> <asctime>` line and ends
//! with an empty line; a body line that starts with `From ` after any number
//! of `>` gains one more `>` on the way in and loses it on the way out, so
//! the round trip is exact and mail tools (mutt, Thunderbird, Python's
//! `mailbox`) read the file.
//!
//! The SMTP envelope is kept in two header lines put before the message's
//! own headers, `X-Mailtest-Envelope-From` and `X-Mailtest-Envelope-To`, so
//! Bcc recipients (which lettre leaves out of the headers) survive. A mail
//! tool shows them as ordinary headers; `Outbox::load` takes them off again.
//! A foreign mbox without them loads too: the sender comes from the `From `
//! line and the recipients from the headers.
//!
//! The message bytes are kept as they are (CRLF line ends included), so
//! `Email::raw()` after a round trip is what was sent. A third line,
//! `X-Mailtest-Length`, holds the message's size: mbox needs a line break at
//! the end of every message, and the size says whether the last one was the
//! message's own; it also shows a message cut short (a file read while it was
//! still being written).

use std::path::Path;
use std::time::SystemTime;

use super::timestamp::Utc;
use crate::error::Error;

pub(crate) const ENVELOPE_FROM: &str = "X-Mailtest-Envelope-From";
pub(crate) const ENVELOPE_TO: &str = "X-Mailtest-Envelope-To";
/// The message's length in bytes: lets the reader restore a message that did
/// not end in a line break, and notice one cut short.
pub(crate) const LENGTH: &str = "X-Mailtest-Length";

/// One message read back.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) envelope_from: Option<String>,
    pub(crate) envelope_to: Vec<String>,
    pub(crate) raw: Vec<u8>,
    /// `X-Mailtest-Length`, when present.
    length: Option<usize>,
    /// The line of its `From ` line, for errors.
    line: usize,
}

/// One message as mbox bytes, ready for a single append.
pub(crate) fn encode(
    envelope_from: Option<&str>,
    envelope_to: &[String],
    raw: &[u8],
    at: SystemTime,
) -> Vec<u8> {
    let eol: &[u8] = if raw.windows(2).any(|w| w == b"\r\n") { b"\r\n" } else { b"\n" };
    let mut out = Vec::with_capacity(raw.len() + 256);
    let sender = envelope_from.filter(|f| !f.is_empty() && !f.contains(char::is_whitespace));
    out.extend_from_slice(
        format!("From {} {}\n", sender.unwrap_or("MAILER-DAEMON"), Utc::of(at).asctime()).as_bytes(),
    );
    out.extend_from_slice(format!("{ENVELOPE_FROM}: <{}>", envelope_from.unwrap_or("")).as_bytes());
    out.extend_from_slice(eol);
    let to: Vec<String> = envelope_to.iter().map(|to| format!("<{to}>")).collect();
    out.extend_from_slice(format!("{ENVELOPE_TO}: {}", to.join(", ")).as_bytes());
    out.extend_from_slice(eol);
    out.extend_from_slice(format!("{LENGTH}: {}", raw.len()).as_bytes());
    out.extend_from_slice(eol);
    for line in raw.split_inclusive(|&b| b == b'\n') {
        if is_from_line(line.trim_ascii_start_matches_gt()) {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !raw.ends_with(b"\n") {
        out.extend_from_slice(eol);
    }
    out.push(b'\n');
    out
}

/// Every message in `bytes`, the contents of `path` (named in errors).
pub(crate) fn decode(path: &Path, bytes: &[u8]) -> Result<Vec<Entry>, Error> {
    // A byte-order mark before the first `From ` line (editors on Windows
    // write one) is not content.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut entries = Vec::new();
    let mut current: Option<(Entry, bool)> = None; // (entry, still reading envelope lines)
    for (index, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let number = index + 1;
        if line.starts_with(b"From ") {
            if let Some((entry, _)) = current.take() {
                entries.push(finish(path, entry)?);
            }
            let sender = String::from_utf8_lossy(&line[5..]).split_whitespace().next().map(str::to_owned);
            let envelope_from = sender.filter(|s| s != "MAILER-DAEMON");
            let entry =
                Entry { envelope_from, envelope_to: Vec::new(), raw: Vec::new(), length: None, line: number };
            current = Some((entry, true));
            continue;
        }
        let Some((entry, in_envelope)) = current.as_mut() else {
            if line.trim_ascii().is_empty() {
                continue;
            }
            return Err(Error::MalformedMailbox {
                path: path.to_owned(),
                line: number,
                reason: format!(
                    "expected a `From ` line starting a message (mbox format), found {:?}",
                    String::from_utf8_lossy(line.trim_ascii_end())
                ),
            });
        };
        if *in_envelope {
            if let Some(value) = header_value(line, ENVELOPE_FROM) {
                let address = value.trim_start_matches('<').trim_end_matches('>');
                entry.envelope_from = Some(address.to_owned()).filter(|a| !a.is_empty());
                continue;
            }
            if let Some(value) = header_value(line, ENVELOPE_TO) {
                entry.envelope_to = envelope_paths(&value);
                continue;
            }
            if let Some(value) = header_value(line, LENGTH) {
                entry.length = value.parse().ok();
                continue;
            }
            *in_envelope = false;
        }
        let gt = line.len() - line.trim_ascii_start_matches_gt().len();
        if gt > 0 && is_from_line(&line[gt..]) {
            entry.raw.extend_from_slice(&line[1..]);
        } else {
            entry.raw.extend_from_slice(line);
        }
    }
    if let Some((entry, _)) = current {
        entries.push(finish(path, entry)?);
    }
    Ok(entries)
}

/// The addresses of `X-Mailtest-Envelope-To: <a>, <b>`: split at the
/// brackets, not at commas, as a quoted local part may hold either
/// (`<"doe, john"@example.com>`). A list without brackets splits at commas.
fn envelope_paths(value: &str) -> Vec<String> {
    if !value.trim_start().starts_with('<') {
        return value.split(',').map(str::trim).filter(|to| !to.is_empty()).map(str::to_owned).collect();
    }
    let mut paths = Vec::new();
    let (mut current, mut inside, mut quoted, mut escaped) = (String::new(), false, false, false);
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' if inside => quoted = !quoted,
            '<' if !inside => {
                inside = true;
                continue;
            }
            '>' if inside && !quoted => {
                inside = false;
                paths.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        if inside {
            current.push(c);
        }
    }
    paths.retain(|to| !to.is_empty());
    paths
}

/// Drops the empty line that separates a message from the next, and the
/// line break added to a message that had none.
fn finish(path: &Path, mut entry: Entry) -> Result<Entry, Error> {
    if entry.raw.ends_with(b"\n\n") || entry.raw.ends_with(b"\r\n\n") {
        entry.raw.pop();
    }
    if let Some(length) = entry.length {
        if entry.raw.len() < length {
            return Err(Error::MalformedMailbox {
                path: path.to_owned(),
                line: entry.line,
                reason: format!(
                    "the message starting here is cut short: {length} bytes announced, {} found \
                     (was the file read while it was being written?)",
                    entry.raw.len()
                ),
            });
        }
        let added = entry.raw.len() - length;
        if (added == 1 && entry.raw.ends_with(b"\n")) || (added == 2 && entry.raw.ends_with(b"\r\n")) {
            entry.raw.truncate(length);
        }
    }
    Ok(entry)
}

fn is_from_line(line: &[u8]) -> bool {
    line.starts_with(b"From ")
}

/// The value of `line` when it is the header `name`.
fn header_value(line: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(line).ok()?;
    let (field, value) = text.split_once(':')?;
    field.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
}

/// `line` without its leading `>` characters.
trait TrimGt {
    fn trim_ascii_start_matches_gt(&self) -> &[u8];
}

impl TrimGt for [u8] {
    fn trim_ascii_start_matches_gt(&self) -> &[u8] {
        let start = self.iter().position(|&b| b != b'>').unwrap_or(self.len());
        &self[start..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_cut_short_is_an_error_naming_its_line() {
        let mut file = encode(None, &[], b"Subject: a\r\n\r\nfirst\r\n", SystemTime::now());
        let second = encode(None, &[], b"Subject: b\r\n\r\na longer body\r\n", SystemTime::now());
        file.extend_from_slice(&second[..second.len() - 6]);

        let err = decode(Path::new("t.mbox"), &file).unwrap_err();

        assert!(matches!(err, Error::MalformedMailbox { line: 9, .. }), "{err:?}");
    }

    #[test]
    fn round_trip_is_exact_for_tricky_bodies() {
        let raws: [&[u8]; 4] = [
            b"Subject: a\r\n\r\nFrom here\r\n>From there\r\n>>From everywhere\r\n",
            b"Subject: b\n\nFrom the start\n\n\nFrom \n",
            b"Subject: c\r\n\r\n\r\n",
            b"Subject: d\r\n\r\nno trailing line break",
        ];
        let raws = [raws[0], raws[1], raws[2], raws[3], b"Subject: e\n\nends in a blank line\n\n"];
        let mut file = Vec::new();
        for raw in raws {
            file.extend(encode(Some("a@example.com"), &["b@example.com".to_owned()], raw, SystemTime::now()));
        }
        let entries = decode(Path::new("t.mbox"), &file).unwrap();
        assert_eq!(entries.len(), raws.len());
        for (entry, raw) in entries.iter().zip(raws) {
            assert_eq!(String::from_utf8_lossy(&entry.raw), String::from_utf8_lossy(raw));
            assert_eq!(entry.envelope_from.as_deref(), Some("a@example.com"));
            assert_eq!(entry.envelope_to, ["b@example.com"]);
        }
    }
}
