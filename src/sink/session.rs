//! One SMTP session (RFC 5321): the command loop, the envelope, DATA and AUTH.
//!
//! Replies are buffered and flushed only when the client has sent nothing
//! more that is already waiting, i.e. just before the session would block on
//! a read. That is exactly what PIPELINING needs (a batch of commands gets
//! its batch of replies in one write) and saves a system call per reply.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::outbox::Outbox;
use crate::sink::builder::{Config, DropPoint, Reply};
use crate::sink::line::{Line, base64_decode, base64_encode, read_line, trim_ending};

/// The longest command line accepted, ending included. RFC 5321 §4.5.3.1.4
/// sets 512; extensions may add to it, so we allow more before `500`.
pub(crate) const MAX_COMMAND_LINE: usize = 4096;

/// Verbs that are real SMTP but that this sink does not implement: `502`
/// rather than `500`, which means "never heard of it".
const NOT_IMPLEMENTED: &[&str] =
    &["EXPN", "TURN", "ETRN", "ATRN", "BDAT", "STARTTLS", "SEND", "SOML", "SAML"];

/// Whether the session goes on after a command.
enum Flow {
    Continue,
    Close,
}

/// The envelope of the transaction in progress.
#[derive(Default)]
struct Transaction {
    /// `Some(None)` after `MAIL FROM:<>` (the null reverse-path).
    from: Option<Option<String>>,
    to: Vec<String>,
}

pub(crate) struct Session<'a, R, W: Write> {
    input: BufReader<R>,
    output: BufWriter<W>,
    config: &'a Config,
    outbox: &'a Outbox,
    stopping: &'a AtomicBool,
    greeted: bool,
    authenticated: bool,
    transaction: Transaction,
    line: Vec<u8>,
}

impl<'a, R: Read, W: Write> Session<'a, R, W> {
    pub(crate) fn new(
        input: R,
        output: W,
        config: &'a Config,
        outbox: &'a Outbox,
        stopping: &'a AtomicBool,
    ) -> Self {
        Session {
            input: BufReader::with_capacity(16 * 1024, input),
            output: BufWriter::new(output),
            config,
            outbox,
            stopping,
            greeted: false,
            authenticated: false,
            transaction: Transaction::default(),
            line: Vec::with_capacity(256),
        }
    }

    /// Runs the session to its end. An I/O error (the client vanished, a
    /// write timed out) ends it quietly: there is nobody left to tell.
    pub(crate) fn run(mut self) -> io::Result<()> {
        if self.config.faults.drops_at(DropPoint::Connect) {
            return Ok(());
        }
        let greeting = format!("{} ESMTP mailtest sink ready", self.config.hostname);
        self.reply(220, &greeting)?;
        loop {
            match self.next_line(MAX_COMMAND_LINE)? {
                None => break,
                Some(Line::TooLong) => {
                    self.reply(500, &format!("5.5.6 line too long (limit {MAX_COMMAND_LINE} octets)"))?
                }
                Some(_) => {
                    if let Flow::Close = self.command()? {
                        break;
                    }
                }
            }
        }
        self.output.flush()
    }

