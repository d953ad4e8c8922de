//! Django's own email tests (`tests/mail/tests.py` and `test_backends.py`
//! in the Django repository) as the yardstick: their backend-level checks,
//! ported to Rust and run against mailtest's backends.
//!
//! Django runs its shared checks once per backend; so do these, for the
//! memory backend (Django's locmem), the file backend and the SMTP backend
//! against a real SMTP server nobody here wrote (Python's aiosmtpd). Each
//! test names the Django test it ports. The SMTP backend's own checks are in
//! `django_parity_smtp`; a custom backend chosen by name, which needs a
//! process of its own, is in `tests/registry.rs`. The README's Django
//! section lists what passes, what differs on purpose and why.

use lettre::message::header::ContentType;
use mailtest::{
    Capture, Email, Mailer, Outbox, Settings, mail_admins, mail_managers, send_mail, send_mass_mail,
};

use crate::aiosmtpd::Aiosmtpd;

/// Where a backend under test puts its mail, to be read back.
enum Mailbox {
    Memory(Capture),
    File(tempfile::TempDir),
    Smtp(Aiosmtpd),
}

/// One of Django's backends, made from settings as an application makes
/// it, with the mail it sent readable afterwards.
struct Backend {
    name: &'static str,
    mailer: Mailer,
    mailbox: Mailbox,
}

impl Backend {
    /// The memory, file and SMTP backends, each with the extra settings.
    /// The file and SMTP mailers bypass the capture: these tests are about
    /// the backends themselves.
    fn each(extra: &[(&str, &str)]) -> Vec<Backend> {
        vec![Backend::memory(extra), Backend::file(extra), Backend::smtp(extra)]
    }

    fn memory(extra: &[(&str, &str)]) -> Backend {
        let mut vars = vec![("EMAIL_BACKEND", "memory")];
        vars.extend_from_slice(extra);
        let mailer = Mailer::from_settings(&Settings::from_vars(vars).unwrap()).unwrap();
        Backend { name: "memory", mailer, mailbox: Mailbox::Memory(mailtest::capture()) }
    }

    fn file(extra: &[(&str, &str)]) -> Backend {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_str().unwrap().to_owned();
        let mut vars = vec![("EMAIL_BACKEND", "file"), ("EMAIL_FILE_PATH", path.as_str())];
        vars.extend_from_slice(extra);
        let mailer = Mailer::from_settings(&Settings::from_vars(vars).unwrap()).unwrap().bypass_capture();
        Backend { name: "file", mailer, mailbox: Mailbox::File(dir) }
    }

    fn smtp(extra: &[(&str, &str)]) -> Backend {
        let server = Aiosmtpd::start(&[]);
        let mailer = Mailer::from_settings(&server.settings(extra)).unwrap().bypass_capture();
        Backend { name: "smtp", mailer, mailbox: Mailbox::Smtp(server) }
    }

    /// The `n` messages the backend delivered, in order.
    fn emails(&self, n: usize) -> Vec<Email> {
        let emails = match &self.mailbox {
            Mailbox::Memory(capture) => capture.emails(),
            Mailbox::File(dir) => Outbox::load(dir.path()).unwrap().emails(),
            Mailbox::Smtp(server) => {
                let outbox = Outbox::new();
                for _ in 0..n {
                    let received = server.received();
                    let to: Vec<&str> = received.rcpt_tos.iter().map(String::as_str).collect();
                    outbox.capture_raw(Some(&received.mail_from), &to, &received.data);
                }
                outbox.emails()
            }
        };
        assert_eq!(emails.len(), n, "{}: messages delivered", self.name);
        emails
    }

    fn the_email(&self) -> Email {
        self.emails(1).remove(0)
    }
}

fn message(subject: &str, body: &str, from: &str, to: &str) -> lettre::Message {
    lettre::Message::builder()
        .from(from.parse().unwrap())
        .to(to.parse().unwrap())
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(String::from(body))
        .unwrap()
}

