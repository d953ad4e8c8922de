//! The messages the SMTP backend's tests send, shared by the default suite
//! (`tests/integration/backend_smtp.rs`, `django_parity_smtp.rs`) and the
//! interop suite's tests of the same files against aiosmtpd.

use lettre::message::header::ContentType;

/// A receipt with a Bcc recipient and a line with only a dot in its body:
/// what SMTP must carry as an envelope recipient and dot-stuff.
pub(crate) fn message() -> lettre::Message {
    lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .bcc("audit@example.com".parse().unwrap())
        .subject("Your receipt")
        .body(String::from("Thank you for your order.\r\n.\r\nA line with only a dot, above."))
        .unwrap()
}

/// Receipt `n`, to `customer{n}@example.com`, with `body` as its plain text.
pub(crate) fn receipt(n: usize, body: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to(format!("customer{n}@example.com").parse().unwrap())
        .subject(format!("Receipt {n}"))
        .header(ContentType::TEXT_PLAIN)
        .body(String::from(body))
        .unwrap()
}
