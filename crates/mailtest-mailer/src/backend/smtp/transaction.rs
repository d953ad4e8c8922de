//! The SMTP exchange as a state machine, free of I/O: after the greeting and
//! `EHLO` (lettre's `connect`), `STARTTLS` and `AUTH` on a new session, then
//! for each message `MAIL FROM`, `RCPT TO` for each recipient, `DATA`, the
//! data and its end; `RSET` after a refusal, an abort after a broken
//! connection. It asks for one step at a time ([`Io`]) and takes the
//! result; the blocking and the async backend carry the steps out over
//! lettre's `SmtpConnection` / `AsyncSmtpConnection`, so every decision and
//! error is written here once.
//!
//! Written here rather than taken from lettre's `send`, for three
//! behaviours Django has and lettre's `send` does not:
//!
//! - **Refused recipients do not sink the message.** lettre's `send` aborts
//!   the connection at the first refused `RCPT TO`, and the accepted
//!   recipients get nothing. Here, as in `smtplib`, the message goes to the
//!   accepted ones and the refused ones are reported; only a message whose
//!   every recipient is refused fails.
//! - **The data arrives as built** (see `data.rs`).
//! - **Domains go out in ASCII** (IDNA, see `crate::idna`), so a server
//!   without SMTPUTF8 takes `to@öäü.com`.
//!
//! A negative reply leaves the session usable (`RSET` clears the
//! transaction, as `smtplib` does); a network failure, a timeout or a `421`
//! ends it, and so does any failure while the session is set up.

use std::borrow::Cow;
use std::fmt;

use lettre::Address;
use lettre::address::Envelope;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::TlsParameters;
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{Extension, MailBodyParameter, MailParameter, ServerInfo};

use super::config::SmtpConfig;
use super::data;
use crate::backend::{Delivery, RefusedRecipient};
use crate::error::Error;

/// One message to send: its envelope and its bytes.
pub(super) type Outgoing<'a> = (&'a Envelope, Cow<'a, [u8]>);

/// What the exchange asks of the connection next.
pub(super) enum Io<'a> {
    /// `STARTTLS`, the TLS handshake, and `EHLO` again.
    StartTls(&'a TlsParameters),
    /// `AUTH` with one of the configured mechanisms.
    Auth(&'a Credentials),
    /// A command of the mail transaction.
    Command(Command),
    /// The message data, dot-stuffed, and the end of data.
    Data(&'a [u8]),
    /// Drops the connection: it is broken, or the server is closing it.
    Abort,
}

/// A command of the mail transaction, as lettre writes it.
pub(super) enum Command {
    Mail(Mail),
    Rcpt(Rcpt),
    Data,
    Rset,
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Mail(mail) => mail.fmt(f),
            Command::Rcpt(rcpt) => rcpt.fmt(f),
            Command::Data => Data.fmt(f),
            Command::Rset => Rset.fmt(f),
        }
    }
}

/// Why a step, or the exchange, failed.
#[derive(Debug)]
pub(super) enum Failure {
    /// A negative reply, or the connection failed.
    Smtp(SmtpError),
    /// No reply within the timeout (the async client's own timer).
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    TimedOut,
    /// Every recipient was refused: nothing was sent.
    AllRefused(Vec<Refused>),
    /// Refused before anything was sent: what the server cannot take, or
    /// does not offer.
    Other(Error),
}

/// A recipient refused at `RCPT TO`.
#[derive(Debug)]
pub(super) struct Refused {
    pub(super) recipient: String,
    pub(super) code: Option<u16>,
    pub(super) reply: String,
}

impl Refused {
    fn new(recipient: &Address, err: &SmtpError) -> Refused {
        Refused {
            recipient: recipient.to_string(),
            code: reply_code(err),
            reply: std::error::Error::source(err).map_or_else(|| err.to_string(), ToString::to_string),
        }
    }
}

/// The reply code of a negative reply; `None` for a failure with no reply.
pub(super) fn reply_code(err: &SmtpError) -> Option<u16> {
    err.status().and_then(|code| code.to_string().parse().ok())
}

/// Whether a failure leaves the session usable after `RSET`: a negative
/// reply but `421` (the server is closing).
fn resettable(failure: &Failure) -> bool {
    match failure {
        Failure::Smtp(err) => resettable_reply(err),
        Failure::AllRefused(_) => true,
        Failure::TimedOut | Failure::Other(_) => false,
    }
}

fn resettable_reply(err: &SmtpError) -> bool {
    !matches!(reply_code(err), Some(421) | None)
}

