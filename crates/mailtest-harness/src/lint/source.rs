//! Byte offsets to lines, and lines to the quoted snippet of a diagnostic.
//!
//! Works on bytes, not `str`, because the raw message need not be UTF-8 and
//! a span computed on one must never split a character into a panic: text
//! is decoded lossily only for display.

use std::cell::OnceCell;
use std::ops::Range;

use super::diagnostic::{Location, Snippet};

/// How many characters of a line a snippet shows at most.
const WINDOW: usize = 100;
/// How many characters before the marked span a cut line keeps.
const LEAD: usize = 30;

/// A text that diagnostics point into: a decoded body or the raw message.
pub(crate) struct Source<'a> {
    part: &'static str,
    bytes: &'a [u8],
    /// Offsets where each line starts; computed on the first diagnostic.
    line_starts: OnceCell<Vec<usize>>,
}

impl<'a> Source<'a> {
    pub(crate) fn new(part: &'static str, bytes: &'a [u8]) -> Source<'a> {
        Source { part, bytes, line_starts: OnceCell::new() }
    }

    pub(crate) fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The location of `span` in this source's own part.
    pub(crate) fn locate(&self, span: Range<usize>, label: Option<String>) -> Location {
        self.locate_in(self.part, span, label)
    }

    /// The location of `span`, naming the part `part` (the header block of
    /// the raw message is `headers`, the rest `message`).
    pub(crate) fn locate_in(&self, part: &str, span: Range<usize>, label: Option<String>) -> Location {
        let starts = self.line_starts.get_or_init(|| line_starts(self.bytes));
        let offset = span.start.min(self.bytes.len());
        let index = starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let line_start = starts.get(index).copied().unwrap_or(0);
        let line_end =
            memchr::memchr(b'\n', &self.bytes[line_start..]).map_or(self.bytes.len(), |at| line_start + at);
        let mut line = &self.bytes[line_start..line_end];
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        // A span may start on the line's `\r` or run past its end: mark
        // what is on the line, at least one character.
        let start = (offset - line_start).min(line.len());
        let end = span.end.saturating_sub(line_start).clamp(start, line.len());
        Location::at_line(part, index + 1, snippet(line, start..end, label))
    }
}

fn line_starts(bytes: &[u8]) -> Vec<usize> {
    std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1)).collect()
}

/// `line` as shown, with `mark` (byte offsets in it) underlined: cut to a
/// window around the mark when long, leading indentation dropped.
fn snippet(line: &[u8], mark: Range<usize>, label: Option<String>) -> Snippet {
    let chars = |bytes: &[u8]| String::from_utf8_lossy(bytes).chars().count();
    let text: Vec<char> =
        String::from_utf8_lossy(line).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let start = chars(&line[..mark.start.min(line.len())]).min(text.len());
    let len = chars(&line[mark.start.min(line.len())..mark.end.min(line.len())]).max(1);
    let indent = text.iter().take_while(|c| c.is_whitespace()).count().min(start);

    let mut from = indent;
    if text.len() - from > WINDOW && start - from > LEAD {
        from = start - LEAD;
    }
    let to = (from + WINDOW).min(text.len());
    let mut shown: String = text[from..to].iter().collect();
    let mut mark_start = start - from;
    if from > indent {
        shown.insert(0, '…');
        mark_start += 1;
    }
    if to < text.len() {
        shown.push('…');
    }
    let shown = shown.trim_end().to_owned();
    let room = (to - start.min(to)).max(1);
    Snippet { text: shown, mark_start, mark_len: len.min(room), label }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(text: &str, span: Range<usize>) -> (usize, String, usize, usize) {
        let location = Source::new("text/html", text.as_bytes()).locate(span, None);
        let snippet = location.snippet().expect("a quoted line");
        (location.line().expect("a line"), snippet.text.clone(), snippet.mark_start, snippet.mark_len)
    }

    #[test]
    fn finds_the_line_and_column_and_drops_indentation() {
        let text = "<p>one</p>\r\n    <img src=\"x\">\nlast";
        let at = text.find("src").unwrap();
        assert_eq!(located(text, at..at + 3), (2, "<img src=\"x\">".to_owned(), 5, 3));
        let last = text.find("last").unwrap();
        assert_eq!(located(text, last..last + 4), (3, "last".to_owned(), 0, 4));
    }

    #[test]
    fn cuts_a_long_line_to_a_window_around_the_mark() {
        let text = format!("{}<img src=\"cid:x\">{}", "a".repeat(500), "b".repeat(500));
        let at = text.find("cid:").unwrap();
        let (line, shown, mark_start, mark_len) = located(&text, at..at + 5);
        assert_eq!(line, 1);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().skip(mark_start).take(mark_len).collect::<String>(), "cid:x");
        assert!(shown.chars().count() <= WINDOW + 2);
    }

    #[test]
    fn never_panics_on_spans_inside_characters_or_past_the_end() {
        let text = "é€\r\n𝄞x\r\n\r\n";
        for start in 0..=text.len() + 2 {
            for end in start..=text.len() + 3 {
                let _ = Source::new("message", text.as_bytes()).locate(start..end, None);
            }
        }
    }
}
