//! The SMTP backend against a real SMTP server nobody here wrote: Python's
//! aiosmtpd, started per test on 127.0.0.1 (tests/support/smtpd.py).
//!
//! `.ci/install-tools` installs aiosmtpd; without it these tests fail,
//! naming the install command. The SMTP backend's checks that need no
//! server (nothing listening, a capture bound, certificate files) are in
//! the default suite (`tests/integration/backend_smtp.rs`). Every mailer here is made with `bypass_capture()`: a
//! test process sends real SMTP only to its own sinks otherwise.

use std::path::{Path, PathBuf};

use mailtest::{Error, Mailer, Outbox, Settings, send_mail};

use crate::aiosmtpd::{Aiosmtpd, Received};
use crate::smtp_messages::message;

/// Files for a self-signed certificate made in the test.
struct Pki {
    _dir: tempfile::TempDir,
    cert: PathBuf,
    key: PathBuf,
}

fn self_signed(dir: &Path, name: &str, common_name: &str) -> (PathBuf, PathBuf) {
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    params.distinguished_name.push(rcgen::DnType::CommonName, common_name);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let (cert_path, key_path) = (dir.join(format!("{name}.pem")), dir.join(format!("{name}.key")));
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    (cert_path, key_path)
}

fn server_pki() -> Pki {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(dir.path(), "server", "mailtest test server");
    Pki { _dir: dir, cert, key }
}

/// A mailer that really sends: this process is a test, so only a
/// `bypass_capture()` mailer reaches a server that is not its own sink.
fn mailer(settings: &Settings) -> Result<Mailer, Error> {
    Mailer::from_settings(settings).map(Mailer::bypass_capture)
}

/// What the server received, as a mailtest outbox, for the usual assertions.
fn as_outbox(received: &Received) -> Outbox {
    let outbox = Outbox::new();
    let to: Vec<&str> = received.rcpt_tos.iter().map(String::as_str).collect();
    outbox.capture_raw(Some(&received.mail_from), &to, &received.data);
    outbox
}

#[test]
fn plain_smtp_delivers_envelope_and_content() {
    let server = Aiosmtpd::start(&[]);
    let mailer = mailer(&server.settings(&[])).unwrap();

    assert_eq!(mailer.send_messages(&[message()]).unwrap(), 1);

    let received = server.received();
    assert_eq!(received.mail_from, "shop@example.com");
    assert_eq!(received.rcpt_tos, ["ann@example.com", "audit@example.com"]);
    assert!(!received.tls);
    let email = as_outbox(&received).find().to("ann@example.com").subject("Your receipt").one();
    assert_eq!(email.bcc(), ["audit@example.com"]);
    assert!(email.text().unwrap().contains("\n.\nA line with only a dot"), "dot-stuffing round trip");
}

