//! The backends that need no server: console, memory, dummy, a custom one,
//! and the rule that a bound capture wins over all of them.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use lettre::Transport;
use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
use mailtest::{ConsoleBackend, DummyBackend, EmailBackend, Error, Mailer, MemoryBackend, Settings};

/// A `Write` the test can read back.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().write(bytes)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

fn simple(subject: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject(subject)
        .body(String::from("Hello"))
        .unwrap()
}

/// A message with everything the console shows, and fixed volatile headers.
fn receipt() -> lettre::Message {
    lettre::Message::builder()
        .from("Café Shop <shop@example.com>".parse().unwrap())
        .to("Ann Ö <ann@example.com>".parse().unwrap())
        .cc("bob@example.com".parse().unwrap())
        .bcc("audit@example.com".parse().unwrap())
        .subject("Your receipt — №42")
        .date(UNIX_EPOCH + Duration::from_secs(1_704_164_645))
        .message_id(Some("<receipt-42@example.com>".to_owned()))
        .multipart(
            MultiPart::mixed()
                .multipart(MultiPart::alternative_plain_html(
                    String::from("Thank you, Ann.\nTotal: 12,50 €"),
                    String::from("<p>Thank you, <b>Ann</b>.</p><p>Total: 12,50 &euro;</p>"),
                ))
                .singlepart(
                    Attachment::new(String::from("receipt-42.pdf"))
                        .body(b"%PDF-1.4 fake".to_vec(), ContentType::parse("application/pdf").unwrap()),
                ),
        )
        .unwrap()
}

#[test]
fn console_output_reads_like_an_email() {
    let buffer = Buffer::default();
    let mailer = Mailer::new(ConsoleBackend::new(buffer.clone()));

    let second = lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Second")
        .date(UNIX_EPOCH + Duration::from_secs(1_704_164_700))
        .body(String::from("Hello"))
        .unwrap();

    mailer.send_messages(&[receipt(), second]).unwrap();

    let output = buffer.text();
    // Boundaries in the MIME plumbing are random; everything shown is stable.
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("console_backend_output", output);
    });
}

#[test]
fn console_shows_header_and_envelope_only_bcc_on_one_line() {
    let buffer = Buffer::default();
    let envelope = lettre::address::Envelope::new(
        Some("app@example.com".parse().unwrap()),
        vec![
            "ann@example.com".parse().unwrap(),
            "hidden@example.com".parse().unwrap(),
            "audit@example.com".parse().unwrap(),
        ],
    )
    .unwrap();

    ConsoleBackend::new(buffer.clone())
        .send_raw(&envelope, b"To: ann@example.com\r\nBcc: hidden@example.com\r\nSubject: Hi\r\n\r\nHello")
        .unwrap();

    let output = buffer.text();
    let bcc: Vec<&str> = output.lines().filter(|line| line.starts_with("Bcc")).collect();
    assert_eq!(bcc, ["Bcc: hidden@example.com, audit@example.com"], "{output}");
}

#[test]
fn console_messages_from_many_threads_never_interleave() {
    let buffer = Buffer::default();
    let mailer = Mailer::new(ConsoleBackend::new(buffer.clone()));

    std::thread::scope(|scope| {
        for thread in 0..4 {
            let mailer = &mailer;
            scope.spawn(move || {
                for n in 0..25 {
                    mailer.send_messages(&[simple(&format!("t{thread} n{n}"))]).unwrap();
                }
            });
        }
    });

    let output = buffer.text();
    let blocks: Vec<&str> =
        output.split_terminator("-----\n").filter(|b| !b.trim_matches('-').is_empty()).collect();
    assert_eq!(blocks.len(), 100);
    for block in blocks {
        assert_eq!(block.matches("Subject: ").count(), 1, "one message per block:\n{block}");
        assert!(block.contains("Hello"), "{block}");
    }
}

#[test]
fn console_write_failure_is_an_error() {
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let err = ConsoleBackend::new(Broken).send_messages(&[simple("Hi")]).unwrap_err();

    assert!(err.to_string().contains("disk full"), "{err}");
}

#[test]
fn memory_backend_uses_the_bound_outbox_and_routes() {
    let mailer = Mailer::from_settings(&Settings::from_vars([("EMAIL_BACKEND", "locmem")]).unwrap()).unwrap();
    let routed = mailtest::Outbox::new();
    let address = routed.unique_address("ann");
    let message = lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to(address.parse().unwrap())
        .body(String::from("routed"))
        .unwrap();

    // From a thread with nothing bound: the route delivers.
    let from_worker = {
        let mailer = mailer.clone();
        std::thread::spawn(move || mailer.send_messages(&[message])).join().unwrap()
    };
    // Nothing bound, no route: refused, not dropped. (To an address no other
    // test's query names, so no other report lists the refusal.)
    let lost = lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann.unbound@example.com".parse().unwrap())
        .subject("lost?")
        .body(String::from("Hello"))
        .unwrap();
    let refused = std::thread::spawn(move || mailer.send_messages(&[lost])).join().unwrap();

    assert_eq!(from_worker.unwrap(), 1);
    assert_eq!(routed.find().to(address.as_str()).one().text(), Some("routed"));
    assert!(matches!(refused, Err(Error::NoOutbox { .. })), "{refused:?}");
}

