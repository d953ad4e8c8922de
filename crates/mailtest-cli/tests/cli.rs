//! The `mailtest` binary: `serve` prints and files what it receives, `show`
//! reads a file back, and bad arguments exit with status 2 and say why.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::{Message, SmtpTransport, Transport};

const BIN: &str = env!("CARGO_BIN_EXE_mailtest");

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// A fresh directory under the system's temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("mailtest-cli-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn bad_arguments_exit_2_and_say_what_is_wrong() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "mailtest: no command given"),
        (&["send"], "mailtest: unknown command \"send\": use serve, show or assert"),
        (&["serve", "--port", "lots"], "mailtest: --port \"lots\" is not a port number (0-65535)"),
        (&["serve", "--port", "70000"], "mailtest: --port \"70000\" is not a port number (0-65535)"),
        (&["serve", "--host", "localhost"], "mailtest: --host \"localhost\" is not an IP address"),
        (&["serve", "--dir"], "mailtest: --dir needs a value"),
        (&["serve", "--verbose", "1"], "mailtest: unknown option \"--verbose\" for serve"),
        (&["show"], "mailtest: show needs a FILE"),
        (&["show", "a.eml", "b.eml"], "mailtest: show takes one FILE, got a.eml b.eml"),
        (&["show", "--html"], "mailtest: show --html needs a FILE"),
        (&["show", "--html", "a.eml", "--out"], "mailtest: --out needs a value"),
        (&["serve", "--http", "web"], "mailtest: --http \"web\" is not a port number (0-65535)"),
        (
            &["serve", "--cap", "0"],
            "mailtest: --cap \"0\" is not a number of messages from 1 (each namespace's limit)",
        ),
        (
            &["assert", "--server", "http://127.0.0.1:1", "--namespace", "a b"],
            "mailtest: --namespace: \"a b\" is not a namespace name: 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'",
        ),
        (
            &["assert", "--server", "https://127.0.0.1:1"],
            "mailtest: --server \"https://127.0.0.1:1\" must be an http:// URL (mailtest serve --http speaks plain HTTP)",
        ),
        (
            &["assert", "--server", "http://127.0.0.1:1", "--within", "soon"],
            "mailtest: --within \"soon\" is not a duration like 10s, 500ms or 2m",
        ),
    ];
    for (args, expected) in cases {
        let output = Command::new(BIN).args(*args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr.lines().next(), Some(*expected), "{args:?}");
        assert!(stderr.contains("usage:"), "{args:?}");
    }
}

#[test]
fn every_command_answers_help_and_version() {
    let version = format!("mailtest {}\n", env!("CARGO_PKG_VERSION"));
    let cases: &[(&[&str], &str)] = &[
        (&["--help"], "  mailtest serve "),
        (&["-h"], "  mailtest assert "),
        (&["help"], "  mailtest show "),
        (&["help", "assert"], "  mailtest assert "),
        (&["serve", "--help"], "  mailtest serve "),
        (&["serve", "--port", "25", "-h"], "  mailtest serve "),
        (&["show", "-h"], "  mailtest show FILE"),
        (&["show", "--html", "--help"], "  mailtest show --html FILE"),
        (&["assert", "--help"], "  mailtest assert --server"),
        (&["assert", "--server", "http://127.0.0.1:1", "-h"], "  mailtest assert --server"),
    ];
    for (args, shown) in cases {
        let output = Command::new(BIN).args(*args).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.starts_with("usage:\n") && stdout.contains(shown), "{args:?}:\n{stdout}");
        assert!(output.stderr.is_empty(), "{args:?}");
    }
    let only_serve = Command::new(BIN).args(["serve", "--help"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&only_serve.stdout).contains("mailtest show"), "a command's own usage");

    for args in
        [&["--version"][..], &["-V"], &["serve", "--version"], &["show", "-V"], &["assert", "--version"]]
    {
        let output = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), version, "{args:?}");
    }
    // A value that happens to read like a flag is a value.
    let subject = Command::new(BIN).args(["assert", "--subject", "-h"]).output().unwrap();
    assert_eq!(subject.status.code(), Some(2), "--server is still missing");
}

