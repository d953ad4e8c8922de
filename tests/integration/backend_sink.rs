//! The SMTP backend against the crate's own SMTP sink: the two halves of
//! mailtest meet, so a `Mailer` configured like production is tested with
//! the usual assertions, its failures included.

use mailtest::{Error, Mailer, Settings, SmtpSink, send_mail};

fn settings_for(sink: &SmtpSink, extra: &[(&str, &str)]) -> Settings {
    let port = sink.port().to_string();
    let mut vars =
        vec![("EMAIL_BACKEND", "smtp"), ("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", port.as_str())];
    vars.extend_from_slice(extra);
    Settings::from_vars(vars).unwrap()
}

fn receipt() -> lettre::Message {
    lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .bcc("audit@example.com".parse().unwrap())
        .subject("Your receipt")
        .body(String::from("Thank you.\r\n.\r\nA line with only a dot, above."))
        .unwrap()
}

#[test]
fn a_configured_mailer_delivers_into_the_sink_with_its_envelope() {
    let sink = SmtpSink::start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink, &[])).unwrap();

    assert_eq!(mailer.send_messages(&[receipt(), receipt()]).unwrap(), 2);

    let emails = sink.outbox().find().to("ann@example.com").subject("Your receipt").count(2);
    assert_eq!(emails[0].bcc(), ["audit@example.com"]);
    assert_eq!(emails[0].envelope_from(), Some("shop@example.com"));
    assert!(emails[0].text().unwrap().contains("\n.\nA line with only a dot"), "dot-stuffing round trip");
}

#[test]
fn credentials_from_settings_authenticate() {
    let sink = SmtpSink::builder().credentials("app", "s3cret").start().unwrap();
    let settings = settings_for(&sink, &[("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "s3cret")]);

    Mailer::from_settings(&settings).unwrap().send_messages(&[receipt()]).unwrap();

    sink.outbox().find().subject("Your receipt").one();
}

#[test]
fn a_wrong_password_is_an_error_naming_the_server_and_its_reply() {
    let sink = SmtpSink::builder().credentials("app", "s3cret").start().unwrap();
    let settings = settings_for(&sink, &[("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "wrong")]);

    let err = Mailer::from_settings(&settings).unwrap().send_messages(&[receipt()]).unwrap_err();

    let Error::Smtp { server, reply, .. } = &err else { panic!("expected an SMTP error, got {err:?}") };
    assert_eq!(server, &format!("127.0.0.1:{}", sink.port()));
    assert!(reply.contains("535"), "{err}");
    sink.outbox().assert_empty();
}

#[test]
fn a_refused_recipient_is_reported_and_the_others_get_the_message() {
    let sink =
        SmtpSink::builder().refuse_recipient("audit@example.com", 550, "no such user").start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink, &[])).unwrap();

    let delivery = mailer.deliver(&[receipt()]).unwrap();

    assert_eq!(delivery.sent(), 1, "smtplib (and so Django) count it");
    let refused = &delivery.refused()[0];
    assert_eq!((refused.message(), refused.recipient(), refused.code()), (0, "audit@example.com", Some(550)));
    assert!(refused.reply().contains("no such user"), "{refused}");
    let email = sink.outbox().find().subject("Your receipt").one();
    assert_eq!(email.envelope_to(), ["ann@example.com"]);
}

#[test]
fn every_recipient_refused_is_an_error_naming_each_and_nothing_is_delivered() {
    let sink = SmtpSink::builder()
        .refuse_recipient("ann@example.com", 550, "no such user")
        .refuse_recipient("audit@example.com", 450, "mailbox busy")
        .start()
        .unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink, &[])).unwrap();

    let err = mailer.send_messages(&[receipt()]).unwrap_err();

    assert!(matches!(err, Error::Smtp { code: Some(550), .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("every recipient was refused"), "{text}");
    assert!(text.contains("ann@example.com (550 no such user)"), "{text}");
    assert!(text.contains("audit@example.com (450 mailbox busy)"), "{text}");
    sink.outbox().assert_empty();
}

#[test]
fn send_mail_through_the_sink_counts_one_and_fail_silently_turns_a_failure_into_zero() {
    let sink = SmtpSink::builder().fail_message(2, 451, "try again later").start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink, &[])).unwrap();
    let send = || {
        send_mail("Hello", "Body", "shop@example.com", &["ann@example.com", "bob@example.com"])
            .html_message("<p>Body</p>")
            .connection(&mailer)
    };

    assert_eq!(send().send().unwrap(), 1, "1 message, not 2 recipients");
    assert_eq!(send().fail_silently(true).send().unwrap(), 0, "the 451 becomes 0");
    assert!(send().send().is_ok(), "only the 2nd message was failed");

    let emails = sink.outbox().find().subject("Hello").count(2);
    assert_eq!(emails[0].html(), Some("<p>Body</p>"));
    assert_eq!(emails[0].text(), Some("Body"));
}
