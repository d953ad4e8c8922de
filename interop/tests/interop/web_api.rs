//! `mailtest serve --http`: the JSON API (golden responses), the long poll,
//! the event stream, bad requests, route safety and escaping in the pages,
//! driven from Rust, curl and Python's urllib; and `mailtest assert` and
//! `mailtest show --html`, which use them.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::serve::{BIN, Serve};
use crate::showcase;
use crate::tools::require;

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// A server holding the showcase email (#1) and a plain one (#2).
fn with_two() -> Serve {
    let serve = Serve::start();
    serve.send(
        "bounces@shop.example.com",
        &["ann@example.com", "audit@example.com"],
        &showcase::showcase("http://127.0.0.1:9"),
    );
    serve.send("shop@example.com", &["bob@example.com"], &showcase::plain("Welcome, Bob", "bob@example.com"));
    let (status, _) = serve.get("/api/wait?count=2&timeout=10");
    assert_eq!(status, 200);
    serve
}

#[test]
fn json_api_golden_responses() {
    let serve = with_two();
    let mut golden = String::new();
    for path in [
        "/api/messages",
        "/api/messages?to=bob%40example.com",
        "/api/messages?subject_contains=shipped&from=shop@example.com",
        "/api/messages/1",
        "/api/wait?to=ann@example.com&timeout=5",
    ] {
        let (status, body) = serve.get(path);
        golden.push_str(&format!("GET {path}\n{status}\n{body}\n"));
    }
    snapshot("web_api_golden", &golden);

    // The bytes as the sink captured them (SMTP may add a line ending).
    let (status, raw) = serve.get("/api/messages/02.eml");
    assert_eq!(status, 200);
    assert!(raw.as_bytes().starts_with(&showcase::plain("Welcome, Bob", "bob@example.com")), "{raw}");
    let summary: serde_json::Value = serde_json::from_str(&serve.get("/api/messages/2").1).unwrap();
    assert_eq!(summary["size"].as_u64(), Some(raw.len() as u64));
}

#[test]
fn bad_requests_get_a_status_that_says_why_and_the_server_carries_on() {
    let serve = with_two();
    let port = serve.http_port;
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let mut headers = host.clone();
    for n in 0..100 {
        headers.push_str(&format!("X-{n}: 1\r\n"));
    }
    let long = format!("GET / HTTP/1.1\r\n{host}X-Long: {}\r\n\r\n", "a".repeat(20_000));
    let cases: Vec<(String, Vec<u8>)> = vec![
        ("unknown route".into(), format!("GET /nowhere HTTP/1.1\r\n{host}\r\n").into_bytes()),
        ("no such email".into(), format!("GET /api/messages/99 HTTP/1.1\r\n{host}\r\n").into_bytes()),
        ("not a number".into(), format!("GET /api/messages/abc HTTP/1.1\r\n{host}\r\n").into_bytes()),
        ("POST on a GET route".into(), format!("POST /api/messages HTTP/1.1\r\n{host}\r\n").into_bytes()),
        ("PUT on a page".into(), format!("PUT /m/1 HTTP/1.1\r\n{host}\r\n").into_bytes()),
        ("unknown filter".into(), format!("GET /api/messages?subjet=Hi HTTP/1.1\r\n{host}\r\n").into_bytes()),
        ("bad count".into(), format!("GET /api/wait?count=0 HTTP/1.1\r\n{host}\r\n").into_bytes()),
        ("bad timeout".into(), format!("GET /api/wait?timeout=soon HTTP/1.1\r\n{host}\r\n").into_bytes()),
        ("garbage".into(), b"\x16\x03\x01 hello\r\n\r\n".to_vec()),
        ("too many headers".into(), format!("GET / HTTP/1.1\r\n{headers}\r\n").into_bytes()),
        ("head too large".into(), long.into_bytes()),
        ("foreign Host".into(), b"GET /api/messages HTTP/1.1\r\nHost: attacker.example:80\r\n\r\n".to_vec()),
    ];
    let mut golden = String::new();
    for (what, request) in cases {
        let (status, response) = serve.raw_request(&request);
        let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body).trim_end();
        let allow = response.lines().find(|line| line.starts_with("Allow: ")).unwrap_or_default();
        golden.push_str(&format!("{what}: {status} {allow}\n{body}\n\n"));
    }
    snapshot("web_api_bad_requests", &golden);
    assert_eq!(serve.get("/api/messages/1").0, 200, "still serving");
}

