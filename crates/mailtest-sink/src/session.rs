//! One SMTP session (RFC 5321) as a state machine without I/O: bytes in,
//! replies and deliveries out. The event loop owns the socket and hands
//! over whatever arrived; the session takes one command (or a run of
//! message data) at a time, so the loop can stop feeding it when a client
//! does not read its replies.
//!
//! Command lines end at LF (CRLF is the standard; a bare LF is taken too, as
//! hand-written clients send it). Inside DATA only CRLF counts: see `data.rs`.

use std::io::Write as _;

use crate::builder::Config;
use crate::data::{DataReader, Message};
use crate::delivery::SmtpReply as Reply;
use crate::line::trim_ending;
use crate::path::{PathError, parse_path};
use crate::shared::Shared;
use mailtest_capture::{Answer, Attempt, Captured, Injected, Outcome, Point, Stage, Store};
use mailtest_mime::base64;

/// The longest command line accepted, ending included. RFC 5321 §4.5.3.1.4
/// sets 512; extensions may add to it, so we allow more before `500`.
pub(crate) const MAX_COMMAND_LINE: usize = 4096;

/// Verbs that are real SMTP but that this sink does not implement: `502`
/// rather than `500`, which means "never heard of it".
const NOT_IMPLEMENTED: &[&str] =
    &["EXPN", "TURN", "ETRN", "ATRN", "BDAT", "STARTTLS", "SEND", "SOML", "SAML"];

/// What the session wants after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Waiting for the rest of a line or of the data.
    Partial,
    /// A command (or the data) was handled; the next one starts.
    Done,
    /// Close the connection (after sending what was written).
    Close,
    /// STARTTLS got its `220`: TLS begins once that is sent; input that
    /// came with the command is dropped (RFC 3207 §4.2: no plaintext may be
    /// taken as said under TLS).
    StartTls,
}

/// What the session is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// A command line, or an answer to an AUTH challenge.
    Command,
    /// Message data.
    Data,
}

/// Why a session is being ended from outside, for its `421`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Silent too long (between commands or in DATA).
    Idle,
    /// A command line took longer than the idle timeout to arrive.
    SlowCommand,
    /// The whole DATA took longer than the data timeout.
    SlowData,
    /// The sink is being dropped.
    Shutdown,
}

enum State {
    Command,
    Data(Box<DataReader>),
    AuthPlain,
    AuthLoginUser,
    AuthLoginPassword(Vec<u8>),
}

/// The envelope of the transaction in progress.
#[derive(Default)]
struct Transaction {
    /// `Some(None)` after `MAIL FROM:<>` (the null reverse-path).
    from: Option<Option<String>>,
    to: Vec<String>,
    /// The first recipient a fault refused: the attempt's outcome, unless
    /// the message is delivered to the others.
    refused: Option<Injected>,
}

pub(crate) struct Session {
    state: State,
    greeted: bool,
    authenticated: bool,
    /// The session is under TLS (implicit, or after STARTTLS).
    tls: bool,
    transaction: Transaction,
    /// The command line so far, when it came in pieces.
    line: Vec<u8>,
    /// The line in progress is over `MAX_COMMAND_LINE`: read to its end,
    /// not kept, then answered with `500`.
    too_long: bool,
    /// A fault made the sink fall silent: input is read and dropped, and
    /// nothing more is said, until the client (or the idle timeout) ends it.
    silent: bool,
}

impl Session {
    pub(crate) fn new() -> Session {
        Session {
            state: State::Command,
            greeted: false,
            authenticated: false,
            tls: false,
            transaction: Transaction::default(),
            line: Vec::new(),
            too_long: false,
            silent: false,
        }
    }

    pub(crate) fn phase(&self) -> Phase {
        match self.state {
            State::Data(_) => Phase::Data,
            _ => Phase::Command,
        }
    }

