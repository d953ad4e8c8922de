//! Accessibility: what screen readers and image-blocking clients need —
//! `img-missing-alt`, `img-alt-unhelpful`, `html-missing-lang`,
//! `link-image-no-alt`, `empty-link`, `vague-link-text`,
//! `layout-table-role`, `heading-order` and `text-missing-link` (the text
//! alternative). How text looks is [`legibility`](super::legibility)'s.

use super::codes::{
    EMPTY_LINK, HEADING_ORDER, HTML_MISSING_LANG, IMG_ALT_UNHELPFUL, IMG_MISSING_ALT, LAYOUT_TABLE_ROLE,
    LINK_IMAGE_NO_ALT, TEXT_MISSING_LINK, VAGUE_LINK_TEXT,
};
use super::context::Context;
use super::diagnostic::{Lint, Location};
use super::markup::Markup;
use super::source::Source;
use mailtest_mime::html::Document;

/// Alt texts that say nothing about the image.
const UNHELPFUL_ALT: [&str; 10] =
    ["image", "img", "photo", "picture", "graphic", "icon", "spacer", "untitled", "pic", "banner"];
/// Link texts that say nothing out of context (screen readers list links alone).
const VAGUE: [&str; 13] = [
    "click here",
    "here",
    "click",
    "this",
    "link",
    "this link",
    "more",
    "read more",
    "click this link",
    "tap here",
    "go",
    "hier",
    "ici",
];
/// Image file endings: an alt ending in one is a file name.
const IMAGE_FILES: [&str; 7] = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp"];
/// How many links missing from the text a diagnostic names.
const NAMED_LINKS: usize = 3;

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let (Some((source, doc)), Some(markup)) = (&cx.html, &cx.markup) else { return };
    images(source, markup, out);
    lang(source, doc, out);
    links(source, markup, out);
    tables(source, markup, out);
    headings(source, markup, out);
    text_alternative(cx, markup, out);
}

fn images(source: &Source<'_>, markup: &Markup<'_>, out: &mut Vec<Lint>) {
    for img in &markup.images {
        // Named only in a lint: most images are fine.
        let shown = || {
            let src = img.src.as_ref().map(|src| src.decoded().trim().to_owned()).unwrap_or_default();
            if src.is_empty() { "<img>".to_owned() } else { format!("<img src=\"{}\">", short(&src)) }
        };
        let Some(alt) = &img.alt else {
            out.push(
                Lint::warning(IMG_MISSING_ALT, format!("{} has no alt attribute", shown()))
                    .at(source.locate(img.tag.clone(), Some("no alt".to_owned())))
                    .with_note("screen readers read out the file name instead, and clients that block images show nothing")
                    .with_help("describe the image (`alt=\"Acme logo\"`), or mark it decorative with `alt=\"\"`"),
            );
            continue;
        };
        let decoded = alt.decoded();
        let text = decoded.trim();
        let file_name =
            IMAGE_FILES.iter().any(|ending| ends_with_ignore_case(text, ending)) && !text.contains(' ');
        if file_name || UNHELPFUL_ALT.iter().any(|word| text.eq_ignore_ascii_case(word)) {
            out.push(
                Lint::warning(
                    IMG_ALT_UNHELPFUL,
                    format!("{} has alt=\"{text}\", which says nothing of it", shown()),
                )
                .at(source.locate(alt.span.clone(), Some("not a description".to_owned())))
                .with_note("a screen reader reads this out instead of what the image shows")
                .with_help(
                    "say what the image shows or does (`alt=\"Acme\"`), or `alt=\"\"` if it is decoration",
                ),
            );
        }
    }
}

fn ends_with_ignore_case(text: &str, ending: &str) -> bool {
    text.len() >= ending.len()
        && text.is_char_boundary(text.len() - ending.len())
        && text[text.len() - ending.len()..].eq_ignore_ascii_case(ending)
}

fn lang(source: &Source<'_>, doc: &Document<'_>, out: &mut Vec<Lint>) {
    let html = doc.elements().find(|element| element.tag.is("html"));
    let has_lang = html.as_ref().is_some_and(|html| {
        ["lang", "xml:lang"]
            .iter()
            .any(|name| html.attr(name).is_some_and(|lang| !lang.decoded().trim().is_empty()))
    });
    if has_lang {
        return;
    }
    let (message, location) = match html {
        Some(html) => (
            "the <html> element has no lang attribute",
            source.locate(html.tag.name_span(), Some("no lang".to_owned())),
        ),
        None => ("the HTML has no <html lang=\"…\"> element", Location::in_part("text/html")),
    };
    out.push(
        Lint::warning(HTML_MISSING_LANG, message)
            .at(location)
            .with_note("screen readers then guess the language, and read the mail with the wrong voice")
            .with_help("write `<html lang=\"en\">` (the language the mail is written in)"),
    );
}

