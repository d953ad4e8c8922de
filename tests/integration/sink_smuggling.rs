//! SMTP smuggling: only `<CR><LF>.<CR><LF>` ends DATA. Every other "end"
//! a server somewhere might honour (`<LF>.<LF>`, `<CR><LF>.<LF>`,
//! `<LF>.<CR><LF>`, `<CR>.<CR><LF>`) is message data here, so no client can
//! slip a second message with an envelope of its own into the first.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use mailtest::SmtpSink;

use crate::sink::Client;

const ENVELOPE: &str = "EHLO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n";

/// What a smuggler appends after its fake end of data.
const SMUGGLED: &str = "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n\
                        Subject: smuggled\r\n\r\nowned\r\n";

/// Sends `stream` in one go, closes the sending side and reads every reply
/// until the sink closes: the reply codes, space-separated.
fn session(sink: &SmtpSink, stream: &str) -> String {
    let mut socket = TcpStream::connect(sink.addr()).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    socket.write_all(stream.as_bytes()).unwrap();
    socket.shutdown(Shutdown::Write).unwrap();
    let mut replies = String::new();
    socket.read_to_string(&mut replies).unwrap_or_else(|e| panic!("{e}: {replies:?}"));
    replies
        .lines()
        .filter(|line| line.as_bytes().get(3) == Some(&b' '))
        .map(|line| &line[..3])
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn only_crlf_dot_crlf_ends_data_and_nothing_is_smuggled() {
    // (case, the data up to the real end, what is stored)
    let cases = [
        (
            "LF . LF",
            format!("Subject: 1\r\n\r\nhello\n.\n{SMUGGLED}"),
            format!("Subject: 1\r\n\r\nhello\n.\n{SMUGGLED}"),
        ),
        (
            "CRLF . LF: a stuffed dot on a line that goes on",
            format!("Subject: 2\r\n\r\nhello\r\n.\n{SMUGGLED}"),
            format!("Subject: 2\r\n\r\nhello\r\n\n{SMUGGLED}"),
        ),
        (
            "LF . CRLF",
            format!("Subject: 3\r\n\r\nhello\n.\r\n{SMUGGLED}"),
            format!("Subject: 3\r\n\r\nhello\n.\r\n{SMUGGLED}"),
        ),
        (
            "CR . CRLF",
            format!("Subject: 4\r\n\r\nhello\r.\r\n{SMUGGLED}"),
            format!("Subject: 4\r\n\r\nhello\r.\r\n{SMUGGLED}"),
        ),
        (
            "CRLF . CR CRLF: a dot line with more on it is unstuffed",
            format!("Subject: 5\r\n\r\nhello\r\n.\r\r\n{SMUGGLED}"),
            format!("Subject: 5\r\n\r\nhello\r\n\r\r\n{SMUGGLED}"),
        ),
        (
            "a dot after a bare LF is data, not stuffing",
            "Subject: 6\r\n\r\nline\n..two\n.three\r\n..four\r\n".to_owned(),
            "Subject: 6\r\n\r\nline\n..two\n.three\r\n.four\r\n".to_owned(),
        ),
    ];
    for (case, data, stored) in cases {
        let sink = SmtpSink::start().unwrap();
        let codes = session(&sink, &format!("{ENVELOPE}{data}\r\n.\r\nQUIT\r\n"));
        assert_eq!(codes, "220 250 250 250 354 250 221", "{case}");
        let emails = sink.outbox().emails();
        assert_eq!(emails.len(), 1, "{case}: one DATA, one message");
        assert_eq!(String::from_utf8_lossy(emails[0].raw()), format!("{stored}\r\n"), "{case}");
        assert_eq!(emails[0].envelope_from(), Some("a@example.com"), "{case}");
        assert_eq!(emails[0].envelope_to(), ["b@example.com"], "{case}");
    }
}

#[test]
fn a_client_that_leaves_after_a_bare_lf_dot_delivers_nothing() {
    let sink = SmtpSink::start().unwrap();
    for fake_end in ["\n.\n", "\r\n.\n", "\n.\r\n"] {
        let codes = session(&sink, &format!("{ENVELOPE}Subject: cut\r\n\r\nbody{fake_end}"));
        assert_eq!(codes, "220 250 250 250 354", "{}: no reply to the data", fake_end.escape_debug());
    }
    sink.outbox().assert_empty();
}

#[test]
fn the_end_of_data_is_found_however_the_writes_cut_it() {
    let sink = SmtpSink::start().unwrap();
    let mut c = Client::connect(&sink);
    c.cmd("EHLO client.test");
    c.cmd("MAIL FROM:<a@example.com>");
    c.cmd("RCPT TO:<b@example.com>");
    c.cmd("DATA");
    for piece in ["Subject: pieces\r\n\r\nhello\r", "\n", ".", ".world\r\n", "\r", "\n.", "\r", "\n"] {
        c.send_raw(piece.as_bytes());
        // Each piece its own segment (the client sets no TCP_NODELAY, but
        // the pause outlasts Nagle on loopback, where ACKs come at once).
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(c.code(), 250);
    let email = sink.outbox().find().subject("pieces").one();
    assert_eq!(email.raw(), b"Subject: pieces\r\n\r\nhello\r\n.world\r\n\r\n");
}

#[test]
fn a_client_ending_data_with_a_bare_lf_dot_hears_why_at_the_timeout() {
    let sink = SmtpSink::builder().idle_timeout(Duration::from_millis(300)).start().unwrap();
    let mut c = Client::connect(&sink);
    c.cmd("EHLO client.test");
    c.cmd("MAIL FROM:<a@example.com>");
    c.cmd("RCPT TO:<b@example.com>");
    c.cmd("DATA");
    c.send_raw(b"Subject: lf\n\nhello\n.\n");
    assert_eq!(
        c.reply(),
        "421 4.4.2 localhost idle timeout, closing connection: DATA ends only at <CR><LF>.<CR><LF>; \
         a '.' line between bare LFs is data\r\n"
    );
    assert!(c.is_closed());
    sink.outbox().assert_empty();
}
