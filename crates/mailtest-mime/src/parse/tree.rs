//! The MIME structure of a message, walked over its bytes (RFC 2045, 2046).
//!
//! - A delimiter is a line that starts with `--boundary` (RFC 2046 §5.1.1:
//!   "it is sufficient that the boundary appear in its entirety following
//!   the CRLF"), `--boundary--` for the last one. A boundary string in the
//!   middle of a line is content, and so is a line where the boundary runs
//!   on into a longer one (`--b` is not a delimiter line for `--bb`): a
//!   delimiter is followed by the end of the line, white space or `--`.
//! - Each multipart's body is split by its own boundary only, inside the
//!   part its parent gave it, so an enclosing boundary ends every part nested
//!   in it, and the end of the message ends the last one, when a closing
//!   delimiter is missing (RFC 2046 §5.1.2). The missing delimiter is a
//!   problem; no part is lost or merged into its neighbour.
//! - A `message/rfc822` part (or `message/global`) in 7bit, 8bit or binary is
//!   a message again, walked the same way, however deeply nested; one in
//!   base64 or quoted-printable (which RFC 2046 forbids, and mailers still
//!   write) is decoded first, when its tree is asked for.
//! - A part with no `Content-Type`, or one that cannot be read or has no
//!   subtype, is `text/plain` (`message/rfc822` inside a
//!   `multipart/digest`), RFC 2045 §5.2.

use super::block::{self, Block, Field};
use super::fields;
use super::parameters::{Parameters, parameters};

/// Deeper than this, a part is kept as a leaf: no real message nests so
/// deep, and a hostile one must not exhaust the stack.
const MAX_DEPTH: usize = 64;

/// One node of the structure, borrowing the message's bytes.
pub(super) struct Part<'a> {
    pub(super) fields: Vec<Field<'a>>,
    /// Lower case `type/subtype`, the default applied.
    pub(super) content_type: String,
    /// The `Content-Type` parameters (`charset`, `name`, `boundary`, …).
    pub(super) params: Parameters,
    /// Lower case, `""` when not declared.
    pub(super) transfer_encoding: String,
    pub(super) body: &'a [u8],
    pub(super) children: Children<'a>,
}

pub(super) enum Children<'a> {
    None,
    Parts(Vec<Part<'a>>),
    Message(Box<Part<'a>>),
}

impl<'a> Part<'a> {
    pub(super) fn field(&self, name: &str) -> Option<&Field<'a>> {
        self.fields.iter().find(|field| field.is(name))
    }

    /// Whether this part is a message whose tree is not walked yet because
    /// its transfer encoding must be undone first.
    pub(super) fn is_encoded_message(&self) -> bool {
        matches!(self.children, Children::None) && is_message(&self.content_type)
    }
}

fn is_message(content_type: &str) -> bool {
    matches!(content_type, "message/rfc822" | "message/global")
}

fn is_identity(encoding: &str) -> bool {
    matches!(encoding, "" | "7bit" | "8bit" | "binary" | "7-bit" | "8-bit")
}

/// Walks a whole message; `problems` gains what was malformed.
pub(super) fn message<'a>(raw: &'a [u8], problems: &mut Vec<String>) -> Part<'a> {
    let mut start = raw;
    if let Some(rest) = start.strip_prefix(b"\xef\xbb\xbf") {
        start = rest;
    }
    // A saved message often keeps its mbox `From ` line.
    if start.starts_with(b"From ") {
        start = memchr::memchr(b'\n', start).map_or(&start[start.len()..], |at| &start[at + 1..]);
    }
    walk(start, "text/plain", &mut Walk { problems, path: Vec::new() })
}

struct Walk<'p> {
    problems: &'p mut Vec<String>,
    /// The position of the part being walked (`[]` for the message, `[2, 1]` for part 2.1).
    path: Vec<usize>,
}

impl Walk<'_> {
    fn problem(&mut self, content_type: &str, text: String) {
        if self.path.is_empty() {
            self.problems.push(format!("the message ({content_type}): {text}"));
        } else {
            let at: Vec<String> = self.path.iter().map(ToString::to_string).collect();
            self.problems.push(format!("part {} ({content_type}): {text}", at.join(".")));
        }
    }
}

