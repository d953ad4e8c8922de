//! Each fault kind, answered by mailtest — a capture's fault plan, an
//! `SmtpSink`'s — and by aiosmtpd told to answer the same way
//! (`tests/support/smtpd.py --fault`): the application cannot tell them
//! apart. lettre's `SmtpTransport` gets the same error (kind, status, text)
//! from the sink as from aiosmtpd; mailtest's `Mailer` and `AsyncMailer` get
//! the same class of error and reply code from aiosmtpd, from the sink and
//! (the `Mailer`) from a capture, and the same message is stored.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lettre::Transport;
use lettre::transport::smtp::authentication::Credentials;
use mailtest::{AsyncMailer, Error, Fault, FaultPlan, Mailer, Settings, SmtpSink, Stage};

use crate::aiosmtpd::{AiosmtpdEach, Server};

/// One fault, in mailtest's words and in aiosmtpd's (`--fault` values).
struct Case {
    fault: Fault,
    aiosmtpd: String,
    /// Whether the server keeps the message although the client failed.
    stored: bool,
}

/// The stage as `smtpd.py --fault` names it.
fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Greeting => "greeting",
        Stage::Ehlo => "ehlo",
        Stage::StartTls => "starttls",
        Stage::Auth => "auth",
        Stage::Mail => "mail",
        Stage::Rcpt => "rcpt",
        Stage::Data => "data",
        _ => "end-of-data",
    }
}

fn cases() -> Vec<Case> {
    let case = |fault, aiosmtpd: String| Case { fault, aiosmtpd, stored: false };
    let mut cases = Vec::new();
    for (stage, code, text) in crate::fault_replies::FAULT_REPLIES {
        cases.push(case(
            Fault::reply(stage, code, text),
            format!("reply:{}:{code} {text}", stage_name(stage)),
        ));
    }
    cases.push(case(Fault::greylist(), "greylist".to_owned()));
    cases.push(case(Fault::rate_limit(0), "rate-limit:0".to_owned()));
    for stage in [Stage::Greeting, Stage::Ehlo, Stage::Mail, Stage::Rcpt, Stage::Data, Stage::EndOfData] {
        cases.push(case(Fault::disconnect(stage), format!("disconnect:{}", stage_name(stage))));
    }
    cases.push(Case { stored: true, ..case(Fault::reply_lost(), "reply-lost".to_owned()) });
    for stage in [Stage::Greeting, Stage::Mail, Stage::EndOfData] {
        cases.push(case(Fault::timeout(stage), format!("timeout:{}", stage_name(stage))));
    }
    cases
}

/// How many cases run at once. Each case waits on two servers far more
/// than it computes, so a few in parallel finish in a fraction of the time;
/// few enough that a 2-core machine answers every one well inside the
/// clients' 1 s timeout.
const CASES_AT_ONCE: usize = 3;

/// Runs `check` on every case with the aiosmtpd server that answers by its
/// fault, [`CASES_AT_ONCE`] at a time, each on a thread of its own (so each
/// capture is its own). One aiosmtpd process serves every case, a server
/// each: Python starts once. A failing case fails the test with its own
/// message once the others have run.
fn each_case(cases: Vec<Case>, check: impl Fn(&Case, &Server) + Sync) {
    // Credentials when a case needs them: a client without any ignores the AUTH offered.
    let auth: &[&str] = if cases.iter().any(|case| needs_auth(&case.fault)) {
        &["--user", "app", "--password", "secret"]
    } else {
        &[]
    };
    let faults: Vec<&str> = cases.iter().map(|case| case.aiosmtpd.as_str()).collect();
    let aiosmtpd = AiosmtpdEach::start(auth, &faults);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..CASES_AT_ONCE {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let (Some(case), Some(server)) = (cases.get(n), aiosmtpd.servers.get(n)) else { break };
                    check(case, server);
                }
            });
        }
    });
}

/// What an application can tell about a mailtest error.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    code: Option<u16>,
    temporary: bool,
    permanent: bool,
    outcome_unknown: bool,
    timed_out: bool,
    /// The server's part of the reply, after lettre's `... error (NNN): `.
    text: Option<String>,
}

fn seen(result: Result<(), Error>) -> Option<Seen> {
    let err = result.err()?;
    let Error::Smtp { code, reply, .. } = &err else { panic!("expected an SMTP error, got {err:?}") };
    Some(Seen {
        code: *code,
        temporary: err.is_temporary(),
        permanent: err.is_permanent(),
        outcome_unknown: err.outcome_unknown(),
        timed_out: reply.contains("timed out"),
        text: code.map(|_| reply.split_once("): ").map_or(reply.as_str(), |(_, text)| text).to_owned()),
    })
}

/// What an application can tell about a lettre error: its kind, its
/// status, its text.
fn lettre_seen(
    result: Result<lettre::transport::smtp::response::Response, lettre::transport::smtp::Error>,
) -> String {
    match result {
        Ok(response) => format!("sent: {}", response.code()),
        Err(err) => format!(
            "transient {} permanent {} response {} timeout {} client {} status {:?}: {err}",
            err.is_transient(),
            err.is_permanent(),
            err.is_response(),
            err.is_timeout(),
            err.is_client(),
            err.status().map(|code| code.to_string()),
        ),
    }
}

fn needs_auth(fault: &Fault) -> bool {
    fault.to_string().contains("AUTH")
}

