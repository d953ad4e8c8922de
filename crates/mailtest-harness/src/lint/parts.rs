//! Parts: `cid:` references and the inline parts they should point at —
//! `dangling-cid` (a broken image) and `unreferenced-inline` (an image shown
//! as a stray attachment, or not at all).

use std::ops::Range;

use super::closest::closest;
use super::codes::{DANGLING_CID, UNREFERENCED_INLINE};
use super::context::Context;
use super::diagnostic::{Lint, Location};
use super::html::Document;
use super::url_parts::percent_decode;

/// A `cid:` reference in the HTML.
struct Reference {
    /// The Content-ID it names (percent-decoded, RFC 2392).
    id: String,
    /// How a diagnostic names it: `<img src="cid:logo">`, `url(cid:bg)`.
    shown: String,
    span: Range<usize>,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let references = cx.html.as_ref().map(|(_, doc)| references(doc)).unwrap_or_default();
    let ids: Vec<&str> = cx.email.attachments().iter().filter_map(|part| part.content_id()).collect();

    if let Some((source, _)) = &cx.html {
        for reference in references.iter().filter(|r| !ids.contains(&r.id.as_str())) {
            let label = format!("no part has Content-ID <{}>", reference.id);
            let mut lint = Lint::error(DANGLING_CID, format!("{} refers to no MIME part", reference.shown))
                .at(source.locate(reference.span.clone(), Some(label)));
            lint = if ids.is_empty() {
                lint.with_note("the email has no part with a Content-ID")
            } else {
                let present: Vec<String> = ids.iter().map(|id| format!("<{id}>")).collect();
                lint.with_note(format!("the Content-IDs present: {}", present.join(", ")))
            };
            lint = match closest(&reference.id, ids.iter().copied()) {
                Some(candidate) => lint.with_help(format!("did you mean `cid:{candidate}`?")),
                None => lint.with_help(format!(
                    "attach the image as an inline part with `Content-ID: <{0}>` \
                     (lettre: `Attachment::new_inline(String::from(\"{0}\"))`)",
                    reference.id
                )),
            };
            out.push(lint);
        }
    }

    let dangling: Vec<&str> =
        references.iter().map(|r| r.id.as_str()).filter(|id| !ids.contains(id)).collect();
    // Only images: a Content-ID on another part (Outlook sets one on every
    // attachment) is not a promise to show it in the HTML.
    let images = cx
        .email
        .attachments()
        .iter()
        .filter(|part| part.is_inline() && part.content_type().starts_with("image/"));
    for part in images {
        let Some(id) = part.content_id().filter(|id| !id.is_empty()) else { continue };
        if references.iter().any(|r| r.id == id) {
            continue;
        }
        let mut lint = Lint::warning(
            UNREFERENCED_INLINE,
            format!(
                "the inline part <{id}> ({}) is never shown: no `cid:` reference points at it",
                part.content_type()
            ),
        )
        .at(Location::in_part(format!("{} part <{id}>", part.content_type())));
        lint = match (&cx.html, closest(id, dangling.iter().copied())) {
            (None, _) => lint.with_note(
                "the email has no HTML to show it in; clients list it as an attachment, or drop it",
            ),
            (Some(_), Some(candidate)) => lint.with_note(format!(
                "the HTML refers to `cid:{candidate}`, which no part has: a typo for this one?"
            )),
            (Some(_), None) => lint.with_note("clients list it as an attachment, or drop it"),
        };
        out.push(lint.with_help(format!(
            "show it with `<img src=\"cid:{id}\" alt=\"…\">`, or send it as a download (Content-Disposition: attachment)"
        )));
    }
}

/// Every `cid:` reference: attribute values (`src`, `background`, …) and
/// `url(cid:…)` in `style` attributes and `<style>` elements.
fn references(doc: &Document<'_>) -> Vec<Reference> {
    let mut found = Vec::new();
    for tag in doc.tags() {
        for attr in doc.attrs(&tag) {
            let Some(value) = attr.value else { continue };
            let trimmed = value.trim_start();
            if has_cid_scheme(trimmed) {
                let start = attr.span.start + (value.len() - trimmed.len());
                let decoded = attr.decoded();
                let id = percent_decode(decoded.trim().get(4..).unwrap_or_default().trim()).into_owned();
                found.push(Reference {
                    id,
                    shown: format!("<{} {}=\"{}\">", tag.name, attr.name, decoded.trim()),
                    span: start..attr.span.end,
                });
            } else if attr.name.eq_ignore_ascii_case("style") {
                css_references(value, attr.span.start, &mut found);
            }
        }
    }
    for &(offset, css) in doc.styles() {
        css_references(css, offset, &mut found);
    }
    found
}

/// `url(cid:x)`, `url("cid:x")`, `url('cid:x')` in CSS at `offset`.
fn css_references(css: &str, offset: usize, found: &mut Vec<Reference>) {
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
            found.push(Reference {
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
    use crate::lint::html::tokenize;

    fn ids(html: &str) -> Vec<(String, String)> {
        let doc = tokenize(html);
        references(&doc).into_iter().map(|r| (r.id, html[r.span].to_owned())).collect()
    }

    #[test]
    fn finds_references_in_attributes_and_css() {
        let html = "<img src=\"CID:logo%40acme\"><td background='cid:bg'>\
                    <div style=\"background: url( 'cid:hero' )\"><style>a{b:URL(cid:x) }</style>";
        assert_eq!(
            ids(html),
            [
                ("logo@acme".to_owned(), "CID:logo%40acme".to_owned()),
                ("bg".to_owned(), "cid:bg".to_owned()),
                ("hero".to_owned(), "cid:hero".to_owned()),
                ("x".to_owned(), "cid:x".to_owned()),
            ]
        );
    }
}
