//! The sink at the process's file-descriptor limit: it serves again as soon
//! as clients leave, releases a session's descriptor the moment the session
//! ends (not when the next client connects), and stops cleanly when every
//! descriptor is taken.
//!
//! Each scenario runs in a child process of this test binary, alone: the
//! limit is lowered with `setrlimit` there only, and descriptors and
//! threads are counted where no other test opens any.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use mailtest::SmtpSink;
use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

use crate::sink::Client;
use crate::sink_robust::sink_threads;

/// The descriptor limit the children run with.
const LIMIT: u64 = 64;

/// Starts `scenario` (an ignored test of this module) in a child process.
fn child(scenario: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "--nocapture", "--test-threads=1"])
        .arg(format!("sink_limits::{scenario}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for the child (killing it after `limit`) and checks that its
/// scenario ran and passed; `read` is what was already read of its stdout.
fn finished(mut child: Child, limit: Duration, read: &str) {
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "the child did not finish within {limit:?} (a hang at the limit?):\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = format!("{read}{}", String::from_utf8_lossy(&output.stdout));
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed"), "the scenario did not run:\n{stdout}");
}

/// Reads the child's stdout up to its `port=N` line.
fn port_of(stdout: &mut BufReader<ChildStdout>) -> u16 {
    let mut line = String::new();
    loop {
        line.clear();
        assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "the child ended before it said its port");
        // libtest may have printed the test's name on the same line.
        if let Some(port) = line.split("port=").nth(1) {
            return port.trim().parse().unwrap();
        }
    }
}

fn limit_descriptors() {
    let hard = getrlimit(Resource::Nofile).maximum;
    setrlimit(Resource::Nofile, Rlimit { current: Some(LIMIT), maximum: hard })
        .expect("setrlimit(RLIMIT_NOFILE)");
}

/// Greeted within 10 s, delivers one message, quits.
fn deliver_one(addr: SocketAddr, n: usize) {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut replies = String::new();
    let script = format!(
        "EHLO c.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n\
         Subject: round {n}\r\n\r\nhi\r\n.\r\nQUIT\r\n"
    );
    writer.write_all(script.as_bytes()).unwrap();
    reader.read_to_string(&mut replies).unwrap_or_else(|e| panic!("round {n}: {e} after {replies:?}"));
    let codes: Vec<&str> =
        replies.lines().filter(|l| l.as_bytes().get(3) == Some(&b' ')).map(|l| &l[..3]).collect();
    assert_eq!(codes, ["220", "250", "250", "250", "354", "250", "221"], "round {n}");
}

#[test]
fn a_sink_at_its_descriptor_limit_serves_again_once_clients_leave() {
    let mut child = child("sink_serving_at_the_limit");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let addr = SocketAddr::from(([127, 0, 0, 1], port_of(&mut stdout)));
    for round in 1..=3 {
        // Far more clients than the sink has descriptors: most wait in the
        // backlog. Then they all leave.
        let crowd: Vec<TcpStream> =
            (0..200).map(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap()).collect();
        std::thread::sleep(Duration::from_millis(100));
        drop(crowd);
        deliver_one(addr, round);
    }
    writeln!(child.stdin.take().unwrap(), "stop").unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("delivered=3 threads=0"), "{rest}");
    finished(child, Duration::from_secs(30), &rest);
}

#[test]
#[ignore = "run in a child process by `a_sink_at_its_descriptor_limit_serves_again_once_clients_leave`"]
fn sink_serving_at_the_limit() {
    limit_descriptors();
    let sink = SmtpSink::start().unwrap();
    let (outbox, threads) = (sink.outbox(), sink.thread_name_prefix().to_owned());
    println!("port={}", sink.port());
    let mut command = String::new();
    std::io::stdin().read_line(&mut command).unwrap();
    assert_eq!(command.trim(), "stop");
    drop(sink);
    println!("delivered={} threads={}", outbox.len(), sink_threads(&threads));
}

#[test]
fn a_finished_session_releases_its_descriptor_at_once() {
    finished(child("sessions_releasing_descriptors"), Duration::from_secs(30), "");
}

/// The descriptors this process has open.
fn open_descriptors() -> usize {
    // The listing's own descriptor is counted every time alike.
    std::fs::read_dir("/proc/self/fd").expect("Linux /proc").count()
}

#[test]
#[ignore = "run in a child process by `a_finished_session_releases_its_descriptor_at_once`"]
fn sessions_releasing_descriptors() {
    let sink = SmtpSink::start().unwrap();
    let idle = open_descriptors();
    let clients: Vec<Client> = (0..300).map(|_| Client::connect(&sink)).collect();
    assert_eq!(sink.sessions(), 300);
    assert_eq!(
        open_descriptors(),
        idle + 900,
        "for each client: its socket, the clone it reads from, the sink's"
    );

    drop(clients);

    // No other client connects: the sink notices each end by itself.
    let deadline = Instant::now() + Duration::from_secs(10);
    while open_descriptors() > idle {
        assert!(
            Instant::now() < deadline,
            "{} descriptors still held 10 s after every client left",
            open_descriptors() - idle
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(sink.sessions(), 0);
}

#[test]
fn a_sink_dropped_with_every_descriptor_in_use_stops() {
    finished(child("sink_dropped_at_the_limit"), Duration::from_secs(30), "");
}

#[test]
#[ignore = "run in a child process by `a_sink_dropped_with_every_descriptor_in_use_stops`"]
fn sink_dropped_at_the_limit() {
    limit_descriptors();
    let sink = SmtpSink::start().unwrap();
    let (addr, threads) = (sink.addr(), sink.thread_name_prefix().to_owned());
    let mut clients: Vec<Client> = (0..2).map(|_| Client::connect(&sink)).collect();
    // Take every descriptor left.
    let mut hoard = Vec::new();
    while let Ok(file) = std::fs::File::open("/dev/null") {
        hoard.push(file);
    }
    let exhausted = TcpStream::connect(addr).unwrap_err();
    assert_ne!(exhausted.kind(), ErrorKind::ConnectionRefused, "{exhausted}: the limit was not reached");

    drop(sink);

    drop(hoard);
    for client in &mut clients {
        assert_eq!(client.reply(), "421 4.3.2 the sink is shutting down, closing connection\r\n");
        assert!(client.is_closed());
    }
    assert_eq!(sink_threads(&threads), 0, "the sink's thread has ended");
    let refused = TcpStream::connect(addr).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused, "the port is closed");
}
