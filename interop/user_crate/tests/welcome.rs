//! A file snapshot, as a user writes it. `WELCOME_SUBJECT` lets the outer
//! test change the email without rebuilding this crate.

#[test]
fn welcome_email() {
    let mail = mailtest::capture();
    let subject = std::env::var("WELCOME_SUBJECT").unwrap_or_else(|_| String::from("Welcome!"));

    mailtest_user_crate::send_welcome(&mailtest::CaptureTransport::ambient(), "ann@example.com", &subject);

    let email = mail.find().to("ann@example.com").one();
    mailtest::assert_email_snapshot!(email);
}