#[test]
fn dummy_accepts_and_discards() {
    let mailer = Mailer::from_settings(&Settings::from_vars([("EMAIL_BACKEND", "dummy")]).unwrap()).unwrap();

    let sent = mailer.send_messages(&[simple("a"), simple("b"), simple("c")]).unwrap();

    assert_eq!(sent, 3);
}

#[test]
fn a_bound_capture_wins_over_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let buffer = Buffer::default();
    let mailers = [
        ("smtp", Mailer::from_settings(&Settings::from_vars([("EMAIL_PORT", "9")]).unwrap()).unwrap()),
        ("console", Mailer::new(ConsoleBackend::new(buffer.clone()))),
        (
            "file",
            Mailer::from_settings(
                &Settings::from_vars([("EMAIL_BACKEND", "file"), ("EMAIL_FILE_PATH", path)]).unwrap(),
            )
            .unwrap(),
        ),
        ("memory", Mailer::new(MemoryBackend)),
        ("dummy", Mailer::new(DummyBackend)),
    ];
    let mail = mailtest::capture();

    for (name, mailer) in &mailers {
        mailer.send_messages(&[simple(name)]).unwrap();
        mailer.send(&simple(&format!("{name} via Transport"))).unwrap();
    }

    mail.assert_count(10);
    for (name, _) in &mailers {
        mail.find().subject(*name).one();
    }
    assert_eq!(buffer.text(), "", "nothing reached the console");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing reached the directory");
}

#[test]
fn mailer_is_a_lettre_transport_for_raw_bytes_too() {
    let buffer = Buffer::default();
    let mailer = Mailer::new(ConsoleBackend::new(buffer.clone()));
    let envelope = lettre::address::Envelope::new(
        Some("app@example.com".parse().unwrap()),
        vec!["ann@example.com".parse().unwrap()],
    )
    .unwrap();

    mailer.send_raw(&envelope, b"Subject: Raw\r\n\r\nbytes built elsewhere\r\n").unwrap();

    assert!(buffer.text().contains("Subject: Raw\n"), "{}", buffer.text());
}

/// A backend of one's own that only implements `send_messages`.
struct Counting(Mutex<Vec<String>>);

impl EmailBackend for Counting {
    fn send_messages(&self, messages: &[lettre::Message]) -> Result<usize, Error> {
        let mut seen = self.0.lock().unwrap();
        for message in messages {
            seen.push(message.headers().get_raw("Subject").unwrap_or_default().to_owned());
        }
        Ok(messages.len())
    }
}

#[test]
fn a_custom_backend_gets_messages_from_send_and_refuses_raw_bytes_clearly() {
    let backend = Arc::new(Counting(Mutex::new(Vec::new())));
    struct Shared(Arc<Counting>);
    impl EmailBackend for Shared {
        fn send_messages(&self, messages: &[lettre::Message]) -> Result<usize, Error> {
            self.0.send_messages(messages)
        }
    }
    let mailer = Mailer::new(Shared(backend.clone()));
    let envelope = simple("x").envelope().clone();

    mailer.send(&simple("via Transport::send")).unwrap();
    let raw = mailer.send_raw(&envelope, b"Subject: raw\r\n\r\n.");

    assert_eq!(*backend.0.lock().unwrap(), ["via Transport::send"]);
    let err = raw.unwrap_err();
    assert!(err.to_string().contains("not raw bytes"), "{err}");
}

#[test]
fn close_runs_when_the_last_clone_drops() {
    struct Session(Arc<Mutex<Vec<&'static str>>>);
    impl EmailBackend for Session {
        fn send_messages(&self, messages: &[lettre::Message]) -> Result<usize, Error> {
            Ok(messages.len())
        }
        fn open(&self) -> Result<(), Error> {
            self.0.lock().unwrap().push("open");
            Ok(())
        }
        fn close(&self) -> Result<(), Error> {
            self.0.lock().unwrap().push("close");
            Ok(())
        }
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let mailer = Mailer::new(Session(log.clone()));
    let clone = mailer.clone();

    mailer.open().unwrap();
    drop(mailer);
    let after_first_drop = log.lock().unwrap().clone();
    drop(clone);

    assert_eq!(after_first_drop, ["open"]);
    assert_eq!(*log.lock().unwrap(), ["open", "close"]);
}

#[test]
fn html_alternative_parts_render_on_the_console() {
    let buffer = Buffer::default();
    let message = lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Alt")
        .multipart(MultiPart::alternative().singlepart(SinglePart::html(String::from("<i>only html</i>"))))
        .unwrap();

    ConsoleBackend::new(buffer.clone()).send_messages(&[message]).unwrap();

    assert!(buffer.text().contains("[text/html]\n<i>only html</i>\n"), "{}", buffer.text());
}
