//! One email, as the report and `/m/{n}` show it: headers, the rendered HTML
//! at three widths, then every other view in a `<details>` of its own.

use super::embed::{Budget, PART_LIMIT};
use super::frame;
use super::html::Html;
use super::{Target, size};
use crate::email::Email;
use mailtest_mime::url::Url;
use mailtest_mime::{Mailbox, MimePart, Presentation};

/// Writes the `<article id="m-N">` of one email.
pub(crate) fn write(out: &mut Html, email: &Email, n: u64, target: Target, budget: &mut Budget) {
    let shown = email.presentation();
    out.tag("<article class=\"email\" id=\"m-")
        .num(n)
        .tag("\">\n<h2><span class=\"n\">#")
        .num(n)
        .tag("</span> ");
    match shown.subject() {
        Some(subject) => out.text(subject),
        None => out.tag("<span class=\"none\">(no subject)</span>"),
    };
    out.tag("</h2>\n");
    headers(out, &shown);
    let srcdoc = frame::srcdoc(email, budget);
    if let Some(srcdoc) = &srcdoc {
        viewer(out, n, srcdoc);
    }
    out.tag("<details class=\"text\"")
        .tag(if srcdoc.is_none() { " open" } else { "" })
        .tag("><summary>Text</summary>");
    match shown.text() {
        Some(text) => out.tag("<pre>").text(text).tag("</pre>"),
        None => out.tag("<p class=\"none\">(no text part)</p>"),
    };
    out.tag("</details>\n");
    if let Some(html) = shown.html() {
        out.tag("<details class=\"source\"><summary>HTML source</summary><pre>")
            .text(html)
            .tag("</pre></details>\n");
    }
    out.tag("<details class=\"raw-headers\"><summary>Raw headers</summary><pre>")
        .text(&raw_headers(email.raw()))
        .tag("</pre></details>\n");
    out.tag("<details class=\"mime\"><summary>MIME tree</summary><ul class=\"tree\">");
    mime_part(out, shown.mime_tree());
    out.tag("</ul></details>\n");
    attachments(out, &shown, n, target, budget);
    links(out, &shown.links());
    problems(out, &shown.problems().collect::<Vec<_>>());
    lints(out, email);
    out.tag("<p class=\"eml\"><a download");
    if target == Target::Page {
        // A `data:` URI has no name of its own to save under.
        out.tag("=\"").text(&super::eml_name(n)).tag("\"");
    }
    out.tag(" href=\"").text(&target.eml_href(email, n)).tag("\">");
    out.text(&super::eml_name(n))
        .tag("</a> the message as captured, ")
        .text(&size(email.raw().len()))
        .tag("</p>\n");
    out.tag("</article>\n");
}

