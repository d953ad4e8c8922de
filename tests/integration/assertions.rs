//! The assertion surface: every query criterion and its `not_` twin, the
//! per-email chain, counts, strict mode, and where a failure points.

use std::panic::{AssertUnwindSafe, catch_unwind};

use mailtest::{Email, Outbox, Query, regex};

/// Three emails that differ in every field a criterion looks at.
fn fixture() -> Outbox {
    let outbox = Outbox::new();
    outbox.capture_raw(
        Some("shop@example.com"),
        &["ann@example.com", "boss@example.com", "audit@example.com"],
        b"From: Shop <shop@example.com>\r\nTo: Ann <ann@Example.com>\r\nCc: boss@example.com\r\n\
          Reply-To: help@example.com\r\nSubject: Welcome, Ann!\r\nX-Campaign: spring\r\n\
          Content-Type: multipart/alternative; boundary=b\r\n\r\n\
          --b\r\nContent-Type: text/plain\r\n\r\nHi Ann, confirm: https://shop.example.com/confirm?t=1\r\n\
          --b\r\nContent-Type: text/html\r\n\r\n<p>Hi O&#039;Connor &amp; friends</p>\r\n--b--\r\n",
    );
    outbox.capture_raw(
        Some("billing@example.com"),
        &["bob@example.com"],
        b"From: billing@example.com\r\nTo: bob@example.com\r\nSubject: Invoice 42\r\n\
          Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n\
          --m\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=invoice-42.pdf\r\n\r\n\
          %PDF\r\n--m--\r\n",
    );
    outbox.capture_raw(
        Some("shop@example.com"),
        &["carl@example.com"],
        b"From: Shop <shop@example.com>\r\nTo: carl@example.com\r\nSubject: Welcome, Carl!\r\n\
          Content-Type: text/html\r\n\r\n<h1>Welcome aboard</h1>\r\n",
    );
    outbox
}

/// The sequence numbers a query matches.
fn matched(query: Query) -> Vec<u64> {
    query.all().iter().map(Email::sequence).collect()
}

type Build = fn(Query) -> Query;

/// (criterion, builder, matches, builder of the `not_` twin)
const CRITERIA: &[(&str, Build, &[u64], Build)] = &[
    ("to", |q| q.to("ann@example.com"), &[1], |q| q.not_to("ann@example.com")),
    ("to with a name", |q| q.to("Ann <ANN@example.COM>"), &[], |q| q.not_to("Ann <ANN@example.COM>")),
    ("to, domain in any case", |q| q.to("ann@EXAMPLE.com"), &[1], |q| q.not_to("ann@EXAMPLE.com")),
    ("cc", |q| q.cc("boss@example.com"), &[1], |q| q.not_cc("boss@example.com")),
    ("bcc from the envelope", |q| q.bcc("audit@example.com"), &[1], |q| q.not_bcc("audit@example.com")),
    ("from", |q| q.from("shop@example.com"), &[1, 3], |q| q.not_from("shop@example.com")),
    ("reply_to", |q| q.reply_to("help@example.com"), &[1], |q| q.not_reply_to("help@example.com")),
    ("subject", |q| q.subject("Invoice 42"), &[2], |q| q.not_subject("Invoice 42")),
    ("subject regex", |q| q.subject(regex("^Welcome")), &[1, 3], |q| q.not_subject(regex("^Welcome"))),
    ("subject_contains", |q| q.subject_contains("Carl"), &[3], |q| q.not_subject_contains("Carl")),
    ("text_contains", |q| q.text_contains("confirm:"), &[1], |q| q.not_text_contains("confirm:")),
    (
        "html_contains, decoded",
        |q| q.html_contains("O'Connor & friends"),
        &[1],
        |q| q.not_html_contains("O'Connor & friends"),
    ),
    ("html_contains, markup", |q| q.html_contains("<h1>"), &[3], |q| q.not_html_contains("<h1>")),
    ("body_contains", |q| q.body_contains("Welcome aboard"), &[3], |q| q.not_body_contains("Welcome aboard")),
    ("body_contains, text", |q| q.body_contains("Attached."), &[2], |q| q.not_body_contains("Attached.")),
    ("header", |q| q.header("x-campaign", "spring"), &[1], |q| q.not_header("x-campaign", "spring")),
    (
        "header regex",
        |q| q.header("Subject", regex(r"\d+$")),
        &[2],
        |q| q.not_header("Subject", regex(r"\d+$")),
    ),
    (
        "has_attachment",
        |q| q.has_attachment("invoice-42.pdf"),
        &[2],
        |q| q.not_has_attachment("invoice-42.pdf"),
    ),
    (
        "matching",
        |q| q.matching(|e| e.links().len() == 1),
        &[1],
        |q| q.not_matching(|e| e.links().len() == 1),
    ),
];

