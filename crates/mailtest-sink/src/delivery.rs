//! Where a sink hands what it accepts: its outbox, or a [`Delivery`] of the
//! caller's that may refuse a recipient or a message with a real SMTP
//! reply (a mailbox that is full, say), so the client hears why.

use std::fmt;

use mailtest_capture::Captured;

use crate::error::Error;

/// An SMTP reply that refuses: a 4xx or 5xx code and its text, which
/// should start with an enhanced status code (RFC 3463), e.g.
/// `4.2.2 mailbox full`.
///
/// ```
/// let full = mailtest_sink::SmtpReply::new(452, "4.2.2 mailbox full").unwrap();
/// assert_eq!((full.code(), full.text()), (452, "4.2.2 mailbox full"));
/// assert!(mailtest_sink::SmtpReply::new(250, "OK").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpReply {
    pub(crate) code: u16,
    pub(crate) text: String,
}

impl SmtpReply {
    /// A refusal with `code` (400–599) and `text` (one line).
    ///
    /// # Errors
    ///
    /// [`Error`] when `code` is not a failure, which would tell the client
    /// its mail was taken when it was not, or `text` holds a line break,
    /// which would end the reply early.
    ///
    /// ```
    /// let err = mailtest_sink::SmtpReply::new(452, "4.2.2 full\r\n250 OK").unwrap_err();
    /// assert!(err.to_string().contains("line break"));
    /// ```
    pub fn new(code: u16, text: impl Into<String>) -> Result<SmtpReply, Error> {
        let text = text.into();
        if !(400..=599).contains(&code) {
            return Err(Error::setting(
                "SmtpReply",
                format!("reply code {code} is not a failure: use 400-599"),
            ));
        }
        if text.contains(['\r', '\n']) {
            return Err(Error::setting("SmtpReply", format!("the reply text {text:?} holds a line break")));
        }
        Ok(SmtpReply { code, text })
    }

    /// The reply code.
    ///
    /// ```
    /// assert_eq!(mailtest_sink::SmtpReply::new(552, "5.2.2 full").unwrap().code(), 552);
    /// ```
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The reply text, after the code.
    ///
    /// ```
    /// assert_eq!(mailtest_sink::SmtpReply::new(552, "5.2.2 full").unwrap().text(), "5.2.2 full");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Takes what a sink accepts instead of its outbox
/// ([`SmtpSinkBuilder::deliver_to`](crate::SmtpSinkBuilder::deliver_to)),
/// and may refuse: a recipient at `RCPT TO`, or a whole message at the end
/// of its data. A refusal is the client's reply; nothing of a refused
/// message is kept, and a message is kept only where the client then sees
/// `250`.
///
/// Both are called on the sink's one thread: keep them quick, and never
/// wait there for another client of the same sink.
///
/// ```
/// use std::sync::Mutex;
/// use mailtest_capture::Captured;
/// use mailtest_sink::{Delivery, SmtpReply, SmtpSink};
///
/// /// Keeps at most two messages.
/// #[derive(Default)]
/// struct Small(Mutex<Vec<Captured>>);
///
/// impl Delivery for Small {
///     fn deliver(&self, mail: Captured) -> Result<(), SmtpReply> {
///         let mut kept = self.0.lock().unwrap();
///         if kept.len() == 2 {
///             return Err(SmtpReply::new(452, "4.2.2 mailbox full").unwrap());
///         }
///         kept.push(mail);
///         Ok(())
///     }
/// }
///
/// let sink = SmtpSink::builder().deliver_to(Small::default()).start().unwrap();
/// # drop(sink);
/// ```
pub trait Delivery: Send + Sync + 'static {
    /// Whether to take `recipient` (as the client wrote it in `RCPT TO`);
    /// `Err` is the reply that refuses it. Takes every recipient by default.
    fn accept_recipient(&self, recipient: &str) -> Result<(), SmtpReply> {
        let _ = recipient;
        Ok(())
    }

    /// Keeps one whole message, or refuses it with the reply to send.
    /// Called before the client hears `250`, so a client that saw `250`
    /// can rely on the message having been kept.
    fn deliver(&self, mail: Captured) -> Result<(), SmtpReply>;
}

impl fmt::Debug for dyn Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Delivery")
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpStream;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::SmtpSink;

    /// Takes one message, refuses `full@…` at RCPT and every later message.
    #[derive(Clone, Default)]
    struct One(Arc<Mutex<Vec<Captured>>>);

    impl Delivery for One {
        fn accept_recipient(&self, recipient: &str) -> Result<(), SmtpReply> {
            match recipient.starts_with("full@") {
                true => Err(SmtpReply::new(452, "4.2.2 mailbox full").unwrap()),
                false => Ok(()),
            }
        }

        fn deliver(&self, mail: Captured) -> Result<(), SmtpReply> {
            let mut kept = self.0.lock().unwrap();
            if !kept.is_empty() {
                return Err(SmtpReply::new(452, "4.2.2 no room for a second message").unwrap());
            }
            kept.push(mail);
            Ok(())
        }
    }

    #[test]
    fn refusals_of_a_delivery_are_the_replies_the_client_sees() {
        let kept = One::default();
        let sink = SmtpSink::builder().deliver_to(kept.clone()).start().unwrap();
        let stream = TcpStream::connect(sink.addr()).unwrap();
        let mut replies = BufReader::new(stream.try_clone().unwrap()).lines();
        assert!(replies.next().unwrap().unwrap().starts_with("220 "), "the greeting");
        let mut say = |line: &str| {
            write!(&stream, "{line}\r\n").unwrap();
            replies.next().unwrap().unwrap()
        };
        say("HELO c.test");
        let mut send = |to: &str| {
            say("MAIL FROM:<app@example.com>");
            let rcpt = say(&format!("RCPT TO:<{to}>"));
            let data = say("DATA");
            if !data.starts_with("354") {
                say("RSET");
                return (rcpt, data);
            }
            (rcpt, say("Subject: hi\r\n\r\nhello\r\n."))
        };

        assert_eq!(send("full@example.com").0, "452 4.2.2 mailbox full");
        assert_eq!(send("ann@example.com").1, "250 2.0.0 OK: message accepted");
        assert_eq!(send("bob@example.com").1, "452 4.2.2 no room for a second message");
        assert_eq!(kept.0.lock().unwrap().len(), 1);
        assert!(sink.outbox().is_empty(), "mail went to the delivery, not the outbox");
    }
}