/// What to send for one message to one server.
struct Plan<'a> {
    from: Option<Address>,
    to: Vec<Address>,
    parameters: Vec<MailParameter>,
    data: Cow<'a, [u8]>,
}

impl<'a> Plan<'a> {
    /// The envelope with ASCII domains, and the `MAIL FROM` parameters the
    /// message needs: `BODY=8BITMIME` for 8-bit data, `SMTPUTF8` for a
    /// non-ASCII local part — each only if the server offers it.
    fn new(envelope: &Envelope, raw: &'a [u8], server: &ServerInfo) -> Result<Plan<'a>, Failure> {
        let envelope = crate::idna::ascii_envelope(envelope).map_or(Cow::Borrowed(envelope), Cow::Owned);
        let mut parameters = Vec::new();
        if let Some(address) = envelope
            .from()
            .into_iter()
            .chain(envelope.to())
            .find(|a: &&Address| !AsRef::<str>::as_ref(*a).is_ascii())
        {
            if !server.supports_feature(Extension::SmtpUtfEight) {
                return Err(Failure::Other(Error::InvalidAddress {
                    address: address.to_string(),
                    reason: "its local part is not ASCII, which needs the server's SMTPUTF8 extension \
                             (RFC 6531), and the server does not offer it (only a domain has an ASCII form)"
                        .to_owned(),
                    source: None,
                }));
            }
            parameters.push(MailParameter::SmtpUtfEight);
        }
        if !raw.is_ascii() {
            if !server.supports_feature(Extension::EightBitMime) {
                return Err(Failure::Other(Error::InvalidMessage {
                    reason: "the message has 8-bit data and the server does not offer 8BITMIME (RFC 6152); \
                             build it with a 7-bit transfer encoding (quoted-printable or base64)"
                        .to_owned(),
                    source: None,
                }));
            }
            parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        Ok(Plan {
            from: envelope.from().cloned(),
            to: envelope.to().to_vec(),
            parameters,
            data: data::for_lettre(raw),
        })
    }
}

/// Where the exchange stands: the step it asks for next.
#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    Message,
    Reset,
    Abort,
    Done,
}

/// One session's work: setting it up when it is new, then each message in
/// order, stopping at the first failure.
pub(super) struct Exchange<'a> {
    config: &'a SmtpConfig,
    messages: &'a [Outgoing<'a>],
    state: State,
    /// The message being sent (its place in `messages`) and its plan.
    at: usize,
    plan: Option<Plan<'a>>,
    refused: Vec<Refused>,
    delivery: Delivery,
    failure: Option<Failure>,
    /// Whether the failure came after the whole message was sent, with no
    /// reply: the server may have stored it (`Error::outcome_unknown`).
    reply_lost: bool,
    /// Whether setting the session up failed: the connection is then
    /// dropped as it is (after a failed TLS handshake lettre's stream can
    /// take no more commands, not even `QUIT`), never kept.
    unusable: bool,
}

impl<'a> Exchange<'a> {
    /// Sends `messages` over a session: a `fresh` one (just connected) is
    /// set up first, with `STARTTLS` and `AUTH` as configured.
    pub(super) fn new(config: &'a SmtpConfig, messages: &'a [Outgoing<'a>], fresh: bool) -> Exchange<'a> {
        Exchange {
            config,
            messages,
            state: if fresh { State::StartTls } else { State::Mail },
            at: 0,
            plan: None,
            refused: Vec::new(),
            delivery: Delivery::default(),
            failure: None,
            reply_lost: false,
            unusable: false,
        }
    }

    /// The next step over a connection whose server said `server` (its
    /// `EHLO` reply), or `None` when the exchange is over: then
    /// [`finish`](Exchange::finish).
    pub(super) fn next(&mut self, server: &ServerInfo) -> Option<Io<'_>> {
        self.settle(server);
        self.io()
    }

    /// Makes the decisions that need no reply: what the configuration asks
    /// for, what the server offers, the plan of the next message.
    fn settle(&mut self, server: &ServerInfo) {
        loop {
            self.state = match (self.state, self.config.starttls(), &self.config.credentials) {
                (State::StartTls, None, _) => State::Auth,
                (State::StartTls, Some(_), _) if !server.supports_feature(Extension::StartTls) => {
                    self.unusable = true;
                    self.fail(Failure::Other(
                        self.config
                            .failure("the server does not offer STARTTLS, which EMAIL_USE_TLS requires"),
                    ))
                }
                (State::Auth, _, None) => State::Mail,
                (State::Mail, ..) if self.plan.is_none() => match self.messages.get(self.at) {
                    None => State::Done,
                    Some((envelope, raw)) => match Plan::new(envelope, raw, server) {
                        Ok(plan) => {
                            self.plan = Some(plan);
                            State::Mail
                        }
                        // Nothing was said to the server about it: the session stays as it is.
                        Err(failure) => {
                            self.failure = Some(failure);
                            State::Done
                        }
                    },
                },
                _ => return,
            };
        }
    }

    /// The step the state asks for.
    fn io(&self) -> Option<Io<'_>> {
        let plan = self.plan.as_ref();
        Some(match self.state {
            State::StartTls => Io::StartTls(self.config.starttls()?),
            State::Auth => Io::Auth(self.config.credentials.as_ref()?),
            State::Mail => {
                let plan = plan?;
                Io::Command(Command::Mail(Mail::new(plan.from.clone(), plan.parameters.clone())))
            }
            State::Rcpt(at) => Io::Command(Command::Rcpt(Rcpt::new(plan?.to.get(at)?.clone(), Vec::new()))),
            State::Data => Io::Command(Command::Data),
            State::Message => Io::Data(&plan?.data),
            State::Reset => Io::Command(Command::Rset),
            State::Abort => Io::Abort,
            State::Done => return None,
        })
    }

