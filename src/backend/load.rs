//! `Outbox::load`: what the file backend wrote, back in an outbox.

use std::path::{Path, PathBuf};

use super::mbox;
use crate::error::Error;
use crate::outbox::Outbox;

impl Outbox {
    /// Reads mbox files — what the [file backend](crate::FileBackend)
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
    /// [`Mailer`](crate::Mailer) was closed or dropped): a message still
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
        let path = path.as_ref();
        let metadata = std::fs::metadata(path).map_err(|err| Error::io("read", path, &err))?;
        let files = if metadata.is_dir() { mbox_files(path)? } else { vec![path.to_owned()] };
        let mut entries = Vec::new();
        for file in files {
            let bytes = std::fs::read(&file).map_err(|err| Error::io("read", &file, &err))?;
            entries.extend(mbox::decode(&file, &bytes)?);
        }
        let outbox = Outbox::new();
        for entry in entries {
            outbox.push(entry.envelope_from, entry.envelope_to, entry.raw);
        }
        Ok(outbox)
    }
}

/// The `*.mbox` files directly in `dir`, by name.
fn mbox_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let listing = std::fs::read_dir(dir).map_err(|err| Error::io("list", dir, &err))?;
    let mut files = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|err| Error::io("list", dir, &err))?;
        let path = entry.path();
        let is_mbox = path.extension().is_some_and(|ext| ext == "mbox");
        if is_mbox && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