/// `test_send`: the body keeps its final newline, exactly once.
#[test]
fn send() {
    for backend in Backend::each(&[]) {
        let sent = backend
            .mailer
            .send_messages(&[message("Subject", "Content\n", "from@example.com", "to@example.com")])
            .unwrap();

        assert_eq!(sent, 1, "{}", backend.name);
        let email = backend.the_email();
        assert_eq!(email.subject(), Some("Subject"), "{}", backend.name);
        assert_eq!(email.text(), Some("Content\n"), "{}", backend.name);
        assert_eq!(email.from(), ["from@example.com"], "{}", backend.name);
        assert_eq!(email.to(), ["to@example.com"], "{}", backend.name);
    }
}

/// `test_send_unicode`.
#[test]
fn send_unicode() {
    for backend in Backend::each(&[]) {
        let unicode = message("Chère maman", "Je t'aime très fort\n", "from@example.com", "to@example.com");

        assert_eq!(backend.mailer.send_messages(&[unicode]).unwrap(), 1, "{}", backend.name);

        let email = backend.the_email();
        assert_eq!(email.subject(), Some("Chère maman"), "{}", backend.name);
        assert_eq!(email.text(), Some("Je t'aime très fort\n"), "{}", backend.name);
    }
}

/// `test_send_long_lines`: a line over 998 octets is sent in a 7-bit
/// encoding, so no line break is inserted into the text. (Django picks the
/// shorter of base64 and quoted-printable; lettre picks its own, so the
/// check is that the encoding is one of them and the text survives. The
/// body ends in a newline, as Python's email package makes every Django
/// body end: SMTP ends a message without one with a line break.)
#[test]
fn send_long_lines() {
    for line in ["В южных морях ".repeat(60), "I de sørlige hav ".repeat(58)] {
        assert!(line.len() > 998 && line.chars().count() < 998);
        let body = format!("{line}\n");
        for backend in Backend::each(&[]) {
            send_mail("Long", &body, "from@example.com", &["to@example.com"])
                .connection(&backend.mailer)
                .send()
                .unwrap();

            let email = backend.the_email();
            let encoding = email.header("Content-Transfer-Encoding").unwrap().to_ascii_lowercase();
            assert!(
                ["base64", "quoted-printable"].contains(&encoding.as_str()),
                "{}: {encoding}",
                backend.name
            );
            assert_eq!(email.header("MIME-Version"), Some("1.0"), "{}", backend.name);
            assert_eq!(email.mime_tree().charset(), Some("utf-8"), "{}", backend.name);
            assert_eq!(email.text(), Some(body.as_str()), "{}", backend.name);
        }
    }
}

/// `test_send_many`: two messages, counted and in order.
#[test]
fn send_many() {
    for backend in Backend::each(&[]) {
        let sent = backend
            .mailer
            .send_messages(&[
                message("1", "one", "from@example.com", "to-1@example.com"),
                message("2", "two", "from@example.com", "to-2@example.com"),
            ])
            .unwrap();

        assert_eq!(sent, 2, "{}", backend.name);
        let emails = backend.emails(2);
        assert_eq!(emails[0].to(), ["to-1@example.com"], "{}", backend.name);
        assert_eq!(emails[1].to(), ["to-2@example.com"], "{}", backend.name);
    }
}

/// `test_send_verbose_name`: a display name with non-ASCII letters.
#[test]
fn send_verbose_name() {
    for backend in Backend::each(&[]) {
        send_mail("Hi", "Hello", "\"Firstname Sürname\" <from@example.com>", &["to@example.com"])
            .connection(&backend.mailer)
            .send()
            .unwrap();

        let email = backend.the_email();
        assert_eq!(email.from()[0].name.as_deref(), Some("Firstname Sürname"), "{}", backend.name);
        assert_eq!(email.from(), ["from@example.com"], "{}", backend.name);
    }
}