    /// The session is under TLS from now on; after STARTTLS the client
    /// starts over with EHLO (RFC 3207 §4.2).
    pub(crate) fn secured(&mut self) {
        *self = Session { tls: true, ..Session::new() };
    }

    /// Whether part of a command line has arrived (and its end not yet).
    pub(crate) fn in_a_line(&self) -> bool {
        !self.line.is_empty() || self.too_long
    }

    /// The greeting, or `Close` when the sink drops connections here.
    pub(crate) fn open(&mut self, shared: &Shared, out: &mut Vec<u8>) -> Flow {
        if let Some(flow) = self.fault(shared, Stage::Greeting, Point::default(), out) {
            // A refused greeting ends the session.
            return if flow == Flow::Done { Flow::Close } else { flow };
        }
        let greeting = format!("{} ESMTP mailtest sink ready", shared.config.hostname);
        reply(out, 220, &greeting);
        Flow::Done
    }

    /// Takes bytes from `input`: one command line, or message data up to
    /// its end. How many bytes were used (all of them unless a command or
    /// the data ended before the end of `input`), and what next.
    pub(crate) fn feed(&mut self, shared: &Shared, input: &[u8], out: &mut Vec<u8>) -> (usize, Flow) {
        if self.silent {
            return (input.len(), Flow::Partial);
        }
        if let State::Data(reader) = &mut self.state {
            return match reader.read(input) {
                None => (input.len(), Flow::Partial),
                Some(used) => (used, self.end_of_data(shared, out)),
            };
        }
        let Some(end) = memchr::memchr(b'\n', input) else {
            self.collect(input);
            return (input.len(), Flow::Partial);
        };
        self.collect(&input[..=end]);
        let flow = if std::mem::take(&mut self.too_long) {
            if let State::Command = self.state {
                reply(out, 500, &format!("5.5.6 line too long (limit {MAX_COMMAND_LINE} octets)"));
            } else {
                // An over-long answer to an AUTH challenge ends the exchange.
                self.state = State::Command;
                self.authenticated(shared, Auth::NotBase64, out);
            }
            Flow::Done
        } else {
            let line = std::mem::take(&mut self.line);
            let flow = self.line(shared, trim_ending(&line), out);
            self.line = line;
            self.line.clear();
            flow
        };
        (end + 1, flow)
    }

    /// Adds part of a command line, keeping at most `MAX_COMMAND_LINE` bytes.
    fn collect(&mut self, bytes: &[u8]) {
        if self.too_long {
            return;
        }
        if self.line.len() + bytes.len() > MAX_COMMAND_LINE {
            self.too_long = true;
            self.line = Vec::new();
        } else {
            self.line.extend_from_slice(bytes);
        }
    }

    /// The client closed its side. A message in progress is not delivered.
    pub(crate) fn client_left(&mut self, shared: &Shared) {
        self.state = State::Command;
        self.abandon(shared);
    }

    /// Ends the session from outside with `421` saying why. A message in
    /// progress is not delivered.
    pub(crate) fn end(&mut self, shared: &Shared, why: Ending, out: &mut Vec<u8>) {
        self.abandon(shared);
        if self.silent {
            // Silent by a fault: it says nothing to the end.
            return;
        }
        let host = &shared.config.hostname;
        let bare_lf_dot = matches!(&self.state, State::Data(reader) if reader.has_bare_lf_dot_line());
        let text = match why {
            Ending::Shutdown => "4.3.2 the sink is shutting down, closing connection".to_owned(),
            Ending::Idle if bare_lf_dot => format!(
                "4.4.2 {host} idle timeout, closing connection: DATA ends only at <CR><LF>.<CR><LF>; \
                 a '.' line between bare LFs is data"
            ),
            Ending::Idle => format!("4.4.2 {host} idle timeout, closing connection"),
            Ending::SlowCommand => {
                format!("4.4.2 {host} command line not completed in time, closing connection")
            }
            Ending::SlowData => {
                format!("4.4.2 {host} message data not completed in time, closing connection")
            }
        };
        reply(out, 421, &text);
        self.state = State::Command;
    }

