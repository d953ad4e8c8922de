//! Malformed input is captured, never panics, and says what is wrong.

use mailtest::Email;

/// Found by fuzzing: mail-parser 0.11 trips a `debug_assert!` on this ("Invalid
/// part ID") in debug builds: nested message/rfc822 parts whose inner
/// boundary line runs into `=`.
const PARSER_PANIC: &[u8] = b"Content-Type: multipart/mixed; boundary=\"b5\"\r\n\r\n--b5\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b5\r\nContent-Type: message/rfc822\r\n\r\nSubject: x\r\nContent-Type: message/rfc822\r\n\r\nSubjpe: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\nx\r\n--c--=\r\n--b5--\r\n";

/// (case, raw bytes, a phrase its problems must contain, or "" for none expected)
const CASES: &[(&str, &[u8], &str)] = &[
    ("empty", b"", "the message is empty (0 bytes)"),
    ("no headers at all", b"\r\n\r\njust a body", "no header could be read"),
    ("binary garbage", b"\x00\x01\x02\xff\xfe\x80garbage\x00", "no header could be read"),
    ("bad base64 word in the subject", b"Subject: =?utf-8?B?####?=\r\n\r\nbody", "Subject: an RFC 2047 encoded word"),
    ("address with no domain", b"To: bob\r\n\r\nbody", "To: the address \"bob\" has no domain"),
    ("name with no address", b"To: Bob Smith\r\n\r\nbody", "To: no address could be read in Bob Smith"),
    (
        "base64 body that is not base64",
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!",
        "the base64 body has bytes outside base64",
    ),
    (
        "boundary glued to the next header",
        b"Content-Type: multipart/mixed; boundary=b5\r\n\r\n--b5Content-Type: text/plain\r\n\r\nhi\r\n--b5--",
        "",
    ),
    (
        "unterminated multipart",
        b"Content-Type: multipart/alternative; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi",
        "",
    ),
    ("multipart without a boundary", b"Content-Type: multipart/mixed\r\n\r\n--?\r\nhi", ""),
    ("unknown charset", b"Content-Type: text/plain; charset=x-klingon\r\n\r\nqapla'", ""),
    (
        "forwarded message that is not a message (mail-parser issue 120)",
        b"Content-Type: multipart/mixed; boundary=\"z\"\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nsee\r\n--z\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"bad.eml\"\r\n\r\nnot a message\r\n--z--\r\n",
        "",
    ),
];

#[test]
fn malformed_messages_are_captured_and_inspectable_without_panicking() {
    let mail = mailtest::capture();
    for (_, raw, _) in CASES {
        mail.capture_raw(Some("app@example.com"), &["ann@example.com"], raw);
    }
    mail.capture_raw(Some("app@example.com"), &["ann@example.com"], PARSER_PANIC);

    let emails = mail.emails();

    assert_eq!(emails.len(), CASES.len() + 1, "every message is kept");
    for (email, (case, raw, phrase)) in emails.iter().zip(CASES) {
        assert_eq!(email.raw(), *raw, "{case}: the bytes are kept as sent");
        // Every accessor works on every message.
        let _ = (email.subject(), email.from(), email.to(), email.text(), email.html());
        let _ = (email.attachments(), email.links(), email.mime_tree(), email.headers(), email.date());
        assert_eq!(email.envelope_to(), ["ann@example.com"], "{case}: the envelope is kept");
        if !phrase.is_empty() {
            assert!(
                email.problems().iter().any(|p| p.contains(phrase)),
                "{case}: expected a problem containing {phrase:?}, got {:?}",
                email.problems()
            );
        }
        let debug = format!("{email:?}");
        assert!(debug.starts_with("Email {"), "{case}: {debug}");
    }
}

/// mail-parser's message parser trips a `debug_assert!` on this, so a debug
/// build (what `cargo test` runs) decoded nothing while a release build
/// decoded something else. The crate's own MIME walk reads it the same in
/// every build, as RFC 2046 says: the nested messages are one attachment.
#[test]
fn a_message_that_trips_mail_parser_decodes_the_same_in_every_build() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], PARSER_PANIC);
    mail.capture_raw(None, &["ann@example.com"], b"Subject: fine\r\n\r\nok");

    let emails = mail.emails();

    assert_eq!(emails[0].raw(), PARSER_PANIC);
    assert_eq!(emails[0].problems(), [] as [&str; 0]);
    assert_eq!(emails[0].text(), Some("hi"));
    let forwarded = &emails[0].attachments()[0];
    assert_eq!(forwarded.content_type(), "message/rfc822");
    assert!(forwarded.content().starts_with(b"Subject: x\r\nContent-Type: message/rfc822\r\n"));
    let inner = &emails[0].mime_tree().children()[1];
    assert_eq!(inner.children()[0].content_type(), "message/rfc822", "a message directly in a message");
    assert_eq!(emails[1].subject(), Some("fine"));
    assert!(emails[1].problems().is_empty());
}

#[test]
fn a_user_panic_after_a_contained_parser_panic_still_propagates() {
    let _ = Email::from_raw(PARSER_PANIC).subject();

    let outcome = std::panic::catch_unwind(|| panic!("the user's own panic"));

    assert!(outcome.is_err());
}

#[test]
fn well_formed_messages_report_no_problems() {
    let email = Email::from_raw(
        "From: app@example.com\r\nTo: ann@example.com\r\nSubject: =?utf-8?q?fine?=\r\n\r\nHello",
    );

    assert_eq!(email.problems(), [] as [&str; 0]);
}

#[test]
fn malformed_messages_appear_in_failure_reports_with_their_problem() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], b"");

    let failure = mail.find().subject("Welcome").try_one().unwrap_err();

    assert!(failure.to_string().contains("! the message is empty (0 bytes)"), "{failure}");
}
