//! The SMTP sink spoken to line by line: replies, envelopes, DATA, AUTH,
//! limits and injected failures. Shared helpers for the other `sink_*`
//! modules live here too.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::TcpStream;
use std::time::Duration;

use mailtest::{DropPoint, SmtpSink};

/// A raw SMTP client that keeps a transcript (`C:` sent, `S:` received).
pub(crate) struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    pub(crate) transcript: String,
}

impl Client {
    /// Connects and reads the greeting.
    pub(crate) fn connect(sink: &SmtpSink) -> Client {
        let stream = TcpStream::connect(sink.addr()).expect("connect to the sink");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut client = Client {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
            transcript: String::new(),
        };
        client.reply();
        client
    }

    /// Sends raw bytes as they are (for pipelining and odd input).
    pub(crate) fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        for line in String::from_utf8_lossy(bytes).lines() {
            self.transcript.push_str(&format!("C: {line}\n"));
        }
    }

    /// A second handle on the socket, for writing from another thread.
    pub(crate) fn writer(&self) -> TcpStream {
        self.writer.try_clone().unwrap()
    }

    /// Sends one command line and returns the reply.
    pub(crate) fn cmd(&mut self, line: &str) -> String {
        self.send_raw(format!("{line}\r\n").as_bytes());
        self.reply()
    }

    /// Reads one (possibly multi-line) reply; "" when the server closed.
    pub(crate) fn reply(&mut self) -> String {
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).unwrap_or(0) == 0 {
                return reply;
            }
            self.transcript.push_str(&format!("S: {}\n", line.trim_end()));
            reply.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return reply;
            }
        }
    }

    /// The code of the reply to one command line.
    pub(crate) fn code_of_cmd(&mut self, line: &str) -> u16 {
        code_of(&self.cmd(line))
    }

    /// The code of the next reply.
    pub(crate) fn code(&mut self) -> u16 {
        code_of(&self.reply())
    }

    /// Whether the server has closed the connection (end-of-file).
    /// Whether the server closed the connection: end of file, or a reset —
    /// what a client that is still writing (a slowloris test's trickle) gets
    /// once its bytes reach a socket the server has closed.
    pub(crate) fn is_closed(&mut self) -> bool {
        let mut rest = String::new();
        match self.reader.read_line(&mut rest) {
            Ok(0) => true,
            Err(err) => matches!(err.kind(), ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted),
            Ok(_) => false,
        }
    }
}

pub(crate) fn code_of(reply: &str) -> u16 {
    reply.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0)
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Sends one message over a fresh connection; the final reply's code.
fn send_message(sink: &SmtpSink, from: &str, to: &[&str], data: &str) -> u16 {
    let mut c = Client::connect(sink);
    c.cmd("EHLO client.test");
    c.cmd(&format!("MAIL FROM:<{from}>"));
    for rcpt in to {
        c.cmd(&format!("RCPT TO:<{rcpt}>"));
    }
    c.cmd("DATA");
    c.send_raw(data.as_bytes());
    let code = c.reply();
    c.cmd("QUIT");
    code_of(&code)
}

#[test]
fn a_scripted_session_gets_rfc_5321_replies() {
    let sink = SmtpSink::builder().hostname("mx.test").max_message_size(1000).start().unwrap();
    let mut c = Client::connect(&sink);
    for line in [
        "MAIL FROM:<app@example.com>",
        "HELO",
        "EHLO client.test",
        "RCPT TO:<ann@example.com>",
        "DATA",
        "MAIL FROM:app@example.com",
        "MAIL FROM:<app@example.com> SIZE=5000",
        "MAIL FROM:<app@example.com> FOO=1",
        "MAIL FROM:<app@example.com> SIZE=100 BODY=8BITMIME",
        "MAIL FROM:<app@example.com>",
        "DATA",
        "RCPT TO:ann@example.com",
        "RCPT TO:<>",
        "RCPT TO:<ann@example.com>",
        "RCPT TO:<Bob Jones <bob@example.com>>",
        "VRFY ann",
        "NOOP",
        "HELP",
        "AUTH PLAIN",
        "EXPN staff",
        "FROB",
        "RSET",
        "RCPT TO:<ann@example.com>",
        "QUIT",
    ] {
        c.cmd(line);
    }
    assert!(c.is_closed(), "QUIT closes the connection");
    snapshot("sink_session_transcript", &c.transcript);
    assert!(sink.outbox().is_empty());
}

