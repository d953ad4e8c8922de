//! `mailtest serve --http 0` as a child process, for the web API and browser
//! tests (`#[path]`-included by each): its two ports, plain HTTP and SMTP
//! clients, and a kill on drop.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lettre::Transport;
use lettre::address::{Address, Envelope};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_mailtest-for-interop");

pub(crate) struct Serve {
    child: Child,
    pub(crate) smtp_port: u16,
    pub(crate) http_port: u16,
    /// What serve prints after its banner (the console backend's output),
    /// line by line, from a reader thread (so a read can time out).
    printed: std::sync::Mutex<std::sync::mpsc::Receiver<String>>,
}

/// The port after `prefix` in `line`.
fn port_after(line: &str, prefix: &str) -> u16 {
    line.split(prefix)
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port after {prefix:?} in {line:?}"))
}

impl Serve {
    pub(crate) fn start() -> Serve {
        Serve::start_with(&[])
    }

    pub(crate) fn start_with(extra: &[&str]) -> Serve {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--http", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start mailtest serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (mut smtp, mut web) = (String::new(), String::new());
        stdout.read_line(&mut smtp).unwrap();
        stdout.read_line(&mut web).unwrap();
        assert!(smtp.starts_with("mailtest: SMTP sink listening on 127.0.0.1:"), "{smtp}");
        assert!(web.starts_with("mailtest: web UI on http://127.0.0.1:"), "loopback by default: {web}");
        let (lines, printed) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        Serve {
            smtp_port: port_after(&smtp, "127.0.0.1:"),
            http_port: port_after(&web, "http://127.0.0.1:"),
            child,
            printed: std::sync::Mutex::new(printed),
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.http_port)
    }

    /// Sends `raw` over SMTP with this envelope.
    pub(crate) fn send(&self, from: &str, to: &[&str], raw: &[u8]) {
        let envelope = Envelope::new(
            Some(from.parse::<Address>().unwrap()),
            to.iter().map(|to| to.parse::<Address>().unwrap()).collect(),
        )
        .unwrap();
        let mailer = lettre::SmtpTransport::builder_dangerous("127.0.0.1").port(self.smtp_port).build();
        mailer.send_raw(&envelope, raw).expect("send over SMTP");
    }

    /// Sends raw request bytes; returns the status and the whole response.
    pub(crate) fn raw_request(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.http_port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        stream.write_all(request).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, text)
    }

    /// `METHOD path` with the right Host; returns the status and the body.
    pub(crate) fn request(&self, method: &str, path: &str) -> (u16, String) {
        let request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", self.http_port);
        let (status, text) = self.raw_request(request.as_bytes());
        let body = text.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
        (status, body)
    }

    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path)
    }

    /// Reads serve's console output until a line contains `needle` (at
    /// most 30 s).
    pub(crate) fn printed_until(&mut self, needle: &str) -> String {
        let mut printed = String::new();
        while !printed.contains(needle) {
            let next = self.printed.get_mut().unwrap().recv_timeout(Duration::from_secs(30));
            match next {
                Ok(line) => printed.push_str(&format!("{line}\n")),
                Err(_) => panic!("serve did not print {needle:?} within 30 s; it printed:\n{printed}"),
            }
        }
        printed
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
