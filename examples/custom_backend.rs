//! A backend of your own: here, an "HTTP API" mail provider (simulated by
//! printing the request it would make), plugged into the same `Mailer` as
//! the built-in backends.
//!
//! Run with `cargo run --example custom_backend`.
//!
//! The point: application code takes a `Mailer` and never knows which
//! backend is behind it, and a test that binds a capture receives the mail
//! whatever the backend — so the test of code using this provider needs no
//! provider at all.

use std::sync::atomic::{AtomicUsize, Ordering};

use lettre::Message;
use mailtest::{EmailBackend, Error, Mailer};

/// Sends through a provider's HTTP API (the request is printed, not sent).
struct ApiBackend {
    api_key: String,
    /// Requests made; a real backend would hold an HTTP client here.
    requests: AtomicUsize,
}

impl EmailBackend for ApiBackend {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        for message in messages {
            let envelope = message.envelope();
            let Some(from) = envelope.from() else {
                // A typed error naming the backend: the caller sees which one failed.
                return Err(Error::backend("api", "the provider needs a sender address"));
            };
            let to: Vec<String> = envelope.to().iter().map(ToString::to_string).collect();
            let body = message.formatted();
            println!(
                "POST https://api.mail.example/v3/send  key={}…  from={from}  to={}  {} bytes",
                &self.api_key[..4],
                to.join(","),
                body.len()
            );
            self.requests.fetch_add(1, Ordering::Relaxed);
        }
        Ok(messages.len())
    }

    /// The provider takes raw MIME too, so `lettre::Transport::send_raw` works.
    fn send_raw(&self, envelope: &lettre::address::Envelope, raw: &[u8]) -> Result<(), Error> {
        println!("POST https://api.mail.example/v3/send-mime  to={:?}  {} bytes", envelope.to(), raw.len());
        self.requests.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Nothing to close for HTTP; a pooled client would be shut down here.
    fn close(&self) -> Result<(), Error> {
        println!("closing: {} request(s) made", self.requests.load(Ordering::Relaxed));
        Ok(())
    }
}

/// Application code: takes a Mailer, whatever is behind it.
fn send_password_reset(mailer: &Mailer, to: &str) -> Result<usize, Error> {
    mailtest::send_mail(
        "Reset your password",
        "Follow https://app.example.com/reset?token=9f8e within an hour.",
        "App <app@example.com>",
        &[to],
    )
    .connection(mailer)
    .send()
}

fn main() {
    let mailer =
        Mailer::new(ApiBackend { api_key: "sk-live-0123456789".to_owned(), requests: AtomicUsize::new(0) });

    // In production: the provider gets the request.
    send_password_reset(&mailer, "ann@example.com").unwrap();

    // In a test: bind a capture, and the same call lands in it instead.
    let mail = mailtest::capture();
    send_password_reset(&mailer, "bob@example.com").unwrap();
    let email = mail.find().to("bob@example.com").subject("Reset your password").one();
    let link = email.assert().link_matching(mailtest::regex(r"/reset\?token=\w+"));
    println!("captured, not sent: {link}");
    drop(mail);
}
