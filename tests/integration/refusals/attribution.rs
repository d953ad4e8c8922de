//! Whose refusals a report lists: its own test's — made on a thread its
//! capture was bound on, or to a recipient its query names — so that its
//! text is the same whatever runs beside it; the rest are only counted.

use std::sync::mpsc;
use std::thread;

use lettre::Transport;
use mailtest::CaptureTransport;

use super::{message, snapshot};

/// `n` ambient sends to `to`, all refused, on a thread named `name` that no
/// capture was ever bound on — as another test's thread, or an app's worker.
fn refused_on_a_thread_of_its_own(name: &str, to: &'static str, n: usize) {
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            for _ in 0..n {
                CaptureTransport::ambient().send(&message(to, "Welcome")).unwrap_err();
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn another_tests_refused_sends_are_counted_not_listed_and_those_to_the_queried_address_are_listed() {
    let mail = mailtest::capture();
    mail.capture_raw(
        None,
        &["yan.attribution@example.com"],
        b"To: yan.attribution@example.com\r\nSubject: Hello\r\n\r\nHi",
    );

    // As another test running in parallel would: sends to its own address.
    refused_on_a_thread_of_its_own("other_test::signs_up", "zed.attribution@example.com", 3);
    // An app worker sending to the address this test asks about.
    refused_on_a_thread_of_its_own("app-worker", "xia.attribution@example.com", 2);
    let failure = mail.find().to("xia.attribution@example.com").subject("Welcome").try_one().unwrap_err();

    snapshot("report_lists_only_its_own_refusals", failure.report());
    assert!(!failure.report().contains("zed.attribution"), "{}", failure.report());
    assert!(failure.refused_elsewhere() >= 3, "counted: {}", failure.refused_elsewhere());
}

#[test]
fn a_thread_the_capture_was_propagated_to_owns_the_sends_refused_there_later() {
    let mail = mailtest::capture();
    let outbox = mail.outbox();
    let (send, sent) = mpsc::channel();
    // A worker the test propagated its capture to once; it sends again
    // after that scope ended, where nothing takes its mail.
    thread::Builder::new()
        .name("pooled-worker".to_owned())
        .spawn(move || {
            outbox.in_scope(|| {
                CaptureTransport::ambient().send(&message("wu.attribution@example.com", "First")).unwrap()
            });
            let later = CaptureTransport::ambient().send(&message("wu.attribution@example.com", "Second"));
            send.send(later.is_err()).unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(sent.recv().unwrap(), "the send outside the scope was refused");

    let failure = mail.find().subject("Second").try_one().unwrap_err();

    assert!(
        failure.report().contains(
            "1 send to wu.attribution@example.com, on thread 'pooled-worker': no outbox was bound there"
        ),
        "{}",
        failure.report()
    );
}

#[test]
fn a_strict_capture_fails_when_its_tests_send_was_refused() {
    let outcome = std::panic::catch_unwind(|| {
        let mail = mailtest::capture().strict();
        let outbox = mail.outbox();
        thread::Builder::new()
            .name("strict-worker".to_owned())
            .spawn(move || {
                outbox.in_scope(|| {});
                CaptureTransport::ambient().send(&message("vo.attribution@example.com", "Lost")).unwrap_err();
            })
            .unwrap()
            .join()
            .unwrap();
        // The test passes otherwise: nothing was captured, nothing asserted.
    });

    let payload = outcome.expect_err("the strict capture fails at drop");
    let message = payload.downcast_ref::<String>().expect("a formatted panic message");
    assert!(
        message
            .contains("strict capture: 1 send of this test was refused, on threads the capture was bound on"),
        "{message}"
    );
    assert!(message.contains("vo.attribution@example.com, on thread 'strict-worker'"), "{message}");
}
