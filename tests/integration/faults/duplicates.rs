//! "Accepted, but the 250 was lost" with a worker that retries: the naive
//! retry stores the message twice, and `assert_no_duplicates` names both
//! attempts; the worker that remembers what it may have sent passes.

use lettre::Transport;
use mailtest::{Error, Fault, FaultPlan, Outbox};

use super::receipt;

/// Retries every failure but a permanent one, up to three tries.
fn naive_worker(transport: &impl Transport<Error = Error>, message: &lettre::Message) -> Result<(), Error> {
    let mut last = None;
    for _ in 0..3 {
        match transport.send(message) {
            Ok(_) => return Ok(()),
            Err(err) if err.is_permanent() => return Err(err),
            Err(err) => last = Some(err),
        }
    }
    Err(last.expect("tried"))
}

/// Retries only what is safe: a temporary refusal, or a failure before the
/// message went out. A message whose outcome is unknown was probably
/// delivered: it is not sent again with the same Message-ID.
fn careful_worker(transport: &impl Transport<Error = Error>, message: &lettre::Message) -> Result<(), Error> {
    let mut last = None;
    for _ in 0..3 {
        match transport.send(message) {
            Ok(_) => return Ok(()),
            Err(err) if err.outcome_unknown() => return Ok(()), // the receiver has it, or will drop a duplicate
            Err(err) if err.is_permanent() => return Err(err),
            Err(err) => last = Some(err),
        }
    }
    Err(last.expect("tried"))
}

fn lossy_outbox() -> Outbox {
    let mail = Outbox::new();
    mail.faults(FaultPlan::new().fault(Fault::reply_lost().times(1)));
    mail
}

#[test]
fn a_naive_retry_after_a_lost_250_stores_the_message_twice_and_the_report_names_both_attempts() {
    let mail = lossy_outbox();

    naive_worker(&mail.transport(), &receipt("ann@example.com")).unwrap();

    let failure = mail.try_assert_no_duplicates().unwrap_err();
    assert!(failure.report().contains("attempt 1: delivered, but the 250 was lost"), "{failure}");
    assert!(failure.report().contains("attempt 2: delivered (Message-ID"), "{failure}");
    crate::reports::snapshot("duplicates_after_a_lost_250", failure.report());
    assert!(mail.find().subject("Your receipt").try_delivered_once().is_err());
}

#[test]
fn the_worker_that_does_not_resend_an_unknown_outcome_passes() {
    let mail = lossy_outbox();

    careful_worker(&mail.transport(), &receipt("ann@example.com")).unwrap();

    mail.assert_no_duplicates();
    mail.find().subject("Your receipt").delivered_once();
    mail.find().subject("Your receipt").attempts(1);
}

#[cfg(feature = "sink")]
#[test]
fn over_smtp_the_sink_loses_the_250_and_keeps_both_copies() {
    let sink = mailtest::SmtpSink::builder()
        .faults(FaultPlan::new().fault(Fault::reply_lost().times(1)))
        .start()
        .unwrap();
    let transport = lettre::SmtpTransport::builder_dangerous("127.0.0.1").port(sink.port()).build();
    let message = receipt("ann@example.com");

    let err = transport.send(&message).unwrap_err();
    assert!(err.is_response(), "lettre sees an incomplete response: {err}");
    transport.send(&message).unwrap();

    let failure = sink.outbox().try_assert_no_duplicates().unwrap_err();
    assert!(failure.report().contains("stored 2 times, in 2 attempts"), "{failure}");
}