#[test]
fn a_message_reaches_the_outbox_with_its_envelope_and_bcc() {
    let sink = SmtpSink::start().unwrap();
    let data = "From: App <app@example.com>\r\nTo: Ann <ann@example.com>\r\nSubject: Welcome\r\n\r\n\
                Hello Ann\r\n.\r\n";

    let code = send_message(&sink, "bounce@example.com", &["ann@example.com", "audit@example.com"], data);

    assert_eq!(code, 250);
    let email = sink.outbox().find().to("ann@example.com").subject("Welcome").one();
    assert_eq!(email.envelope_from(), Some("bounce@example.com"));
    assert_eq!(email.envelope_to(), ["ann@example.com", "audit@example.com"]);
    assert_eq!(email.bcc(), ["audit@example.com"]);
    assert_eq!(email.text(), Some("Hello Ann\n"));
    // The raw bytes are the data as sent, without the terminating dot.
    assert!(email.raw().ends_with(b"Hello Ann\r\n"));
}

#[test]
fn dot_unstuffing_and_line_endings() {
    let cases = [
        (
            "leading dots are unstuffed",
            "Subject: a\r\n\r\n..hidden\r\n...\r\n.\r\n",
            "Subject: a\r\n\r\n.hidden\r\n..\r\n",
        ),
        (
            "a bare LF is data: it ends no line, so neither a dot after it nor LF.LF is special",
            "Subject: b\n\nline one\n..two\n.\n\r\n.\r\n",
            "Subject: b\n\nline one\n..two\n.\n\r\n",
        ),
        (
            "a dot inside a line stays",
            "Subject: c\r\n\r\na . b\r\n .\r\n.\r\n",
            "Subject: c\r\n\r\na . b\r\n .\r\n",
        ),
        ("a bare CR is data", "Subject: d\r\n\r\nx\r.\r\n.\r\n", "Subject: d\r\n\r\nx\r.\r\n"),
    ];
    for (case, data, stored) in cases {
        let sink = SmtpSink::start().unwrap();
        assert_eq!(send_message(&sink, "a@example.com", &["b@example.com"], data), 250, "{case}");
        let emails = sink.outbox().emails();
        assert_eq!(emails.len(), 1, "{case}");
        assert_eq!(String::from_utf8_lossy(emails[0].raw()), stored, "{case}");
    }
}

#[test]
fn control_characters_in_an_address_get_501_and_quoted_local_parts_are_taken() {
    let sink = SmtpSink::start().unwrap();
    let mut c = Client::connect(&sink);
    c.cmd("EHLO client.test");
    let forged = ["a@x\rBcc:evil@x", "a\0@x", "a\t@x", "a\x7f@x", "\"a\x1bb\"@x"];
    for address in forged {
        assert_eq!(
            c.cmd(&format!("MAIL FROM:<{address}>")),
            "501 5.1.7 control characters are not allowed in an address\r\n",
            "{}",
            address.escape_debug()
        );
    }
    assert_eq!(
        c.cmd("MAIL FROM:<\"sales team\"@example.com>"),
        "250 2.1.0 sender <\"sales team\"@example.com> OK\r\n"
    );
    for address in forged {
        assert_eq!(
            c.cmd(&format!("RCPT TO:<{address}>")),
            "501 5.1.3 control characters are not allowed in an address\r\n",
            "{}",
            address.escape_debug()
        );
    }
    for address in ["\"john doe\"@example.com", "\"a>b\\\"c\"@example.com", "postmaster"] {
        assert_eq!(c.code_of_cmd(&format!("RCPT TO:<{address}>")), 250, "{address}");
    }
    c.cmd("DATA");
    c.send_raw(b"Subject: quoted\r\n\r\nhi\r\n.\r\n");
    assert_eq!(c.code(), 250);

    let email = sink.outbox().find().subject("quoted").one();
    assert_eq!(email.envelope_from(), Some("\"sales team\"@example.com"));
    assert_eq!(email.envelope_to(), ["\"john doe\"@example.com", "\"a>b\\\"c\"@example.com", "postmaster"]);
}

