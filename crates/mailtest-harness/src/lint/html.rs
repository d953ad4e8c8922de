//! A small HTML tokenizer: the start tags of a document with their
//! attributes and byte offsets, and the text of its `<style>` elements.
//!
//! # Why hand-written
//!
//! The lints read very little of HTML: tag names, a few attributes (`src`,
//! `href`, `alt`, `lang`, `style`), `cid:` references in CSS, and where each
//! one is, to quote its line. They need none of a tree builder's work
//! (implied tags, misnesting repair, a DOM), and the crates that do only
//! tokenising (html5gum, for one) report no source offsets by default and
//! would be compiled into every test binary of every user. What is here
//! follows the WHATWG tokenizer where it matters for those reads —
//! comments (including `<!-->`), bogus comments and doctypes, raw-text
//! elements whose content is never markup (`<script>`, `<style>`,
//! `<textarea>`, `<title>`, …), quoted and unquoted attribute values, a `<`
//! that starts no tag — and it is one forward pass over the bytes with
//! `memchr`, allocation-free per tag, so linting stays within a small
//! multiple of parsing the message. Slices are cut only at ASCII
//! delimiters, so no input can split a character; any input, however
//! broken, yields tokens and never panics.

use std::borrow::Cow;
use std::ops::Range;

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: [&str; 9] =
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"];

/// A tokenised document. Tags and attributes are stored as offsets (16
/// bytes each) and handed out as borrowed views: a newsletter has a
/// thousand of each, and a compact store keeps linting it cheap.
#[derive(Default)]
pub(crate) struct Document<'a> {
    html: &'a str,
    tags: Vec<RawTag>,
    attrs: Vec<RawAttr>,
    /// The content of each `<style>` element, with its offset.
    styles: Vec<(usize, &'a str)>,
}

/// A start tag, as offsets into the document.
struct RawTag {
    /// Where `<` is; the name follows it.
    start: u32,
    name_end: u32,
    attrs_start: u32,
    attrs_end: u32,
}

/// An attribute, as offsets; `value_start == NO_VALUE` when it has none.
struct RawAttr {
    name_start: u32,
    name_end: u32,
    value_start: u32,
    value_end: u32,
}

const NO_VALUE: u32 = u32::MAX;

/// A start tag.
pub(crate) struct Tag<'a> {
    /// The name as written (compare with `eq_ignore_ascii_case`).
    pub(crate) name: &'a str,
    /// Where `<name` is.
    pub(crate) span: Range<usize>,
    attrs: Range<usize>,
}

/// An attribute of a start tag.
pub(crate) struct Attr<'a> {
    pub(crate) name: &'a str,
    /// The value as written, without quotes; `None` for `<td nowrap>`.
    pub(crate) value: Option<&'a str>,
    /// Where the value (or, without one, the name) is.
    pub(crate) span: Range<usize>,
}

impl Attr<'_> {
    /// The value with its character references decoded (`&amp;` → `&`);
    /// empty when there is none.
    pub(crate) fn decoded(&self) -> Cow<'_, str> {
        match self.value {
            Some(value) => mailtest_mime::decode_entities(value),
            None => Cow::Borrowed(""),
        }
    }
}

impl<'a> Document<'a> {
    pub(crate) fn tags(&self) -> impl Iterator<Item = Tag<'a>> + '_ {
        let html = self.html;
        self.tags.iter().map(move |raw| Tag {
            name: &html[raw.start as usize + 1..raw.name_end as usize],
            span: raw.start as usize..raw.name_end as usize,
            attrs: raw.attrs_start as usize..raw.attrs_end as usize,
        })
    }

    /// The attributes of `tag`, in order.
    pub(crate) fn attrs(&self, tag: &Tag<'a>) -> impl Iterator<Item = Attr<'a>> + '_ {
        let html = self.html;
        self.attrs[tag.attrs.clone()].iter().map(move |raw| {
            let name_span = raw.name_start as usize..raw.name_end as usize;
            let name = &html[name_span.clone()];
            if raw.value_start == NO_VALUE {
                Attr { name, value: None, span: name_span }
            } else {
                let span = raw.value_start as usize..raw.value_end as usize;
                Attr { name, value: Some(&html[span.clone()]), span }
            }
        })
    }