/// `test_plaintext_send_mail` and `test_message_cc_header`'s headers, for
/// `send_mail`: `MIME-Version: 1.0`, text/plain in UTF-8, a `Date`.
#[test]
fn plaintext_send_mail() {
    for backend in Backend::each(&[]) {
        send_mail("Subject", "Content\n", "sender@example.com", &["nobody@example.com"])
            .connection(&backend.mailer)
            .send()
            .unwrap();

        let email = backend.the_email();
        assert_eq!(email.subject(), Some("Subject"), "{}", backend.name);
        assert_eq!(email.to(), ["nobody@example.com"], "{}", backend.name);
        assert_eq!(email.mime_tree().content_type(), "text/plain", "{}", backend.name);
        assert!(email.mime_tree().children().is_empty(), "{}: not multipart", backend.name);
        assert_eq!(email.text(), Some("Content\n"), "{}", backend.name);
        assert_eq!(email.header("MIME-Version"), Some("1.0"), "{}", backend.name);
        assert_eq!(email.header("Content-Transfer-Encoding"), Some("7bit"), "{}", backend.name);
        assert_eq!(email.mime_tree().charset(), Some("utf-8"), "{}", backend.name);
        assert!(email.date().is_some(), "{}", backend.name);
    }
}

/// `test_html_send_mail`, `test_html_mail_admins`, `test_html_mail_managers`:
/// text first, then HTML, each keeping its final newline; the staff
/// helpers put `[Django] ` before the subject.
#[test]
fn html_send_mail_admins_and_managers() {
    let staff = [("ADMINS", "nobody@example.com"), ("MANAGERS", "nobody@example.com")];
    for backend in Backend::each(&staff) {
        let mailer = &backend.mailer;
        send_mail("Subject", "Content\n", "sender@example.com", &["nobody@example.com"])
            .html_message("HTML Content\n")
            .connection(mailer)
            .send()
            .unwrap();
        mail_admins("Subject", "Content\n").html_message("HTML Content\n").connection(mailer).send().unwrap();
        mail_managers("Subject", "Content\n")
            .html_message("HTML Content\n")
            .connection(mailer)
            .send()
            .unwrap();

        let emails = backend.emails(3);
        let subjects: Vec<_> = emails.iter().map(|e| e.subject().unwrap()).collect();
        assert_eq!(subjects, ["Subject", "[Django] Subject", "[Django] Subject"], "{}", backend.name);
        for email in &emails {
            let parts: Vec<&str> = email.mime_tree().children().iter().map(|p| p.content_type()).collect();
            assert_eq!(parts, ["text/plain", "text/html"], "{}", backend.name);
            assert_eq!(
                (email.text(), email.html()),
                (Some("Content\n"), Some("HTML Content\n")),
                "{}",
                backend.name
            );
            assert_eq!(email.to(), ["nobody@example.com"], "{}", backend.name);
        }
    }
}

/// `test_mail_admins_and_managers`: the recipients as configured, a quoted
/// name with a comma included.
#[test]
fn mail_admins_and_managers() {
    let cases = ["\"Name, Full\" <test@example.com>", "test@example.com, other@example.com"];
    for value in cases {
        for backend in Backend::each(&[("ADMINS", value), ("MANAGERS", value)]) {
            mail_admins("subject", "content").connection(&backend.mailer).send().unwrap();
            mail_managers("subject", "content").connection(&backend.mailer).send().unwrap();

            for email in backend.emails(2) {
                let to: Vec<String> = email.to().iter().map(ToString::to_string).collect();
                let expected: Vec<String> = value
                    .parse::<lettre::message::Mailboxes>()
                    .unwrap()
                    .into_iter()
                    .map(|m| m.to_string())
                    .collect();
                assert_eq!(to, expected, "{}: {value}", backend.name);
            }
        }
    }
}

/// `test_empty_admins`: with nobody to write to, nothing is sent — and the
/// SMTP backend does not even connect (counted at the server).
#[test]
fn empty_admins_send_nothing_and_do_not_connect() {
    let sink = mailtest::SmtpSink::start().unwrap();
    let port = sink.port().to_string();
    let settings = Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", port.as_str())]).unwrap();
    let mailer = Mailer::from_settings(&settings).unwrap();

    let sent = [
        mail_admins("hi", "there").connection(&mailer).send().unwrap(),
        mail_managers("hi", "there").connection(&mailer).send().unwrap(),
    ];

    assert_eq!(sent, [0, 0]);
    assert_eq!(sink.sessions_started(), 0);
}

