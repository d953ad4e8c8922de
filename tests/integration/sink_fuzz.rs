//! The protocol fuzzer: valid SMTP sessions, randomly mutated (bytes
//! flipped, dropped, repeated, smuggling sequences and over-long lines put
//! in, the session cut short), written in random pieces to one sink.
//!
//! What must hold, whatever the bytes: the sink never stops serving (a
//! panic would end its thread, and the next session would get no greeting),
//! every message acknowledged with 250 after DATA is in the outbox byte for
//! byte with as many recipients as got 250, and nothing else is. The
//! expected messages come from a separate reading of the same bytes: the
//! replies say which line was DATA (354), and the data is cut at the first
//! CRLF.CRLF and unstuffed line by line, the plain way.
//!
//! Its own bounded step in CI: a fixed seed (`MAILTEST_FUZZ_SEED` explores
//! others), at most `SESSIONS` sessions and `TIME_BUDGET`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use mailtest::SmtpSink;

const SEED: u64 = 0x5EED_F022;
const SESSIONS: usize = 20_000;
const TIME_BUDGET: Duration = Duration::from_secs(20);

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Bytes that matter to the protocol, drawn more often than the rest.
const INTERESTING: &[u8] = b"\r\n.. :<>\"\\@\0\t\x7f\xff";

/// Sequences that matter: ends of data real and fake, commands, a line
/// over the 4096-octet limit.
fn sequence(rng: &mut Rng) -> Vec<u8> {
    let fixed: &[&[u8]] = &[
        b"\r\n.\r\n",
        b"\n.\n",
        b"\r\n.\n",
        b"\n.\r\n",
        b"\r\n..\r\n",
        b"\r\n",
        b"\n",
        b"DATA\r\n",
        b"RSET\r\n",
        b"QUIT\r\n",
        b"MAIL FROM:<x@example.com>\r\n",
        b"RCPT TO:<y@example.com>\r\n",
        b"RCPT TO:<\"q q\"@example.com>\r\n",
        b"EHLO again\r\n",
    ];
    if rng.chance(5) {
        return vec![b'A'; 4000 + rng.below(200)];
    }
    rng.pick(fixed).to_vec()
}

/// One valid session: EHLO, up to three transactions, QUIT.
fn valid_session(rng: &mut Rng) -> Vec<u8> {
    let mut s = b"EHLO fuzz.test\r\n".to_vec();
    for t in 0..1 + rng.below(3) {
        s.extend_from_slice(format!("MAIL FROM:<s{t}@example.com>\r\n").as_bytes());
        for r in 0..1 + rng.below(3) {
            let to =
                if rng.chance(20) { format!("\"r {r}\"@example.com") } else { format!("r{r}@example.com") };
            s.extend_from_slice(format!("RCPT TO:<{to}>\r\n").as_bytes());
        }
        s.extend_from_slice(b"DATA\r\n");
        for _ in 0..rng.below(12) {
            let mut line: Vec<u8> = (0..rng.below(90))
                .map(|_| {
                    let interesting = rng.chance(30);
                    if interesting { *rng.pick(INTERESTING) } else { b'a' + rng.below(26) as u8 }
                })
                .filter(|&b| b != b'\n')
                .collect();
            // A line never ends in CR here: with its CRLF that would make CR CR LF.
            while line.last() == Some(&b'\r') {
                line.pop();
            }
            if line.first() == Some(&b'.') {
                line.insert(0, b'.'); // dot-stuffing, as a client must
            }
            s.extend_from_slice(&line);
            s.extend_from_slice(b"\r\n");
        }
        s.extend_from_slice(b".\r\n");
        if rng.chance(20) {
            s.extend_from_slice(if rng.chance(50) { b"RSET\r\n" } else { b"NOOP\r\n" });
        }
    }
    s.extend_from_slice(b"QUIT\r\n");
    s
}

fn mutate(rng: &mut Rng, s: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(s.len() + 1);
        match rng.below(6) {
            0 if at < s.len() => {
                s[at] = if rng.chance(70) { *rng.pick(INTERESTING) } else { rng.next() as u8 };
            }
            1 => {
                let insert = sequence(rng);
                s.splice(at..at, insert);
            }
            2 if at < s.len() => {
                let end = (at + 1 + rng.below(20)).min(s.len());
                s.drain(at..end);
            }
            3 if at < s.len() => {
                let end = (at + 1 + rng.below(40)).min(s.len());
                let copy = s[at..end].to_vec();
                s.splice(at..at, copy);
            }
            4 if rng.chance(30) => s.truncate(at),
            _ => {}
        }
    }
}

