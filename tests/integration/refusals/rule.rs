//! What the test-process rule lets through: the process's own sinks,
//! `bypass_capture()` mailers, and backends that reach no mail server.

use mailtest::{DummyBackend, Error, Mailer, Settings, SmtpSink, capture_global};

use super::{Relay, message};

fn settings_for(sink: &SmtpSink) -> Settings {
    let port = sink.port().to_string();
    Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", port.as_str())]).unwrap()
}

fn on_an_app_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().name("app-worker".to_owned()).spawn(f).unwrap().join().unwrap()
}

#[test]
fn a_sink_of_the_process_is_reached_from_any_thread() {
    let _gate = mailtest::capture(); // no global capture runs beside this test (see mod.rs)
    let sink = SmtpSink::start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink)).unwrap();

    let sent = on_an_app_thread(move || mailer.send_messages(&[message("ann.rule@example.com", "Receipt")]));

    assert_eq!(sent.unwrap(), 1);
    sink.outbox().find().to("ann.rule@example.com").one();
}

#[test]
fn localhost_names_the_sink_too() {
    let _gate = mailtest::capture(); // no global capture runs beside this test (see mod.rs)
    let sink = SmtpSink::start().unwrap();
    let port = sink.port().to_string();
    let settings = Settings::from_vars([("EMAIL_HOST", "localhost"), ("EMAIL_PORT", port.as_str())]).unwrap();
    let mailer = Mailer::from_settings(&settings).unwrap();

    on_an_app_thread(move || mailer.send_messages(&[message("ann.rule@example.com", "Receipt")])).unwrap();

    sink.outbox().assert_count(1);
}

#[test]
fn a_bypass_capture_mailer_reaches_the_sink_even_under_a_global_capture() {
    let sink = SmtpSink::start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink)).unwrap().bypass_capture();
    let mail = capture_global();

    on_an_app_thread(move || mailer.send_messages(&[message("ann.rule@example.com", "Receipt")])).unwrap();
    mailtest::send_mail("Hi", "Hello", "app@example.com", &["bob.rule@example.com"])
        .connection(&Mailer::from_settings(&settings_for(&sink)).unwrap().bypass_capture())
        .send()
        .unwrap();

    sink.outbox().find().to("ann.rule@example.com").one();
    sink.outbox().find().to("bob.rule@example.com").one();
    mail.assert_empty();
}

#[test]
fn a_bypass_capture_mailer_connects_to_a_real_server() {
    let relay = Relay::start(); // never answers: the send times out
    let mailer = Mailer::from_settings(&relay.settings()).unwrap().bypass_capture();

    let err = on_an_app_thread(move || mailer.send_messages(&[message("ann.rule@example.com", "Receipt")]));

    let err = err.unwrap_err();
    assert!(matches!(err, Error::Smtp { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out: no answer within 2 s (EMAIL_TIMEOUT)"), "{err}");
    assert_eq!(relay.connections(), 1, "bypass_capture() opts out of the rule");
}

#[test]
fn open_in_a_test_process_is_refused_for_a_server_that_is_not_a_sink() {
    let relay = Relay::start();
    let mailer = Mailer::from_settings(&relay.settings()).unwrap();
    let mail = mailtest::capture();

    let err = mailer.open().unwrap_err();

    let Error::NoOutbox { prevented, recipients, .. } = &err else { panic!("{err:?}") };
    assert_eq!(prevented.as_deref(), Some(relay.addr().to_string().as_str()));
    assert!(recipients.is_empty(), "{recipients:?}");
    assert!(err.to_string().starts_with("mailtest: refused to open an SMTP session on thread"), "{err}");
    assert_eq!(relay.connections(), 0);
    let failure = mail.find().to("ann.rule@example.com").try_one().unwrap_err();
    let report = failure.report();
    assert!(report.contains(&relay.addr().to_string()), "recorded like a refused send:\n{report}");
}

#[test]
fn open_in_a_test_process_connects_to_a_sink_for_real() {
    let sink = SmtpSink::start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink)).unwrap();

    mailer.open().unwrap();

    assert_eq!(sink.sessions_started(), 1, "open() connected");
    mailer.send_messages(&[message("ann.rule@example.com", "Receipt")]).unwrap();
    mailer.send_messages(&[message("ann.rule@example.com", "Receipt again")]).unwrap();
    mailer.close().unwrap();
    assert_eq!(sink.sessions_started(), 1, "the sends used the session open() held");
    assert_eq!(sink.outbox().len(), 2);
}

#[test]
fn open_of_a_bypass_capture_mailer_connects_to_a_real_server() {
    let relay = Relay::start(); // never answers: the greeting times out
    let mailer = Mailer::from_settings(&relay.settings()).unwrap().bypass_capture();

    let err = on_an_app_thread(move || mailer.open()).unwrap_err();

    assert!(matches!(err, Error::Smtp { .. }), "{err:?}");
    assert_eq!(relay.connections(), 1, "bypass_capture() opts out of the rule");
}

#[test]
fn backends_that_reach_no_mail_server_are_unaffected() {
    let _gate = mailtest::capture(); // no global capture runs beside this test (see mod.rs)
    let mailer = Mailer::new(DummyBackend);

    let sent = on_an_app_thread(move || mailer.send_messages(&[message("ann.rule@example.com", "Receipt")]));

    assert_eq!(sent.unwrap(), 1);
}
