//! The emails the shop sends, built with lettre.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use crate::orders::{Order, money};
use crate::pdf;

const FROM: &str = "Shop <shop@example.com>";

/// To a new customer: confirm the address.
pub(crate) fn welcome(to: &Address, name: &str, confirm_url: &str) -> Message {
    let text = format!("Hi {name},\n\nwelcome to the shop! Please confirm your address:\n{confirm_url}\n");
    let html = format!(
        "<p>Hi {},</p>\n<p>Welcome to the shop! <a href=\"{confirm_url}\">Confirm your address</a>.</p>\n",
        escape_html(name)
    );
    builder(Mailbox::new(Some(name.to_owned()), to.clone()))
        .subject(format!("Welcome to the shop, {name}"))
        .multipart(MultiPart::alternative_plain_html(text, html))
        .expect("From and To are set")
}

/// To a customer who asked: a link to choose a new password.
pub(crate) fn password_reset(to: &Address, name: &str, reset_url: &str) -> Message {
    let text = format!(
        "Hi {name},\n\nsomeone asked to reset the password of your shop account.\n\
         Choose a new one here: {reset_url}\n\nIf it was not you, ignore this email.\n"
    );
    builder(Mailbox::new(Some(name.to_owned()), to.clone()))
        .subject("Reset your password")
        .singlepart(SinglePart::plain(text))
        .expect("From and To are set")
}

/// After an order: the lines, the total, and the receipt as a PDF.
pub(crate) fn receipt(order: &Order) -> Message {
    let mut text = format!("Thank you for your order {}.\n\n", order.id);
    for item in &order.items {
        text.push_str(&format!("{}  {}\n", item.name, money(item.cents)));
    }
    text.push_str(&format!("\nTotal  {}\n\nYour receipt is attached.\n", money(order.total_cents())));
    let pdf_type = ContentType::parse("application/pdf").expect("a valid content type");
    builder(Mailbox::new(None, order.email.clone()))
        // One per order, so that a retry is recognisably the same receipt.
        .message_id(Some(format!("<receipt-{}@shop.example.com>", order.id)))
        .subject(format!("Your receipt for order {}", order.id))
        .multipart(MultiPart::mixed().singlepart(SinglePart::plain(text)).singlepart(
            Attachment::new(format!("receipt-{}.pdf", order.id)).body(pdf::receipt(order), pdf_type),
        ))
        .expect("From and To are set")
}

fn builder(to: Mailbox) -> lettre::message::MessageBuilder {
    Message::builder().from(FROM.parse().expect("a valid sender")).to(to)
}

/// Names come from users: never let one write HTML.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}
