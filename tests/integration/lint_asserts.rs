//! Lints as assertions: `lints_clean`, `lints_clean_with` and its
//! configuration, `outbox.assert_lints_clean`, strict captures, the inline
//! part checks, and lettre's own output. Failure reports are pinned as
//! snapshots in `snapshots/`.

use std::panic::catch_unwind;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart};
use mailtest::lint::{Profile, Severity};
use mailtest::{Email, LintConfig, Outbox};

use super::assertions::panic_message;
use super::lint_fixtures::{Mail, html_page, snapshot};

/// Three captured emails: one clean, one with a broken image and a
/// localhost link, one without a Message-ID.
fn outbox() -> Outbox {
    let outbox = Outbox::new();
    let capture = |mail: Mail| outbox.capture_raw(Some("app@example.com"), &["ann@example.com"], &mail.raw());
    capture(Mail::clean());
    capture(Mail::clean().header("Subject", "Your order").text(Some("Your order: http://localhost:3000/orders/42\n")).html(Some(&html_page(
        "<img src=\"cid:logo\" alt=\"Acme\">\n<p><a href=\"http://localhost:3000/orders/42\">Your order</a></p>",
    ))));
    capture(Mail::clean().header("Subject", "Welcome").without("Message-ID").text(None));
    outbox
}

#[test]
fn lints_clean_passes_a_clean_email_and_reports_every_lint_of_a_broken_one() {
    let outbox = outbox();
    let emails = outbox.emails();
    emails[0].assert().lints_clean().subject("Reset your password");

    let failure = emails[1].assert().try_lints_clean().expect_err("a broken image and a localhost link");
    snapshot("lints_clean_failure", failure.report());

    let message = panic_message(|| {
        emails[1].assert().lints_clean();
    });
    let (report, written) = message.split_once("\n\nmailtest report: ").expect("the HTML report's line");
    assert_eq!(report, failure.report(), "the panic is the report, then where its HTML is");
    assert!(written.ends_with(
        "lint_asserts.lints_clean_passes_a_clean_email_and_reports_every_lint_of_a_broken_one/index.html"
    ));
}

#[test]
fn warnings_fail_only_when_denied() {
    let email = Mail::clean().text(None).email();
    assert_eq!(email.lint().codes(), ["html-without-text"]);
    email.assert().lints_clean();

    let denied = LintConfig::new().deny_warnings();
    let failure = email.assert().try_lints_clean_with(&denied).expect_err("the warning is denied");
    assert!(
        failure.report().starts_with(
            "#1 from Acme <app@example.com> to Ann <ann@example.com>: \"Reset your password\" is not lint-clean: 1 error\n\
             (warnings denied)\n\nerror[html-without-text]"
        ),
        "{}",
        failure.report()
    );
}

#[test]
fn allow_leaves_codes_out_and_a_misspelt_code_names_the_closest() {
    let email = outbox().emails().remove(1);
    let config = LintConfig::new().allow(["dangling-cid", "localhost-url"]);
    assert!(email.lint_with(&config).is_empty());
    email.assert().lints_clean_with(&config);

    let message = panic_message(|| drop(LintConfig::new().allow(["dangling-cids"])));
    snapshot("lint_allow_unknown_code", &message);
}

#[test]
fn base_url_turns_links_elsewhere_into_errors_and_rejects_a_bad_base() {
    let email = Mail::clean().email();
    email.assert().lints_clean_with(&LintConfig::new().base_url("https://app.example.com/"));
    let elsewhere =
        LintConfig::new().base_url("https://www.example.com").base_url("https://help.example.com");
    let lints = email.lint_with(&elsewhere);
    assert_eq!(lints.codes(), ["off-base-url", "off-base-url"]);
    assert_eq!(
        lints.iter().next().unwrap().help(),
        Some("did you mean `https://www.example.com/reset?token=9f8e`?")
    );
    assert!(
        lints.iter().next().unwrap().notes()[0]
            .contains("links must start with https://www.example.com or https://help.example.com")
    );

    let message = panic_message(|| drop(LintConfig::new().base_url("app.example.com")));
    assert_eq!(
        message,
        "LintConfig::base_url: `app.example.com` is not an absolute http(s) URL; write it as `https://app.example.com`"
    );
}

#[test]
fn the_bulk_profile_requires_one_click_unsubscribe() {
    let email = Mail::clean().email();
    email.assert().lints_clean();
    let bulk = LintConfig::new().profile(Profile::Bulk);
    let lints = email.lint_with(&bulk);
    assert_eq!(lints.codes(), ["one-click-unsubscribe"]);
    assert_eq!(lints.iter().next().unwrap().message(), "the email has no List-Unsubscribe header");
    assert!(email.assert().try_lints_clean_with(&bulk).unwrap_err().report().contains("(profile: bulk)"));
}

