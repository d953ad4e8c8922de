//! Django's SMTP backend tests (`SMTPBackendTests`,
//! `SMTPBackendStoppedServerTests`) ported, against aiosmtpd, a server
//! nobody here wrote. Connections are counted at the server: aiosmtpd
//! numbers each client connection. The checks that need only the crate's own
//! sink (a failure injected, sessions counted) or no server at all are in
//! the default suite (`tests/integration/django_parity_smtp.rs`).
//!
//! Every mailer that talks to aiosmtpd bypasses the capture: this process is
//! a test, and a test's mailer reaches only its own sinks otherwise.

use std::time::Duration;

use mailtest::{Error, Mailer, Settings, send_mail, send_mass_mail};

use crate::aiosmtpd::Aiosmtpd;
use crate::smtp_messages::receipt;

fn mailer(settings: &Settings) -> Mailer {
    Mailer::from_settings(settings).unwrap().bypass_capture()
}

/// What an SMTP server must store for `built`: the same bytes, with a final
/// CRLF when it had none (SMTP data always ends in one, and `smtplib` adds
/// it the same way).
fn stored(built: &[u8]) -> Vec<u8> {
    let mut stored = built.to_vec();
    if !stored.ends_with(b"\r\n") {
        stored.extend_from_slice(b"\r\n");
    }
    stored
}

const BODIES: [&str; 6] = [
    "Content\n",
    "Content",
    ".\n..\n.leading dot\nlast line\n",
    "ends with a dot line\n.",
    "\n\nblank lines first, two at the end\n\n\n",
    "Grüße, ünïcödé\n",
];

