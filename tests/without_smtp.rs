//! The `Mailer` without mailtest's `smtp` feature (the default: `cargo test`
//! runs this; `.ci/run`, whose suite turns every feature on, runs it with
//! `--no-default-features --features harness`). A test binary of its own, so
//! that the build without the feature is of this file alone.
//!
//! In a test process, turning `smtp` on would not make the send happen, so
//! the refusal is what it says; a mailer that bypasses capture (a test of
//! the backend itself) is told which feature it lacks.
#![cfg(not(feature = "smtp"))]

use mailtest::{Error, Mailer, Settings};

fn simple(subject: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject(subject)
        .body(String::from("Hello"))
        .unwrap()
}

#[test]
fn smtp_without_its_feature_is_refused_in_a_test_and_names_the_feature_when_bypassing() {
    let _gate = mailtest::capture(); // no global capture beside this test; the sends run on another thread
    let mailer = Mailer::from_settings(&Settings::default()).unwrap();

    let (refused, bypassing) = std::thread::spawn(move || {
        (mailer.send_messages(&[simple("Hi")]), mailer.bypass_capture().send_messages(&[simple("Hi")]))
    })
    .join()
    .unwrap();

    let err = refused.unwrap_err();
    assert!(
        matches!(&err, Error::NoOutbox { prevented: Some(server), .. } if server == "localhost:25"),
        "{err:?}"
    );
    let err = bypassing.unwrap_err();
    assert!(matches!(&err, Error::FeatureRequired { feature, .. } if feature == "smtp"), "{err:?}");
}
