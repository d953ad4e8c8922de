//! What a test sees when it forgets `capture_global()`: the receipt worker's
//! send is refused — not sent for real, not dropped silently — and the
//! failing query lists it, with the fix.

mod support;

use std::net::TcpListener;
use std::time::Duration;

use mailtest::{AsyncMailer, Settings};
use serde_json::json;
use shop::AppState;
use support::{BASE_URL, post};

#[tokio::test(flavor = "multi_thread")]
async fn the_report_lists_the_receipt_the_worker_could_not_send() {
    // Stands in for the production relay: nothing may connect to it.
    let relay = TcpListener::bind("127.0.0.1:0").unwrap();
    relay.set_nonblocking(true).unwrap();
    let port = relay.local_addr().unwrap().port().to_string();
    let settings = Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", port.as_str())]).unwrap();

    // Should be `mailtest::capture_global()`: the worker runs on a thread of
    // the runtime, where this capture is not bound.
    let mail = mailtest::capture();
    let app = shop::app(AppState::start(AsyncMailer::from_settings(&settings).unwrap(), BASE_URL));

    let order = json!({"email": "ann@example.com", "items": [{"name": "Tea", "cents": 450}]});
    assert_eq!(post(&app, "/orders", order).await, 202);

    let failure = mail
        .find()
        .to("ann@example.com")
        .subject("Your receipt for order 1")
        .within(Duration::from_secs(2))
        .try_one_async()
        .await
        .expect_err("the receipt went to no capture");
    let report = failure.to_string();
    for line in [
        "expected exactly 1 email matching to=ann@example.com, subject=\"Your receipt for order 1\"; \
         found 0 of 0 captured (after waiting 2s)",
        "meanwhile 1 send was refused, on threads this capture was bound on or to recipients this query names:",
        &format!(
            "  1 send to ann@example.com, on thread 'tokio-rt-worker': \
             a mailer's real send over SMTP to 127.0.0.1:{port} was prevented"
        ),
        "  hint: capture mail from work the test does not own (an app's workers, a thread pool, \
         a multi-thread runtime) with `mailtest::capture_global()`; or propagate the capture \
         (`outbox.scope(fut)`, `outbox.spawn(..)`), or send to `outbox.unique_address(\"name\")`.",
    ] {
        assert!(report.lines().any(|l| l == line), "missing line {line:?} in the report:\n{report}");
    }
    let nobody = relay.accept().map(|(_, from)| from).map_err(|err| err.kind());
    assert_eq!(nobody, Err(std::io::ErrorKind::WouldBlock), "the relay got a connection");
}
