//! Unsubscribing: `list-unsubscribe-syntax` (RFC 2369: each URI in angle
//! brackets, at most one `mailto:` and one web URI, as Gmail and Yahoo
//! read it) wherever a `List-Unsubscribe` header is, and
//! `one-click-unsubscribe` (RFC 8058: an https URI, `List-Unsubscribe-Post:
//! List-Unsubscribe=One-Click`, both headers under the DKIM signature's
//! `h=`) for [`Profile::Bulk`](crate::lint::Profile::Bulk), or wherever a
//! `List-Unsubscribe-Post` header says the mail offers it.
//!
//! The DKIM check reads the `h=` tag only: whether the signature verifies
//! needs the signer's key from DNS, and no rule opens a socket.

use super::codes::{LIST_UNSUBSCRIBE_SYNTAX, ONE_CLICK_UNSUBSCRIBE};
use super::context::Context;
use super::diagnostic::{Lint, Location, Severity};
use super::headers::Field;
use mailtest_mime::url::Url;

const ONE_CLICK: &str = "List-Unsubscribe=One-Click";

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let lists: Vec<&Field> = cx.headers.all("List-Unsubscribe").collect();
    let uris = match lists.first() {
        Some(list) => syntax(cx, list, out),
        None => Vec::new(),
    };
    for extra in lists.iter().skip(1) {
        out.push(
            Lint::error(LIST_UNSUBSCRIBE_SYNTAX, format!("List-Unsubscribe appears {} times", lists.len()))
                .at(cx.header_location(extra, Some("a second one".to_owned())))
                .with_help("put every URI in one header: `List-Unsubscribe: <mailto:…>, <https://…>`"),
        );
    }
    let post = cx.headers.get("List-Unsubscribe-Post");
    if cx.config.is_bulk() || post.is_some() {
        one_click(cx, lists.first().copied(), &uris, post, out);
    }
}

/// Checks the URIs of `field`; returns those that parsed.
fn syntax<'f>(cx: &Context<'_>, field: &'f Field, out: &mut Vec<Lint>) -> Vec<Url<'f>> {
    let mut lint = |severity: Severity, item: &str, message: String, label: &str, help: String| {
        out.push(
            Lint::new(LIST_UNSUBSCRIBE_SYNTAX, severity, message)
                .at(cx.header_part_location(field, item, Some(label.to_owned())))
                .with_help(help),
        );
    };
    let items: Vec<&str> = split_items(&field.value).into_iter().filter(|item| !item.is_empty()).collect();
    if items.is_empty() {
        lint(
            Severity::Error,
            "",
            "List-Unsubscribe is empty".to_owned(),
            "no URI",
            "write `List-Unsubscribe: <https://example.com/unsubscribe/TOKEN>`".to_owned(),
        );
        return Vec::new();
    }
    let mut uris = Vec::new();
    for item in items {
        let Some(inner) = item.strip_prefix('<').and_then(|rest| rest.strip_suffix('>')) else {
            let bare = item.trim_matches(['<', '>']);
            lint(
                Severity::Error,
                item,
                format!("`{item}` in List-Unsubscribe is not in angle brackets"),
                "not <…>",
                format!("write `<{bare}>`: clients ignore URIs without brackets"),
            );
            continue;
        };
        let inner = inner.trim();
        match Url::parse(inner) {
            Some(url) if url.scheme == "mailto" && url.rest.contains('@') => uris.push(url),
            Some(url) if url.scheme == "https" && !url.host.is_empty() => uris.push(url),
            Some(url) if url.scheme == "http" && !url.host.is_empty() => {
                lint(
                    Severity::Warning,
                    inner,
                    format!("`<{inner}>` in List-Unsubscribe is not https"),
                    "plain http",
                    format!("did you mean `<https{}>`?", &inner[4..]),
                );
                uris.push(url);
            }
            Some(url) if url.scheme == "mailto" || url.is_web() => lint(
                Severity::Error,
                inner,
                format!(
                    "`<{inner}>` in List-Unsubscribe has no {}",
                    if url.is_web() { "host" } else { "address" }
                ),
                "incomplete",
                "write `<mailto:unsubscribe@example.com>` or `<https://example.com/unsubscribe/TOKEN>`"
                    .to_owned(),
            ),
            _ => lint(
                Severity::Error,
                inner,
                format!("`<{inner}>` in List-Unsubscribe is not a mailto: or https: URI"),
                "not mailto: or https:",
                "clients act only on `<mailto:…>` and `<https://…>`".to_owned(),
            ),
        }
    }
    let mailtos = uris.iter().filter(|url| url.scheme == "mailto").count();
    let webs = uris.iter().filter(|url| url.is_web()).count();
    for (count, kind) in [(mailtos, "mailto:"), (webs, "web")] {
        if count > 1 {
            lint(
                Severity::Error,
                "",
                format!("List-Unsubscribe has {count} {kind} URIs; clients use one"),
                "more than one",
                format!("keep one {kind} URI (and at most one of the other kind)"),
            );
        }
    }
    uris
}