#[test]
fn no_route_reaches_a_file_and_pages_escape_html_from_emails() {
    let serve = with_two();
    for path in [
        "/../../etc/passwd",
        "/m/..%2f..%2fetc%2fpasswd",
        "/m/1/../../etc/passwd",
        "/api/messages/1/..",
        "/live.js/..",
        "//etc/passwd",
        "/m/%31",
        "/m/0",
        "/m/-1",
    ] {
        assert_eq!(serve.get(path).0, 404, "{path}");
    }
    for (path, scripts) in [("/", 1), ("/m/1", 0)] {
        let (status, page) = serve.get(path);
        assert_eq!(status, 200);
        assert_eq!(page.to_lowercase().matches("<script").count(), scripts, "{path}: only our own script");
        assert!(
            page.contains("Your order &lt;script&gt;alert(&#39;subject&#39;)&lt;/script&gt; has shipped"),
            "{path}"
        );
        assert!(
            page.contains("&quot;Shop &lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;&quot;"),
            "{path}"
        );
    }
    let (_, page) = serve.get("/m/1");
    assert!(page.contains("<a download=\"invoice &lt;script&gt;alert(&#39;file&#39;)&lt;/script&gt;.pdf\""));
    // Relative, so the same page serves every namespace: /m/01.eml, /ns/x/m/01.eml.
    assert!(page.contains("<a download href=\"01.eml\">01.eml</a>"));
    let (status, raw) = serve.get("/m/01.eml");
    assert_eq!((status, raw.len()), (200, serve.get("/api/messages/1.eml").1.len()));
}

#[test]
fn namespaces_golden_responses() {
    let serve = Serve::start();
    serve.send(
        "shop@example.com",
        &["ann+ci7@example.com"],
        &showcase::plain("Order 42 shipped", "ann+ci7@example.com"),
    );
    serve.send(
        "shop@example.com",
        &["bob+ci7@example.com"],
        &showcase::plain("Welcome, Bob", "bob+ci7@example.com"),
    );
    serve.send(
        "shop@example.com",
        &["carl@example.com"],
        &showcase::plain("Not namespaced", "carl@example.com"),
    );
    assert_eq!(serve.get("/ns/ci7/api/wait?count=2&timeout=10").0, 200);
    let mut golden = String::new();
    for (method, path) in [
        ("GET", "/api/namespaces"),
        ("GET", "/ns/ci7/api/messages?q=subject%3A%22order+42%22"),
        ("GET", "/ns/ci7/api/messages?q=to%3Abob+welcome"),
        ("GET", "/ns/ci7/api/messages?q=colour%3Ared"),
        ("GET", "/ns/ci7/api/wait?subject=Order+42+shipped&timeout=5"),
        ("GET", "/ns/ci7/api/wait?timeout=301"),
        ("DELETE", "/ns/ci7/api/messages/1"),
        ("DELETE", "/ns/ci7/api/messages/1"),
        ("GET", "/ns/ci7/api/messages"),
        ("DELETE", "/ns/ci7/api/messages"),
        ("GET", "/api/messages"),
        ("GET", "/ns/not%20a%20name/api/messages"),
    ] {
        let (status, body) = serve.request(method, path);
        golden.push_str(&format!("{method} {path}\n{status}\n{body}\n"));
    }
    snapshot("web_api_namespaces", &golden);
    let (status, response) = serve.raw_request(
        format!("GET /ns/ci7 HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", serve.http_port).as_bytes(),
    );
    assert_eq!(status, 308);
    assert!(response.contains("\r\nLocation: /ns/ci7/\r\n"), "{response}");
}