    /// One whole line (its ending removed), in whatever state the session is.
    fn line(&mut self, shared: &Shared, line: &[u8], out: &mut Vec<u8>) -> Flow {
        match std::mem::replace(&mut self.state, State::Command) {
            State::Command => self.command(shared, line, out),
            State::AuthPlain => {
                let answer = match sasl_answer(line) {
                    Ok(response) => plain_credentials(&response),
                    Err(ended) => ended,
                };
                self.authenticated(shared, answer, out);
                Flow::Done
            }
            State::AuthLoginUser => {
                match sasl_answer(line) {
                    Ok(user) => self.challenge(State::AuthLoginPassword(user), "Password:", out),
                    Err(ended) => self.authenticated(shared, ended, out),
                }
                Flow::Done
            }
            State::AuthLoginPassword(user) => {
                let answer = match sasl_answer(line) {
                    Ok(password) => Auth::Credentials(lossy(&user), lossy(&password)),
                    Err(ended) => ended,
                };
                self.authenticated(shared, answer, out);
                Flow::Done
            }
            State::Data(_) => unreachable!("data is not read by lines"),
        }
    }

    fn command(&mut self, shared: &Shared, line: &[u8], out: &mut Vec<u8>) -> Flow {
        let (verb, args) = match line.iter().position(|&b| b == b' ') {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => (line, &b""[..]),
        };
        let verb = String::from_utf8_lossy(verb).to_ascii_uppercase();
        let Ok(args) = std::str::from_utf8(args).map(str::trim) else {
            reply(out, 501, "5.5.2 the arguments are not UTF-8");
            return Flow::Done;
        };
        let config = &shared.config;
        match verb.as_str() {
            "EHLO" | "HELO" => return self.hello(shared, &verb, args, out),
            "MAIL" => return self.mail(shared, args, out),
            "RCPT" => return self.rcpt(shared, args, out),
            "DATA" => return self.data(shared, args, out),
            "RSET" => {
                self.abandon(shared);
                reply(out, 250, "2.0.0 OK");
            }
            "NOOP" => reply(out, 250, "2.0.0 OK"),
            "QUIT" => {
                self.abandon(shared);
                reply(out, 221, &format!("2.0.0 {} closing connection", config.hostname));
                return Flow::Close;
            }
            "VRFY" if args.is_empty() => reply(out, 501, "5.5.4 syntax: VRFY <address>"),
            "VRFY" => reply(out, 252, "2.5.2 cannot VRFY user, but will accept message for it"),
            "HELP" => {
                reply(out, 214, "2.0.0 commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP AUTH")
            }
            "AUTH" => {
                if config.offers_auth()
                    && let Some(flow) = self.fault(shared, Stage::Auth, Point::default(), out)
                {
                    return flow;
                }
                self.auth(shared, args, out)
            }
            "STARTTLS" if config.offers_starttls() || offers_starttls_fault(config) => {
                if let Some(flow) = self.fault(shared, Stage::StartTls, Point::default(), out) {
                    return flow;
                }
                if config.offers_starttls() {
                    return self.starttls(args, out);
                }
                reply(out, 502, "5.5.1 command not implemented");
            }
            "" => reply(out, 500, "5.5.2 empty command line"),
            verb if NOT_IMPLEMENTED.contains(&verb) => reply(out, 502, "5.5.1 command not implemented"),
            _ => reply(out, 500, "5.5.2 command not recognised"),
        }
        Flow::Done
    }

