//! Capture and inspection cost, against what a test would use without
//! mailtest: lettre's `StubTransport` for sending, mail-parser for reading.
//!
//! `cargo bench --bench capture` prints, after criterion's own report, the
//! ratios the crate promises: capture ≤ 1.1× stub, the delivery decision
//! ≤ 5% of a captured send, first inspection ≤ 1.3× mail-parser, and
//! linting a freshly captured email (its parse included) ≤ 2× its first
//! inspection — for the invoice and for an HTML-heavy newsletter. The
//! ratios are reported, never enforced: a noisy machine
//! must not fail a build.

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant, SystemTime};

use criterion::{BatchSize, Criterion, SamplingMode};
use lettre::Transport;
use lettre::address::Envelope;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Message, MultiPart};
use lettre::transport::stub::StubTransport;
use mail_parser::{MessageParser, MimeHeaders};
use mailtest::{Email, Outbox};

mod estimate;
use estimate::estimate_ns;

const THREADS: usize = 16;
const SENDS_PER_THREAD: usize = 10_000;
const SEND_LIMIT: f64 = 1.10;
const FIRST_INSPECTION_LIMIT: f64 = 1.30;
const DECISION_LIMIT: f64 = 1.05;
const LINT_LIMIT: f64 = 2.00;

fn main() {
    let started = SystemTime::now();
    let message = invoice_message();
    let raw = message.formatted();

    let mut criterion = Criterion::default().configure_from_args();
    bench_send(&mut criterion, &message);
    bench_decision(&mut criterion, &message);
    bench_inspect(&mut criterion, &raw);
    bench_lint(&mut criterion, &raw, &newsletter_message().formatted());
    bench_concurrent(&mut criterion);
    criterion.final_summary();

    print_summary(started);
}

/// A typical transactional message: text and HTML alternatives plus a small
/// binary attachment, so both sides pay for multipart formatting and base64.
fn invoice_message() -> Message {
    let text = "Hello Ann,\n\nyour invoice INV-2024-0042 for March is attached.\n\
                Amount due: 149.00 EUR, payable by 15 April.\n\n\
                View it online: https://billing.acme.example/invoices/INV-2024-0042?token=3f9a1c\n\n\
                Thank you for your business,\nAcme Billing\n";
    let html = "<!doctype html><html><body><p>Hello Ann,</p>\
                <p>your invoice <strong>INV-2024-0042</strong> for March is attached.<br>\
                Amount due: <strong>149.00&nbsp;EUR</strong>, payable by 15 April.</p>\
                <p><a href=\"https://billing.acme.example/invoices/INV-2024-0042?token=3f9a1c\">\
                View it online</a></p><p>Thank you for your business,<br>Acme Billing</p>\
                </body></html>";
    // Deterministic noise: incompressible like a real PDF, identical every run.
    let mut state: u32 = 0x2545_f491;
    let pdf: Vec<u8> = (0..2048)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect();
    Message::builder()
        .from("Acme Billing <billing@acme.example>".parse().expect("valid from"))
        .reply_to("Acme Support <support@acme.example>".parse().expect("valid reply-to"))
        .to("Ann Lee <ann.lee@example.com>".parse().expect("valid to"))
        .cc("Accounts Payable <ap@example.com>".parse().expect("valid cc"))
        .subject("Your invoice INV-2024-0042 is ready")
        .multipart(
            MultiPart::mixed()
                .multipart(MultiPart::alternative_plain_html(text.to_owned(), html.to_owned()))
                .singlepart(
                    Attachment::new("INV-2024-0042.pdf".to_owned())
                        .body(pdf, ContentType::parse("application/pdf").expect("valid content type")),
                ),
        )
        .expect("valid message")
}

