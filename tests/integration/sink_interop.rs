//! Real SMTP clients nobody here wrote, against the sink: lettre's, sync
//! and pooled async, compiled in. Each checks the envelope, Bcc,
//! dot-unstuffing, 8-bit content and AUTH as the client does them. The
//! same checks with programs (Python's smtplib, swaks, curl) are in the
//! interop suite (`interop/tests/interop/sink_interop.rs`).

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::{Message, SmtpTransport, Transport};
use mailtest::SmtpSink;

use crate::sink_clients::{BODY, assert_delivered, sink_with_auth};

fn message(subject: &str) -> Message {
    Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to("Zoë <zoe@example.com>".parse().unwrap())
        .bcc("audit@example.com".parse().unwrap())
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(BODY.to_owned())
        .unwrap()
}

#[test]
fn lettre_smtp_transport_with_auth_plain_and_login() {
    for mechanism in [Mechanism::Plain, Mechanism::Login] {
        let sink = sink_with_auth();
        let mailer = SmtpTransport::builder_dangerous("127.0.0.1")
            .port(sink.port())
            .credentials(Credentials::new("app".into(), "s3cret".into()))
            .authentication(vec![mechanism])
            .build();

        mailer.send(&message("lettre sync")).unwrap();

        assert_delivered(&sink.outbox().find().subject("lettre sync").one());
    }
}

#[test]
fn lettre_reports_the_refusals_the_sink_injects() {
    let sink = SmtpSink::builder()
        .refuse_recipient("audit@example.com", 550, "5.1.1 no such user")
        .fail_message(2, 451, "4.3.0 try again later")
        .start()
        .unwrap();
    let mailer = SmtpTransport::builder_dangerous("127.0.0.1").port(sink.port()).build();

    let refused = mailer.send(&message("refused")).unwrap_err();
    let plain = Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to("zoe@example.com".parse().unwrap())
        .subject("plain")
        .body(String::from("hi"))
        .unwrap();
    mailer.send(&plain).unwrap();
    let failed = mailer.send(&plain).unwrap_err();
    mailer.send(&plain).unwrap();

    assert!(refused.is_permanent(), "{refused}");
    assert!(refused.to_string().contains("no such user"), "{refused}");
    assert!(failed.is_transient(), "{failed}");
    assert_eq!(sink.outbox().find().subject("plain").count(2).len(), 2);
    sink.outbox().find().subject("refused").none();
}

/// Needs lettre's `tokio1`, which our `tokio` feature turns on: a dev-dependency
/// asking for it would break `--features smtp` builds (rustls without `tokio1-rustls`).
#[cfg(feature = "tokio")]
#[test]
fn lettre_async_pooled_transport_delivers_concurrent_sends_once_each() {
    use lettre::transport::smtp::PoolConfig;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

    let sink = sink_with_auth();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let port = sink.port();

    runtime.block_on(async move {
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(port)
            .credentials(Credentials::new("app".into(), "s3cret".into()))
            .pool_config(PoolConfig::new().max_size(4))
            .build();
        let mut sends = tokio::task::JoinSet::new();
        for i in 0..40 {
            let mailer = mailer.clone();
            sends.spawn(async move { mailer.send(message(&format!("async {i}"))).await });
        }
        while let Some(sent) = sends.join_next().await {
            sent.unwrap().unwrap();
        }
    });

    let emails = sink.outbox().emails();
    assert_eq!(emails.len(), 40);
    for i in 0..40 {
        assert_delivered(&sink.outbox().find().subject(format!("async {i}").as_str()).one());
    }
}
