//! Structure: what a receiving server checks before it reads a word —
//! `missing-message-id`, `missing-date`, `line-too-long` — and
//! `html-without-text`, which spam filters score.

use super::codes::{HTML_WITHOUT_TEXT, LINE_TOO_LONG, MISSING_DATE, MISSING_MESSAGE_ID};
use super::context::Context;
use super::diagnostic::{Lint, Location};

/// RFC 5322 §2.1.1: a line is at most 998 octets, CRLF excluded.
const MAX_LINE: usize = 998;
/// How many further long lines a diagnostic names.
const NAMED_LINES: usize = 5;

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    message_id(cx, out);
    date(cx, out);
    long_lines(cx, out);
    html_without_text(cx, out);
}

fn message_id(cx: &Context<'_>, out: &mut Vec<Lint>) {
    if cx.email.message_id().is_some_and(|id| !id.trim().is_empty()) {
        return;
    }
    let lint = match cx.headers.get("Message-ID") {
        Some(field) => Lint::error(MISSING_MESSAGE_ID, "the Message-ID header holds no message id")
            .at(cx.header_location(field, Some("not `<unique@domain>`".to_owned())))
            .with_help("write it as `<unique-part@your-domain>`, angle brackets included"),
        None => Lint::error(MISSING_MESSAGE_ID, "the email has no Message-ID header")
            .at(Location::in_part("headers"))
            .with_note("Gmail refuses mail without one (`550-5.7.1 … not RFC 5322 compliant`), and threading needs it")
            .with_help(
                "lettre adds none unless asked: call `.message_id(None)` on `Message::builder()` \
                 for a generated `<uuid@host>`, or `.message_id(Some(..))` with your own",
            ),
    };
    out.push(lint);
}

fn date(cx: &Context<'_>, out: &mut Vec<Lint>) {
    if cx.email.date().is_some() {
        return;
    }
    let lint = match cx.headers.get("Date") {
        Some(field) => Lint::error(MISSING_DATE, format!("the Date header `{}` is not a valid date", field.value))
            .at(cx.header_location(field, None))
            .with_help("write it as RFC 5322 does: `Tue, 07 May 2024 10:00:00 +0000`"),
        None => Lint::error(MISSING_DATE, "the email has no Date header")
            .at(Location::in_part("headers"))
            .with_note("RFC 5322 requires one; servers that add it use their own clock, and filters score its absence")
            .with_help("lettre adds one itself; a hand-made message needs `Date: Tue, 07 May 2024 10:00:00 +0000`"),
    };
    out.push(lint);
}

fn long_lines(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let raw = cx.raw.bytes();
    if !may_have_long_line(raw) {
        return;
    }
    // (offset, length in octets, line number) of each line over the limit.
    let mut long: Vec<(usize, usize, usize)> = Vec::new();
    let mut body_start = None;
    let ends = memchr::memchr_iter(b'\n', raw).chain((!raw.ends_with(b"\n")).then_some(raw.len()));
    let mut start = 0;
    for (number, end) in (1..).zip(ends) {
        let line = &raw[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if body_start.is_none() && line.is_empty() {
            body_start = Some(start);
        }
        if line.len() > MAX_LINE {
            long.push((start, line.len(), number));
        }
        start = end + 1;
    }
    let Some(&(offset, octets, number)) = long.first() else { return };
    let part = if body_start.is_none_or(|body| offset < body) { "headers" } else { "message" };
    let mut lint = Lint::error(
        LINE_TOO_LONG,
        format!("line {number} of the message is {octets} octets long; SMTP allows {MAX_LINE}"),
    )
    .at(cx.raw.locate_in(
        part,
        offset + MAX_LINE..offset + octets,
        Some(format!("octet {} onward", MAX_LINE + 1)),
    ));
    if long.len() > 1 {
        let named: Vec<String> = long[1..].iter().take(NAMED_LINES).map(|(_, _, n)| n.to_string()).collect();
        let more = if long.len() - 1 > NAMED_LINES { ", …" } else { "" };
        lint =
            lint.with_note(format!("{} more lines are too long: {}{more}", long.len() - 1, named.join(", ")));
    }
    let help = if part == "headers" {
        "fold the header: break it before white space into continuation lines (lettre folds the headers it writes)"
    } else {
        "encode the part quoted-printable or base64, which wrap lines at 76 (lettre chooses one \
         itself when the encoding is left to it)"
    };
    out.push(
        lint.with_note("servers refuse such a message or break the line where they like, which corrupts it")
            .with_help(help),
    );
}

/// Whether some stretch of `raw` longer than [`MAX_LINE`] holds no line
/// break: a few `memrchr` calls over a message, where counting its lines
/// (only needed to name a long one) takes one per line.
fn may_have_long_line(raw: &[u8]) -> bool {
    let mut start = 0;
    while raw.len() - start > MAX_LINE {
        match memchr::memrchr(b'\n', &raw[start..=start + MAX_LINE]) {
            Some(newline) => start += newline + 1,
            None => return true,
        }
    }
    false
}

fn html_without_text(cx: &Context<'_>, out: &mut Vec<Lint>) {
    if cx.email.html().is_none_or(|html| html.trim().is_empty()) {
        return;
    }
    let message = match cx.email.text() {
        None => "the email has HTML but no text/plain alternative",
        Some(text) if text.trim().is_empty() => "the text/plain alternative is empty",
        Some(_) => return,
    };
    out.push(
        Lint::warning(HTML_WITHOUT_TEXT, message)
            .at(Location::in_part("text/html"))
            .with_note("spam filters score HTML-only mail higher, and text-only readers get nothing readable")
            .with_help("send multipart/alternative with a text part: lettre's `MultiPart::alternative_plain_html(text, html)`"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_found_wherever_it_is() {
        let line = |octets: usize| "x".repeat(octets);
        let cases = [
            (String::new(), false),
            (line(MAX_LINE), false),
            (line(MAX_LINE + 1), true),
            // The CR counts here (the line count that names a line does not).
            (format!("{}\r\n", line(MAX_LINE - 1)), false),
            (format!("{}\r\n", line(MAX_LINE)), true),
            (format!("a\n{}\nb", line(MAX_LINE)), false),
            (format!("{}\n{}\n", line(500).repeat(3).replace("xxxxx", "x\nxxx"), line(MAX_LINE + 1)), true),
            (format!("{}\n", line(10)).repeat(500), false),
            (format!("{}{}", format!("{}\n", line(997)).repeat(4), line(MAX_LINE + 1)), true),
        ];
        for (raw, long) in cases {
            assert_eq!(may_have_long_line(raw.as_bytes()), long, "{} octets", raw.len());
        }
    }
}
