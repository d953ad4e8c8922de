//! Finding the URLs in a message: HTML `href`s first, then URLs in the text.

use std::sync::LazyLock;

use regex::Regex;

static HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#).expect("valid regex")
});
static TEXT_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)\bhttps?://[^\s<>"'\]\[]+"#).expect("valid regex"));

/// Every link, each once, in order of appearance.
pub(crate) fn extract(html: Option<&str>, text: Option<&str>) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    let mut add = |link: String| {
        if !link.is_empty() && !link.starts_with('#') && !links.contains(&link) {
            links.push(link);
        }
    };
    for href in html.into_iter().flat_map(|html| HREF.captures_iter(html)) {
        let value = href.get(1).or_else(|| href.get(2)).or_else(|| href.get(3)).map_or("", |m| m.as_str());
        add(decode_attribute(value.trim()));
    }
    for url in text.into_iter().flat_map(|text| TEXT_URL.find_iter(text)) {
        add(trim_sentence_punctuation(url.as_str()).to_owned());
    }
    links
}

/// Decodes the entities of an attribute value (`&amp;` in query strings).
fn decode_attribute(value: &str) -> String {
    crate::html_text::decode_entities(value).trim().to_owned()
}

/// `see https://example.com/a.` means the URL without the full stop; a
/// closing parenthesis stays only when the URL opened one.
fn trim_sentence_punctuation(url: &str) -> &str {
    let mut url = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    while url.ends_with(')') && url.matches(')').count() > url.matches('(').count() {
        url = url[..url.len() - 1].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hrefs_in_every_quoting_style_and_decodes_entities() {
        let html = r##"<a href="https://a.example/x?y=1&amp;z=2">A</a>
            <A class=b HREF='https://b.example/'>B</A> <a href=https://c.example/c>C</a>
            <a href="#top">top</a> <a href="mailto:help@example.com">help</a>"##;
        assert_eq!(
            extract(Some(html), None),
            [
                "https://a.example/x?y=1&z=2",
                "https://b.example/",
                "https://c.example/c",
                "mailto:help@example.com"
            ]
        );
    }

    #[test]
    fn finds_text_urls_without_trailing_punctuation() {
        let text = "Reset: https://example.com/reset?t=abc. Or (see https://example.com/help) \
                    or <https://example.com/angle>, https://en.example.org/wiki/Rust_(language)!";
        assert_eq!(
            extract(None, Some(text)),
            [
                "https://example.com/reset?t=abc",
                "https://example.com/help",
                "https://example.com/angle",
                "https://en.example.org/wiki/Rust_(language)"
            ]
        );
    }

    #[test]
    fn lists_each_link_once_html_first() {
        let links = extract(
            Some(r#"<a href="https://x.example/">x</a>"#),
            Some("https://x.example/ https://y.example/"),
        );
        assert_eq!(links, ["https://x.example/", "https://y.example/"]);
    }
}
