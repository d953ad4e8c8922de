//! Whole pages: the report (`index.html`) and the two pages of the live UI.

use super::embed::Budget;
use super::html::{self, Html};
use super::on_failure::Reported;
use super::{Target, email_view, list, number};
use crate::email::Email;

/// The policy of every page: styles and `data:` media only, no script, no
/// remote load. A `srcdoc` frame inherits it, on top of its own.
pub const REPORT_POLICY: &str = "default-src 'none'; img-src data:; media-src data:; font-src data:; \
     style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

/// The live list's policy: the report's, plus its own script and the
/// requests that script makes to the server that sent it.
pub const LIVE_POLICY: &str = "default-src 'none'; img-src data:; media-src data:; font-src data:; \
     style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; script-src 'self'; connect-src 'self'";

const STYLE: &str = include_str!("assets/report.css");

/// The script of the live list, served at `/live.js`.
pub const LIVE_SCRIPT: &str = include_str!("assets/live.js");

fn head(out: &mut Html, policy: &'static str, title: &str) {
    out.tag("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.tag("<meta http-equiv=\"Content-Security-Policy\" content=\"").tag(policy).tag("\">\n");
    out.tag("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.tag("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.tag("<title>").text(title).tag("</title>\n<style>\n").tag(STYLE).tag("</style>\n</head>\n<body>\n");
}

fn count_label(count: usize) -> String {
    if count == 1 { "1 email".to_owned() } else { format!("{count} emails") }
}

/// The report: the failure first, then the list, then every email in full.
pub(crate) fn report(emails: &[Email], failure: Option<&str>, target: Target) -> String {
    let mut out = Html::new();
    let title = match failure.and_then(|text| text.lines().next()) {
        Some(headline) => format!("mailtest report: {headline}"),
        None => format!("mailtest report: {}", count_label(emails.len())),
    };
    head(&mut out, REPORT_POLICY, &title);
    out.tag("<h1>mailtest report: ").text(&count_label(emails.len())).tag(" captured</h1>\n");
    if let Some(failure) = failure {
        out.tag("<section class=\"failure\">\n<h2>Why the test failed</h2>\n<pre>").text(failure);
        out.tag("</pre>\n</section>\n");
    }
    list::write(&mut out, emails, target);
    let mut budget = Budget::new();
    for (index, email) in emails.iter().enumerate() {
        email_view::write(&mut out, email, number(email, index), target, &mut budget);
    }
    out.tag("</body>\n</html>\n");
    out.finish()
}

/// What a report page says of itself, read back from its start (`head`:
/// the first bytes of the file; the heading and the failure's first line
/// come right after the stylesheet): how many emails it shows and, when an
/// assertion failed, the failure's first line. `None` when it is not a
/// report this module wrote.
pub(crate) fn read_report_head(head: &str) -> Option<(usize, Option<String>)> {
    let count = head.split_once("<h1>mailtest report: ")?.1.split_once(' ')?.0;
    let emails = count.parse().ok()?;
    let headline = head
        .split_once("<section class=\"failure\">\n<h2>Why the test failed</h2>\n<pre>")
        .map(|(_, failure)| failure.split(['\n', '<']).next().unwrap_or_default())
        .map(html::unescape);
    Some((emails, headline))
}

/// What the live list adds to the report's style: the namespaces and the
/// search box.
const LIVE_STYLE: &str = "<style>\nnav.namespaces { margin: -0.4em 0 1em; color: #57606a; }\n\
    nav.namespaces a[aria-current] { font-weight: 600; color: inherit; }\n\
    #search { font: inherit; flex: 1; max-width: 40em; padding: 0.25em 0.6em; border: 1px solid var(--line); \
    border-radius: 6px; }\n#search-error { color: var(--bad); }\n\
    table.list button.delete { font: inherit; font-size: 0.9em; padding: 0 0.5em; border: 1px solid var(--line); \
    border-radius: 6px; background: #fff; cursor: pointer; }\n</style>\n";

/// The live UI's front page for namespace `namespace`: the list (what
/// `search` finds, when it is not empty), every namespace with its count,
/// and a search box, kept current by `live.js`. Links are relative, so the
/// page works at `/` and at `/ns/{namespace}/` alike; the first of
/// `namespaces` is the default one, served at `/`.
pub fn live_list(emails: &[Email], namespace: &str, namespaces: &[(String, usize)], search: &str) -> String {
    let mut out = Html::new();
    head(&mut out, LIVE_POLICY, &format!("mailtest: {namespace}"));
    out.tag(LIVE_STYLE);
    out.tag("<h1>mailtest: <span id=\"count\">").num(emails.len() as u64).tag("</span> in ");
    out.tag("<span id=\"namespace\">").text(namespace).tag("</span></h1>\n");
    out.tag("<nav class=\"namespaces\">Namespaces:");
    for (index, (name, count)) in namespaces.iter().enumerate() {
        out.tag(if index == 0 { " " } else { " · " });
        let link = if index == 0 { "/".to_owned() } else { format!("/ns/{name}/") };
        out.tag("<a href=\"").text(&link).tag("\"");
        if name == namespace {
            out.tag(" aria-current=\"page\"");
        }
        out.tag(">").text(name).tag("</a> (").num(*count as u64).tag(")");
    }
    out.tag("</nav>\n<div class=\"toolbar\"><input type=\"search\" id=\"search\" name=\"q\" value=\"");
    out.text(search)
        .tag("\" placeholder=\"from:ann to:+ci7 subject:&quot;order 42&quot; text:refund header:X-Tag=a\"");
    out.tag(" aria-label=\"Search\"><button type=\"button\" id=\"clear\">Delete all</button>");
    out.tag("<span id=\"status\">connecting…</span></div>\n<p id=\"search-error\" hidden></p>\n");
    list::write(&mut out, emails, Target::Served);
    out.tag("<script src=\"/live.js\"></script>\n</body>\n</html>\n");
    out.finish()
}

/// One email of the live UI, as the report shows it. Its links are
/// relative (`../` the list, `03.eml` the bytes beside the page), so it
/// serves every namespace.
pub fn live_email(email: &Email, n: u64) -> String {
    let mut out = Html::new();
    let title = format!("mailtest #{n}: {}", email.subject().unwrap_or("(no subject)"));
    head(&mut out, REPORT_POLICY, &title);
    out.tag("<nav class=\"top\"><a href=\"../\">← all emails</a></nav>\n");
    email_view::write(&mut out, email, n, Target::File, &mut Budget::new());
    out.tag("</body>\n</html>\n");
    out.finish()
}

/// The run's index: one row per test that left a report, linking to it.
pub(crate) fn run_index(reported: &[&Reported]) -> String {
    let mut out = Html::new();
    let tests = if reported.len() == 1 { "1 test".to_owned() } else { format!("{} tests", reported.len()) };
    head(&mut out, REPORT_POLICY, &format!("mailtest reports: {tests}"));
    out.tag("<h1>mailtest reports: ").text(&tests).tag("</h1>\n");
    if reported.is_empty() {
        out.tag("<p class=\"none\">No test left a mail report.</p>\n</body>\n</html>\n");
        return out.finish();
    }
    out.tag("<table class=\"list\" id=\"reports\">\n<thead><tr><th>Package</th><th>Test binary</th>");
    out.tag("<th>Test</th><th>Emails</th><th>Why it failed</th></tr></thead>\n<tbody>\n");
    for report in reported {
        out.tag("<tr><td>").text(&report.package).tag("</td><td>").text(&report.binary);
        out.tag("</td><td><a href=\"").text(&format!("{}/index.html", report.folder())).tag("\">");
        out.text(&report.test).tag("</a></td><td>").num(report.emails as u64).tag("</td><td>");
        match &report.headline {
            Some(headline) => out.tag("<code>").text(headline).tag("</code>"),
            None => out.tag("<span class=\"none\">the test failed outside mailtest's assertions</span>"),
        };
        out.tag("</td></tr>\n");
    }
    out.tag("</tbody>\n</table>\n</body>\n</html>\n");
    out.finish()
}