#[test]
fn twenty_waiters_are_all_released_by_one_arrival() {
    let serve = Arc::new(Serve::start());
    let done = Arc::new(AtomicUsize::new(0));
    let waiters: Vec<_> = (0..20)
        .map(|_| {
            let (serve, done) = (Arc::clone(&serve), Arc::clone(&done));
            std::thread::spawn(move || {
                let answer = serve.get("/api/wait?subject=Go&timeout=60");
                done.fetch_add(1, Ordering::SeqCst);
                answer
            })
        })
        .collect();
    // Let every request reach the server; none may return before the email.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(done.load(Ordering::SeqCst), 0, "a waiter returned before any email arrived");

    let sent = Instant::now();
    serve.send("shop@example.com", &["ann@example.com"], &showcase::plain("Go", "ann@example.com"));
    for waiter in waiters {
        let (status, body) = waiter.join().unwrap();
        assert_eq!(status, 200, "{body}");
        let matches: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(matches[0]["subject"], "Go");
    }
    assert!(sent.elapsed() < Duration::from_secs(30), "released by the arrival, not by their 60 s timeout");
}

#[test]
fn a_wait_that_times_out_answers_408_with_the_near_miss_report() {
    let serve = with_two();
    let (status, body) =
        serve.get("/api/wait?to=ann@example.com&subject=Your%20order%20has%20shipped&timeout=0.3");
    assert_eq!(status, 408);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    snapshot("web_api_wait_timeout", body["report"].as_str().unwrap());
    assert_eq!(body["error"].as_str(), body["report"].as_str().unwrap().lines().next());
}

/// Reads one server-sent event (`event:` and `data:` lines) from `reader`.
fn next_event(reader: &mut impl BufRead) -> (String, String) {
    let (mut event, mut data) = (String::new(), String::new());
    loop {
        let mut line = String::new();
        assert_ne!(reader.read_line(&mut line).unwrap(), 0, "the stream ended");
        let line = line.trim_end();
        if let Some(name) = line.strip_prefix("event: ") {
            event = name.to_owned();
        } else if let Some(value) = line.strip_prefix("data: ") {
            data = value.to_owned();
        } else if line.is_empty() && !event.is_empty() {
            return (event, data);
        }
    }
}