fn headers(out: &mut Html, email: &Presentation<'_>) {
    out.tag("<table class=\"headers\">\n");
    let rows: [(&'static str, &[Mailbox]); 5] = [
        ("From", email.from()),
        ("To", email.to()),
        ("Cc", email.cc()),
        ("Bcc", email.bcc()),
        ("Reply-To", email.reply_to()),
    ];
    for (name, mailboxes) in rows {
        if !mailboxes.is_empty() || name == "From" || name == "To" {
            out.tag("<tr><th>").tag(name).tag("</th><td>");
            mailbox_list(out, mailboxes);
            out.tag("</td></tr>\n");
        }
    }
    for name in ["Date", "Message-ID"] {
        if let Some(value) = email.header(name) {
            out.tag("<tr><th>").tag(name).tag("</th><td>").text(value).tag("</td></tr>\n");
        }
    }
    if email.envelope_differs() {
        out.tag("<tr class=\"envelope\"><th>Envelope</th><td>MAIL FROM ");
        out.text(email.envelope_from().map_or("<>", |from| from)).tag("<br>RCPT TO ");
        out.text(&email.envelope_to().join(", ")).tag("</td></tr>\n");
    }
    out.tag("</table>\n");
}

pub(crate) fn mailbox_list(out: &mut Html, mailboxes: &[Mailbox]) {
    if mailboxes.is_empty() {
        out.tag("<span class=\"none\">(none)</span>");
    }
    for (i, mailbox) in mailboxes.iter().enumerate() {
        if i > 0 {
            out.tag(", ");
        }
        out.text(&mailbox.to_string());
    }
}

/// The rendered HTML in a sandboxed frame, with a phone / tablet / full
/// width switch made of radio buttons and CSS, so it needs no JavaScript.
fn viewer(out: &mut Html, n: u64, srcdoc: &str) {
    out.tag("<div class=\"viewer\">\n");
    for (id, label, checked) in
        [("phone", "Phone", ""), ("tablet", "Tablet", ""), ("full", "Full width", " checked")]
    {
        out.tag("<input type=\"radio\" class=\"w-")
            .tag(id)
            .tag("\" name=\"w-")
            .num(n)
            .tag("\" id=\"w-")
            .num(n);
        out.tag("-")
            .tag(id)
            .tag("\"")
            .tag(checked)
            .tag("><label for=\"w-")
            .num(n)
            .tag("-")
            .tag(id)
            .tag("\">");
        out.tag(label).tag("</label>\n");
    }
    out.tag("<div class=\"frame\"><iframe title=\"HTML body of #")
        .num(n)
        .tag("\" sandbox=\"")
        .tag(frame::SANDBOX);
    out.tag("\" referrerpolicy=\"no-referrer\" srcdoc=\"").text(srcdoc).tag("\"></iframe></div>\n</div>\n");
}

/// The header block exactly as captured (up to the first empty line).
fn raw_headers(raw: &[u8]) -> String {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n"))
        .unwrap_or(raw.len());
    String::from_utf8_lossy(&raw[..end]).replace("\r\n", "\n")
}

fn mime_part(out: &mut Html, part: &MimePart) {
    out.tag("<li><code>").text(part.content_type()).tag("</code>");
    let details = [
        ("charset", part.charset()),
        ("disposition", part.disposition()),
        ("filename", part.filename()),
        ("content-id", part.content_id()),
        ("encoding", part.transfer_encoding()),
    ];
    for (name, value) in details {
        if let Some(value) = value {
            out.tag(" <span class=\"attr\">").tag(name).tag("=").text(value).tag("</span>");
        }
    }
    if part.children().is_empty() {
        out.tag(" <span class=\"size\">").text(&size(part.size())).tag("</span>");
    } else {
        out.tag("<ul>");
        for child in part.children() {
            mime_part(out, child);
        }
        out.tag("</ul>");
    }
    out.tag("</li>");
}

fn attachments(out: &mut Html, email: &Presentation<'_>, n: u64, target: Target, budget: &mut Budget) {
    let parts = email.attachments();
    out.tag("<details class=\"attachments\"").tag(if parts.is_empty() { "" } else { " open" });
    out.tag("><summary>Attachments (").num(parts.len() as u64).tag(")</summary>");
    if parts.is_empty() {
        out.tag("<p class=\"none\">(none)</p></details>\n");
        return;
    }
    out.tag("<ul>\n");
    for (i, part) in parts.iter().enumerate() {
        let name = part.filename().map_or_else(|| format!("part-{}", i + 1), str::to_owned);
        out.tag("<li>");
        // Offered for download as bytes: a downloaded file never renders as a page.
        match budget.data_uri("application/octet-stream", part.content()) {
            Some(uri) => out
                .tag("<a download=\"")
                .text(&name)
                .tag("\" href=\"")
                .text(&uri)
                .tag("\">")
                .text(&name)
                .tag("</a>"),
            None => out.text(&name),
        };
        out.tag(" <code>").text(part.content_type()).tag("</code> ").text(&size(part.size()));
        if part.is_inline() {
            out.tag(" inline");
        }
        if let Some(cid) = part.content_id() {
            out.tag(" <span class=\"attr\">cid:").text(cid).tag("</span>");
            if !email.html().is_some_and(|html| frame::is_referenced(html, cid)) {
                out.tag(" (not referenced by the HTML)");
            }
        }
        if part.size() > PART_LIMIT {
            out.tag(" — too large to embed (over ").text(&size(PART_LIMIT)).tag("): in <a href=\"");
            // The email is larger still, so its `.eml` is a file for every target.
            out.text(&target.eml_file_href(n)).tag("\">").text(&super::eml_name(n)).tag("</a>");
        }
        out.tag("</li>\n");
    }
    out.tag("</ul></details>\n");
}

/// The URLs, as text: only `http(s)` and `mailto` are clickable, and they
/// open in a new tab without a referrer.
fn links(out: &mut Html, links: &[String]) {
    out.tag("<details class=\"links\"><summary>Links (").num(links.len() as u64).tag(")</summary>");
    if links.is_empty() {
        out.tag("<p class=\"none\">(none)</p></details>\n");
        return;
    }
    out.tag("<ol>\n");
    for link in links {
        let clickable = Url::parse(link)
            .is_some_and(|url| (url.is_web() && !url.host.is_empty()) || url.scheme == "mailto");
        out.tag("<li>");
        if clickable {
            out.tag("<a rel=\"noopener noreferrer\" target=\"_blank\" href=\"").text(link).tag("\">");
            out.text(link).tag("</a>");
        } else {
            out.tag("<code>").text(link).tag("</code>");
        }
        out.tag("</li>\n");
    }
    out.tag("</ol></details>\n");
}

fn problems(out: &mut Html, problems: &[&str]) {
    out.tag("<details class=\"problems\"").tag(if problems.is_empty() { "" } else { " open" });
    out.tag("><summary>Problems (").num(problems.len() as u64).tag(")</summary>");
    if problems.is_empty() {
        out.tag("<p class=\"none\">(none: the message was read without trouble)</p></details>\n");
        return;
    }
    out.tag("<ul>\n");
    for problem in problems {
        out.tag("<li>").text(problem).tag("</li>\n");
    }
    out.tag("</ul></details>\n");
}

/// The offline checks of `Email::lint()`, as rustc-style diagnostics; open
/// when one is an error.
fn lints(out: &mut Html, email: &Email) {
    let lints = email.lint();
    let (errors, warnings) = (lints.error_count(), lints.warning_count());
    out.tag("<details class=\"lints\"").tag(if errors > 0 { " open" } else { "" });
    out.tag("><summary>Lints (").num(errors as u64).tag(if errors == 1 { " error, " } else { " errors, " });
    out.num(warnings as u64).tag(if warnings == 1 { " warning)" } else { " warnings)" }).tag("</summary>");
    if lints.is_empty() {
        out.tag("<p class=\"none\">(none: lint-clean)</p></details>\n");
        return;
    }
    // `{}` is the plain rendering; colour is only ever `{:#}`.
    out.tag("<pre>").text(&lints.to_string()).tag("</pre></details>\n");
}
