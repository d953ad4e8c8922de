//! Python's aiosmtpd as a real SMTP server nobody here wrote, started per
//! test on 127.0.0.1 (tests/support/smtpd.py). `.ci/run` installs it;
//! without it a test that needs it fails, naming the install command.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
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
}

fn require_aiosmtpd() {
    let found = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "this test needs python3 with aiosmtpd: `python3 -m pip install aiosmtpd` (`.ci/run` installs it)"
    );
}

/// One aiosmtpd process; stops when dropped (its stdin closes).
pub(crate) struct Aiosmtpd {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    pub(crate) port: u16,
}

impl Aiosmtpd {
    pub(crate) fn start(args: &[&str]) -> Aiosmtpd {
        require_aiosmtpd();
        let mut child = Command::new("python3")
            .arg(SCRIPT)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start python3 tests/support/smtpd.py");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let ready = lines.recv_timeout(WAIT).expect("aiosmtpd did not start (see its stderr above)");
        let port = ready.strip_prefix("READY ").and_then(|p| p.parse().ok()).expect("a READY <port> line");
        Aiosmtpd { child, stdin, lines, port }
    }

    /// The next message the server received.
    pub(crate) fn received(&self) -> Received {
        let line = self.lines.recv_timeout(WAIT).expect("the server received no message");
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