/// `test_wrong_admins_managers`: a value that is not a list of addresses is
/// refused, naming the setting — here when the settings are read, before
/// any mail.
#[test]
fn wrong_admins_managers() {
    for setting in ["ADMINS", "MANAGERS"] {
        for value in ["nobody", "Name <test@example.com", "(\"nobody\", \"nobody@example.com\")"] {
            let err = Settings::from_vars([(setting, value)]).unwrap_err();
            assert!(err.to_string().contains(setting), "{setting}={value}: {err}");
        }
    }
}

/// `test_idn_send`: non-ASCII domains leave in their ASCII form, From, To
/// and Cc, through every backend — and the SMTP server here does not offer
/// SMTPUTF8, so the envelope must be ASCII too.
#[test]
fn idn_send() {
    for backend in Backend::each(&[]) {
        assert_eq!(
            send_mail("Subject", "Content", "from@öäü.com", &["to@öäü.com"])
                .connection(&backend.mailer)
                .send(),
            Ok(1),
            "{}",
            backend.name
        );
        let with_cc = lettre::Message::builder()
            .from("from@öäü.com".parse().unwrap())
            .to("to@öäü.com".parse().unwrap())
            .cc("cc@öäü.com".parse().unwrap())
            .body(String::from("Content"))
            .unwrap();
        backend.mailer.send_messages(&[with_cc]).unwrap();

        let emails = backend.emails(2);
        assert_eq!(emails[1].header("Cc"), Some("cc@xn--4ca9at.com"), "{}", backend.name);
        for email in emails {
            assert_eq!(email.header("From"), Some("from@xn--4ca9at.com"), "{}", backend.name);
            assert_eq!(email.header("To"), Some("to@xn--4ca9at.com"), "{}", backend.name);
            assert!(email.raw().is_ascii(), "{}", backend.name);
            assert_eq!(email.envelope_from(), Some("from@xn--4ca9at.com"), "{}", backend.name);
            // And a test can write the address either way.
            assert_eq!(email.to(), ["to@öäü.com"], "{}", backend.name);
        }
    }
}

/// `test_address_header_handling`: display names kept, domains in ASCII,
/// domains already in ASCII form (IDNA 2008 included) left as they are.
#[test]
fn address_header_handling() {
    let cases = [
        ("to@example.com", None, "to@example.com"),
        ("A name <to@example.com>", Some("A name"), "to@example.com"),
        ("\"Comma, requires quotes\" <to@example.com>", Some("Comma, requires quotes"), "to@example.com"),
        ("to@éxample.com", None, "to@xn--xample-9ua.com"),
        ("To Example <to@éxample.com>", Some("To Example"), "to@xn--xample-9ua.com"),
        ("to@xn--fa-hia.example.com", None, "to@xn--fa-hia.example.com"),
        (
            "\"Display, Name\" <to@xn--nxasmm1c.example.com>",
            Some("Display, Name"),
            "to@xn--nxasmm1c.example.com",
        ),
        ("Tó Example <to@example.com>", Some("Tó Example"), "to@example.com"),
        ("To Example <to@exampl€.com>", Some("To Example"), "to@xn--exampl-nc1c.com"),
    ];
    let backend = Backend::memory(&[]);
    for (address, _, _) in cases {
        send_mail("Hi", "Hello", "from@example.com", &[address]).connection(&backend.mailer).send().unwrap();
    }

    for (email, (address, name, addr_spec)) in backend.emails(cases.len()).iter().zip(cases) {
        let to = &email.to()[0];
        assert_eq!((to.name.as_deref(), to.address.as_str()), (name, addr_spec), "{address}");
    }
}

