//! HTML as the reader sees it: what [`Email::html_text`](crate::Email::html_text),
//! the `html_contains` criteria and the failure reports search and show.
//!
//! Tags go, entities are decoded, white space folds as a browser folds it,
//! and block elements separate as they do on screen: table cells by a
//! space; rows, list items, paragraphs, headings, `div`s, `<br>` and every
//! other block by a line break. `<pre>` keeps its
//! white space. Nothing of `<head>`, `<script>`, `<style>` or `<template>`
//! shows, nor do comments. A non-breaking space reads as a space (a reader
//! cannot tell them apart, and a test should not have to).

use std::borrow::Cow;

/// How an element breaks the text around it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    /// A table cell: a space between it and the previous one on the row.
    Cell,
    Line,
}

fn break_of(tag: &str) -> Break {
    match tag {
        "td" | "th" => Break::Cell,
        "br" | "div" | "tr" | "li" | "dt" | "dd" | "caption" | "figcaption" | "address" | "center"
        | "form" | "fieldset" | "legend" | "main" | "nav" | "header" | "footer" | "section" | "article"
        | "aside" | "figure" | "details" | "summary" | "option" | "p" | "h1" | "h2" | "h3" | "h4" | "h5"
        | "h6" | "table" | "thead" | "tbody" | "tfoot" | "ul" | "ol" | "dl" | "blockquote" | "pre" | "hr" => {
            Break::Line
        }
        _ => Break::None,
    }
}

/// Elements whose content never shows.
fn is_hidden(tag: &str) -> bool {
    matches!(tag, "head" | "script" | "style" | "template" | "title")
}

struct Writer {
    out: String,
    /// The break owed before the next visible text.
    pending: Break,
    /// White space seen since the last visible text, outside `<pre>`.
    space: bool,
}

impl Writer {
    fn text(&mut self, text: &str, pre: bool) {
        for c in text.chars() {
            let c = if c == '\u{a0}' { ' ' } else { c };
            if !pre && c.is_whitespace() {
                self.space = true;
                continue;
            }
            if pre && c == '\n' {
                self.flush_break();
                self.out.push('\n');
                self.space = false;
                continue;
            }
            self.flush_break();
            if self.space && !self.out.is_empty() && !self.out.ends_with(['\n', ' ']) {
                self.out.push(' ');
            }
            self.space = false;
            self.out.push(c);
        }
    }

    fn block(&mut self, kind: Break) {
        self.pending = self.pending.max(kind);
    }

    fn flush_break(&mut self) {
        let pending = std::mem::replace(&mut self.pending, Break::None);
        if self.out.is_empty() {
            return;
        }
        match pending {
            Break::None => {}
            Break::Cell => {
                if !self.out.ends_with(['\n', ' ']) {
                    self.out.push(' ');
                }
                self.space = false;
            }
            Break::Line => {
                while self.out.ends_with(' ') {
                    self.out.pop();
                }
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.space = false;
            }
        }
    }
}

/// `html` as readable text.
pub fn html_to_text(html: &str) -> String {
    let mut writer =
        Writer { out: String::with_capacity(html.len() / 2), pending: Break::None, space: false };
    let mut hidden: Option<String> = None;
    let mut pre = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if hidden.is_none() {
                writer.text(&decode_entities(rest), pre > 0);
            }
            break;
        };
        if hidden.is_none() {
            writer.text(&decode_entities(&rest[..lt]), pre > 0);
        }
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(tag) = Tag::read(rest) else {
            // A `<` that starts no tag is text.
            if hidden.is_none() {
                writer.text("<", pre > 0);
            }
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.length..];
        if let Some(open) = &hidden {
            // Inside a hidden element only its end matters (`<body>` also
            // ends a `<head>` left open).
            if (tag.closing && tag.name == *open) || (open == "head" && tag.name == "body") {
                hidden = None;
            }
            continue;
        }
        if tag.name.is_empty() {
            continue;
        }
        if is_hidden(&tag.name) && !tag.closing && !tag.self_closing {
            hidden = Some(tag.name);
            continue;
        }
        if tag.name == "pre" {
            pre = if tag.closing { pre.saturating_sub(1) } else { pre + 1 };
        }
        match break_of(&tag.name) {
            // A cell's separator goes before it, not after.
            Break::Cell if tag.closing => {}
            Break::Line if tag.name == "br" => {
                writer.flush_break();
                writer.out.push('\n');
                writer.space = false;
            }
            kind => writer.block(kind),
        }
    }
    writer.out.trim().to_owned()
}

/// A tag at the start of `text`: `<name …>`, `</name>`, `<!DOCTYPE …>`.
struct Tag {
    /// Lower case; empty for a declaration or processing instruction.
    name: String,
    closing: bool,
    self_closing: bool,
    /// Bytes from `<` to `>` inclusive.
    length: usize,
}

impl Tag {
    fn read(text: &str) -> Option<Tag> {
        let bytes = text.as_bytes();
        let after = *bytes.get(1)?;
        let (closing, name_start) = match after {
            b'/' => (true, 2),
            b'!' | b'?' => {
                let end = text.find('>')?;
                return Some(Tag {
                    name: String::new(),
                    closing: false,
                    self_closing: false,
                    length: end + 1,
                });
            }
            _ => (false, 1),
        };
        if !bytes.get(name_start)?.is_ascii_alphabetic() {
            return None;
        }
        let name_end = name_start
            + bytes[name_start..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))?;
        // Attributes run to the first `>` outside quotes.
        let mut quote = None;
        let mut end = None;
        for (i, &b) in bytes.iter().enumerate().skip(name_end) {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => {
                    end = Some(i);
                    break;
                }
                None => {}
            }
        }
        let end = end?;
        Some(Tag {
            name: text[name_start..name_end].to_ascii_lowercase(),
            closing,
            self_closing: bytes[..end].ends_with(b"/"),
            length: end + 1,
        })
    }
}

/// `&amp;`, `&#233;`, `&eacute;` decoded; anything that is not a known
/// reference kept as written.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let reference_end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|at| at + 1)
            .filter(|&at| rest[at..].starts_with(';'));
        match reference_end
            .and_then(|at| crate::parse::html_entity(&rest[..=at]).map(|decoded| (at, decoded)))
        {
            Some((at, decoded)) => {
                out.push_str(&decoded);
                rest = &rest[at + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn table_cells_rows_and_blocks_separate() {
        let html = "<html><head><title>Receipt</title><style>td{}</style></head><body>\
                    <h1>Receipt</h1><table><tr><th>Item</th><th>Qty</th><th>Price</th></tr>\
                    <tr><td>Blue mug</td><td>2</td><td>12.50&nbsp;EUR</td></tr></table>\
                    <ul><li>one</li><li>two</li></ul><div>a</div><div>b<br>c</div><p>O&#039;Connor &amp; co</p></body></html>";
        assert_eq!(
            html_to_text(html),
            "Receipt\nItem Qty Price\nBlue mug 2 12.50 EUR\none\ntwo\na\nb\nc\nO'Connor & co"
        );
    }

    #[test]
    fn inline_markup_and_white_space_fold() {
        assert_eq!(html_to_text("<p>Hello   <b>Ann</b>,\n  welcome</p>"), "Hello Ann, welcome");
        assert_eq!(html_to_text("a <!-- hidden --> b < c"), "a b < c");
        assert_eq!(html_to_text("<pre>x  y\nz</pre>after"), "x  y\nz\nafter");
        assert_eq!(html_to_text("<script>var a = '<p>';</script>shown"), "shown");
    }
}
