//! Backends of your own chosen by name through `EMAIL_BACKEND` — Django's
//! `test_custom_backend` (`get_connection("mail.custombackend.EmailBackend")`).
//!
//! A binary of its own: the registry is process-wide, and the
//! unknown-backend error lists every registered name, so registering in the
//! main test binary would change the wording other tests pin.

use std::sync::{Arc, Mutex};

use mailtest::{EmailBackend, Error, Mailer, Settings};

/// Django's `mail.custombackend.EmailBackend`: keeps what it is given.
#[derive(Clone, Default)]
struct Kept(Arc<Mutex<Vec<String>>>);

impl EmailBackend for Kept {
    fn send_messages(&self, messages: &[lettre::Message]) -> Result<usize, Error> {
        let mut kept = self.0.lock().unwrap();
        kept.extend(messages.iter().map(|m| m.headers().get_raw("Subject").unwrap_or_default().to_owned()));
        Ok(messages.len())
    }
}

fn message(subject: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject(subject)
        .body(String::from("Hello"))
        .unwrap()
}

#[test]
fn a_registered_backend_is_chosen_by_email_backend() {
    let kept = Kept::default();
    let made_for = Arc::new(Mutex::new(Vec::new()));
    {
        let (kept, made_for) = (kept.clone(), made_for.clone());
        mailtest::register_backend("mail.custombackend.EmailBackend", move |settings: &Settings| {
            made_for.lock().unwrap().push(settings.host.clone());
            Ok(kept.clone())
        })
        .unwrap();
    }
    let settings = Settings::from_vars([
        ("EMAIL_BACKEND", "mail.custombackend.EmailBackend"),
        ("EMAIL_HOST", "api.example.com"),
    ])
    .unwrap();

    let mailer = Mailer::from_settings(&settings).unwrap().bypass_capture();
    mailer.send_messages(&[message("Via the custom backend")]).unwrap();
    mailtest::send_mail("Via send_mail", "Hello", "app@example.com", &["ann@example.com"])
        .connection(&mailer)
        .send()
        .unwrap();

    assert_eq!(*kept.0.lock().unwrap(), ["Via the custom backend", "Via send_mail"]);
    assert_eq!(*made_for.lock().unwrap(), ["api.example.com"], "made once, from the settings");
    assert_eq!(settings.backend.name(), "mail.custombackend.EmailBackend");
}

#[test]
fn names_are_found_in_any_case_and_a_capture_still_wins() {
    let kept = Kept::default();
    let backend = kept.clone();
    mailtest::register_backend("SmsGateway", move |_: &Settings| Ok(backend.clone())).unwrap();
    let settings = Settings::from_vars([("EMAIL_BACKEND", "smsgateway")]).unwrap();
    let mail = mailtest::capture();

    Mailer::from_settings(&settings).unwrap().send_messages(&[message("Captured")]).unwrap();

    mail.find().subject("Captured").one();
    assert!(kept.0.lock().unwrap().is_empty());
}

#[test]
fn the_unknown_backend_error_lists_the_registered_names() {
    mailtest::register_backend("myapp.backends.Archive", |_: &Settings| Ok(mailtest::DummyBackend)).unwrap();

    let err = Settings::from_vars([("EMAIL_BACKEND", "myapp.backends.Archve")]).unwrap_err();

    let text = err.to_string();
    assert!(
        text.starts_with(r#"mailtest: EMAIL_BACKEND="myapp.backends.Archve" is not a known backend"#),
        "{text}"
    );
    assert!(text.contains("smtp, console, file"), "{text}");
    assert!(text.contains("or a registered backend: ") && text.contains("myapp.backends.Archive"), "{text}");
}

#[test]
fn mailtest_names_and_bad_names_cannot_be_registered() {
    for name in ["smtp", "LOCMEM", "django.core.mail.backends.console.EmailBackend", "", "two words"] {
        let err = mailtest::register_backend(name, |_: &Settings| Ok(mailtest::DummyBackend)).unwrap_err();
        assert!(matches!(&err, Error::InvalidSetting { name, .. } if name == "EMAIL_BACKEND"), "{err:?}");
    }
}

#[test]
fn a_factory_error_is_the_mailers_error() {
    mailtest::register_backend("needs-a-key", |settings: &Settings| {
        settings.host_password.clone().map(|_| mailtest::DummyBackend).ok_or_else(|| Error::InvalidSetting {
            name: "EMAIL_HOST_PASSWORD".to_owned(),
            value: String::new(),
            expected: "the API key of the mail service".to_owned(),
        })
    })
    .unwrap();

    let err =
        Mailer::from_settings(&Settings::from_vars([("EMAIL_BACKEND", "needs-a-key")]).unwrap()).unwrap_err();

    assert_eq!(
        err.to_string(),
        "mailtest: EMAIL_HOST_PASSWORD is not set: expected the API key of the mail service"
    );
}

#[test]
fn a_named_mailer_can_use_a_registered_backend() {
    let kept = Kept::default();
    let backend = kept.clone();
    mailtest::register_backend("sms", move |_: &Settings| Ok(backend.clone())).unwrap();
    let settings =
        Settings::from_vars([("MAILERS", "alerts"), ("MAILER_ALERTS_EMAIL_BACKEND", "sms")]).unwrap();

    Mailer::using(&settings, "alerts")
        .unwrap()
        .bypass_capture()
        .send_messages(&[message("Disk full")])
        .unwrap();

    assert_eq!(*kept.0.lock().unwrap(), ["Disk full"]);
}

#[cfg(feature = "tokio")]
mod asynchronous {
    use mailtest::{AsyncMailer, Error, Mailer, Settings};

    use super::{Kept, message};

    #[tokio::test(flavor = "current_thread")]
    async fn an_async_mailer_runs_a_blocking_registered_backend() {
        let kept = Kept::default();
        let backend = kept.clone();
        mailtest::register_backend("blocking-only", move |_: &Settings| Ok(backend.clone())).unwrap();
        let settings = Settings::from_vars([("EMAIL_BACKEND", "blocking-only")]).unwrap();

        let sent = AsyncMailer::from_settings(&settings)
            .unwrap()
            .bypass_capture()
            .send_messages(&[message("Hi")])
            .await;

        assert_eq!(sent, Ok(1));
        assert_eq!(*kept.0.lock().unwrap(), ["Hi"]);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn an_async_only_backend_says_so_to_a_blocking_mailer() {
        mailtest::register_async_backend("async-only", |_: &Settings| Ok(mailtest::DummyBackend)).unwrap();
        let settings = Settings::from_vars([("EMAIL_BACKEND", "async-only")]).unwrap();

        let asynchronous = AsyncMailer::from_settings(&settings).unwrap().bypass_capture();
        let err = Mailer::from_settings(&settings).unwrap_err();

        assert_eq!(asynchronous.send_messages(&[message("Hi")]).await, Ok(1));
        assert!(matches!(err, Error::Backend { .. }), "{err:?}");
        assert!(err.to_string().contains("register_async_backend"), "{err}");
    }
}