#[test]
fn errors_of_the_library_are_prefixed_once() {
    let dir = TempDir::new("not-a-dir");
    std::fs::write(&dir.0, "a file").unwrap();

    let output = Command::new(BIN).args(["serve", "--dir"]).arg(&dir.0).output().unwrap();

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr.lines().next(),
        Some(
            format!(
                "mailtest: could not use the mail directory {}: it exists and is not a directory",
                dir.0.display()
            )
            .as_str()
        ),
    );
    let _ = std::fs::remove_file(&dir.0);
}

#[test]
fn show_of_a_missing_file_exits_1_naming_it() {
    let output = Command::new(BIN).args(["show", "/nonexistent/message.eml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("mailtest: cannot read /nonexistent/message.eml: "), "{stderr}");
}

/// `mailtest serve --port 0 --dir DIR`: the child, its output (past the
/// banner) line by line, the banner and the port it announced.
fn serve(dir: &TempDir) -> (Child, Receiver<String>, String, u16) {
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--dir"])
        .arg(&dir.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    stdout.read_line(&mut banner).unwrap();
    let port: u16 = banner
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {banner:?}"));
    // Read on a thread, so a test waiting for output that never comes fails
    // after a while instead of hanging.
    let (lines, output) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines() {
            let Ok(line) = line else { return };
            if lines.send(line).is_err() {
                return;
            }
        }
    });
    (child, output, banner, port)
}

/// Printed messages until `n` separator lines have gone by (at most 30 s).
fn printed_messages(output: &Receiver<String>, n: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut printed = String::new();
    while printed.lines().filter(|line| line.starts_with("--------------------")).count() < n {
        let wait = deadline.saturating_duration_since(Instant::now());
        match output.recv_timeout(wait) {
            Ok(line) => {
                printed.push_str(&line);
                printed.push('\n');
            }
            Err(_) => {
                panic!("serve printed {n} message(s) neither in 30 s nor before it stopped:\n{printed}")
            }
        }
    }
    printed
}

#[test]
fn serve_prints_and_files_each_message_and_show_reads_one_back() {
    let dir = TempDir::new("serve");
    let (mut child, stdout, banner, port) = serve(&dir);

    let mailer = SmtpTransport::builder_dangerous("127.0.0.1").port(port).build();
    let welcome = Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to("Zoë <zoe@example.com>".parse().unwrap())
        .cc("sales@example.com".parse().unwrap())
        .bcc("audit@example.com".parse().unwrap())
        .subject("Grüße")
        .body(String::from("Hello Zoë,\nwelcome.\n"))
        .unwrap();
    let bye = Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to("bob@example.com".parse().unwrap())
        .subject("Goodbye")
        .body(String::from("the last line\n"))
        .unwrap();
    let logo = Attachment::new_inline(String::from("logo@shop"))
        .body(b"\x89PNG".to_vec(), ContentType::parse("image/png").unwrap());
    let picks = Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Your picks")
        .multipart(
            MultiPart::related()
                .singlepart(SinglePart::html(String::from("<img src=\"cid:logo@shop\" alt=\"Shop\">\n")))
                .singlepart(logo),
        )
        .unwrap();
    mailer.send(&welcome).unwrap();
    mailer.send(&bye).unwrap();
    mailer.send(&picks).unwrap();

    // The console backend ends each message with a separator line.
    let printed = printed_messages(&stdout, 3);
    child.kill().unwrap();
    child.wait().unwrap();

    assert!(banner.ends_with(&format!("; filing messages in {}\n", dir.0.display())), "{banner}");
    // The console shows the Date lettre set: the one value that changes run to run.
    let printed = regex_lite::Regex::new(r"(?m)^Date: .*$").unwrap().replace_all(&printed, "Date: [date]");
    snapshot("cli_serve_output", &printed);
    // Filed as the file backend files: Outbox::load reads it back, envelope and Bcc included.
    let filed = mailtest::Outbox::load(&dir.0).unwrap();
    let zoe = filed.find().to("zoe@example.com").subject("Grüße").one();
    assert_eq!(zoe.bcc(), ["audit@example.com"]);
    filed.find().to("bob@example.com").subject("Goodbye").one();
    filed.find().to("ann@example.com").has_inline("logo@shop").one();
    let files: Vec<PathBuf> = std::fs::read_dir(&dir.0).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "one mbox file for the run: {files:?}");

    let shown = Command::new(BIN).arg("show").arg(&files[0]).output().unwrap();
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    snapshot("cli_show_output", &String::from_utf8_lossy(&shown.stdout));
}

