//! Python's aiosmtpd as a real SMTP server nobody here wrote, started per
//! test on 127.0.0.1 (tests/support/smtpd.py). `.ci/run` installs it;
//! without it a test that needs it fails, naming the install command.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, Sender, channel};
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

/// One aiosmtpd process serving one server; stops when dropped (its stdin
/// closes). The server's methods (`port`, `received`, ...) are its
/// [`Server`]'s.
pub(crate) struct Aiosmtpd {
    server: Server,
    _process: Process,
}

/// One aiosmtpd process serving a server for each fault (`--each`): tests
/// that compare many faults start Python once, not once a fault.
pub(crate) struct AiosmtpdEach {
    pub(crate) servers: Vec<Server>,
    _process: Process,
}

/// One server of an aiosmtpd process: its port and what it stored.
pub(crate) struct Server {
    /// Behind a lock so that a test's threads can share the servers of one
    /// process (each case uses its own).
    lines: Mutex<Receiver<String>>,
    stderr: Arc<Mutex<String>>,
    pub(crate) port: u16,
}

/// The Python process. Its standard error is kept, not printed: tests that
/// make the server fail (a client certificate refused, a TLS handshake
/// aborted) would otherwise fill a passing run with Python tracebacks. It is
/// shown when a server does not do what a test waits for.
struct Process {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Aiosmtpd {
    pub(crate) fn start(args: &[&str]) -> Aiosmtpd {
        let (process, mut servers) = Process::start(args, 1);
        Aiosmtpd { server: servers.remove(0), _process: process }
    }
}

impl std::ops::Deref for Aiosmtpd {
    type Target = Server;

    fn deref(&self) -> &Server {
        &self.server
    }
}

impl AiosmtpdEach {
    /// A server for each of `faults` (`--fault` values), in their order,
    /// each also given `args`.
    pub(crate) fn start(args: &[&str], faults: &[&str]) -> AiosmtpdEach {
        let mut all = args.to_vec();
        all.push("--each");
        for fault in faults {
            all.extend(["--fault", fault]);
        }
        let (process, servers) = Process::start(&all, faults.len());
        AiosmtpdEach { servers, _process: process }
    }
}

impl Process {
    /// Starts the script with `args` and waits for its `servers` READY
    /// lines. A reader thread hands each MSG line to the server whose port
    /// it ends with.
    fn start(args: &[&str], servers: usize) -> (Process, Vec<Server>) {
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
        let (ready_tx, ready) = channel();
        std::thread::spawn(move || {
            let mut routes: HashMap<u16, Sender<String>> = HashMap::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("READY ").and_then(|port| port.parse().ok()) {
                    let (tx, lines) = channel();
                    routes.insert(port, tx);
                    let _ = ready_tx.send((port, lines));
                } else if let Some(route) = line
                    .rsplit('\t')
                    .next()
                    .and_then(|port| port.parse().ok())
                    .and_then(|port| routes.get(&port))
                {
                    let _ = route.send(line);
                }
            }
        });
        let process = Process { child, stdin };
        let servers = (0..servers)
            .map(|_| {
                let (port, lines) = ready.recv_timeout(WAIT).unwrap_or_else(|_| {
                    std::thread::sleep(Duration::from_millis(200)); // let its last words arrive
                    panic!("aiosmtpd did not start; its standard error:\n{}", stderr.lock().unwrap())
                });
                Server { lines: Mutex::new(lines), stderr: Arc::clone(&stderr), port }
            })
            .collect();
        (process, servers)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if self.child.wait().is_err() {
            let _ = self.child.kill();
        }
    }
}

impl Server {
    /// The server's next line on standard output, or a panic with `what`
    /// and what the server wrote on standard error.
    fn next_line(&self, what: &str) -> String {
        self.lines.lock().unwrap().recv_timeout(WAIT).unwrap_or_else(|_| {
            std::thread::sleep(Duration::from_millis(200)); // let its last words arrive
            panic!("{what}; its standard error:\n{}", self.stderr.lock().unwrap())
        })
    }

    /// Asserts that no message arrives within `wait`.
    pub(crate) fn assert_nothing_received(&self, wait: Duration) {
        if let Ok(line) = self.lines.lock().unwrap().recv_timeout(wait) {
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
