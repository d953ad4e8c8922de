//! A failure reads the same on a terminal and off it: the report is a plain
//! value, and colour only its alternate form (`{:#}`), never a property of
//! the environment (DESIGN §4). Each scenario below fails in a child
//! process twice — standard output and error on pseudo-terminals, as in a
//! developer's shell, then on pipes, as under CI — and the two standard
//! errors, panic message and all, must be byte for byte the same.
//!
//! The scenarios are `#[ignore]`d tests that only the test at the top runs,
//! each in a child process of its own (as in `panic_hook.rs`).

use std::io::{IsTerminal, Read};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::process::{Command, Stdio};

use mailtest::Outbox;
use rustix::fs::{Mode, OFlags};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{OptionalActions, OutputModes, tcgetattr, tcsetattr};

/// Each scenario and a line its failure must contain (so a child that
/// failed for another reason, the same way twice, does not pass).
const SCENARIOS: [(&str, &str); 5] = [
    ("a_query_with_a_near_miss", "as a diff (< expected, > actual):"),
    ("an_email_assertion", "Your receipt"),
    ("assert_sent_with_a_count", "expected exactly 2 emails"),
    ("lints", "missing-message-id"),
    ("strict_mode_at_drop", "never matched"),
];

#[test]
fn failure_text_is_the_same_on_a_terminal_and_off_it() {
    for (scenario, expected) in SCENARIOS {
        let reports = tempfile::tempdir().unwrap();

        let terminal = run_scenario(scenario, Where::Terminal, reports.path());
        let pipe = run_scenario(scenario, Where::Pipe, reports.path());

        assert!(terminal.stdout.contains("stderr is a terminal: true"), "{scenario}: {terminal:?}");
        assert!(pipe.stdout.contains("stderr is a terminal: false"), "{scenario}: {pipe:?}");
        assert!(pipe.stderr.contains(expected), "{scenario} should fail with {expected:?}:\n{}", pipe.stderr);
        assert_eq!(terminal.stderr, pipe.stderr, "{scenario}: on a terminal (left) and on a pipe (right)");
    }
}

/// Where the child's standard output and error go.
#[derive(Clone, Copy, Debug)]
enum Where {
    Terminal,
    Pipe,
}

/// What a child printed.
#[derive(Debug)]
struct Printed {
    stdout: String,
    stderr: String,
}

/// Runs the scenario alone in a child, as a user's `cargo test` would on a
/// plain terminal (`TERM` set, no colour variable), and checks that it failed.
fn run_scenario(scenario: &str, to: Where, reports: &Path) -> Printed {
    let (stdout, stdout_reader) = output(to);
    let (stderr, stderr_reader) = output(to);
    let mut command = Command::new(std::env::current_exe().expect("the test binary"));
    command
        .args(["--ignored", "--exact", "--nocapture", "--test-threads=1", &format!("terminal::{scenario}")])
        .env("MAILTEST_TERMINAL_SCENARIO", "1")
        .env("MAILTEST_REPORT_DIR", reports)
        .env("RUST_BACKTRACE", "0")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    for colour in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR"] {
        command.env_remove(colour);
    }
    let mut child = command.spawn().expect("the test binary runs");
    // The child holds the only write ends now: reading ends when it exits.
    drop(command);
    let printed = Printed { stdout: read_all(stdout_reader), stderr: read_all(stderr_reader) };
    let status = child.wait().unwrap();
    assert!(!status.success(), "{scenario} ({to:?}) should fail: {printed:?}");
    printed
}