#[test]
fn serve_prints_and_files_what_a_lettre_envelope_cannot_hold() {
    let dir = TempDir::new("postmaster");
    let (mut child, stdout, _, port) = serve(&dir);
    // RFC 5321 requires `<postmaster>` to be accepted; a quoted local part
    // may hold a comma. Neither is a lettre `Address`.
    let data = "Subject: bounce\r\n\r\nundeliverable\r\n";
    let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    client
        .write_all(
            format!(
                "EHLO c.test\r\nMAIL FROM:<>\r\nRCPT TO:<postmaster>\r\nRCPT TO:<\"doe, john\"@example.com>\r\n\
                 DATA\r\n{data}.\r\nQUIT\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let mut replies = String::new();
    client.read_to_string(&mut replies).unwrap();
    assert!(replies.contains("250 2.0.0 OK: message accepted"), "{replies}");

    let printed = printed_messages(&stdout, 1);
    child.kill().unwrap();
    child.wait().unwrap();

    assert!(
        printed.starts_with(
            "Envelope-From: <>\nEnvelope-To: postmaster, \"doe, john\"@example.com\nSubject: bounce\n"
        ),
        "{printed}"
    );
    let filed = mailtest::Outbox::load(&dir.0).unwrap();
    let emails = filed.emails();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].envelope_from(), None);
    assert_eq!(emails[0].envelope_to(), ["postmaster", "\"doe, john\"@example.com"]);
    assert_eq!(emails[0].raw(), data.as_bytes());
}

/// `mailtest serve --port 0 --http 0` and more options: its banner lines,
/// its two ports, HTTP and SMTP clients, and a kill on drop.
struct Served {
    child: Child,
    banner: Vec<String>,
    smtp: u16,
    http: u16,
}

