//! `send_mail`: Django's one-call form.

use mailtest::{Error, Mailer, MemoryBackend, send_mail};

#[test]
fn returns_one_for_a_sent_message_whatever_the_number_of_recipients() {
    let mail = mailtest::capture();

    let sent =
        send_mail("Hi", "Hello", "app@example.com", &["a@example.com", "b@example.com", "c@example.com"])
            .send()
            .unwrap();

    assert_eq!(sent, 1);
    let email = mail.find().to("c@example.com").one();
    assert_eq!(email.to().len(), 3);
    assert_eq!(email.from(), ["app@example.com"]);
    assert_eq!(email.subject(), Some("Hi"));
}

#[test]
fn plain_text_only_without_html_and_alternative_with_it() {
    let mail = mailtest::capture();

    send_mail("Plain", "Grüße", "app@example.com", &["ann@example.com"]).send().unwrap();
    send_mail("Both", "Grüße", "app@example.com", &["ann@example.com"])
        .html_message("<b>Grüße</b>")
        .send()
        .unwrap();

    let plain = mail.find().subject("Plain").one();
    let both = mail.find().subject("Both").one();
    assert_eq!(plain.mime_tree().content_type(), "text/plain");
    assert_eq!(plain.text(), Some("Grüße"));
    assert!(plain.html().is_none());
    assert_eq!(both.mime_tree().content_type(), "multipart/alternative");
    let parts: Vec<&str> = both.mime_tree().children().iter().map(|p| p.content_type()).collect();
    assert_eq!(parts, ["text/plain", "text/html"]);
    assert_eq!((both.text(), both.html()), (Some("Grüße"), Some("<b>Grüße</b>")));
}

#[test]
fn no_recipients_sends_nothing_and_returns_zero() {
    let mail = mailtest::capture();

    let sent = send_mail("Hi", "Hello", "app@example.com", &[]).send().unwrap();

    assert_eq!(sent, 0);
    mail.assert_empty();
}

#[test]
fn bad_addresses_are_errors_naming_the_address_even_when_failing_silently() {
    let cases = [("not an address", "ann@example.com"), ("app@example.com", "ann@@example.com")];
    let mail = mailtest::capture();

    for (from, to) in cases {
        let err = send_mail("Hi", "Hello", from, &[to]).fail_silently(true).send().unwrap_err();
        let bad = if from.contains(' ') { from } else { to };
        assert!(matches!(&err, Error::InvalidAddress { address, .. } if address == bad), "{err:?}");
        assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
    }
    mail.assert_empty();
}

#[test]
fn fail_silently_turns_send_errors_into_zero() {
    // The memory backend with nothing bound on its thread refuses.
    let mailer = Mailer::new(MemoryBackend);
    let send = |fail_silently| {
        let mailer = mailer.clone();
        std::thread::spawn(move || {
            send_mail("Hi", "Hello", "app@example.com", &["ann.unbound@example.com"])
                .connection(&mailer)
                .fail_silently(fail_silently)
                .send()
        })
        .join()
        .unwrap()
    };

    assert_eq!(send(true), Ok(0));
    assert!(matches!(send(false), Err(Error::NoOutbox { .. })));
}