/// The write end for the child, and the read end for the test.
fn output(to: Where) -> (OwnedFd, std::thread::JoinHandle<Vec<u8>>) {
    let (write, read) = match to {
        Where::Pipe => {
            let (read, write) = std::io::pipe().unwrap();
            (OwnedFd::from(write), OwnedFd::from(read))
        }
        Where::Terminal => {
            let controller = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
            grantpt(&controller).unwrap();
            unlockpt(&controller).unwrap();
            let name = ptsname(&controller, Vec::new()).unwrap();
            let terminal =
                rustix::fs::open(name.as_c_str(), OFlags::RDWR | OFlags::NOCTTY, Mode::empty()).unwrap();
            // Bytes as written: no "\n" -> "\r\n" on the way out, so the two
            // runs compare byte for byte.
            let mut modes = tcgetattr(&terminal).unwrap();
            modes.output_modes.remove(OutputModes::OPOST);
            tcsetattr(&terminal, OptionalActions::Now, &modes).unwrap();
            (terminal, controller)
        }
    };
    // Read while the child runs: a terminal's buffer is small.
    let reader = std::thread::spawn(move || {
        let mut file = std::fs::File::from(read);
        let mut bytes = Vec::new();
        let mut chunk = [0; 4096];
        loop {
            match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
                // A terminal's controller reads EIO once the last writer closed.
                Err(err) if err.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error()) => break,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => panic!("reading the child's output: {err}"),
            }
        }
        bytes
    });
    (write, reader)
}

/// What the child wrote, with the one part that differs between any two
/// runs — the thread's id in the panic line — written as `(N)`.
fn read_all(reader: std::thread::JoinHandle<Vec<u8>>) -> String {
    let text = String::from_utf8(reader.join().unwrap()).expect("UTF-8 output");
    let thread_id = regex_lite::Regex::new(r"(?m)^(thread '[^']*') \(\d+\) panicked at ").unwrap();
    thread_id.replace_all(&text, "$1 (N) panicked at ").into_owned()
}

/// Every scenario starts here: it runs only as a child of the test above,
/// and says where its standard error went.
fn as_a_child() {
    assert!(
        std::env::var_os("MAILTEST_TERMINAL_SCENARIO").is_some(),
        "a scenario of terminal.rs, run in a child process by failure_text_is_the_same_on_a_terminal_and_off_it"
    );
    println!("stderr is a terminal: {}", std::io::stderr().is_terminal());
}

/// A receipt with a text and an HTML part, the kind of email a diff is shown for.
fn receipt(outbox: &Outbox, subject: &str) {
    let raw = format!(
        "From: Shop <shop@example.com>\r\nTo: Ann <ann@example.com>\r\nSubject: {subject}\r\n\
         Content-Type: multipart/alternative; boundary=b\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThank you, Ann. Grüße!\r\n\
         --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Thank you, <b>Ann</b>.</p>\r\n--b--\r\n"
    );
    outbox.capture_raw(Some("shop@example.com"), &["ann@example.com"], raw.as_bytes());
}

#[test]
#[ignore = "a scenario: failure_text_is_the_same_on_a_terminal_and_off_it runs it"]
fn a_query_with_a_near_miss() {
    as_a_child();
    let outbox = Outbox::new();
    receipt(&outbox, "Your order #1042 has shipped and will arrive on Tuesday");

    outbox
        .find()
        .to("ann@example.com")
        .subject("Your order #1042 has shipped and will arrive on Monday")
        .one();
}

#[test]
#[ignore = "a scenario: failure_text_is_the_same_on_a_terminal_and_off_it runs it"]
fn an_email_assertion() {
    as_a_child();
    let outbox = Outbox::new();
    receipt(&outbox, "Your receipt");

    outbox.find().one().assert().text_contains("Thank you, Bob").html_contains("Bob");
}

#[test]
#[ignore = "a scenario: failure_text_is_the_same_on_a_terminal_and_off_it runs it"]
fn assert_sent_with_a_count() {
    as_a_child();
    let outbox = Outbox::new();
    receipt(&outbox, "Your receipt");

    mailtest::assert_sent!(outbox, to: "ann@example.com", count: 2);
}

#[test]
#[ignore = "a scenario: failure_text_is_the_same_on_a_terminal_and_off_it runs it"]
fn lints() {
    as_a_child();
    let outbox = Outbox::new();
    receipt(&outbox, "Your receipt");

    outbox.assert_lints_clean();
}

#[test]
#[ignore = "a scenario: failure_text_is_the_same_on_a_terminal_and_off_it runs it"]
fn strict_mode_at_drop() {
    as_a_child();
    let mail = mailtest::capture().strict();
    receipt(&mail, "Your receipt");
}
