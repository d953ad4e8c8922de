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

use super::reference;
use super::tokens::{Kind, tokenize};

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
///
/// ```
/// let html = "<h1>Receipt</h1><table><tr><td>Blue mug</td><td>12.50&nbsp;EUR</td></tr></table>\
///             <!-- not shown --><!--[if mso]>Outlook only<![endif]--><p>O&#039;Connor</p>";
/// assert_eq!(mailtest_mime::html_to_text(html), "Receipt\nBlue mug 12.50 EUR\nO'Connor");
/// ```
pub fn html_to_text(html: &str) -> String {
    let mut writer =
        Writer { out: String::with_capacity(html.len() / 2), pending: Break::None, space: false };
    // The hidden element being skipped, lower case.
    let mut hidden: Option<Name> = None;
    let mut pre = 0usize;
    // Outlook's conditional sections: markup most readers never see.
    let mut conditional = 0usize;
    for token in tokenize(html) {
        let (name, closing, self_closing) = match token.kind {
            Kind::Text(text) if hidden.is_none() && conditional == 0 => {
                writer.text(&decode_entities(text), pre > 0);
                continue;
            }
            Kind::RawText { element, text } if hidden.is_none() && conditional == 0 => {
                // `textarea` shows its text (references decoded); `xmp` and
                // `plaintext` as written; the others (`script`, `iframe`, …) not at all.
                match Name::of(element).as_str() {
                    "textarea" => writer.text(&decode_entities(text), true),
                    "xmp" | "plaintext" => writer.text(text, true),
                    _ => {}
                }
                continue;
            }
            Kind::ConditionalStart(_) => {
                conditional += 1;
                continue;
            }
            Kind::ConditionalEnd => {
                conditional = conditional.saturating_sub(1);
                continue;
            }
            Kind::StartTag(tag) => (Name::of(tag.name()), false, tag.is_self_closing()),
            Kind::EndTag(name) => (Name::of(name), true, false),
            _ => continue,
        };
        let name = name.as_str();
        if let Some(open) = &hidden {
            // Inside a hidden element only its end matters (`<body>` also
            // ends a `<head>` left open).
            if (closing && name == open.as_str()) || (open.as_str() == "head" && name == "body") {
                hidden = None;
            }
            continue;
        }
        if conditional > 0 {
            continue;
        }
        if is_hidden(name) && !closing && !self_closing {
            hidden = Some(Name::of(name));
            continue;
        }
        if name == "pre" {
            pre = if closing { pre.saturating_sub(1) } else { pre + 1 };
        }
        match break_of(name) {
            // A cell's separator goes before it, not after.
            Break::Cell if closing => {}
            Break::Line if name == "br" => {
                writer.flush_break();
                writer.out.push('\n');
                writer.space = false;
            }
            kind => writer.block(kind),
        }
    }
    writer.out.trim().to_owned()
}

/// An element name in lower case, without allocating: the names that
/// matter are short, and a longer one is never one of them.
struct Name {
    bytes: [u8; 16],
    len: usize,
}

impl Name {
    fn of(name: &str) -> Name {
        let mut bytes = [0u8; 16];
        if name.len() > bytes.len() {
            return Name { bytes, len: 0 };
        }
        for (slot, byte) in bytes.iter_mut().zip(name.bytes()) {
            *slot = byte.to_ascii_lowercase();
        }
        Name { bytes, len: name.len() }
    }

    fn as_str(&self) -> &str {
        // Lower-casing ASCII letters keeps UTF-8 valid; a name too long to
        // hold is no element this module knows.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
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
        // The references mail is full of (every `&` of a tracking URL),
        // without the table's binary search (a hundred times this match).
        let common = reference_end.and_then(|at| match &rest[..=at] {
            "&amp;" => Some("&"),
            "&lt;" => Some("<"),
            "&gt;" => Some(">"),
            "&quot;" => Some("\""),
            "&nbsp;" => Some("\u{a0}"),
            _ => None,
        });
        if let (Some(at), Some(decoded)) = (reference_end, common) {
            out.push_str(decoded);
            rest = &rest[at + 1..];
            continue;
        }
        match reference_end.and_then(|at| reference::decode(&rest[..=at]).map(|decoded| (at, decoded))) {
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
    use super::{decode_entities, html_to_text, reference};

    #[test]
    fn the_common_references_decode_as_the_full_table_has_them() {
        for common in ["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;"] {
            let full = reference::decode(common).expect("a known reference");
            assert_eq!(decode_entities(common), full, "{common}");
        }
        assert_eq!(decode_entities("a=1&amp;b=&lt;2&gt; &AMP; &amp &Amp;"), "a=1&b=<2> & &amp &Amp;");
        assert_eq!(decode_entities("&#8364;&#128;&#xE9;&NotEqualTilde;"), "€€é\u{2242}\u{338}");
    }

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
        assert_eq!(html_to_text("<textarea>a &amp; <b></textarea>"), "a & <b>");
    }

    #[test]
    fn outlook_conditional_sections_do_not_show() {
        let html = "<!--[if mso]><table><tr><td>Outlook</td></tr></table><![endif]-->\
                    <!--[if !mso]><!--><p>Everyone</p><!--<![endif]-->";
        assert_eq!(html_to_text(html), "Everyone");
    }
}
