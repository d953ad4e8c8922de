//! The main job in one run: application code sends email through lettre, a
//! capture records it with no network, and the test inspects and asserts.
//!
//! Run with `cargo run --example quickstart`.

use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
use lettre::{Message, Transport};

/// Application code: it only knows it has a lettre transport.
fn send_signup_mail(mailer: &impl Transport<Error = mailtest::Error>, name: &str, to: &str) {
    let link = format!("https://shop.example.com/confirm?user={name}&token=8f3a");
    let message = Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to(format!("{name} <{to}>").parse().unwrap())
        .bcc("audit@example.com".parse().unwrap())
        .subject(format!("Welcome, {name}!"))
        .multipart(MultiPart::alternative_plain_html(
            format!("Hi {name},\nconfirm your address: {link}\n"),
            format!("<p>Hi {name},</p><p><a href=\"{}\">Confirm</a></p>", link.replace('&', "&amp;")),
        ))
        .unwrap();
    mailer.send(&message).unwrap();
}

fn send_invoice(mailer: &impl Transport<Error = mailtest::Error>, to: &str) {
    let message = Message::builder()
        .from("Billing <billing@example.com>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject("Your invoice")
        .multipart(
            MultiPart::mixed().singlepart(SinglePart::plain(String::from("Attached."))).singlepart(
                Attachment::new(String::from("invoice-0042.pdf"))
                    .body(b"%PDF-1.4 ...".to_vec(), ContentType::parse("application/pdf").unwrap()),
            ),
        )
        .unwrap();
    mailer.send(&message).unwrap();
}

fn main() {
    // The test: bind a fresh outbox to this thread.
    let mail = mailtest::capture();
    let mailer = mailtest::CaptureTransport::ambient();

    send_signup_mail(&mailer, "Ann", "ann@example.com");
    send_signup_mail(&mailer, "Bob", "bob@example.com");
    // Work on another thread follows the capture when propagated.
    let invoice_mailer = mailer.clone();
    mail.spawn(move || send_invoice(&invoice_mailer, "ann@example.com")).join().unwrap();

    println!("captured {} emails:\n", mail.len());
    for email in mail.emails() {
        println!("#{} {:?}", email.sequence(), email.subject().unwrap_or("(no subject)"));
        println!("   from {}", email.from()[0]);
        let join = |boxes: &[mailtest::Mailbox]| {
            boxes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        };
        println!("   to   {}   bcc {}", join(email.to()), join(email.bcc()));
        if let Some(text) = email.text() {
            println!("   text {:?}", text.lines().next().unwrap_or(""));
        }
        for link in email.links() {
            println!("   link {link}");
        }
        for attachment in email.attachments() {
            println!(
                "   file {} ({}, {} bytes)",
                attachment.filename().unwrap_or("(unnamed)"),
                attachment.content_type(),
                attachment.size()
            );
        }
        println!();
    }

    // Assertions: each returns what it matched, or panics with a report.
    let welcome = mail.find().to("ann@example.com").subject("Welcome, Ann!").one();
    assert_eq!(welcome.bcc(), ["audit@example.com"]);
    assert_eq!(welcome.links()[0], "https://shop.example.com/confirm?user=Ann&token=8f3a");
    mail.find().subject(mailtest::regex("^Welcome, ")).count(2);
    mail.find().to("carl@example.com").none();
    println!("all assertions passed.\n");

    // What a failing assertion reports (try_one returns it instead of panicking).
    let failure = mail.find().to("ann@example.com").subject("Welcome, Anne!").try_one().unwrap_err();
    println!("a failing assertion would report:\n\n{failure}");
}