fn walk<'a>(bytes: &'a [u8], default_type: &str, walk_state: &mut Walk<'_>) -> Part<'a> {
    let Block { fields, mut body, stray_line } = block::split(bytes);
    let params = fields
        .iter()
        .find(|field| field.is("Content-Type"))
        .map_or_else(Parameters::default, |field| parameters(field.value));
    let mut content_type = match params.kind.as_deref() {
        Some(kind) if kind.contains('/') => kind.to_owned(),
        _ => default_type.to_owned(),
    };
    let transfer_encoding = fields
        .iter()
        .find(|field| field.is("Content-Transfer-Encoding"))
        .map(|field| fields::text(field.value).to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(line) = stray_line.filter(|_| !fields.is_empty()) {
        let shown = String::from_utf8_lossy(line.trim_ascii_end());
        let shown: String = shown.chars().take(60).collect();
        walk_state.problem(
            &content_type,
            format!("the header line {shown:?} is not a header field: the body is taken to start there"),
        );
    }
    let mut children = Children::None;
    if walk_state.path.len() >= MAX_DEPTH {
        walk_state.problem(&content_type, format!("nested more than {MAX_DEPTH} deep: kept as one part"));
    } else if content_type.starts_with("multipart/") {
        // RFC 2046's grammar allows an empty boundary: the delimiter is `--`.
        match params.get("boundary") {
            None => {
                walk_state
                    .problem(&content_type, "no boundary parameter: the body is read as text".to_owned());
                content_type = "text/plain".to_owned();
            }
            Some(boundary) => match split(body, boundary.as_bytes()) {
                Some(split) if split.parts.is_empty() => {
                    walk_state.problem(
                        &content_type,
                        format!("no line `--{boundary}` starts a part: the text before `--{boundary}--` is read as text"),
                    );
                    content_type = "text/plain".to_owned();
                    body = split.preamble;
                }
                None => {
                    walk_state.problem(
                        &content_type,
                        format!("no line `--{boundary}` starts a part: the body is read as text"),
                    );
                    content_type = "text/plain".to_owned();
                }
                Some(split) => {
                    if !split.closed {
                        walk_state.problem(
                            &content_type,
                            format!(
                                "the closing line `--{boundary}--` is missing: the last part ends where its \
                                 enclosing part ends"
                            ),
                        );
                    }
                    let child_default =
                        if content_type == "multipart/digest" { "message/rfc822" } else { "text/plain" };
                    let parts = split
                        .parts
                        .into_iter()
                        .enumerate()
                        .map(|(i, bytes)| {
                            walk_state.path.push(i + 1);
                            let part = walk(bytes, child_default, walk_state);
                            walk_state.path.pop();
                            part
                        })
                        .collect();
                    children = Children::Parts(parts);
                }
            },
        }
    } else if is_message(&content_type) && is_identity(&transfer_encoding) {
        walk_state.path.push(1);
        children = Children::Message(Box::new(walk(body, "text/plain", walk_state)));
        walk_state.path.pop();
    }
    Part { fields, content_type, params, transfer_encoding, body, children }
}

/// Walks a message held apart from the original bytes (a forwarded message
/// that had to be transfer-decoded first). Problems are not collected: the
/// first walk reported what was wrong with the part.
pub(super) fn nested_message(bytes: &[u8]) -> Part<'_> {
    walk(bytes, "text/plain", &mut Walk { problems: &mut Vec::new(), path: vec![1] })
}

/// A multipart body split at its delimiter lines.
struct Split<'a> {
    /// What comes before the closing delimiter when no part was opened.
    preamble: &'a [u8],
    parts: Vec<&'a [u8]>,
    /// Whether the closing delimiter was found.
    closed: bool,
}

