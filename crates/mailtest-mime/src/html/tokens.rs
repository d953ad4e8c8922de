//! The tokenizer: one forward pass over the bytes with `memchr`, never
//! allocating, yielding text, tags with their attributes, comments,
//! conditional-comment bounds and raw text, each with its byte span.
//!
//! It follows the WHATWG tokenizer where the readers of mail depend on it —
//! comments (including `<!-->`), bogus comments and doctypes, raw-text
//! elements whose content is never markup, quoted and unquoted attribute
//! values, a `<` that starts no tag — and reads Outlook's conditional
//! comments as their content. Slices are cut only at ASCII delimiters, so no
//! input can split a character; any input, however broken, yields tokens
//! and ends.

use std::borrow::Cow;
use std::ops::Range;

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: [&str; 9] =
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"];

/// One piece of a document, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// What it is.
    pub kind: Kind<'a>,
    /// Its bytes in the document: from `<` to `>` inclusive for markup.
    pub span: Range<usize>,
}

/// The kinds of [`Token`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind<'a> {
    /// Text between markup, its character references as written
    /// (decode with [`decode_entities`](crate::decode_entities)).
    Text(&'a str),
    /// `<name attr=value …>`.
    StartTag(Tag<'a>),
    /// `</name>`: the name as written.
    EndTag(&'a str),
    /// `<!-- … -->`: what is between the dashes. Nothing in it is markup.
    Comment(&'a str),
    /// `<!--[if mso]>`: the condition (`if mso`). What follows, up to
    /// [`ConditionalEnd`](Kind::ConditionalEnd), is markup for the clients
    /// the condition names (Outlook), tokenized as any other markup.
    ConditionalStart(&'a str),
    /// `<![endif]-->`, closing a [`ConditionalStart`](Kind::ConditionalStart);
    /// or its `-->` alone (an `<![endif]` missing), which ends the comment
    /// for every other client (its span is empty when markup ran past it).
    ConditionalEnd,
    /// The content of a raw-text element (`script`, `style`, `textarea`,
    /// `title`, …), right after its start tag; never markup.
    RawText {
        /// The element's name as written.
        element: &'a str,
        /// Everything up to its end tag.
        text: &'a str,
    },
    /// `<!DOCTYPE …>`, `<?xml …?>`, `<![CDATA[…]]>`, `</ …>`, and a tag the
    /// document ends inside (`<a href="…` at the end): markup that shows
    /// nothing.
    Declaration(&'a str),
}

/// A start tag: `<img src="cid:logo" alt=Logo>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Where its `<` is.
    at: usize,
    name: &'a str,
    /// The attributes' source, and where it starts in the document.
    attrs: &'a str,
    attrs_at: usize,
    self_closing: bool,
}

/// An attribute of a [`Tag`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    /// The name as written (compare with `eq_ignore_ascii_case`).
    pub name: &'a str,
    /// The value as written, without quotes; `None` for `<td nowrap>`.
    pub value: Option<&'a str>,
    /// Where the value is in the document (without one, the name).
    pub span: Range<usize>,
}

impl<'a> Tag<'a> {
    /// The name as written.
    ///
    /// ```
    /// # use mailtest_mime::html::{tokenize, Kind};
    /// let Some(Kind::StartTag(tag)) = tokenize("<IMG src=x>").next().map(|t| t.kind) else { panic!() };
    /// assert_eq!(tag.name(), "IMG");
    /// assert!(tag.is("img"));
    /// ```
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// Where `<name` is in the document, for a diagnostic to point at.
    ///
    /// ```
    /// # use mailtest_mime::html::{tokenize, Kind};
    /// let html = "<p><img src=x>";
    /// let tag = tokenize(html).find_map(|t| match t.kind { Kind::StartTag(tag) if tag.is("img") => Some(tag), _ => None }).unwrap();
    /// assert_eq!(&html[tag.name_span()], "<img");
    /// ```
    pub fn name_span(&self) -> Range<usize> {
        self.at..self.at + 1 + self.name.len()
    }

    /// Whether it is the element `name` (in any case).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// Whether it ends in `/>`.
    pub fn is_self_closing(&self) -> bool {
        self.self_closing
    }

    /// The attributes, in order.
    ///
    /// ```
    /// # use mailtest_mime::html::{tokenize, Kind};
    /// let Some(Kind::StartTag(tag)) = tokenize("<td nowrap width=1 class='a b'>").next().map(|t| t.kind) else { panic!() };
    /// let attrs: Vec<_> = tag.attrs().map(|a| (a.name, a.value)).collect();
    /// assert_eq!(attrs, [("nowrap", None), ("width", Some("1")), ("class", Some("a b"))]);
    /// ```
    pub fn attrs(&self) -> impl Iterator<Item = Attr<'a>> + use<'a> {
        let (source, base) = (self.attrs, self.attrs_at);
        let mut at = 0;
        std::iter::from_fn(move || {
            let (attr, next) = next_attr(source.as_bytes(), at)?;
            at = next;
            Some(attr.read(source, base))
        })
    }

    /// The first attribute called `name` (any case; HTML ignores repeats).
    ///
    /// ```
    /// # use mailtest_mime::html::{tokenize, Kind};
    /// let Some(Kind::StartTag(tag)) = tokenize("<a HREF=\"?a=1&amp;b=2\">").next().map(|t| t.kind) else { panic!() };
    /// assert_eq!(tag.attr("href").unwrap().decoded(), "?a=1&b=2");
    /// ```
    pub fn attr(&self, name: &str) -> Option<Attr<'a>> {
        self.attrs().find(|attr| attr.name.eq_ignore_ascii_case(name))
    }
}

impl Attr<'_> {
    /// The value with its character references decoded (`&amp;` → `&`);
    /// empty when there is none.
    ///
    /// ```
    /// # use mailtest_mime::html::{tokenize, Kind};
    /// let Some(Kind::StartTag(tag)) = tokenize("<p title=\"caf&eacute;\">").next().map(|t| t.kind) else { panic!() };
    /// assert_eq!(tag.attr("title").unwrap().decoded(), "café");
    /// ```
    pub fn decoded(&self) -> Cow<'_, str> {
        match self.value {
            Some(value) => crate::decode_entities(value),
            None => Cow::Borrowed(""),
        }
    }
}

