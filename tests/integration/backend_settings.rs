//! Settings: Django's names, defaults, accepted forms, and errors that name
//! the setting and the value (their wording pinned in `snapshots/`).

use std::path::PathBuf;
use std::time::Duration;

use mailtest::{BackendKind, Error, Mailer, Settings};

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn defaults_are_djangos() {
    let settings = Settings::from_vars(Vec::<(&str, &str)>::new()).unwrap();

    assert_eq!(settings.backend, BackendKind::Smtp);
    assert_eq!((settings.host.as_str(), settings.port), ("localhost", 25));
    assert_eq!((settings.use_tls, settings.use_ssl), (false, false));
    assert_eq!((settings.host_user, settings.host_password, settings.timeout), (None, None, None));
}

#[test]
fn every_backend_name_short_and_dotted() {
    let cases = [
        ("smtp", BackendKind::Smtp),
        ("SMTP", BackendKind::Smtp),
        ("django.core.mail.backends.smtp.EmailBackend", BackendKind::Smtp),
        ("console", BackendKind::Console),
        ("django.core.mail.backends.console.EmailBackend", BackendKind::Console),
        ("file", BackendKind::File),
        ("django.core.mail.backends.filebased.EmailBackend", BackendKind::File),
        ("memory", BackendKind::Memory),
        ("locmem", BackendKind::Memory),
        ("django.core.mail.backends.locmem.EmailBackend", BackendKind::Memory),
        ("dummy", BackendKind::Dummy),
        ("django.core.mail.backends.dummy.EmailBackend", BackendKind::Dummy),
    ];
    for (value, expected) in cases {
        let settings = Settings::from_vars([("EMAIL_BACKEND", value)]).unwrap();
        assert_eq!(settings.backend, expected, "EMAIL_BACKEND={value}");
    }
}

#[test]
fn every_setting_is_read() {
    let settings = Settings::from_vars([
        ("EMAIL_BACKEND", "smtp"),
        ("EMAIL_HOST", "smtp.example.com"),
        ("EMAIL_PORT", "465"),
        ("EMAIL_HOST_USER", "app"),
        ("EMAIL_HOST_PASSWORD", "s3cret"),
        ("EMAIL_USE_SSL", "True"),
        ("EMAIL_TIMEOUT", "7"),
        ("EMAIL_SSL_CERTFILE", "/etc/app/client.pem"),
        ("EMAIL_SSL_KEYFILE", "/etc/app/client.key"),
        ("EMAIL_SSL_CAFILE", "/etc/app/ca.pem"),
        ("EMAIL_FILE_PATH", "/var/mail/app"),
        ("PATH", "/usr/bin"), // not an email setting: ignored
    ])
    .unwrap();

    assert_eq!((settings.host.as_str(), settings.port), ("smtp.example.com", 465));
    assert_eq!(settings.host_user.as_deref(), Some("app"));
    assert_eq!(settings.host_password.as_deref(), Some("s3cret"));
    assert!(settings.use_ssl && !settings.use_tls);
    assert_eq!(settings.timeout, Some(Duration::from_secs(7)));
    assert_eq!(settings.ssl_certfile, Some(PathBuf::from("/etc/app/client.pem")));
    assert_eq!(settings.ssl_keyfile, Some(PathBuf::from("/etc/app/client.key")));
    assert_eq!(settings.ssl_cafile, Some(PathBuf::from("/etc/app/ca.pem")));
    assert_eq!(settings.file_path, Some(PathBuf::from("/var/mail/app")));
}

#[test]
fn booleans_in_the_forms_people_write() {
    let cases = [
        ("true", true),
        ("True", true),
        ("TRUE", true),
        ("1", true),
        ("yes", true),
        ("On", true),
        ("false", false),
        ("False", false),
        ("0", false),
        ("no", false),
        ("off", false),
        ("", false),
    ];
    for (value, expected) in cases {
        let settings = Settings::from_vars([("EMAIL_USE_TLS", value)]).unwrap();
        assert_eq!(settings.use_tls, expected, "EMAIL_USE_TLS={value:?}");
    }
}

#[test]
fn a_bad_value_names_the_setting_and_the_value() {
    let cases = [
        ("EMAIL_PORT", "abc"),
        ("EMAIL_PORT", "0"),
        ("EMAIL_PORT", "70000"),
        ("EMAIL_PORT", "-25"),
        ("EMAIL_USE_TLS", "maybe"),
        ("EMAIL_USE_SSL", "2"),
        ("EMAIL_TIMEOUT", "soon"),
        ("EMAIL_TIMEOUT", "-1"),
        ("EMAIL_TIMEOUT", "0"),
    ];
    for (name, value) in cases {
        let err = Settings::from_vars([(name, value)]).unwrap_err();
        let Error::InvalidSetting { name: named, value: given, .. } = &err else {
            panic!("{name}={value:?}: expected InvalidSetting, got {err:?}")
        };
        assert_eq!((named.as_str(), given.as_str()), (name, value));
        assert!(err.to_string().contains(&format!("{name}={value:?}")), "{err}");
    }
}

#[test]
fn a_later_value_wins() {
    let settings = Settings::from_vars([("EMAIL_PORT", "25"), ("EMAIL_PORT", "2525")]).unwrap();
    assert_eq!(settings.port, 2525);
}

#[test]
fn the_file_backend_without_a_path_is_an_error_naming_email_file_path() {
    let settings = Settings::from_vars([("EMAIL_BACKEND", "file")]).unwrap();

    let err = Mailer::from_settings(&settings).unwrap_err();

    assert!(matches!(&err, Error::InvalidSetting { name, .. } if name == "EMAIL_FILE_PATH"), "{err:?}");
}

#[test]
fn settings_made_in_code_are_checked_too() {
    let mut settings = Settings::default();
    settings.use_tls = true;
    settings.use_ssl = true;

    let err = Mailer::from_settings(&settings).unwrap_err();

    assert!(matches!(err, Error::ConflictingSettings { .. }));
}

#[test]
fn error_wording() {
    let errors = [
        Settings::from_vars([("EMAIL_PORT", "abc")]).unwrap_err(),
        Settings::from_vars([("EMAIL_USE_TLS", "maybe")]).unwrap_err(),
        Settings::from_vars([("EMAIL_TIMEOUT", "soon")]).unwrap_err(),
        Settings::from_vars([("EMAIL_USE_TLS", "true"), ("EMAIL_USE_SSL", "true")]).unwrap_err(),
        Settings::from_vars([("EMAIL_BACKEND", "sendgrid")]).unwrap_err(),
        Settings::from_vars([("EMAIL_SSL_KEYFILE", "/etc/app/client.key")]).unwrap_err(),
        Mailer::from_settings(&Settings::from_vars([("EMAIL_BACKEND", "file")]).unwrap()).unwrap_err(),
    ];
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    snapshot("settings_errors", &text.join("\n\n"));
}
