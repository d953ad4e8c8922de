//! A document's start tags and `<style>` sheets, kept for readers that go
//! over them more than once (the lints), and the `cid:` references in them.

use std::ops::Range;

use super::tokens::{Attr, Kind, Tag, Token, tokenize};
use crate::url::percent_decode;

/// The start tags of a document, in order, each with its attributes read
/// once, and the content of its `<style>` elements. Comments are left out;
/// the markup of Outlook's conditional comments is in, as Outlook reads it.
///
/// ```
/// let doc = mailtest_mime::html::Document::parse("<p>Hi <!-- <img> --><img src=x><style>a{}</style>");
/// let names: Vec<&str> = doc.elements().map(|element| element.tag.name()).collect();
/// assert_eq!(names, ["p", "img", "style"]);
/// assert_eq!(doc.elements().nth(1).unwrap().attr("src").unwrap().value, Some("x"));
/// assert_eq!(doc.styles()[0].1, "a{}");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Document<'a> {
    /// Each start tag, and where its attributes are in `attrs`.
    tags: Vec<(Tag<'a>, Range<usize>)>,
    attrs: Vec<Attr<'a>>,
    styles: Vec<(usize, &'a str)>,
    /// Whether `cid:` (in any case) is anywhere in the document: most HTML
    /// cites no part, and then no tag is looked at again.
    cites: bool,
}

/// What [`Document::parse_visiting`] hands its visitor: a start tag with its attributes, or any
/// other token (text, end tag, comment, conditional-comment bound, raw text).
#[derive(Clone, Debug)]
pub enum Node<'d, 'a> {
    /// A start tag.
    Element(Element<'d, 'a>),
    /// Any other token.
    Token(Token<'a>),
}

/// A start tag of a [`Document`] with its attributes.
#[derive(Clone, Copy, Debug)]
pub struct Element<'d, 'a> {
    /// The tag.
    pub tag: &'d Tag<'a>,
    /// Its attributes, in order.
    pub attrs: &'d [Attr<'a>],
}

impl<'d, 'a> Element<'d, 'a> {
    /// The first attribute called `name` (any case; HTML ignores repeats).
    pub fn attr(&self, name: &str) -> Option<&'d Attr<'a>> {
        self.attrs.iter().find(|attr| attr.name.eq_ignore_ascii_case(name))
    }
}

impl<'a> Document<'a> {
    /// Tokenizes `html` once.
    pub fn parse(html: &'a str) -> Document<'a> {
        Document::parse_visiting(html, |_| {})
    }

    /// Tokenizes `html` once, handing `visit` every token in order as it
    /// goes — each start tag as its [`Element`], attributes read — so that
    /// a reader that needs what is between the tags (text, end tags,
    /// comments) builds what it needs from the same tokenization.
    ///
    /// ```
    /// use mailtest_mime::html::{Document, Kind, Node};
    ///
    /// let mut walked = Vec::new();
    /// let doc = Document::parse_visiting("<p class=a>Hi</p>", |node| {
    ///     walked.push(match node {
    ///         Node::Element(element) => format!("<{} {}>", element.tag.name(), element.attrs.len()),
    ///         Node::Token(token) => match token.kind {
    ///             Kind::Text(text) => text.to_owned(),
    ///             Kind::EndTag(name) => format!("</{name}>"),
    ///             _ => String::new(),
    ///         },
    ///     })
    /// });
    /// assert_eq!(walked, ["<p 1>", "Hi", "</p>"]);
    /// assert_eq!(doc.elements().count(), 1);
    /// ```
    pub fn parse_visiting(html: &'a str, mut visit: impl FnMut(Node<'_, 'a>)) -> Document<'a> {
        // Sized for a typical email (a tag every ~40 bytes, two attributes
        // each), so that the vectors rarely grow.
        let tags = html.len() / 40;
        let mut doc = Document {
            tags: Vec::with_capacity(tags),
            attrs: Vec::with_capacity(tags * 2),
            styles: Vec::new(),
            cites: memchr::memchr_iter(b':', html.as_bytes())
                .any(|colon| colon >= 3 && html.as_bytes()[colon - 3..colon].eq_ignore_ascii_case(b"cid")),
        };
        let mut tokens = tokenize(html);
        loop {
            let first = doc.attrs.len();
            let Some(token) = tokens.next_reading_attrs(Some(&mut doc.attrs)) else { break };
            match token.kind {
                Kind::StartTag(tag) => {
                    visit(Node::Element(Element { tag: &tag, attrs: &doc.attrs[first..] }));
                    doc.tags.push((tag, first..doc.attrs.len()));
                }
                Kind::RawText { element, text } if element.eq_ignore_ascii_case("style") => {
                    doc.styles.push((token.span.start, text));
                    visit(Node::Token(token));
                }
                _ => visit(Node::Token(token)),
            }
        }
        doc
    }

    /// The start tags with their attributes, in order.
    pub fn elements(&self) -> impl Iterator<Item = Element<'_, 'a>> {
        self.tags.iter().map(|(tag, attrs)| Element { tag, attrs: &self.attrs[attrs.clone()] })
    }

    /// The content of each `<style>` element, with its offset.
    pub fn styles(&self) -> &[(usize, &'a str)] {
        &self.styles
    }

    /// Every `cid:` reference: attribute values (`src`, `background`, …)
    /// and `url(cid:…)` in `style` attributes and `<style>` elements.
    ///
    /// ```
    /// let html = "<img src=\"cid:logo%40acme\"><div style=\"background: url('cid:bg')\">";
    /// let doc = mailtest_mime::html::Document::parse(html);
    /// let ids: Vec<String> = doc.cid_references().into_iter().map(|r| r.id).collect();
    /// assert_eq!(ids, ["logo@acme", "bg"]);
    /// ```
    pub fn cid_references(&self) -> Vec<CidReference> {
        let mut found = Vec::new();
        if !self.cites {
            return found;
        }
        for Element { tag, attrs } in self.elements() {
            for attr in attrs {
                let Some(value) = attr.value else { continue };
                let trimmed = value.trim_start();
                if has_cid_scheme(trimmed) {
                    let start = attr.span.start + (value.len() - trimmed.len());
                    let decoded = attr.decoded();
                    let id = percent_decode(decoded.trim().get(4..).unwrap_or_default().trim()).into_owned();
                    found.push(CidReference {
                        id,
                        shown: format!("<{} {}=\"{}\">", tag.name(), attr.name, decoded.trim()),
                        span: start..attr.span.end,
                    });
                } else if attr.name.eq_ignore_ascii_case("style") {
                    css_references(value, attr.span.start, &mut found);
                }
            }
        }
        for &(offset, css) in &self.styles {
            css_references(css, offset, &mut found);
        }
        found
    }
}

/// A `cid:` URL in a document: the MIME part (by Content-ID) it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CidReference {
    /// The Content-ID it names, percent-decoded (RFC 2392).
    pub id: String,
    /// How a diagnostic names it: `<img src="cid:logo">`, `url(cid:bg)`.
    pub shown: String,
    /// Where the `cid:` URL is in the document.
    pub span: Range<usize>,
}

/// `url(cid:x)`, `url("cid:x")`, `url('cid:x')` in CSS at `offset`.
fn css_references(css: &str, offset: usize, found: &mut Vec<CidReference>) {
    let mut at = 0;
    while let Some(position) = find_ignore_case(&css[at..], "url(") {
        let open = at + position + 4;
        let inner = css[open..].trim_start();
        let inner_start = css.len() - inner.len();
        let quote = inner.chars().next().filter(|c| matches!(c, '"' | '\''));
        let value_start = inner_start + quote.map_or(0, char::len_utf8);
        let value = &css[value_start..];
        let end =
            value.find(|c: char| Some(c) == quote || c == ')' || (quote.is_none() && c.is_whitespace()));
        let value = &value[..end.unwrap_or(value.len())];
        if has_cid_scheme(value) {
            found.push(CidReference {
                id: percent_decode(&value[4..]).into_owned(),
                shown: format!("url({value})"),
                span: offset + value_start..offset + value_start + value.len(),
            });
        }
        at = value_start + value.len();
    }
}

fn has_cid_scheme(value: &str) -> bool {
    value.get(..4).is_some_and(|scheme| scheme.eq_ignore_ascii_case("cid:"))
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(html: &str) -> Vec<(String, String)> {
        let doc = Document::parse(html);
        doc.cid_references().into_iter().map(|r| (r.id, html[r.span].to_owned())).collect()
    }

    #[test]
    fn finds_references_in_attributes_and_css() {
        let html = "<img src=\"CID:logo%40acme\"><td background='cid:bg'>\
                    <div style=\"background: url( 'cid:hero' )\"><style>a{b:URL(cid:x) }</style>\
                    <!-- <img src=cid:commented> --><!--[if mso]><v:fill src=\"cid:outlook\"/><![endif]-->";
        assert_eq!(
            ids(html),
            [
                ("logo@acme".to_owned(), "CID:logo%40acme".to_owned()),
                ("bg".to_owned(), "cid:bg".to_owned()),
                ("hero".to_owned(), "cid:hero".to_owned()),
                ("outlook".to_owned(), "cid:outlook".to_owned()),
                ("x".to_owned(), "cid:x".to_owned()),
            ]
        );
        assert_eq!(ids("<img src=\" cId:a\">"), [("a".to_owned(), "cId:a".to_owned())]);
        assert_eq!(ids("<img src=https://x.example/a.png style=\"a:b\"><!-- cid:b -->cid"), []);
    }
}
