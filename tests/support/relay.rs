//! The real relay a leak would reach, and the message the leak tests send:
//! shared by the integration suite's refusal tests and the guard's leak
//! table (`tests/guard_leaks.rs`, which `.ci/run` also builds in release).

use std::net::{SocketAddr, TcpListener};

use mailtest::Settings;

/// A loopback server that is not an `SmtpSink`: it stands in for the real
/// relay, and counts the connections it was offered (none are accepted,
/// so each waits in the backlog, where it can be counted afterwards).
pub(crate) struct Relay {
    listener: TcpListener,
}

impl Relay {
    pub(crate) fn start() -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Relay { listener }
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap()
    }

    /// SMTP settings pointing at this relay, as production's would.
    #[allow(dead_code)] // the guard's leak table builds its own transports
    pub(crate) fn settings(&self) -> Settings {
        let port = self.addr().port().to_string();
        Settings::from_vars([
            ("EMAIL_HOST", "127.0.0.1"),
            ("EMAIL_PORT", port.as_str()),
            ("EMAIL_TIMEOUT", "2"),
        ])
        .unwrap()
    }

    /// How many connections clients opened to it.
    pub(crate) fn connections(&self) -> usize {
        std::iter::from_fn(|| self.listener.accept().ok()).count()
    }
}

pub(crate) fn message(to: &str, subject: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject(subject)
        .body(String::from("Thank you for your order."))
        .unwrap()
}
