//! The trial's leak table, with the app's own lettre transports wrapped by
//! `mailtest::guard` (one line at construction, and the error type where
//! the app names lettre's): no message reaches a relay that is not a sink,
//! in any pattern an app sends from. A test binary of its own, so that
//! `.ci/run` builds it in release cheaply; that the same code as a
//! production program still delivers is `refusals::guard` in the
//! integration suite.

use std::sync::LazyLock;
use std::sync::mpsc;
use std::time::Duration;

use lettre::transport::smtp::Error as SmtpError;
use lettre::{SmtpTransport, Transport};
use mailtest::{Error, GuardError, Guarded, capture, capture_global, guard};

#[path = "support/relay.rs"]
mod relay;

use relay::{Relay, message};

/// The app's transport and constructor, as the trial's app had them, with
/// the guard added. (The trial's app used `SmtpTransport::from_url`, which
/// needs one of lettre's TLS features: `lettre_app` below does, with
/// mailtest's `smtp`; here, lettre's plain builder.)
type AppMailer = Guarded<SmtpTransport>;

fn app_mailer(relay: &Relay) -> Result<AppMailer, GuardError<SmtpError>> {
    let transport = SmtpTransport::builder_dangerous(relay.addr().ip().to_string()).port(relay.addr().port());
    // Should the guard fail, the relay never answers: fail in 2 s, not lettre's 60.
    Ok(guard(transport.timeout(Some(Duration::from_secs(2))).build()))
}

/// What the app's code does: send, and name lettre's error in its signature.
fn send_receipt(mailer: &AppMailer, to: &str) -> Result<(), GuardError<SmtpError>> {
    mailer.send(&message(to, "Your receipt"))?;
    Ok(())
}

