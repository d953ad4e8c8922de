//! A loopback HTTP server that records every request it gets: the "remote"
//! server an email's images, styles, fonts and scripts point at. The tests
//! prove the browser can reach it (a control page loads from it), then that
//! the report and the live UI never do.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

pub(crate) struct Counter {
    pub(crate) base: String,
    seen: Arc<Mutex<Vec<String>>>,
}

/// A page whose script runs: the control that shows a script *would* be
/// seen to run (the greeting changes, a request arrives) where one may.
const CONTROL: &str = "<!DOCTYPE html><title>control</title><h1 id=\"greeting\">Hi Ann, your order has shipped</h1>\
    <img src=\"/control-pixel.gif\">\
    <script>document.getElementById('greeting').textContent='script ran'</script>";

/// The smallest GIF.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

impl Counter {
    pub(crate) fn start() -> Counter {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let record = Arc::clone(&record);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(&stream);
                    let mut line = String::new();
                    // A connection that sends no request (a preconnect) counts too.
                    let _ = reader.read_line(&mut line);
                    let path = line.split(' ').nth(1).unwrap_or("(connection without a request)").to_owned();
                    record.lock().unwrap().push(path.clone());
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).map_or(true, |n| n == 0) || header.trim().is_empty()
                        {
                            break;
                        }
                    }
                    let (kind, body): (&str, &[u8]) = if path == "/control" {
                        ("text/html", CONTROL.as_bytes())
                    } else if path.starts_with("/fence") {
                        ("text/html", b"<!DOCTYPE html><title>fence</title>")
                    } else {
                        ("image/gif", GIF)
                    };
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let mut stream = &stream;
                    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body));
                });
            }
        });
        Counter { base, seen }
    }

    /// Every request so far, by path; then forgets them.
    pub(crate) fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}
