//! Faults on demand: one plan on a capture, a mailer and the SMTP sink,
//! and the attempt log it fills.

mod determinism;
mod duplicates;
#[cfg(all(feature = "smtp", feature = "sink"))]
mod kinds;
mod log;
mod paths;

/// A receipt with a Message-ID of its recipient's, the identity a retry keeps.
pub(crate) fn receipt(to: &str) -> lettre::Message {
    let local = to.split('@').next().unwrap_or_default();
    lettre::Message::builder()
        .message_id(Some(format!("<receipt-{local}@shop.example>")))
        .from("shop@example.com".parse().unwrap())
        .to(to.parse().unwrap())
        .subject("Your receipt")
        .body(String::from("Thank you."))
        .unwrap()
}