#[test]
fn the_event_stream_tells_of_each_arrival_and_clear_and_serve_keeps_printing() {
    let mut serve = Serve::start();
    let mut stream = TcpStream::connect(("127.0.0.1", serve.http_port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET /events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", serve.http_port).unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    while head.lines().last() != Some("retry: 2000") {
        reader.read_line(&mut head).unwrap();
    }
    assert!(head.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream"), "{head}");

    serve.send("shop@example.com", &["ann@example.com"], &showcase::plain("First", "ann@example.com"));
    let (event, data) = next_event(&mut reader);
    assert_eq!(event, "email");
    let summary: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!((summary["n"].as_u64(), summary["subject"].as_str()), (Some(1), Some("First")));
    serve.printed_until("Subject: First");

    let (status, body) = serve.request("DELETE", "/api/messages");
    assert_eq!((status, body.trim()), (200, "{\n  \"deleted\": 1\n}"));
    assert_eq!(next_event(&mut reader).0, "cleared");

    // After a clear, numbers go on, and serve's console still prints each email.
    serve.send("shop@example.com", &["bob@example.com"], &showcase::plain("Second", "bob@example.com"));
    let (event, data) = next_event(&mut reader);
    assert_eq!(event, "email");
    assert!(data.contains("\"n\":2") && data.contains("\"subject\":\"Second\""), "{data}");
    serve.printed_until("Subject: Second");
    assert_eq!(serve.get("/api/messages/1").0, 404);
}

#[test]
fn curl_and_python_urllib_drive_the_api() {
    require("curl", "--version", "apt-get install curl");
    require("python3", "--version", "apt-get install python3");
    let serve = with_two();
    let curl = |args: &[&str]| {
        let output =
            Command::new("curl").args(["-s", "--max-time", "30"]).args(args).output().expect("run curl");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let listed: serde_json::Value = serde_json::from_str(&curl(&[&serve.url("/api/messages")])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        curl(&["-o", "/dev/null", "-w", "%{http_code}", &serve.url("/api/wait?subject=Nope&timeout=0.1")]),
        "408"
    );
    assert_eq!(
        curl(&["-o", "/dev/null", "-w", "%{http_code}", "-X", "PATCH", &serve.url("/api/messages")]),
        "405"
    );
    assert_eq!(
        curl(&["-I", "-o", "/dev/null", "-w", "%{http_code}", &serve.url("/m/1")]),
        "200",
        "HEAD works"
    );
    assert_eq!(curl(&["-X", "DELETE", &serve.url("/api/messages")]), "{\n  \"deleted\": 2\n}\n");

    let mut python = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/web_client.py"))
        .arg(serve.url(""))
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python3");
    let mut out = BufReader::new(python.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "waiting\n");
    std::thread::sleep(Duration::from_millis(200));
    serve.send("shop@example.com", &["ann@example.com"], &showcase::plain("From Python", "ann@example.com"));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert!(python.wait().unwrap().success(), "{rest}");
    snapshot("web_api_python", &rest);
}

#[test]
fn mailtest_assert_exits_0_or_1_with_the_report() {
    let serve = with_two();
    let server = serve.url("");
    let run = |args: &[&str]| {
        let output =
            Command::new(BIN).arg("assert").arg("--server").arg(&server).args(args).output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };

    let (code, stdout, _) = run(&["--to", "bob@example.com", "--subject", "Welcome, Bob"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        "mailtest: ok: exactly 1 email matching to=\"bob@example.com\", subject=\"Welcome, Bob\"\n"
    );

    let (code, _, stderr) =
        run(&["--to", "bob@example.com", "--subject", "Welcome, Rob", "--within", "200ms"]);
    assert_eq!(code, Some(1));
    snapshot("cli_assert_near_miss", &stderr);

    let (code, _, stderr) = run(&["--from", "shop@example.com"]);
    assert_eq!(code, Some(1), "two match, one expected");
    assert!(stderr.starts_with("expected exactly 1 email matching from=\"shop@example.com\"; found 2:\n  #1 from shop@example.com to ann@example.com: \"Your order"), "{stderr}");
    assert_eq!(run(&["--from", "shop@example.com", "--count", "2"]).0, Some(0));
    assert_eq!(run(&["--to", "carl@example.com", "--count", "0"]).0, Some(0));

    // A late email: assert waits for it.
    let late = {
        let serve_port = serve.smtp_port;
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let raw = showcase::plain("Late", "dan@example.com");
            let envelope =
                lettre::address::Envelope::new(None, vec!["dan@example.com".parse().unwrap()]).unwrap();
            let mailer = lettre::SmtpTransport::builder_dangerous("127.0.0.1").port(serve_port).build();
            lettre::Transport::send_raw(&mailer, &envelope, &raw).unwrap();
        })
    };
    assert_eq!(run(&["--to", "dan@example.com", "--within", "20s"]).0, Some(0));
    late.join().unwrap();

    let output = Command::new(BIN)
        .args(["assert", "--server", "http://127.0.0.1:1", "--to", "a@example.com"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).starts_with("mailtest: cannot reach http://127.0.0.1:1: ")
    );
    let output = Command::new(BIN).args(["assert", "--to", "a@example.com"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "bad arguments");
}

#[test]
fn show_html_writes_the_report_of_a_message_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("showcase.eml");
    std::fs::write(&file, showcase::showcase("http://127.0.0.1:9")).unwrap();
    let out = dir.path().join("report");
    let output =
        Command::new(BIN).arg("show").arg("--html").arg(&file).arg("--out").arg(&out).output().unwrap();

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let index = std::path::absolute(out.join("index.html")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("mailtest: wrote {} (1 email)\n", index.display())
    );
    assert!(std::fs::read_to_string(&index).unwrap().contains("Your order &lt;script&gt;"));
    assert_eq!(std::fs::read(out.join("01.eml")).unwrap(), std::fs::read(&file).unwrap());
}
