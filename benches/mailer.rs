//! `AsyncMailer` (SMTP backend, pooled sessions) against lettre's own
//! `AsyncSmtpTransport` (pooled), both sending to the crate's SMTP sink in
//! the same run: what the Django-style layer and the delivery decision cost
//! on the production path.
//!
//! `cargo bench --bench mailer` prints, after criterion's report, the ratio
//! the crate promises: ≤ 1.1× lettre. Reported, never enforced.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use criterion::Criterion;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mailtest::{AsyncMailer, Settings, SmtpSink};

const LIMIT: f64 = 1.10;

fn main() {
    let started = SystemTime::now();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let sink = SmtpSink::start().expect("start the sink");
    let message = receipt();

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("smtp");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));

    let lettre = runtime.block_on(async {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(sink.port()).build()
    });
    group.bench_function("lettre", |b| {
        b.to_async(&runtime).iter(|| async { lettre.send(black_box(message.clone())).await.expect("sent") });
    });

    let port = sink.port().to_string();
    let settings = Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", port.as_str())]).unwrap();
    let mailer = AsyncMailer::from_settings(&settings).unwrap();
    group.bench_function("mailer", |b| {
        b.to_async(&runtime).iter(|| async { mailer.send(black_box(message.clone())).await.expect("sent") });
    });
    group.finish();
    criterion.final_summary();
    // lettre's pool spawns its shutdown on drop: it needs the runtime then.
    runtime.block_on(async move { drop(lettre) });

    match (estimate_ns("mailer", started), estimate_ns("lettre", started)) {
        (Some(ours), Some(theirs)) => {
            let ratio = ours / theirs;
            let verdict = if ratio <= LIMIT { "OK" } else { "OVER LIMIT" };
            println!(
                "\nmailtest mailer benchmark summary\nAsyncMailer / lettre AsyncSmtpTransport, pooled, to the sink = \
                 {ratio:.2}x (limit {LIMIT:.2}x) {verdict}  [{:.1} µs vs {:.1} µs per message; {} sessions]",
                ours / 1000.0,
                theirs / 1000.0,
                sink.sessions_started()
            );
        }
        _ => println!("\nAsyncMailer / lettre = not measured in this run"),
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

/// Criterion's estimate for one benchmark of this run, in nanoseconds.
fn estimate_ns(function: &str, started: SystemTime) -> Option<f64> {
    let home = std::env::var_os("CRITERION_HOME").map(PathBuf::from).unwrap_or_else(|| {
        let target =
            std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
        target.join("criterion")
    });
    let path = home.join("smtp").join(function).join("new").join("estimates.json");
    let fresh = std::fs::metadata(&path).and_then(|meta| meta.modified()).ok()? >= started;
    if !fresh {
        return None;
    }
    let json = std::fs::read_to_string(path).ok()?;
    let key = if json.contains("\"slope\":{") { "slope" } else { "mean" };
    let at = json.find(&format!("\"{key}\":"))?;
    let rest = &json[at..];
    let point = rest.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    rest[point..].split([',', '}']).next()?.trim().parse().ok()
}