    /// The first attribute of `tag` called `name` (HTML ignores repeats).
    pub(crate) fn attr(&self, tag: &Tag<'a>, name: &str) -> Option<Attr<'a>> {
        self.attrs(tag).find(|attr| attr.name.eq_ignore_ascii_case(name))
    }

    /// The content of each `<style>` element, with its offset.
    pub(crate) fn styles(&self) -> &[(usize, &'a str)] {
        &self.styles
    }
}

/// Tokenises `html` (its first 4 GiB: offsets are `u32`).
pub(crate) fn tokenize(html: &str) -> Document<'_> {
    let mut limit = html.len().min(NO_VALUE as usize - 1);
    while !html.is_char_boundary(limit) {
        limit -= 1;
    }
    let html = &html[..limit];
    // Sized for a typical email (a tag every ~60 bytes, two attributes
    // each), so that the vectors rarely grow.
    let tags = html.len() / 60;
    let mut doc = Document {
        html,
        tags: Vec::with_capacity(tags),
        attrs: Vec::with_capacity(tags * 2),
        styles: Vec::new(),
    };
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + found;
        at = lt + 1;
        match bytes.get(at) {
            Some(b'!') if bytes[at..].starts_with(b"!--") => {
                // `<!-->` and `<!--->` close at once; search from the first dash.
                at = find(bytes, lt + 2, b"-->").map_or(bytes.len(), |end| end + 3);
            }
            Some(b'!' | b'?' | b'/') => {
                at = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |end| at + end + 1);
            }
            Some(c) if c.is_ascii_alphabetic() => {
                at = start_tag(&mut doc, lt);
            }
            _ => {}
        }
    }
    doc
}

/// Reads the start tag at `lt`; returns where tokenising goes on.
fn start_tag(doc: &mut Document<'_>, lt: usize) -> usize {
    let html = doc.html;
    let bytes = html.as_bytes();
    let name_end = scan(bytes, lt + 1, |b| !is_space(b) && b != b'/' && b != b'>');
    let name = &html[lt + 1..name_end];
    let first_attr = doc.attrs.len();
    let mut at = name_end;
    loop {
        at = scan(bytes, at, |b| is_space(b) || b == b'/');
        match bytes.get(at) {
            None => break,
            Some(b'>') => {
                at += 1;
                break;
            }
            _ => {}
        }
        // A name may start with `=` (the WHATWG tokenizer keeps it); never stall on one.
        let name_start = at;
        at = scan(bytes, at + 1, |b| !is_space(b) && !matches!(b, b'/' | b'>' | b'='));
        let after_name = scan(bytes, at, is_space);
        if bytes.get(after_name) != Some(&b'=') {
            doc.attrs.push(RawAttr {
                name_start: offset(name_start),
                name_end: offset(at),
                value_start: NO_VALUE,
                value_end: NO_VALUE,
            });
            continue;
        }
        let value_start = scan(bytes, after_name + 1, is_space);
        let (span, next) = match bytes.get(value_start) {
            Some(&quote @ (b'"' | b'\'')) => {
                let open = value_start + 1;
                let close = memchr::memchr(quote, &bytes[open..]).map_or(bytes.len(), |end| open + end);
                (open..close, (close + 1).min(bytes.len()))
            }
            _ => {
                let end = scan(bytes, value_start, |b| !is_space(b) && b != b'>');
                (value_start..end, end)
            }
        };
        doc.attrs.push(RawAttr {
            name_start: offset(name_start),
            name_end: offset(at),
            value_start: offset(span.start),
            value_end: offset(span.end),
        });
        at = next;
    }
    doc.tags.push(RawTag {
        start: offset(lt),
        name_end: offset(name_end),
        attrs_start: offset(first_attr),
        attrs_end: offset(doc.attrs.len()),
    });
    match RAW_TEXT.iter().find(|raw| raw.eq_ignore_ascii_case(name)) {
        Some(raw) => {
            let end = end_tag(bytes, at, raw).unwrap_or(bytes.len());
            if *raw == "style" {
                doc.styles.push((at, &html[at..end]));
            }
            end
        }
        None => at,
    }
}

