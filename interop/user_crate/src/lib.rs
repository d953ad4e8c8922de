//! The code under test: it sends a welcome email through any lettre transport.

use lettre::Transport;

/// Sends the welcome email to `to`.
pub fn send_welcome<T: Transport>(mailer: &T, to: &str, subject: &str)
where
    T::Error: std::fmt::Debug,
{
    let message = lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().expect("a valid mailbox"))
        .to(to.parse().expect("a valid mailbox"))
        .subject(subject)
        .message_id(None)
        .body(String::from("Confirm your address: https://shop.example.com/confirm\n"))
        .expect("a valid message");
    mailer.send(&message).expect("the send succeeds");
}
