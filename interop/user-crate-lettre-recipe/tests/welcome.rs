//! The README's recipe: the app's production transport, guarded, sends into the test's capture.

use lettre::SmtpTransport;

#[test]
fn the_welcome_email_is_captured_not_sent() {
    let mail = mailtest::capture();
    let transport = mailtest::guard(SmtpTransport::builder_dangerous("smtp.example.com").build());
    user_crate_lettre_recipe::welcome(&transport, "ann@example.com").unwrap();
    let email = mail.find().to("ann@example.com").subject("Welcome!").one();
    #[cfg(feature = "uses-snapshots")]
    mailtest::assert_email_snapshot!(email);
    #[cfg(not(feature = "uses-snapshots"))]
    assert_eq!(email.text(), Some("Hello"));
}
