//! The table of emails: the report's contents and the live UI's front page.
//!
//! The live page's script (`live.js`) adds rows of the same shape from the
//! JSON API, so the two must agree: `<tr data-n>` with the cells number,
//! subject (the link), from, to, size.

use super::email_view::mailbox_list;
use super::html::Html;
use super::{Target, number, size};
use crate::email::Email;

pub(crate) fn write(out: &mut Html, emails: &[Email], target: Target) {
    out.tag("<table class=\"list\" id=\"messages\">\n<thead><tr><th>#</th><th>Subject</th><th>From</th>");
    out.tag("<th>To</th><th>Size</th></tr></thead>\n<tbody>\n");
    for (index, email) in emails.iter().enumerate() {
        let n = number(email, index);
        out.tag("<tr data-n=\"")
            .num(n)
            .tag("\"><td>")
            .num(n)
            .tag("</td><td><a href=\"")
            .text(&target.email_href(n));
        out.tag("\">");
        match email.subject() {
            Some(subject) => out.text(subject),
            None => out.tag("(no subject)"),
        };
        out.tag("</a></td><td>");
        mailbox_list(out, email.from());
        out.tag("</td><td>");
        mailbox_list(out, email.to());
        out.tag("</td><td>").text(&size(email.raw().len())).tag("</td></tr>\n");
    }
    out.tag("</tbody>\n</table>\n");
    if emails.is_empty() {
        out.tag("<p class=\"none\" id=\"empty\">No email was captured.</p>\n");
    }
}
