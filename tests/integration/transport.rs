//! lettre transports: explicit and ambient delivery, envelopes, and the
//! error when there is nowhere to deliver.

use lettre::Transport;
use lettre::address::Envelope;
use mailtest::{CaptureTransport, Error, Outbox};

fn message(to: &str, subject: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("App <app@example.com>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject(subject)
        .body(String::from("Hello"))
        .unwrap()
}

#[test]
fn explicit_transport_delivers_only_into_its_outbox() {
    let mail = mailtest::capture();
    let other = Outbox::new();

    other.transport().send(&message("ann.transport@example.com", "to other")).unwrap();

    mail.assert_empty();
    other.find().subject("to other").one();
}

#[test]
fn ambient_transport_delivers_into_the_outbox_bound_when_sending() {
    let transport = CaptureTransport::ambient();
    let first = mailtest::capture();
    transport.send(&message("ann.transport@example.com", "first")).unwrap();
    {
        let second = mailtest::capture();
        transport.send(&message("ann.transport@example.com", "second")).unwrap();
        second.find().subject("second").one();
    }
    transport.send(&message("ann.transport@example.com", "third")).unwrap();

    assert_eq!(first.len(), 2);
    first.find().subject("second").none();
}

#[test]
fn send_raw_keeps_the_given_envelope() {
    let mail = mailtest::capture();
    let envelope = Envelope::new(
        Some("bounces@example.com".parse().unwrap()),
        vec!["ann.transport@example.com".parse().unwrap(), "list@example.com".parse().unwrap()],
    )
    .unwrap();

    mail.transport()
        .send_raw(&envelope, b"To: ann.transport@example.com\r\nSubject: raw\r\n\r\nbody")
        .unwrap();

    let email = mail.find().subject("raw").one();
    assert_eq!(email.envelope_from(), Some("bounces@example.com"));
    assert_eq!(email.envelope_to(), ["ann.transport@example.com", "list@example.com"]);
    assert_eq!(email.bcc(), ["list@example.com"]);
}

#[test]
fn ambient_send_with_nowhere_to_go_is_refused_with_a_fix() {
    let outcome = std::thread::Builder::new()
        .name(String::from("mailer-worker"))
        .spawn(|| CaptureTransport::ambient().send(&message("ann.transport@example.com", "lost?")))
        .unwrap()
        .join()
        .unwrap();

    let err = outcome.unwrap_err();
    let Error::NoOutbox { thread, recipients, prevented, .. } = &err else { panic!("{err:?}") };
    assert_eq!(
        (thread.as_str(), recipients.as_slice()),
        ("mailer-worker", ["ann.transport@example.com".to_owned()].as_slice())
    );
    assert_eq!(prevented, &None);
    assert_eq!(
        err.to_string(),
        "mailtest: refused a send to ann.transport@example.com on thread 'mailer-worker': no outbox is bound \
         there, no recipient is routed, no global capture is alive (use {:#} for how to capture it)"
    );
    let text = format!("{err:#}");
    assert!(text.starts_with(
        "mailtest: no outbox to capture a message for ann.transport@example.com (sent on thread 'mailer-worker')."
    ));
    for fix in ["mailtest::capture()", "outbox.transport()", "outbox.scope(fut)", "unique_address"] {
        assert!(text.contains(fix), "the error should suggest {fix}:\n{text}");
    }
}

#[test]
fn messages_keep_capture_order_and_sequence_numbers() {
    let mail = mailtest::capture();
    for n in 1..=5 {
        mail.transport().send(&message("ann.transport@example.com", &format!("n{n}"))).unwrap();
    }
    mail.clear();
    mail.transport().send(&message("ann.transport@example.com", "after clear")).unwrap();

    let emails = mail.emails();

    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].sequence(), 6, "sequence numbers are never reused");
}

#[cfg(feature = "tokio")]
mod async_transport {
    use lettre::AsyncTransport;
    use mailtest::{AsyncCaptureTransport, Error};

    #[tokio::test]
    async fn explicit_async_transport_delivers_into_its_outbox() {
        let outbox = mailtest::Outbox::new();

        outbox.async_transport().send(super::message("ann.transport@example.com", "async")).await.unwrap();

        outbox.find().subject("async").one();
    }

    #[tokio::test]
    async fn ambient_async_transport_uses_the_scope_of_the_future() {
        let outbox = mailtest::Outbox::new();

        let transport = AsyncCaptureTransport::ambient();

        outbox.scope(transport.send(super::message("ann.transport@example.com", "scoped"))).await.unwrap();

        outbox.find().subject("scoped").one();
    }

    #[tokio::test]
    async fn ambient_async_transport_with_nothing_bound_is_refused() {
        let err = AsyncCaptureTransport::ambient()
            .send(super::message("ann.transport@example.com", "x"))
            .await
            .unwrap_err();

        assert!(matches!(err, Error::NoOutbox { .. }));
    }
}
