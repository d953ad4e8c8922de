//! A TLS sink (feature `sink-tls`): an app that insists on TLS — lettre's
//! `?tls=required`, `smtps://`, credentials — sends to it through its
//! unchanged production constructor, given only `sink.url()` and the CA;
//! and the sink holds to STARTTLS's rules (RFC 3207).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Command;

use mailtest::{Mailer, Settings, SmtpSink};

/// The production program `lettre_app` (its constructor is
/// `SmtpTransport::from_url(SMTP_URL)`, wrapped by the guard; it trusts the
/// system's roots, so `SSL_CERT_FILE` hands it the sink's CA) sends its five
/// messages to `sink`, started by this test, at `url` (the sink's own by
/// default).
fn production_app_sends_to(sink: &SmtpSink, to: &str) {
    production_app_sends_at(sink, &sink.url(), to);
}

fn production_app_sends_at(sink: &SmtpSink, url: &str, to: &str) {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("sink-ca.pem");
    std::fs::write(&ca, sink.ca_pem().expect("a TLS sink has a CA")).unwrap();
    let app = crate::backend_process::build_example("lettre_app");

    let output = crate::refusals::copied::output_of(
        Command::new(app).env_clear().env("SMTP_URL", url).env("SSL_CERT_FILE", &ca).arg(to),
    );

    assert!(output.status.success(), "{url}: {}", String::from_utf8_lossy(&output.stderr));
    sink.outbox().find().to(to).count(5);
}

#[test]
fn a_lettre_app_with_tls_required_sends_through_starttls() {
    let sink = SmtpSink::builder().starttls().start().unwrap();
    assert_eq!(sink.url(), format!("smtp://127.0.0.1:{}?tls=required", sink.port()));

    production_app_sends_to(&sink, "ann.starttls@example.com");
}

#[test]
fn a_lettre_app_with_smtps_sends_over_implicit_tls() {
    let sink = SmtpSink::builder().implicit_tls().start().unwrap();
    assert_eq!(sink.url(), format!("smtps://127.0.0.1:{}", sink.port()));

    production_app_sends_to(&sink, "ann.smtps@example.com");
}

#[test]
fn a_lettre_app_with_credentials_logs_in_under_tls() {
    let starttls = SmtpSink::builder().starttls().credentials("app", "s3cr@t:/").start().unwrap();
    assert_eq!(
        starttls.url(),
        format!("smtp://app:s3cr%40t%3A%2F@127.0.0.1:{}?tls=required", starttls.port())
    );
    production_app_sends_to(&starttls, "ann.login@example.com");

    let smtps = SmtpSink::builder().implicit_tls().credentials("app", "s3cret").start().unwrap();
    production_app_sends_to(&smtps, "ann.smtps.login@example.com");
}

/// `any_credentials`: the app keeps the user and password of its own
/// configuration; the test only swaps host and port.
#[test]
fn any_credentials_take_what_the_app_has() {
    let sink = SmtpSink::builder().implicit_tls().any_credentials().start().unwrap();
    let url = sink.url().replace("smtps://", "smtps://prod-user:prod%20password@");

    production_app_sends_at(&sink, &url, "ann.any@example.com");
}

/// mailtest's own `Mailer`, from the sink's URL, trusting its CA with
/// `EMAIL_SSL_CAFILE`.
#[test]
fn a_mailer_from_the_sink_url_sends_over_tls() {
    for builder in [SmtpSink::builder().starttls(), SmtpSink::builder().implicit_tls()] {
        let sink = builder.credentials("app", "s3cret").start().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, sink.ca_pem().unwrap()).unwrap();
        let url = sink.url();
        let settings =
            Settings::from_vars([("EMAIL_URL", url.as_str()), ("EMAIL_SSL_CAFILE", ca.to_str().unwrap())])
                .unwrap();
        let message = lettre::Message::builder()
            .from("shop@example.com".parse().unwrap())
            .to("ann@example.com".parse().unwrap())
            .subject("Over TLS")
            .body(String::from("Hi"))
            .unwrap();

        Mailer::from_settings(&settings).unwrap().send(&message).unwrap();

        sink.outbox().find().subject("Over TLS").one();
    }
}

/// A plain-text session with a STARTTLS sink: what is offered, what waits.
fn say(sink: &SmtpSink, lines: &[&str]) -> Vec<String> {
    let stream = TcpStream::connect(sink.addr()).unwrap();
    let mut replies = BufReader::new(stream.try_clone().unwrap());
    let mut read_reply = || {
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            replies.read_line(&mut line).unwrap();
            reply.push_str(&line);
            if line.len() < 4 || line.as_bytes()[3] == b' ' {
                return reply.trim_end().to_owned();
            }
        }
    };
    read_reply(); // the greeting
    lines
        .iter()
        .map(|line| {
            write!(&stream, "{line}\r\n").unwrap();
            read_reply()
        })
        .collect()
}

