//! Finding the URLs in a message: HTML `href`s first, then URLs in the text.
//!
//! An `href` is a link where a reader can click it: on an `<a>` or an
//! `<area>`, outside comments, inside Outlook's conditional comments (see
//! [`crate::html`]) — what the link lints read too.

use crate::html::{Kind, tokenize};
use crate::url::Url;

/// Every link, each once, in order of appearance.
pub fn extract(html: Option<&str>, text: Option<&str>) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    let mut add = |link: String| {
        if !link.is_empty() && !link.starts_with('#') && !links.contains(&link) {
            links.push(link);
        }
    };
    for token in html.into_iter().flat_map(tokenize) {
        if let Kind::StartTag(tag) = token.kind
            && (tag.is("a") || tag.is("area"))
            && let Some(href) = tag.attr("href")
        {
            add(href.decoded().trim().to_owned());
        }
    }
    for (_, url) in text.into_iter().flat_map(text_urls) {
        add(url.to_owned());
    }
    links
}

/// Every `http(s)://` URL in plain text, with its byte offset, without the
/// sentence punctuation that follows it.
///
/// What the regex `(?i)\bhttps?://[^\s<>"'\]\[]+` finds, found by hand: a
/// `memchr` for `h` and a look at what follows is several times faster
/// than the regex's forward-then-reverse search, and linting reads every
/// URL of a newsletter's text. (A word boundary here is a letter, digit or
/// `_` before the `h`; the regex's Unicode `\w` differs only on combining
/// marks and numeric symbols.)
pub fn text_urls(text: &str) -> impl Iterator<Item = (usize, &str)> {
    parsed_text_urls(text).map(|(offset, url, _)| (offset, url))
}

/// [`text_urls`], each with its [`Url`]: found by parsing it, and handed
/// on so that a reader that judges the URL (the link lints) does not parse
/// it again.
///
/// The scan looks for each `://`'s colon (rarer in prose than an `h`) and
/// reads the scheme before it.
///
/// ```
/// let (offset, text, url) = mailtest_mime::parsed_text_urls("See HTTPS://Example.com/a.").next().unwrap();
/// assert_eq!((offset, text, &*url.host), (4, "HTTPS://Example.com/a", "example.com"));
/// ```
pub fn parsed_text_urls(text: &str) -> impl Iterator<Item = (usize, &str, Url<'_>)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(found) = memchr::memchr(b':', &bytes[from..]) {
            let colon = from + found;
            from = colon + 1;
            if bytes.get(colon + 1..colon + 3) != Some(b"//") {
                continue;
            }
            // `https` or `http` right before it (one of the two at most).
            let written = |scheme: &[u8]| {
                let start = colon.checked_sub(scheme.len())?;
                bytes[start..colon].eq_ignore_ascii_case(scheme).then_some(start)
            };
            let Some(start) = written(b"https").or_else(|| written(b"http")) else { continue };
            let after_word =
                text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
            let body = &text[colon + 3..];
            let length = body
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '[' | ']'))
                .unwrap_or(body.len());
            if after_word || length == 0 {
                continue;
            }
            let end = colon + 3 + length;
            let url = trim_sentence_punctuation(&text[start..end]);
            // `https:///x` names no host: no link.
            match Url::parse(url) {
                Some(parsed) if !parsed.host.is_empty() => {
                    from = end;
                    return Some((start, url, parsed));
                }
                _ => continue,
            }
        }
        None
    })
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

    /// The scan replaced the regex `(?i)\bhttps?://[^\s<>"'\]\[]+` (Unicode
    /// `\b` and `\s`), trimmed of sentence punctuation; these are what that
    /// regex found, recorded when the scan replaced it.
    #[test]
    fn the_text_url_scan_finds_what_the_regex_it_replaces_finds() {
        let cases: [(&str, &[(usize, &str)]); 7] = [
            (
                "a http://x.example/1 b HTTPS://Y.example/2\tc",
                &[(2, "http://x.example/1"), (23, "HTTPS://Y.example/2")],
            ),
            ("xhttp://no.example shttps://no.example _http://no.example 1http://no.example", &[]),
            (
                "(http://a.example/b) [https://c.example/d] <http://e.example>'https://f.example/'",
                &[
                    (1, "http://a.example/b"),
                    (22, "https://c.example/d"),
                    (44, "http://e.example"),
                    (62, "https://f.example/"),
                ],
            ),
            (
                "http:// https://\nhttps://g.example/h\u{a0}i https:/j.example httpss://k.example",
                &[(17, "https://g.example/h")],
            ),
            (
                "é http://l.example/é?q=1&r=2#s ühttp://m.example http://n.example/ü",
                &[(3, "http://l.example/é?q=1&r=2#s"), (52, "http://n.example/ü")],
            ),
            (
                "http://o.examplehttp://p.example https://https://q.example",
                &[(0, "http://o.examplehttp://p.example"), (33, "https://https://q.example")],
            ),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(text_urls(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn a_link_in_a_comment_is_no_link_and_one_for_outlook_is() {
        let html = "<!-- <a href=\"https://old.example/\">old</a> --><a href='https://new.example/'>new</a>\
                    <!--[if mso]><a href=\"https://outlook.example/\">button</a><![endif]-->\
                    <area href=\"https://map.example/\"><link href=\"https://style.example/\"><a data-href=\"https://x/\">";
        assert_eq!(
            extract(Some(html), None),
            ["https://new.example/", "https://outlook.example/", "https://map.example/"]
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
