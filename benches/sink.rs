//! The SMTP sink against Postfix's C `smtp-sink` and Python's aiosmtpd, in
//! the same run, with the same client: Postfix's `smtp-source`.
//!
//! `apt-get install postfix` (Debian; `smtp-sink` and `smtp-source` come with
//! it) and `pip install aiosmtpd`, then `cargo bench --bench sink`. The
//! matrix is {1 KB, 100 KB, 5 MB} × {1, 20, 100 sessions} × {a new connection
//! per message, kept-open sessions}; for every cell it prints messages per
//! second for each server and the ratios (goals: ≥ 1.0× `smtp-sink`,
//! ≥ 10× aiosmtpd), and the memory the sink's outbox holds per message
//! (goal: ≤ 1.1× the raw size + 512 bytes). `SINK_BENCH=5MB` (any part of
//! a cell's label) runs only the matching cells. Figures are reported, never
//! enforced: a noisy machine must not fail a build.
//!
//! Fairness: one client program for all servers; in each cell the sink and
//! `smtp-sink` get the same message count and alternate run by run (three
//! runs each, the median counts), so a burst of load elsewhere on the machine
//! hits both. `smtp-sink` throws messages away; the sink keeps every one in
//! its outbox (checked after each run: the count and the sizes), which is the
//! work a test sink is for. The outbox is cleared between runs, and a run's
//! count is capped at 1 GiB of messages.
//!
//! Before the matrix, criterion times one 1 KB message over a kept-open
//! connection (a raw Rust client, `TCP_NODELAY`) against each server.

use std::alloc::System;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use criterion::Criterion;
use mailtest::SmtpSink;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

/// Counts what the process holds, so the bench can tell what the outbox
/// keeps per message (requested sizes: the allocator's own few bytes of
/// bookkeeping per block are not counted).
#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes held right now (stats_alloc counts a realloc's growth or shrink in
/// `bytes_allocated` or `bytes_deallocated` already).
fn held() -> isize {
    let stats = ALLOCATOR.stats();
    stats.bytes_allocated as isize - stats.bytes_deallocated as isize
}

const SIZES: [(&str, usize); 3] = [("1 KB", 1024), ("100 KB", 100 * 1024), ("5 MB", 5 * 1024 * 1024)];
const SESSIONS: [usize; 3] = [1, 20, 100];
/// How long one timed run should take, roughly (the count is calibrated).
const RUN_TIME: Duration = Duration::from_millis(1200);
/// Runs per server and cell for the sink and `smtp-sink` (the median counts).
const RUNS: usize = 3;
/// A run sends at most this many bytes of messages (the sink keeps them all).
const RUN_BYTES: usize = 1 << 30;

const SMTP_SINK_GOAL: f64 = 1.0;
const AIOSMTPD_GOAL: f64 = 10.0;

fn main() {
    let tools = Tools::find();
    let ours = SmtpSink::builder().max_message_size(16 * 1024 * 1024).start().expect("the sink starts");
    let smtp_sink = tools.smtp_sink.as_deref().map(SmtpSinkProcess::start);
    let aiosmtpd = Aiosmtpd::start();
    if smtp_sink.is_none() {
        eprintln!("smtp-sink is not installed (apt-get install postfix): no ratio to smtp-sink");
    }
    if aiosmtpd.is_none() {
        eprintln!("aiosmtpd is not installed (pip install aiosmtpd): no ratio to aiosmtpd");
    }

    one_message_latency(&ours, smtp_sink.as_ref().map(|s| s.addr), aiosmtpd.as_ref().map(|s| s.addr));

    let filter = std::env::var("SINK_BENCH").unwrap_or_default();
    let mut rows = Vec::new();
    for (label, size) in SIZES {
        for sessions in SESSIONS {
            for keep_open in [false, true] {
                let cell = Cell { label, size, sessions, keep_open };
                if !cell.name().contains(&filter) {
                    continue;
                }
                eprintln!("measuring {} …", cell.name());
                rows.push(measure(&tools, &cell, &ours, smtp_sink.as_ref(), aiosmtpd.as_ref()));
            }
        }
    }
    print_matrix(&rows);
}

/// Where `smtp-source` and `smtp-sink` are: on `PATH`, or in `/usr/sbin`
/// (Debian's place, often not on a user's `PATH`).
struct Tools {
    smtp_source: PathBuf,
    smtp_sink: Option<PathBuf>,
}

