//! Messages per second through the SMTP sink, against Python's aiosmtpd in
//! the same run, with the same client (lettre's pooled `SmtpTransport`, one
//! reused connection) and the same message.
//!
//! `pip install aiosmtpd`, then `cargo bench --bench sink`. After criterion's
//! report it prints, for both servers, messages per second and the p50/p99
//! latency of one send over a fixed run, and the ratio (goal: the sink at
//! least 10× aiosmtpd). Without aiosmtpd only the sink is measured. Figures
//! are reported, never enforced: a noisy machine must not fail a build.

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use criterion::Criterion;
use lettre::transport::smtp::PoolConfig;
use lettre::{Message, SmtpTransport, Transport};
use mailtest::SmtpSink;

/// Sends per server in the summary run (after a warm-up of a tenth as
/// many), unless `SUMMARY_TIME` runs out first (a slow server).
const SUMMARY_SENDS: usize = 3000;
const SUMMARY_TIME: Duration = Duration::from_secs(8);
const GOAL: f64 = 10.0;

fn main() {
    let message = order_message();
    let sink = SmtpSink::start().expect("the sink starts");
    let outbox = sink.outbox();
    let aiosmtpd = Aiosmtpd::start();
    if aiosmtpd.is_none() {
        eprintln!("aiosmtpd is not installed (pip install aiosmtpd): measuring the sink only");
    }

    let mut criterion = Criterion::default().configure_from_args();
    {
        let mut group = criterion.benchmark_group("smtp send (lettre pooled)");
        group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
        let mailer = pooled_client(sink.addr());
        group.bench_function("mailtest sink", |b| {
            b.iter(|| mailer.send(black_box(&message)).expect("the sink accepts"));
            outbox.clear();
        });
        if let Some(server) = &aiosmtpd {
            let mailer = pooled_client(server.addr);
            group.bench_function("aiosmtpd", |b| {
                b.iter(|| mailer.send(black_box(&message)).expect("aiosmtpd accepts"))
            });
        }
        group.finish();
    }
    criterion.final_summary();

    let raw = message.formatted();
    let clients: [(&str, Sender); 2] = [
        ("lettre pooled SmtpTransport (the goal)", &|addr| Box::new(LettreClient::new(addr, &message))),
        ("raw client, TCP_NODELAY (server-bound)", &|addr| Box::new(RawClient::new(addr, &raw))),
    ];
    for (client, connect) in clients {
        outbox.clear();
        let ours = run(connect(sink.addr()));
        assert_eq!(outbox.len(), ours.warmed + ours.sends, "every message reached the outbox once");
        println!("\nsmtp sink summary, {client}: sequential sends over one connection");
        println!("{:<16} {:>8} {:>12} {:>10} {:>10}", "server", "sends", "msgs/s", "p50", "p99");
        print_row("mailtest sink", &ours);
        if let Some(server) = &aiosmtpd {
            let theirs = run(connect(server.addr));
            print_row("aiosmtpd", &theirs);
            let ratio = ours.per_second / theirs.per_second;
            let verdict = if ratio >= GOAL { "meets" } else { "MISSES" };
            println!("ratio: {ratio:.1}x aiosmtpd ({verdict} the {GOAL:.0}x goal)");
        }
    }
}

type Sender<'a> = &'a dyn Fn(SocketAddr) -> Box<dyn Send1>;

/// One client connection that sends the benchmark message once per call.
trait Send1 {
    fn send_one(&mut self);
}

struct LettreClient {
    mailer: SmtpTransport,
    message: Message,
}

impl LettreClient {
    fn new(addr: SocketAddr, message: &Message) -> LettreClient {
        LettreClient { mailer: pooled_client(addr), message: message.clone() }
    }
}

impl Send1 for LettreClient {
    fn send_one(&mut self) {
        self.mailer.send(&self.message).expect("the server accepts");
    }
}

/// The same transaction as lettre's, without Nagle in the way: one write
/// per command, the data and its final dot in one write, each reply awaited.
/// Shows what the servers themselves cost.
struct RawClient {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    data: Vec<u8>,
}

