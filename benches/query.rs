//! How long a query takes over a large outbox once every email is parsed:
//! the part of an assertion a user waits for on every run.
//!
//! `cargo bench --bench query`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use mailtest::Outbox;

const EMAILS: usize = 10_000;

/// 10,000 emails with distinct recipients and subjects, all inspected once
/// so the benchmark measures evaluation, not the first parse.
fn parsed_outbox() -> Outbox {
    let outbox = Outbox::new();
    for n in 0..EMAILS {
        let raw = format!(
            "From: Shop <shop@example.com>\r\nTo: user{n}@example.com\r\nSubject: Order {n} shipped\r\n\
             X-Order: {n}\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nHello user {n}, your order {n} is on its way.\r\n\
             --b\r\nContent-Type: text/html\r\n\r\n<p>Hello user {n}, your order <b>{n}</b> is on its way.</p>\r\n--b--\r\n"
        );
        outbox.capture_raw(Some("shop@example.com"), &[&format!("user{n}@example.com")], raw.as_bytes());
    }
    for email in outbox.emails() {
        black_box((email.to(), email.subject(), email.text(), email.html_text(), email.header("X-Order")));
    }
    outbox
}

fn query(c: &mut Criterion) {
    let outbox = parsed_outbox();
    let mut group = c.benchmark_group("query over 10,000 parsed emails");
    group.sample_size(20).measurement_time(Duration::from_secs(4));

    group.bench_function("to + subject, one()", |b| {
        b.iter(|| outbox.find().to("user7000@example.com").subject("Order 7000 shipped").one())
    });
    group.bench_function("text_contains, one()", |b| {
        b.iter(|| outbox.find().text_contains("your order 7000 is").one())
    });
    group.bench_function("html_contains (decoded text), one()", |b| {
        b.iter(|| outbox.find().html_contains("your order 7000 is").one())
    });
    group.bench_function("header regex, count()", |b| {
        let pattern = mailtest::regex(r"^70\d\d$");
        b.iter(|| outbox.find().header("X-Order", pattern.clone()).count(100))
    });
    group.bench_function("failing one(): full report", |b| {
        b.iter(|| outbox.find().to("nobody@example.com").subject("Order 7000 shipped").try_one().unwrap_err())
    });
    group.finish();
}

criterion_group!(benches, query);
criterion_main!(benches);
