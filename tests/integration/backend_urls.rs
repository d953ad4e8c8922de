//! Settings from one URL: lettre's syntax (`Mailer::from_url`, as an app's
//! `SmtpTransport::from_url` took it) and django-environ's `EMAIL_URL`
//! schemes; a malformed URL names the setting and the part that is wrong
//! (wording pinned in `snapshots/`).

use std::path::PathBuf;
use std::time::Duration;

use mailtest::{BackendKind, Mailer, Settings};

fn email_url(url: &str) -> Result<Settings, mailtest::Error> {
    Settings::from_vars([("EMAIL_URL", url)])
}

#[test]
fn every_django_environ_scheme_parses_to_the_backend_it_names() {
    let cases = [
        ("smtp://smtp.example.com", BackendKind::Smtp, 25, false, false),
        ("smtp+tls://smtp.example.com", BackendKind::Smtp, 587, true, false),
        ("smtp+ssl://smtp.example.com", BackendKind::Smtp, 465, false, true),
        ("consolemail://", BackendKind::Console, 25, false, false),
        ("filemail:///var/mail/app", BackendKind::File, 25, false, false),
        ("memorymail://", BackendKind::Memory, 25, false, false),
        ("dummymail://", BackendKind::Dummy, 25, false, false),
    ];
    for (url, backend, port, use_tls, use_ssl) in cases {
        let settings = email_url(url).unwrap_or_else(|err| panic!("{url}: {err}"));
        assert_eq!(
            (settings.backend, settings.port, settings.use_tls, settings.use_ssl),
            (backend, port, use_tls, use_ssl),
            "{url}"
        );
        // The mailer it configures is that backend (nothing is sent here).
        Mailer::from_settings(&settings).unwrap_or_else(|err| panic!("{url}: {err}"));
    }
    assert_eq!(
        email_url("filemail:///var/mail/app").unwrap().file_path,
        Some(PathBuf::from("/var/mail/app"))
    );
}

#[test]
fn lettres_syntax_as_an_app_wrote_it_for_smtp_transport() {
    let cases = [
        ("smtp://localhost:2525", "localhost", 2525, false, false),
        ("smtp://smtp.example.com?tls=required", "smtp.example.com", 587, true, false),
        ("smtp://smtp.example.com:2587?tls=required", "smtp.example.com", 2587, true, false),
        ("smtps://smtp.example.com", "smtp.example.com", 465, false, true),
        ("smtps://[::1]:4650", "::1", 4650, false, true),
    ];
    for (url, host, port, use_tls, use_ssl) in cases {
        let settings = Settings::from_url(url).unwrap_or_else(|err| panic!("{url}: {err}"));
        assert_eq!(
            (settings.host.as_str(), settings.port, settings.use_tls, settings.use_ssl),
            (host, port, use_tls, use_ssl),
            "{url}"
        );
    }
}

#[test]
fn credentials_are_percent_decoded_and_the_query_sets_the_rest() {
    let settings = Settings::from_url(
        "smtps://ann%40example.com:p%40ss%3Aw%2Fd@smtp.example.com?timeout=2.5&ssl_cafile=/etc/ca.pem",
    )
    .unwrap();

    assert_eq!(settings.host_user.as_deref(), Some("ann@example.com"));
    assert_eq!(settings.host_password.as_deref(), Some("p@ss:w/d"));
    assert_eq!(settings.timeout, Some(Duration::from_millis(2500)));
    assert_eq!(settings.ssl_cafile, Some(PathBuf::from("/etc/ca.pem")));
}

#[test]
fn email_variables_beside_email_url_win_over_it() {
    let settings = Settings::from_vars([
        ("EMAIL_PORT", "2525"),
        ("EMAIL_URL", "smtp+tls://ann:s3cret@smtp.example.com"),
        ("EMAIL_HOST_USER", "bob"),
    ])
    .unwrap();

    assert_eq!((settings.host.as_str(), settings.port, settings.use_tls), ("smtp.example.com", 2525, true));
    assert_eq!(settings.host_user.as_deref(), Some("bob"));
    assert_eq!(settings.host_password.as_deref(), Some("s3cret"));
}

#[test]
fn a_malformed_url_names_the_setting_and_the_part_that_is_wrong() {
    let urls = [
        "smtp.example.com:587",
        "smtpx://smtp.example.com",
        "smtp://",
        "smtp://smtp.example.com:0",
        "smtp://ann:s3cret@smtp.example.com:58x",
        "smtp://smtp.example.com?tls=always",
        "smtp://smtp.example.com?tls=opportunistic",
        "smtp://smtp.example.com?tsl=required",
        "smtp://smtp.example.com?timeout=-1",
        "smtps://smtp.example.com?tls=required",
        "smtp://smtp.example.com/mx.example.com",
        "smtp://ann:s%zzcret@smtp.example.com",
        "consolemail://smtp.example.com",
        "filemail://",
        "memorymail://?timeout=2",
    ];
    let mut text = Vec::new();
    for url in urls {
        let err = email_url(url).expect_err(url);
        assert!(
            matches!(&err, mailtest::Error::InvalidSetting { name, .. } if name == "EMAIL_URL"),
            "{err:?}"
        );
        assert!(!err.to_string().contains("s3cret"), "the password must not show: {err}");
        text.push(format!("{url}\n{err}"));
    }
    let from_url = Settings::from_url("smtp://smtp.example.com:99999").unwrap_err();
    text.push(format!("Settings::from_url\n{from_url}"));
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("email_url_errors", text.join("\n\n"));
    });
}
