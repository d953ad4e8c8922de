//! What the content and accessibility rules read of the HTML, gathered in
//! one pass over the tokens: the text a reader sees (and which of it is
//! quoted code), the links with their text, the headings, the tables, and
//! the colours and sizes the text is shown in.
//!
//! It reads the tokens as the [`Document`] is parsed (the HTML is
//! tokenized once, for every rule), each start tag with the attributes the
//! document read.

use std::borrow::Cow;
use std::ops::Range;

use super::style::{Color, Declarations};
use mailtest_mime::html::{Attr, Document, Element, Kind, Node};

/// Elements with no end tag: never pushed on the open-element stack.
/// (A `match`, not a list searched: it runs on every tag.)
fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
            | b"param"
    )
}

/// Elements whose text is code shown as such, never template output.
fn is_quoting(name: &[u8]) -> bool {
    matches!(name, b"pre" | b"code" | b"kbd" | b"samp" | b"tt" | b"xmp")
}

/// A piece of text a reader sees, as written (character references not
/// decoded), with the presentation it has.
pub(crate) struct TextRun<'a> {
    pub(crate) text: &'a str,
    pub(crate) span: Range<usize>,
    /// Inside `<pre>`, `<code>` and the like: quoted, not rendered output.
    pub(crate) quoted: bool,
    /// Inside an element hidden from view (`display:none`, a preheader).
    pub(crate) hidden: bool,
    /// The nearest explicit text colour and background, with the offset of
    /// the attribute that set each.
    pub(crate) color: Option<(Color, usize)>,
    pub(crate) background: Option<(Color, usize)>,
    /// A background this reader cannot know (an image, a gradient), nearer
    /// than any known one: contrast is not judged.
    pub(crate) background_unknown: bool,
    /// The nearest explicit font size in px, and where it was set.
    pub(crate) font_px: Option<(f32, usize)>,
    pub(crate) bold: bool,
}

/// A URL the mail links to or loads: `<a href>`, `<area href>`,
/// `<img src>`, any `background` (Outlook's conditional markup included).
pub(crate) struct UrlAttr<'a> {
    /// Loaded (`<img src>`, `background`), not followed.
    pub(crate) image: bool,
    /// The element's and the attribute's names, as written.
    pub(crate) tag: &'a str,
    pub(crate) attr: &'a str,
    /// Character references decoded, white space trimmed; empty without a value.
    pub(crate) url: Cow<'a, str>,
    /// The value's span (without one, the name's).
    pub(crate) span: Range<usize>,
}

/// An `<a href>` and what it shows.
pub(crate) struct Link {
    /// Where `<a` is.
    pub(crate) tag: Range<usize>,
    /// Where its `href` is in [`Markup::urls`] (decoded and trimmed there).
    href: usize,
    /// Its visible text, decoded, white space folded.
    pub(crate) text: String,
    /// The `alt` of each image in it (`None`: no alt at all).
    pub(crate) images: Vec<Option<String>>,
    /// `aria-label` or `title`, when given.
    pub(crate) label: Option<String>,
}

/// An `<img>`, Outlook's conditional markup included, with its first
/// `alt` and `src`.
pub(crate) struct Image<'a> {
    /// Where `<img` is.
    pub(crate) tag: Range<usize>,
    pub(crate) alt: Option<Attr<'a>>,
    pub(crate) src: Option<Attr<'a>>,
}

impl Link {
    /// The `href`, decoded and trimmed.
    pub(crate) fn href<'m>(&self, markup: &'m Markup<'_>) -> &'m str {
        markup.urls.get(self.href).map_or("", |url| &url.url)
    }
}

/// A `<table>` and whether anything in it says it holds data.
pub(crate) struct Table {
    pub(crate) tag: Range<usize>,
    /// `role="presentation"` or `role="none"`.
    pub(crate) presentation: bool,
    /// A `<th>`, `<caption>`, `<thead>` or a `summary` or other role.
    pub(crate) data: bool,
}

