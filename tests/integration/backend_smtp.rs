//! The SMTP backend's checks that need no SMTP server: nothing listening
//! on the port, a capture bound on the thread, certificate files that are
//! missing or not PEM. Its sends to a real server (plain, AUTH, STARTTLS,
//! implicit TLS, sync and async) run against aiosmtpd in the interop suite
//! (`interop/tests/interop/backend_smtp.rs`).

use std::io::Write;

use mailtest::{Error, Mailer, Settings};

use crate::smtp_messages::message;

/// A mailer that really sends: this process is a test, so only a
/// `bypass_capture()` mailer tries a server that is not its own sink.
fn mailer(settings: &Settings) -> Result<Mailer, Error> {
    Mailer::from_settings(settings).map(Mailer::bypass_capture)
}

#[test]
fn nobody_listening_is_an_error_naming_the_server() {
    // A port that was free a moment ago: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = Settings::from_vars([
        ("EMAIL_HOST", "127.0.0.1".to_owned()),
        ("EMAIL_PORT", port.to_string()),
        ("EMAIL_TIMEOUT", "5".to_owned()),
    ])
    .unwrap();

    let err = mailer(&settings).unwrap().send_messages(&[message()]).unwrap_err();

    assert!(matches!(&err, Error::Smtp { server, .. } if *server == format!("127.0.0.1:{port}")), "{err:?}");
}

#[test]
fn a_bound_capture_wins_over_smtp() {
    // Nothing listens on the port: a real send would fail.
    let settings = Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", "9")]).unwrap();
    let mailer = Mailer::from_settings(&settings).unwrap();
    let mail = mailtest::capture();

    mailer.send_messages(&[message()]).unwrap();

    mail.find().to("ann@example.com").bcc("audit@example.com").one();
}

#[test]
fn a_missing_certificate_file_is_named() {
    let settings =
        Settings::from_vars([("EMAIL_USE_TLS", "1"), ("EMAIL_SSL_CERTFILE", "/nonexistent/client.pem")])
            .unwrap();

    let err = mailer(&settings).unwrap_err();

    assert!(err.to_string().contains("/nonexistent/client.pem"), "{err}");
}

#[test]
fn a_file_that_is_not_pem_is_named_with_its_setting() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("ca.pem");
    std::fs::File::create(&garbage).unwrap().write_all(b"not a certificate").unwrap();
    let settings =
        Settings::from_vars([("EMAIL_USE_SSL", "1"), ("EMAIL_SSL_CAFILE", garbage.to_str().unwrap())])
            .unwrap();

    let err = mailer(&settings).unwrap_err();

    let Error::InvalidSetting { name, value, .. } = &err else { panic!("{err:?}") };
    assert_eq!((name.as_str(), value.as_str()), ("EMAIL_SSL_CAFILE", garbage.to_str().unwrap()));
}