    fn hello(&mut self, shared: &Shared, verb: &str, args: &str, out: &mut Vec<u8>) -> Flow {
        if args.is_empty() {
            reply(out, 501, &format!("5.5.4 syntax: {verb} <domain>"));
            return Flow::Done;
        }
        if let Some(flow) = self.fault(shared, Stage::Ehlo, Point::default(), out) {
            return flow;
        }
        self.greeted = true;
        self.abandon(shared);
        let config = &shared.config;
        let hostname = &config.hostname;
        if verb == "HELO" {
            reply(out, 250, &format!("{hostname} greets {args}"));
            return Flow::Done;
        }
        let size = format!("SIZE {}", config.max_size);
        let mut lines = vec![
            format!("{hostname} greets {args}"),
            "PIPELINING".to_owned(),
            "8BITMIME".to_owned(),
            "SMTPUTF8".to_owned(),
            "ENHANCEDSTATUSCODES".to_owned(),
            size,
        ];
        // Offered for a fault placed there too, so that a client reaches it.
        if !self.tls && (config.offers_starttls() || offers_starttls_fault(config)) {
            lines.push("STARTTLS".to_owned());
        }
        if config.offers_auth() {
            lines.push("AUTH PLAIN LOGIN".to_owned());
        }
        lines.push("HELP".to_owned());
        for (i, text) in lines.iter().enumerate() {
            let separator = if i + 1 == lines.len() { ' ' } else { '-' };
            let _ = write!(out, "250{separator}{text}\r\n");
        }
        Flow::Done
    }

    fn mail(&mut self, shared: &Shared, args: &str, out: &mut Vec<u8>) -> Flow {
        let config = &shared.config;
        if !self.greeted {
            reply(out, 503, "5.5.1 send EHLO or HELO first");
        } else if config.offers_starttls() && !self.tls {
            reply(out, 530, "5.7.0 must issue a STARTTLS command first");
        } else if config.requires_auth() && !self.authenticated {
            reply(out, 530, "5.7.0 authentication required");
        } else if self.transaction.from.is_some() {
            reply(out, 503, "5.5.1 nested MAIL command: RSET or finish the message first");
        } else {
            match parse_path(args, "FROM:") {
                Err(PathError::Syntax) => reply(out, 501, "5.5.4 syntax: MAIL FROM:<address> [parameters]"),
                Err(PathError::ControlCharacter) => {
                    reply(out, 501, "5.1.7 control characters are not allowed in an address")
                }
                Ok((path, params)) => match check_mail_params(shared, &params) {
                    Some((code, text)) => reply(out, code, &text),
                    None => {
                        let from = Some(path.as_str()).filter(|path| !path.is_empty());
                        let point = Point { from, ..Point::default() };
                        if let Some(flow) = self.fault(shared, Stage::Mail, point, out) {
                            return flow;
                        }
                        reply(out, 250, &format!("2.1.0 sender <{path}> OK"));
                        self.transaction.from = Some((!path.is_empty()).then_some(path));
                    }
                },
            }
        }
        Flow::Done
    }

    fn rcpt(&mut self, shared: &Shared, args: &str, out: &mut Vec<u8>) -> Flow {
        let config = &shared.config;
        if self.transaction.from.is_none() {
            reply(out, 503, "5.5.1 need MAIL before RCPT");
            return Flow::Done;
        }
        let (path, params) = match parse_path(args, "TO:") {
            Ok((path, _)) if path.is_empty() => {
                reply(out, 501, "5.1.3 empty recipient");
                return Flow::Done;
            }
            Ok(parsed) => parsed,
            Err(PathError::Syntax) => {
                reply(out, 501, "5.5.4 syntax: RCPT TO:<address>");
                return Flow::Done;
            }
            Err(PathError::ControlCharacter) => {
                reply(out, 501, "5.1.3 control characters are not allowed in an address");
                return Flow::Done;
            }
        };
        let from = self.transaction.from.clone().flatten();
        let point = Point { from: from.as_deref(), recipient: Some(&path), ..Point::default() };
        if let Some(param) = params.first() {
            reply(out, 555, &format!("5.5.4 RCPT parameter {param} not recognised"));
        } else if let Some(flow) = self.fault(shared, Stage::Rcpt, point, out) {
            return flow;
        } else if self.transaction.to.len() >= config.max_recipients {
            reply(out, 452, &format!("4.5.3 too many recipients (limit {})", config.max_recipients));
        } else if let Some(refusal) = config.delivery.as_ref().and_then(|d| d.accept_recipient(&path).err()) {
            send(out, &refusal);
        } else {
            reply(out, 250, &format!("2.1.5 recipient <{path}> OK"));
            self.transaction.to.push(path);
        }
        Flow::Done
    }