/// The tokens of `html`, in order. Every byte of the document is in exactly
/// one token's span, but for the `<!--`/`-->` of a comment and the ends of
/// a conditional comment's markers.
///
/// ```
/// use mailtest_mime::html::{tokenize, Kind};
///
/// let html = "<p>Hi<!-- <a href=x> --><!--[if mso]><a href=\"y\">Outlook</a><![endif]--><style>a{}</style>";
/// let kinds: Vec<String> = tokenize(html)
///     .map(|token| match token.kind {
///         Kind::StartTag(tag) => format!("<{}>", tag.name()),
///         Kind::EndTag(name) => format!("</{name}>"),
///         Kind::Text(text) => text.to_owned(),
///         Kind::Comment(_) => "comment".to_owned(),
///         Kind::ConditionalStart(condition) => format!("[{condition}]"),
///         Kind::ConditionalEnd => "[endif]".to_owned(),
///         Kind::RawText { text, .. } => format!("raw {text}"),
///         Kind::Declaration(_) => "declaration".to_owned(),
///     })
///     .collect();
/// assert_eq!(kinds, ["<p>", "Hi", "comment", "[if mso]", "<a>", "Outlook", "</a>", "[endif]", "<style>", "raw a{}", "</style>"]);
/// ```
pub fn tokenize(html: &str) -> Tokens<'_> {
    Tokens { html, at: 0, raw: None, section_end: None }
}

/// The iterator [`tokenize`] returns.
#[derive(Clone, Debug)]
pub struct Tokens<'a> {
    html: &'a str,
    at: usize,
    /// A raw-text element's name and content, owed right after its start tag.
    raw: Option<(&'a str, Range<usize>)>,
    /// Inside a conditional comment: where its `-->` is.
    section_end: Option<usize>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        self.next_reading_attrs(None)
    }
}