#[test]
fn auth_plain_and_login_with_the_right_password() {
    for mechanism in ["PLAIN", "LOGIN"] {
        let server =
            Aiosmtpd::start(&["--user", "app", "--password", "s3cret", "--only-mechanism", mechanism]);
        let settings = server.settings(&[("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "s3cret")]);

        mailer(&settings).unwrap().send_messages(&[message()]).unwrap();

        assert_eq!(server.received().login, Some(format!("app/{mechanism}")), "{mechanism}");
    }
}

#[test]
fn a_wrong_password_is_an_error_with_the_server_reply() {
    let server = Aiosmtpd::start(&["--user", "app", "--password", "s3cret"]);
    let settings = server.settings(&[("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "wrong")]);

    let err = mailer(&settings).unwrap().send_messages(&[message()]).unwrap_err();

    let Error::Smtp { server: address, reply, .. } = &err else {
        panic!("expected Error::Smtp, got {err:?}")
    };
    assert_eq!(address, &format!("127.0.0.1:{}", server.port));
    assert!(reply.contains("535"), "the server's code: {reply}");
    assert!(reply.contains("Authentication credentials invalid"), "the server's text: {reply}");
}

#[test]
fn send_mail_auth_user_overrides_the_credentials() {
    let server = Aiosmtpd::start(&["--user", "reports", "--password", "r3ports"]);
    // The configured credentials are wrong; send_mail's override is right.
    let settings = server.settings(&[("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "wrong")]);
    let mut overridden = settings.clone();
    overridden.host_user = Some("reports".to_owned());
    overridden.host_password = Some("r3ports".to_owned());

    let sent = send_mail("Weekly", "Numbers", "app@example.com", &["boss@example.com"])
        .connection(&mailer(&overridden).unwrap())
        .send()
        .unwrap();
    let failed = send_mail("Weekly", "Numbers", "app@example.com", &["boss@example.com"])
        .connection(&mailer(&settings).unwrap())
        .fail_silently(true)
        .send()
        .unwrap();

    assert_eq!((sent, failed), (1, 0));
    assert_eq!(server.received().login.as_deref(), Some("reports/PLAIN"));
}

#[test]
fn starttls_with_a_self_signed_certificate_trusted_by_cafile() {
    let pki = server_pki();
    let (cert, key) = (pki.cert.to_str().unwrap(), pki.key.to_str().unwrap());
    let server = Aiosmtpd::start(&[
        "--mode",
        "starttls",
        "--cert",
        cert,
        "--key",
        key,
        "--user",
        "app",
        "--password",
        "pw",
    ]);
    let settings = server.settings(&[
        ("EMAIL_USE_TLS", "true"),
        ("EMAIL_SSL_CAFILE", cert),
        ("EMAIL_HOST_USER", "app"),
        ("EMAIL_HOST_PASSWORD", "pw"),
    ]);

    mailer(&settings).unwrap().send_messages(&[message()]).unwrap();

    let received = server.received();
    assert!(received.tls, "the message travelled after STARTTLS");
    assert_eq!(received.login.as_deref(), Some("app/PLAIN"));
}

#[test]
fn starttls_refuses_a_certificate_nobody_trusts() {
    let pki = server_pki();
    let (cert, key) = (pki.cert.to_str().unwrap(), pki.key.to_str().unwrap());
    let server = Aiosmtpd::start(&["--mode", "starttls", "--cert", cert, "--key", key]);
    let settings = server.settings(&[("EMAIL_USE_TLS", "true")]);

    let err = mailer(&settings).unwrap().send_messages(&[message()]).unwrap_err();

    let text = err.to_string();
    assert!(
        text.contains(&format!("127.0.0.1:{}", server.port)) && text.contains("invalid peer certificate"),
        "{text}"
    );
}

#[test]
fn a_server_requiring_starttls_refuses_plain_text_with_its_reply() {
    let pki = server_pki();
    let (cert, key) = (pki.cert.to_str().unwrap(), pki.key.to_str().unwrap());
    let server = Aiosmtpd::start(&["--mode", "starttls", "--cert", cert, "--key", key]);

    let err = mailer(&server.settings(&[])).unwrap().send_messages(&[message()]).unwrap_err();

    assert!(err.to_string().contains("530"), "{err}");
}

#[test]
fn implicit_tls_with_a_client_certificate() {
    let pki = server_pki();
    let client_dir = tempfile::tempdir().unwrap();
    let (client_cert, client_key) = self_signed(client_dir.path(), "client", "mailtest client");
    let (cert, key) = (pki.cert.to_str().unwrap(), pki.key.to_str().unwrap());
    let server = Aiosmtpd::start(&[
        "--mode",
        "implicit",
        "--cert",
        cert,
        "--key",
        key,
        "--client-ca",
        client_cert.to_str().unwrap(),
    ]);
    let with_cert = server.settings(&[
        ("EMAIL_USE_SSL", "yes"),
        ("EMAIL_SSL_CAFILE", cert),
        ("EMAIL_SSL_CERTFILE", client_cert.to_str().unwrap()),
        ("EMAIL_SSL_KEYFILE", client_key.to_str().unwrap()),
    ]);
    let without_cert = server.settings(&[("EMAIL_USE_SSL", "yes"), ("EMAIL_SSL_CAFILE", cert)]);

    mailer(&with_cert).unwrap().send_messages(&[message()]).unwrap();
    let refused = mailer(&without_cert).unwrap().send_messages(&[message()]);

    let received = server.received();
    assert!(received.tls);
    assert_eq!(received.client_cn.as_deref(), Some("mailtest client"));
    assert!(refused.is_err(), "the server requires a client certificate");
}

/// `AsyncMailer` against the same server: plain, AUTH, STARTTLS and
/// implicit TLS with a client certificate.
mod asynchronous {
    use mailtest::{AsyncMailer, Settings};

    use super::{self_signed, server_pki};
    use crate::aiosmtpd::Aiosmtpd;
    use crate::smtp_messages::message;

    fn mailer(settings: &Settings) -> AsyncMailer {
        AsyncMailer::from_settings(settings).unwrap().bypass_capture()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn plain_smtp_delivers_envelope_and_content() {
        let server = Aiosmtpd::start(&[]);

        mailer(&server.settings(&[])).send(message()).await.unwrap();

        let received = server.received();
        assert_eq!(received.rcpt_tos, ["ann@example.com", "audit@example.com"]);
        assert!(!received.tls);
        assert!(String::from_utf8_lossy(&received.data).contains("Subject: Your receipt"));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn auth_plain_and_login() {
        for mechanism in ["PLAIN", "LOGIN"] {
            let server =
                Aiosmtpd::start(&["--user", "app", "--password", "s3cret", "--only-mechanism", mechanism]);
            let settings = server.settings(&[("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "s3cret")]);

            mailer(&settings).send(message()).await.unwrap();

            assert_eq!(server.received().login, Some(format!("app/{mechanism}")), "{mechanism}");
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_wrong_password_is_a_permanent_error_with_the_reply() {
        let server = Aiosmtpd::start(&["--user", "app", "--password", "s3cret"]);
        let settings = server.settings(&[("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "wrong")]);

        let err = mailer(&settings).send(message()).await.unwrap_err();

        assert!(matches!(err, mailtest::Error::Smtp { code: Some(535), .. }), "{err:?}");
        assert!(!err.is_temporary());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn starttls_with_a_certificate_trusted_by_cafile() {
        let pki = server_pki();
        let (cert, key) = (pki.cert.to_str().unwrap(), pki.key.to_str().unwrap());
        let server = Aiosmtpd::start(&[
            "--mode",
            "starttls",
            "--cert",
            cert,
            "--key",
            key,
            "--user",
            "app",
            "--password",
            "pw",
        ]);
        let settings = server.settings(&[
            ("EMAIL_USE_TLS", "true"),
            ("EMAIL_SSL_CAFILE", cert),
            ("EMAIL_HOST_USER", "app"),
            ("EMAIL_HOST_PASSWORD", "pw"),
        ]);

        mailer(&settings).send(message()).await.unwrap();

        let received = server.received();
        assert!(received.tls, "the message travelled after STARTTLS");
        assert_eq!(received.login.as_deref(), Some("app/PLAIN"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn starttls_refuses_a_certificate_nobody_trusts() {
        let pki = server_pki();
        let (cert, key) = (pki.cert.to_str().unwrap(), pki.key.to_str().unwrap());
        let server = Aiosmtpd::start(&["--mode", "starttls", "--cert", cert, "--key", key]);

        let err = mailer(&server.settings(&[("EMAIL_USE_TLS", "true")])).send(message()).await.unwrap_err();

        assert!(err.to_string().contains("invalid peer certificate"), "{err}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn implicit_tls_with_a_client_certificate() {
        let pki = server_pki();
        let client_dir = tempfile::tempdir().unwrap();
        let (client_cert, client_key) = self_signed(client_dir.path(), "client", "mailtest client");
        let (cert, key) = (pki.cert.to_str().unwrap(), pki.key.to_str().unwrap());
        let server = Aiosmtpd::start(&[
            "--mode",
            "implicit",
            "--cert",
            cert,
            "--key",
            key,
            "--client-ca",
            client_cert.to_str().unwrap(),
        ]);
        let settings = server.settings(&[
            ("EMAIL_USE_SSL", "yes"),
            ("EMAIL_SSL_CAFILE", cert),
            ("EMAIL_SSL_CERTFILE", client_cert.to_str().unwrap()),
            ("EMAIL_SSL_KEYFILE", client_key.to_str().unwrap()),
        ]);

        mailer(&settings).send(message()).await.unwrap();

        let received = server.received();
        assert!(received.tls);
        assert_eq!(received.client_cn.as_deref(), Some("mailtest client"));
    }
}