/// The parts of `body` delimited by `boundary`; `None` when no delimiter
/// line is found at all. A closing delimiter with no part before it gives
/// no part, and the preamble.
fn split<'a>(body: &'a [u8], boundary: &[u8]) -> Option<Split<'a>> {
    let mut needle = Vec::with_capacity(boundary.len() + 2);
    needle.extend_from_slice(b"--");
    needle.extend_from_slice(boundary);
    let finder = memchr::memmem::Finder::new(&needle);
    let mut parts = Vec::new();
    // Where the current part's content starts, once the first delimiter is seen.
    let mut open: Option<usize> = None;
    let mut search = 0;
    while let Some(found) = finder.find(&body[search..]) {
        let at = search + found;
        search = at + needle.len();
        if at > 0 && body[at - 1] != b'\n' {
            continue;
        }
        let rest = &body[at + needle.len()..];
        let closing = rest.starts_with(b"--");
        if !closing && !matches!(rest.first(), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
            continue;
        }
        // Whatever else is on the line is ignored (RFC 2046's example puts
        // text there).
        let line_end = memchr::memchr(b'\n', rest).map_or(rest.len(), |at| at + 1);
        if let Some(start) = open {
            parts.push(content_before(body, start, at));
        }
        if closing {
            return Some(Split { preamble: &body[..content_before(body, 0, at).len()], parts, closed: true });
        }
        let next = at + needle.len() + line_end;
        open = Some(next);
        search = next;
    }
    let start = open?;
    parts.push(&body[start.min(body.len())..]);
    Some(Split { preamble: &[], parts, closed: false })
}

/// The part content from `start` to the delimiter at `at`, without the line
/// end before the delimiter (which belongs to it).
fn content_before(body: &[u8], start: usize, at: usize) -> &[u8] {
    let mut end = at;
    if end > start && body[end - 1] == b'\n' {
        end -= 1;
        if end > start && body[end - 1] == b'\r' {
            end -= 1;
        }
    }
    &body[start.min(end)..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(part: &Part<'_>) -> String {
        match &part.children {
            Children::None => format!("{}[{}]", part.content_type, String::from_utf8_lossy(part.body)),
            Children::Message(inner) => format!("{}({})", part.content_type, shape(inner)),
            Children::Parts(parts) => {
                let inner: Vec<String> = parts.iter().map(shape).collect();
                format!("{}({})", part.content_type, inner.join(", "))
            }
        }
    }

    fn walked(raw: &str) -> (String, Vec<String>) {
        let mut problems = Vec::new();
        let part = message(raw.as_bytes(), &mut problems);
        (shape(&part), problems)
    }

    #[test]
    fn delimiters_start_lines() {
        let (shape, problems) = walked(
            "Content-Type: multipart/mixed; boundary=b\n\npreamble\n--b\n\none --b not here\n--bb\n--b ignored\n\ntwo\n--b--\nepilogue",
        );
        assert_eq!(shape, "multipart/mixed(text/plain[one --b not here\n--bb], text/plain[two])");
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn an_enclosing_boundary_ends_an_unclosed_nested_multipart() {
        let (shape, problems) = walked(
            "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n\
             Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\n\r\nplain\r\n\
             --inner\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n\
             --outer\r\nContent-Type: image/png\r\n\r\nPNG\r\n--outer--\r\n",
        );
        assert_eq!(
            shape,
            "multipart/mixed(multipart/alternative(text/plain[plain], text/html[<p>html</p>]), image/png[PNG])"
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .starts_with("part 1 (multipart/alternative): the closing line `--inner--` is missing")
        );
    }

    #[test]
    fn the_end_of_the_message_ends_the_last_part() {
        let (shape, _) = walked("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n");
        assert_eq!(shape, "multipart/mixed(text/plain[one], text/plain[two\n])");
    }

    #[test]
    fn messages_nest_directly() {
        let (shape, problems) = walked(
            "Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\nSubject: inner\n\nhello\n",
        );
        assert_eq!(shape, "message/rfc822(message/rfc822(text/plain[hello\n]))");
        assert!(problems.is_empty());
    }

    #[test]
    fn defaults_and_digests() {
        assert_eq!(walked("Content-Type: text\n\nx").0, "text/plain[x]");
        let (shape, _) =
            walked("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: a\n\nA\n--d--\n");
        assert_eq!(shape, "multipart/digest(message/rfc822(text/plain[A]))");
    }

    #[test]
    fn a_multipart_without_delimiters_is_text() {
        let (shape, problems) = walked("Content-Type: multipart/mixed; boundary=b\n\nno parts\n");
        assert_eq!(shape, "text/plain[no parts\n]");
        assert_eq!(problems.len(), 1);
        let (shape, _) = walked("Content-Type: multipart/mixed; boundary=b\n\nno parts\n--b--\nepilogue\n");
        assert_eq!(shape, "text/plain[no parts]");
    }
}
