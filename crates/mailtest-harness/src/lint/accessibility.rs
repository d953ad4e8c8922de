//! Accessibility: what screen readers and image-blocking clients need —
//! `img-missing-alt` and `html-missing-lang`.

use super::codes::{HTML_MISSING_LANG, IMG_MISSING_ALT};
use super::context::Context;
use super::diagnostic::{Lint, Location};

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let Some((source, doc)) = &cx.html else { return };
    for img in doc.elements().filter(|element| element.tag.is("img")) {
        if img.attr("alt").is_some() {
            continue;
        }
        let src = img.attr("src").map(|src| src.decoded().trim().to_owned()).unwrap_or_default();
        let shown =
            if src.is_empty() { "<img>".to_owned() } else { format!("<img src=\"{}\">", short(&src)) };
        out.push(
            Lint::warning(IMG_MISSING_ALT, format!("{shown} has no alt attribute"))
                .at(source.locate(img.tag.name_span(), Some("no alt".to_owned())))
                .with_note("screen readers read out the file name instead, and clients that block images show nothing")
                .with_help("describe the image (`alt=\"Acme logo\"`), or mark it decorative with `alt=\"\"`"),
        );
    }

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

fn short(src: &str) -> String {
    if src.chars().count() <= 60 {
        src.to_owned()
    } else {
        format!("{}…", src.chars().take(59).collect::<String>())
    }
}
