//! The console backend: Django's `console.EmailBackend`, made for reading.
//!
//! Django prints the raw message, so a non-ASCII subject shows as an encoded
//! word and a body as quoted-printable or base64. With the `decode` feature
//! this backend prints what a reader sees instead: decoded headers, the text
//! and HTML bodies, and attachments by name, type and size. Without it, it
//! prints the message as sent, as Django's does: decoding takes a MIME
//! reader (mail-parser), which a production build should not carry for a
//! backend meant for a developer's terminal. Each message ends with a
//! separator line, so a terminal full of them still reads one after another.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Mutex, PoisonError};

use lettre::Message;
use lettre::address::Envelope;

use mailtest_capture::Captured;
#[cfg(feature = "decode")]
use mailtest_mime::HeaderRole;

use super::{EmailBackend, envelope_strings, send_each};
use crate::error::Error;

/// The line written after every message.
pub(crate) const SEPARATOR: &str =
    "-------------------------------------------------------------------------------";

/// Writes each message to standard output or any `Write`
/// (`EMAIL_BACKEND=console`): decoded with the `decode` feature, as sent
/// without it.
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
/// assert!(printed.contains("Bonjour"));
/// # #[cfg(feature = "decode")]
/// assert!(printed.contains("Subject: Café ☕\n"));
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

    /// Prints a message as it was captured, with its envelope — including
    /// envelopes lettre cannot represent (`<postmaster>`, a quoted local part
    /// such as `"john doe"@example.com`), which
    /// [`send_raw`](EmailBackend::send_raw) cannot take. `mailtest serve`
    /// prints what its sink accepts this way.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the writer fails.
    ///
    /// ```
    /// use mailtest_capture::Captured;
    ///
    /// let console = mailtest_mailer::ConsoleBackend::new(std::io::sink());
    /// let bounce = Captured::new(None, vec!["postmaster".into()], b"Subject: bounce\r\n\r\nundeliverable\r\n".to_vec());
    /// console.write_captured(&bounce).unwrap();
    /// ```
    pub fn write_captured(&self, mail: &Captured) -> Result<(), Error> {
        self.write(&render(mail.envelope_from.as_deref(), &mail.envelope_to, &mail.raw))
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

/// One message as the console shows it, separator included: decoded with
/// the `decode` feature, as sent without it.
pub(crate) fn render(envelope_from: Option<&str>, envelope_to: &[String], raw: &[u8]) -> String {
    #[cfg(feature = "decode")]
    return render_decoded(envelope_from, envelope_to, raw);
    #[cfg(not(feature = "decode"))]
    render_as_sent(envelope_from, envelope_to, raw)
}

/// The envelope, then the message as sent (line endings as a terminal shows them).
#[cfg_attr(
    feature = "decode",
    allow(dead_code, reason = "the rendering without `decode`; its test runs with every feature set")
)]
fn render_as_sent(envelope_from: Option<&str>, envelope_to: &[String], raw: &[u8]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Envelope-From: {}", envelope_from.unwrap_or("<>"));
    let _ = writeln!(out, "Envelope-To: {}", envelope_to.join(", "));
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    out.push_str(&text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(SEPARATOR);
    out.push('\n');
    out
}

/// The envelope, decoded headers, bodies and attachments, as the
/// [`Presentation`](mailtest_mime::Presentation) of the message has them.
#[cfg(feature = "decode")]
fn render_decoded(envelope_from: Option<&str>, envelope_to: &[String], raw: &[u8]) -> String {
    let (decoded, detail) = (mailtest_mime::decode(raw, envelope_to), mailtest_mime::decode_detail(raw));
    let email = mailtest_mime::Presentation::new(&decoded, &detail, envelope_from, envelope_to);
    let mut out = String::new();
    let _ = writeln!(out, "Envelope-From: {}", email.envelope_from().unwrap_or("<>"));
    let _ = writeln!(out, "Envelope-To: {}", email.envelope_to().join(", "));
    // The MIME structure's headers are not shown: the decoded body already
    // shows what they say.
    let shown = email.headers().iter().filter(|h| HeaderRole::of(h.name()) != HeaderRole::Structure);
    for header in shown {
        // Bcc is shown once below, header and envelope-only recipients together.
        if !header.name().eq_ignore_ascii_case("bcc") {
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
                file.size()
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

#[cfg(feature = "decode")]
fn section(out: &mut String, title: &str, body: &str) {
    let _ = write!(out, "\n[{title}]\n{body}");
    if !body.ends_with('\n') {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_sent_shows_the_envelope_and_every_byte_of_the_message() {
        let raw = b"From: app@example.com\r\nSubject: =?utf-8?q?Caf=C3=A9?=\r\n\r\nBonjour=\r\n =E2=98=95";
        let shown = render_as_sent(Some("app@example.com"), &["ann@example.com".to_owned()], raw);
        assert_eq!(
            shown,
            format!(
                "Envelope-From: app@example.com\nEnvelope-To: ann@example.com\n\
                 From: app@example.com\nSubject: =?utf-8?q?Caf=C3=A9?=\n\nBonjour=\n =E2=98=95\n{SEPARATOR}\n"
            )
        );
    }
}