#[test]
fn each_criterion_and_its_twin_split_the_outbox() {
    let outbox = fixture();
    for (name, criterion, expected, twin) in CRITERIA {
        let complement: Vec<u64> = (1..=3).filter(|n| !expected.contains(n)).collect();

        assert_eq!(matched(criterion(outbox.find())), *expected, "{name}");
        assert_eq!(matched(twin(outbox.find())), complement, "not_ twin of {name}");
    }
}

#[test]
fn criteria_combine_with_and() {
    let outbox = fixture();

    assert_eq!(matched(outbox.find().from("shop@example.com").subject_contains("Carl")), [3]);
    assert_eq!(matched(outbox.find().from("shop@example.com").not_subject_contains("Carl")), [1]);
}

#[test]
fn terminals_check_their_count() {
    let outbox = fixture();

    assert_eq!(outbox.find().to("bob@example.com").one().sequence(), 2);
    assert_eq!(outbox.find().from("shop@example.com").count(2).len(), 2);
    assert_eq!(outbox.find().from("shop@example.com").at_least(1).len(), 2);
    outbox.find().to("dan@example.com").none();
    assert!(outbox.find().from("shop@example.com").try_one().is_err());
    assert!(outbox.find().from("shop@example.com").try_count(3).is_err());
    assert!(outbox.find().from("shop@example.com").try_at_least(3).is_err());
    assert!(outbox.find().from("shop@example.com").try_none().is_err());
    outbox.assert_count(3);
    assert!(catch_unwind(|| outbox.assert_empty()).is_err());
}

#[test]
fn email_assert_passes_on_every_check_that_holds() {
    let outbox = fixture();
    let welcome = outbox.find().to("ann@example.com").one();
    let invoice = outbox.find().to("bob@example.com").one();

    welcome
        .assert()
        .subject("Welcome, Ann!")
        .subject(regex("Ann!$"))
        .not_subject("Welcome, Bob!")
        .subject_contains("Ann")
        .not_subject_contains("Bob")
        .to("ann@example.com")
        .not_to("bob@example.com")
        .cc("boss@example.com")
        .not_cc("ann@example.com")
        .bcc("audit@example.com")
        .not_bcc("ann@example.com")
        .from("Shop <shop@example.com>")
        .not_from("billing@example.com")
        .reply_to("help@example.com")
        .not_reply_to("shop@example.com")
        .text_contains("confirm:")
        .not_text_contains("password")
        .html_contains("O'Connor & friends")
        .not_html_contains("enemies")
        .body_contains("Hi Ann")
        .not_body_contains("Goodbye")
        .text_in_order(["Hi Ann", "confirm:", "https://"])
        .html_in_order(["Hi", "friends"])
        .header("X-Campaign", "spring")
        .not_header("X-Campaign", "winter")
        .has_header("reply-to")
        .no_header("X-Debug")
        .attachment_count(0)
        .not_has_attachment("invoice-42.pdf")
        .has_link("/confirm")
        .not_has_link("/unsubscribe");
    invoice
        .assert()
        .has_attachment(regex(r"\.pdf$"))
        .attachment_count(1)
        .attachment("invoice-42.pdf", |pdf| {
            pdf.content_type("application/pdf").size(4).content(b"%PDF").not_inline()
        });
}

/// (check, whether it should fail, a phrase of its failure report)
#[test]
fn each_email_check_fails_with_what_the_email_had() {
    let outbox = fixture();
    let welcome = outbox.find().to("ann@example.com").one();
    type Check = fn(&Email);
    let cases: &[(&str, Check, &str)] = &[
        (
            "subject",
            |e| {
                e.assert().subject("Bye");
            },
            "expected subject=\"Bye\", but was \"Welcome, Ann!\"",
        ),
        (
            "not_subject",
            |e| {
                e.assert().not_subject("Welcome, Ann!");
            },
            "expected not subject=\"Welcome, Ann!\"",
        ),
        (
            "to",
            |e| {
                e.assert().to("bob@example.com");
            },
            "but was Ann <ann@Example.com>",
        ),
        (
            "bcc",
            |e| {
                e.assert().bcc("ann@example.com");
            },
            "expected bcc=ann@example.com, but was audit@example.com",
        ),
        (
            "text_contains",
            |e| {
                e.assert().text_contains("password");
            },
            "but the text was \"Hi Ann",
        ),
        (
            "html_contains",
            |e| {
                e.assert().html_contains("enemies");
            },
            "the html (as text) was \"Hi O'Connor & friends\"",
        ),
        (
            "text_in_order, missing",
            |e| {
                e.assert().text_in_order(["Hi", "Bye"]);
            },
            "but \"Bye\" is not there",
        ),
        (
            "header",
            |e| {
                e.assert().header("X-Campaign", "winter");
            },
            "but was \"spring\"",
        ),
        (
            "no_header",
            |e| {
                e.assert().no_header("X-Campaign");
            },
            "expected not has_header(\"X-Campaign\")",
        ),
        (
            "attachment_count",
            |e| {
                e.assert().attachment_count(2);
            },
            "but was 0 (no attachments)",
        ),
        (
            "has_attachment",
            |e| {
                e.assert().has_attachment("a.pdf");
            },
            "but was no attachments",
        ),
        (
            "attachment",
            |e| {
                e.assert().attachment("a.pdf", |a| a);
            },
            "has_attachment(\"a.pdf\")",
        ),
        (
            "has_link",
            |e| {
                e.assert().has_link("/reset");
            },
            "but the links are https://shop.example.com/confirm?t=1",
        ),
    ];
    for (name, check, phrase) in cases {
        let message = panic_message(|| check(&welcome));
        assert!(message.contains(phrase), "{name}: expected {phrase:?} in:\n{message}");
        assert!(message.starts_with("#1 does not match: expected"), "{name}:\n{message}");
    }
}