/// `test_header_injection`, `test_address_header_injection` and locmem's
/// `test_validate_multiline_headers`: a line break in a header value is
/// refused, naming the header — even when failing silently, as it is a bug
/// in the calling code — and nothing is sent.
#[test]
fn header_injection() {
    let mail = mailtest::capture();
    let cases = [
        ("Subject\nInjection Test", "from@example.com", "to@example.com", "Subject"),
        ("Subject\r\nBcc: evil@example.com", "from@example.com", "to@example.com", "Subject"),
        ("Subject", "from@example.com", "Name\nInjection <to@example.com>", "To"),
        ("Subject", "\"Name\rInjection\" <from@example.com>", "to@example.com", "From"),
        ("Subject", "from@example.com", "to\ninjection@example.com", "To"),
    ];
    for (subject, from, to, header) in cases {
        let err = send_mail(subject, "Content", from, &[to]).fail_silently(true).send().unwrap_err();
        assert!(matches!(&err, mailtest::Error::BadHeader { name, .. } if name == header), "{err:?}");
        assert!(err.to_string().contains("line break"), "{err}");
    }
    mail.assert_empty();
}

/// `test_avoids_sending_to_invalid_addresses`: addresses that are not one
/// mailbox never reach an SMTP command — lettre refuses to parse them.
#[test]
fn avoids_sending_to_invalid_addresses() {
    let mail = mailtest::capture();
    for address in ["to@other.com@example.com", "to@other.com <to@example.com>", "@", "to@", "@example.com"] {
        let err = send_mail("Hi", "Hello", "from@example.com", &[address]).send().unwrap_err();
        assert!(matches!(err, mailtest::Error::InvalidAddress { .. }), "{address}: {err:?}");
    }
    mail.assert_empty();
}

/// `test_dummy_backend` / `test_send_messages_returns_sent_count`.
#[test]
fn dummy_returns_sent_count() {
    let mailer = Mailer::new(mailtest::DummyBackend).bypass_capture();
    let email = message("Hi", "Hello", "from@example.com", "to@example.com");

    assert_eq!(mailer.send_messages(&[email.clone(), email.clone(), email]).unwrap(), 3);
}

/// `test_locmem_shared_messages`: two memory mailers fill the same outbox.
#[test]
fn locmem_shared_messages() {
    let mail = mailtest::capture();
    let email = message("Hi", "Hello", "from@example.com", "to@example.com");

    Mailer::new(mailtest::MemoryBackend).send_messages(std::slice::from_ref(&email)).unwrap();
    Mailer::new(mailtest::MemoryBackend).send_messages(&[email]).unwrap();

    mail.assert_count(2);
}

/// `test_adds_sent_using_property`: the captured email records which named
/// mailer sent it; a mailer made in code has no name.
#[test]
fn sent_using() {
    let settings = Settings::from_vars([
        ("EMAIL_BACKEND", "memory"),
        ("MAILERS", "custom"),
        ("MAILER_CUSTOM_EMAIL_BACKEND", "memory"),
    ])
    .unwrap();
    let mail = mailtest::capture();
    let email = message("Hi", "Hello", "from@example.com", "to@example.com");

    Mailer::using(&settings, "custom").unwrap().send_messages(std::slice::from_ref(&email)).unwrap();
    Mailer::from_settings(&settings).unwrap().send_messages(std::slice::from_ref(&email)).unwrap();
    Mailer::new(mailtest::MemoryBackend).send_messages(&[email]).unwrap();

    let sent_using: Vec<Option<String>> =
        mail.emails().iter().map(|e| e.sent_using().map(str::to_owned)).collect();
    assert_eq!(sent_using, [Some("custom".to_owned()), Some("default".to_owned()), None]);
}