    fn data(&mut self, shared: &Shared, args: &str, out: &mut Vec<u8>) -> Flow {
        if !args.is_empty() {
            reply(out, 501, "5.5.4 DATA takes no arguments");
        } else if self.transaction.from.is_none() {
            reply(out, 503, "5.5.1 need MAIL and RCPT before DATA");
        } else if self.transaction.to.is_empty() {
            reply(out, 554, "5.5.1 no valid recipients");
        } else if let Some(flow) = {
            let to = self.transaction.to.clone();
            self.fault(shared, Stage::Data, Point { recipients: &to, ..Point::default() }, out)
        } {
            return flow;
        } else {
            reply(out, 354, "end data with <CR><LF>.<CR><LF>");
            self.state = State::Data(Box::new(DataReader::new(shared.config.max_size)));
        }
        Flow::Done
    }

    /// The data's final `.` arrived: deliver, or refuse as configured.
    fn end_of_data(&mut self, shared: &Shared, out: &mut Vec<u8>) -> Flow {
        let State::Data(reader) = std::mem::replace(&mut self.state, State::Command) else {
            unreachable!("only called in DATA");
        };
        let point_owned = (self.transaction.from.clone().flatten(), self.transaction.to.clone());
        match reader.finish() {
            Message::TooBig => {
                let text = format!("5.3.4 message exceeds the limit of {} bytes", shared.config.max_size);
                reply(out, 552, &text);
                self.transaction = Transaction::default();
            }
            Message::Complete(message) => {
                let point =
                    Point { from: point_owned.0.as_deref(), recipients: &point_owned.1, ..Point::default() };
                let injected =
                    shared.config.faults.as_ref().and_then(|plan| plan.answer(Stage::EndOfData, point));
                let transaction = std::mem::take(&mut self.transaction);
                let mail = Captured::new(transaction.from.flatten(), transaction.to, message);
                let Some(injected) = injected else {
                    return self.deliver(shared, mail, Outcome::Delivered, out);
                };
                if injected.answer == Answer::ReplyLost {
                    return match self.deliver(shared, mail, Outcome::ReplyLost, &mut Vec::new()) {
                        Flow::Done => Flow::Close,
                        flow => flow,
                    };
                }
                self.log(shared, mail, &injected);
                return self.answer(injected, out);
            }
        }
        Flow::Done
    }

    /// Stores an accepted message (or hands it to the sink's delivery) and
    /// says 250 — before writing it, so a client that saw 250 finds it in
    /// the outbox.
    fn deliver(&mut self, shared: &Shared, mail: Captured, outcome: Outcome, out: &mut Vec<u8>) -> Flow {
        match &shared.config.delivery {
            None => match &shared.config.faults {
                None => shared.outbox.store(mail),
                Some(plan) => {
                    plan.accepted();
                    shared.outbox.attempt(Attempt::new(mail, outcome));
                }
            },
            Some(delivery) => {
                if let Err(refusal) = delivery.deliver(mail) {
                    send(out, &refusal);
                    return Flow::Done;
                }
                if let Some(plan) = &shared.config.faults {
                    plan.accepted();
                }
            }
        }
        reply(out, 250, "2.0.0 OK: message accepted");
        Flow::Done
    }