impl Tools {
    fn find() -> Tools {
        let smtp_source = find_program("smtp-source").unwrap_or_else(|| {
            panic!(
                "smtp-source (Postfix's SMTP load generator, the client of this benchmark) is not \
                 installed: apt-get install postfix (debconf postfix/main_mailer_type: No configuration)"
            )
        });
        Tools { smtp_source, smtp_sink: find_program("smtp-sink") }
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// One cell of the matrix.
struct Cell {
    label: &'static str,
    size: usize,
    sessions: usize,
    keep_open: bool,
}

impl Cell {
    fn name(&self) -> String {
        let mode = if self.keep_open { "kept-open sessions" } else { "new connection per message" };
        format!("{} × {} sessions, {mode}", self.label.replace(' ', ""), self.sessions)
    }
}

/// One server's figures in one cell (medians over its runs).
#[derive(Clone, Copy)]
struct Figures {
    /// Messages per second, the client's whole run.
    rate: f64,
    /// CPU time the server spent per message, in µs.
    cpu: f64,
}

/// A cell's figures; `None` where a server is not installed.
struct Row {
    cell: String,
    ours: Figures,
    smtp_sink: Option<Figures>,
    aiosmtpd: Option<Figures>,
    held_per_message: f64,
    raw_per_message: f64,
}

/// A server the bench measures: where it listens, how much CPU it used.
trait Server {
    fn addr(&self) -> SocketAddr;
    /// CPU time its threads have run so far, in ns.
    fn cpu(&self) -> u64;
}

/// The sink, measured by its one thread (`{prefix}:smtp`).
struct Ours<'a>(&'a SmtpSink);

impl Server for Ours<'_> {
    fn addr(&self) -> SocketAddr {
        self.0.addr()
    }

    fn cpu(&self) -> u64 {
        cpu_ns(std::process::id(), Some(&format!("{}:smtp", self.0.thread_name_prefix())))
    }
}

/// Nanoseconds the threads of process `pid` have run (only the thread
/// named `thread` when given), from `/proc/PID/task/TID/schedstat`.
fn cpu_ns(pid: u32, thread: Option<&str>) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return 0 };
    tasks
        .filter_map(|task| {
            let path = task.ok()?.path();
            if let Some(name) = thread {
                let comm = std::fs::read_to_string(path.join("comm")).ok()?;
                if comm.trim_end() != name {
                    return None;
                }
            }
            std::fs::read_to_string(path.join("schedstat")).ok()?.split(' ').next()?.parse::<u64>().ok()
        })
        .sum()
}

/// Runs the client against `server`: its rate and CPU per message.
fn run(tools: &Tools, cell: &Cell, server: &dyn Server, count: usize, settle: impl Fn()) -> Figures {
    let before = server.cpu();
    let rate = smtp_source(tools, cell, server.addr(), count);
    settle();
    Figures { rate, cpu: (server.cpu() - before) as f64 / 1e3 / count as f64 }
}

fn measure(
    tools: &Tools,
    cell: &Cell,
    sink: &SmtpSink,
    smtp_sink: Option<&SmtpSinkProcess>,
    aiosmtpd: Option<&Aiosmtpd>,
) -> Row {
    let ours = Ours(sink);
    let outbox = sink.outbox();
    let cap = (RUN_BYTES / cell.size).max(cell.sessions);
    // Calibrate on the reference server (or ours without one): a short
    // probe, then a count that takes about `RUN_TIME`.
    let reference: &dyn Server = match smtp_sink {
        Some(server) => server,
        None => &ours,
    };
    let probe = (cell.sessions * 2).max(20).min(cap);
    let rate = smtp_source(tools, cell, reference.addr(), probe);
    wait_until_idle(sink);
    outbox.clear();
    let count = round_to(((rate * RUN_TIME.as_secs_f64()) as usize).clamp(probe, cap), cell.sessions);

    let (mut our_runs, mut their_runs) = (Vec::new(), Vec::new());
    let (mut held_per_message, mut raw) = (0.0, 0.0);
    for _ in 0..RUNS {
        let before = held();
        // Counted once the sink has seen every session end.
        our_runs.push(run(tools, cell, &ours, count, || wait_until_idle(sink)));
        let emails = outbox.emails();
        assert_eq!(emails.len(), count, "{}: every message reached the outbox once", cell.name());
        let raw_bytes: usize = emails.iter().map(|e| e.raw().len()).sum();
        assert!(raw_bytes >= count * cell.size, "{}: messages are whole", cell.name());
        drop(emails);
        held_per_message = (held() - before) as f64 / count as f64;
        raw = raw_bytes as f64 / count as f64;
        outbox.clear();
        if let Some(server) = smtp_sink {
            their_runs.push(run(tools, cell, server, count, || ()));
        }
    }
    let aiosmtpd = aiosmtpd.map(|server| {
        let probe = cell.sessions.max(4);
        let rate = smtp_source(tools, cell, server.addr, probe);
        let count = round_to(((rate * RUN_TIME.as_secs_f64()) as usize).max(probe), cell.sessions);
        run(tools, cell, server, count, || ())
    });
    Row {
        cell: cell.name(),
        ours: medians(&our_runs),
        smtp_sink: (!their_runs.is_empty()).then(|| medians(&their_runs)),
        aiosmtpd,
        held_per_message,
        raw_per_message: raw,
    }
}