/// Settings that make a client reach the fault's stage of the server on
/// `port`: STARTTLS and AUTH only when the fault is there.
fn settings(port: u16, fault: &Fault) -> Settings {
    let port = port.to_string();
    let mut vars = vec![
        ("EMAIL_BACKEND", "smtp"),
        ("EMAIL_HOST", "127.0.0.1"),
        ("EMAIL_PORT", port.as_str()),
        ("EMAIL_TIMEOUT", "1"),
    ];
    if fault.to_string().contains("STARTTLS") {
        vars.push(("EMAIL_USE_TLS", "1"));
    }
    if needs_auth(fault) {
        vars.extend([("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "secret")]);
    }
    Settings::from_vars(vars).unwrap()
}

fn sink(fault: &Fault) -> SmtpSink {
    let builder = SmtpSink::builder().faults(FaultPlan::new().fault(fault.clone()));
    let builder = if needs_auth(fault) { builder.credentials("app", "secret") } else { builder };
    builder.start().unwrap()
}

/// The message the application sends in every case.
fn receipt() -> lettre::Message {
    lettre::Message::builder()
        .message_id(Some("<receipt-1@shop.example>".to_owned()))
        .from("shop@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Your receipt")
        .body(String::from("Thank you."))
        .unwrap()
}

/// Asserts that aiosmtpd stored the message exactly when `stored`.
fn assert_aiosmtpd_stored(server: &Server, stored: bool, what: &str) {
    if stored {
        assert_eq!(server.received().rcpt_tos, ["ann@example.com"], "{what}");
    }
    server.assert_nothing_received(Duration::from_millis(100));
}

#[test]
fn lettre_gets_the_same_error_from_the_sink_as_from_aiosmtpd() {
    // lettre's transport without mailtest's settings: STARTTLS needs a TLS
    // configuration the mailers' cases below cover.
    let cases = cases().into_iter().filter(|case| !case.fault.to_string().contains("STARTTLS")).collect();
    each_case(cases, |case, aiosmtpd| {
        let what = case.fault.to_string();
        let send = |port: u16| {
            let builder = lettre::SmtpTransport::builder_dangerous("127.0.0.1")
                .port(port)
                .timeout(Some(Duration::from_secs(1)));
            let builder = if needs_auth(&case.fault) {
                builder.credentials(Credentials::new("app".to_owned(), "secret".to_owned()))
            } else {
                builder
            };
            lettre_seen(builder.build().send(&receipt()))
        };
        let sink = sink(&case.fault);

        let from_aiosmtpd = send(aiosmtpd.port);
        assert!(!from_aiosmtpd.starts_with("sent"), "{what}: aiosmtpd accepted the message");
        assert_eq!(send(sink.port()), from_aiosmtpd, "{what}");
        assert_eq!(sink.outbox().len(), usize::from(case.stored), "{what}");
        assert_aiosmtpd_stored(aiosmtpd, case.stored, &what);
    });
}

#[test]
fn a_mailer_gets_the_same_from_aiosmtpd_the_sink_and_a_capture() {
    each_case(cases(), |case, aiosmtpd| {
        let what = case.fault.to_string();
        let sink = sink(&case.fault);
        let send = |port: u16| {
            let mailer = Mailer::from_settings(&settings(port, &case.fault)).unwrap().bypass_capture();
            seen(mailer.send(&receipt()))
        };
        let captured = {
            let mail = mailtest::capture();
            mail.faults(FaultPlan::new().fault(case.fault.clone()));
            let result = seen(Mailer::new(mailtest::DummyBackend).send(&receipt()));
            assert_eq!(mail.len(), usize::from(case.stored), "capture, {what}");
            result
        };

        let from_aiosmtpd = send(aiosmtpd.port);
        assert!(from_aiosmtpd.is_some(), "{what}: aiosmtpd accepted the message");
        assert_eq!(send(sink.port()), from_aiosmtpd, "sink, {what}");
        // A capture words a refused recipient its own way; class and code are the same.
        let class = |seen: Option<Seen>| seen.map(|seen| Seen { text: None, ..seen });
        assert_eq!(class(captured), class(from_aiosmtpd), "capture, {what}");
        assert_eq!(sink.outbox().len(), usize::from(case.stored), "{what}");
        assert_aiosmtpd_stored(aiosmtpd, case.stored, &what);
    });
}

/// Each case on a multi-thread runtime of its own, as an app's would be.
#[test]
fn an_async_mailer_gets_the_same_from_aiosmtpd_and_the_sink() {
    each_case(cases(), |case, aiosmtpd| {
        let what = case.fault.to_string();
        let sink = sink(&case.fault);
        let send = |port: u16| {
            let runtime =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            runtime.block_on(async {
                let mailer =
                    AsyncMailer::from_settings(&settings(port, &case.fault)).unwrap().bypass_capture();
                seen(mailer.send(receipt()).await)
            })
        };

        let from_aiosmtpd = send(aiosmtpd.port);
        assert!(from_aiosmtpd.is_some(), "{what}: aiosmtpd accepted the message");
        assert_eq!(send(sink.port()), from_aiosmtpd, "sink, {what}");
        assert_eq!(sink.outbox().len(), usize::from(case.stored), "{what}");
        assert_aiosmtpd_stored(aiosmtpd, case.stored, &what);
    });
}
