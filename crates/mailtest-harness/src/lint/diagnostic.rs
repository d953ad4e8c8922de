//! One diagnostic: what is wrong, where, and what to do about it, shown the
//! way rustc shows its own.

use std::fmt;

use super::paint::Paint;

/// How much a [`Lint`] matters.
///
/// ```
/// use mailtest::lint::Severity;
///
/// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
/// let lints = email.lint();
/// assert!(lints.iter().any(|lint| lint.severity() == Severity::Error));
/// assert_eq!(Severity::Warning.to_string(), "warning");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Severity {
    /// Mail that is refused, shows broken, or leaks: fails
    /// [`lints_clean`](crate::EmailAssert::lints_clean).
    Error,
    /// Mail that goes through but reads or scores worse: fails only with
    /// [`deny_warnings`](crate::LintConfig::deny_warnings).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Where a [`Lint`] applies: a part of the email and, where there is one, a
/// line in it, with the line itself quoted.
///
/// Lines count from 1: in a body (`text/html`, `text/plain`) they are lines
/// of the decoded body as [`Email::html`](crate::Email::html) and
/// [`Email::text`](crate::Email::text) return it; in `headers` and
/// `message` they are lines of the raw message ([`Email::raw`](crate::Email::raw)).
///
/// ```
/// let email = mailtest::Email::from_raw(
///     "Content-Type: text/html\r\n\r\n<p>Hi</p>\r\n<img src=\"cid:logo\" alt=\"\">\r\n",
/// );
/// let lints = email.lint();
/// let dangling = lints.iter().find(|lint| lint.code() == "dangling-cid").unwrap();
/// let location = dangling.location().unwrap();
/// assert_eq!((location.part(), location.line()), ("text/html", Some(2)));
/// assert_eq!(location.to_string(), "text/html line 2");
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Location {
    part: String,
    line: Option<usize>,
    snippet: Option<Snippet>,
}

/// The quoted line of a [`Location`], cut to a readable window around the
/// marked span.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Snippet {
    /// The line as shown (control characters as spaces, `…` where cut).
    pub(crate) text: String,
    /// Where the marks start, in characters of `text`.
    pub(crate) mark_start: usize,
    /// How many characters are marked (at least 1).
    pub(crate) mark_len: usize,
    /// Words after the marks.
    pub(crate) label: Option<String>,
}

impl Location {
    /// A part with no line: `headers`, `text/html`, `image/png part <logo>`.
    pub(crate) fn in_part(part: impl Into<String>) -> Location {
        Location { part: part.into(), line: None, snippet: None }
    }

    /// A line of a part, quoted.
    pub(crate) fn at_line(part: impl Into<String>, line: usize, snippet: Snippet) -> Location {
        Location { part: part.into(), line: Some(line), snippet: Some(snippet) }
    }

    /// The part: `text/html`, `text/plain`, `headers` (the raw header
    /// block), `message` (the raw message), or a MIME part such as
    /// `image/png part <logo>`.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// let lints = email.lint();
    /// assert_eq!(lints.iter().next().unwrap().location().unwrap().part(), "headers");
    /// ```
    pub fn part(&self) -> &str {
        &self.part
    }

    /// The line, counted from 1, where there is one.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\nBcc: audit@example.com\r\n\r\nHello");
    /// let lints = email.lint();
    /// let bcc = lints.iter().find(|lint| lint.code() == "bcc-header-visible").unwrap();
    /// assert_eq!(bcc.location().unwrap().line(), Some(2));
    /// ```
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    #[cfg(test)]
    pub(crate) fn snippet(&self) -> Option<&Snippet> {
        self.snippet.as_ref()
    }
}

impl fmt::Display for Location {
    /// `text/html line 14`, or the part alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {line}", self.part),
            None => f.write_str(&self.part),
        }
    }
}

/// One finding of [`Email::lint`](crate::Email::lint): a stable
/// [`code`](Lint::code), a [`Severity`], a message, where it applies, and
/// what to do about it.
///
/// Its `Display` is a rustc-style diagnostic; `{:#}` adds colour.
///
/// ```
/// let email = mailtest::Email::from_raw(
///     "Message-ID: <1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\n\
///      Content-Type: text/html\r\n\r\n<html lang=\"en\"><p>Hi</p>\r\n<img src=\"cid:logo\" alt=\"\"></html>\r\n",
/// );
/// let lints = email.lint();
/// let lint = lints.iter().find(|lint| lint.code() == "dangling-cid").unwrap();
/// assert_eq!(lint.message(), "<img src=\"cid:logo\"> refers to no MIME part");
/// assert_eq!(
///     lint.to_string(),
///     "error[dangling-cid]: <img src=\"cid:logo\"> refers to no MIME part\n \
///      --> text/html line 2\n  \
///      |\n\
///      2 | <img src=\"cid:logo\" alt=\"\"></html>\n  \
///      |           ^^^^^^^^ no part has Content-ID <logo>\n  \
///      |\n  \
///      = note: the email has no part with a Content-ID\n  \
///      = help: attach the image as an inline part with `Content-ID: <logo>` \
///      (lettre: `Attachment::new_inline(String::from(\"logo\"))`)",
/// );
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Lint {
    code: &'static str,
    severity: Severity,
    message: String,
    location: Option<Location>,
    notes: Vec<String>,
    help: Option<String>,
}

