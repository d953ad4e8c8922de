//! The attempt log: what each attempt kept, and how a failure report shows
//! the attempts of the closest emails.

use lettre::Transport;
use mailtest::{Fault, FaultPlan, Outbox, Outcome, Stage};

use super::receipt;

#[test]
fn a_greylisted_send_is_logged_refused_then_delivered_with_one_identity() {
    let mail = Outbox::new();
    mail.faults(FaultPlan::new().fault(Fault::greylist()));
    let transport = mail.transport();

    assert!(transport.send(&receipt("ann@example.com")).unwrap_err().is_temporary());
    transport.send(&receipt("ann@example.com")).unwrap();

    let attempts = mail.find().to("ann@example.com").attempts(2);
    assert!(
        matches!(attempts[0].outcome(), Outcome::Refused { stage: Stage::Rcpt, reply, .. } if reply.code() == 450)
    );
    assert_eq!(*attempts[1].outcome(), Outcome::Delivered);
    assert_eq!(attempts[0].identity(), attempts[1].identity());
    assert!(attempts[0].at() <= attempts[1].at());
    assert_eq!(mail.find().to("ann@example.com").delivered_once().sequence(), 1);
}

#[test]
fn a_mailer_plan_answers_for_the_capture_and_a_partial_refusal_is_delivered_to_the_rest() {
    let mail = mailtest::capture();
    let mailer = mailtest::Mailer::new(mailtest::DummyBackend).faults(
        FaultPlan::new().fault(Fault::reply(Stage::Rcpt, 550, "5.1.1 no such user").to("gone@example.com")),
    );
    let message = lettre::Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .cc("gone@example.com".parse().unwrap())
        .subject("News")
        .body(String::from("Hi"))
        .unwrap();

    let delivery = mailer.deliver(&[message]).unwrap();

    assert_eq!(delivery.sent(), 1);
    assert_eq!(delivery.refused()[0].recipient(), "gone@example.com");
    assert_eq!(mail.find().subject("News").one().envelope_to(), ["ann@example.com"]);
}

#[test]
fn a_bad_plan_is_refused_naming_the_fault() {
    let mail = Outbox::new();

    let err = mail
        .try_faults(FaultPlan::new().fault(Fault::reply(Stage::Rcpt, 451, "5.1.1 mixed up")))
        .unwrap_err();

    assert_eq!(
        err.to_string(),
        "fault 1 of the plan (reply 451 5.1.1 mixed up at RCPT): the enhanced status 5.1.1 does not agree with the reply code 451: it starts with 4"
    );
}

#[test]
fn a_failing_query_shows_the_attempts_that_stored_nothing_and_those_of_the_closest_email() {
    let mail = Outbox::new();
    mail.faults(
        FaultPlan::new()
            .fault(Fault::reply(Stage::Rcpt, 550, "5.1.1 no such user").to("bob@example.com"))
            .fault(Fault::reply(Stage::EndOfData, 451, "4.3.0 try again later").times(1)),
    );
    let transport = mail.transport();
    let _ = transport.send(&receipt("ann@example.com"));
    transport.send(&receipt("ann@example.com")).unwrap();
    let _ = transport.send(&receipt("bob@example.com"));

    let failure = mail.find().to("bob@example.com").subject("Your receipt").try_one().unwrap_err();

    crate::reports::snapshot("query_with_attempts", failure.report());
}
