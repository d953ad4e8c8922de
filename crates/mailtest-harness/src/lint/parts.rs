//! Parts: `cid:` references and the inline parts they should point at —
//! `dangling-cid` (a broken image) and `unreferenced-inline` (an image shown
//! as a stray attachment, or not at all).

use super::closest::closest;
use super::codes::{DANGLING_CID, UNREFERENCED_INLINE};
use super::context::Context;
use super::diagnostic::{Lint, Location};

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let references = cx.html.as_ref().map(|(_, doc)| doc.cid_references()).unwrap_or_default();
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
