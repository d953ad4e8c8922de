//! Way 3: black box. The test starts the production binary as a child
//! process, configured only by its environment — `EMAIL_HOST`/`EMAIL_PORT`
//! point at an `SmtpSink` of the test —, drives it over HTTP, and asserts on
//! what reached the sink.
//!
//! The sink speaks plain SMTP (no STARTTLS, no implicit TLS): leave
//! `EMAIL_USE_TLS` and `EMAIL_USE_SSL` off for it. The binary is not a test
//! process, so mailtest lets it send for real; the sink is the only server
//! it can reach.

mod support;

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use mailtest::{SmtpSink, regex};
use serde_json::json;
use support::http;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The shop's binary, running until dropped.
struct RunningShop {
    addr: SocketAddr,
    _process: Child,
}

/// Starts the binary with its mail going to `sink`, and waits until it listens.
async fn start_shop(sink: &SmtpSink) -> RunningShop {
    let mut process = Command::new(env!("CARGO_BIN_EXE_shop"))
        .env("SHOP_ADDR", "127.0.0.1:0")
        .env("EMAIL_BACKEND", "smtp")
        .env("EMAIL_HOST", "127.0.0.1")
        .env("EMAIL_PORT", sink.port().to_string())
        .env_remove("EMAIL_USE_TLS")
        .env_remove("EMAIL_USE_SSL")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the shop's binary starts");
    let stdout = process.stdout.take().unwrap();
    // "shop listening on http://127.0.0.1:PORT"; its errors go to stderr,
    // which the test shows.
    let line = tokio::time::timeout(Duration::from_secs(30), BufReader::new(stdout).lines().next_line())
        .await
        .expect("the shop listens within 30 s")
        .unwrap()
        .expect("the shop exited before it listened (its error is above)");
    let addr =
        line.strip_prefix("shop listening on http://").unwrap_or_else(|| panic!("unexpected line {line:?}"));
    RunningShop { addr: addr.parse().unwrap(), _process: process }
}

#[tokio::test]
async fn the_binary_sends_its_mail_over_smtp() {
    let sink = SmtpSink::start().unwrap();
    let shop = start_shop(&sink).await;
    let mail = sink.outbox();

    assert_eq!(
        http::post(shop.addr, "/signup", json!({"email": "ann@example.com", "name": "Ann"})).await,
        201
    );
    let welcome = mail.find().to("ann@example.com").subject("Welcome to the shop, Ann").one();
    // The links point at the running shop: follow one.
    let confirm = welcome.assert().link_matching(regex(r"/confirm\?token="));
    assert_eq!(http::get(shop.addr, &confirm).await, 200);

    assert_eq!(http::post(shop.addr, "/password-reset", json!({"email": "ann@example.com"})).await, 202);
    mailtest::assert_sent!(mail, to: "ann@example.com", subject: "Reset your password");

    let order = json!({"email": "ann@example.com", "items": [{"name": "Tea", "cents": 450}]});
    assert_eq!(http::post(shop.addr, "/orders", order).await, 202);
    let receipt = mail
        .find()
        .to("ann@example.com")
        .subject("Your receipt for order 1")
        .within(Duration::from_secs(10))
        .one_async()
        .await;
    receipt.assert().attachment("receipt-1.pdf", |pdf| pdf.content_type("application/pdf"));
    assert_eq!(receipt.envelope_from(), Some("shop@example.com"));
    mail.assert_count(3);
}

#[tokio::test]
async fn a_bad_setting_stops_the_binary_at_start_up() {
    let output = Command::new(env!("CARGO_BIN_EXE_shop"))
        .env("SHOP_ADDR", "127.0.0.1:0")
        .env("EMAIL_BACKEND", "smtp")
        .env("EMAIL_PORT", "twenty-five")
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "shop: mailtest: EMAIL_PORT=\"twenty-five\" is not valid: expected a port number from 1 to 65535\n"
    );
}