fn links(source: &Source<'_>, markup: &Markup<'_>, out: &mut Vec<Lint>) {
    for link in &markup.links {
        // Named only in a lint: most links are fine.
        let href = || short(link.href(markup));
        let at = |label: &str| source.locate(link.tag.clone(), Some(label.to_owned()));
        if !link.text.is_empty() || link.label.is_some() {
            // The vague phrases are short: a longer text is none of them.
            let vague = || {
                let words = link.text.trim_matches(|c: char| !c.is_alphanumeric());
                words.len() <= 16 && VAGUE.iter().any(|vague| words.eq_ignore_ascii_case(vague))
            };
            if link.label.is_none() && link.text.len() <= 40 && vague() {
                out.push(
                    Lint::warning(
                        VAGUE_LINK_TEXT,
                        format!("the link to {} says only \"{}\"", href(), link.text),
                    )
                    .at(at("vague"))
                    .with_note("screen readers list a mail's links on their own: \"here\" says nowhere")
                    .with_help("make the link's words say where it goes: `<a href=…>Track your order</a>`"),
                );
            }
            continue;
        }
        if link.images.iter().any(|alt| alt.as_deref().is_some_and(|alt| !alt.is_empty())) {
            continue;
        }
        if link.images.is_empty() {
            out.push(
                Lint::warning(EMPTY_LINK, format!("the link to {} has no text", href()))
                    .at(at("nothing to read or click"))
                    .with_note(
                        "a screen reader reads out the URL, and a sighted reader sees nothing to click",
                    )
                    .with_help("put words in the link, or an `aria-label` on it"),
            );
        } else if link.images.iter().any(Option::is_some) {
            out.push(
                Lint::warning(LINK_IMAGE_NO_ALT, format!("the link to {} is an image with alt=\"\"", href()))
                    .at(at("no name"))
                    .with_note("alt=\"\" marks an image as decoration, but this one is the link's only content: the link has no name")
                    .with_help("give the image an alt that says where the link goes (`alt=\"View your order\"`)"),
            );
        }
        // An image without any alt is `img-missing-alt`'s already.
    }
}

fn tables(source: &Source<'_>, markup: &Markup<'_>, out: &mut Vec<Lint>) {
    let layout: Vec<_> = markup.tables.iter().filter(|table| !table.presentation && !table.data).collect();
    let Some(first) = layout.first() else { return };
    let mut lint = Lint::warning(LAYOUT_TABLE_ROLE, "a layout table has no role=\"presentation\"")
        .at(source.locate(first.tag.clone(), Some("read as a data table".to_owned())))
        .with_note("screen readers announce each layout table's rows and columns before its text");
    if layout.len() > 1 {
        lint = lint.with_note(format!("{} more tables have none", layout.len() - 1));
    }
    out.push(lint.with_help(
        "write `<table role=\"presentation\">` on every table used for layout; a table of data keeps its `<th>`",
    ));
}

fn headings(source: &Source<'_>, markup: &Markup<'_>, out: &mut Vec<Lint>) {
    let mut previous: Option<u8> = None;
    for (level, span) in &markup.headings {
        if let Some(before) = previous
            && *level > before + 1
        {
            out.push(
                Lint::warning(HEADING_ORDER, format!("<h{level}> follows <h{before}>: a heading level is skipped"))
                    .at(source.locate(span.clone(), Some(format!("expected <h{}> or higher", before + 1))))
                    .with_note("screen reader users move through a mail by its headings, and a gap reads as a missing section")
                    .with_help(format!("use <h{}> here, and style it to look as it should", before + 1)),
            );
        }
        previous = Some(*level);
    }
}

/// The text alternative carries what the HTML links to: a reader of the
/// text part can follow every link of the HTML.
fn text_alternative(cx: &Context<'_>, markup: &Markup<'_>, out: &mut Vec<Lint>) {
    let Some(text) = cx.email.text().filter(|text| !text.trim().is_empty()) else { return };
    // The same page will do: a text link often drops the HTML's tracking
    // parameters. The text's pages are read once, not searched per link.
    fn page(url: &str) -> &str {
        let end = url.bytes().position(|b| b == b'?' || b == b'#').unwrap_or(url.len());
        url[..end].trim_end_matches('/')
    }
    let mut in_text: Vec<&str> = cx.text_urls.iter().map(|&(_, url, _)| page(url)).collect();
    in_text.sort_unstable();
    let mut missing: Vec<&str> = Vec::new();
    for link in &markup.links {
        let href = link.href(markup);
        let web = href.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://"))
            || href.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://"));
        if web
            && in_text.binary_search(&page(href)).is_err()
            && !text.contains(page(href))
            && !missing.contains(&href)
        {
            missing.push(href);
        }
    }
    if missing.is_empty() {
        return;
    }
    let listed: Vec<String> =
        missing.iter().take(NAMED_LINKS).map(|href| format!("`{}`", short(href))).collect();
    let more = if missing.len() > NAMED_LINKS {
        format!(" and {} more", missing.len() - NAMED_LINKS)
    } else {
        String::new()
    };
    out.push(
        Lint::warning(
            TEXT_MISSING_LINK,
            format!("the text part lacks {} of the HTML's links", missing.len()),
        )
        .at(Location::in_part("text/plain"))
        .with_note(format!("missing: {}{more}", listed.join(", ")))
        .with_note(
            "readers of the text part (and text-only clients, screen readers set to text) cannot follow them",
        )
        .with_help("write each link's URL into the text alternative too"),
    );
}

pub(crate) fn short(src: &str) -> String {
    if src.chars().count() <= 60 {
        src.to_owned()
    } else {
        format!("{}…", src.chars().take(59).collect::<String>())
    }
}
