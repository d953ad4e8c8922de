//! Where mailtest follows Django where it did not before (issue 22): each
//! test is one behaviour of Django's `django.core.mail`, as its own tests
//! check it (`tests/mail/tests.py`); the rest of the ported suite is in
//! `django_parity.rs` (memory and file backends) and
//! `interop/tests/interop/django_parity.rs` (SMTP against aiosmtpd).

use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use mailtest::{Error, Mailer, MemoryBackend, Settings};

fn mistake(vars: &[(&str, &str)]) -> (String, String, String) {
    match Settings::from_vars(vars.iter().copied()) {
        Err(err @ Error::InvalidSetting { .. }) => {
            let Error::InvalidSetting { name, expected, .. } = &err else { unreachable!() };
            (name.clone(), expected.clone(), err.to_string())
        }
        other => panic!("{vars:?}: expected an InvalidSetting error, got {other:?}"),
    }
}

/// Django 6.1's SMTP backend requires the `host` option of a mailer in
/// `MAILERS`; a named mailer without one used to send to localhost.
#[test]
fn a_named_smtp_mailer_without_a_host_is_an_error_naming_its_variable() {
    let cases: [&[(&str, &str)]; 3] = [
        &[("MAILERS", "bulk")],
        &[("MAILERS", "bulk"), ("MAILER_BULK_PORT", "2525")],
        &[("EMAIL_HOST", "smtp.example.com"), ("MAILERS", "bulk"), ("MAILER_BULK_BACKEND", "smtp")],
    ];
    for vars in cases {
        let (name, _, text) = mistake(vars);
        assert_eq!(name, "MAILER_BULK_HOST", "{vars:?}");
        assert!(
            text.starts_with("mailtest: MAILER_BULK_HOST is not set: expected the SMTP server's host"),
            "{text}"
        );
    }

    let given =
        Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BULK_HOST", "relay.example.com")]).unwrap();
    assert_eq!(given.mailer("bulk").unwrap().host, "relay.example.com");
    let not_smtp = Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BULK_BACKEND", "dummy")]);
    assert!(not_smtp.is_ok(), "only an SMTP mailer needs a host: {not_smtp:?}");
}

/// A named file mailer without a path names its own variable, not the
/// default mailer's `EMAIL_FILE_PATH`.
#[test]
fn a_named_file_mailer_without_a_path_names_its_own_variable() {
    let (name, _, text) = mistake(&[("MAILERS", "bulk"), ("MAILER_BULK_BACKEND", "file")]);

    assert_eq!(name, "MAILER_BULK_FILE_PATH");
    assert!(!text.contains("EMAIL_FILE_PATH"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let given = Settings::from_vars([
        ("MAILERS", "bulk"),
        ("MAILER_BULK_BACKEND", "file"),
        ("MAILER_BULK_FILE_PATH", path),
    ]);
    Mailer::using(&given.unwrap(), "bulk").unwrap();
}

/// Django reports an unknown option of a mailer (`BaseEmailBackend` refuses
/// unknown kwargs): a typo never leaves a mailer on its defaults.
#[test]
fn an_unknown_setting_of_a_named_mailer_is_an_error_naming_it_and_the_closest_one() {
    let base = [("MAILERS", "bulk"), ("MAILER_BULK_HOST", "relay.example.com")];

    let (name, expected, _) = mistake(&[base[0], base[1], ("MAILER_BULK_PROT", "2525")]);
    assert_eq!(name, "MAILER_BULK_PROT");
    assert!(
        expected.starts_with("a setting of the mailer \"bulk\" (did you mean MAILER_BULK_PORT?): "),
        "{expected}"
    );

    let (name, expected, _) = mistake(&[base[0], base[1], ("MAILER_BULK_SIGNATURE", "x")]);
    assert_eq!(name, "MAILER_BULK_SIGNATURE");
    assert!(!expected.contains("did you mean"), "nothing is close: {expected}");
    assert!(expected.contains("HOST, PORT"), "lists the settings: {expected}");

    assert!(
        Settings::from_vars([base[0], base[1], ("MAILER_DSN", "smtp://localhost")]).is_ok(),
        "another tool's MAILER_ variable is not a mailer's"
    );
}

fn builder() -> lettre::message::MessageBuilder {
    Message::builder().from("app@example.com".parse().unwrap()).to("ann.header@example.com".parse().unwrap())
}

fn header(name: &'static str, raw: &str, encoded: &str) -> HeaderValue {
    HeaderValue::dangerous_new_pre_encoded(
        HeaderName::new_from_ascii_str(name),
        raw.to_owned(),
        encoded.to_owned(),
    )
}

/// Django refuses a line break in any header (`BadHeaderError`), however the
/// message was built. lettre builds all of these without complaint: a typed
/// header keeps the break in its value (and encodes it on the wire), a
/// pre-encoded one puts it on the wire as is — a header of its own. (A
/// break in a mailbox's display name lettre refuses itself: building the
/// message panics, so it never reaches a mailer.)
#[test]
fn a_line_break_in_a_header_of_a_lettre_message_is_refused_like_send_mail_refuses_it() {
    let cases: [(&str, Message); 4] = [
        ("Subject", builder().subject("Hello\nBcc: everyone@example.com").body(String::from("Hi")).unwrap()),
        ("Subject", builder().subject("Hello\rworld").body(String::from("Hi")).unwrap()),
        (
            "X-Campaign",
            builder()
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("X-Campaign"),
                    "spring\r\nsale".into(),
                ))
                .body(String::from("Hi"))
                .unwrap(),
        ),
        (
            "X-Campaign",
            builder()
                .raw_header(header("X-Campaign", "spring", "spring\r\nBcc: everyone@example.com"))
                .body(String::from("Hi"))
                .unwrap(),
        ),
    ];
    let mail = mailtest::capture();
    for (name, message) in cases {
        for mailer in [Mailer::new(MemoryBackend), Mailer::new(MemoryBackend).fail_silently(true)] {
            let err = mailer.send_messages(std::slice::from_ref(&message)).unwrap_err();
            assert!(matches!(&err, Error::BadHeader { name: bad, .. } if bad == name), "{name}: {err:?}");
        }
    }
    mail.assert_empty();

    // Folded long headers and encoded words are not line breaks.
    let long = "a long subject ".repeat(20);
    Mailer::new(MemoryBackend)
        .send(&builder().subject(long.trim()).body(String::from("Hi")).unwrap())
        .unwrap();
    Mailer::new(MemoryBackend).send(&builder().subject("Grüße").body(String::from("Hi")).unwrap()).unwrap();
    mail.assert_count(2);
}

#[cfg(feature = "tokio")]
#[tokio::test]
async fn an_async_mailer_refuses_a_line_break_in_a_header_too() {
    let mail = mailtest::capture();
    let message = builder().subject("Hello\nBcc: everyone@example.com").body(String::from("Hi")).unwrap();

    let err = mailtest::AsyncMailer::new(MemoryBackend).send(message).await.unwrap_err();

    assert!(matches!(&err, Error::BadHeader { name, .. } if name == "Subject"), "{err:?}");
    mail.assert_empty();
}
