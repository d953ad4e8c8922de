//! The receipt worker retries a temporary failure and nothing else: tested
//! with fault plans on the test's capture, on both runtime flavours (the
//! worker is a task of the runtime the app starts on).

mod support;

use std::time::{Duration, Instant};

use mailtest::{Fault, FaultPlan, Outbox, Stage};
use serde_json::json;
use shop::AppState;
use support::{BASE_URL, post};

const RECEIPT: &str = "Your receipt for order 1";

/// Places one order with the app sending into `mail`.
async fn place_order(mail: &Outbox) {
    let app = shop::app(AppState::start(mail.async_mailer(), BASE_URL));
    let order = json!({"email": "ann@example.com", "items": [{"name": "Tea", "cents": 450}]});
    assert_eq!(post(&app, "/orders", order).await, 202);
}

/// Waits (yielding to the worker) until `mail` logged `n` attempts.
async fn attempts_logged(mail: &Outbox, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while mail.attempts().len() < n {
        assert!(Instant::now() < deadline, "only {:?} after 10 s", mail.attempts());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn a_greylisted_receipt_is_retried_and_delivered_once() {
    let mail = mailtest::capture();
    mail.faults(FaultPlan::new().fault(Fault::greylist()).fault(Fault::rate_limit(5)));

    place_order(&mail).await;

    mail.find().subject(RECEIPT).within(Duration::from_secs(10)).one_async().await;
    let attempts = mail.find().subject(RECEIPT).attempts(2);
    assert!(!attempts[0].stored() && attempts[1].stored());
    mail.assert_no_duplicates();
}

async fn a_lost_250_is_not_retried_so_the_receipt_is_not_sent_twice() {
    let mail = mailtest::capture();
    mail.faults(FaultPlan::new().fault(Fault::reply_lost().times(1)));

    place_order(&mail).await;

    attempts_logged(&mail, 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await; // a retry would come within the backoff
    mail.find().subject(RECEIPT).attempts(1);
    mail.find().subject(RECEIPT).delivered_once();
    mail.assert_no_duplicates();
}

async fn a_permanent_refusal_is_given_up_at_once() {
    let mail = mailtest::capture();
    mail.faults(FaultPlan::new().fault(Fault::reply(Stage::Rcpt, 550, "5.1.1 no such user")));

    place_order(&mail).await;

    attempts_logged(&mail, 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    mail.find().subject(RECEIPT).attempts(1);
    mail.assert_empty();
}

async fn three_temporary_failures_are_three_tries() {
    let mail = mailtest::capture();
    mail.faults(FaultPlan::new().fault(Fault::reply(Stage::EndOfData, 451, "4.3.0 try again later")));

    place_order(&mail).await;

    attempts_logged(&mail, 3).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    mail.find().subject(RECEIPT).attempts(3);
    mail.assert_empty();
}

/// Each case on a current-thread and a multi-thread runtime.
macro_rules! on_both_flavours {
    ($($case:ident),* $(,)?) => {
        mod current_thread {
            $(#[tokio::test(flavor = "current_thread")]
            async fn $case() {
                super::$case().await
            })*
        }
        mod multi_thread {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                super::$case().await
            })*
        }
    };
}

on_both_flavours!(
    a_greylisted_receipt_is_retried_and_delivered_once,
    a_lost_250_is_not_retried_so_the_receipt_is_not_sent_twice,
    a_permanent_refusal_is_given_up_at_once,
    three_temporary_failures_are_three_tries,
);