/// An offset or count in the document, which `tokenize` keeps under 4 GiB.
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(NO_VALUE - 1)
}

/// Where `</name` (any case) starts at or after `from`.
fn end_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(found) = find(bytes, at, b"</") {
        let candidate = bytes.get(found + 2..found + 2 + name.len());
        if candidate.is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes())) {
            return Some(found);
        }
        at = found + 2;
    }
    None
}

/// The first index at or after `from` whose byte fails `keep` (or the end).
fn scan(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let from = from.min(bytes.len());
    bytes[from..].iter().position(|&b| !keep(b)).map_or(bytes.len(), |at| from + at)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let from = from.min(bytes.len());
    memchr::memmem::find(&bytes[from..], needle).map(|at| from + at)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name attr=value …` for every start tag.
    fn tags(html: &str) -> Vec<String> {
        let doc = tokenize(html);
        doc.tags()
            .map(|tag| {
                let mut shown = tag.name.to_owned();
                for attr in doc.attrs(&tag) {
                    match attr.value {
                        Some(value) => shown.push_str(&format!(" {}={value}", attr.name)),
                        None => shown.push_str(&format!(" {}", attr.name)),
                    }
                }
                shown
            })
            .collect()
    }

    #[test]
    fn reads_attributes_in_every_quoting_style() {
        assert_eq!(
            tags(r#"<IMG SRC="cid:a" alt='say "hi"' width=1 nowrap data-x = "y z"/><br/>"#),
            [r#"IMG SRC=cid:a alt=say "hi" width=1 nowrap data-x=y z"#, "br"]
        );
        assert_eq!(tags("<a href=x>y</a><a\nhref\n=\n'q'>"), ["a href=x", "a href=q"]);
    }

    #[test]
    fn skips_comments_doctypes_end_tags_and_stray_angles() {
        let html = "<!DOCTYPE html><!-- <img src=x> --><!--><p>1 < 2</p><!---><?xml x?>\
                    <![CDATA[x]]><b>b</b><!--[if mso]><v:rect/><![endif]-->";
        assert_eq!(tags(html), ["p", "b"]);
    }

    #[test]
    fn raw_text_elements_hide_their_content_and_styles_are_kept() {
        let html =
            "<style>p { background: url(cid:bg) }</STYLE><script>if (a<b) { x = '<img src=y>' }</script><i>";
        let doc = tokenize(html);
        assert_eq!(tags(html), ["style", "script", "i"]);
        assert_eq!(doc.styles().len(), 1);
        let (offset, css) = doc.styles()[0];
        assert_eq!(css, "p { background: url(cid:bg) }");
        assert_eq!(&html[offset..offset + 1], "p");
    }

    #[test]
    fn offsets_point_at_the_value() {
        let html = "<p>\n<img alt=\"\" src=\"cid:logo\">";
        let doc = tokenize(html);
        let img = doc.tags().nth(1).unwrap();
        let src = doc.attr(&img, "src").unwrap();
        assert_eq!(&html[src.span.clone()], "cid:logo");
        assert_eq!(&html[img.span.clone()], "<img");
        assert_eq!(doc.attr(&img, "alt").unwrap().value, Some(""));
    }

    #[test]
    fn decodes_character_references_in_values() {
        let doc = tokenize(
            r#"<a href="https://x.example/?a=1&amp;b=2&#38;c=&#x33;"><a title="caf&eacute; &copy"><a id="&bogus;">"#,
        );
        let values: Vec<_> =
            doc.tags().map(|tag| doc.attrs(&tag).next().unwrap().decoded().into_owned()).collect();
        assert_eq!(values, ["https://x.example/?a=1&b=2&c=3", "café &copy", "&bogus;"]);
    }

    #[test]
    fn never_panics_and_always_ends_on_truncated_or_odd_input() {
        let pieces = ["<", "a", " ", "=", "\"", "'", ">", "/", "!", "-", "é", "<style>", "</", "?"];
        // Every string of up to four pieces.
        let mut inputs = vec![String::new()];
        for _ in 0..4 {
            inputs = inputs.iter().flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}"))).collect();
            for input in &inputs {
                let _ = tags(input);
            }
        }
    }
}
