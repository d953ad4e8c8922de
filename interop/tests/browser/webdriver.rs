//! Just enough of the W3C WebDriver protocol to drive Debian's
//! `chromedriver` with a headless Chromium: start a session, navigate, find
//! elements, click, switch frames, run a script, read titles, texts and
//! sizes, take a screenshot.
//!
//! WebDriver is JSON over HTTP on loopback, so std's `TcpStream` and
//! serde_json do it; the client crates (fantoccini, thirtyfour) would bring
//! an async runtime and an HTTP stack into the test build for the same few
//! calls.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The install command a missing browser names.
pub(crate) const INSTALL: &str = "apt-get install chromium chromium-driver";

/// A chromedriver process and one browser session; both end on drop.
pub(crate) struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
}

/// An element reference.
#[derive(Clone, Debug)]
pub(crate) struct Element(Value);

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|p| p.is_file())
}

/// A free loopback port (bound, then released for chromedriver to take).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile.
    ///
    /// # Panics
    ///
    /// When Chromium or chromedriver is missing, naming the install command.
    pub(crate) fn start() -> Browser {
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"])
            .unwrap_or_else(|| panic!("the browser tests need Chromium, which is not installed: `{INSTALL}` (`.ci/install-tools` installs it)"));
        let chromedriver = find_program(&["chromedriver"])
            .unwrap_or_else(|| panic!("the browser tests need chromedriver, which is not installed: `{INSTALL}` (`.ci/install-tools` installs it)"));
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = std::env::temp_dir().join(format!("mailtest-chromium-{}-{port}", std::process::id()));
        let mut browser = Browser { driver, port, session: String::new(), profile };
        browser.wait_until_ready();
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--window-size=1280,1024".to_owned(),
            format!("--user-data-dir={}", browser.profile.display()),
        ];
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        }}});
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["sessionId"].as_str().expect("a session id").to_owned();
        browser
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(status) = self.try_call("GET", "/status", None)
                && status["ready"] == true
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("chromedriver did not become ready within 30 s on port {}", self.port);
    }

    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream.set_read_timeout(Some(Duration::from_secs(120))).map_err(|e| e.to_string())?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
        // chromedriver keeps the connection open: read the head, then the
        // body by its length (or its chunks).
        let mut response = Vec::new();
        let mut chunk = [0u8; 8192];
        let split = loop {
            if let Some(at) = response.windows(4).position(|w| w == b"\r\n\r\n") {
                break at;
            }
            let n = stream.read(&mut chunk).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("the connection closed before the answer's head".into());
            }
            response.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
        let mut body = response[split + 4..].to_vec();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|n| n.trim().parse::<usize>().ok());
        let chunked = head.contains("transfer-encoding: chunked");
        loop {
            let complete = match length {
                Some(length) => body.len() >= length,
                None if chunked => body.windows(5).any(|w| w == b"0\r\n\r\n"),
                None => false,
            };
            if complete {
                break;
            }
            let n = stream.read(&mut chunk).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        let body = if chunked { dechunk(&body) } else { body };
        let body = String::from_utf8_lossy(&body);
        let value: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
        if value["value"]["error"].is_string() {
            return Err(format!("{}: {}", value["value"]["error"], value["value"]["message"]));
        }
        Ok(value["value"].clone())
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body).unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Loads `url` and waits for its load event (frames and images included).
    pub(crate) fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    pub(crate) fn title(&self) -> String {
        self.session_call("GET", "/title", None).as_str().unwrap_or_default().to_owned()
    }

    pub(crate) fn find(&self, css: &str) -> Element {
        Element(self.session_call("POST", "/element", Some(json!({ "using": "css selector", "value": css }))))
    }

    pub(crate) fn find_all(&self, css: &str) -> Vec<Element> {
        let found =
            self.session_call("POST", "/elements", Some(json!({ "using": "css selector", "value": css })));
        found.as_array().cloned().unwrap_or_default().into_iter().map(Element).collect()
    }

    pub(crate) fn click(&self, element: &Element) {
        let id = element_id(element);
        self.session_call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// Types `text` into a field, as keystrokes (so its input events fire).
    pub(crate) fn type_into(&self, element: &Element, text: &str) {
        let id = element_id(element);
        self.session_call("POST", &format!("/element/{id}/value"), Some(json!({ "text": text })));
    }

    pub(crate) fn text(&self, element: &Element) -> String {
        let id = element_id(element);
        self.session_call("GET", &format!("/element/{id}/text"), None).as_str().unwrap_or_default().to_owned()
    }

    /// The element's rendered width in CSS pixels.
    pub(crate) fn width(&self, element: &Element) -> f64 {
        let id = element_id(element);
        self.session_call("GET", &format!("/element/{id}/rect"), None)["width"].as_f64().unwrap_or(-1.0)
    }

    /// Switches into an iframe, or back to the top document with `None`.
    pub(crate) fn frame(&self, frame: Option<&Element>) {
        let id = frame.map_or(Value::Null, |element| element.0.clone());
        self.session_call("POST", "/frame", Some(json!({ "id": id })));
    }

    /// Runs `script` in the current frame (through the driver, which works
    /// even where the page itself may run no script) and returns its result.
    pub(crate) fn script(&self, script: &str) -> Value {
        self.session_call("POST", "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    /// Saves a PNG of the window (for a person to look at).
    pub(crate) fn screenshot(&self, path: &std::path::Path) {
        let png = self.session_call("GET", "/screenshot", None);
        let bytes = mailtest_mime::base64::decode_canonical(png.as_str().unwrap_or_default()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Polls `check` until it holds or `timeout` passes.
    pub(crate) fn wait_for(&self, timeout: Duration, mut check: impl FnMut(&Browser) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if check(self) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn element_id(element: &Element) -> String {
    element
        .0
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok());
        let after = &rest[line_end + 2..];
        match size {
            Some(size) if size > 0 && after.len() >= size => {
                out.extend_from_slice(&after[..size]);
                rest = after[size..].strip_prefix(b"\r\n").unwrap_or(&after[size..]);
            }
            _ => break,
        }
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.try_call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
