//! Django's own email tests (`tests/mail/tests.py` and `test_backends.py`
//! in the Django repository) as the yardstick: their backend-level checks,
//! ported to Rust and run against mailtest's backends.
//!
//! Django runs its shared checks once per backend; here they run against the
//! memory backend (Django's locmem) and the file backend
//! (`tests/support/django_each_backend.rs`); the interop suite runs the same
//! checks against the SMTP backend and aiosmtpd, a server nobody here wrote
//! (`interop/tests/interop/django_parity.rs`). The checks of one backend
//! follow them. Each test names the Django test it ports. The SMTP backend's
//! own checks are in `django_parity_smtp`; a custom backend chosen by name,
//! which needs a process of its own, is in `tests/registry.rs`. The README's
//! Django section lists what passes, what differs on purpose and why.

use mailtest::{Capture, Outbox, Settings, send_mass_mail};

include!("../support/django_each_backend.rs");

/// The backends the shared checks run against here: memory and file. The
/// file mailer bypasses the capture: these tests are about the backend itself.
fn backends(extra: &[(&str, &str)]) -> Vec<Backend> {
    vec![Backend::memory(extra), Backend::file(extra)]
}

impl Backend {
    fn memory(extra: &[(&str, &str)]) -> Backend {
        let mut vars = vec![("EMAIL_BACKEND", "memory")];
        vars.extend_from_slice(extra);
        let mailer = Mailer::from_settings(&Settings::from_vars(vars).unwrap()).unwrap();
        Backend { name: "memory", mailer, mailbox: Box::new(mailtest::capture()) }
    }

    fn file(extra: &[(&str, &str)]) -> Backend {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_str().unwrap().to_owned();
        let mut vars = vec![("EMAIL_BACKEND", "file"), ("EMAIL_FILE_PATH", path.as_str())];
        vars.extend_from_slice(extra);
        let mailer = Mailer::from_settings(&Settings::from_vars(vars).unwrap()).unwrap().bypass_capture();
        Backend { name: "file", mailer, mailbox: Box::new(dir) }
    }
}

/// The memory backend's mail: what the test's capture holds.
impl Delivered for Capture {
    fn take(&self, _: usize) -> Vec<Email> {
        self.emails()
    }
}

/// The file backend's mail: what its folder holds, read back.
impl Delivered for tempfile::TempDir {
    fn take(&self, _: usize) -> Vec<Email> {
        Outbox::load(self.path()).unwrap().emails()
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