impl RawClient {
    fn new(addr: SocketAddr, raw: &[u8]) -> RawClient {
        let writer = TcpStream::connect(addr).expect("connects");
        writer.set_nodelay(true).expect("nodelay");
        let mut client = RawClient {
            reader: BufReader::new(writer.try_clone().expect("clone")),
            writer,
            data: Vec::new(),
        };
        // Dot-stuffed once, up front: the message has no line starting with '.'.
        client.data = [raw, b"\r\n.\r\n"].concat();
        client.expect(b"220");
        client.command(b"EHLO bench.test\r\n", b"250");
        client
    }

    fn command(&mut self, line: &[u8], code: &[u8]) {
        self.writer.write_all(line).expect("writes");
        self.expect(code);
    }

    fn expect(&mut self, code: &[u8]) {
        let mut line = String::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("reads");
            assert!(
                line.as_bytes().starts_with(code),
                "expected {}, got {line:?}",
                String::from_utf8_lossy(code)
            );
            if line.as_bytes().get(3) == Some(&b' ') {
                return;
            }
        }
    }
}

impl Send1 for RawClient {
    fn send_one(&mut self) {
        self.command(b"MAIL FROM:<shop@example.com>\r\n", b"250");
        self.command(b"RCPT TO:<ann.lee@example.com>\r\n", b"250");
        self.command(b"RCPT TO:<audit@example.com>\r\n", b"250");
        self.command(b"DATA\r\n", b"354");
        let data = std::mem::take(&mut self.data);
        self.command(&data, b"250");
        self.data = data;
    }
}

/// A typical transactional message, ASCII so both servers take the same path.
fn order_message() -> Message {
    let body = "Hello Ann,\n\nthank you for your order 2024-0042.\n".to_owned()
        + &"  1 x Widget, blue, size M ............................. 19.90 EUR\n".repeat(20)
        + "\nTrack it at https://shop.example.com/orders/2024-0042?t=3f9a1c\n\nThe Shop\n";
    Message::builder()
        .from("Shop <shop@example.com>".parse().expect("valid from"))
        .to("Ann Lee <ann.lee@example.com>".parse().expect("valid to"))
        .bcc("audit@example.com".parse().expect("valid bcc"))
        .subject("Your order 2024-0042")
        .body(body)
        .expect("valid message")
}

fn pooled_client(addr: SocketAddr) -> SmtpTransport {
    SmtpTransport::builder_dangerous(addr.ip().to_string())
        .port(addr.port())
        .pool_config(PoolConfig::new().max_size(1))
        .build()
}

struct Figures {
    warmed: usize,
    sends: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

/// A warm-up (100 sends or a second), then up to `SUMMARY_SENDS` timed
/// sends within `SUMMARY_TIME`.
fn run(mut client: Box<dyn Send1>) -> Figures {
    let warm_up = Instant::now();
    let mut warmed = 0;
    while warmed < 100 && warm_up.elapsed() < Duration::from_secs(1) {
        client.send_one();
        warmed += 1;
    }
    let mut latencies = Vec::with_capacity(SUMMARY_SENDS);
    let started = Instant::now();
    while latencies.len() < SUMMARY_SENDS && (started.elapsed() < SUMMARY_TIME || latencies.len() < 20) {
        let sent = Instant::now();
        client.send_one();
        latencies.push(sent.elapsed());
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    Figures {
        warmed,
        sends: latencies.len(),
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    }
}

fn print_row(name: &str, figures: &Figures) {
    println!(
        "{name:<16} {:>8} {:>12.0} {:>8.0}µs {:>8.0}µs",
        figures.sends,
        figures.per_second,
        figures.p50.as_secs_f64() * 1e6,
        figures.p99.as_secs_f64() * 1e6
    );
}

/// `python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Sink`,
/// killed on drop.
struct Aiosmtpd {
    child: Child,
    addr: SocketAddr,
}

impl Aiosmtpd {
    fn start() -> Option<Aiosmtpd> {
        let installed = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            return None;
        }
        let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &addr.to_string(), "-c", "aiosmtpd.handlers.Sink"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let server = Aiosmtpd { child, addr };
        // Start-up of a Python process: wait until it accepts connections.
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start listening on {addr}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