#[test]
fn eight_bit_and_utf8_content_and_addresses_arrive_intact() {
    let sink = SmtpSink::start().unwrap();
    let data = "From: jörg@bücher.example\r\nTo: zoë@example.com\r\nSubject: Grüße 👋\r\n\
                Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nÄpfel für Zoë\r\n.\r\n";

    let code = send_message(&sink, "jörg@bücher.example", &["zoë@example.com"], data);

    assert_eq!(code, 250);
    let email = sink.outbox().find().to("zoë@example.com").one();
    assert_eq!(email.subject(), Some("Grüße 👋"));
    assert_eq!(email.text(), Some("Äpfel für Zoë\n"));
    assert_eq!(email.envelope_from(), Some("jörg@bücher.example"));
}

#[test]
fn pipelined_commands_get_their_replies_in_order() {
    let sink = SmtpSink::start().unwrap();
    let mut c = Client::connect(&sink);
    c.cmd("EHLO client.test");

    c.send_raw(
        b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n",
    );
    let codes: Vec<u16> = (0..4).map(|_| c.code()).collect();
    c.send_raw(b"Subject: piped\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<d@example.com>\r\nDATA\r\n");
    let more: Vec<u16> = (0..4).map(|_| c.code()).collect();
    c.send_raw(b"Subject: bounce\r\n\r\nbody\r\n.\r\nQUIT\r\n");
    let last: Vec<u16> = (0..2).map(|_| c.code()).collect();

    assert_eq!(codes, [250, 250, 250, 354]);
    assert_eq!(more, [250, 250, 250, 354]);
    assert_eq!(last, [250, 221]);
    let emails = sink.outbox().emails();
    assert_eq!(emails.len(), 2);
    assert_eq!(emails[0].envelope_to(), ["b@example.com", "c@example.com"]);
    assert_eq!(emails[1].envelope_from(), None, "the null reverse-path <>");
}

#[test]
fn auth_plain_and_login_are_required_once_credentials_are_set() {
    let sink = SmtpSink::builder().credentials("app", "s3cret").start().unwrap();
    // (mechanism lines sent after EHLO, expected final code)
    let cases: &[(&str, &[&str], u16)] = &[
        ("PLAIN with initial response", &["AUTH PLAIN AGFwcABzM2NyZXQ="], 235),
        ("PLAIN with a challenge", &["AUTH PLAIN", "AGFwcABzM2NyZXQ="], 235),
        ("PLAIN wrong password", &["AUTH PLAIN AGFwcAB3cm9uZw=="], 535),
        ("LOGIN", &["AUTH LOGIN", "YXBw", "czNjcmV0"], 235),
        ("LOGIN with initial user", &["AUTH LOGIN YXBw", "czNjcmV0"], 235),
        ("LOGIN cancelled", &["AUTH LOGIN", "*"], 501),
        ("not base64", &["AUTH PLAIN %%%"], 501),
        ("unknown mechanism", &["AUTH CRAM-MD5"], 504),
    ];
    for (case, lines, expected) in cases {
        let mut c = Client::connect(&sink);
        assert!(c.cmd("EHLO client.test").contains("AUTH PLAIN LOGIN"), "{case}");
        assert_eq!(c.cmd("MAIL FROM:<a@example.com>").get(..3), Some("530"), "{case}: MAIL before AUTH");
        let codes: Vec<u16> = lines.iter().map(|line| code_of(&c.cmd(line))).collect();
        assert_eq!(codes.last(), Some(expected), "{case}: {codes:?}");
        let mail = code_of(&c.cmd("MAIL FROM:<a@example.com>"));
        assert_eq!(mail, if *expected == 235 { 250 } else { 530 }, "{case}: MAIL after AUTH");
    }
}