/// Splits a header value at the commas between `<…>` items.
fn split_items(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in value.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(value[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(value[start..].trim());
    items
}

fn one_click(
    cx: &Context<'_>,
    list: Option<&Field>,
    uris: &[Url],
    post: Option<&Field>,
    out: &mut Vec<Lint>,
) {
    const WHY: &str = "Gmail and Yahoo require RFC 8058 one-click unsubscribe of bulk senders since 2024";
    let Some(list) = list else {
        out.push(
            Lint::error(ONE_CLICK_UNSUBSCRIBE, "the email has no List-Unsubscribe header")
                .at(Location::in_part("headers"))
                .with_note(WHY)
                .with_help(format!(
                    "add `List-Unsubscribe: <https://example.com/unsubscribe/TOKEN>` and `List-Unsubscribe-Post: {ONE_CLICK}`"
                )),
        );
        return;
    };
    if !uris.iter().any(|url| url.scheme == "https") {
        out.push(
            Lint::error(ONE_CLICK_UNSUBSCRIBE, "List-Unsubscribe has no https URI to POST the one click to")
                .at(cx.header_location(list, Some("no https".to_owned())))
                .with_note(WHY)
                .with_help("add `<https://example.com/unsubscribe/TOKEN>`, a URL that unsubscribes on a POST without a login"),
        );
    }
    match post {
        None => out.push(
            Lint::error(ONE_CLICK_UNSUBSCRIBE, "the email has no List-Unsubscribe-Post header")
                .at(Location::in_part("headers"))
                .with_note(WHY)
                .with_help(format!("add `List-Unsubscribe-Post: {ONE_CLICK}`")),
        ),
        Some(post) if post.value != ONE_CLICK => out.push(
            Lint::error(ONE_CLICK_UNSUBSCRIBE, format!("List-Unsubscribe-Post is `{}`", post.value))
                .at(cx.header_location(post, Some(format!("not `{ONE_CLICK}`"))))
                .with_help(format!("write exactly `List-Unsubscribe-Post: {ONE_CLICK}`")),
        ),
        Some(_) => {}
    }
    dkim_coverage(cx, out);
}

/// RFC 8058 §4: the signature must cover both headers, or receivers
/// ignore them (anyone could have added them on the way).
fn dkim_coverage(cx: &Context<'_>, out: &mut Vec<Lint>) {
    const NEEDED: [&str; 2] = ["list-unsubscribe", "list-unsubscribe-post"];
    let signatures: Vec<(&Field, Vec<String>)> =
        cx.headers.all("DKIM-Signature").map(|field| (field, signed_headers(&field.value))).collect();
    let missing = |signed: &[String]| -> Vec<&str> {
        NEEDED.iter().copied().filter(|needed| !signed.iter().any(|name| name == needed)).collect()
    };
    let Some((field, signed)) = signatures.iter().min_by_key(|(_, signed)| missing(signed).len()) else {
        return;
    };
    let missing = missing(signed);
    if missing.is_empty() {
        return;
    }
    let names: Vec<&str> = missing
        .iter()
        .map(|name| if *name == NEEDED[0] { "List-Unsubscribe" } else { "List-Unsubscribe-Post" })
        .collect();
    out.push(
        Lint::error(ONE_CLICK_UNSUBSCRIBE, format!("the DKIM signature does not cover {}", names.join(" and ")))
            .at(cx.header_part_location(field, &h_tag(&cx.raw, field), Some(format!("no {} here", names.join(" or ")))))
            .with_note("RFC 8058 §4: receivers ignore one-click headers no DKIM signature covers")
            .with_help("add `List-Unsubscribe:List-Unsubscribe-Post` to the header names the signer signs (its `h=` tag)"),
    );
}

/// The `h=…` tag of a DKIM-Signature as written on its line (up to the
/// `;` or the line's end), for the marks; empty when it is not there.
fn h_tag(raw: &super::source::Source<'_>, field: &Field) -> String {
    let written = String::from_utf8_lossy(raw.bytes().get(field.value_start..field.end).unwrap_or_default());
    let mut at = 0;
    for tag in written.split(';') {
        let name_start = tag.len() - tag.trim_start().len();
        if tag.trim_start().starts_with('h') && tag.trim_start()[1..].trim_start().starts_with('=') {
            let tag = &written[at + name_start..at + tag.len()];
            return tag.lines().next().unwrap_or_default().trim_end().to_owned();
        }
        at += tag.len() + 1;
    }
    String::new()
}

/// The header names in a DKIM-Signature's `h=` tag, in lower case.
fn signed_headers(signature: &str) -> Vec<String> {
    signature
        .split(';')
        .filter_map(|tag| tag.split_once('='))
        .find(|(name, _)| name.trim() == "h")
        .map(|(_, value)| {
            value
                .split(':')
                .map(|name| name.split_whitespace().collect::<String>().to_ascii_lowercase())
                .filter(|name| !name.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_items_at_top_level_commas_only() {
        assert_eq!(
            split_items("<mailto:a@x?subject=a,b>, <https://x/u>,"),
            ["<mailto:a@x?subject=a,b>", "<https://x/u>", ""]
        );
    }

    #[test]
    fn reads_the_h_tag_across_folding() {
        let signature = "v=1; a=rsa-sha256; d=example.com; s=s1;\r\n\th=From:To:Subject:\r\n List-Unsubscribe : list-unsubscribe-post; bh=x; b=y";
        assert_eq!(
            signed_headers(signature),
            ["from", "to", "subject", "list-unsubscribe", "list-unsubscribe-post"]
        );
        assert!(signed_headers("v=1; b=x").is_empty());
    }
}