    /// The plan's answer at `stage`, if a fault hits: written to `out` and
    /// kept in the attempt log (a refused recipient only once the
    /// transaction ends without a delivery), with what the session does next.
    fn fault(&mut self, shared: &Shared, stage: Stage, point: Point<'_>, out: &mut Vec<u8>) -> Option<Flow> {
        let injected = shared.config.faults.as_ref()?.answer(stage, point)?;
        if stage == Stage::Rcpt && matches!(&injected.answer, Answer::Reply(reply) if reply.code() != 421) {
            self.transaction.refused.get_or_insert_with(|| injected.clone());
        } else {
            let mail = self.envelope_so_far();
            self.log(shared, mail, &injected);
        }
        Some(self.answer(injected, out))
    }

    /// Says what a fault answered; what the session does next.
    fn answer(&mut self, injected: Injected, out: &mut Vec<u8>) -> Flow {
        match injected.answer {
            Answer::Reply(refusal) => {
                reply(out, refusal.code(), refusal.text());
                // A 421 closes the connection (RFC 5321 §3.8).
                if refusal.code() == 421 { Flow::Close } else { Flow::Done }
            }
            Answer::Silence => {
                self.silent = true;
                self.state = State::Command;
                Flow::Partial
            }
            _ => Flow::Close,
        }
    }

    /// The transaction ends without a delivery (RSET, QUIT, a new EHLO,
    /// the client gone): a recipient a fault refused is the attempt's
    /// outcome. Clears the transaction.
    fn abandon(&mut self, shared: &Shared) {
        let transaction = std::mem::take(&mut self.transaction);
        if let Some(injected) = transaction.refused {
            let mail = Captured::new(transaction.from.flatten(), transaction.to, Vec::new());
            self.log(shared, mail, &injected);
        }
    }

    /// Keeps an attempt that stored nothing, when the sink keeps mail in its outbox.
    fn log(&self, shared: &Shared, mail: Captured, injected: &Injected) {
        if shared.config.delivery.is_none() {
            shared.outbox.attempt(Attempt::new(mail, Outcome::of(injected)));
        }
    }

    /// The envelope given so far, without content.
    fn envelope_so_far(&self) -> Captured {
        Captured::new(self.transaction.from.clone().flatten(), self.transaction.to.clone(), Vec::new())
    }

    fn starttls(&mut self, args: &str, out: &mut Vec<u8>) -> Flow {
        if self.tls {
            reply(out, 503, "5.5.1 TLS is already active");
        } else if !args.is_empty() {
            reply(out, 501, "5.5.4 STARTTLS takes no arguments");
        } else {
            reply(out, 220, "2.0.0 ready to start TLS");
            return Flow::StartTls;
        }
        Flow::Done
    }

    fn auth(&mut self, shared: &Shared, args: &str, out: &mut Vec<u8>) {
        if !shared.config.offers_auth() {
            return reply(out, 502, "5.5.1 AUTH not available: the sink has no credentials configured");
        } else if shared.config.offers_starttls() && !self.tls {
            return reply(out, 530, "5.7.0 must issue a STARTTLS command first");
        } else if !self.greeted {
            return reply(out, 503, "5.5.1 send EHLO first");
        } else if self.authenticated {
            return reply(out, 503, "5.5.1 already authenticated");
        } else if self.transaction.from.is_some() {
            return reply(out, 503, "5.5.1 AUTH is not allowed during a mail transaction");
        }
        let (mechanism, initial) = args.split_once(' ').unwrap_or((args, ""));
        let initial = initial.trim();
        let answer = match mechanism.to_ascii_uppercase().as_str() {
            // AUTH PLAIN (RFC 4616), with or without an initial response.
            "PLAIN" => match initial {
                "" => return self.challenge(State::AuthPlain, "", out),
                "=" => plain_credentials(&[]),
                text => match base64::decode_canonical(text) {
                    Some(response) => plain_credentials(&response),
                    None => Auth::NotBase64,
                },
            },
            // AUTH LOGIN (draft-murchison-sasl-login): user name, then password.
            "LOGIN" => match initial {
                "" => return self.challenge(State::AuthLoginUser, "Username:", out),
                text => match base64::decode_canonical(text) {
                    Some(user) => return self.challenge(State::AuthLoginPassword(user), "Password:", out),
                    None => Auth::NotBase64,
                },
            },
            "" => return reply(out, 501, "5.5.4 syntax: AUTH <mechanism> [initial-response]"),
            _ => {
                let text = format!("5.5.4 mechanism {mechanism} not supported: use PLAIN or LOGIN");
                return reply(out, 504, &text);
            }
        };
        self.authenticated(shared, answer, out);
    }

