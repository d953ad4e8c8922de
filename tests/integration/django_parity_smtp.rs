//! Django's SMTP backend tests (`SMTPBackendTests`) that need no SMTP
//! server of someone else's: the crate's own sink where a failure must be
//! injected or sessions counted, a silent loopback listener for a timeout,
//! or no server at all. The rest run against aiosmtpd in the interop suite
//! (`interop/tests/interop/django_parity_smtp.rs`).

use std::time::Duration;

use mailtest::{Error, Mailer, Settings, SmtpSink, send_mail};

use crate::smtp_messages::receipt;

/// A mailer that really sends, for the silent listener: it is no sink of
/// this process, so only a `bypass_capture()` mailer reaches it.
fn mailer(settings: &Settings) -> Mailer {
    Mailer::from_settings(settings).unwrap().bypass_capture()
}

fn sink_settings(sink: &SmtpSink) -> Settings {
    let port = sink.port().to_string();
    Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", port.as_str())]).unwrap()
}

/// `test_send_messages_empty_list`: no connection for nothing to send.
#[test]
fn an_empty_batch_does_not_connect() {
    let sink = SmtpSink::start().unwrap();

    assert_eq!(Mailer::from_settings(&sink_settings(&sink)).unwrap().send_messages(&[]).unwrap(), 0);

    assert_eq!(sink.sessions_started(), 0);
}

/// `fail_silently` on a mailer (Django's `get_connection(fail_silently=True)`):
/// a batch goes on past a failed message, over one session, and counts what
/// was sent; without it, the first failure ends the batch.
#[test]
fn a_silent_mailer_goes_on_past_a_failure_and_counts_what_was_sent() {
    let silent_sink = SmtpSink::builder().fail_message(2, 554, "rejected").start().unwrap();
    let loud_sink = SmtpSink::builder().fail_message(2, 554, "rejected").start().unwrap();
    let batch = [receipt(1, "a\n"), receipt(2, "b\n"), receipt(3, "c\n")];

    let silent = Mailer::from_settings(&sink_settings(&silent_sink)).unwrap().fail_silently(true);
    let loud = Mailer::from_settings(&sink_settings(&loud_sink)).unwrap();

    assert_eq!(silent.send_messages(&batch), Ok(2));
    assert!(loud.send_messages(&batch).is_err());
    let subjects = |sink: &SmtpSink| -> Vec<String> {
        sink.outbox().emails().iter().map(|e| e.subject().unwrap().to_owned()).collect()
    };
    assert_eq!(subjects(&silent_sink), ["Receipt 1", "Receipt 3"]);
    assert_eq!(subjects(&loud_sink), ["Receipt 1"]);
    assert_eq!(silent_sink.sessions_started(), 1, "one session for the batch");
}

/// A timeout says that it timed out, after how long, and names
/// `EMAIL_TIMEOUT` (`test_connection_timeout_custom`'s setting, seen from
/// the outside): a server that accepts and never answers.
#[test]
fn a_timeout_names_email_timeout() {
    let (port, _silent) = silent_server();
    let settings = Settings::from_vars([
        ("EMAIL_HOST", "127.0.0.1".to_owned()),
        ("EMAIL_PORT", port.to_string()),
        ("EMAIL_TIMEOUT", "1".to_owned()),
    ])
    .unwrap();

    let err = mailer(&settings).send_messages(&[receipt(1, "a\n")]).unwrap_err();

    assert!(err.to_string().contains("timed out: no answer within 1 s (EMAIL_TIMEOUT)"), "{err}");
}

/// A loopback server that takes connections and never says a word; the
/// connections are kept until the handle drops.
fn silent_server() -> (u16, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        listener.set_nonblocking(true).unwrap();
        let until = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < until {
            if let Ok((stream, _)) = listener.accept() {
                held.push(stream);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    (port, handle)
}

/// The SMTP settings, read as Django reads them: TLS, SSL, certificate
/// files and the timeout, from settings, with their defaults
/// (`test_email_*_use_settings`, `_default_disabled`,
/// `test_connection_timeout_default`, `test_ssl_tls_mutually_exclusive`).
#[test]
fn smtp_settings_and_their_defaults() {
    let defaults = Settings::default();
    assert_eq!((defaults.use_tls, defaults.use_ssl, defaults.timeout), (false, false, None));
    assert_eq!((defaults.ssl_certfile.clone(), defaults.ssl_keyfile.clone()), (None, None));
    let set = Settings::from_vars([
        ("EMAIL_USE_TLS", "True"),
        ("EMAIL_SSL_CERTFILE", "foo"),
        ("EMAIL_SSL_KEYFILE", "bar"),
        ("EMAIL_TIMEOUT", "10"),
    ])
    .unwrap();
    assert!(set.use_tls);
    assert_eq!(set.ssl_certfile.as_deref(), Some(std::path::Path::new("foo")));
    assert_eq!(set.ssl_keyfile.as_deref(), Some(std::path::Path::new("bar")));
    assert_eq!(set.timeout, Some(Duration::from_secs(10)));
    let both = Settings::from_vars([("EMAIL_USE_TLS", "1"), ("EMAIL_USE_SSL", "1")]).unwrap_err();
    assert!(matches!(both, Error::ConflictingSettings { .. }));
    // Django ignores a key file without a certificate; it is refused here.
    assert!(Settings::from_vars([("EMAIL_SSL_KEYFILE", "bar")]).is_err());
}

/// `auth_user`/`auth_password` with `connection(..)`, and `using` with it:
/// errors, as Django's, even when failing silently; nothing is sent.
#[test]
fn credentials_or_a_mailer_name_with_a_connection_are_errors() {
    let sink = SmtpSink::start().unwrap();
    let connection = Mailer::from_settings(&sink_settings(&sink)).unwrap();
    let send = || send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"]).connection(&connection);

    let errors = [
        send().auth_user("reports").fail_silently(true).send().unwrap_err(),
        send().auth_password("s3cret").send().unwrap_err(),
        send().using("bulk").send().unwrap_err(),
    ];

    let text = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n\n");
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("send_mail_conflicting_options", text);
    });
    assert!(errors.iter().all(|err| matches!(err, Error::ConflictingOptions { .. })));
    assert_eq!(sink.sessions_started(), 0);
}

/// The same, for `AsyncMailer`: a silent mailer going on past a failure, a
/// timeout named.
#[cfg(feature = "tokio")]
mod asynchronous {
    use mailtest::{AsyncMailer, Settings, SmtpSink};

    use super::{silent_server, sink_settings};
    use crate::smtp_messages::receipt;

    fn mailer(settings: &Settings) -> AsyncMailer {
        AsyncMailer::from_settings(settings).unwrap().bypass_capture()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_silent_mailer_goes_on_past_a_failure() {
        let sink = SmtpSink::builder().fail_message(1, 451, "try later").start().unwrap();
        let silent = AsyncMailer::from_settings(&sink_settings(&sink)).unwrap().fail_silently(true);

        let sent = silent.send_messages(&[receipt(1, "a\n"), receipt(2, "b\n")]).await;

        assert_eq!(sent, Ok(1));
        sink.outbox().find().subject("Receipt 2").one();
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_timeout_names_email_timeout() {
        let (port, _silent) = silent_server();
        let port = port.to_string();
        let settings =
            Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", &port), ("EMAIL_TIMEOUT", "1")])
                .unwrap();

        let err = mailer(&settings).send(receipt(1, "a\n")).await.unwrap_err();

        assert!(err.to_string().contains("timed out: no answer within 1 s (EMAIL_TIMEOUT)"), "{err}");
    }
}
