//! An inline snapshot left empty on purpose: the outer test runs
//! `cargo insta test --accept` and checks that it is filled in place.

#[test]
fn welcome_inline() {
    let mail = mailtest::capture();

    mailtest_user_crate::send_welcome(&mailtest::CaptureTransport::ambient(), "bob@example.com", "Hello Bob");

    mailtest::assert_outbox_snapshot!(mail, @"");
}
