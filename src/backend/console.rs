//! The console backend: Django's `console.EmailBackend`, made for reading.
//!
//! Django prints the raw message, so a non-ASCII subject shows as an encoded
//! word and a body as quoted-printable or base64. This backend prints what a
//! reader sees instead: decoded headers, the text and HTML bodies, and
//! attachments by name, type and size. Each message ends with a separator
//! line, so a terminal full of them still reads one after another.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Mutex, PoisonError};

use lettre::Message;
use lettre::address::Envelope;

use super::{EmailBackend, envelope_strings, send_each};
use crate::email::Email;
use crate::error::Error;

/// The line written after every message.
pub(crate) const SEPARATOR: &str =
    "-------------------------------------------------------------------------------";

/// Headers that describe the MIME structure rather than the message: the
/// decoded body already shows what they say.
const PLUMBING: &[&str] = &["mime-version", "content-type", "content-transfer-encoding"];

/// Writes each message, decoded, to standard output or any `Write`
/// (`EMAIL_BACKEND=console`).
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use mailtest::{ConsoleBackend, EmailBackend};
///
/// #[derive(Clone, Default)]
/// struct Buffer(Arc<Mutex<Vec<u8>>>);
/// impl std::io::Write for Buffer {
///     fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
///         self.0.lock().unwrap().write(bytes)
///     }
///     fn flush(&mut self) -> std::io::Result<()> {
///         Ok(())
///     }
/// }
///
/// let buffer = Buffer::default();
/// let console = ConsoleBackend::new(buffer.clone());
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Café ☕")
///     .body(String::from("Bonjour"))
///     .unwrap();
/// console.send_messages(&[message]).unwrap();
///
/// let printed = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
/// assert!(printed.contains("Subject: Café ☕\n"));
/// assert!(printed.contains("Bonjour"));
/// ```
pub struct ConsoleBackend {
    out: Output,
}

enum Output {
    /// Through `print!`, so the test harness captures it like any output.
    Stdout,
    Writer(Mutex<Box<dyn Write + Send>>),
}

impl ConsoleBackend {
    /// Prints to standard output, through `print!`: inside `cargo test` the
    /// output is captured with the test's own, and shown when it fails.
    ///
    /// ```
    /// let mailer = mailtest::Mailer::new(mailtest::ConsoleBackend::stdout());
    /// # let _ = mailer;
    /// ```
    pub fn stdout() -> ConsoleBackend {
        ConsoleBackend { out: Output::Stdout }
    }

    /// Writes to `writer`; a message is written whole, under a lock, so
    /// messages from several threads never interleave.
    ///
    /// ```
    /// let console = mailtest::ConsoleBackend::new(std::io::stderr());
    /// # let _ = console;
    /// ```
    pub fn new(writer: impl Write + Send + 'static) -> ConsoleBackend {
        ConsoleBackend { out: Output::Writer(Mutex::new(Box::new(writer))) }
    }

    fn write(&self, text: &str) -> Result<(), Error> {
        match &self.out {
            Output::Stdout => {
                print!("{text}");
                Ok(())
            }
            Output::Writer(writer) => {
                let mut writer = writer.lock().unwrap_or_else(PoisonError::into_inner);
                writer.write_all(text.as_bytes()).and_then(|()| writer.flush()).map_err(|err| {
                    Error::backend("console", format_args!("could not write a message: {err}"))
                })
            }
        }
    }
}

impl std::fmt::Debug for ConsoleBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let target = match self.out {
            Output::Stdout => "stdout",
            Output::Writer(_) => "writer",
        };
        f.debug_struct("ConsoleBackend").field("out", &target).finish()
    }
}

impl EmailBackend for ConsoleBackend {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        send_each(self, messages)
    }

    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        let (from, to) = envelope_strings(envelope);
        self.write(&render(from.as_deref(), &to, raw))
    }
}

/// One message as the console shows it, separator included.
pub(crate) fn render(envelope_from: Option<&str>, envelope_to: &[String], raw: &[u8]) -> String {
    let email = Email::with_envelope(envelope_from.map(str::to_owned), envelope_to.to_vec(), raw.to_vec());
    let mut out = String::new();
    let _ = writeln!(out, "Envelope-From: {}", envelope_from.unwrap_or("<>"));
    let _ = writeln!(out, "Envelope-To: {}", envelope_to.join(", "));
    for header in email.headers() {
        let name = header.name().to_ascii_lowercase();
        // Bcc is shown once below, header and envelope-only recipients together.
        if name != "bcc" && !PLUMBING.contains(&name.as_str()) {
            let _ = writeln!(out, "{}: {}", header.name(), header.value());
        }
    }
    if !email.bcc().is_empty() {
        let bcc: Vec<String> = email.bcc().iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "Bcc: {}", bcc.join(", "));
    }
    if let Some(text) = email.text() {
        section(&mut out, "text/plain", text);
    }
    if let Some(html) = email.html() {
        section(&mut out, "text/html", html);
    }
    if !email.attachments().is_empty() {
        out.push_str("\n[attachments]\n");
        for file in email.attachments() {
            let inline = if file.is_inline() { ", inline" } else { "" };
            // An inline image is what the HTML's `cid:` URL names: show it.
            let id = file.content_id().map(|id| format!(", content-id <{id}>")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{} ({}, {} bytes{inline}{id})",
                file.filename().unwrap_or("(no name)"),
                file.content_type(),
                file.content().len()
            );
        }
    }
    for problem in email.problems() {
        let _ = writeln!(out, "[problem] {problem}");
    }
    out.push_str(SEPARATOR);
    out.push('\n');
    out
}

fn section(out: &mut String, title: &str, body: &str) {
    let _ = write!(out, "\n[{title}]\n{body}");
    if !body.ends_with('\n') {
        out.push('\n');
    }
}