/// The byte-exact check: what the mailer sends arrives as built, for bodies
/// with and without a final newline and with dot-leading lines (Django's
/// `test_send` "Content\n" among them). lettre's own `send` would store
/// "Content\n" as "Content\n\n".
#[test]
fn what_was_built_arrives_byte_for_byte() {
    let server = Aiosmtpd::start(&[]);
    let messages: Vec<lettre::Message> =
        BODIES.iter().enumerate().map(|(n, body)| receipt(n, body)).collect();

    assert_eq!(mailer(&server.settings(&[])).send_messages(&messages).unwrap(), BODIES.len());

    for (message, body) in messages.iter().zip(BODIES) {
        let built = message.formatted();
        assert!(!built.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'), "lettre builds CRLF lines");
        let received = server.received();
        assert_eq!(
            String::from_utf8_lossy(&received.data),
            String::from_utf8_lossy(&stored(&built)),
            "body {body:?}"
        );
    }
}

/// `test_email_msg_uses_crlf`: bytes built elsewhere with bare LF (or CR)
/// line endings go out with CRLF only, and a line with a lone dot cannot end
/// the data early.
#[test]
fn raw_bytes_go_out_with_crlf_line_endings_only() {
    use lettre::Transport;
    let server = Aiosmtpd::start(&[]);
    let envelope = lettre::address::Envelope::new(
        Some("shop@example.com".parse().unwrap()),
        vec!["ann@example.com".parse().unwrap()],
    )
    .unwrap();
    let raw = b"From: shop@example.com\nTo: ann@example.com\nSubject: Raw\n\nline one\r.\n.\nlast";

    mailer(&server.settings(&[])).send_raw(&envelope, raw).unwrap();

    let data = server.received().data;
    let expected = b"From: shop@example.com\r\nTo: ann@example.com\r\nSubject: Raw\r\n\r\nline one\r\n.\r\n.\r\nlast\r\n";
    assert_eq!(String::from_utf8_lossy(&data), String::from_utf8_lossy(expected));
}

/// Connection reuse, counted at the server: a batch is one connection;
/// without `open()` each batch has its own; `open()` holds one across
/// batches (a second `open()` is a no-op) until `close()`.
#[test]
fn a_batch_is_one_connection_and_open_holds_one_until_close() {
    let server = Aiosmtpd::start(&[]);
    let mailer = mailer(&server.settings(&[]));
    let connections = |n: usize| (0..n).map(|_| server.received().connection).collect::<Vec<_>>();

    mailer.send_messages(&[receipt(1, "a\n"), receipt(2, "b\n"), receipt(3, "c\n")]).unwrap();
    assert_eq!(connections(3), [1, 1, 1], "Django makes one connection for the batch");
    send_mass_mail(&[
        ("A", "a", "shop@example.com", &["ann@example.com"]),
        ("B", "b", "shop@example.com", &["bob@example.com"]),
    ])
    .connection(&mailer)
    .send()
    .unwrap();
    assert_eq!(connections(2), [2, 2], "send_mass_mail: one connection");

    mailer.open().unwrap();
    mailer.open().unwrap();
    mailer.send_messages(&[receipt(4, "d\n")]).unwrap();
    mailer.send_messages(&[receipt(5, "e\n")]).unwrap();
    mailer.close().unwrap();
    mailer.send_messages(&[receipt(6, "f\n")]).unwrap();
    assert_eq!(connections(3), [3, 3, 4], "held by open, ended by close");
}

/// `test_encodes_idna_in_smtp_commands` and `test_does_not_reencode_idna`:
/// the envelope goes out with ASCII domains — to a server without SMTPUTF8 —
/// and domains already in ASCII form (IDNA 2008) are kept.
#[test]
fn the_envelope_has_ascii_domains() {
    let server = Aiosmtpd::start(&[]);
    let mailer = mailer(&server.settings(&[]));
    let unicode = lettre::Message::builder()
        .from("Gestor de listas <lists@discussão.example.org>".parse().unwrap())
        .to("To Example <to@漢字.example.com>".parse().unwrap())
        .bcc("monitor@discussão.example.org".parse().unwrap())
        .body(String::from("Olá"))
        .unwrap();
    let encoded = lettre::Message::builder()
        .from("\"βόλος\" <from@xn--fa-hia.example.com>".parse().unwrap())
        .to("\"faß\" <to@xn--10cl1a0b660p.example.com>".parse().unwrap())
        .cc("\"ශ්රී\" <cc@xn--nxasmm1c.example.com>".parse().unwrap())
        .bcc("\"نامهای.\" <bcc@xn--mgba3gch31f060k.example.com>".parse().unwrap())
        .body(String::from("Hello"))
        .unwrap();

    mailer.send_messages(&[unicode, encoded]).unwrap();

    let first = server.received();
    assert_eq!(first.mail_from, "lists@xn--discusso-xza.example.org");
    assert_eq!(first.rcpt_tos, ["to@xn--p8s937b.example.com", "monitor@xn--discusso-xza.example.org"]);
    assert!(String::from_utf8_lossy(&first.data).contains("<lists@xn--discusso-xza.example.org>\r\n"));
    let second = server.received();
    assert_eq!(second.mail_from, "from@xn--fa-hia.example.com");
    assert_eq!(
        second.rcpt_tos,
        [
            "to@xn--10cl1a0b660p.example.com",
            "cc@xn--nxasmm1c.example.com",
            "bcc@xn--mgba3gch31f060k.example.com"
        ]
    );
}

/// `test_rejects_non_ascii_local_part`: a non-ASCII local part has no
/// ASCII form. Django refuses it always; mailtest sends it to a server
/// that offers SMTPUTF8 and refuses it, naming the address, otherwise.
#[test]
fn a_non_ascii_local_part_needs_smtputf8() {
    let plain = Aiosmtpd::start(&[]);
    let utf8 = Aiosmtpd::start(&["--smtputf8"]);
    let nø = || {
        lettre::Message::builder()
            .from("from@example.com".parse().unwrap())
            .to("nø@example.dk".parse().unwrap())
            .body(String::from("Hej"))
            .unwrap()
    };

    let err = mailer(&plain.settings(&[])).send_messages(&[nø()]).unwrap_err();
    mailer(&utf8.settings(&[])).send_messages(&[nø()]).unwrap();

    assert!(matches!(&err, Error::InvalidAddress { address, .. } if address == "nø@example.dk"), "{err:?}");
    assert!(err.to_string().contains("SMTPUTF8"), "{err}");
    assert_eq!(utf8.received().rcpt_tos, ["nø@example.dk"]);
    plain.assert_nothing_received(Duration::from_millis(200));
}

fn to_three() -> lettre::Message {
    lettre::Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .to("gone@example.com".parse().unwrap())
        .cc("bob@example.com".parse().unwrap())
        .subject("Partly refused")
        .body(String::from("Hello\n"))
        .unwrap()
}

/// Some recipients refused: the message goes to the others and counts, as
/// in `smtplib`; `deliver` says who was refused, with the server's reply.
#[test]
fn a_refused_recipient_does_not_sink_the_message() {
    let server = Aiosmtpd::start(&["--refuse", "gone@example.com"]);

    let delivery = mailer(&server.settings(&[])).deliver(&[receipt(1, "first\n"), to_three()]).unwrap();

    assert_eq!(delivery.sent(), 2);
    let refused = &delivery.refused()[0];
    assert_eq!((refused.message(), refused.recipient(), refused.code()), (1, "gone@example.com", Some(550)));
    assert!(refused.reply().contains("no such user"), "{refused}");
    server.received();
    assert_eq!(server.received().rcpt_tos, ["ann@example.com", "bob@example.com"]);
}

/// Every recipient refused: an error naming each, nothing sent — and the
/// session goes on (`RSET`), so a held one serves the next message.
#[test]
fn every_recipient_refused_is_an_error_and_the_session_goes_on() {
    let server = Aiosmtpd::start(&["--refuse", "ann@example.com", "--refuse", "gone@example.com"]);
    let mailer = mailer(&server.settings(&[]));
    let refused_all = lettre::Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .to("gone@example.com".parse().unwrap())
        .body(String::from("Hello"))
        .unwrap();

    mailer.open().unwrap();
    let err = mailer.send_messages(&[refused_all]).unwrap_err();
    mailer.send_messages(&[receipt(2, "next\n")]).unwrap();
    mailer.close().unwrap();

    assert!(matches!(err, Error::Smtp { code: Some(550), .. }), "{err:?}");
    assert!(err.to_string().contains("ann@example.com (550"), "{err}");
    let next = server.received();
    assert_eq!((next.rcpt_tos.as_slice(), next.connection), (&["customer2@example.com".to_owned()][..], 1));
}

/// `SMTPBackendStoppedServerTests`: closing while the server is gone is no
/// error; a failed `open()` is one, unless the mailer fails silently — then
/// nothing is sent and nothing fails.
#[test]
fn a_stopped_server() {
    let server = Aiosmtpd::start(&[]);
    let settings = server.settings(&[("EMAIL_TIMEOUT", "5")]);
    let held = mailer(&settings);
    held.open().unwrap();
    drop(server);

    assert_eq!(held.close(), Ok(()), "test_server_stopped");
    let err = mailer(&settings).open().unwrap_err();
    assert!(matches!(err, Error::Smtp { .. }), "{err:?}");
    let silent = mailer(&settings).fail_silently(true);
    assert_eq!(silent.open(), Ok(()), "test_fail_silently_on_connection_error");
    assert_eq!(silent.send_messages(&[receipt(1, "a\n")]), Ok(0));
}

/// `test_auth_attempted` and `test_email_disabled_authentication`:
/// credentials make the backend log in (a server without AUTH is then an
/// error); empty ones do not.
#[test]
fn auth_is_attempted_only_with_credentials() {
    let server = Aiosmtpd::start(&[]);
    let with = server.settings(&[("EMAIL_HOST_USER", "not empty"), ("EMAIL_HOST_PASSWORD", "not empty")]);
    let empty = server.settings(&[("EMAIL_HOST_USER", ""), ("EMAIL_HOST_PASSWORD", "")]);

    let err = mailer(&with).send_messages(&[receipt(1, "a\n")]).unwrap_err();
    mailer(&empty).send_messages(&[receipt(2, "b\n")]).unwrap();

    assert!(err.to_string().contains(&format!("127.0.0.1:{}", server.port)), "{err}");
    assert_eq!(server.received().login, None);
}

/// `test_email_tls_attempts_starttls` and `test_email_ssl_attempts_ssl_connection`:
/// TLS asked for and not possible is an error, never a plain-text send.
#[test]
fn tls_asked_for_is_required() {
    let server = Aiosmtpd::start(&[]);

    let starttls = mailer(&server.settings(&[("EMAIL_USE_TLS", "true")])).send_messages(&[receipt(1, "a\n")]);
    let implicit = mailer(&server.settings(&[("EMAIL_USE_SSL", "true")])).send_messages(&[receipt(2, "b\n")]);

    assert!(starttls.unwrap_err().to_string().contains("does not offer STARTTLS"));
    assert!(matches!(implicit, Err(Error::Smtp { .. })), "{implicit:?}");
    server.assert_nothing_received(Duration::from_millis(200));
}

/// Named mailers: each sends through its own server, and a capture records
/// which one sent.
#[test]
fn named_mailers_send_through_their_own_server() {
    let default = Aiosmtpd::start(&[]);
    let bulk = Aiosmtpd::start(&[]);
    let (default_port, bulk_port) = (default.port.to_string(), bulk.port.to_string());
    let settings = Settings::from_vars([
        ("EMAIL_HOST", "127.0.0.1"),
        ("EMAIL_PORT", default_port.as_str()),
        ("MAILERS", "bulk"),
        ("MAILER_BULK_EMAIL_HOST", "127.0.0.1"),
        ("MAILER_BULK_EMAIL_PORT", bulk_port.as_str()),
    ])
    .unwrap();

    Mailer::from_settings(&settings).unwrap().bypass_capture().send_messages(&[receipt(1, "a\n")]).unwrap();
    Mailer::using(&settings, "bulk").unwrap().bypass_capture().send_messages(&[receipt(2, "b\n")]).unwrap();
    let mail = mailtest::capture();
    send_mail("Spring sale", "20% off", "shop@example.com", &["ann@example.com"])
        .connection(&Mailer::using(&settings, "bulk").unwrap())
        .send()
        .unwrap();

    assert_eq!(default.received().rcpt_tos, ["customer1@example.com"]);
    assert_eq!(bulk.received().rcpt_tos, ["customer2@example.com"]);
    assert_eq!(mail.find().subject("Spring sale").one().sent_using(), Some("bulk"));
}

/// The same, for `AsyncMailer`: byte-exact data, one pooled connection,
/// refused recipients reported, ASCII domains in the envelope.
mod asynchronous {
    use mailtest::{AsyncMailer, Settings};

    use super::{BODIES, stored, to_three};
    use crate::aiosmtpd::Aiosmtpd;
    use crate::smtp_messages::receipt;

    fn mailer(settings: &Settings) -> AsyncMailer {
        AsyncMailer::from_settings(settings).unwrap().bypass_capture()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn what_was_built_arrives_byte_for_byte_over_one_connection() {
        let server = Aiosmtpd::start(&[]);
        let mailer = mailer(&server.settings(&[]));
        let messages: Vec<lettre::Message> =
            BODIES.iter().enumerate().map(|(n, body)| receipt(n, body)).collect();

        mailer.send_messages(&messages[..3]).await.unwrap();
        for message in &messages[3..] {
            mailer.send(message.clone()).await.unwrap();
        }

        for message in &messages {
            let received = server.received();
            assert_eq!(received.data, stored(&message.formatted()));
            assert_eq!(received.connection, 1, "the idle connection is reused");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_recipient_is_reported_and_the_others_get_the_message() {
        let server = Aiosmtpd::start(&["--refuse", "gone@example.com"]);

        let delivery = mailer(&server.settings(&[])).deliver(&[to_three()]).await.unwrap();

        assert_eq!(delivery.sent(), 1);
        assert_eq!(delivery.refused()[0].recipient(), "gone@example.com");
        assert_eq!(server.received().rcpt_tos, ["ann@example.com", "bob@example.com"]);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_envelope_has_ascii_domains() {
        let server = Aiosmtpd::start(&[]);
        let unicode = lettre::Message::builder()
            .from("from@öäü.com".parse().unwrap())
            .to("to@öäü.com".parse().unwrap())
            .body(String::from("Hallo"))
            .unwrap();

        mailer(&server.settings(&[])).send(unicode).await.unwrap();

        let received = server.received();
        assert_eq!(
            (received.mail_from.as_str(), received.rcpt_tos.as_slice()),
            ("from@xn--4ca9at.com", &["to@xn--4ca9at.com".to_owned()][..])
        );
        assert!(String::from_utf8_lossy(&received.data).contains("To: to@xn--4ca9at.com\r\n"));
    }
}
