//! Django's shared backend checks (`tests/support/django_each_backend.rs`)
//! against the SMTP backend and a real SMTP server nobody here wrote:
//! Python's aiosmtpd. The default suite runs the same checks against the
//! memory and file backends, with the checks that need no SMTP server
//! (`tests/integration/django_parity.rs`).

use mailtest::Outbox;

use crate::aiosmtpd::Aiosmtpd;

include!("../../../tests/support/django_each_backend.rs");

/// The SMTP backend, against a fresh aiosmtpd. The mailer bypasses the
/// capture: these tests are about the backend itself.
fn backends(extra: &[(&str, &str)]) -> Vec<Backend> {
    let server = Aiosmtpd::start(&[]);
    let mailer = Mailer::from_settings(&server.settings(extra)).unwrap().bypass_capture();
    vec![Backend { name: "smtp", mailer, mailbox: Box::new(server) }]
}

/// What aiosmtpd received, as emails.
impl Delivered for Aiosmtpd {
    fn take(&self, n: usize) -> Vec<Email> {
        let outbox = Outbox::new();
        for _ in 0..n {
            let received = self.received();
            let to: Vec<&str> = received.rcpt_tos.iter().map(String::as_str).collect();
            outbox.capture_raw(Some(&received.mail_from), &to, &received.data);
        }
        outbox.emails()
    }
}
