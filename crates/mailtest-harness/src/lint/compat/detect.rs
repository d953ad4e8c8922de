//! What in an email's HTML each caniemail feature is: an element, an
//! attribute, a CSS property or value, an at-rule, a media feature, a
//! pseudo-class. Read from the start tags and their `style` attributes and
//! from the `<style>` sheets — inline `<svg>`, CSS variables,
//! `linear-gradient()`, `!important` and `@media (prefers-color-scheme)`
//! included, which the caniemail npm package's own checker misses.
//!
//! `scripts/caniemail-update` reads the slugs of this table: the data it
//! writes holds these features only.

use std::ops::Range;

use mailtest_mime::html::Document;

/// How a feature shows in HTML.
#[derive(Clone, Copy)]
pub(crate) enum Probe {
    /// A start tag with one of these names.
    Element(&'static [&'static str]),
    /// An attribute with one of these names, on any element.
    Attribute(&'static [&'static str]),
    /// `<input type=…>` of this type.
    Input(&'static str),
    /// A CSS declaration of one of these properties.
    Property(&'static [&'static str]),
    /// A CSS declaration of this property with this value.
    PropertyValue(&'static str, &'static str),
    /// This text in a CSS value (a function, a keyword, a unit).
    Value(&'static str),
    /// This text in a `<style>` sheet outside declarations: an at-rule,
    /// a media feature, a pseudo-class.
    Sheet(&'static str),
}

use Probe::{Attribute, Element, Input, Property, PropertyValue, Sheet, Value};

/// Each feature the check knows, by its caniemail slug.
pub(crate) const PROBES: &[(&str, Probe)] = &[
    ("html-svg", Element(&["svg"])),
    ("html-video", Element(&["video"])),
    ("html-audio", Element(&["audio"])),
    ("html-form", Element(&["form"])),
    ("html-select", Element(&["select"])),
    ("html-textarea", Element(&["textarea"])),
    ("html-picture", Element(&["picture"])),
    ("html-object", Element(&["object"])),
    ("html-marquee", Element(&["marquee"])),
    ("html-dialog", Element(&["dialog"])),
    ("html-progress", Element(&["progress"])),
    ("html-meter", Element(&["meter"])),
    ("html-base", Element(&["base"])),
    ("html-link", Element(&["link"])),
    ("html-image-maps", Element(&["map", "area"])),
    ("html-button-submit", Element(&["button"])),
    (
        "html-semantics",
        Element(&[
            "article",
            "aside",
            "details",
            "figcaption",
            "figure",
            "footer",
            "header",
            "main",
            "mark",
            "nav",
            "section",
            "summary",
            "time",
        ]),
    ),
    ("html-ruby", Element(&["ruby"])),
    ("html-bdi", Element(&["bdi"])),
    ("html-wbr", Element(&["wbr"])),
    ("html-strike", Element(&["strike"])),
    ("html-input-checkbox", Input("checkbox")),
    ("html-input-radio", Input("radio")),
    ("html-input-text", Input("text")),
    ("html-input-hidden", Input("hidden")),
    ("html-input-submit", Input("submit")),
    ("html-input-reset", Input("reset")),
    ("html-srcset", Attribute(&["srcset"])),
    ("html-loading-attribute", Attribute(&["loading"])),
    ("html-popover", Attribute(&["popover"])),
    ("html-required", Attribute(&["required"])),
    ("html-hidden", Attribute(&["hidden"])),
    ("html-aria-describedby", Attribute(&["aria-describedby"])),
    ("html-aria-labelledby", Attribute(&["aria-labelledby"])),
    ("html-aria-live", Attribute(&["aria-live"])),
    ("css-display-flex", PropertyValue("display", "flex")),
    ("css-display-grid", PropertyValue("display", "grid")),
    ("css-flex-direction", Property(&["flex-direction"])),
    ("css-flex-wrap", Property(&["flex-wrap"])),
    ("css-justify-content", Property(&["justify-content"])),
    ("css-align-items", Property(&["align-items"])),
    ("css-gap", Property(&["gap", "row-gap", "column-gap"])),
    (
        "css-grid-template",
        Property(&["grid-template", "grid-template-columns", "grid-template-rows", "grid-template-areas"]),
    ),
    ("css-position", Property(&["position"])),
    ("css-float", Property(&["float"])),
    ("css-box-shadow", Property(&["box-shadow"])),
    ("css-text-shadow", Property(&["text-shadow"])),
    ("css-border-radius", Property(&["border-radius"])),
    ("css-background-image", Property(&["background-image"])),
    ("css-background-size", Property(&["background-size"])),
    ("css-background-position", Property(&["background-position"])),
    ("css-background-blend-mode", Property(&["background-blend-mode"])),
    ("css-mix-blend-mode", Property(&["mix-blend-mode"])),
    ("css-backdrop-filter", Property(&["backdrop-filter"])),
    ("css-filter", Property(&["filter"])),
    ("css-opacity", Property(&["opacity"])),
    ("css-transform", Property(&["transform"])),
    ("css-transition", Property(&["transition"])),
    ("css-animation", Property(&["animation", "animation-name"])),
    ("css-object-fit", Property(&["object-fit"])),
    ("css-object-position", Property(&["object-position"])),
    ("css-aspect-ratio", Property(&["aspect-ratio"])),
    ("css-clip-path", Property(&["clip-path"])),
    ("css-mask-image", Property(&["mask-image"])),
    ("css-column-count", Property(&["column-count"])),
    ("css-writing-mode", Property(&["writing-mode"])),
    ("css-z-index", Property(&["z-index"])),
    ("css-overflow", Property(&["overflow"])),
    ("css-max-width", Property(&["max-width"])),
    ("css-min-width", Property(&["min-width"])),
    ("css-margin", Property(&["margin", "margin-top", "margin-right", "margin-bottom", "margin-left"])),
    ("css-padding", Property(&["padding", "padding-top", "padding-right", "padding-bottom", "padding-left"])),
    ("css-margin-inline-block", Property(&["margin-inline", "margin-block"])),
    ("css-padding-inline-block", Property(&["padding-inline", "padding-block"])),
    ("css-inline-size", Property(&["inline-size"])),
    ("css-accent-color", Property(&["accent-color"])),
    ("css-color-scheme", Property(&["color-scheme"])),
    ("css-scroll-snap", Property(&["scroll-snap-type", "scroll-snap-align"])),
    ("css-text-wrap", Property(&["text-wrap"])),
    ("css-hyphens", Property(&["hyphens"])),
    ("css-text-underline-offset", Property(&["text-underline-offset"])),
    ("css-text-decoration-thickness", Property(&["text-decoration-thickness"])),
    ("css-variables", Value("var(--")),
    ("css-linear-gradient", Value("linear-gradient(")),
    ("css-radial-gradient", Value("radial-gradient(")),
    ("css-conic-gradient", Value("conic-gradient(")),
    ("css-important", Value("!important")),
    ("css-function-clamp", Value("clamp(")),
    ("css-function-min", Value("min(")),
    ("css-function-max", Value("max(")),
    ("css-function-light-dark", Value("light-dark(")),
    ("css-unit-calc", Value("calc(")),
    ("css-unit-rem", Value("rem")),
    ("css-unit-vh", Value("vh")),
    ("css-unit-vw", Value("vw")),
    ("css-rgba", Value("rgba(")),
    ("css-modern-color", Value("oklch(")),
    ("css-sytem-ui", Value("system-ui")),
    ("css-at-font-face", Sheet("@font-face")),
    ("css-at-import", Sheet("@import")),
    ("css-at-keyframes", Sheet("@keyframes")),
    ("css-at-supports", Sheet("@supports")),
    ("css-at-media", Sheet("@media")),
    ("css-at-media-prefers-color-scheme", Sheet("prefers-color-scheme")),
    ("css-at-media-prefers-reduced-motion", Sheet("prefers-reduced-motion")),
    ("css-at-media-orientation", Sheet("orientation")),
    ("css-at-media-hover", Sheet("(hover")),
    ("css-pseudo-class-hover", Sheet(":hover")),
    ("css-pseudo-class-focus", Sheet(":focus")),
    ("css-pseudo-class-active", Sheet(":active")),
    ("css-pseudo-class-checked", Sheet(":checked")),
    ("css-pseudo-class-has", Sheet(":has(")),
    ("css-pseudo-class-not", Sheet(":not(")),
    ("css-pseudo-class-nth-child", Sheet(":nth-child(")),
    ("css-pseudo-class-target", Sheet(":target")),
    ("css-pseudo-element-before", Sheet("::before")),
    ("css-pseudo-element-after", Sheet("::after")),
];

/// A feature found: its slug, where it first is, and how often.
pub(crate) struct Found {
    pub(crate) slug: &'static str,
    /// What was seen: `<svg>`, `display: flex`, `@media (prefers-color-scheme …`.
    pub(crate) shown: String,
    pub(crate) span: Range<usize>,
    pub(crate) count: usize,
}

/// Every feature of [`PROBES`] the document uses, in the table's order.
pub(crate) fn features(doc: &Document<'_>) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut add = |slug: &'static str, shown: String, span: Range<usize>| match found
        .iter_mut()
        .find(|f| f.slug == slug)
    {
        Some(known) => known.count += 1,
        None => found.push(Found { slug, shown, span, count: 1 }),
    };
    for element in doc.elements() {
        let tag = element.tag;
        for (slug, probe) in PROBES {
            match probe {
                Element(names) if names.iter().any(|name| tag.is(name)) => {
                    add(slug, format!("<{}>", tag.name().to_ascii_lowercase()), tag.name_span());
                }
                Input(kind) if tag.is("input") => {
                    let is_kind = element
                        .attr("type")
                        .map_or(*kind == "text", |t| t.decoded().trim().eq_ignore_ascii_case(kind));
                    if is_kind {
                        add(slug, format!("<input type=\"{kind}\">"), tag.name_span());
                    }
                }
                Attribute(names) => {
                    if let Some(attr) = element
                        .attrs
                        .iter()
                        .find(|attr| names.iter().any(|n| attr.name.eq_ignore_ascii_case(n)))
                    {
                        add(
                            slug,
                            format!(
                                "<{} {}>",
                                tag.name().to_ascii_lowercase(),
                                attr.name.to_ascii_lowercase()
                            ),
                            attr.span.clone(),
                        );
                    }
                }
                _ => {}
            }
        }
        if let Some(style) =
            element.attr("style").and_then(|attr| attr.value.map(|value| (value, attr.span.start)))
        {
            declarations(style.0, style.1, &mut add);
        }
    }
    for &(offset, sheet) in doc.styles() {
        stylesheet(sheet, offset, &mut add);
    }
    let order = |slug: &str| PROBES.iter().position(|(s, _)| *s == slug);
    found.sort_by_key(|f| order(f.slug));
    found
}

/// The declarations of a `style` attribute or a rule's block at `offset`.
fn declarations(css: &str, offset: usize, add: &mut impl FnMut(&'static str, String, Range<usize>)) {
    let mut at = 0;
    for declaration in css.split(';') {
        let start = at;
        at += declaration.len() + 1;
        let Some((property, value)) = declaration.split_once(':') else { continue };
        let property = property.trim().to_ascii_lowercase();
        let value_lower = value.trim().to_ascii_lowercase();
        let span = offset + start..offset + start + declaration.len();
        let shown = || format!("{property}: {}", value.trim());
        for (slug, probe) in PROBES {
            let hit = match probe {
                Property(names) => names.contains(&property.as_str()),
                PropertyValue(name, wanted) => {
                    property == *name
                        && value_lower
                            .split_whitespace()
                            .any(|word| word.trim_end_matches("!important") == *wanted)
                }
                Value(text) if *text == "rem" || *text == "vh" || *text == "vw" => {
                    has_unit(&value_lower, text)
                }
                Value(text) => {
                    value_lower.contains(text) || (*text == "var(--" && property.starts_with("--"))
                }
                _ => false,
            };
            if hit {
                add(slug, shown(), span.clone());
            }
        }
    }
}

/// A number followed by `unit` (`1.5rem`), not a word that ends in it.
fn has_unit(value: &str, unit: &str) -> bool {
    value.match_indices(unit).any(|(at, _)| {
        let before = value[..at].chars().next_back();
        let after = value[at + unit.len()..].chars().next();
        before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// A `<style>` sheet: its at-rules, selectors and media features, and the
/// declarations in its blocks.
fn stylesheet(sheet: &str, offset: usize, add: &mut impl FnMut(&'static str, String, Range<usize>)) {
    let css = strip_comments(sheet);
    let mut at = 0;
    // Outside braces: preludes (selectors, at-rules); inside the innermost: declarations.
    while at < css.len() {
        let next = css[at..].find(['{', '}']).map_or(css.len(), |found| at + found);
        let segment = &css[at..next];
        if css[next..].starts_with('{') {
            prelude(segment, offset + at, add);
        } else if !segment.trim().is_empty() {
            declarations(segment, offset + at, add);
        }
        at = next + 1;
    }
}

/// A rule's prelude: `@media (prefers-color-scheme: dark)`, `a:hover, .b::before`.
fn prelude(text: &str, offset: usize, add: &mut impl FnMut(&'static str, String, Range<usize>)) {
    let lower = text.to_ascii_lowercase();
    let trimmed = text.trim();
    // A block that holds declarations and rules both (`a { color: red; }` has
    // none): the part before the last `;` is declarations.
    let (declared, prelude_lower, prelude_at) = match lower.rfind(';') {
        Some(semi) => (Some(&text[..semi]), &lower[semi + 1..], semi + 1),
        None => (None, &lower[..], 0),
    };
    if let Some(declared) = declared {
        declarations(declared, offset, add);
    }
    for (slug, probe) in PROBES {
        let Sheet(needle) = probe else { continue };
        if let Some(found) = prelude_lower.find(needle) {
            let start = offset + prelude_at + found;
            let shown = if trimmed.chars().count() > 60 {
                format!("{}…", trimmed.chars().take(59).collect::<String>())
            } else {
                trimmed.to_owned()
            };
            add(slug, shown, start..start + needle.len());
        }
    }
}

/// The sheet with each `/* … */` blanked (offsets kept).
fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(open) = rest.find("/*") {
        out.push_str(&rest[..open]);
        let close = rest[open + 2..].find("*/").map_or(rest.len(), |c| open + 2 + c + 2);
        for c in rest[open..close].chars() {
            let blank = if c == '\n' { "\n" } else { " " };
            out.extend(std::iter::repeat_n(blank, c.len_utf8()));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}
