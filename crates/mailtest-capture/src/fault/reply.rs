//! The words of a fault plan: the stages of an SMTP exchange, and a reply.

use std::fmt;

/// A stage of an SMTP exchange, where a fault answers instead of the server.
///
/// A capture passes every stage in this order for each message (it stands
/// for the server the app is configured for, whatever that server asks);
/// an [`SmtpSink`](https://docs.rs/mailtest/latest/mailtest/struct.SmtpSink.html)
/// reaches `StartTls` and `Auth` only when the client sends those commands.
///
/// ```
/// use mailtest_capture::Stage;
///
/// assert_eq!(Stage::Rcpt.to_string(), "RCPT");
/// assert!(Stage::Greeting < Stage::EndOfData);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// The connection, before the `220` greeting.
    Greeting,
    /// `EHLO` (or `HELO`).
    Ehlo,
    /// `STARTTLS`.
    StartTls,
    /// `AUTH`.
    Auth,
    /// `MAIL FROM`.
    Mail,
    /// `RCPT TO`, for one recipient at a time.
    Rcpt,
    /// `DATA`, before the `354` go-ahead.
    Data,
    /// The end of the message data (the final `.`), before the `250`.
    EndOfData,
}

impl Stage {
    /// Every stage, in the order an exchange reaches them.
    pub const ALL: [Stage; 8] = [
        Stage::Greeting,
        Stage::Ehlo,
        Stage::StartTls,
        Stage::Auth,
        Stage::Mail,
        Stage::Rcpt,
        Stage::Data,
        Stage::EndOfData,
    ];

    /// Whether the recipients are known when the exchange reaches this
    /// stage: a fault for one recipient ([`Fault::to`](crate::Fault::to))
    /// can only be placed at such a stage.
    ///
    /// ```
    /// assert!(!mailtest_capture::Stage::Mail.knows_recipients());
    /// assert!(mailtest_capture::Stage::Rcpt.knows_recipients());
    /// ```
    pub fn knows_recipients(self) -> bool {
        self >= Stage::Rcpt
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Greeting => "the greeting",
            Stage::Ehlo => "EHLO",
            Stage::StartTls => "STARTTLS",
            Stage::Auth => "AUTH",
            Stage::Mail => "MAIL",
            Stage::Rcpt => "RCPT",
            Stage::Data => "DATA",
            Stage::EndOfData => "the end of data",
        })
    }
}

/// An SMTP reply: a code (400–599 for a fault) and its text, which starts
/// with the enhanced status code (RFC 3463) when there is one.
///
/// ```
/// let reply = mailtest_capture::Reply::new(451, "4.3.0 try again later");
/// assert_eq!(reply.code(), 451);
/// assert_eq!(reply.enhanced(), Some("4.3.0"));
/// assert!(reply.is_temporary());
/// assert_eq!(reply.to_string(), "451 4.3.0 try again later");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reply {
    code: u16,
    text: String,
}

impl Reply {
    /// A reply with `code` and `text` (checked when the plan is attached:
    /// see [`FaultPlan::check`](crate::FaultPlan::check)).
    ///
    /// ```
    /// assert_eq!(mailtest_capture::Reply::new(550, "5.1.1 no such user").text(), "5.1.1 no such user");
    /// ```
    pub fn new(code: u16, text: impl Into<String>) -> Reply {
        Reply { code, text: text.into() }
    }

    /// The reply code.
    ///
    /// ```
    /// assert_eq!(mailtest_capture::Reply::new(554, "").code(), 554);
    /// ```
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The text after the code.
    ///
    /// ```
    /// assert_eq!(mailtest_capture::Reply::new(554, "5.7.1 no").text(), "5.7.1 no");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The enhanced status code at the start of the text, if there is one.
    ///
    /// ```
    /// assert_eq!(mailtest_capture::Reply::new(450, "greylisted").enhanced(), None);
    /// ```
    pub fn enhanced(&self) -> Option<&str> {
        let first = self.text.split(' ').next()?;
        let mut parts = first.split('.');
        let class = parts.next()?;
        let valid = matches!(class, "2" | "4" | "5")
            && parts.clone().count() == 2
            && parts
                .all(|part| !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit()));
        valid.then_some(first)
    }

    /// A 4xx reply: the sender may try again later.
    ///
    /// ```
    /// assert!(!mailtest_capture::Reply::new(550, "").is_temporary());
    /// ```
    pub fn is_temporary(&self) -> bool {
        (400..500).contains(&self.code)
    }

    /// What is wrong with it as the reply of a fault, if anything.
    pub(crate) fn problem(&self) -> Option<String> {
        if !(400..=599).contains(&self.code) {
            return Some(format!("reply code {} is not a failure: use 400-599", self.code));
        }
        if self.text.contains(['\r', '\n']) {
            return Some(format!("the reply text {:?} has a line break", self.text));
        }
        match self.enhanced() {
            Some(enhanced) if !enhanced.starts_with(char::from(b'0' + (self.code / 100) as u8)) => {
                Some(format!(
                    "the enhanced status {enhanced} does not agree with the reply code {}: it starts with {}",
                    self.code,
                    self.code / 100
                ))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}