/// What one walk over the HTML found.
#[derive(Default)]
pub(crate) struct Markup<'a> {
    pub(crate) texts: Vec<TextRun<'a>>,
    /// Attribute values a reader sees or follows (`alt`, `title`, `href`, …),
    /// with their spans: where a placeholder can hide.
    pub(crate) attrs: Vec<(&'a str, &'a str, Range<usize>)>,
    pub(crate) links: Vec<Link>,
    /// Every URL, in document order, its references decoded once for
    /// every rule.
    pub(crate) urls: Vec<UrlAttr<'a>>,
    /// Every `<img>`, for the image rules (no second walk over the tags).
    pub(crate) images: Vec<Image<'a>>,
    /// (level, where `<hN` is).
    pub(crate) headings: Vec<(u8, Range<usize>)>,
    pub(crate) tables: Vec<Table>,
    /// `<title>`'s text, with its span.
    pub(crate) title: Option<(&'a str, Range<usize>)>,
    /// Each `text-align: justify`, where it is set.
    pub(crate) justified: Vec<Range<usize>>,
}

/// One open element: its name and what it sets for the text inside.
struct Open<'a> {
    name: &'a str,
    quoted: bool,
    hidden: bool,
    color: Option<(Color, usize)>,
    background: Option<(Color, usize)>,
    background_unknown: bool,
    font_px: Option<(f32, usize)>,
    bold: bool,
    link: Option<usize>,
    table: Option<usize>,
}

impl<'a> Markup<'a> {
    /// The document and what a reader sees of it, from one tokenization.
    pub(crate) fn parse(html: &'a str) -> (Document<'a>, Markup<'a>) {
        // Sized for a typical email (a piece of text every ~100 bytes, a
        // link every ~300), so that the vectors rarely grow.
        let mut markup = Markup {
            texts: Vec::with_capacity(html.len() / 100),
            attrs: Vec::with_capacity(html.len() / 100),
            links: Vec::with_capacity(html.len() / 300),
            urls: Vec::with_capacity(html.len() / 150),
            ..Markup::default()
        };
        let mut stack: Vec<Open<'a>> = Vec::with_capacity(32);
        let mut in_conditional = false;
        let doc = Document::parse_visiting(html, |node| {
            let token = match node {
                Node::Element(element) => {
                    let mut tag_buffer = [0; 16];
                    let tag_name = lower(element.tag.name(), &mut tag_buffer);
                    let first_url = markup.urls(element, tag_name);
                    if !in_conditional {
                        markup.start(element, tag_name, first_url, &mut stack);
                    }
                    return;
                }
                Node::Token(token) => token,
            };
            match token.kind {
                // Outlook's own markup repeats what every other client is
                // shown; what a reader sees is read from the rest.
                Kind::ConditionalStart(_) => in_conditional = true,
                Kind::ConditionalEnd => in_conditional = false,
                _ if in_conditional => {}
                Kind::EndTag(name) => {
                    if let Some(at) = stack.iter().rposition(|open| open.name.eq_ignore_ascii_case(name)) {
                        stack.truncate(at);
                    }
                }
                Kind::Text(text) => markup.text(text, token.span, &stack),
                Kind::RawText { element, text } if element.eq_ignore_ascii_case("title") => {
                    markup.title = Some((text, token.span.clone()));
                    markup.text(text, token.span, &stack);
                }
                Kind::RawText { element, text } if element.eq_ignore_ascii_case("textarea") => {
                    markup.text(text, token.span, &stack);
                }
                _ => {}
            }
        });
        (doc, markup)
    }

    /// The URLs of `element`'s attributes (`tag_name` its name, lower
    /// case), and the image it is; where its URLs start in `urls`. Read
    /// everywhere, Outlook's conditional markup included.
    fn urls(&mut self, element: Element<'_, 'a>, tag_name: &[u8]) -> usize {
        let first = self.urls.len();
        let tag = element.tag;
        let linked = matches!(tag_name, b"a" | b"area");
        let mut image = (tag_name == b"img").then(|| Image { tag: tag.name_span(), alt: None, src: None });
        for attr in element.attrs {
            let mut attr_buffer = [0; 16];
            let name = lower(attr.name, &mut attr_buffer);
            if let Some(image) = &mut image {
                match name {
                    b"alt" if image.alt.is_none() => image.alt = Some(attr.clone()),
                    b"src" if image.src.is_none() => image.src = Some(attr.clone()),
                    _ => {}
                }
            }
            let loaded = match name {
                b"href" if linked => false,
                b"src" if image.is_some() => true,
                b"background" => true,
                _ => continue,
            };
            let url = attr
                .value
                .map_or(Cow::Borrowed(""), |value| trimmed(mailtest_mime::html::decode_entities(value)));
            self.urls.push(UrlAttr {
                image: loaded,
                tag: tag.name(),
                attr: attr.name,
                url,
                span: attr.span.clone(),
            });
        }
        self.images.extend(image);
        first
    }

