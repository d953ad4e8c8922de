//! `Outbox::load`: what the file backend wrote, back in an outbox.

use std::path::Path;

use mailtest_mailer::Error;

use super::Outbox;

impl Outbox {
    /// Reads mbox files — what the [file backend](mailtest_mailer::FileBackend)
    /// writes, or any mbox — into a new, unbound outbox, envelope included,
    /// so Bcc recipients are there.
    ///
    /// `path` is a file, or a directory whose `*.mbox` files are read in
    /// name order (the file backend's names sort by the time the session
    /// started); other files and sub-directories are left alone. Within a
    /// file, messages keep the order they were written in.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the path when it cannot be read;
    /// [`Error::MalformedMailbox`] naming the file and line when a file is
    /// not mbox (it does not start with a `From ` line). Nothing is loaded
    /// then: a half-read outbox would make assertions lie.
    ///
    /// Read after the writer is done (the child process exited, or the
    /// [`Mailer`](mailtest_mailer::Mailer) was closed or dropped): a message still
    /// being appended may be cut short.
    ///
    /// ```
    /// use mailtest::{Mailer, Outbox, Settings};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let settings = Settings::from_vars([
    ///     ("EMAIL_BACKEND", "file"),
    ///     ("EMAIL_FILE_PATH", dir.path().to_str().unwrap()),
    /// ])
    /// .unwrap();
    /// mailtest::send_mail("Hi", "Hello Ann", "app@example.com", &["ann@example.com"])
    ///     .connection(&Mailer::from_settings(&settings).unwrap())
    ///     .send()
    ///     .unwrap();
    ///
    /// let outbox = Outbox::load(dir.path()).unwrap();
    /// assert_eq!(outbox.find().to("ann@example.com").one().text(), Some("Hello Ann"));
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Outbox, Error> {
        let outbox = Outbox::new();
        for mail in mailtest_mailer::read_mail(path)? {
            outbox.push(mail);
        }
        Ok(outbox)
    }
}