impl Served {
    fn start(options: &[&str]) -> Served {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--http", "0"])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut banner = Vec::new();
        while !banner.last().is_some_and(|line: &String| line.starts_with("mailtest: web UI on ")) {
            let mut line = String::new();
            assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "serve ended after {banner:?}");
            banner.push(line.trim_end().to_owned());
        }
        // Keep reading, so the console never blocks the server.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let port = |line: &str, after: &str| -> u16 {
            let rest = line.split(after).nth(1).unwrap();
            rest.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
        };
        let smtp = port(&banner[0], "127.0.0.1:");
        let http = port(banner.last().unwrap(), "http://127.0.0.1:");
        Served { child, banner, smtp, http }
    }

    /// `METHOD path`: the status and the body, as JSON when it is.
    fn http(&self, method: &str, path: &str) -> (u16, serde_json::Value) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.http)).unwrap();
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response.split_once("\r\n\r\n").unwrap().1;
        (status, serde_json::from_str(body).unwrap_or_else(|_| body.into()))
    }

    /// The subjects `path` lists.
    fn subjects(&self, path: &str) -> Vec<String> {
        let (status, list) = self.http("GET", path);
        assert_eq!(status, 200, "{path}: {list}");
        list.as_array().unwrap().iter().map(|m| m["subject"].as_str().unwrap().to_owned()).collect()
    }

    fn send(&self, to: &[&str], subject: &str) -> Result<(), lettre::transport::smtp::Error> {
        let mut message = Message::builder().from("app@example.com".parse().unwrap()).subject(subject);
        for to in to {
            message = message.to(to.parse().unwrap());
        }
        let mailer = SmtpTransport::builder_dangerous("127.0.0.1").port(self.smtp).build();
        mailer.send(&message.body(String::from("hello\n")).unwrap()).map(drop)
    }

    fn stop(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn namespaces_keep_mail_apart_deletes_reach_the_disk_and_a_restart_lists_the_rest() {
    let dir = TempDir::new("namespaces");
    let served = Served::start(&["--dir", dir.0.to_str().unwrap()]);
    served.send(&["ann@example.com"], "plain").unwrap();
    served.send(&["ann+ci7@example.com"], "order 42 shipped").unwrap();
    served.send(&["bob+CI7@example.com", "carl+ci8@example.com"], "to two namespaces").unwrap();

    let (_, namespaces) = served.http("GET", "/api/namespaces");
    let counts: Vec<(&str, u64)> = namespaces
        .as_array()
        .unwrap()
        .iter()
        .map(|ns| (ns["name"].as_str().unwrap(), ns["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("default", 1), ("ci7", 2), ("ci8", 1)]);
    assert_eq!(served.subjects("/api/messages"), ["plain"]);
    assert_eq!(served.subjects("/ns/ci7/api/messages"), ["order 42 shipped", "to two namespaces"]);
    assert_eq!(served.subjects("/ns/ci7/api/messages?q=subject:%22order+42%22"), ["order 42 shipped"]);
    assert_eq!(served.http("GET", "/ns/ci7/api/messages?q=nosuch:x").0, 400);

    assert_eq!(served.http("DELETE", "/ns/ci7/api/messages/2").0, 200);
    assert_eq!(served.http("DELETE", "/ns/ci7/api/messages/2").0, 404, "deleted once");
    assert_eq!(served.subjects("/ns/ci7/api/messages"), ["order 42 shipped"]);
    assert_eq!(served.http("DELETE", "/ns/ci8/api/messages").1["deleted"], 1);
    served.stop();

    let again = Served::start(&["--dir", dir.0.to_str().unwrap()]);
    assert_eq!(
        again.banner[1],
        format!("mailtest: reloaded 2 messages from {} (default 1, ci7 1)", dir.0.display())
    );
    assert_eq!(again.subjects("/api/messages"), ["plain"]);
    assert_eq!(again.subjects("/ns/ci7/api/messages"), ["order 42 shipped"]);
    assert!(again.subjects("/ns/ci8/api/messages").is_empty());
    // The default namespace is filed as serve always filed: Outbox::load reads it.
    mailtest::Outbox::load(&dir.0).unwrap().find().subject("plain").one();
}

#[test]
fn a_full_namespace_refuses_new_mail_with_452_and_the_others_take_theirs() {
    let served = Served::start(&["--cap", "2"]);
    served.send(&["a+full@example.com"], "one").unwrap();
    served.send(&["b+full@example.com"], "two").unwrap();

    let refused = served.send(&["a+full@example.com"], "three").unwrap_err();
    assert!(refused.is_transient(), "{refused}");
    assert!(
        refused
            .to_string()
            .contains("namespace \"full\" is full: it holds 2 messages, its cap (mailtest serve --cap)"),
        "{refused}"
    );
    served.send(&["a+other@example.com"], "elsewhere").unwrap();
    assert_eq!(served.subjects("/ns/full/api/messages"), ["one", "two"], "nothing dropped, nothing added");

    served.http("DELETE", "/ns/full/api/messages/1");
    served.send(&["a+full@example.com"], "three").unwrap();
    assert_eq!(served.subjects("/ns/full/api/messages"), ["two", "three"]);
    let server = format!("http://127.0.0.1:{}", served.http);
    let asserted = Command::new(BIN)
        .args(["assert", "--server", &server, "--namespace", "full", "--subject", "three"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&asserted.stdout),
        "mailtest: ok: exactly 1 email in namespace full matching subject=\"three\"\n"
    );
    assert_eq!(served.http("GET", "/api/namespaces").1[1]["cap"], 2);
}

#[test]
fn a_wait_above_the_maximum_is_refused_and_a_client_that_hangs_up_frees_its_waiter_at_once() {
    let served = Served::start(&[]);
    let (status, body) = served.http("GET", "/api/wait?timeout=999");
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("timeout 999 is above the maximum of 300 seconds"))
    );

    let waiting = || -> u64 {
        let (_, namespaces) = served.http("GET", "/api/namespaces");
        let ns = namespaces.as_array().unwrap().iter().find(|ns| ns["name"] == "w").cloned();
        ns.map_or(0, |ns| ns["waiting"].as_u64().unwrap())
    };
    let until = |wanted: u64, within: Duration| {
        let deadline = Instant::now() + within;
        while waiting() != wanted {
            assert!(Instant::now() < deadline, "still not {wanted} waiter(s) after {within:?}");
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    let mut client = TcpStream::connect(("127.0.0.1", served.http)).unwrap();
    write!(client, "GET /ns/w/api/wait?timeout=120 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    until(1, Duration::from_secs(10));
    let hung_up = Instant::now();
    drop(client);
    until(0, Duration::from_secs(2));
    assert!(hung_up.elapsed() < Duration::from_secs(2), "freed after {:?}", hung_up.elapsed());
}