    /// What `element` (`tag_name` its name, lower case) sets for what is
    /// inside it. Names are compared lower-cased into a buffer, once: a
    /// newsletter has hundreds of tags, each with attributes.
    fn start(
        &mut self,
        element: Element<'_, 'a>,
        tag_name: &[u8],
        first_url: usize,
        stack: &mut Vec<Open<'a>>,
    ) {
        let tag = element.tag;
        let heading = match tag_name {
            [b'h', digit @ b'1'..=b'6'] => Some(digit - b'0'),
            _ => None,
        };
        let parent = stack.last();
        let mut open = Open {
            name: tag.name(),
            quoted: parent.is_some_and(|p| p.quoted) || is_quoting(tag_name),
            hidden: parent.is_some_and(|p| p.hidden),
            color: parent.and_then(|p| p.color),
            background: parent.and_then(|p| p.background),
            background_unknown: parent.is_some_and(|p| p.background_unknown),
            font_px: parent.and_then(|p| p.font_px),
            bold: parent.is_some_and(|p| p.bold) || matches!(tag_name, b"b" | b"strong") || heading.is_some(),
            link: parent.and_then(|p| p.link),
            table: parent.and_then(|p| p.table),
        };
        let (mut role_presentation, mut role_other, mut summary) = (false, false, false);
        let (mut href, mut label, mut alt) = (None, None, None);
        for attr in element.attrs {
            let Some(value) = attr.value else { continue };
            let mut attr_buffer = [0; 16];
            match lower(attr.name, &mut attr_buffer) {
                b"style" => self.style(value, attr.span.clone(), &mut open),
                b"bgcolor" => {
                    if let Some(color) = Color::parse(value) {
                        open.background = Some((color, attr.span.start));
                        open.background_unknown = false;
                    }
                }
                b"background" => open.background_unknown = true,
                b"color" if tag_name == b"font" => {
                    if let Some(color) = Color::parse(value) {
                        open.color = Some((color, attr.span.start));
                    }
                }
                b"role" => {
                    let role = value.trim();
                    if role.eq_ignore_ascii_case("presentation") || role.eq_ignore_ascii_case("none") {
                        role_presentation = true;
                    } else if !role.is_empty() {
                        role_other = true;
                    }
                }
                b"hidden" => open.hidden = true,
                b"aria-hidden" if value.trim() == "true" => open.hidden = true,
                b"align" if tag_name == b"p" && value.eq_ignore_ascii_case("justify") => {
                    self.justified.push(attr.span.clone());
                }
                b"summary" => summary = true,
                name @ (b"alt" | b"title" | b"href" | b"src" | b"value" | b"placeholder" | b"aria-label"
                | b"content") => {
                    self.attrs.push((attr.name, value, attr.span.clone()));
                    match name {
                        b"href" => href = Some(attr),
                        b"alt" => alt = Some(attr),
                        b"aria-label" => label = Some(attr),
                        b"title" if label.is_none() => label = Some(attr),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        if tag_name == b"a"
            && let Some(href) = href
        {
            let label = label.map(|attr| attr.decoded().trim().to_owned()).filter(|label| !label.is_empty());
            // Decoded already, with the element's URLs.
            let href = self.urls[first_url..]
                .iter()
                .position(|url| url.span == href.span)
                .map_or(usize::MAX, |at| first_url + at);
            self.links.push(Link {
                tag: tag.name_span(),
                href,
                text: String::new(),
                images: Vec::new(),
                label,
            });
            open.link = Some(self.links.len() - 1);
        } else if tag_name == b"img"
            && let Some(link) = open.link.and_then(|at| self.links.get_mut(at))
        {
            link.images.push(alt.map(|alt| alt.decoded().trim().to_owned()));
        }
        if let Some(level) = heading {
            self.headings.push((level, tag.name_span()));
        }
        if tag_name == b"table" {
            let data = (role_other && !role_presentation) || summary;
            self.tables.push(Table { tag: tag.name_span(), presentation: role_presentation, data });
            open.table = Some(self.tables.len() - 1);
        } else if matches!(tag_name, b"th" | b"caption" | b"thead")
            && let Some(table) = open.table.and_then(|at| self.tables.get_mut(at))
        {
            table.data = true;
        }
        if !is_void(tag_name) && !tag.is_self_closing() {
            stack.push(open);
        }
    }

    /// What an inline `style` sets for the text inside.
    fn style(&mut self, value: &str, span: Range<usize>, open: &mut Open<'a>) {
        let style = Declarations::parse(value);
        if let Some(color) = style.color("color") {
            open.color = Some((color, span.start));
        }
        if let Some(color) = style.background() {
            open.background = Some((color, span.start));
            open.background_unknown = false;
        } else if style.has_background_image() {
            open.background_unknown = true;
        }
        if let Some(px) = style.font_px() {
            open.font_px = Some((px, span.start));
        }
        if style.hides() {
            open.hidden = true;
        }
        if style.get("font-weight").is_some_and(|w| w == "bold" || w.parse::<u32>().is_ok_and(|w| w >= 700)) {
            open.bold = true;
        }
        if style.get("text-align").is_some_and(|a| a.eq_ignore_ascii_case("justify")) {
            self.justified.push(span);
        }
    }

    fn text(&mut self, text: &'a str, span: Range<usize>, stack: &[Open<'a>]) {
        let top = stack.last();
        if let Some(link) = top.and_then(|top| top.link).and_then(|at| self.links.get_mut(at)) {
            let decoded = mailtest_mime::html::decode_entities(text);
            link.text.reserve(decoded.len() + 1);
            for word in decoded.split_whitespace() {
                if !link.text.is_empty() {
                    link.text.push(' ');
                }
                link.text.push_str(word);
            }
        }
        if text.trim().is_empty() {
            return;
        }
        self.texts.push(TextRun {
            text,
            span,
            quoted: top.is_some_and(|t| t.quoted),
            hidden: top.is_some_and(|t| t.hidden),
            color: top.and_then(|t| t.color),
            background: top.and_then(|t| t.background),
            background_unknown: top.is_some_and(|t| t.background_unknown),
            font_px: top.and_then(|t| t.font_px),
            bold: top.is_some_and(|t| t.bold),
        });
    }
}

/// `text` without its leading and trailing white space, still borrowed
/// when it was.
fn trimmed(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
        Cow::Owned(text) if text.trim().len() == text.len() => Cow::Owned(text),
        Cow::Owned(text) => Cow::Owned(text.trim().to_owned()),
    }
}

/// `name` lower-cased into `buffer`; empty when longer than it (no name
/// this reader looks for is).
fn lower<'b>(name: &str, buffer: &'b mut [u8; 16]) -> &'b [u8] {
    let Some(slot) = buffer.get_mut(..name.len()) else { return &[] };
    for (to, from) in slot.iter_mut().zip(name.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    slot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_links_tables_and_presentation() {
        let html = "<table role=presentation><tr><td bgcolor=\"#000\"><p style=\"color:#111;font-size:10px\">Dark</p>\
                    <pre>{{ x }}</pre><a href=\"https://e.com\"><img src=a.png alt=\"\"></a></td></tr></table>\
                    <table><tr><th>Item</th></tr></table><h1>A</h1><h3>B</h3>\
                    <!--[if mso]><p>Outlook</p><![endif]--><div style=\"display:none\">pre</div>";
        let (_, markup) = Markup::parse(html);
        let texts: Vec<(&str, bool, bool)> =
            markup.texts.iter().map(|t| (t.text, t.quoted, t.hidden)).collect();
        assert_eq!(
            texts,
            [
                ("Dark", false, false),
                ("{{ x }}", true, false),
                ("Item", false, false),
                ("A", false, false),
                ("B", false, false),
                ("pre", false, true)
            ]
        );
        let dark = &markup.texts[0];
        assert_eq!(dark.color.map(|c| c.0), Color::parse("#111"));
        assert_eq!(dark.background.map(|c| c.0), Color::parse("#000"));
        assert_eq!(dark.font_px.map(|f| f.0), Some(10.0));
        assert_eq!(markup.links[0].images, [Some(String::new())]);
        assert_eq!(markup.links[0].text, "");
        assert!(markup.tables[0].presentation && !markup.tables[0].data);
        assert!(!markup.tables[1].presentation && markup.tables[1].data);
        let levels: Vec<u8> = markup.headings.iter().map(|h| h.0).collect();
        assert_eq!(levels, [1, 3]);
    }
}
