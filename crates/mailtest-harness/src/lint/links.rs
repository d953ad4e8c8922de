//! Links: URLs that work where the mail was made and nowhere else —
//! `relative-url`, `localhost-url`, `off-base-url` (with
//! [`LintConfig::base_url`](crate::LintConfig::base_url)) — and
//! `insecure-url` (plain `http:`).
//!
//! Read from the HTML (`<a href>`, `<area href>`, `<img src>`, any
//! `background`) and from the URLs of the text part. Each URL gets at most
//! one lint, the first that applies in that order.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::codes::{INSECURE_URL, LOCALHOST_URL, OFF_BASE_URL, RELATIVE_URL};
use super::config::LintConfig;
use super::content::has_placeholder;
use super::context::Context;
use super::diagnostic::Lint;
use super::openers::may_open;
use mailtest_mime::url::Url;

/// How many characters of a URL a message quotes (the snippet shows the rest).
const SHOWN_URL: usize = 80;

/// What the URL is for: a link is followed, an image is loaded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Link,
    Image,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    if let (Some((source, _)), Some(markup)) = (&cx.html, &cx.markup) {
        for found in &markup.urls {
            let used = if found.image { Use::Image } else { Use::Link };
            let url = &*found.url;
            let shown = || format!("<{} {}=\"{}\">", found.tag, found.attr, shorten(url));
            // Still as written, the URL is within its attribute's span.
            let may_open = match &found.url {
                Cow::Borrowed(_) => cx.html_openers.any_in(&found.span),
                Cow::Owned(decoded) => may_open(decoded.as_bytes()),
            };
            let placeholder = has_placeholder(url, may_open);
            if let Some((lint, label)) =
                judge(cx.config, used, url, Url::parse(url).as_ref(), placeholder, &shown)
            {
                out.push(lint.at(source.locate(found.span.clone(), Some(label))));
            }
        }
    }
    if let Some(source) = &cx.text {
        for (offset, url, parsed) in &cx.text_urls {
            let (offset, url) = (*offset, *url);
            let shown = || format!("the link `{}`", shorten(url));
            let placeholder = has_placeholder(url, cx.text_openers.any_in(&(offset..offset + url.len())));
            if let Some((lint, label)) = judge(cx.config, Use::Link, url, Some(parsed), placeholder, &shown) {
                out.push(lint.at(source.locate(offset..offset + url.len(), Some(label))));
            }
        }
    }
}

/// The lint for one URL, and the words under its marks; `None` when fine.
/// `parsed` is `Url::parse(url)`, parsed where the URL was found;
/// `placeholder` whether it has template syntax; `shown` names the URL in
/// a message, computed only for a lint.
fn judge(
    config: &LintConfig,
    used: Use,
    url: &str,
    parsed: Option<&Url<'_>>,
    placeholder: bool,
    shown: &dyn Fn() -> String,
) -> Option<(Lint, String)> {
    let on_base = |reference: &str| config.base_urls().first().map(|base| base.join(reference));
    // A URL with template syntax in it is `unrendered-placeholder`'s: one
    // mistake, one lint.
    if url.starts_with('#') || placeholder {
        return None;
    }
    if url.is_empty() {
        return Some((
            Lint::error(RELATIVE_URL, format!("{} is empty: it leads nowhere", shown()))
                .with_help("give it the absolute URL it should open"),
            "empty".to_owned(),
        ));
    }
    if let Some(rest) = url.strip_prefix("//") {
        return Some((
            Lint::error(
                RELATIVE_URL,
                format!("{} is protocol-relative: a mail client has no page to take a scheme from", shown()),
            )
            .with_help(format!("did you mean `https://{rest}`?")),
            "no scheme".to_owned(),
        ));
    }
    let Some(parsed) = parsed else {
        let lint = Lint::error(
            RELATIVE_URL,
            format!("{} is a relative URL: a mail client has no page to resolve it against", shown()),
        );
        let help = match on_base(url) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None => {
                "build links from your app's public base URL (and check them with `LintConfig::base_url`)"
                    .to_owned()
            }
        };
        return Some((lint.with_help(help), "not absolute".to_owned()));
    };
    if parsed.scheme == "file" {
        return Some((
            Lint::error(LOCALHOST_URL, format!("{} points at a file on the sender's machine", shown()))
                .with_help("attach the file, or link to it on your web server"),
            "a local file".to_owned(),
        ));
    }
    if !parsed.is_web() {
        return None;
    }
    if parsed.host.is_empty() {
        return Some((
            Lint::error(RELATIVE_URL, format!("{} has no host", shown()))
                .with_help("write it as `https://host/path`"),
            "no host".to_owned(),
        ));
    }
    if let Some(place) = local_host(&parsed.host) {
        let help = match on_base(&parsed.rest) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None => "build links from your app's public base URL, not from the host a request came in on"
                .to_owned(),
        };
        return Some((
            Lint::error(LOCALHOST_URL, format!("{} points at {place}", shown()))
                .with_note("it works on the machine that sent the mail and nowhere else")
                .with_help(help),
            "not reachable by the reader".to_owned(),
        ));
    }
    let bases = config.base_urls();
    if used == Use::Link && !bases.is_empty() && !bases.iter().any(|base| parsed.is_under(base)) {
        let listed: Vec<String> = bases.iter().map(ToString::to_string).collect();
        let base = nearest_base(bases, parsed);
        return Some((
            Lint::error(OFF_BASE_URL, format!("{} is not under the base URL", shown()))
                .with_note(format!("links must start with {} (`LintConfig::base_url`)", listed.join(" or ")))
                .with_help(format!("did you mean `{}`?", base.join(&parsed.rest))),
            format!("not under {base}"),
        ));
    }
    if parsed.scheme == "http" {
        let note = match used {
            Use::Link => "anyone on the reader's network can read and change what it carries (a token, say)",
            Use::Image => "clients warn about images over plain http, or block them",
        };
        let secure = format!("https{}", &url[url.find(':').unwrap_or(0)..]);
        return Some((
            Lint::warning(INSECURE_URL, format!("{} is not https", shown()))
                .with_note(note)
                .with_help(format!("did you mean `{}`?", shorten(&secure))),
            "plain http".to_owned(),
        ));
    }
    None
}

