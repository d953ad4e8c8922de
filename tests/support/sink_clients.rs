//! What every SMTP client test of the sink shares: a body that needs dot
//! stuffing and 8-bit transport, the checks of what arrived, and a sink
//! that wants a password. Used by the lettre clients in the default suite
//! (`tests/integration/sink_interop.rs`) and by the programs nobody here
//! wrote in the interop suite (`interop/tests/interop/sink_interop.rs`).

use mailtest::{Email, SmtpSink};

/// A body whose lines start with dots and carry 8-bit text: what SMTP
/// clients must stuff and the sink must unstuff.
pub(crate) const BODY: &str = "Grüße, Zoë!\n.a line that starts with a dot\n..and one with two\n.\nend\n";

/// What every client must have delivered.
pub(crate) fn assert_delivered(email: &Email) {
    assert_eq!(email.to(), ["zoe@example.com"]);
    assert_eq!(email.bcc(), ["audit@example.com"]);
    assert_eq!(email.envelope_from(), Some("shop@example.com"));
    // lettre and swaks end the data with "\r\n.\r\n" even after a final
    // line break, which adds an empty line: that is theirs, not the sink's.
    let text = email.text().expect("a text body");
    assert_eq!(text.trim_end_matches('\n'), BODY.trim_end_matches('\n'), "dot-unstuffed, 8-bit intact");
}

/// A sink that wants AUTH (PLAIN or LOGIN) as `app` / `s3cret`.
pub(crate) fn sink_with_auth() -> SmtpSink {
    SmtpSink::builder().credentials("app", "s3cret").start().unwrap()
}