#[test]
fn attachment_checks_fail_on_each_property() {
    let outbox = fixture();
    let invoice = outbox.find().to("bob@example.com").one();
    type Check = fn(&Email);
    let cases: &[(Check, &str)] = &[
        (
            |e| {
                e.assert().attachment("invoice-42.pdf", |a| a.size(5));
            },
            "size=5, but was 4 bytes",
        ),
        (
            |e| {
                e.assert().attachment("invoice-42.pdf", |a| a.content(b"PDF"));
            },
            "content=\"PDF\", but was \"%PDF\"",
        ),
        (
            |e| {
                e.assert().attachment("invoice-42.pdf", |a| a.inline());
            },
            "is inline, but was an attachment",
        ),
        (
            |e| {
                e.assert().attachment("invoice-42.pdf", |a| a.content_type("image/png"));
            },
            "but was application/pdf",
        ),
    ];
    for (check, phrase) in cases {
        let message = panic_message(|| check(&invoice));
        assert!(message.contains(phrase), "expected {phrase:?} in:\n{message}");
    }
}

#[test]
fn link_matching_returns_the_link_to_follow() {
    let outbox = fixture();
    let welcome = outbox.find().to("ann@example.com").one();

    let link = welcome.assert().link_matching(regex(r"confirm\?t=\d"));

    assert_eq!(link, "https://shop.example.com/confirm?t=1");
    assert!(
        panic_message(|| {
            let _ = welcome.assert().link_matching("/reset");
        })
        .contains("has_link(\"/reset\")")
    );
}

#[test]
fn macros_use_the_bound_outbox_or_the_one_named() {
    let mail = mailtest::capture();
    let other = fixture();
    mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\nX-Tag: a\r\n\r\n.");

    let email = mailtest::assert_sent!(to: "ann@example.com", subject: "Hi",);
    assert_eq!(email.header("X-Tag"), Some("a"));
    mailtest::assert_sent!(header: ("X-Tag", "a"), to: "ann@example.com");
    mailtest::assert_sent!(mail, subject: "Hi");
    mailtest::assert_sent!(&mail, subject: "Hi");
    mailtest::assert_sent!(mail.outbox(), subject: "Hi");
    assert_eq!(mailtest::assert_sent!(other, from: "shop@example.com", count: 2).len(), 2);
    assert_eq!(mailtest::assert_sent!(count: 1, to: "ann@example.com").len(), 1);
    mailtest::assert_sent!(other, to: "carl@example.com", header: ("Subject", regex("Carl")));
    mailtest::assert_not_sent!(to: "bob@example.com");
    mailtest::assert_not_sent!(other, to: "dan@example.com", subject_contains: "x",);
    mailtest::assert_sent_count!(1);
    mailtest::assert_sent_count!(other, 3);
    let single = mailtest::assert_sent!();
    assert_eq!(single.subject(), Some("Hi"));
}

#[test]
fn macro_failures_report_like_the_query_they_stand_for() {
    let outbox = fixture();

    let message = panic_message(|| drop(mailtest::assert_sent!(outbox, to: "dan@example.com")));
    assert!(
        message.starts_with("expected exactly 1 email matching to=dan@example.com; found 0 of 3 captured")
    );
    let message = panic_message(|| mailtest::assert_not_sent!(outbox, to: "ann@example.com"));
    assert!(message.starts_with("expected no email matching to=ann@example.com; found 1 of 3 captured"));
    let message = panic_message(|| mailtest::assert_sent_count!(outbox, 1));
    assert!(message.starts_with("expected exactly 1 email; found 3 captured"));
}

