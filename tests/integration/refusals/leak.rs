//! The leak that motivated the rule: an app's mailer, configured for SMTP,
//! used from a thread (or tokio worker) the test does not own.

use mailtest::{Error, Mailer, capture, capture_global};

use super::{Relay, message};

/// What the app does: its own thread, its own mailer, the error logged.
fn send_from_an_app_thread(mailer: &Mailer, to: &str) -> Result<usize, Error> {
    let mailer = mailer.clone();
    let to = to.to_owned();
    std::thread::Builder::new()
        .name("app-worker".to_owned())
        .spawn(move || mailer.send_messages(&[message(&to, "Your receipt")]))
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn with_only_a_thread_capture_the_send_is_refused_and_no_connection_is_made() {
    let relay = Relay::start();
    let mailer = Mailer::from_settings(&relay.settings()).unwrap();
    let mail = capture();

    let result = send_from_an_app_thread(&mailer, "ann.leak@example.com");

    let err = result.expect_err("a real send from a test process must be refused");
    let Error::NoOutbox { thread, recipients, prevented, .. } = &err else { panic!("{err:?}") };
    assert_eq!(thread, "app-worker");
    assert_eq!(recipients, &["ann.leak@example.com"]);
    assert_eq!(prevented.as_deref(), Some(relay.addr().to_string().as_str()));
    assert_eq!(relay.connections(), 0, "the relay must never be reached");
    mail.assert_empty();
}

#[test]
fn with_a_global_capture_the_mail_lands_in_it() {
    let relay = Relay::start();
    let mailer = Mailer::from_settings(&relay.settings()).unwrap();
    let mail = capture_global();

    let sent = send_from_an_app_thread(&mailer, "ann.leak@example.com").unwrap();

    assert_eq!(sent, 1);
    mail.find().to("ann.leak@example.com").subject("Your receipt").one();
    assert_eq!(relay.connections(), 0);
}

#[test]
fn the_default_settings_smtp_to_localhost_25_is_refused() {
    let _gate = mailtest::capture(); // no global capture runs beside this test (see mod.rs)
    // Often a relaying MTA on a developer's machine.
    let mailer = Mailer::from_settings(&mailtest::Settings::default()).unwrap();

    let err = send_from_an_app_thread(&mailer, "ann.leak@example.com").unwrap_err();

    assert!(
        matches!(&err, Error::NoOutbox { prevented: Some(server), .. } if server == "localhost:25"),
        "{err:?}"
    );
}

#[test]
fn send_mail_without_a_connection_is_refused_too() {
    let relay = Relay::start();
    let port = relay.addr().port().to_string();
    // send_mail reads the environment; a child process gets its own.
    // Its output is kept, and shown only if it fails: a passing run stays quiet.
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "refusals::leak::child_send_mail", "--include-ignored"])
        .env("EMAIL_HOST", "127.0.0.1")
        .env("EMAIL_PORT", &port)
        .env("MAILTEST_CHILD", "1")
        .output()
        .unwrap();

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the child's assertions failed:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "the child test did not run:\n{stdout}");
    assert_eq!(relay.connections(), 0);
}

/// Runs in the child process of the test above.
#[test]
#[ignore = "run by send_mail_without_a_connection_is_refused_too, in a child process"]
fn child_send_mail() {
    assert_eq!(std::env::var("MAILTEST_CHILD").as_deref(), Ok("1"), "run by its parent test");
    let err = std::thread::spawn(|| {
        mailtest::send_mail("Hi", "Hello", "app@example.com", &["ann.leak@example.com"]).send().unwrap_err()
    })
    .join()
    .unwrap();
    assert!(matches!(&err, Error::NoOutbox { prevented: Some(_), .. }), "{err:?}");
    // No capture was ever made in this process: the harness linked into the
    // binary made it a test, before any test ran.
    assert!(err.to_string().contains("it contains mailtest's test harness"), "{err}");
}

#[cfg(feature = "tokio")]
mod async_mailer {
    use mailtest::{AsyncMailer, Error, capture, capture_global};

    use crate::refusals::{Relay, message};

    /// A worker the app spawns at start-up: it sends on a runtime thread.
    async fn send_from_a_worker(mailer: &AsyncMailer, to: &str) -> Result<(), Error> {
        let (mailer, to) = (mailer.clone(), to.to_owned());
        tokio::spawn(async move { mailer.send(message(&to, "Your receipt")).await }).await.unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn from_a_multi_thread_worker_with_only_a_thread_capture_it_is_refused() {
        let relay = Relay::start();
        let mailer = AsyncMailer::from_settings(&relay.settings()).unwrap();
        let mail = capture();

        let err = send_from_a_worker(&mailer, "ann.leak@example.com").await.unwrap_err();

        let Error::NoOutbox { prevented, asynchronous, .. } = &err else { panic!("{err:?}") };
        assert_eq!(prevented.as_deref(), Some(relay.addr().to_string().as_str()));
        assert!(asynchronous);
        assert!(format!("{err:#}").contains("outbox.async_transport()"), "the async fix: {err:#}");
        assert_eq!(relay.connections(), 0);
        mail.assert_empty();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn from_a_multi_thread_worker_with_a_global_capture_it_lands_there() {
        let relay = Relay::start();
        let mailer = AsyncMailer::from_settings(&relay.settings()).unwrap();
        let mail = capture_global();

        send_from_a_worker(&mailer, "ann.leak@example.com").await.unwrap();

        mail.find().to("ann.leak@example.com").one();
        assert_eq!(relay.connections(), 0);
    }
}
