//! Refused sends and the test-process rule (DESIGN §10): real mail never
//! leaves a test, and a refusal is never invisible.
//!
//! A report lists only its own test's refusals (made on a thread its capture
//! was bound on, or to a recipient its query names), so these tests run
//! beside all the others. Their recipients are their own (`ann.listing@…`),
//! so that no other test's query names them.
//!
//! A test here that watches where an unclaimed send goes holds a capture for
//! its whole run, even one it never reads (`let _gate = capture();`): a
//! global capture takes every unclaimed send in the process, and a capture
//! keeps one from starting beside it (and waits for one to end).

mod attribution;
pub(crate) mod copied;
mod guard;
mod leak;
mod listing;
mod rule;

use std::net::{SocketAddr, TcpListener};

use mailtest::Settings;

/// A loopback server that is not an `SmtpSink`: it stands in for the real
/// relay, and counts the connections it was offered (none are accepted,
/// so each waits in the backlog, where it can be counted afterwards).
struct Relay {
    listener: TcpListener,
}

impl Relay {
    fn start() -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Relay { listener }
    }

    fn addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap()
    }

    /// SMTP settings pointing at this relay, as production's would.
    fn settings(&self) -> Settings {
        let port = self.addr().port().to_string();
        Settings::from_vars([
            ("EMAIL_HOST", "127.0.0.1"),
            ("EMAIL_PORT", port.as_str()),
            ("EMAIL_TIMEOUT", "2"),
        ])
        .unwrap()
    }

    /// How many connections clients opened to it.
    fn connections(&self) -> usize {
        std::iter::from_fn(|| self.listener.accept().ok()).count()
    }
}

fn message(to: &str, subject: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject(subject)
        .body(String::from("Thank you for your order."))
        .unwrap()
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}