/// `test_connection_arg_send_mail`, `_send_mass_mail`, `_mail_admins`,
/// `_mail_managers`: a given connection gets the mail, not the default
/// backend. Here a capture claims every mailer's mail, so the connection's
/// backend sees it only when the mailer bypasses the capture (a deliberate
/// difference: a test never sends by accident). The helpers take `ADMINS`
/// and `MANAGERS` from the connection's settings.
#[test]
fn connection_arg_send_mail_mass_admins_managers() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings::from_vars([
        ("EMAIL_BACKEND", "file"),
        ("EMAIL_FILE_PATH", dir.path().to_str().unwrap()),
        ("ADMINS", "nobody@example.com"),
        ("MANAGERS", "nobody@example.com"),
    ])
    .unwrap();
    let mail = mailtest::capture(); // Django's locmem outbox: must stay empty
    let connection = Mailer::from_settings(&settings).unwrap().bypass_capture();

    send_mail("Subject", "Content", "from@example.com", &["to@example.com"])
        .connection(&connection)
        .send()
        .unwrap();
    send_mass_mail(&[
        ("Subject1", "Content1", "from1@example.com", &["to1@example.com"]),
        ("Subject2", "Content2", "from2@example.com", &["to2@example.com"]),
    ])
    .connection(&connection)
    .send()
    .unwrap();
    mail_admins("Admin message", "Content").connection(&connection).send().unwrap();
    mail_managers("Manager message", "Content").connection(&connection).send().unwrap();

    mail.assert_empty();
    let subjects: Vec<String> =
        Outbox::load(dir.path()).unwrap().emails().iter().map(|e| e.subject().unwrap().to_owned()).collect();
    assert_eq!(
        subjects,
        ["Subject", "Subject1", "Subject2", "[Django] Admin message", "[Django] Manager message"]
    );
}

/// `test_dont_mangle_from_in_body`: a line starting "From " survives every
/// backend — the file backend's mbox escapes it and reads it back.
#[test]
fn dont_mangle_from_in_body() {
    for backend in Backend::each(&[]) {
        send_mail("Hi", "From the future\n>From the past\n", "from@example.com", &["to@example.com"])
            .connection(&backend.mailer)
            .send()
            .unwrap();

        assert_eq!(backend.the_email().text(), Some("From the future\n>From the past\n"), "{}", backend.name);
    }
}

/// `test_body_content_transfer_encoding`: ASCII goes as 7bit; other text in
/// an encoding that keeps it intact (Django: 8bit for short Latin lines;
/// lettre picks 8bit or quoted-printable — the text arrives the same).
#[test]
fn body_content_transfer_encoding() {
    let backend = Backend::memory(&[]);
    let bodies = [
        ("Body with only ASCII characters.", &["7bit"][..]),
        ("Body with latin characters: àáä.", &["8bit", "quoted-printable", "base64"][..]),
    ];
    for (body, _) in bodies {
        send_mail("Hi", body, "from@example.com", &["to@example.com"])
            .connection(&backend.mailer)
            .send()
            .unwrap();
    }

    for (email, (body, encodings)) in backend.emails(2).iter().zip(bodies) {
        let encoding = email.header("Content-Transfer-Encoding").unwrap().to_ascii_lowercase();
        assert!(encodings.contains(&encoding.as_str()), "{body}: {encoding}");
        assert_eq!(email.text(), Some(body));
    }
}

/// `MailTimeZoneTests.test_date_header_utc`: by default `Date` is in UTC,
/// written `+0000`. (`test_date_header_localtime` needs a time zone for the
/// process: `backend_process` runs a program with `TZ` set.)
#[test]
fn date_header_utc() {
    let backend = Backend::memory(&[]);
    send_mail("Hi", "Hello", "from@example.com", &["to@example.com"])
        .connection(&backend.mailer)
        .send()
        .unwrap();

    assert!(backend.the_email().header("Date").unwrap().ends_with("+0000"));
}

/// File backend: `test_new_file_per_instance`, `test_shared_connection_uses_same_file`,
/// `test_reopen_uses_same_file`.
#[test]
fn file_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let files = || std::fs::read_dir(dir.path()).unwrap().count();
    let mailer = || Mailer::new(mailtest::FileBackend::new(dir.path()).unwrap()).bypass_capture();
    let email = message("Hi", "Hello", "from@example.com", "to@example.com");

    mailer().send_messages(std::slice::from_ref(&email)).unwrap();
    mailer().send_messages(std::slice::from_ref(&email)).unwrap();
    assert_eq!(files(), 2, "a file per instance");

    let shared = mailer();
    shared.open().unwrap();
    shared.send_messages(std::slice::from_ref(&email)).unwrap();
    shared.send_messages(std::slice::from_ref(&email)).unwrap();
    shared.close().unwrap();
    shared.open().unwrap();
    shared.send_messages(&[email]).unwrap();
    shared.close().unwrap();
    assert_eq!(files(), 3, "one file for an instance, reopened too");
    assert_eq!(Outbox::load(dir.path()).unwrap().len(), 5);
}