impl<'a> Tokens<'a> {
    /// The next token; a start tag's attributes are pushed onto `attrs` as
    /// they are read, since finding where the tag ends reads them anyway
    /// ([`Document`](super::Document) keeps them, so no reader scans a tag
    /// twice).
    pub(crate) fn next_reading_attrs(&mut self, attrs: Option<&mut Vec<Attr<'a>>>) -> Option<Token<'a>> {
        let (html, bytes) = (self.html, self.html.as_bytes());
        if let Some((element, span)) = self.raw.take()
            && !span.is_empty()
        {
            self.at = span.end;
            return Some(Token { kind: Kind::RawText { element, text: &html[span.clone()] }, span });
        }
        let start = self.at;
        if start >= bytes.len() {
            return None;
        }
        let mut markup = next_markup(bytes, start);
        if let Some(close) = self.section_end {
            if start >= close {
                self.section_end = None;
                let end = if start == close { close + 3 } else { start };
                self.at = end;
                return Some(Token { kind: Kind::ConditionalEnd, span: start..end });
            }
            markup = markup.min(close);
        }
        if markup > start {
            self.at = markup;
            return Some(Token { kind: Kind::Text(&html[start..markup]), span: start..markup });
        }
        let (kind, end) = self.markup(start, attrs);
        self.at = end;
        Some(Token { kind, span: start..end })
    }

    /// The markup at `lt` (which [`next_markup`] found), and where it ends.
    fn markup(&mut self, lt: usize, attrs: Option<&mut Vec<Attr<'a>>>) -> (Kind<'a>, usize) {
        let (html, bytes) = (self.html, self.html.as_bytes());
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            // `<!-->` and `<!--->` close at once: search from the first dash.
            let close = find(bytes, lt + 2, b"-->");
            if let Some(condition) = self.conditional_start(lt, close) {
                return condition;
            }
            let (body_end, end) = close.map_or((bytes.len(), bytes.len()), |close| (close, close + 3));
            return (Kind::Comment(&html[(lt + 4).min(body_end)..body_end]), end);
        }
        // The `>` is most often right there: no search for it then.
        let to_gt = |from: usize| match bytes.get(from) {
            Some(b'>') => from + 1,
            _ => memchr::memchr(b'>', &bytes[from..]).map_or(bytes.len(), |gt| from + gt + 1),
        };
        if rest[1] == b'!' && starts_with_ignore_case(rest, b"<![endif]") && self.section_end.take().is_some()
        {
            return (Kind::ConditionalEnd, to_gt(lt));
        }
        if rest[1] == b'/' && rest.get(2).is_some_and(u8::is_ascii_alphabetic) {
            let name_end = scan(bytes, lt + 2, |b| !is_space(b) && b != b'/' && b != b'>');
            return (Kind::EndTag(&html[lt + 2..name_end]), to_gt(name_end));
        }
        if matches!(rest[1], b'!' | b'?' | b'/') {
            let end = to_gt(lt);
            return (Kind::Declaration(&html[lt..end]), end);
        }
        self.start_tag(lt, attrs)
    }

    /// `<!--[if mso]>` (not the `<!--[if !mso]><!-->` that reveals what
    /// follows to every client): a conditional section opens.
    fn conditional_start(&mut self, lt: usize, close: Option<usize>) -> Option<(Kind<'a>, usize)> {
        let bytes = self.html.as_bytes();
        if !starts_with_ignore_case(&bytes[lt + 4..], b"[if") {
            return None;
        }
        let condition_end = find(bytes, lt + 4, b"]>")?;
        if let Some(close) = close {
            // The comment closed before the condition did: a plain comment.
            // Or it reveals what follows to every client: a plain comment too.
            if close < condition_end || matches!(&bytes[condition_end + 2..close + 3], b"<!-->" | b"<!--->") {
                return None;
            }
        }
        self.section_end = Some(close.unwrap_or(bytes.len()));
        Some((Kind::ConditionalStart(self.html[lt + 5..condition_end].trim()), condition_end + 2))
    }

    /// The start tag at `lt` (a letter follows it), and the raw text it
    /// opens; its attributes pushed onto `attrs`, if given.
    fn start_tag(&mut self, lt: usize, mut attrs: Option<&mut Vec<Attr<'a>>>) -> (Kind<'a>, usize) {
        let (html, bytes) = (self.html, self.html.as_bytes());
        let name_end = scan(bytes, lt + 1, |b| !is_space(b) && b != b'/' && b != b'>');
        let first = attrs.as_ref().map_or(0, |attrs| attrs.len());
        let mut at = name_end;
        while let Some((attr, next)) = next_attr(bytes, at) {
            if let Some(attrs) = attrs.as_deref_mut() {
                attrs.push(attr.read(html, 0));
            }
            at = next;
        }
        let attrs_end = scan(bytes, at, |b| is_space(b) || b == b'/');
        if attrs_end == bytes.len() {
            if let Some(attrs) = attrs {
                attrs.truncate(first);
            }
            // The document ends inside the tag: browsers drop it, and so
            // no reader sees it, clicks it or loads from it.
            return (Kind::Declaration(&html[lt..]), bytes.len());
        }
        let end = attrs_end + 1;
        let name = &html[lt + 1..name_end];
        let self_closing = bytes[..attrs_end].ends_with(b"/") && attrs_end > name_end;
        if let Some(raw) = raw_text(name) {
            let content_end = end_tag(bytes, end, raw).unwrap_or(bytes.len());
            self.raw = Some((name, end..content_end));
        }
        let tag = Tag { at: lt, name, attrs: &html[name_end..attrs_end], attrs_at: name_end, self_closing };
        (Kind::StartTag(tag), end)
    }
}