#[test]
fn auth_is_refused_when_no_credentials_are_configured() {
    let sink = SmtpSink::start().unwrap();
    let mut c = Client::connect(&sink);
    assert!(!c.cmd("EHLO client.test").contains("AUTH"));
    assert_eq!(code_of(&c.cmd("AUTH PLAIN AGFwcABzM2NyZXQ=")), 502);
    assert_eq!(code_of(&c.cmd("MAIL FROM:<a@example.com>")), 250);
}

#[test]
fn size_limit_is_advertised_and_enforced() {
    let sink = SmtpSink::builder().max_message_size(100).start().unwrap();
    let mut c = Client::connect(&sink);
    assert!(c.cmd("EHLO client.test").contains("250-SIZE 100\r\n"));
    assert_eq!(code_of(&c.cmd("MAIL FROM:<a@example.com> SIZE=101")), 552);
    c.cmd("MAIL FROM:<a@example.com> SIZE=100");
    c.cmd("RCPT TO:<b@example.com>");
    c.cmd("DATA");
    c.send_raw(format!("Subject: big\r\n\r\n{}\r\n.\r\n", "x".repeat(200)).as_bytes());
    assert_eq!(c.code(), 552, "data over the limit");
    // The session goes on, and a message that fits is accepted.
    c.cmd("MAIL FROM:<a@example.com>");
    c.cmd("RCPT TO:<b@example.com>");
    c.cmd("DATA");
    c.send_raw(b"Subject: small\r\n\r\nok\r\n.\r\n");
    assert_eq!(c.code(), 250);
    let subjects: Vec<_> = sink.outbox().emails().iter().map(|e| e.subject().map(str::to_owned)).collect();
    assert_eq!(subjects, [Some("small".to_owned())]);
}

#[test]
fn too_many_recipients_get_452() {
    let sink = SmtpSink::builder().max_recipients(2).start().unwrap();
    let mut c = Client::connect(&sink);
    c.cmd("EHLO client.test");
    c.cmd("MAIL FROM:<a@example.com>");
    let codes: Vec<u16> =
        ["b", "c", "d"].iter().map(|r| code_of(&c.cmd(&format!("RCPT TO:<{r}@example.com>")))).collect();
    assert_eq!(codes, [250, 250, 452]);
    c.cmd("DATA");
    c.send_raw(b"Subject: two\r\n\r\n.\r\n");
    assert_eq!(c.code(), 250);
    assert_eq!(sink.outbox().emails()[0].envelope_to(), ["b@example.com", "c@example.com"]);
}

#[test]
fn a_refused_recipient_gets_the_chosen_reply_and_the_others_the_message() {
    let sink = SmtpSink::builder()
        .refuse_recipient("Gone@Example.com", 550, "5.1.1 mailbox unavailable")
        .start()
        .unwrap();
    let mut c = Client::connect(&sink);
    c.cmd("EHLO client.test");
    c.cmd("MAIL FROM:<a@example.com>");
    assert_eq!(c.cmd("RCPT TO:<gone@example.com>"), "550 5.1.1 mailbox unavailable\r\n");
    assert_eq!(c.code_of_cmd("RCPT TO:<ann@example.com>"), 250);
    c.cmd("DATA");
    c.send_raw(b"Subject: hi\r\n\r\n.\r\n");
    assert_eq!(c.code(), 250);
    assert_eq!(sink.outbox().emails()[0].envelope_to(), ["ann@example.com"]);
}

