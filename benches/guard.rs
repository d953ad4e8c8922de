//! A guarded lettre transport against the same lettre transport unguarded,
//! both sending to the crate's SMTP sink in the same run: what
//! `mailtest::guard` adds to an application's production path (the
//! delivery decision, and the test-process rule's look at the sink list).
//!
//! `cargo bench -p mailtest-benches --bench guard` prints, after criterion's
//! report, the ratio the crate promises: ≤ 1.05× lettre. Reported, never
//! enforced.

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::Criterion;
use lettre::{Message, SmtpTransport, Transport};
use mailtest::{SmtpSink, guard};

mod estimate;
use estimate::estimate_ns;

const LIMIT: f64 = 1.05;

fn main() {
    let started = SystemTime::now();
    let sink = SmtpSink::start().expect("start the sink");
    let message = receipt();
    // lettre's pooled transport, as an app builds it; the guard is told the
    // server, so in this (test) process it lets the sink through.
    let transport = || SmtpTransport::builder_dangerous("127.0.0.1").port(sink.port()).build();
    let lettre = transport();
    let guarded = guard(transport()).reaching("127.0.0.1", sink.port());

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("guard");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    group.bench_function("lettre", |b| b.iter(|| lettre.send(black_box(&message)).expect("sent")));
    group.bench_function("guarded", |b| b.iter(|| guarded.send(black_box(&message)).expect("sent")));
    group.finish();
    criterion.final_summary();

    match (estimate_ns("guard", "guarded", started), estimate_ns("guard", "lettre", started)) {
        (Some(ours), Some(theirs)) => {
            let ratio = ours / theirs;
            let verdict = if ratio <= LIMIT { "OK" } else { "OVER LIMIT" };
            println!(
                "\nmailtest guard benchmark summary\nguard(SmtpTransport) / SmtpTransport, pooled, to the sink = \
                 {ratio:.2}x (limit {LIMIT:.2}x) {verdict}  [{:.1} µs vs {:.1} µs per message; {} messages]",
                ours / 1000.0,
                theirs / 1000.0,
                sink.outbox().len()
            );
        }
        _ => println!("\nguard / lettre = not measured in this run"),
    }
}

fn receipt() -> Message {
    Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Your receipt")
        .body("Thank you for your order.\n".repeat(20))
        .unwrap()
}
