//! The attempt log as a test reads it: every attempt to deliver into an
//! outbox — refused, failed or delivered — with its time, stage, reply and
//! the message's identity.

use std::fmt;
use std::time::SystemTime;

use mailtest_capture::Outcome;

use crate::email::Email;

/// One attempt to deliver a message into an outbox, from
/// [`Outbox::attempts`](crate::Outbox::attempts) or
/// [`Query::attempts`](crate::Query::attempts).
///
/// A send that met no fault plan is one delivered attempt; a send played
/// against a plan (a capture's, a mailer's, an `SmtpSink`'s) is logged
/// whatever its outcome.
///
/// ```
/// use lettre::Transport;
/// use mailtest::{Fault, FaultPlan, Stage};
///
/// let mail = mailtest::capture();
/// mail.faults(FaultPlan::new().fault(Fault::reply(Stage::Mail, 451, "4.3.0 try again later").times(1)));
/// let message = lettre::Message::builder()
///     .message_id(Some("<1@shop>".into()))
///     .from("shop@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// assert!(mail.transport().send(&message).unwrap_err().is_temporary());
/// mail.transport().send(&message).unwrap();
///
/// let attempts = mail.attempts();
/// assert_eq!(attempts.len(), 2);
/// assert_eq!(attempts[0].to_string(), "attempt 1: refused at MAIL: 451 4.3.0 try again later (Message-ID <1@shop>, to ann@example.com)");
/// assert!(attempts[1].stored());
/// assert_eq!(attempts[0].identity(), attempts[1].identity());
/// ```
#[derive(Clone, Debug)]
pub struct Attempt {
    pub(crate) number: u64,
    pub(crate) at: SystemTime,
    pub(crate) outcome: Outcome,
    pub(crate) email: Email,
}

impl Attempt {
    /// Its place among the outbox's attempts, from 1.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// assert_eq!(mail.attempts()[0].number(), 1);
    /// ```
    pub fn number(&self) -> u64 {
        self.number
    }

    /// When it ended.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// assert!(mail.attempts()[0].at() <= std::time::SystemTime::now());
    /// ```
    pub fn at(&self) -> SystemTime {
        self.at
    }

    /// How it ended: delivered, delivered with the `250` lost, refused at a
    /// stage with a reply, timed out or disconnected at a stage.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// assert_eq!(*mail.attempts()[0].outcome(), mailtest::Outcome::Delivered);
    /// ```
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// Whether the message was stored (the outbox holds it as an email).
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// assert!(mail.attempts()[0].stored());
    /// ```
    pub fn stored(&self) -> bool {
        self.outcome.stored()
    }

    /// The message as far as the attempt got. A sink knows no content
    /// before `DATA`: then only the envelope is there. An email never
    /// stored has [`sequence`](Email::sequence) 0.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// assert_eq!(mail.attempts()[0].email().subject(), Some("Hi"));
    /// ```
    pub fn email(&self) -> &Email {
        &self.email
    }

    /// Which message it was: see [`Email::identity`].
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Message-ID: <1@shop>\r\n\r\n.");
    /// assert_eq!(mail.attempts()[0].identity().to_string(), "Message-ID <1@shop>");
    /// ```
    pub fn identity(&self) -> Identity {
        self.email.identity()
    }
}

impl fmt::Display for Attempt {
    /// `attempt N: <outcome> (<identity>, to <recipients>)`: no time, so
    /// that a report reads the same in every run.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attempt {}: {} ({}", self.number, self.outcome, self.identity())?;
        let to = self.email.envelope_to();
        if !to.is_empty() {
            write!(f, ", to {}", to.join(", "))?;
        }
        f.write_str(")")
    }
}

/// Which message an email is, to tell a second copy of it from another
/// message: its Message-ID, else a hash of its content (the raw bytes).
///
/// ```
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["ann@example.com"], b"Subject: no id\r\n\r\n.");
/// let identity = mail.emails()[0].identity();
/// assert!(matches!(identity, mailtest::Identity::Content(_)));
/// assert!(identity.to_string().starts_with("content sha256 "));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Identity {
    /// The `Message-ID` header, without its angle brackets.
    MessageId(String),
    /// The sha256 of the raw message (hex, first 16 digits).
    Content(String),
    /// Nothing to tell it by: an attempt that ended before `DATA` at a sink.
    Unknown,
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identity::MessageId(id) => write!(f, "Message-ID <{id}>"),
            Identity::Content(hash) => write!(f, "content sha256 {hash}"),
            Identity::Unknown => f.write_str("no content yet"),
        }
    }
}

impl Email {
    /// Which message this is: its Message-ID, else a hash of its bytes —
    /// what [`assert_no_duplicates`](crate::Outbox::assert_no_duplicates)
    /// compares.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Message-ID: <42@shop.example>\r\n\r\n.");
    /// assert_eq!(mail.emails()[0].identity(), mailtest::Identity::MessageId("42@shop.example".into()));
    /// ```
    pub fn identity(&self) -> Identity {
        if let Some(id) = self.message_id() {
            return Identity::MessageId(id.to_owned());
        }
        if self.raw().is_empty() {
            return Identity::Unknown;
        }
        Identity::Content(mailtest_mime::sha256_prefix(self.raw(), 16))
    }
}