#[test]
fn the_nth_message_fails_with_the_chosen_code_and_is_not_delivered() {
    let sink = SmtpSink::builder().fail_message(2, 451, "4.3.0 try again later").start().unwrap();
    let data = |n: u32| format!("Subject: message {n}\r\n\r\nbody\r\n.\r\n");

    let codes: Vec<u16> =
        (1..=3).map(|n| send_message(&sink, "a@example.com", &["b@example.com"], &data(n))).collect();

    assert_eq!(codes, [250, 451, 250]);
    let subjects: Vec<_> = sink.outbox().emails().iter().map(|e| e.subject().unwrap().to_owned()).collect();
    assert_eq!(subjects, ["message 1", "message 3"]);
}

#[test]
fn a_dropped_connection_delivers_nothing_and_the_next_one_works() {
    for point in [DropPoint::Connect, DropPoint::Mail, DropPoint::Rcpt, DropPoint::Data, DropPoint::EndOfData]
    {
        let sink = SmtpSink::builder().drop_connection(point, 1).start().unwrap();
        let stream = TcpStream::connect(sink.addr()).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut c = Client {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
            transcript: String::new(),
        };
        let mut last = c.reply();
        for line in ["EHLO client.test", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>", "DATA"] {
            if last.is_empty() {
                break;
            }
            // Writing to a connection the sink already closed may fail; that is the point.
            if c.writer.write_all(format!("{line}\r\n").as_bytes()).is_err() {
                last = String::new();
                break;
            }
            last = c.reply();
        }
        if !last.is_empty() {
            let _ = c.writer.write_all(b"Subject: lost\r\n\r\n.\r\n");
            last = c.reply();
        }

        assert_eq!(last, "", "{point:?}: the sink hung up without a reply");
        sink.outbox().assert_empty();
        assert_eq!(
            send_message(&sink, "a@example.com", &["b@example.com"], "Subject: retry\r\n\r\n.\r\n"),
            250,
            "{point:?}"
        );
        assert_eq!(sink.outbox().len(), 1, "{point:?}");
    }
}

#[test]
fn bad_settings_are_refused_with_a_message_naming_them() {
    let cases = [
        (
            SmtpSink::builder().refuse_recipient("a@example.com", 250, "OK"),
            "`refuse_recipient`: reply code 250 is not a failure: use 400-599",
        ),
        (
            SmtpSink::builder().fail_message(0, 451, "later"),
            "`fail_message`: `nth(0)`: arrivals are counted from 1, not 0",
        ),
        (SmtpSink::builder().max_message_size(0), "`max_message_size`: 0 bytes would refuse every message"),
        (
            SmtpSink::builder().idle_timeout(Duration::ZERO),
            "`idle_timeout`: a zero timeout would close every connection at once",
        ),
        (SmtpSink::builder().hostname("bad host"), "`hostname`: \"bad host\" is not a host name"),
    ];
    for (builder, expected) in cases {
        let err = builder.start().unwrap_err();
        assert_eq!(err.to_string(), format!("mailtest: the SMTP sink cannot use {expected}"));
        assert!(err.action().starts_with("use `"), "{err}");
    }
}

#[test]
fn a_port_in_use_is_an_error_naming_the_address() {
    let first = SmtpSink::start().unwrap();
    let err = SmtpSink::builder().port(first.port()).start().unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("mailtest: the SMTP sink cannot listen on {}: ", first.addr())),
        "{message}"
    );
}

#[test]
fn a_sink_can_deliver_into_the_tests_capture() {
    let mail = mailtest::capture();
    let sink = SmtpSink::builder().outbox(&mail).start().unwrap();
    send_message(
        &sink,
        "a@example.com",
        &["ann@example.com"],
        "To: ann@example.com\r\nSubject: hi\r\n\r\n.\r\n",
    );
    mailtest::assert_sent!(to: "ann@example.com", subject: "hi");
}
