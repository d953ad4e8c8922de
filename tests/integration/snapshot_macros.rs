//! `assert_email_snapshot!` / `assert_outbox_snapshot!`: every form, and what
//! insta records for them (the user's expression, never the macro's helper).

use lettre::Transport;
use mailtest::snapshot::Redactions;
use mailtest::{Email, assert_email_snapshot, assert_outbox_snapshot};

fn in_snapshots_folder(assertion: impl FnOnce()) {
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        assertion();
    });
}

fn welcome_message(to: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().expect("mailbox"))
        .to(to.parse().expect("mailbox"))
        .subject("Welcome!")
        .message_id(None)
        .body(String::from("Confirm: https://shop.example.com/confirm?t=8f3a9c\n"))
        .expect("valid message")
}

/// The metadata lines of a snapshot file in `snapshots/`.
fn snapshot_metadata(name: &str) -> Vec<String> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots").join(format!("{name}.snap"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    text.split("\n---\n").next().unwrap_or_default().lines().map(str::to_owned).collect()
}

#[test]
fn email_snapshot_auto_named() {
    let mail = mailtest::capture();
    mailtest::CaptureTransport::ambient().send(&welcome_message("ann@example.com")).expect("captured");
    let email = mail.find().to("ann@example.com").one();

    in_snapshots_folder(|| assert_email_snapshot!(email));

    let metadata = snapshot_metadata("email_snapshot_auto_named");
    assert!(metadata.contains(&"expression: email".to_owned()), "{metadata:#?}");
    assert!(!metadata.iter().any(|line| line.contains("__private")), "{metadata:#?}");
}

#[test]
fn email_snapshot_named_with_redactions() {
    let email = Email::from_raw(welcome_message("ann@example.com").formatted());
    let tokens = Redactions::new().pattern(r"t=\w+", "t=[token]");

    in_snapshots_folder(|| assert_email_snapshot!("email_snapshot_redacted", &email, redactions: &tokens,));

    let metadata = snapshot_metadata("email_snapshot_redacted");
    assert!(metadata.contains(&"expression: \"&email\"".to_owned()), "{metadata:#?}");
}

#[test]
fn email_snapshot_inline_forms() {
    let email = Email::from_raw("To: ann@example.com\r\nSubject: Code 493817\r\n\r\nHi\r\n");

    assert_email_snapshot!(email, @r"
    To: ann@example.com
    Subject: Code 493817

    --- mime ---
    text/plain

    --- text/plain ---
    Hi
    ");
    assert_email_snapshot!(
        &email,
        redactions: Redactions::new().pattern(r"\d{6}", "[code]"),
        @r"
    To: ann@example.com
    Subject: Code [code]

    --- mime ---
    text/plain

    --- text/plain ---
    Hi
    ",
    );
}

#[test]
fn outbox_snapshot_in_capture_order() {
    let mail = mailtest::capture();
    for to in ["bob@example.com", "ann@example.com"] {
        mailtest::CaptureTransport::ambient().send(&welcome_message(to)).expect("captured");
    }

    in_snapshots_folder(|| assert_outbox_snapshot!(mail));
    in_snapshots_folder(|| {
        assert_outbox_snapshot!(
            "outbox_snapshot_redacted",
            mail.outbox(),
            redactions: Redactions::new().pattern(r"t=\w+", "t=[token]")
        )
    });

    let metadata = snapshot_metadata("outbox_snapshot_in_capture_order");
    assert!(metadata.contains(&"expression: mail".to_owned()), "{metadata:#?}");
    let text = mailtest::snapshot::render_outbox(&mail);
    let bob = text.find("To: bob@example.com").expect("bob's email");
    let ann = text.find("To: ann@example.com").expect("ann's email");
    assert!(bob < ann, "capture order: bob's was sent first\n{text}");
}

#[test]
fn outbox_snapshot_inline_with_redactions() {
    let outbox = mailtest::Outbox::new();
    outbox.capture_raw(Some("shop@example.com"), &["ann@example.com"], b"Subject: Code 493817\r\n\r\n.");

    assert_outbox_snapshot!(outbox, redactions: Redactions::new().pattern(r"\d{6}", "[code]"), @r"
    1 email captured

    === email 1 of 1 ===
    Bcc: ann@example.com
    Subject: Code [code]
    Envelope: shop@example.com -> ann@example.com

    --- mime ---
    text/plain

    --- text/plain ---
    .
    \ no newline at end
    ");
}
