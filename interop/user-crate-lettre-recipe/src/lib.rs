//! The app: it sends through whatever lettre transport it is given.

use lettre::{Message, Transport};

/// Sends the welcome email to `to`.
pub fn welcome<T: Transport>(transport: &T, to: &str) -> Result<T::Ok, T::Error> {
    let message = Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject("Welcome!")
        .body(String::from("Hello"))
        .unwrap();
    transport.send(&message)
}