/// A bulk-style newsletter: 90 stories, each with an image and a link, in
/// about 40 KB of HTML, with its text alternative. Linting reads every
/// tag of it, so this is where lints cost most next to inspection.
fn newsletter_message() -> Message {
    let mut html =
        String::from("<!doctype html><html lang=\"en\"><head><style>p{margin:0}</style></head><body>\n");
    let mut text = String::from("This week at Acme\n\n");
    for n in 0..90 {
        html.push_str(&format!(
            "<table role=\"presentation\" width=\"100%\"><tr><td style=\"padding:12px\">\
             <img src=\"https://cdn.acme.example/stories/{n}.jpg\" alt=\"Story {n}\" width=\"560\">\n\
             <h2>Story number {n} of this week</h2><p>Some words about the story, long enough to be a real \
             paragraph of a newsletter &amp; its teaser.</p>\n\
             <a href=\"https://www.acme.example/stories/{n}?utm_source=newsletter&amp;utm_medium=email\">Read more</a>\
             </td></tr></table>\n"
        ));
        text.push_str(&format!("Story number {n}: https://www.acme.example/stories/{n}\n"));
    }
    html.push_str(
        "<p><a href=\"https://www.acme.example/unsubscribe/3f9a1c\">Unsubscribe</a></p></body></html>\n",
    );
    Message::builder()
        .from("Acme News <news@acme.example>".parse().expect("valid from"))
        .to("Ann Lee <ann.lee@example.com>".parse().expect("valid to"))
        .subject("This week at Acme")
        .message_id(Some("<news-2024-19@acme.example>".to_owned()))
        .multipart(MultiPart::alternative_plain_html(text, html))
        .expect("valid message")
}