#[test]
fn macros_with_nothing_bound_say_to_call_capture() {
    for message in [
        panic_message(|| drop(mailtest::assert_sent!(to: "ann@example.com"))),
        panic_message(|| mailtest::assert_not_sent!(to: "ann@example.com")),
        panic_message(|| mailtest::assert_sent_count!(0)),
    ] {
        assert!(message.contains("no outbox is bound on this thread"), "{message}");
        assert!(message.contains("let mail = mailtest::capture();"), "{message}");
    }
}

#[test]
fn strict_capture_passes_when_every_email_was_asserted() {
    let mail = mailtest::capture().strict();
    mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: A\r\n\r\n.");
    mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: B\r\n\r\n.");

    mail.find().to("ann@example.com").one();
    mail.emails()[1].assert().subject("B");
}

#[test]
fn strict_capture_fails_for_emails_only_counted() {
    let message = panic_message(|| {
        let mail = mailtest::capture().strict();
        mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: A\r\n\r\n.");
        mail.assert_count(1);
        mail.find().all();
    });

    let report = message.split_once(": ").map_or("", |(_location, report)| report);
    assert!(report.starts_with("strict capture: 1 of 1 captured email was never matched"), "{message}");
    assert!(message.contains("#1 from (none) to ann@example.com: \"A\""), "{message}");
}

#[test]
fn strict_capture_does_not_panic_twice_when_the_test_already_failed() {
    let outcome = catch_unwind(|| {
        let mail = mailtest::capture().strict();
        mail.capture_raw(None, &["ann@example.com"], b"Subject: never asserted\r\n\r\n.");
        panic!("the test's own failure");
    });

    let payload = outcome.expect_err("the test's own panic propagates");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"the test's own failure"));
}

#[test]
fn failures_point_at_the_line_that_asserted() {
    let outbox = fixture();
    let line = line!() + 1;
    let location = panic_location(|| drop(outbox.find().to("dan@example.com").one()));
    assert_eq!(location, format!("{}:{line}", file!()));

    let email = outbox.emails().remove(0);
    let line = line!() + 2;
    let location = panic_location(|| {
        email.assert().subject("nope");
    });
    assert_eq!(location, format!("{}:{line}", file!()));

    let line = line!() + 1;
    let location = panic_location(|| drop(mailtest::assert_sent!(outbox, to: "dan@example.com")));
    assert_eq!(location, format!("{}:{line}", file!()));
}

#[test]
fn lint_failures_point_at_the_line_that_asserted() {
    let outbox = fixture();
    let email = outbox.emails().remove(0);
    let line = line!() + 2;
    let location = panic_location(|| {
        email.assert().lints_clean();
    });
    assert_eq!(location, format!("{}:{line}", file!()));

    let line = line!() + 1;
    let location = panic_location(|| outbox.assert_lints_clean());
    assert_eq!(location, format!("{}:{line}", file!()));

    let line = line!() + 1;
    let location = panic_location(|| drop(mailtest::LintConfig::new().allow(["no-such-lint"])));
    assert_eq!(location, format!("{}:{line}", file!()));
}

/// The panic message of `f`, which must panic.
pub(crate) fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("the check should fail");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

std::thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// `file:line` of the panic `f` raises, recorded by a hook that keeps each
/// thread's own panic, so tests running in parallel do not mix them up.
fn panic_location(f: impl FnOnce()) -> String {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        // mailtest installs a hook of its own, once, the first time it decodes
        // (to keep contained panics quiet). Replacing hooks is not atomic, so
        // two installs on two threads at once could lose one: let mailtest's
        // go first, then wrap it.
        let _ = mailtest::Email::from_raw("Subject: first decode\r\n\r\n.").subject();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let location = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
            LAST_PANIC.with(|last| *last.borrow_mut() = location);
            previous(info);
        }));
    });
    let _ = catch_unwind(AssertUnwindSafe(f));
    LAST_PANIC.with(|last| last.borrow_mut().take()).expect("the closure panicked")
}

#[test]
fn a_panicking_matching_closure_fails_its_test_and_leaves_the_outbox_usable() {
    let outbox = fixture();
    let shared = outbox.clone();

    let outcome = std::thread::spawn(move || {
        shared.find().matching(|email| panic!("user bug on #{}", email.sequence())).one();
    })
    .join();

    let payload = outcome.expect_err("the user's panic reaches the test");
    assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("user bug on #1"));
    outbox.capture_raw(None, &["dan@example.com"], b"To: dan@example.com\r\n\r\n.");
    assert_eq!(outbox.len(), 4);
    outbox.find().to("dan@example.com").one();
    outbox.clear();
    outbox.assert_empty();
}
