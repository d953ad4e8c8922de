//! An outbox's fault plan answers every send that reaches the outbox, by
//! whichever path: a routed address from a thread the test does not own,
//! and the global capture that a production mailer's sends fall back on.

use lettre::Transport;
use mailtest::{CaptureTransport, Fault, FaultPlan, Mailer, Outbox, Settings, Stage};

use super::receipt;

#[test]
fn a_routed_address_meets_its_outboxs_plan_from_any_thread() {
    let mail = Outbox::new();
    mail.faults(FaultPlan::new().fault(Fault::greylist()));
    let ann = mail.unique_address("ann");

    let tries = std::thread::spawn(move || {
        let transport = CaptureTransport::ambient();
        [transport.send(&receipt(&ann)).map(drop), transport.send(&receipt(&ann)).map(drop)]
    })
    .join()
    .unwrap();

    assert!(tries[0].as_ref().unwrap_err().is_temporary(), "{tries:?}");
    assert!(tries[1].is_ok(), "{tries:?}");
    let attempts = mail.find().subject("Your receipt").attempts(2);
    assert!(!attempts[0].stored() && attempts[1].stored());
}

#[test]
fn the_global_capture_meets_its_plan_for_a_production_mailers_worker() {
    let mail = mailtest::capture_global();
    mail.faults(FaultPlan::new().fault(Fault::reply(Stage::Mail, 421, "4.7.0 too busy, closing").times(1)));
    // The app's production wiring: SMTP to localhost:25, from its own thread.
    let mailer = Mailer::from_settings(&Settings::default()).unwrap();

    let tries = std::thread::spawn(move || {
        [mailer.send(&receipt("ann@example.com")), mailer.send(&receipt("ann@example.com"))]
    })
    .join()
    .unwrap();

    let first = tries[0].as_ref().unwrap_err();
    assert!(
        first.is_temporary() && matches!(first, mailtest::Error::Smtp { code: Some(421), .. }),
        "{first:?}"
    );
    assert!(tries[1].is_ok(), "{tries:?}");
    mail.find().to("ann@example.com").attempts(2);
    mail.find().to("ann@example.com").delivered_once();
}