fn bench_send(criterion: &mut Criterion, message: &Message) {
    let mut group = criterion.benchmark_group("send");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    // Each send gets a fresh store, made and dropped outside the timed part
    // (the routine hands it back), so neither side pays for a growing log and
    // both do the same bookkeeping.
    group.bench_function("stub", |b| {
        b.iter_batched(
            StubTransport::new_ok,
            |stub| {
                stub.send(black_box(message)).expect("stub accepts");
                stub
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("capture", |b| {
        b.iter_batched(
            || Outbox::new().transport(),
            |transport| {
                transport.send(black_box(message)).expect("capture accepts");
                transport
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// What the delivery decision (DESIGN §10) costs a captured send: the same
/// store, bound on this thread and cleared before each send, reached through
/// an explicit transport (no decision) and through the ambient transport and
/// a `Mailer` (the decision finds the binding).
fn bench_decision(criterion: &mut Criterion, message: &Message) {
    let mut group = criterion.benchmark_group("decision");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    let mail = mailtest::capture();
    let explicit = mail.transport();
    let ambient = mailtest::CaptureTransport::ambient();
    let mailer = mailtest::Mailer::new(mailtest::DummyBackend);
    let mut send_with = |name: &str, send: &dyn Fn()| {
        group.bench_function(name, |b| b.iter_batched(|| mail.clear(), |()| send(), BatchSize::SmallInput));
    };
    send_with("explicit", &|| explicit.send(black_box(message)).expect("capture accepts"));
    send_with("ambient", &|| ambient.send(black_box(message)).expect("capture accepts"));
    send_with("mailer", &|| mailer.send(black_box(message)).expect("capture accepts"));
    group.finish();
}

fn bench_inspect(criterion: &mut Criterion, raw: &[u8]) {
    let sanity = Email::from_raw(raw.to_vec());
    assert!(sanity.problems().is_empty(), "the benchmark message is malformed: {:?}", sanity.problems());
    assert!(!sanity.to().is_empty() && sanity.text().is_some() && sanity.html().is_some());
    assert_eq!(sanity.attachments().len(), 1);

    let mut group = criterion.benchmark_group("inspect");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    // Both sides return what they built so that it is dropped untimed: only
    // parsing and reading are compared.
    group.bench_function("mail-parser", |b| {
        b.iter_batched(
            || (),
            |()| {
                let parsed = MessageParser::default().parse(black_box(raw)).expect("parses");
                black_box(parsed.subject());
                black_box(parsed.to().and_then(|to| to.first()).and_then(|addr| addr.address()));
                black_box(parsed.body_text(0));
                black_box(parsed.body_html(0));
                for part in parsed.attachments() {
                    black_box(part.attachment_name());
                    black_box(part.content_type().map(|ct| (ct.ctype(), ct.subtype())));
                    black_box(part.contents());
                }
                parsed
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("first", |b| on_fresh_email(b, raw, read_email));
    group.bench_function("repeated", |b| b.iter(|| read_email(black_box(&sanity))));
    group.finish();
}

/// Linting a freshly captured email — its parse included, as a test pays
/// it — against the first inspection of the same email.
fn bench_lint(criterion: &mut Criterion, invoice: &[u8], newsletter: &[u8]) {
    let sanity = Email::from_raw(newsletter.to_vec());
    assert!(sanity.html().is_some_and(|html| html.len() > 30_000), "the newsletter has its HTML");
    assert!(sanity.lint().is_empty(), "the newsletter is lint-clean:\n{}", sanity.lint());

    let mut group = criterion.benchmark_group("lint");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    for (name, raw) in [("invoice", invoice), ("newsletter", newsletter)] {
        // Side by side, so that both halves of the ratio see the same load.
        group.bench_function(format!("{name}-first-inspection"), |b| on_fresh_email(b, raw, read_email));
        group.bench_function(format!("{name}-lint"), |b| on_fresh_email(b, raw, Email::lint));
    }
    group.finish();
}

/// Times `work` on an email made from `raw` just before, never inspected;
/// the email and what `work` returns are dropped untimed.
fn on_fresh_email<T>(bencher: &mut criterion::Bencher<'_>, raw: &[u8], work: impl Fn(&Email) -> T) {
    bencher.iter_batched(
        || Email::from_raw(raw.to_vec()),
        |email| {
            let result = work(&email);
            (email, result)
        },
        BatchSize::SmallInput,
    );
}

fn read_email(email: &Email) {
    black_box(email.subject());
    black_box(&email.to()[0].address);
    black_box(email.text());
    black_box(email.html());
    for attachment in email.attachments() {
        black_box(attachment.filename());
        black_box(attachment.content_type());
        black_box(attachment.content());
    }
}

fn bench_concurrent(criterion: &mut Criterion) {
    let outbox = Outbox::new();
    // Built once: the timed part is capture and lock contention only.
    let senders: Vec<(Envelope, Vec<Vec<u8>>)> = (0..THREADS)
        .map(|thread| {
            let from = "app@example.com".parse().expect("valid address");
            let to = format!("user{thread}@example.com").parse().expect("valid address");
            let envelope = Envelope::new(Some(from), vec![to]).expect("valid envelope");
            let messages = (0..SENDS_PER_THREAD)
                .map(|seq| {
                    format!(
                        "From: app@example.com\r\nTo: user{thread}@example.com\r\n\
                         Subject: load {thread}/{seq}\r\nX-Thread: {thread}\r\nX-Seq: {seq}\r\n\r\nbody\r\n"
                    )
                    .into_bytes()
                })
                .collect();
            (envelope, messages)
        })
        .collect();

    let mut group = criterion.benchmark_group("concurrent");
    // One iteration is 160,000 sends (plus an untimed check), so flat
    // samples, few of them. The warm-up covers more than the first, cold
    // round, and the target leaves room for several rounds per sample: with
    // a single one, criterion warns that it ran out of time.
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    group.bench_function(format!("{THREADS}x{SENDS_PER_THREAD}"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                total += send_concurrently(&outbox, &senders);
                verify_concurrent(&outbox);
                outbox.clear();
            }
            total
        });
    });
    group.finish();
}

/// The barrier releases every thread at once and the clock starts there, so
/// what is timed is contention on the outbox, not thread start-up.
fn send_concurrently(outbox: &Outbox, senders: &[(Envelope, Vec<Vec<u8>>)]) -> Duration {
    let start = Barrier::new(senders.len() + 1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = senders
            .iter()
            .map(|(envelope, messages)| {
                let transport = outbox.transport();
                let start = &start;
                scope.spawn(move || {
                    start.wait();
                    for raw in messages {
                        transport.send_raw(envelope, raw).expect("capture accepts");
                    }
                })
            })
            .collect();
        start.wait();
        let clock = Instant::now();
        for worker in workers {
            worker.join().expect("sender thread panicked");
        }
        clock.elapsed()
    })
}

/// Panics unless every message is there exactly once and each thread's
/// messages are in the order that thread sent them. Reads the two headers
/// from the captured bytes: `Email::header` would parse all 160,000
/// messages, which costs several times the sends and is not what this
/// measures.
fn verify_concurrent(outbox: &Outbox) {
    let emails = outbox.emails();
    assert_eq!(emails.len(), THREADS * SENDS_PER_THREAD, "captured count");
    let mut next_seq = [0usize; THREADS];
    let mut last_sequence = 0;
    for email in &emails {
        assert!(email.sequence() > last_sequence, "emails() is not in capture order");
        last_sequence = email.sequence();
        let thread = raw_header_number(email.raw(), "X-Thread");
        let seq = raw_header_number(email.raw(), "X-Seq");
        assert!(thread < THREADS, "unknown X-Thread {thread}");
        assert_eq!(
            seq, next_seq[thread],
            "thread {thread}: got X-Seq {seq}, expected {} (missing, duplicated or reordered)",
            next_seq[thread]
        );
        next_seq[thread] += 1;
    }
    assert!(next_seq.iter().all(|&n| n == SENDS_PER_THREAD), "per-thread counts: {next_seq:?}");
}

fn raw_header_number(raw: &[u8], name: &str) -> usize {
    let needle = format!("\r\n{name}: ");
    let start = raw
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
        .unwrap_or_else(|| panic!("message without {name}: {}", raw.escape_ascii()))
        + needle.len();
    let digits = raw[start..].iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&raw[start..start + digits])
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{name} is not a number in {}", raw.escape_ascii()))
}

fn print_summary(started: SystemTime) {
    let stub = estimate_ns("send", "stub", started);
    let capture = estimate_ns("send", "capture", started);
    let parser = estimate_ns("inspect", "mail-parser", started);
    let first = estimate_ns("inspect", "first", started);
    let repeated = estimate_ns("inspect", "repeated", started);
    let concurrent = estimate_ns("concurrent", &format!("{THREADS}x{SENDS_PER_THREAD}"), started);

    let mut out = String::from("\nmailtest benchmark summary\n");
    ratio_line(&mut out, "capture send / StubTransport send", capture, stub, SEND_LIMIT);
    let explicit = estimate_ns("decision", "explicit", started);
    let ambient = estimate_ns("decision", "ambient", started);
    let mailer = estimate_ns("decision", "mailer", started);
    ratio_line(
        &mut out,
        "ambient send / explicit capture send (the decision)",
        ambient,
        explicit,
        DECISION_LIMIT,
    );
    ratio_line(
        &mut out,
        "Mailer send / explicit capture send (the decision)",
        mailer,
        explicit,
        DECISION_LIMIT,
    );
    ratio_line(&mut out, "first inspection / mail-parser", first, parser, FIRST_INSPECTION_LIMIT);
    for name in ["invoice", "newsletter"] {
        let lint = estimate_ns("lint", &format!("{name}-lint"), started);
        let first = estimate_ns("lint", &format!("{name}-first-inspection"), started);
        ratio_line(&mut out, &format!("lint / first inspection ({name})"), lint, first, LINT_LIMIT);
    }
    match repeated {
        Some(ns) => writeln!(out, "repeated inspection = {}", human(ns)),
        None => writeln!(out, "repeated inspection = not measured in this run"),
    }
    .expect("write to String");
    match concurrent {
        Some(ns) => writeln!(
            out,
            "concurrent {THREADS} threads x {SENDS_PER_THREAD} sends = {} ({} per send), all present, in order",
            human(ns),
            human(ns / (THREADS * SENDS_PER_THREAD) as f64)
        ),
        None => writeln!(out, "concurrent {THREADS} threads x {SENDS_PER_THREAD} sends = not measured in this run"),
    }
    .expect("write to String");
    if let Some(note) = load_note() {
        writeln!(out, "{note}").expect("write to String");
    }
    print!("{out}");
}

/// A warning when other work shared the CPUs: each ratio compares two
/// benchmarks run seconds apart, so a build in the background skews it.
fn load_note() -> Option<String> {
    let load: f64 = std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()?;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    // This benchmark itself keeps about one CPU busy.
    (load > cpus as f64).then(|| {
        format!("note: load average {load:.2} on {cpus} CPUs: other work was running, the ratios are noisy")
    })
}

fn ratio_line(out: &mut String, label: &str, ours: Option<f64>, theirs: Option<f64>, limit: f64) {
    let line = match (ours, theirs) {
        (Some(ours), Some(theirs)) => {
            let ratio = ours / theirs;
            let verdict = if ratio <= limit { "OK" } else { "OVER LIMIT" };
            format!(
                "{label} = {ratio:.2}x (limit {limit:.2}x) {verdict}  [{} vs {}]",
                human(ours),
                human(theirs)
            )
        }
        _ => format!("{label} = not measured in this run"),
    };
    writeln!(out, "{line}").expect("write to String");
}

fn human(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}