    /// Takes the result of the last step.
    pub(super) fn reply(&mut self, result: Result<(), Failure>) {
        self.state = match (self.state, result) {
            (State::StartTls, Ok(())) => State::Auth,
            (State::Auth, Ok(())) => State::Mail,
            (State::Mail, Ok(())) => self.after_recipient(0),
            (State::Rcpt(at), Ok(())) => self.after_recipient(at + 1),
            (State::Rcpt(at), Err(Failure::Smtp(err))) if resettable_reply(&err) => {
                if let Some(to) = self.plan.as_ref().and_then(|plan| plan.to.get(at)) {
                    self.refused.push(Refused::new(to, &err));
                }
                self.after_recipient(at + 1)
            }
            (State::Data, Ok(())) => State::Message,
            (State::Message, Ok(())) => {
                let refused = std::mem::take(&mut self.refused);
                self.delivery.absorb(delivered(self.at, refused), 0);
                self.at += 1;
                self.plan = None;
                State::Mail
            }
            (State::Reset, Ok(())) | (State::Abort | State::Done, _) => State::Done,
            (State::Reset, Err(_)) => State::Abort,
            // A session that could not be set up is dropped, not used again.
            (State::StartTls | State::Auth, Err(failure)) => {
                self.failure = Some(failure);
                self.unusable = true;
                State::Done
            }
            (State::Message, Err(failure)) => {
                self.reply_lost = match &failure {
                    Failure::Smtp(err) => reply_code(err).is_none(),
                    Failure::TimedOut => true,
                    Failure::AllRefused(_) | Failure::Other(_) => false,
                };
                self.fail(failure)
            }
            (_, Err(failure)) => self.fail(failure),
        };
    }

    /// After `RCPT TO` for recipient `at - 1`: the next, or `DATA` when
    /// any was accepted.
    fn after_recipient(&mut self, at: usize) -> State {
        let count = self.plan.as_ref().map_or(0, |plan| plan.to.len());
        if at < count {
            return State::Rcpt(at);
        }
        if self.refused.len() == count {
            let refused = std::mem::take(&mut self.refused);
            return self.fail(Failure::AllRefused(refused));
        }
        State::Data
    }

    /// Keeps `failure` and puts the session right: `RSET` when it stays
    /// usable, else an abort.
    fn fail(&mut self, failure: Failure) -> State {
        let next = if resettable(&failure) { State::Reset } else { State::Abort };
        self.failure = Some(failure);
        next
    }

    /// What the session did — the messages sent with the recipients
    /// refused on the way, or the first failure, as the error that names
    /// the server — and whether the connection may be kept (else the driver
    /// drops it as it is).
    pub(super) fn finish(self) -> (Result<Delivery, Error>, bool) {
        let usable = !self.unusable;
        match self.failure {
            Some(failure) => {
                let mut err = self.config.transaction_error(failure);
                if let Error::Smtp { outcome_unknown, .. } = &mut err {
                    *outcome_unknown = self.reply_lost;
                }
                (Err(err), usable)
            }
            None => (Ok(self.delivery), usable),
        }
    }
}