/// Runs `smtp-source` for `count` messages against `addr`; messages per
/// second over the whole run (connections included).
fn smtp_source(tools: &Tools, cell: &Cell, addr: SocketAddr, count: usize) -> f64 {
    let mut command = Command::new(&tools.smtp_source);
    command
        .args(["-s", &cell.sessions.to_string(), "-m", &count.to_string(), "-l", &cell.size.to_string()])
        .args(["-M", "bench.example", "-f", "bench@example.com", "-t", "sink@example.com"]);
    if cell.keep_open {
        command.arg("-d");
    }
    command.arg(addr.to_string()).stdout(Stdio::null()).stderr(Stdio::piped());
    let started = Instant::now();
    let output = command.output().expect("smtp-source runs");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "smtp-source failed against {addr} ({}): {}",
        cell.name(),
        String::from_utf8_lossy(&output.stderr)
    );
    count as f64 / elapsed.as_secs_f64()
}

/// Waits until the sink has closed every session (`smtp-source` may exit
/// before the sink has seen the last connection end).
fn wait_until_idle(sink: &SmtpSink) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while sink.sessions() > 0 {
        assert!(Instant::now() < deadline, "the sink's sessions did not end");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn round_to(count: usize, multiple: usize) -> usize {
    count.div_ceil(multiple) * multiple
}

/// The median rate and the median CPU cost, each over the runs.
fn medians(runs: &[Figures]) -> Figures {
    let median = |pick: fn(&Figures) -> f64| {
        let mut values: Vec<f64> = runs.iter().map(pick).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    Figures { rate: median(|f| f.rate), cpu: median(|f| f.cpu) }
}

fn print_matrix(rows: &[Row]) {
    let mut misses = Vec::new();
    println!("\nSMTP sink matrix, client smtp-source: messages per second (median of {RUNS} runs)");
    println!(
        "{:<44} {:>9} {:>10} {:>7} {:>9} {:>7}",
        "cell", "sink", "smtp-sink", "ratio", "aiosmtpd", "ratio"
    );
    for row in rows {
        let theirs = |figures: Option<Figures>, goal: f64, who: &str, misses: &mut Vec<String>| match figures
        {
            Some(theirs) => {
                let ratio = row.ours.rate / theirs.rate;
                if ratio < goal {
                    misses.push(format!("{}: {ratio:.2}× {who} (goal {goal}×)", row.cell));
                }
                (format!("{:.0}", theirs.rate), format!("{ratio:.2}×"))
            }
            None => ("-".to_owned(), "-".to_owned()),
        };
        let (smtp_sink, to_smtp_sink) = theirs(row.smtp_sink, SMTP_SINK_GOAL, "smtp-sink", &mut misses);
        let (aiosmtpd, to_aiosmtpd) = theirs(row.aiosmtpd, AIOSMTPD_GOAL, "aiosmtpd", &mut misses);
        println!(
            "{:<44} {:>9.0} {:>10} {:>7} {:>9} {:>7}",
            row.cell, row.ours.rate, smtp_sink, to_smtp_sink, aiosmtpd, to_aiosmtpd
        );
    }
    println!(
        "\nServer CPU per message, µs (ratio: theirs / the sink's), and what the outbox holds per message"
    );
    println!(
        "{:<44} {:>9} {:>10} {:>7} {:>9} {:>7} {:>20}",
        "cell", "sink", "smtp-sink", "ratio", "aiosmtpd", "ratio", "held/msg (raw), B"
    );
    for row in rows {
        let theirs = |figures: Option<Figures>| match figures {
            Some(theirs) => (format!("{:.1}", theirs.cpu), format!("{:.2}×", theirs.cpu / row.ours.cpu)),
            None => ("-".to_owned(), "-".to_owned()),
        };
        let ((smtp_sink, to_smtp_sink), (aiosmtpd, to_aiosmtpd)) =
            (theirs(row.smtp_sink), theirs(row.aiosmtpd));
        let limit = 1.1 * row.raw_per_message + 512.0;
        if row.held_per_message > limit {
            misses.push(format!(
                "{}: {:.0} bytes held per message of {:.0} (limit {limit:.0})",
                row.cell, row.held_per_message, row.raw_per_message
            ));
        }
        println!(
            "{:<44} {:>9.1} {:>10} {:>7} {:>9} {:>7} {:>20}",
            row.cell,
            row.ours.cpu,
            smtp_sink,
            to_smtp_sink,
            aiosmtpd,
            to_aiosmtpd,
            format!("{:.0} ({:.0})", row.held_per_message, row.raw_per_message)
        );
    }
    if rows.is_empty() {
        println!("no cell matched SINK_BENCH (cells are named like `1KB × 20 sessions, kept-open sessions`)");
    } else if misses.is_empty() {
        println!("every cell meets its goals");
    } else {
        println!("MISSED:");
        for miss in misses {
            println!("  {miss}");
        }
    }
}

/// Criterion: one 1 KB message over a kept-open connection, each reply
/// awaited, against each server.
fn one_message_latency(ours: &SmtpSink, smtp_sink: Option<SocketAddr>, aiosmtpd: Option<SocketAddr>) {
    let message = one_kilobyte_message();
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("one 1 KB message, kept-open connection");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    let servers = [("mailtest sink", Some(ours.addr())), ("smtp-sink", smtp_sink), ("aiosmtpd", aiosmtpd)];
    for (name, addr) in servers {
        let Some(addr) = addr else { continue };
        let mut client = RawClient::new(addr, &message);
        group.bench_function(name, |b| b.iter(|| black_box(&mut client).send_one()));
        ours.outbox().clear();
    }
    group.finish();
    criterion.final_summary();
}

fn one_kilobyte_message() -> Vec<u8> {
    let mut message =
        b"From: shop@example.com\r\nTo: ann@example.com\r\nSubject: Your order\r\n\r\n".to_vec();
    while message.len() < 1024 {
        message.extend_from_slice(b"  1 x Widget, blue, size M ........................ 19.90 EUR\r\n");
    }
    message
}

/// A client that sends one message per call over one connection, waiting
/// for each reply, with `TCP_NODELAY`.
struct RawClient {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    data: Vec<u8>,
}

impl RawClient {
    fn new(addr: SocketAddr, message: &[u8]) -> RawClient {
        let writer = TcpStream::connect(addr).expect("connects");
        writer.set_nodelay(true).expect("nodelay");
        let reader = BufReader::new(writer.try_clone().expect("clone"));
        // The message has no line starting with '.', so it needs no stuffing.
        let data = [message, b".\r\n"].concat();
        let mut client = RawClient { reader, writer, data };
        client.expect(b"220");
        client.command(b"EHLO bench.example\r\n", b"250");
        client
    }

    fn send_one(&mut self) {
        self.command(b"MAIL FROM:<shop@example.com>\r\n", b"250");
        self.command(b"RCPT TO:<ann@example.com>\r\n", b"250");
        self.command(b"DATA\r\n", b"354");
        let data = std::mem::take(&mut self.data);
        self.command(&data, b"250");
        self.data = data;
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

/// A free port on loopback for a server process to listen on.
fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port")
}

/// Waits until a freshly started server process accepts connections.
fn wait_for_listener(child: &mut Child, addr: SocketAddr, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{name} exited before listening on {addr}: {status}");
        }
        assert!(Instant::now() < deadline, "{name} did not start listening on {addr}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Postfix's `smtp-sink`, killed on drop.
struct SmtpSinkProcess {
    child: Child,
    addr: SocketAddr,
}

impl SmtpSinkProcess {
    fn start(program: &Path) -> SmtpSinkProcess {
        let addr = free_addr();
        let mut command = Command::new(program);
        // Run as root (CI), smtp-sink insists on dropping privileges.
        if is_root() {
            command.args(["-u", "nobody"]);
        }
        // -m: as many simultaneous sessions as the largest cell, and more.
        let mut child = command
            .args(["-m", "1024", &addr.to_string(), "1024"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("smtp-sink starts");
        wait_for_listener(&mut child, addr, "smtp-sink");
        SmtpSinkProcess { child, addr }
    }
}

impl Server for SmtpSinkProcess {
    fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn cpu(&self) -> u64 {
        cpu_ns(self.child.id(), None)
    }
}

impl Drop for SmtpSinkProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.trim_ascii() == b"0")
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
        let addr = free_addr();
        let mut child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &addr.to_string(), "-c", "aiosmtpd.handlers.Sink"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        wait_for_listener(&mut child, addr, "aiosmtpd");
        Some(Aiosmtpd { child, addr })
    }
}

impl Server for Aiosmtpd {
    fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn cpu(&self) -> u64 {
        cpu_ns(self.child.id(), None)
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
