//! The table of emails: the report's contents and the live UI's front page.
//!
//! The live page's script (`assets/live.js`) adds rows of the
//! same shape from the JSON API, so the two must agree: `<tr data-n>` with
//! the cells number, subject (the link), from, to, size, and on the live
//! page a last cell with a delete button (`button.delete[data-n]`). The
//! live page links relatively (`m/3`), so one page serves every namespace
//! of the server (`/`, `/ns/ci7/`).

use super::email_view::mailbox_list;
use super::html::Html;
use super::{Target, number, size};
use crate::email::Email;

pub(crate) fn write(out: &mut Html, emails: &[Email], target: Target) {
    out.tag("<table class=\"list\" id=\"messages\">\n<thead><tr><th>#</th><th>Subject</th><th>From</th>");
    out.tag("<th>To</th><th>Size</th>");
    if target == Target::Served {
        out.tag("<th></th>");
    }
    out.tag("</tr></thead>\n<tbody>\n");
    for (index, email) in emails.iter().enumerate() {
        let n = number(email, index);
        out.tag("<tr data-n=\"")
            .num(n)
            .tag("\"><td>")
            .num(n)
            .tag("</td><td><a href=\"")
            .text(&href(target, n));
        out.tag("\">");
        match email.subject() {
            Some(subject) => out.text(subject),
            None => out.tag("(no subject)"),
        };
        out.tag("</a></td><td>");
        mailbox_list(out, email.from());
        out.tag("</td><td>");
        mailbox_list(out, email.to());
        out.tag("</td><td>").text(&size(email.raw().len())).tag("</td>");
        if target == Target::Served {
            out.tag("<td><button type=\"button\" class=\"delete\" data-n=\"").num(n);
            out.tag("\" title=\"Delete this email\">Delete</button></td>");
        }
        out.tag("</tr>\n");
    }
    out.tag("</tbody>\n</table>\n");
    if emails.is_empty() {
        out.tag("<p class=\"none\" id=\"empty\">No email was captured.</p>\n");
    }
}

/// Where a row links: the email in the report, or its page beside the list.
fn href(target: Target, n: u64) -> String {
    match target {
        Target::File | Target::Page => target.email_href(n),
        Target::Served => format!("m/{n}"),
    }
}
