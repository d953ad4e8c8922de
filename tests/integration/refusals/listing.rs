//! A failing query lists the sends refused while its outbox was alive.

use lettre::Transport;
use mailtest::{CaptureTransport, Mailer, capture};

use super::{Relay, message, snapshot};

/// `n` ambient sends to `to` from a thread named `thread`, all refused.
fn refused_sends(thread: &str, to: &str, n: usize) {
    let to = to.to_owned();
    std::thread::Builder::new()
        .name(thread.to_owned())
        .spawn(move || {
            for _ in 0..n {
                CaptureTransport::ambient().send(&message(&to, "Welcome")).unwrap_err();
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_failing_query_lists_the_refusals_with_their_thread_and_the_fix() {
    let relay = Relay::start();
    let mailer = Mailer::from_settings(&relay.settings()).unwrap();
    let mail = capture();
    mail.capture_raw(
        None,
        &["bob.listing@example.com"],
        b"To: bob.listing@example.com\r\nSubject: Welcome\r\n\r\nHi Bob",
    );

    refused_sends("tokio-rt-worker", "ann.listing@example.com", 20);
    let worker = std::thread::Builder::new().name("app-worker".to_owned());
    let prevented =
        worker.spawn(move || mailer.send_messages(&[message("carl.listing@example.com", "Receipt")]));
    prevented.unwrap().join().unwrap().unwrap_err();
    let failure = mail.find().to("ann.listing@example.com").subject("Welcome").try_one().unwrap_err();

    let report = failure.report().replace(&relay.addr().port().to_string(), "PORT");
    snapshot("report_lists_refusals", &report);
}

#[test]
fn refusals_made_before_the_outbox_are_not_listed() {
    refused_sends("earlier", "ann.earlier@example.com", 1);
    let mail = capture();

    let failure = mail.find().to("ann.earlier@example.com").try_one().unwrap_err();

    assert!(!failure.report().contains("refused"), "{}", failure.report());
}

#[test]
fn the_no_outbox_error_says_how_to_fix_it() {
    let _gate = mailtest::capture(); // no global capture runs beside this test (see mod.rs)
    let message = lettre::Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to("ann.unbound@example.com".parse().unwrap())
        .to("bob.unbound@example.com".parse().unwrap())
        .body(String::from("Hi"))
        .unwrap();

    let error = std::thread::Builder::new()
        .name("worker-3".to_owned())
        .spawn(move || CaptureTransport::ambient().send(&message).unwrap_err())
        .unwrap()
        .join()
        .unwrap();

    snapshot("error_no_outbox", &format!("{error:#}"));
    assert_eq!(format!("{error:?}"), format!("{error:#}"), "`.unwrap()` shows the same fix");
    assert_eq!(
        error.to_string(),
        "mailtest: refused a send to ann.unbound@example.com, bob.unbound@example.com on thread 'worker-3': \
         no outbox is bound there, no recipient is routed, no global capture is alive \
         (use {:#} for how to capture it)",
        "one line, for logs"
    );
}

#[test]
fn the_prevented_send_error_says_what_was_prevented_and_how_to_capture_it() {
    let relay = Relay::start();
    let mailer = Mailer::from_settings(&relay.settings()).unwrap();
    let _mail = capture(); // makes this a test process by the first signal, whatever ran before

    let error = std::thread::Builder::new()
        .name("app-worker".to_owned())
        .spawn(move || mailer.send_messages(&[message("ann.prevented@example.com", "Receipt")]).unwrap_err())
        .unwrap()
        .join()
        .unwrap();

    let port = relay.addr().port().to_string();
    snapshot("error_real_send_prevented", &format!("{error:#}").replace(&port, "PORT"));
    assert_eq!(
        error.to_string().replace(&port, "PORT"),
        "mailtest: refused a send to ann.prevented@example.com on thread 'app-worker': this is a test process \
         (it contains mailtest's test harness), where a mailer reaches no SMTP server but an SmtpSink, not \
         127.0.0.1:PORT (use {:#} for how to capture it)",
        "one line, for logs"
    );
}