/// Writes `stream` in random pieces, closes the sending side, and returns
/// every reply code, in order, until the sink closes the connection.
fn converse(sink: &SmtpSink, rng: &mut Rng, stream: &[u8]) -> Vec<u16> {
    let socket = TcpStream::connect(sink.addr()).expect("the sink still accepts connections");
    socket.set_nodelay(true).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut pieces = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let largest = if rng.chance(50) { 8 } else { 600 };
        let n = (1 + rng.below(largest)).min(rest.len());
        pieces.push(rest[..n].to_vec());
        rest = &rest[n..];
    }
    let mut writer = socket.try_clone().unwrap();
    let sending = std::thread::spawn(move || {
        for piece in pieces {
            // The sink may close first (after QUIT): the rest goes unsent.
            if writer.write_all(&piece).is_err() {
                return;
            }
        }
        let _ = writer.shutdown(Shutdown::Write);
    });
    let mut replies = Vec::new();
    let mut reader = socket;
    let mut buffer = [0; 4096];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => replies.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("reading replies: {e} after {}", String::from_utf8_lossy(&replies)),
        }
    }
    sending.join().unwrap();
    String::from_utf8_lossy(&replies)
        .lines()
        .filter(|line| line.as_bytes().get(3) == Some(&b' '))
        .map(|line| line[..3].parse().unwrap_or(0))
        .collect()
}

/// What the sink should have stored for `stream`, given its replies: each
/// message acknowledged with 250, and its number of accepted recipients.
fn expected_messages(stream: &[u8], codes: &[u16]) -> Vec<(Vec<u8>, usize)> {
    let mut expected = Vec::new();
    let mut codes = codes.iter().copied();
    assert_eq!(codes.next(), Some(220), "greeting");
    let (mut pos, mut recipients) = (0, 0);
    while let Some(end) = stream[pos..].iter().position(|&b| b == b'\n') {
        let line = &stream[pos..pos + end + 1];
        pos += end + 1;
        let Some(code) = codes.next() else { break };
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let verb = text.split(|&b| b == b' ').next().unwrap_or_default().to_ascii_uppercase();
        match (verb.as_slice(), code) {
            (b"EHLO" | b"HELO" | b"RSET" | b"MAIL", 250) => recipients = 0,
            (b"RCPT", 250) => recipients += 1,
            (b"QUIT", 221) => break,
            (_, 354) => {
                let Some((message, used)) = reference_data(&stream[pos..]) else { break };
                pos += used;
                match codes.next() {
                    Some(250) => expected.push((message, recipients)),
                    Some(_) => {}
                    None => break,
                }
                recipients = 0;
            }
            _ => {}
        }
    }
    expected
}

/// The data up to the first CRLF.CRLF, unstuffed, and the bytes it took.
fn reference_data(data: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut message = Vec::new();
    let mut start = 0;
    while let Some(len) = data[start..].windows(2).position(|w| w == b"\r\n") {
        let line = &data[start..start + len + 2];
        if line == b".\r\n" {
            return Some((message, start + 3));
        }
        message.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
        start += len + 2;
    }
    None
}

#[test]
#[ignore = "the protocol fuzzer, a step of .ci/run: cargo nextest run --workspace --all-features --run-ignored only -E 'test(/^sink_fuzz::/)'"]
fn mutated_sessions_lose_nothing_acknowledged_and_store_nothing_else() {
    let seed = std::env::var("MAILTEST_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(SEED);
    let mut rng = Rng(seed);
    let sink = SmtpSink::start().unwrap();
    let outbox = sink.outbox();
    let started = Instant::now();
    let (mut sessions, mut acknowledged) = (0, 0);
    while sessions < SESSIONS && started.elapsed() < TIME_BUDGET {
        let mut stream = valid_session(&mut rng);
        if !rng.chance(10) {
            mutate(&mut rng, &mut stream);
        }
        let codes = converse(&sink, &mut rng, &stream);
        let expected = expected_messages(&stream, &codes);
        let stored = outbox.emails();
        let case =
            || format!("seed {seed}, session {sessions}: {}\nreplies {codes:?}", stream.escape_ascii());
        assert_eq!(stored.len(), expected.len(), "acknowledged messages stored, nothing else: {}", case());
        for (email, (message, recipients)) in stored.iter().zip(&expected) {
            assert_eq!(email.raw(), message.as_slice(), "byte for byte: {}", case());
            assert_eq!(email.envelope_to().len(), *recipients, "recipients: {}", case());
        }
        acknowledged += expected.len();
        outbox.clear();
        sessions += 1;
    }
    println!("fuzz: seed {seed}, {sessions} sessions, {acknowledged} messages acknowledged and checked");
    assert!(sessions >= 500, "only {sessions} sessions in {TIME_BUDGET:?}: too slow to mean much");
    assert!(acknowledged >= sessions / 4, "too few messages got through to test delivery: {acknowledged}");
}