/// Message number `at` of a batch sent: counted, with the recipients
/// refused on the way.
fn delivered(at: usize, refused: Vec<Refused>) -> Delivery {
    refused.into_iter().fold(Delivery::new(1), |delivery, r| {
        delivery.with_refused(RefusedRecipient::new(at, r.recipient, r.code, r.reply))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Settings;

    fn config(vars: &[(&str, &str)]) -> SmtpConfig {
        SmtpConfig::from_settings(&Settings::from_vars(vars.iter().copied()).unwrap()).unwrap()
    }

    fn server(ehlo: &str) -> ServerInfo {
        let reply = format!("250-smtp.example.com\r\n{ehlo}250 SIZE 1000000\r\n");
        ServerInfo::from_response(&reply.parse().unwrap()).unwrap()
    }

    fn envelope(to: &[&str]) -> Envelope {
        let to = to.iter().map(|to| to.parse().unwrap()).collect();
        Envelope::new(Some("app@example.com".parse().unwrap()), to).unwrap()
    }

    /// Runs the exchange, every step succeeding; the steps it asked for.
    fn steps(
        mut exchange: Exchange<'_>,
        server: &ServerInfo,
    ) -> (Vec<String>, Result<Delivery, Error>, bool) {
        let mut steps = Vec::new();
        while let Some(io) = exchange.next(server) {
            steps.push(match io {
                Io::StartTls(_) => "STARTTLS".to_owned(),
                Io::Auth(_) => "AUTH".to_owned(),
                Io::Command(command) => command.to_string().trim_end().to_owned(),
                Io::Data(data) => format!("<{} bytes>", data.len()),
                Io::Abort => "<abort>".to_owned(),
            });
            exchange.reply(Ok(()));
        }
        let (result, usable) = exchange.finish();
        (steps, result, usable)
    }

    #[test]
    fn a_new_session_is_set_up_then_each_message_sent() {
        let config =
            config(&[("EMAIL_USE_TLS", "1"), ("EMAIL_HOST_USER", "app"), ("EMAIL_HOST_PASSWORD", "pw")]);
        let (first, second) =
            (envelope(&["ann@example.com", "bob@example.com"]), envelope(&["carl@example.com"]));
        let messages =
            [(&first, Cow::Borrowed(&b"Subject: 1\r\n\r\nHi\r\n"[..])), (&second, Cow::Borrowed(&b"Hi"[..]))];

        let (steps, result, usable) =
            steps(Exchange::new(&config, &messages, true), &server("250-STARTTLS\r\n"));

        assert_eq!(
            steps,
            [
                "STARTTLS",
                "AUTH",
                "MAIL FROM:<app@example.com>",
                "RCPT TO:<ann@example.com>",
                "RCPT TO:<bob@example.com>",
                "DATA",
                "<16 bytes>", // 18, less the final CRLF that lettre writes with the end of data
                "MAIL FROM:<app@example.com>",
                "RCPT TO:<carl@example.com>",
                "DATA",
                "<2 bytes>",
            ]
        );
        assert_eq!(result.unwrap().sent(), 2);
        assert!(usable);
    }

    #[test]
    fn a_server_without_starttls_is_left_when_tls_is_required_and_a_reused_session_is_not_set_up_again() {
        let config = config(&[("EMAIL_USE_TLS", "1")]);
        let to = envelope(&["ann@example.com"]);
        let messages = [(&to, Cow::Borrowed(&b"Hi"[..]))];

        let (fresh, result, usable) = steps(Exchange::new(&config, &messages, true), &server(""));
        let (reused, ..) = steps(Exchange::new(&config, &messages, false), &server(""));

        assert_eq!(fresh, ["<abort>"]);
        assert!(result.unwrap_err().to_string().contains("does not offer STARTTLS"));
        assert!(!usable);
        assert_eq!(reused[0], "MAIL FROM:<app@example.com>");
    }

    #[test]
    fn what_the_server_cannot_take_is_refused_before_a_command_is_sent() {
        let config = config(&[]);
        let to = envelope(&["ann@example.com"]);
        let messages = [(&to, Cow::Borrowed("Grüße".as_bytes()))];

        let (steps, result, usable) = steps(Exchange::new(&config, &messages, false), &server(""));

        assert!(steps.is_empty(), "{steps:?}");
        assert!(matches!(result, Err(Error::InvalidMessage { .. })), "{result:?}");
        assert!(usable, "nothing was said to the server: the session stays as it is");
        let (steps, ..) = self::steps(Exchange::new(&config, &messages, false), &server("250-8BITMIME\r\n"));
        assert_eq!(steps[0], "MAIL FROM:<app@example.com> BODY=8BITMIME");
    }
}
