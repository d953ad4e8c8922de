//! Each fault kind, on each path a test can put it: a capture (through
//! lettre's `Transport`, as `CaptureTransport`, and through a `Mailer`), and
//! the SMTP sink that a `Mailer` and an `AsyncMailer` reach over real SMTP.
//! The application sees the same class of error and the same reply code
//! whichever path answered; `interop` checks the same against aiosmtpd.

use lettre::Transport;
use mailtest::{Error, Fault, FaultPlan, Mailer, Settings, SmtpSink, Stage};

use super::receipt;

/// What an application can tell about a failed send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Class {
    code: Option<u16>,
    temporary: bool,
    permanent: bool,
    outcome_unknown: bool,
    timed_out: bool,
}

fn class(result: Result<(), Error>) -> Option<Class> {
    let err = result.err()?;
    let Error::Smtp { code, reply, .. } = &err else { panic!("expected an SMTP error, got {err:?}") };
    Some(Class {
        code: *code,
        temporary: err.is_temporary(),
        permanent: err.is_permanent(),
        outcome_unknown: err.outcome_unknown(),
        timed_out: reply.contains("timed out"),
    })
}

const fn refused(code: u16) -> Option<Class> {
    Some(Class {
        code: Some(code),
        temporary: code < 500,
        permanent: code >= 500,
        outcome_unknown: false,
        timed_out: false,
    })
}

const DROPPED: Option<Class> =
    Some(Class { code: None, temporary: false, permanent: false, outcome_unknown: false, timed_out: false });
const UNKNOWN: Option<Class> = Some(Class { outcome_unknown: true, ..DROPPED.unwrap() });
const TIMED_OUT: Option<Class> = Some(Class { timed_out: true, ..DROPPED.unwrap() });
const TIMED_OUT_AFTER_DATA: Option<Class> =
    Some(Class { timed_out: true, outcome_unknown: true, ..DROPPED.unwrap() });

/// Each case: a name, the fault, what the application sees, and whether the
/// message ends up stored.
fn cases() -> Vec<(&'static str, Fault, Option<Class>, bool)> {
    let mut cases = Vec::new();
    for (stage, code, text) in crate::fault_replies::FAULT_REPLIES {
        cases.push(("reply", Fault::reply(stage, code, text), refused(code), false));
    }
    cases.push(("greylist", Fault::greylist(), refused(450), false));
    cases.push(("rate limit", Fault::rate_limit(0), refused(421), false));
    for stage in [Stage::Greeting, Stage::Mail, Stage::Rcpt, Stage::Data] {
        cases.push(("disconnect", Fault::disconnect(stage), DROPPED, false));
    }
    cases.push(("disconnect", Fault::disconnect(Stage::EndOfData), UNKNOWN, false));
    cases.push(("reply lost", Fault::reply_lost(), UNKNOWN, true));
    cases.push(("timeout", Fault::timeout(Stage::Greeting), TIMED_OUT, false));
    cases.push(("timeout", Fault::timeout(Stage::Mail), TIMED_OUT, false));
    cases.push(("timeout", Fault::timeout(Stage::EndOfData), TIMED_OUT_AFTER_DATA, false));
    cases
}

/// The settings that make a client reach `stage` of the sink: STARTTLS
/// and AUTH only when asked for.
fn settings(sink: &SmtpSink, fault: &Fault) -> Settings {
    let port = sink.port().to_string();
    let mut vars = vec![
        ("EMAIL_BACKEND", "smtp"),
        ("EMAIL_HOST", "127.0.0.1"),
        ("EMAIL_PORT", port.as_str()),
        ("EMAIL_TIMEOUT", "1"),
    ];
    let text = fault.to_string();
    if text.contains("STARTTLS") {
        vars.push(("EMAIL_USE_TLS", "1"));
    }
    if text.contains("AUTH") {
        vars.extend([("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "secret")]);
    }
    Settings::from_vars(vars).unwrap()
}

fn sink(fault: &Fault) -> SmtpSink {
    let builder = SmtpSink::builder().faults(FaultPlan::new().fault(fault.clone()));
    let builder =
        if fault.to_string().contains("AUTH") { builder.credentials("app", "secret") } else { builder };
    builder.start().unwrap()
}

#[test]
fn a_capture_answers_each_fault_as_lettre_would_see_it_from_a_server() {
    for (name, fault, expected, stored) in cases() {
        let mail = mailtest::Outbox::new();
        mail.faults(FaultPlan::new().fault(fault.clone()));

        let seen = class(mail.transport().send(&receipt("ann@example.com")));

        assert_eq!(seen, expected, "{name}: {fault}");
        assert_eq!(mail.len(), usize::from(stored), "{name}: {fault}");
        assert_eq!(mail.attempts().len(), 1, "{name}: {fault}");
    }
}

#[test]
fn a_mailer_sees_the_same_from_a_capture_and_from_the_sink() {
    for (name, fault, expected, stored) in cases() {
        let captured = {
            let mail = mailtest::capture();
            mail.faults(FaultPlan::new().fault(fault.clone()));
            let result = Mailer::new(mailtest::DummyBackend).send(&receipt("ann@example.com"));
            assert_eq!(mail.len(), usize::from(stored), "capture, {name}: {fault}");
            class(result)
        };
        let sink = sink(&fault);
        let mailer = Mailer::from_settings(&settings(&sink, &fault)).unwrap();
        let over_smtp = class(mailer.send(&receipt("ann@example.com")));

        assert_eq!(captured, expected, "capture, {name}: {fault}");
        assert_eq!(over_smtp, expected, "sink, {name}: {fault}");
        assert_eq!(sink.outbox().len(), usize::from(stored), "sink, {name}: {fault}");
        assert_eq!(
            sink.outbox().attempts().len(),
            1,
            "sink, {name}: {fault}: {:?}",
            sink.outbox().attempts()
        );
    }
}

#[cfg(feature = "tokio")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_mailer_sees_the_same_from_the_sink() {
    for (name, fault, expected, stored) in cases() {
        let sink = sink(&fault);
        let mailer = mailtest::AsyncMailer::from_settings(&settings(&sink, &fault)).unwrap();

        let seen = class(mailer.send(receipt("ann@example.com")).await);

        assert_eq!(seen, expected, "{name}: {fault}");
        assert_eq!(sink.outbox().len(), usize::from(stored), "{name}: {fault}");
    }
}