/// The raw-text element `name` is, if it is one. Every start tag asks:
/// the names are told apart by their length and first letter before any
/// is compared.
fn raw_text(name: &str) -> Option<&'static str> {
    let first = name.as_bytes().first()?.to_ascii_lowercase();
    RAW_TEXT
        .iter()
        .copied()
        .find(|raw| raw.len() == name.len() && raw.as_bytes()[0] == first && raw.eq_ignore_ascii_case(name))
}

/// Where the next markup starts at or after `from`: a `<` followed by a
/// letter, `/`, `!` or `?` (any other `<` is text), or the end.
fn next_markup(bytes: &[u8], from: usize) -> usize {
    // Markup right here (most tokens of a mail's HTML are tags, one after
    // the other) needs no search.
    if bytes.get(from) == Some(&b'<')
        && bytes.get(from + 1).is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
    {
        return from;
    }
    let mut at = from;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + found;
        match bytes.get(lt + 1) {
            Some(b) if b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?') => return lt,
            _ => at = lt + 1,
        }
    }
    bytes.len()
}

/// An attribute's name and value, relative to the source scanned.
struct RawAttr {
    name: Range<usize>,
    value: Option<Range<usize>>,
}

impl RawAttr {
    /// The attribute, cut from `source`, which starts at `base` in the document.
    fn read<'a>(&self, source: &'a str, base: usize) -> Attr<'a> {
        let name = &source[self.name.clone()];
        match &self.value {
            Some(value) => {
                Attr { name, value: Some(&source[value.clone()]), span: base + value.start..base + value.end }
            }
            None => Attr { name, value: None, span: base + self.name.start..base + self.name.end },
        }
    }
}

