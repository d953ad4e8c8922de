//! Every criterion is both a query method and an `email.assert()` check,
//! and the two agree: a query keeps an email exactly when the check passes
//! on it, for each criterion and its negation.

use std::panic::{AssertUnwindSafe, catch_unwind};

use mailtest::{Email, EmailAssert, Outbox, Query, regex};

const RAW: &[u8] = b"From: Shop <shop@example.com>\r\nTo: Ann <ann@example.com>\r\nCc: boss@example.com\r\n\
    Reply-To: help@example.com\r\nSubject: Your order #1042\r\nX-Campaign: spring\r\n\
    Content-Type: multipart/mixed; boundary=b\r\n\r\n\
    --b\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n\
    --a\r\nContent-Type: text/plain\r\n\r\nHi Ann,\r\ntrack it: https://shop.example.com/track/1042\r\nThe team\r\n\
    --a\r\nContent-Type: text/html\r\n\r\n<p>Hi <b>Ann</b> &amp; co,</p><a href=\"https://shop.example.com/track/1042\">track</a>\r\n\
    --a--\r\n\
    --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=invoice.pdf\r\n\r\n%PDF\r\n--b--\r\n";

type Case = (&'static str, fn(Query) -> Query, fn(EmailAssert<'_>) -> EmailAssert<'_>);

/// Each criterion with an argument for which it holds on RAW, then one for
/// which it does not, in both places, and the negations.
fn cases() -> Vec<(Case, bool)> {
    macro_rules! both {
        ($name:literal, $holds:expr, $($call:tt)*) => {
            (($name, |q: Query| q.$($call)*, |e: EmailAssert<'_>| e.$($call)*), $holds)
        };
    }
    vec![
        both!("to", true, to("ann@example.com")),
        both!("not_to", false, not_to("ann@example.com")),
        both!("cc", true, cc("boss@example.com")),
        both!("not_cc", true, not_cc("ann@example.com")),
        both!("bcc", true, bcc("audit@example.com")),
        both!("not_bcc", false, not_bcc("audit@example.com")),
        both!("recipient", true, recipient("audit@example.com")),
        both!("not_recipient", false, not_recipient("boss@example.com")),
        both!("from", true, from("Shop <shop@example.com>")),
        both!("not_from", true, not_from("spam@example.com")),
        both!("reply_to", false, reply_to("noreply@example.com")),
        both!("not_reply_to", false, not_reply_to("help@example.com")),
        both!("subject", true, subject("Your order #1042")),
        both!("not_subject", false, not_subject(regex("#1042$"))),
        both!("subject_contains", false, subject_contains("shipped")),
        both!("not_subject_contains", true, not_subject_contains("shipped")),
        both!("text_contains", true, text_contains("track it")),
        both!("not_text_contains", false, not_text_contains(regex(r"track/\d+"))),
        both!("html_contains", true, html_contains("Hi Ann & co")),
        both!("not_html_contains", false, not_html_contains("<b>Ann</b>")),
        both!("body_contains", true, body_contains("The team")),
        both!("not_body_contains", true, not_body_contains("Goodbye")),
        both!("text_in_order", true, text_in_order(["Hi Ann", "track it", "The team"])),
        both!("not_text_in_order", true, not_text_in_order(["The team", "Hi Ann"])),
        both!("html_in_order", false, html_in_order(["co", "Hi"])),
        both!("not_html_in_order", false, not_html_in_order(["Hi", "co"])),
        both!("header", true, header("x-campaign", "spring")),
        both!("not_header", true, not_header("X-Campaign", "winter")),
        both!("has_header", false, has_header("List-Unsubscribe")),
        both!("no_header", true, no_header("List-Unsubscribe")),
        both!("has_attachment", true, has_attachment("invoice.pdf")),
        both!("not_has_attachment", false, not_has_attachment(regex(r"\.pdf$"))),
        both!("has_inline", false, has_inline("logo")),
        both!("not_has_inline", true, not_has_inline("logo")),
        both!("attachment_count", true, attachment_count(1)),
        both!("not_attachment_count", false, not_attachment_count(1)),
        both!("has_link", true, has_link("/track/1042")),
        both!("not_has_link", true, not_has_link("/unsubscribe")),
        both!("matching", true, matching(|email: &Email| email.links().len() == 1)),
        both!("not_matching", false, not_matching(|email: &Email| email.text().is_some())),
    ]
}

#[test]
fn every_criterion_is_a_query_method_and_a_check_and_they_agree() {
    let outbox = Outbox::new();
    outbox.capture_raw(
        Some("shop@example.com"),
        &["ann@example.com", "boss@example.com", "audit@example.com"],
        RAW,
    );
    let email = outbox.emails().remove(0);

    for ((name, query, check), holds) in cases() {
        let kept = query(outbox.find()).all().len() == 1;
        let passed = catch_unwind(AssertUnwindSafe(|| {
            let _checked = check(email.assert());
        }))
        .is_ok();

        assert_eq!(kept, holds, "{name} on a query");
        assert_eq!(passed, holds, "{name} on an email");
    }
}