/// Console: `test_console_stream_kwarg` — any stream; the headers and a
/// `Date` are shown (decoded: mailtest's console is for reading, see the
/// README).
#[test]
fn console_stream() {
    #[derive(Clone, Default)]
    struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().write(bytes)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let mailer = Mailer::new(mailtest::ConsoleBackend::new(buffer.clone())).bypass_capture();

    send_mail("Subject", "Content", "from@example.com", &["to@example.com"])
        .connection(&mailer)
        .send()
        .unwrap();

    let printed = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    for line in ["\nTo: to@example.com\n", "\nFrom: from@example.com\n", "\nSubject: Subject\n", "\nDate: "] {
        assert!(printed.contains(line), "{line:?} in {printed}");
    }
}

/// `test_close_connection` (closing a mailer never opened) and
/// `test_fail_silently` (a mailer can be made to fail silently).
#[test]
fn close_without_open_and_fail_silently() {
    for backend in Backend::each(&[]) {
        backend.mailer.close().unwrap();
    }
    let silent = Mailer::new(mailtest::MemoryBackend).fail_silently(true);
    let refused = std::thread::spawn(move || {
        silent.send_messages(&[message("Hi", "Hello", "from@example.com", "to@example.com")])
    })
    .join()
    .unwrap();
    assert_eq!(refused, Ok(0), "nothing bound on that thread: refused, silently");
}

/// `get_connection("django.core.mail.backends.<name>.EmailBackend")`: the
/// dotted names choose the same backends.
#[test]
fn backend_arg_dotted_names() {
    use mailtest::BackendKind;
    let cases = [
        ("django.core.mail.backends.smtp.EmailBackend", BackendKind::Smtp),
        ("django.core.mail.backends.locmem.EmailBackend", BackendKind::Memory),
        ("django.core.mail.backends.dummy.EmailBackend", BackendKind::Dummy),
        ("django.core.mail.backends.console.EmailBackend", BackendKind::Console),
        ("django.core.mail.backends.filebased.EmailBackend", BackendKind::File),
    ];
    for (name, kind) in cases {
        assert_eq!(name.parse::<BackendKind>().unwrap(), kind, "{name}");
    }
}

/// The wording of the errors these checks meet, pinned: a header with a
/// line break, a mailer name or a mailer setting that does not exist, a
/// named mailer without its host or its path, every recipient refused.
#[test]
fn error_wording() {
    let sink = mailtest::SmtpSink::builder()
        .refuse_recipient("ann@example.com", 550, "5.1.1 no such user")
        .refuse_recipient("bob@example.com", 452, "4.2.2 mailbox full")
        .start()
        .unwrap();
    let port = sink.port().to_string();
    let settings = Settings::from_vars([
        ("EMAIL_HOST", "127.0.0.1"),
        ("EMAIL_PORT", port.as_str()),
        ("MAILERS", "bulk"),
        ("MAILER_BULK_HOST", "relay.example.com"),
    ])
    .unwrap();
    let mailer = Mailer::from_settings(&settings).unwrap();
    let errors = [
        send_mail("Hello\r\nBcc: everyone@example.com", "Hi", "app@example.com", &["ann@example.com"])
            .send()
            .unwrap_err(),
        Mailer::using(&settings, "bluk").unwrap_err(),
        Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BLUK_EMAIL_HOST", "relay.example.com")])
            .unwrap_err(),
        Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BULK_EMAIL_HOTS", "relay.example.com")])
            .unwrap_err(),
        Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BULK_PORT", "2525")]).unwrap_err(),
        Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BULK_BACKEND", "file")]).unwrap_err(),
        mailer
            .send_messages(&[lettre::Message::builder()
                .from("app@example.com".parse().unwrap())
                .to("ann@example.com".parse().unwrap())
                .to("bob@example.com".parse().unwrap())
                .body(String::from("Hi"))
                .unwrap()])
            .unwrap_err(),
    ];

    let text =
        errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n\n").replace(&port, "[port]");
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("django_parity_errors", text);
    });
}