/// The attribute at or after `at` in a start tag, and where the next one
/// may start; `None` at the tag's `>` or the end.
fn next_attr(bytes: &[u8], at: usize) -> Option<(RawAttr, usize)> {
    let name_start = scan(bytes, at, |b| is_space(b) || b == b'/');
    if bytes.get(name_start).is_none_or(|&b| b == b'>') {
        return None;
    }
    // A name may start with `=` (the WHATWG tokenizer keeps it); never stall on one.
    let name_end = scan(bytes, name_start + 1, |b| !is_space(b) && !matches!(b, b'/' | b'>' | b'='));
    let name = name_start..name_end;
    let after_name = scan(bytes, name_end, is_space);
    if bytes.get(after_name) != Some(&b'=') {
        return Some((RawAttr { name, value: None }, name_end));
    }
    let value_start = scan(bytes, after_name + 1, is_space);
    let (value, next) = match bytes.get(value_start) {
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
    Some((RawAttr { name, value: Some(value) }, next))
}

/// Where `</name` (any case) starts at or after `from`.
fn end_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(found) = find(bytes, at, b"</") {
        if starts_with_ignore_case(&bytes[found + 2..], name.as_bytes()) {
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

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each token, shown: `<name attr=value …>`, `</name>`, text, `<!---->`.
    fn shown(html: &str) -> Vec<String> {
        tokenize(html)
            .map(|token| match token.kind {
                Kind::StartTag(tag) => {
                    let mut shown = format!("<{}", tag.name());
                    for attr in tag.attrs() {
                        match attr.value {
                            Some(value) => shown.push_str(&format!(" {}={value}", attr.name)),
                            None => shown.push_str(&format!(" {}", attr.name)),
                        }
                    }
                    shown + if tag.is_self_closing() { "/>" } else { ">" }
                }
                Kind::EndTag(name) => format!("</{name}>"),
                Kind::Text(text) => text.to_owned(),
                Kind::Comment(body) => format!("<!--{body}-->"),
                Kind::ConditionalStart(condition) => format!("[{condition}]"),
                Kind::ConditionalEnd => "[endif]".to_owned(),
                Kind::RawText { element, text } => format!("{element}:{text}"),
                Kind::Declaration(text) => format!("decl {text}"),
            })
            .collect()
    }

    #[test]
    fn reads_attributes_in_every_quoting_style() {
        assert_eq!(
            shown(r#"<IMG SRC="cid:a" alt='say "hi"' width=1 nowrap data-x = "y z"/><br/>"#),
            [r#"<IMG SRC=cid:a alt=say "hi" width=1 nowrap data-x=y z/>"#, "<br/>"]
        );
        assert_eq!(shown("<a href=x>y</a><a\nhref\n=\n'q'>"), ["<a href=x>", "y", "</a>", "<a href=q>"]);
        assert_eq!(shown("<p class=a'b>t"), ["<p class=a'b>", "t"], "a quote inside an unquoted value");
        assert_eq!(
            shown("<td style=\"a; color=\"#333\">t"),
            ["<td style=a; color= #333\">", "t"],
            "a stray quote"
        );
        assert_eq!(
            shown("a<a href=\"http://x.example\n</body>"),
            ["a", "decl <a href=\"http://x.example\n</body>"]
        );
    }

    #[test]
    fn comments_declarations_and_stray_angles() {
        let html = "<!DOCTYPE html><!-- <img src=x> --><!--><p>1 < 2</p><!---><?xml x?>\
                    <![CDATA[x]]><b>b</b></ x>";
        assert_eq!(
            shown(html),
            [
                "decl <!DOCTYPE html>",
                "<!-- <img src=x> -->",
                "<!---->",
                "<p>",
                "1 < 2",
                "</p>",
                "<!---->",
                "decl <?xml x?>",
                "decl <![CDATA[x]]>",
                "<b>",
                "b",
                "</b>",
                "decl </ x>"
            ]
        );
    }

    #[test]
    fn outlook_conditional_comments_are_markup_for_outlook() {
        let html = "<!--[if mso]><v:roundrect href=\"https://x.example/\"/><![endif]-->\
                    <!--[if !mso]><!--><a href=y>all</a><!--<![endif]--><!--[if gte mso 9]>unclosed";
        assert_eq!(
            shown(html),
            [
                "[if mso]",
                "<v:roundrect href=https://x.example//>",
                "[endif]",
                "<!--[if !mso]><!-->",
                "<a href=y>",
                "all",
                "</a>",
                "<!--<![endif]-->",
                "[if gte mso 9]",
                "unclosed"
            ]
        );
        assert_eq!(shown("<![endif]-->x"), ["decl <![endif]-->", "x"], "an end with no start");
        assert_eq!(
            shown("<!--[if mso]>a-->b"),
            ["[if mso]", "a", "[endif]", "b"],
            "an end with no <![endif]"
        );
    }

    #[test]
    fn raw_text_elements_are_never_markup() {
        let html = "<style>p { background: url(cid:bg) }</STYLE><script>if (a<b) { x = '<img src=y>' }</script>\
                    <title></title><textarea>a &amp; <b></textarea>";
        assert_eq!(
            shown(html),
            [
                "<style>",
                "style:p { background: url(cid:bg) }",
                "</STYLE>",
                "<script>",
                "script:if (a<b) { x = '<img src=y>' }",
                "</script>",
                "<title>",
                "</title>",
                "<textarea>",
                "textarea:a &amp; <b>",
                "</textarea>"
            ]
        );
    }

    #[test]
    fn spans_cover_the_document_and_point_at_values() {
        let html = "<p>\n<img alt=\"\" src=\"cid:logo\">";
        let tokens: Vec<Token<'_>> = tokenize(html).collect();
        assert_eq!(tokens.iter().map(|t| &html[t.span.clone()]).collect::<String>(), html);
        let Kind::StartTag(img) = &tokens[2].kind else { panic!("{tokens:?}") };
        let src = img.attr("src").unwrap();
        assert_eq!(&html[src.span.clone()], "cid:logo");
        assert_eq!(img.attr("alt").unwrap().value, Some(""));
    }

    #[test]
    fn never_panics_and_always_ends_on_truncated_or_odd_input() {
        let pieces = [
            "<",
            "a",
            " ",
            "=",
            "\"",
            "'",
            ">",
            "/",
            "!",
            "-",
            "é",
            "<style>",
            "</",
            "?",
            "<!--[if x]>",
            "<![endif]",
        ];
        // Every string of up to four pieces.
        let mut inputs = vec![String::new()];
        for _ in 0..4 {
            inputs = inputs.iter().flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}"))).collect();
            for input in &inputs {
                let spans: Vec<Range<usize>> = tokenize(input).map(|token| token.span).collect();
                assert!(spans.windows(2).all(|pair| pair[0].end <= pair[1].start), "{input:?}: {spans:?}");
                let kinds: Vec<Kind<'_>> = tokenize(input).map(|token| token.kind).collect();
                let empty = spans
                    .iter()
                    .zip(&kinds)
                    .any(|(span, kind)| span.is_empty() && *kind != Kind::ConditionalEnd);
                assert!(!empty, "{input:?}: {spans:?}");
            }
        }
    }
}