/// A refusal of a real send through the app's own transport.
fn assert_refused(result: Result<(), GuardError<SmtpError>>, to: &str) {
    let err = result.expect_err("a real send from a test process must be refused");
    let GuardError::Refused(Error::NoOutbox {
        recipients,
        prevented: Some(server),
        test_process: Some(_),
        ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(recipients, &[to]);
    assert_eq!(server, "the server of its guarded SmtpTransport");
}

#[test]
fn a_transport_built_in_the_test_sends_into_the_capture() {
    let relay = Relay::start();
    let mailer = app_mailer(&relay).unwrap();
    let mail = capture();

    send_receipt(&mailer, "ann.guard@example.com").unwrap();

    mail.find().to("ann.guard@example.com").subject("Your receipt").one();
    assert_eq!(relay.connections(), 0);
}

#[test]
fn a_transport_in_a_lazy_static_sends_into_the_capture() {
    static RELAY: LazyLock<Relay> = LazyLock::new(Relay::start);
    static MAILER: LazyLock<AppMailer> = LazyLock::new(|| app_mailer(&RELAY).unwrap());
    let mail = capture();

    send_receipt(&MAILER, "ann.guard@example.com").unwrap();

    mail.find().to("ann.guard@example.com").one();
    assert_eq!(RELAY.connections(), 0);
}

/// The app's job thread: takes recipients from a channel, sends, reports back.
fn start_job_thread(
    mailer: AppMailer,
) -> (mpsc::Sender<String>, mpsc::Receiver<Result<(), GuardError<SmtpError>>>) {
    let (jobs, inbox) = mpsc::channel::<String>();
    let (results, outcomes) = mpsc::channel();
    std::thread::Builder::new()
        .name("app-jobs".to_owned())
        .spawn(move || {
            for to in inbox {
                let _ = results.send(send_receipt(&mailer, &to));
            }
        })
        .unwrap();
    (jobs, outcomes)
}

#[test]
fn a_job_thread_started_before_the_capture_is_refused_with_only_a_thread_capture() {
    let relay = Relay::start();
    let (jobs, outcomes) = start_job_thread(app_mailer(&relay).unwrap());
    let mail = capture();

    jobs.send("ann.guard@example.com".to_owned()).unwrap();

    assert_refused(outcomes.recv().unwrap(), "ann.guard@example.com");
    assert_eq!(relay.connections(), 0);
    mail.assert_empty();
}

#[test]
fn a_job_thread_started_after_the_capture_is_refused_with_only_a_thread_capture() {
    let relay = Relay::start();
    let mail = capture();
    let (jobs, outcomes) = start_job_thread(app_mailer(&relay).unwrap());

    jobs.send("ann.guard@example.com".to_owned()).unwrap();

    assert_refused(outcomes.recv().unwrap(), "ann.guard@example.com");
    assert_eq!(relay.connections(), 0);
    mail.assert_empty();
}

#[test]
fn a_job_thread_started_before_a_global_capture_sends_into_it() {
    let relay = Relay::start();
    let (jobs, outcomes) = start_job_thread(app_mailer(&relay).unwrap());
    let mail = capture_global();

    jobs.send("ann.guard@example.com".to_owned()).unwrap();

    outcomes.recv().unwrap().unwrap();
    mail.find().to("ann.guard@example.com").one();
    assert_eq!(relay.connections(), 0);
}

#[test]
fn a_parallel_digest_lands_whole_in_a_global_capture() {
    let relay = Relay::start();
    let mailer = app_mailer(&relay).unwrap();
    let mail = capture_global();

    std::thread::scope(|scope| {
        for n in 1..=5 {
            let mailer = &mailer;
            scope.spawn(move || send_receipt(mailer, &format!("digest{n}.guard@example.com")).unwrap());
        }
    });

    assert_eq!(mail.find().subject("Your receipt").all().len(), 5);
    assert_eq!(relay.connections(), 0);
}

#[test]
fn with_no_capture_alive_the_send_is_refused_and_listed_as_such() {
    let _gate = capture(); // holds any global capture off (see mod.rs); bound here, not on the app's thread
    let relay = Relay::start();
    let mailer = app_mailer(&relay).unwrap();

    let result = std::thread::spawn(move || send_receipt(&mailer, "ann.guard@example.com")).join().unwrap();

    let (line, full) = match &result {
        Err(err) => (err.to_string(), format!("{err:#}")),
        Ok(()) => panic!("a real send from a test process must be refused"),
    };
    assert_refused(result, "ann.guard@example.com");
    // One line for logs; `{:#}` says how to capture it.
    assert!(!line.contains('\n'), "{line}");
    assert!(full.contains("mailtest::capture_global()"), "{full}");
    assert_eq!(relay.connections(), 0);
}

#[test]
fn reaching_a_sink_the_inner_transport_delivers_and_its_error_stays_reachable() {
    let _gate = capture(); // no global capture beside this test; the sends run on another thread
    let sink = mailtest::SmtpSink::builder()
        .refuse_recipient("gone.guard@example.com", 550, "5.1.1 gone")
        .start()
        .unwrap();
    let port = sink.port();
    let mailer =
        guard(SmtpTransport::builder_dangerous("127.0.0.1").port(port).build()).reaching("127.0.0.1", port);

    let (delivered, refused) = std::thread::spawn(move || {
        (send_receipt(&mailer, "ann.guard@example.com"), send_receipt(&mailer, "gone.guard@example.com"))
    })
    .join()
    .unwrap();

    delivered.unwrap();
    sink.outbox().find().to("ann.guard@example.com").one();
    // The app's `match` on lettre's error works as before, one level down.
    let err = refused.unwrap_err();
    let GuardError::Transport(smtp) = &err else { panic!("{err:?}") };
    assert!(smtp.is_permanent(), "{smtp}");
    assert_eq!(err.to_string(), smtp.to_string());
}

#[test]
fn reaching_a_server_that_is_no_sink_is_refused_naming_it() {
    let _gate = capture();
    let relay = Relay::start();
    let port = relay.addr().port();
    let mailer =
        guard(SmtpTransport::builder_dangerous("127.0.0.1").port(port).build()).reaching("127.0.0.1", port);

    let err = std::thread::spawn(move || send_receipt(&mailer, "ann.guard@example.com"))
        .join()
        .unwrap()
        .unwrap_err();

    let Some(Error::NoOutbox { prevented: Some(server), .. }) = err.refusal() else { panic!("{err:?}") };
    assert_eq!(server, &relay.addr().to_string());
    assert_eq!(relay.connections(), 0);
}

#[cfg(feature = "tokio")]
mod async_transport {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
    use mailtest::{Guarded, capture, capture_global, guard};

    use super::{Relay, message};

    fn app_mailer(relay: &Relay) -> Guarded<AsyncSmtpTransport<Tokio1Executor>> {
        let addr = relay.addr();
        guard(
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(addr.ip().to_string())
                .port(addr.port())
                .build(),
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_worker_task_sends_into_a_global_capture() {
        let relay = Relay::start();
        let mailer = app_mailer(&relay);
        let mail = capture_global();

        tokio::spawn(async move { mailer.send(message("ann.guard@example.com", "Your receipt")).await })
            .await
            .unwrap()
            .unwrap();

        mail.find().to("ann.guard@example.com").one();
        assert_eq!(relay.connections(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_worker_task_with_only_a_thread_capture_is_refused() {
        let relay = Relay::start();
        let mailer = app_mailer(&relay);
        let mail = capture();

        let err =
            tokio::spawn(async move { mailer.send(message("ann.guard@example.com", "Your receipt")).await })
                .await
                .unwrap()
                .unwrap_err();

        let Some(mailtest::Error::NoOutbox { asynchronous, .. }) = err.refusal() else { panic!("{err:?}") };
        assert!(asynchronous);
        assert_eq!(relay.connections(), 0);
        mail.assert_empty();
    }
}
