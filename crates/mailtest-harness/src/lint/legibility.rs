//! Legibility: text a reader can see — `low-contrast` (WCAG 2 AA),
//! `small-text` and `justified-text` — read from the colours, sizes and
//! alignment the HTML sets inline (`style`, `bgcolor`, `<font color>`),
//! which is what mail clients keep. Hidden text (a preheader behind
//! `display:none` or `font-size:1px`) is not read.

use super::codes::{JUSTIFIED_TEXT, LOW_CONTRAST, SMALL_TEXT};
use super::context::Context;
use super::diagnostic::Lint;
use super::style::Color;

/// WCAG 2 AA: 4.5:1 for text, 3:1 for large text.
const AA: f64 = 4.5;
const AA_LARGE: f64 = 3.0;
/// Large text: 24px, or 18.66px bold (18pt and 14pt).
const LARGE_PX: f32 = 24.0;
const LARGE_BOLD_PX: f32 = 18.66;
/// Below this, text is hard to read on a phone, and iOS enlarges it on its own.
const SMALLEST_PX: f32 = 12.0;

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let (Some((source, _)), Some(markup)) = (&cx.html, &cx.markup) else { return };
    // One lint per colour pair and per size: a template repeats them.
    let mut pairs: Vec<(Color, Color)> = Vec::new();
    let mut sizes: Vec<u32> = Vec::new();
    for run in markup.texts.iter().filter(|run| !run.hidden && !run.quoted) {
        if (run.color.is_some() || run.background.is_some()) && !run.background_unknown {
            let (color, color_at) = run.color.map_or((Color::BLACK, None), |(c, at)| (c, Some(at)));
            let (background, background_at) =
                run.background.map_or((Color::WHITE, None), |(c, at)| (c, Some(at)));
            let large =
                run.font_px.is_some_and(|(px, _)| px >= LARGE_PX || (run.bold && px >= LARGE_BOLD_PX));
            let needed = if large { AA_LARGE } else { AA };
            let ratio = color.contrast(background);
            if ratio < needed && !pairs.contains(&(color, background)) {
                pairs.push((color, background));
                let at = color_at.into_iter().chain(background_at).max().unwrap_or(run.span.start);
                let described = |set: Option<usize>, what: &str| {
                    if set.is_some() { what.to_owned() } else { format!("{what} (the default)") }
                };
                out.push(
                    Lint::warning(
                        LOW_CONTRAST,
                        format!(
                            "text in {} on {} has a contrast of {ratio:.2}:1; WCAG AA asks {needed}:1",
                            described(color_at, &color.to_string()),
                            described(background_at, &background.to_string()),
                        ),
                    )
                    .at(source.locate(at..at + 1, Some(format!("contrast {ratio:.2}:1"))))
                    .with_note(format!("the text: \"{}\"", first_words(run.text)))
                    .with_help(
                        "darken the text or lighten its background (a checker: the WCAG contrast formula)",
                    ),
                );
            }
        }
        if let Some((px, at)) = run.font_px
            && px < SMALLEST_PX
            && !sizes.contains(&px.to_bits())
        {
            sizes.push(px.to_bits());
            out.push(
                Lint::warning(SMALL_TEXT, format!("text is set in {px}px, under {SMALLEST_PX}px"))
                    .at(source.locate(at..at + 1, Some("too small to read".to_owned())))
                    .with_note(format!("the text: \"{}\"", first_words(run.text)))
                    .with_help(format!("use at least {SMALLEST_PX}px (14px or more for body text)")),
            );
        }
    }
    if let Some(first) = markup.justified.first() {
        let mut lint = Lint::warning(JUSTIFIED_TEXT, "text is justified")
            .at(source.locate(first.clone(), Some("text-align: justify".to_owned())))
            .with_note("justified text opens uneven gaps between words that readers with dyslexia lose their place in (WCAG 1.4.8)");
        if markup.justified.len() > 1 {
            lint = lint.with_note(format!("{} more elements are justified", markup.justified.len() - 1));
        }
        out.push(lint.with_help("align text left (or right, for right-to-left languages)"));
    }
}

/// The first few words of a text (at most 60 characters), for a note.
fn first_words(text: &str) -> String {
    let decoded = mailtest_mime::html::decode_entities(text);
    let words: Vec<&str> = decoded.split_whitespace().collect();
    let shown = words.join(" ");
    if shown.chars().count() > 60 {
        format!("{}…", shown.chars().take(59).collect::<String>())
    } else {
        shown
    }
}