impl Lint {
    pub(crate) fn error(code: &'static str, message: impl Into<String>) -> Lint {
        Lint::new(code, Severity::Error, message)
    }

    pub(crate) fn warning(code: &'static str, message: impl Into<String>) -> Lint {
        Lint::new(code, Severity::Warning, message)
    }

    pub(crate) fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Lint {
        Lint { code, severity, message: message.into(), location: None, notes: Vec::new(), help: None }
    }

    pub(crate) fn at(mut self, location: Location) -> Lint {
        self.location = Some(location);
        self
    }

    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Lint {
        self.notes.push(note.into());
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Lint {
        self.help = Some(help.into());
        self
    }

    /// Raises a warning to an error (`deny_warnings`).
    pub(crate) fn deny(&mut self) {
        self.severity = Severity::Error;
    }

    /// The stable code: `dangling-cid`, `missing-message-id`, … (see the
    /// table in [`lint`](crate::lint)). What [`LintConfig::allow`](crate::LintConfig::allow) takes.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// assert_eq!(email.lint().iter().next().unwrap().code(), "missing-message-id");
    /// ```
    pub fn code(&self) -> &str {
        self.code
    }

    /// Error or warning (after [`deny_warnings`](crate::LintConfig::deny_warnings), always error).
    ///
    /// ```
    /// use mailtest::lint::Severity;
    ///
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// assert_eq!(email.lint().iter().next().unwrap().severity(), Severity::Error);
    /// ```
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// What is wrong, in one line.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// assert_eq!(email.lint().iter().next().unwrap().message(), "the email has no Message-ID header");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where it applies, if it applies somewhere in particular.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// assert_eq!(email.lint().iter().next().unwrap().location().unwrap().to_string(), "headers");
    /// ```
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// More about it: why it matters, the candidates there are.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// let lints = email.lint();
    /// assert!(lints.iter().next().unwrap().notes()[0].contains("550-5.7.1"));
    /// ```
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// What to do about it: a fix, or the closest candidate (`did you mean …?`).
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// let lints = email.lint();
    /// assert!(lints.iter().next().unwrap().help().unwrap().contains(".message_id(None)"));
    /// ```
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// Writes the diagnostic, coloured or not.
    pub(crate) fn write(&self, out: &mut dyn fmt::Write, paint: Paint) -> fmt::Result {
        let level = paint.severity(self.severity, &format!("{}[{}]", self.severity, self.code));
        write!(out, "{level}{}", paint.bold(&format!(": {}", self.message)))?;
        let gutter = self.location.as_ref().and_then(|l| l.line).map_or(1, |line| line.to_string().len());
        let pad = " ".repeat(gutter);
        let bar = paint.blue("|");
        if let Some(location) = &self.location {
            write!(out, "\n{pad}{} {location}", paint.blue("-->"))?;
            if let (Some(line), Some(snippet)) = (location.line, &location.snippet) {
                write!(out, "\n{pad} {bar}\n{} {bar} {}", paint.blue(&line.to_string()), snippet.text)?;
                let marks = paint.severity(self.severity, &"^".repeat(snippet.mark_len));
                let label = snippet.label.as_deref().map(|label| format!(" {label}")).unwrap_or_default();
                write!(
                    out,
                    "\n{pad} {bar} {}{marks}{}",
                    " ".repeat(snippet.mark_start),
                    paint.severity(self.severity, &label)
                )?;
                if !self.notes.is_empty() || self.help.is_some() {
                    write!(out, "\n{pad} {bar}")?;
                }
            }
        }
        let equals = paint.blue("=");
        for note in &self.notes {
            write!(out, "\n{pad} {equals} {}: {note}", paint.bold("note"))?;
        }
        if let Some(help) = &self.help {
            write!(out, "\n{pad} {equals} {}: {help}", paint.bold("help"))?;
        }
        Ok(())
    }
}

impl fmt::Display for Lint {
    /// The rustc-style diagnostic; `{:#}` colours it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paint = Paint::new(f.alternate());
        self.write(f, paint)
    }
}
