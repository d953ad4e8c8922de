//! Way 2: the production wiring. The app gets the mailer `main` would build
//! — `EMAIL_BACKEND=smtp` to localhost:25 — and the test captures what it
//! sends. In a test process mailtest never lets that mailer reach a real
//! SMTP server: a capture takes each send, and a send nothing captures is
//! refused (and listed in the failing assertion's report).
//!
//! - `mailtest::capture_global()` takes the mail of every thread and task,
//!   so a test of the receipt worker passes on both runtime flavours, with
//!   the same body.
//! - One shop serving several tests, over HTTP: each test sends to its own
//!   `unique_address`, and gets only its own mail.

mod support;

use std::net::SocketAddr;
use std::sync::LazyLock;
use std::time::Duration;

use mailtest::{AsyncMailer, Settings, regex};
use serde_json::json;
use shop::AppState;
use support::{BASE_URL, http, post};

/// What `main` builds with the defaults: SMTP to localhost:25.
fn production_mailer() -> AsyncMailer {
    let settings =
        Settings::from_vars([("EMAIL_BACKEND", "smtp"), ("EMAIL_HOST", "localhost"), ("EMAIL_PORT", "25")])
            .expect("valid settings");
    AsyncMailer::from_settings(&settings).expect("an SMTP mailer")
}

/// The same body on both runtime flavours.
async fn the_worker_sends_the_receipt() {
    let mail = mailtest::capture_global();
    let app = shop::app(AppState::start(production_mailer(), BASE_URL));

    let order = json!({"email": "ann@example.com", "items": [{"name": "Tea", "cents": 450}]});
    assert_eq!(post(&app, "/orders", order).await, 202);

    let receipt = mail
        .find()
        .to("ann@example.com")
        .subject("Your receipt for order 1")
        .within(Duration::from_secs(10))
        .one_async()
        .await;
    receipt
        .assert()
        .text_contains("Total  EUR 4.50")
        .attachment("receipt-1.pdf", |pdf| pdf.content_type("application/pdf"));
    // The worker sent it from a task of its own; the capture took it anyway.
    mail.assert_count(1);
}

#[tokio::test(flavor = "current_thread")]
async fn the_worker_sends_the_receipt_on_a_current_thread_runtime() {
    the_worker_sends_the_receipt().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_sends_the_receipt_on_a_multi_thread_runtime() {
    the_worker_sends_the_receipt().await;
}

/// One shop for every test below, served over HTTP on its own runtime (a
/// test's runtime ends with the test). Under nextest, where each test is a
/// process, each test gets its own.
static SHARED_SHOP: LazyLock<SocketAddr> = LazyLock::new(|| {
    let (started, addr) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("shared-shop".into())
        .spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
                let addr = listener.local_addr().unwrap();
                let state = AppState::start(production_mailer(), &format!("http://{addr}"));
                started.send(addr).unwrap();
                axum::serve(listener, shop::app(state)).await.unwrap();
            });
        })
        .unwrap();
    addr.recv().expect("the shared shop started")
});

#[tokio::test]
async fn a_shared_shop_sends_each_test_its_own_welcome() {
    let shop = *SHARED_SHOP;
    let mail = mailtest::capture();
    let ann = mail.unique_address("ann");

    assert_eq!(http::post(shop, "/signup", json!({"email": ann, "name": "Ann"})).await, 201);

    // The handler sent it before answering, on a thread of the shop's runtime.
    let welcome = mail.find().to(&ann).subject("Welcome to the shop, Ann").one();
    let link = welcome.assert().link_matching(regex(r"/confirm\?token="));
    assert_eq!(http::get(shop, &link).await, 200);
    mail.assert_count(1);
}

#[tokio::test]
async fn a_shared_shop_sends_each_test_its_own_reset_link() {
    let shop = *SHARED_SHOP;
    let mail = mailtest::capture();
    let ann = mail.unique_address("ann");
    http::post(shop, "/signup", json!({"email": ann, "name": "Ann"})).await;

    assert_eq!(http::post(shop, "/password-reset", json!({"email": ann})).await, 202);

    let reset = mailtest::assert_sent!(mail, to: &ann, subject: "Reset your password");
    assert_eq!(http::get(shop, &reset.assert().link_matching(regex(r"/reset\?token="))).await, 200);
}

#[tokio::test]
async fn a_shared_shop_sends_each_test_its_own_receipt() {
    let shop = *SHARED_SHOP;
    let mail = mailtest::capture();
    let ann = mail.unique_address("ann");

    let order = json!({"email": ann, "items": [{"name": "Cup", "cents": 1200}]});
    assert_eq!(http::post(shop, "/orders", order).await, 202);

    // Other tests place orders on this shop too: the number is not ours to know.
    let receipt = mail
        .find()
        .to(&ann)
        .subject_contains("Your receipt for order")
        .within(Duration::from_secs(10))
        .one_async()
        .await;
    receipt.assert().text_contains("Total  EUR 12.00").attachment_count(1);
}
