//! Way 1: inject the mailer. The test builds the app's state around
//! `mail.async_mailer()` — an `AsyncMailer` that delivers into this test's
//! outbox from any task, the receipt worker's included — and calls the
//! routes in its own task (`tower::ServiceExt::oneshot`, no server).

mod support;

use std::time::Duration;

use mailtest::snapshot::Redactions;
use mailtest::{Outbox, assert_not_sent, assert_sent, regex};
use serde_json::json;
use shop::AppState;
use support::{BASE_URL, follow, post};

/// The app, sending into `mail`.
fn shop(mail: &Outbox) -> axum::Router {
    shop::app(AppState::start(mail.async_mailer(), BASE_URL))
}

#[tokio::test]
async fn signup_sends_a_welcome_email_with_a_confirmation_link() {
    let mail = mailtest::capture();
    let app = shop(&mail);

    let status = post(&app, "/signup", json!({"email": "ann@example.com", "name": "Ann"})).await;
    assert_eq!(status, 201);

    let welcome = mail.find().to("Ann <ann@example.com>").subject("Welcome to the shop, Ann").one();
    let link = welcome
        .assert()
        .from("Shop <shop@example.com>")
        .text_contains("welcome to the shop!")
        .html_contains("Confirm your address")
        .link_matching(regex(r"^https://shop\.example\.com/confirm\?token=[0-9a-f]{32}$"));
    assert_eq!(follow(&app, &link).await, 200);
    assert_eq!(follow(&app, &link).await, 404, "a confirmation link works once");
}

#[tokio::test]
async fn the_welcome_email_reads_as_expected() {
    let mail = mailtest::capture();
    post(&shop(&mail), "/signup", json!({"email": "ann@example.com", "name": "Ann"})).await;

    let welcome = assert_sent!(mail, to: "ann@example.com", subject_contains: "Welcome");
    let tokens = Redactions::new().pattern(r"token=[0-9a-f]{32}", "token=[token]");
    mailtest::assert_email_snapshot!(welcome, redactions: &tokens, @r#"
    From: Shop <shop@example.com>
    To: Ann <ann@example.com>
    Subject: Welcome to the shop, Ann
    Date: [date]
    Envelope: shop@example.com -> ann@example.com

    --- mime ---
    multipart/alternative
      text/plain; charset=utf-8
      text/html; charset=utf-8

    --- text/plain ---
    Hi Ann,

    welcome to the shop! Please confirm your address:
    https://shop.example.com/confirm?token=[token]

    --- text/html ---
    <p>Hi Ann,</p>
    <p>Welcome to the shop! <a href="https://shop.example.com/confirm?token=[token]">Confirm your address</a>.</p>
    "#);
}

#[tokio::test]
async fn a_password_reset_goes_to_known_accounts_only() {
    let mail = mailtest::capture();
    let app = shop(&mail);
    post(&app, "/signup", json!({"email": "ann@example.com", "name": "Ann"})).await;

    assert_eq!(post(&app, "/password-reset", json!({"email": "ann@example.com"})).await, 202);
    assert_eq!(post(&app, "/password-reset", json!({"email": "bob@example.com"})).await, 202);

    let reset = assert_sent!(mail, to: "ann@example.com", subject: "Reset your password");
    let link = reset.assert().text_contains("If it was not you").link_matching(regex(r"/reset\?token="));
    assert_eq!(follow(&app, &link).await, 200);
    assert_not_sent!(mail, to: "bob@example.com");
}

#[tokio::test]
async fn nothing_is_sent_for_a_bad_address() {
    let mail = mailtest::capture();

    let status = post(&shop(&mail), "/signup", json!({"email": "not an address", "name": "Ann"})).await;

    assert_eq!(status, 422);
    mail.assert_empty();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_sends_the_receipt_with_the_pdf_attached() {
    let mail = mailtest::capture();
    // The worker runs on a runtime thread: the injected mailer reaches `mail` from there too.
    let ann = "ann@example.com";
    let app = shop(&mail);

    let order =
        json!({"email": ann, "items": [{"name": "Tea", "cents": 450}, {"name": "Cup", "cents": 1200}]});
    assert_eq!(post(&app, "/orders", order).await, 202);

    let receipt = mail
        .find()
        .to(ann)
        .subject("Your receipt for order 1")
        .has_attachment("receipt-1.pdf")
        .within(Duration::from_secs(10))
        .one_async()
        .await;
    receipt
        .assert()
        .text_in_order(["Tea  EUR 4.50", "Cup  EUR 12.00", "Total  EUR 16.50"])
        .attachment_count(1)
        .attachment("receipt-1.pdf", |pdf| pdf.content_type("application/pdf").not_inline());
    let pdf = receipt.attachments()[0].content();
    assert!(pdf.starts_with(b"%PDF-1.4\n") && pdf.ends_with(b"%%EOF\n"));
}
