//! What a failing assertion prints. This program fails on purpose:
//!
//! ```sh
//! cargo run --example failure
//! ```
//!
//! The report names the expectation, lists every captured email closest
//! first with each criterion met (✓) or missed (✗) and what the email had
//! instead, then quotes the text the closest one was searched for. The
//! message is plain text everywhere (a terminal changes nothing), so what
//! you see here is what `#[should_panic]` and snapshots see.

use lettre::Transport;
use lettre::message::MultiPart;

fn main() {
    let mail = mailtest::capture();
    let mailer = mail.transport();

    for (name, address) in [("Ann", "ann@example.com"), ("Bob", "bob@example.com")] {
        let message = lettre::Message::builder()
            .from("Shop <shop@example.com>".parse().unwrap())
            .to(format!("{name} <{address}>").parse().unwrap())
            .subject(format!("Reset your password, {name}"))
            .multipart(MultiPart::alternative_plain_html(
                format!("Hi {name},\nyour reset code is 4711.\nIt expires in one hour.\n"),
                format!("<p>Hi {name},</p><p>your reset code is <b>4711</b>.</p>"),
            ))
            .unwrap();
        mailer.send(&message).unwrap();
    }

    // The test expected a link, but the app sent a code: this fails.
    mailtest::assert_sent!(
        to: "ann@example.com",
        subject: "Reset your password, Ann",
        text_contains: mailtest::regex(r"https://\S+/reset\?token="),
    );
}