#[test]
fn assert_lints_clean_reports_every_email_that_is_not_clean_at_once() {
    let outbox = outbox();
    let failure = outbox.try_assert_lints_clean().expect_err("two emails are broken");
    snapshot("outbox_lints_report", failure.report());

    let lenient = LintConfig::new().allow(["dangling-cid", "localhost-url", "missing-message-id"]);
    outbox.assert_lints_clean_with(&lenient);
    Outbox::new().assert_lints_clean();
}

#[test]
fn a_strict_capture_checks_lints_at_drop_and_says_both_what_was_unasserted_and_unclean() {
    let message = panic_message(|| {
        let mail = mailtest::capture().strict().strict_lints();
        let outbox = outbox();
        for email in outbox.emails() {
            mail.capture_raw(Some("app@example.com"), &["ann@example.com"], email.raw());
        }
        mail.find().subject("Reset your password").one();
        mail.find().subject("Your order").one();
    });
    // The exact line and column are pinned by tests/locations; here, the wording.
    let (location, report) = message.split_once(": ").expect("the location comes first");
    let file = location.split(':').next().unwrap_or_default();
    snapshot("strict_lints_drop", &format!("{file}:[line]:[column]: {report}"));

    // Clean mail, or the codes allowed: nothing at drop.
    let mail = mailtest::capture().strict_lints_with(LintConfig::new().allow(["missing-message-id"]));
    mail.capture_raw(None, &["ann@example.com"], &Mail::clean().without("Message-ID").raw());
}

#[test]
fn a_strict_lint_capture_does_not_panic_twice_when_the_test_already_failed() {
    let outcome = catch_unwind(|| {
        let mail = mailtest::capture().strict_lints();
        mail.capture_raw(None, &["ann@example.com"], b"Subject: no message id\r\n\r\n.");
        panic!("the test's own failure");
    });
    assert_eq!(outcome.unwrap_err().downcast_ref::<&str>(), Some(&"the test's own failure"));
}

#[test]
fn many_lints_of_one_code_fold_into_one_line() {
    let images: String =
        (1..=12).map(|n| format!("<img src=\"https://cdn.example.com/{n}.png\">\n")).collect();
    let email = Mail::clean().html(Some(&html_page(&images))).email();
    let lints = email.lint();
    assert_eq!(lints.len(), 12);
    assert_eq!(lints.warning_count(), 12);
    snapshot("lints_folded", &lints.to_string());
}

#[test]
fn colour_is_the_alternate_form_and_changes_no_word() {
    let lints = outbox().emails()[1].lint();
    let plain = lints.to_string();
    let colored = format!("{lints:#}");
    assert!(!plain.contains('\x1b'));
    assert!(colored.contains("\x1b[1;31merror[dangling-cid]\x1b[0m"), "{colored}");
    let ansi = regex_lite::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    assert_eq!(ansi.replace_all(&colored, ""), plain);
    assert!(format!("{:#}", lints.iter().next().unwrap()).contains('\x1b'));
}

#[test]
fn lints_are_values_to_iterate_and_count() {
    let lints = outbox().emails()[1].lint();
    assert_eq!(lints.codes(), ["dangling-cid", "localhost-url", "localhost-url"]);
    assert_eq!((lints.error_count(), lints.warning_count(), lints.len()), (3, 0, 3));
    assert!(lints.contains("localhost-url") && !lints.contains("gmail-clip"));
    let by_ref: Vec<Severity> = (&lints).into_iter().map(|lint| lint.severity()).collect();
    assert_eq!(by_ref, [Severity::Error, Severity::Error, Severity::Error]);
    let owned: Vec<String> = lints.into_iter().map(|lint| lint.location().unwrap().to_string()).collect();
    assert_eq!(owned, ["text/html line 4", "text/html line 5", "text/plain line 1"]);
}

#[test]
fn lettres_default_builder_lacks_only_a_message_id_and_message_id_none_fixes_it() {
    let builder = || {
        lettre::Message::builder()
            .from("App <app@example.com>".parse().unwrap())
            .to("ann@example.com".parse().unwrap())
            .subject("Welcome")
    };
    let default = Email::from_raw(builder().body(String::from("Hello Ann")).unwrap().formatted());
    assert_eq!(default.lint().codes(), ["missing-message-id"]);

    let fixed =
        Email::from_raw(builder().message_id(None).body(String::from("Hello Ann")).unwrap().formatted());
    fixed.assert().lints_clean_with(&LintConfig::new().deny_warnings());
}