    /// The next line, or `None` when the session is over: the client left
    /// (nothing to say), the sink is stopping or the client idled too long
    /// (both told with 421).
    fn next_line(&mut self, limit: usize) -> io::Result<Option<Line>> {
        if self.input.buffer().is_empty() {
            self.output.flush()?;
        }
        match read_line(&mut self.input, &mut self.line, limit) {
            Ok(Line::Eof) if self.stopping.load(Ordering::SeqCst) => {
                self.reply(421, "4.3.2 the sink is shutting down, closing connection")?;
                Ok(None)
            }
            Ok(Line::Eof) => Ok(None),
            Ok(line) => Ok(Some(line)),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                let text = format!("4.4.2 {} idle timeout, closing connection", self.config.hostname);
                self.reply(421, &text)?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn reply(&mut self, code: u16, text: &str) -> io::Result<()> {
        write!(self.output, "{code} {text}\r\n")
    }

    fn reply_lines(&mut self, code: u16, lines: &[String]) -> io::Result<()> {
        for (i, text) in lines.iter().enumerate() {
            let separator = if i + 1 == lines.len() { ' ' } else { '-' };
            write!(self.output, "{code}{separator}{text}\r\n")?;
        }
        Ok(())
    }

    fn send(&mut self, reply: &Reply) -> io::Result<()> {
        let reply = reply.clone();
        self.reply(reply.code, &reply.text)
    }

    fn command(&mut self) -> io::Result<Flow> {
        let line = trim_ending(&self.line);
        let (verb, args) = match line.iter().position(|&b| b == b' ') {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => (line, &b""[..]),
        };
        let verb = String::from_utf8_lossy(verb).to_ascii_uppercase();
        let Ok(args) = std::str::from_utf8(args).map(|a| a.trim().to_owned()) else {
            self.reply(501, "5.5.2 the arguments are not UTF-8")?;
            return Ok(Flow::Continue);
        };
        match verb.as_str() {
            "EHLO" | "HELO" => self.hello(&verb, &args)?,
            "MAIL" => return self.mail(&args),
            "RCPT" => return self.rcpt(&args),
            "DATA" => return self.data(&args),
            "RSET" => {
                self.transaction = Transaction::default();
                self.reply(250, "2.0.0 OK")?;
            }
            "NOOP" => self.reply(250, "2.0.0 OK")?,
            "QUIT" => {
                let text = format!("2.0.0 {} closing connection", self.config.hostname);
                self.reply(221, &text)?;
                return Ok(Flow::Close);
            }
            "VRFY" if args.is_empty() => self.reply(501, "5.5.4 syntax: VRFY <address>")?,
            "VRFY" => self.reply(252, "2.5.2 cannot VRFY user, but will accept message for it")?,
            "HELP" => {
                self.reply(214, "2.0.0 commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP AUTH")?
            }
            "AUTH" => self.auth(&args)?,
            "" => self.reply(500, "5.5.2 empty command line")?,
            verb if NOT_IMPLEMENTED.contains(&verb) => self.reply(502, "5.5.1 command not implemented")?,
            _ => self.reply(500, "5.5.2 command not recognised")?,
        }
        Ok(Flow::Continue)
    }

    fn hello(&mut self, verb: &str, args: &str) -> io::Result<()> {
        if args.is_empty() {
            return self.reply(501, &format!("5.5.4 syntax: {verb} <domain>"));
        }
        self.greeted = true;
        self.transaction = Transaction::default();
        let hostname = &self.config.hostname;
        if verb == "HELO" {
            return self.reply(250, &format!("{hostname} greets {args}"));
        }
        let mut lines = vec![
            format!("{hostname} greets {args}"),
            "PIPELINING".to_owned(),
            "8BITMIME".to_owned(),
            "SMTPUTF8".to_owned(),
            "ENHANCEDSTATUSCODES".to_owned(),
            format!("SIZE {}", self.config.max_size),
        ];
        if !self.config.credentials.is_empty() {
            lines.push("AUTH PLAIN LOGIN".to_owned());
        }
        lines.push("HELP".to_owned());
        self.reply_lines(250, &lines)
    }

    fn mail(&mut self, args: &str) -> io::Result<Flow> {
        if !self.greeted {
            self.reply(503, "5.5.1 send EHLO or HELO first")?;
        } else if !self.config.credentials.is_empty() && !self.authenticated {
            self.reply(530, "5.7.0 authentication required")?;
        } else if self.transaction.from.is_some() {
            self.reply(503, "5.5.1 nested MAIL command: RSET or finish the message first")?;
        } else {
            match parse_path(args, "FROM:") {
                Err(()) => self.reply(501, "5.5.4 syntax: MAIL FROM:<address> [parameters]")?,
                Ok((path, params)) => match self.check_mail_params(&params) {
                    Some((code, text)) => self.reply(code, &text)?,
                    None if self.config.faults.drops_at(DropPoint::Mail) => return Ok(Flow::Close),
                    None => {
                        let text = format!("2.1.0 sender <{path}> OK");
                        self.transaction.from = Some((!path.is_empty()).then_some(path));
                        self.reply(250, &text)?;
                    }
                },
            }
        }
        Ok(Flow::Continue)
    }

    /// The reply refusing a `MAIL` parameter, if one is refused.
    fn check_mail_params(&self, params: &[&str]) -> Option<(u16, String)> {
        for param in params {
            let (key, value) = param.split_once('=').unwrap_or((param, ""));
            match key.to_ascii_uppercase().as_str() {
                "SIZE" => match value.parse::<u64>() {
                    Err(_) => return Some((501, format!("5.5.4 SIZE needs a number, got {value:?}"))),
                    Ok(size) if size > self.config.max_size as u64 => {
                        return Some((
                            552,
                            format!(
                                "5.3.4 message size {size} exceeds the limit of {} bytes",
                                self.config.max_size
                            ),
                        ));
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

    fn rcpt(&mut self, args: &str) -> io::Result<Flow> {
        if self.transaction.from.is_none() {
            self.reply(503, "5.5.1 need MAIL before RCPT")?;
            return Ok(Flow::Continue);
        }
        let (path, params) = match parse_path(args, "TO:") {
            Ok((path, _)) if path.is_empty() => {
                return self.reply(501, "5.1.3 empty recipient").map(|()| Flow::Continue);
            }
            Ok(parsed) => parsed,
            Err(()) => return self.reply(501, "5.5.4 syntax: RCPT TO:<address>").map(|()| Flow::Continue),
        };
        if let Some(param) = params.first() {
            self.reply(555, &format!("5.5.4 RCPT parameter {param} not recognised"))?;
        } else if let Some(refusal) = self.config.faults.refusal(&path) {
            let refusal = refusal.clone();
            self.send(&refusal)?;
        } else if self.transaction.to.len() >= self.config.max_recipients {
            let text = format!("4.5.3 too many recipients (limit {})", self.config.max_recipients);
            self.reply(452, &text)?;
        } else if self.config.faults.drops_at(DropPoint::Rcpt) {
            return Ok(Flow::Close);
        } else {
            self.reply(250, &format!("2.1.5 recipient <{path}> OK"))?;
            self.transaction.to.push(path);
        }
        Ok(Flow::Continue)
    }

    fn data(&mut self, args: &str) -> io::Result<Flow> {
        if !args.is_empty() {
            self.reply(501, "5.5.4 DATA takes no arguments")?;
            return Ok(Flow::Continue);
        } else if self.transaction.from.is_none() {
            self.reply(503, "5.5.1 need MAIL and RCPT before DATA")?;
            return Ok(Flow::Continue);
        } else if self.transaction.to.is_empty() {
            self.reply(554, "5.5.1 no valid recipients")?;
            return Ok(Flow::Continue);
        } else if self.config.faults.drops_at(DropPoint::Data) {
            return Ok(Flow::Close);
        }
        self.reply(354, "end data with <CR><LF>.<CR><LF>")?;
        let Some((message, too_big)) = self.read_message()? else {
            return Ok(Flow::Close);
        };
        let transaction = std::mem::take(&mut self.transaction);
        if too_big {
            let text = format!("5.3.4 message exceeds the limit of {} bytes", self.config.max_size);
            self.reply(552, &text)?;
        } else if let Some(failure) = self.config.faults.next_message() {
            let failure = failure.clone();
            self.send(&failure)?;
        } else if self.config.faults.drops_at(DropPoint::EndOfData) {
            return Ok(Flow::Close);
        } else {
            // Delivered before the 250 goes out: a client that saw 250 can
            // rely on the message being in the outbox.
            self.outbox.push(transaction.from.flatten(), transaction.to, message);
            self.reply(250, "2.0.0 OK: message accepted")?;
        }
        Ok(Flow::Continue)
    }

    /// Reads message lines up to the lone `.`, undoing dot-stuffing. `None`
    /// when the session ended first (the message is then not delivered);
    /// otherwise the message and whether it exceeded the size limit (its
    /// bytes then stop being kept, so memory stays bounded).
    fn read_message(&mut self) -> io::Result<Option<(Vec<u8>, bool)>> {
        let max_size = self.config.max_size;
        let mut message = Vec::new();
        let mut too_big = false;
        loop {
            // A line longer than the limit makes the message too big anyway.
            match self.next_line(max_size.saturating_add(2))? {
                None => return Ok(None),
                Some(Line::TooLong) => too_big = true,
                Some(_) => {
                    let line = &self.line;
                    if trim_ending(line) == b"." {
                        return Ok(Some((message, too_big)));
                    }
                    let line = line.strip_prefix(b".").unwrap_or(line);
                    if message.len() + line.len() > max_size {
                        too_big = true;
                        message = Vec::new();
                    }
                    if !too_big {
                        message.extend_from_slice(line);
                    }
                }
            }
        }
    }

    fn auth(&mut self, args: &str) -> io::Result<()> {
        if self.config.credentials.is_empty() {
            return self.reply(502, "5.5.1 AUTH not available: the sink has no credentials configured");
        } else if !self.greeted {
            return self.reply(503, "5.5.1 send EHLO first");
        } else if self.authenticated {
            return self.reply(503, "5.5.1 already authenticated");
        } else if self.transaction.from.is_some() {
            return self.reply(503, "5.5.1 AUTH is not allowed during a mail transaction");
        }
        let (mechanism, initial) = args.split_once(' ').unwrap_or((args, ""));
        let answer = match mechanism.to_ascii_uppercase().as_str() {
            "PLAIN" => self.auth_plain(initial.trim())?,
            "LOGIN" => self.auth_login(initial.trim())?,
            "" => return self.reply(501, "5.5.4 syntax: AUTH <mechanism> [initial-response]"),
            _ => {
                return self
                    .reply(504, &format!("5.5.4 mechanism {mechanism} not supported: use PLAIN or LOGIN"));
            }
        };
        match answer {
            Auth::Ended => Ok(()),
            Auth::Cancelled => self.reply(501, "5.0.0 authentication cancelled"),
            Auth::NotBase64 => self.reply(501, "5.5.2 cannot decode the response as base64"),
            Auth::Credentials(user, password) => {
                if self.config.credentials.iter().any(|(u, p)| *u == user && *p == password) {
                    self.authenticated = true;
                    self.reply(235, "2.7.0 authentication succeeded")
                } else {
                    self.reply(535, "5.7.8 authentication credentials invalid")
                }
            }
        }
    }

    /// AUTH PLAIN (RFC 4616): `authzid NUL authcid NUL password`.
    fn auth_plain(&mut self, initial: &str) -> io::Result<Auth> {
        let response = match initial {
            "" => match self.challenge("")? {
                Ok(response) => response,
                Err(ended) => return Ok(ended),
            },
            "=" => Vec::new(),
            text => match base64_decode(text) {
                Some(bytes) => bytes,
                None => return Ok(Auth::NotBase64),
            },
        };
        let mut parts = response.split(|&b| b == 0);
        let (Some(_authzid), Some(user), Some(password), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Ok(Auth::Credentials(String::new(), String::new()));
        };
        Ok(Auth::Credentials(
            String::from_utf8_lossy(user).into_owned(),
            String::from_utf8_lossy(password).into_owned(),
        ))
    }

    /// AUTH LOGIN (draft-murchison-sasl-login): user name, then password.
    fn auth_login(&mut self, initial: &str) -> io::Result<Auth> {
        let user = if initial.is_empty() {
            match self.challenge(&base64_encode(b"Username:"))? {
                Ok(user) => user,
                Err(ended) => return Ok(ended),
            }
        } else {
            match base64_decode(initial) {
                Some(user) => user,
                None => return Ok(Auth::NotBase64),
            }
        };
        let password = match self.challenge(&base64_encode(b"Password:"))? {
            Ok(password) => password,
            Err(ended) => return Ok(ended),
        };
        Ok(Auth::Credentials(
            String::from_utf8_lossy(&user).into_owned(),
            String::from_utf8_lossy(&password).into_owned(),
        ))
    }

    /// Sends a `334` challenge and decodes the client's answer.
    fn challenge(&mut self, prompt: &str) -> io::Result<Result<Vec<u8>, Auth>> {
        self.output.write_all(format!("334 {prompt}\r\n").as_bytes())?;
        match self.next_line(MAX_COMMAND_LINE)? {
            None => Ok(Err(Auth::Ended)),
            Some(Line::TooLong) => Ok(Err(Auth::NotBase64)),
            Some(_) => {
                let answer = String::from_utf8_lossy(trim_ending(&self.line)).trim().to_owned();
                if answer == "*" {
                    return Ok(Err(Auth::Cancelled));
                }
                Ok(base64_decode(&answer).ok_or(Auth::NotBase64))
            }
        }
    }
}

/// How an AUTH exchange ended.
enum Auth {
    /// The connection ended during it.
    Ended,
    Cancelled,
    NotBase64,
    Credentials(String, String),
}

/// Parses `FROM:<path> params` / `TO:<path> params` (the keyword in any
/// case, a space after the colon tolerated). The angle brackets are
/// required, as RFC 5321 says; the path comes back without them.
fn parse_path<'s>(args: &'s str, keyword: &str) -> Result<(String, Vec<&'s str>), ()> {
    let head = args.get(..keyword.len()).ok_or(())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return Err(());
    }
    let rest = args[keyword.len()..].trim_start();
    let rest = rest.strip_prefix('<').ok_or(())?;
    let end = rest.find('>').ok_or(())?;
    let path = &rest[..end];
    if path.contains(['<', ' ']) {
        return Err(());
    }
    // A source route (`@a,@b:user@c`, RFC 5321 §4.1.2) is accepted and dropped.
    let path = match path.split_once(':') {
        Some((route, mailbox)) if route.starts_with('@') => mailbox,
        _ => path,
    };
    let params = rest[end + 1..].split_ascii_whitespace().collect();
    Ok((path.to_owned(), params))
}

#[cfg(test)]
mod tests {
    use super::parse_path;

    #[test]
    fn paths_parse_as_rfc_5321_writes_them() {
        type Parsed<'a> = Result<(&'a str, &'a [&'a str]), ()>;
        let cases: &[(&str, &str, Parsed<'_>)] = &[
            ("FROM:<a@example.com>", "FROM:", Ok(("a@example.com", &[]))),
            (
                "from: <a@example.com> SIZE=10 BODY=8BITMIME",
                "FROM:",
                Ok(("a@example.com", &["SIZE=10", "BODY=8BITMIME"])),
            ),
            ("FROM:<>", "FROM:", Ok(("", &[]))),
            ("TO:<@relay.example:b@example.com>", "TO:", Ok(("b@example.com", &[]))),
            ("TO:<jörg@bücher.example>", "TO:", Ok(("jörg@bücher.example", &[]))),
            ("TO:b@example.com", "TO:", Err(())),
            ("TO:<b@example.com", "TO:", Err(())),
            ("FROM <a@example.com>", "FROM:", Err(())),
            ("", "TO:", Err(())),
        ];
        for (args, keyword, expected) in cases {
            let parsed = parse_path(args, keyword);
            let parsed = parsed.as_ref().map(|(p, params)| (p.as_str(), params.as_slice())).map_err(|_| ());
            assert_eq!(parsed, *expected, "{args}");
        }
    }
}