    /// Sends a `334` challenge; the answer is the next line.
    fn challenge(&mut self, next: State, prompt: &str, out: &mut Vec<u8>) {
        let _ = write!(out, "334 {}\r\n", base64::encode(prompt.as_bytes()));
        self.state = next;
    }

    fn authenticated(&mut self, shared: &Shared, answer: Auth, out: &mut Vec<u8>) {
        match answer {
            Auth::Cancelled => reply(out, 501, "5.0.0 authentication cancelled"),
            Auth::NotBase64 => reply(out, 501, "5.5.2 cannot decode the response as base64"),
            Auth::Credentials(user, password) => {
                if shared.config.accepts(&user, &password) {
                    self.authenticated = true;
                    reply(out, 235, "2.7.0 authentication succeeded");
                } else {
                    reply(out, 535, "5.7.8 authentication credentials invalid");
                }
            }
        }
    }
}

/// How an AUTH exchange ended.
enum Auth {
    Cancelled,
    NotBase64,
    Credentials(String, String),
}

/// The client's answer to a challenge: `*` cancels, otherwise base64.
fn sasl_answer(line: &[u8]) -> Result<Vec<u8>, Auth> {
    let answer = String::from_utf8_lossy(line);
    match answer.trim() {
        "*" => Err(Auth::Cancelled),
        answer => base64::decode_canonical(answer).ok_or(Auth::NotBase64),
    }
}

/// `authzid NUL authcid NUL password`; anything else fails as bad credentials.
fn plain_credentials(response: &[u8]) -> Auth {
    let mut parts = response.split(|&b| b == 0);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_authzid), Some(user), Some(password), None) => Auth::Credentials(lossy(user), lossy(password)),
        _ => Auth::Credentials(String::new(), String::new()),
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The reply refusing a `MAIL` parameter, if one is refused.
fn check_mail_params(shared: &Shared, params: &[&str]) -> Option<(u16, String)> {
    let max_size = shared.config.max_size;
    for param in params {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        match key.to_ascii_uppercase().as_str() {
            "SIZE" => match value.parse::<u64>() {
                Err(_) => return Some((501, format!("5.5.4 SIZE needs a number, got {value:?}"))),
                Ok(size) if size > max_size as u64 => {
                    let text = format!("5.3.4 message size {size} exceeds the limit of {max_size} bytes");
                    return Some((552, text));
                }
                Ok(_) => {}
            },
            "BODY" if ["7BIT", "8BITMIME"].contains(&value.to_ascii_uppercase().as_str()) => {}
            "BODY" => {
                return Some((501, format!("5.5.4 BODY={value} is not supported: use 7BIT or 8BITMIME")));
            }
            "SMTPUTF8" | "AUTH" => {}
            _ => return Some((555, format!("5.5.4 MAIL parameter {key} not recognised"))),
        }
    }
    None
}

fn reply(out: &mut Vec<u8>, code: u16, text: &str) {
    // Writing into a Vec cannot fail.
    let _ = write!(out, "{code} {text}\r\n");
}

fn send(out: &mut Vec<u8>, reply: &Reply) {
    self::reply(out, reply.code, &reply.text);
}

/// Whether the sink's fault plan waits at STARTTLS: the sink then offers
/// it without TLS of its own, for the fault to answer.
fn offers_starttls_fault(config: &Config) -> bool {
    config.faults.as_ref().is_some_and(|plan| plan.has_stage(Stage::StartTls))
}
