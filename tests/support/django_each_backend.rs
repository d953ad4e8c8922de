// Django runs its shared backend checks once per backend; these are they,
// written once and included (`include!`) by two suites: the default one runs
// them against the memory and the file backend (tests/integration/django_parity.rs),
// the interop suite against the SMTP backend and a real SMTP server nobody
// here wrote, aiosmtpd (interop/tests/interop/django_parity.rs). Each test
// names the Django test it ports.
//
// The including module provides `backends(extra) -> Vec<Backend>`: the
// backends under test, made from settings with the `extra` ones, as an
// application makes them. The file brings its own imports, which the including
// module shares. (Plain comments: an included file has no inner docs.)

use lettre::message::header::ContentType;
use mailtest::{Email, Mailer, mail_admins, mail_managers, send_mail};

/// One of Django's backends, made from settings as an application makes
/// it, with the mail it sent readable afterwards.
struct Backend {
    name: &'static str,
    mailer: Mailer,
    mailbox: Box<dyn Delivered>,
}

/// Where a backend under test put its mail, read back in sending order.
trait Delivered {
    /// The `n` messages delivered: all there are, or, from a server that
    /// hands them out one at a time, the next `n`.
    fn take(&self, n: usize) -> Vec<Email>;
}

impl Backend {
    /// The `n` messages the backend delivered, in order.
    fn emails(&self, n: usize) -> Vec<Email> {
        let emails = self.mailbox.take(n);
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
    for backend in backends(&[]) {
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
    for backend in backends(&[]) {
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
        for backend in backends(&[]) {
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
    for backend in backends(&[]) {
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
    for backend in backends(&[]) {
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
    for backend in backends(&[]) {
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
    for backend in backends(&staff) {
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
        for backend in backends(&[("ADMINS", value), ("MANAGERS", value)]) {
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

/// `test_idn_send`: non-ASCII domains leave in their ASCII form, From, To
/// and Cc, through every backend — and the SMTP server here does not offer
/// SMTPUTF8, so the envelope must be ASCII too.
#[test]
fn idn_send() {
    for backend in backends(&[]) {
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

/// `test_dont_mangle_from_in_body`: a line starting "From " survives every
/// backend — the file backend's mbox escapes it and reads it back.
#[test]
fn dont_mangle_from_in_body() {
    for backend in backends(&[]) {
        send_mail("Hi", "From the future\n>From the past\n", "from@example.com", &["to@example.com"])
            .connection(&backend.mailer)
            .send()
            .unwrap();

        assert_eq!(backend.the_email().text(), Some("From the future\n>From the past\n"), "{}", backend.name);
    }
}

/// `test_close_connection` (closing a mailer never opened) and
/// `test_fail_silently` (a mailer can be made to fail silently).
#[test]
fn close_without_open_and_fail_silently() {
    for backend in backends(&[]) {
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
