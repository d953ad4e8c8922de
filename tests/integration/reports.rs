//! The wording of failure reports, pinned with insta snapshots (in the
//! top-level `snapshots/` folder): a change to a report is reviewed like
//! any other output.
//!
//! A report lists only its own test's refused sends, so these run beside
//! the tests that make refusals (whose recipients are their own); reports
//! that list refusals are pinned in `refusals/`.

use std::time::Duration;

use mailtest::{Email, Failure, Outbox, regex};

/// Pins a report; the line naming the HTML report keeps its test folder but
/// not the machine's target directory.
pub(crate) fn snapshot(name: &str, report: &str) {
    let machine = regex_lite::Regex::new(r"(?m)^mailtest report: .*[/\\]mailtest[/\\]").unwrap();
    let report = machine.replace_all(report, "mailtest report: [target]/mailtest/");
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, report);
    });
}

/// The panic message of `f`, which must panic.
fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f).expect_err("the closure should panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// Three ordinary emails: two welcomes and an invoice.
fn shop_outbox() -> Outbox {
    let outbox = Outbox::new();
    outbox.capture_raw(
        Some("shop@example.com"),
        &["ann@example.com", "audit@example.com"],
        b"From: Shop <shop@example.com>\r\nTo: Ann <ann@example.com>\r\nSubject: Welcome, Ann!\r\n\r\n\
          Hi Ann,\r\nconfirm your address: https://shop.example.com/confirm?t=1\r\n",
    );
    outbox.capture_raw(
        Some("shop@example.com"),
        &["bob@example.com"],
        b"From: Shop <shop@example.com>\r\nTo: bob@example.com\r\nSubject: Welcome, Bob!\r\n\r\nHi Bob\r\n",
    );
    outbox.capture_raw(
        Some("billing@example.com"),
        &["ann@example.com"],
        b"From: billing@example.com\r\nTo: ann@example.com\r\nSubject: Your invoice\r\n\
          Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n\
          <p>Dear O&#039;Connor &amp; partners,</p><p>your invoice is attached.</p>\r\n\
          --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=invoice-0042.pdf\r\n\r\n\
          %PDF\r\n--b--\r\n",
    );
    outbox
}

fn failure(result: Result<impl std::fmt::Debug, Failure>) -> String {
    result.expect_err("the expectation should fail").report().to_owned()
}

#[test]
fn one_with_no_match_lists_the_closest_first() {
    let report = failure(shop_outbox().find().to("ann@example.com").subject("Welcome, Anne!").try_one());
    snapshot("one_no_match_closest_first", &report);
}

#[test]
fn one_on_an_empty_outbox_gives_hints() {
    let report = failure(Outbox::new().find().to("ann@example.com").try_one());
    snapshot("one_empty_outbox_hints", &report);
}

#[test]
fn one_with_two_matches_lists_both_first() {
    let report = failure(shop_outbox().find().subject_contains("Welcome").try_one());
    snapshot("one_two_matches", &report);
}

#[test]
fn count_with_too_few() {
    let report = failure(shop_outbox().find().from("shop@example.com").try_count(3));
    snapshot("count_too_few", &report);
}

#[test]
fn none_when_one_matches() {
    let report = failure(shop_outbox().find().to("bob@example.com").try_none());
    snapshot("none_but_one_matched", &report);
}

#[test]
fn at_least_with_too_few() {
    let report = failure(shop_outbox().find().has_attachment(regex(r"\.pdf$")).try_at_least(2));
    snapshot("at_least_too_few", &report);
}

#[test]
fn waiting_that_times_out_says_how_long_it_waited() {
    let report = failure(shop_outbox().find().subject("Shipped").within(Duration::from_millis(30)).try_one());
    snapshot("within_timed_out", &report);
}

#[test]
fn a_long_subject_is_shown_as_a_diff() {
    let outbox = Outbox::new();
    outbox.capture_raw(
        None,
        &["ann@example.com"],
        b"Subject: Your order #1042 has shipped and will arrive on Tuesday\r\n\r\n.",
    );
    let report =
        failure(outbox.find().subject("Your order #1042 has shipped and will arrive on Monday").try_one());
    snapshot("long_subject_diff", &report);
}

#[test]
fn text_contains_quotes_the_text_it_searched() {
    let report =
        failure(shop_outbox().find().to("ann@example.com").text_contains("reset your password").try_one());
    snapshot("text_contains_quotes_text", &report);
}

#[test]
fn html_contains_shows_the_decoded_html() {
    let report = failure(shop_outbox().find().html_contains("O'Connor & Partners").try_one());
    snapshot("html_contains_decoded", &report);
}

#[test]
fn html_contains_with_markup_shows_the_markup_it_searched() {
    let report =
        failure(shop_outbox().find().from("billing@example.com").html_contains("<b>partners</b>").try_one());
    snapshot("html_contains_markup", &report);
}

#[test]
fn a_recipient_only_in_bcc_is_pointed_to_bcc() {
    let report = failure(shop_outbox().find().to("audit@example.com").try_one());
    snapshot("hint_bcc_recipient", &report);
}

#[test]
fn not_to_passes_for_a_bcc_recipient_and_not_recipient_fails_naming_the_fields_it_read() {
    let outbox = shop_outbox();
    // `to:` reads the To header only: audit@ got the welcome as a blind copy.
    mailtest::assert_not_sent!(outbox, to: "audit@example.com");
    let message = panic_message(|| mailtest::assert_not_sent!(outbox, recipient: "audit@example.com"));
    snapshot("not_recipient_bcc_only", &message);
}

#[test]
fn a_local_part_that_differs_only_in_case_says_so() {
    let report = failure(shop_outbox().find().to("Bob@example.com").try_one());
    snapshot("hint_local_part_case", &report);
}

#[test]
fn an_address_under_another_name_says_which() {
    let report =
        failure(shop_outbox().find().to("Anne <ann@example.com>").subject("Welcome, Ann!").try_one());
    snapshot("hint_other_name", &report);
}

#[test]
fn email_assert_names_the_field_an_address_is_in() {
    let email = shop_outbox().emails().remove(0);
    let message = panic_message(move || {
        email.assert().cc("audit@example.com");
    });
    snapshot("email_assert_hint_bcc", &message);
}

#[test]
fn header_and_negative_criteria() {
    let report =
        failure(shop_outbox().find().not_to("ann@example.com").header("X-Campaign", "spring").try_one());
    snapshot("header_and_not_to", &report);
}

#[test]
fn a_malformed_email_shows_its_problem() {
    let outbox = Outbox::new();
    outbox.capture_raw(None, &["ann@example.com"], b"Subject: =?utf-8?B?####?=\r\n\r\nbody");
    let report = failure(outbox.find().subject("Welcome").try_one());
    snapshot("malformed_email_problem", &report);
}

#[test]
fn a_crowded_outbox_lists_twenty_and_summarises_the_rest() {
    let outbox = Outbox::new();
    for n in 1..=25 {
        let raw = format!("To: user{n}@example.com\r\nSubject: Notice {n}\r\n\r\n.");
        outbox.capture_raw(None, &[&format!("user{n}@example.com")], raw.as_bytes());
    }
    let report = failure(outbox.find().to("user7@example.com").subject("Notice 8").try_one());
    snapshot("crowded_outbox", &report);
}

#[test]
fn email_assert_subject_mismatch() {
    let email = shop_outbox().emails().remove(0);
    let message = panic_message(|| {
        let _ = email.assert().subject("Welcome, Anne!");
    });
    snapshot("email_assert_subject", &message);
}

#[test]
fn email_assert_text_out_of_order() {
    let email = shop_outbox().emails().remove(0);
    let message = panic_message(|| {
        let _ = email.assert().text_in_order(["confirm your address", "Hi Ann"]);
    });
    snapshot("email_assert_text_in_order", &message);
}

#[test]
fn email_assert_attachment_content_type() {
    let email = shop_outbox().emails().remove(2);
    let message = panic_message(|| {
        let _ = email.assert().attachment("invoice-0042.pdf", |pdf| pdf.content_type("application/zip"));
    });
    snapshot("email_assert_attachment_content_type", &message);
}

#[test]
fn email_assert_attachment_reports_every_failed_check_of_the_part() {
    let email = shop_outbox().emails().remove(2);
    let message = panic_message(|| {
        let _ = email.assert().attachment("invoice-0042.pdf", |pdf| {
            pdf.content_type("application/zip").size(4).inline().content_id("invoice")
        });
    });
    snapshot("email_assert_attachment_every_failed_check", &message);
}

#[test]
fn email_assert_link_matching_without_a_match() {
    let email =
        Email::from_raw("Subject: Hi\r\n\r\nSee https://example.com/help and https://example.com/about");
    let message = panic_message(|| {
        let _ = email.assert().link_matching("/reset");
    });
    snapshot("email_assert_link_matching", &message);
}

#[test]
fn strict_capture_names_unasserted_emails() {
    let message = panic_message(|| {
        let mail = mailtest::capture().strict();
        mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\n.");
        mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Surprise\r\n\r\n.");
        mail.find().subject("Welcome").one();
    });
    // The exact line and column are pinned by tests/locations; here, the wording.
    let (location, report) = message.split_once(": ").expect("the location comes first");
    let file = location.split(':').next().unwrap_or_default();
    snapshot("strict_unasserted", &format!("{file}:[line]:[column]: {report}"));
}

#[test]
fn macro_with_nothing_bound() {
    let message = panic_message(|| {
        mailtest::assert_sent!(to: "ann@example.com");
    });
    snapshot("macro_nothing_bound", &message);
}

#[test]
fn assert_count_lists_what_was_captured() {
    let outbox = shop_outbox();
    let message = panic_message(move || outbox.assert_count(2));
    snapshot("assert_count", &message);
}