#[test]
fn starttls_is_offered_and_required_before_auth_and_mail() {
    let sink = SmtpSink::builder().starttls().credentials("app", "s3cret").start().unwrap();

    let replies =
        say(&sink, &["EHLO client.test", "AUTH PLAIN AGFwcABzM2NyZXQ=", "MAIL FROM:<a@example.com>"]);

    assert!(replies[0].contains("250-STARTTLS"), "{}", replies[0]);
    assert_eq!(replies[1], "530 5.7.0 must issue a STARTTLS command first");
    assert_eq!(replies[2], "530 5.7.0 must issue a STARTTLS command first");
    sink.outbox().assert_empty();
}

#[test]
fn starttls_takes_no_arguments_and_a_sink_without_tls_does_not_implement_it() {
    let tls = SmtpSink::builder().starttls().start().unwrap();
    assert_eq!(say(&tls, &["EHLO c.test", "STARTTLS now"])[1], "501 5.5.4 STARTTLS takes no arguments");

    let plain = SmtpSink::start().unwrap();
    let replies = say(&plain, &["EHLO c.test", "STARTTLS"]);
    assert!(!replies[0].contains("STARTTLS"), "{}", replies[0]);
    assert_eq!(replies[1], "502 5.5.1 command not implemented");
}

/// Commands pipelined after STARTTLS, before TLS began, are dropped, not
/// taken as said under TLS (the STARTTLS injection of CVE-2011-0411): the
/// connection then speaks TLS, so plain text gets nothing back.
#[test]
fn commands_pipelined_after_starttls_are_not_executed() {
    let sink = SmtpSink::builder().starttls().start().unwrap();
    let stream = TcpStream::connect(sink.addr()).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    let mut replies = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    replies.read_line(&mut line).unwrap(); // greeting
    write!(&stream, "EHLO c.test\r\n").unwrap();
    while {
        line.clear();
        replies.read_line(&mut line).unwrap();
        line.as_bytes()[3] == b'-'
    } {}

    write!(
        &stream,
        "STARTTLS\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nSubject: injected\r\n\r\nx\r\n.\r\n"
    )
    .unwrap();
    line.clear();
    replies.read_line(&mut line).unwrap();
    assert_eq!(line, "220 2.0.0 ready to start TLS\r\n");

    // Not a TLS ClientHello: the sink ends the connection without a reply in plain text.
    write!(&stream, "NOOP\r\n").unwrap();
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut replies, &mut rest);
    assert!(!String::from_utf8_lossy(&rest).contains("250"), "{rest:?}");
    sink.outbox().assert_empty();
}

#[test]
fn the_ca_is_none_without_tls() {
    assert_eq!(SmtpSink::start().unwrap().ca_pem(), None);
}

/// A lettre client of `sink` that trusts its CA, as a test writes one.
fn trusting_client(sink: &SmtpSink, implicit: bool) -> lettre::SmtpTransport {
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
    let ca = Certificate::from_pem(sink.ca_pem().unwrap().as_bytes()).unwrap();
    let tls = TlsParameters::builder("localhost".to_owned()).add_root_certificate(ca).build().unwrap();
    let tls = if implicit { Tls::Wrapper(tls) } else { Tls::Required(tls) };
    lettre::SmtpTransport::builder_dangerous("localhost").port(sink.port()).tls(tls).build()
}

/// Large data crosses TLS records and reads of every size whole, both ways
/// of starting TLS, twice on one pooled connection.
#[test]
fn a_large_message_crosses_tls_whole() {
    use lettre::Transport;
    let body = "0123456789abcdefghijklmnopqrstuvwxyz.\n".repeat(12_000); // 456 KB: some 30 TLS records
    for implicit in [true, false] {
        let sink = if implicit { SmtpSink::builder().implicit_tls() } else { SmtpSink::builder().starttls() }
            .start()
            .unwrap();
        let client = trusting_client(&sink, implicit);
        for n in 0..2 {
            let message = lettre::Message::builder()
                .from("shop@example.com".parse().unwrap())
                .to("ann@example.com".parse().unwrap())
                .subject(format!("Large {n}"))
                .body(body.clone())
                .unwrap();
            client.send(&message).unwrap();
        }
        let emails = sink.outbox().find().to("ann@example.com").count(2);
        // (lettre ends the body with a line break of its own.)
        assert!(emails[1].text().unwrap().trim_end() == body.trim_end(), "the body came through changed");
    }
}

/// A client that does not speak TLS to an SMTPS sink is dropped; the sink
/// serves the next one.
#[test]
fn a_client_without_tls_is_dropped_and_the_sink_serves_on() {
    use lettre::Transport;
    let sink = SmtpSink::builder().implicit_tls().start().unwrap();
    let plain = TcpStream::connect(sink.addr()).unwrap();
    plain.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    write!(&plain, "EHLO plain.test\r\n").unwrap();
    let mut answer = Vec::new();
    let _ = std::io::Read::read_to_end(&mut &plain, &mut answer);
    assert!(!String::from_utf8_lossy(&answer).contains("250"), "{answer:?}");

    let message = lettre::Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .body(String::from("After a bad client"))
        .unwrap();
    trusting_client(&sink, true).send(&message).unwrap();
    sink.outbox().find().to("ann@example.com").one();
}