/// lettre's inline images carry a Content-ID and no file name.
fn lettre_related(html: &str) -> Email {
    let message = lettre::Message::builder()
        .from("App <app@example.com>".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Your order")
        .message_id(None)
        .multipart(
            MultiPart::related()
                .multipart(MultiPart::alternative_plain_html(
                    String::from("Your order is on its way."),
                    html.to_owned(),
                ))
                .singlepart(
                    Attachment::new_inline(String::from("logo@acme"))
                        .body(b"\x89PNG".to_vec(), ContentType::parse("image/png").unwrap()),
                ),
        )
        .unwrap();
    Email::from_raw(message.formatted())
}

#[test]
fn inline_parts_are_found_by_content_id() {
    let email = lettre_related(&html_page("<img src=\"cid:logo@acme\" alt=\"Acme\">"));
    email
        .assert()
        .lints_clean_with(&LintConfig::new().deny_warnings())
        .has_inline("logo@acme")
        .has_inline("<logo@acme>")
        .has_inline(mailtest::regex("^logo@"))
        .not_has_inline("banner")
        .has_attachment("logo@acme")
        .attachment("logo@acme", |logo| {
            logo.content_id("logo@acme").content_type("image/png").inline().size(4)
        });
    assert_eq!(email.attachments()[0].filename(), None);

    let failure = panic_message(|| {
        email.assert().has_inline("logo");
    });
    snapshot("has_inline_missing", &failure);
    let failure = panic_message(|| {
        email.assert().attachment("logo@acme", |logo| logo.content_id("banner"));
    });
    assert!(
        failure.contains("expected attachment <logo@acme> content_id=<banner>, but was <logo@acme>"),
        "{failure}"
    );
}

#[test]
fn a_misspelt_cid_in_lettre_mail_suggests_the_part_there_is() {
    let email = lettre_related(&html_page("<img src=\"cid:logo\" alt=\"Acme\">"));
    let lints = email.lint();
    assert_eq!(lints.codes(), ["dangling-cid", "unreferenced-inline"]);
    assert_eq!(lints.iter().next().unwrap().help(), Some("did you mean `cid:logo@acme`?"));
}

#[test]
fn no_lint_rule_names_a_socket_or_a_resolver() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/mailtest-harness/src/lint");
    let forbidden = [
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "ToSocketAddrs",
        "to_socket_addrs",
        "lookup_host",
        "socket2",
    ];
    let mut files = 0;
    // Every file below, sub-folders (the compatibility data) included.
    let mut folders = vec![dir.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the harness's src/lint exists") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            files += 1;
            for name in forbidden {
                assert!(!source.contains(name), "{} names {name}: lints must stay offline", path.display());
            }
        }
    }
    assert!(files > 10, "found only {files} files in {}", dir.display());
}

#[test]
fn every_cut_of_a_message_that_breaks_every_rule_lints_without_a_rule_failing() {
    let html = html_page(
        "<style>td { background: url(\"cid:bg\") }</style>\n\
         <img src=\"cid:logo\"><img src='http://cdn.example.com/x.png' alt=\"\">\n\
         <a href=\"/reset?t=1&amp;u=2\">r</a> <a href=//cdn.example.com/y>y</a> <a href=\"http://localhost:3000/z\">z</a>\n\
         <!-- <img src=\"cid:hidden\"> --><td style=\"background:url('cid:hero')\">é</td>",
    );
    let raw = Mail::clean()
        .without("Message-ID")
        .header("Date", "not a date")
        .header("Bcc", "audit@example.com")
        .header("List-Unsubscribe", "https://x.example/u, <mailto:a@x.example>, <mailto:b@x.example>")
        .header("List-Unsubscribe-Post", "One-Click")
        .add_header("DKIM-Signature", "v=1; d=example.com;\r\n\th=From:List-Unsubscribe; b=x")
        .text(Some(&format!("See http://localhost:8000/a and {}\n", "long ".repeat(300))))
        .html(Some(&html))
        .inline("logo@acme", "image/png")
        .raw();
    let config = LintConfig::new().profile(Profile::Bulk).base_url("https://app.example.com");
    let whole = Email::from_raw(raw.clone()).lint_with(&config);
    assert!(whole.len() > 15, "the message should break nearly every rule:\n{whole}");
    for cut in 0..raw.len() {
        let lints = Email::from_raw(&raw[..cut]).lint_with(&config);
        let shown = format!("{lints}{lints:#}");
        assert!(!lints.contains("lint-panicked"), "cut at {cut}:\n{shown}");
    }
}
