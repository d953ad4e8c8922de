//! Python's aiosmtpd as a real SMTP server nobody here wrote, started per
//! test on 127.0.0.1 (tests/support/smtpd.py). `.ci/run` installs it;
//! without it a test that needs it fails, naming the install command.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailtest::Settings;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtpd.py");
const WAIT: Duration = Duration::from_secs(20);

/// What the server received, one message.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) mail_from: String,
    pub(crate) rcpt_tos: Vec<String>,
    pub(crate) login: Option<String>,
    pub(crate) tls: bool,
    pub(crate) client_cn: Option<String>,
    pub(crate) data: Vec<u8>,
    /// Which of the client's connections carried it, counted from 1.
    pub(crate) connection: u32,
}

/// One aiosmtpd process; stops when dropped (its stdin closes).
///
/// Its standard error is kept, not printed: tests that make the server fail
/// (a client certificate refused, a TLS handshake aborted) would otherwise
/// fill a passing run with Python tracebacks. It is shown when the server
/// does not do what a test waits for.
pub(crate) struct Aiosmtpd {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    pub(crate) port: u16,
}

impl Aiosmtpd {
    pub(crate) fn start(args: &[&str]) -> Aiosmtpd {
        crate::tools::require_python_module("aiosmtpd");
        let mut child = Command::new("python3")
            .arg(SCRIPT)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start python3 tests/support/smtpd.py");
        let stdin = child.stdin.take();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut child_stderr = child.stderr.take().expect("piped stderr");
        {
            let stderr = Arc::clone(&stderr);
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = child_stderr.read_to_string(&mut text);
                stderr.lock().unwrap().push_str(&text);
            });
        }
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Aiosmtpd { child, stdin, lines, stderr, port: 0 };
        let ready = server.next_line("aiosmtpd did not start");
        server.port = ready.strip_prefix("READY ").and_then(|p| p.parse().ok()).expect("a READY <port> line");
        server
    }

    /// The server's next line on standard output, or a panic with `what`
    /// and what the server wrote on standard error.
    fn next_line(&self, what: &str) -> String {
        self.lines.recv_timeout(WAIT).unwrap_or_else(|_| {
            std::thread::sleep(Duration::from_millis(200)); // let its last words arrive
            panic!("{what}; its standard error:\n{}", self.stderr.lock().unwrap())
        })
    }

    /// Asserts that no message arrives within `wait`.
    pub(crate) fn assert_nothing_received(&self, wait: Duration) {
        if let Ok(line) = self.lines.recv_timeout(wait) {
            panic!("expected no message, the server received: {line}");
        }
    }

    /// The next message the server received.
    pub(crate) fn received(&self) -> Received {
        let line = self.next_line("the server received no message");
        let fields: Vec<&str> = line.strip_prefix("MSG ").expect("a MSG line").split('\t').collect();
        let optional = |s: &str| (s != "-").then(|| s.to_owned());
        Received {
            mail_from: fields[0].to_owned(),
            rcpt_tos: fields[1].split(',').map(str::to_owned).collect(),
            login: optional(fields[2]),
            tls: fields[3] == "1",
            client_cn: optional(fields[4]),
            data: (0..fields[5].len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&fields[5][i..i + 2], 16).expect("hex"))
                .collect(),
            connection: fields[6].parse().expect("a connection number"),
        }
    }

    /// Settings for this server, plus `extra`.
    pub(crate) fn settings(&self, extra: &[(&str, &str)]) -> Settings {
        let port = self.port.to_string();
        let mut vars = vec![
            ("EMAIL_BACKEND", "smtp"),
            ("EMAIL_HOST", "127.0.0.1"),
            ("EMAIL_PORT", port.as_str()),
            ("EMAIL_TIMEOUT", "10"),
        ];
        vars.extend_from_slice(extra);
        Settings::from_vars(vars).unwrap()
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if self.child.wait().is_err() {
            let _ = self.child.kill();
        }
    }
}