/// The base whose host is nearest to the URL's, for the candidate.
fn nearest_base<'a>(bases: &'a [Url<'static>], url: &Url<'_>) -> &'a Url<'static> {
    let hosts = bases.iter().map(|base| &*base.host);
    let nearest = super::closest::closest(&url.host, hosts);
    bases.iter().find(|base| Some(&*base.host) == nearest).unwrap_or(&bases[0])
}

/// Why `host` is unreachable from the reader's side, if it is.
fn local_host(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.');
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: Ipv6Addr = inner.parse().ok()?;
        let segment = ip.segments()[0];
        return if ip.is_loopback() || ip.is_unspecified() {
            Some(format!("the loopback address {host}"))
        } else if segment & 0xfe00 == 0xfc00 || segment & 0xffc0 == 0xfe80 {
            Some(format!("the private address {host}"))
        } else {
            None
        };
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return if ip.is_loopback() || ip.is_unspecified() {
            Some(format!("the loopback address {host}"))
        } else if ip.is_private() || ip.is_link_local() {
            Some(format!("the private address {host}"))
        } else {
            None
        };
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return Some("localhost".to_owned());
    }
    if [".local", ".internal", ".home.arpa", ".lan"].iter().any(|suffix| host.ends_with(suffix)) {
        return Some(format!("the local network name {host}"));
    }
    if !host.contains('.') {
        return Some(format!("`{host}`, a host name with no domain that resolves only inside your network"));
    }
    None
}

fn shorten(url: &str) -> String {
    if url.chars().count() <= SHOWN_URL {
        url.to_owned()
    } else {
        let cut: String = url.chars().take(SHOWN_URL - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholder(url: &str) -> bool {
        has_placeholder(url, may_open(url.as_bytes()))
    }

    fn code(config: &LintConfig, used: Use, url: &str) -> Option<String> {
        judge(config, used, url, Url::parse(url).as_ref(), placeholder(url), &|| "x".to_owned())
            .map(|(lint, _)| lint.code().to_owned())
    }

    #[test]
    fn each_url_gets_the_first_lint_that_applies() {
        let plain = LintConfig::new();
        let based = LintConfig::new().base_url("https://app.example.com");
        let cases: [(&LintConfig, Use, &str, Option<&str>); 20] = [
            (&plain, Use::Link, "https://app.example.com/a", None),
            (&plain, Use::Link, "mailto:help@example.com", None),
            (&plain, Use::Link, "tel:+4412345", None),
            (&plain, Use::Link, "#top", None),
            (&plain, Use::Image, "data:image/png;base64,AAAA", None),
            (&plain, Use::Link, "", Some(RELATIVE_URL)),
            (&plain, Use::Link, "/reset?t=1", Some(RELATIVE_URL)),
            (&plain, Use::Link, "{{ reset_url }}", None),
            (&plain, Use::Image, "//cdn.example.com/x.png", Some(RELATIVE_URL)),
            (&plain, Use::Link, "https:/reset", Some(RELATIVE_URL)),
            (&plain, Use::Link, "http://localhost:3000/reset", Some(LOCALHOST_URL)),
            (&plain, Use::Link, "https://127.0.0.1/x", Some(LOCALHOST_URL)),
            (&plain, Use::Link, "https://[::1]:8080/x", Some(LOCALHOST_URL)),
            (&plain, Use::Link, "https://192.168.1.20/x", Some(LOCALHOST_URL)),
            (&plain, Use::Link, "https://web:8000/x", Some(LOCALHOST_URL)),
            (&plain, Use::Link, "file:///C:/reports/x.pdf", Some(LOCALHOST_URL)),
            (&plain, Use::Link, "http://app.example.com/a", Some(INSECURE_URL)),
            (&based, Use::Link, "https://staging.example.com/a", Some(OFF_BASE_URL)),
            (&based, Use::Image, "https://cdn.example.net/logo.png", None),
            (&based, Use::Link, "http://app.example.com/a", Some(INSECURE_URL)),
        ];
        for (config, used, url, expected) in cases {
            assert_eq!(code(config, used, url).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn candidates_put_the_path_on_the_base() {
        let based = LintConfig::new().base_url("https://app.example.com");
        let help = |url: &str| {
            judge(&based, Use::Link, url, Url::parse(url).as_ref(), placeholder(url), &|| "x".to_owned())
                .unwrap()
                .0
                .help()
                .map(str::to_owned)
        };
        assert_eq!(help("/reset?t=1").as_deref(), Some("did you mean `https://app.example.com/reset?t=1`?"));
        assert_eq!(
            help("http://localhost:3000/r").as_deref(),
            Some("did you mean `https://app.example.com/r`?")
        );
        assert_eq!(
            help("https://stage.example.com/r").as_deref(),
            Some("did you mean `https://app.example.com/r`?")
        );
    }
}
