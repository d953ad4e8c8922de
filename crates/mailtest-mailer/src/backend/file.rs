//! The file backend: Django's `filebased.EmailBackend`, in mbox format.
//!
//! Like Django, each backend instance (so each [`Mailer`](crate::Mailer)
//! session) writes its own file, named by the time it started, so nothing
//! from an earlier session is ever rewritten. Unlike Django's `.log` files,
//! the file is an mbox (see `mbox.rs`), which mail tools open and
//! [`Outbox::load`](https://docs.rs/mailtest/latest/mailtest/struct.Outbox.html#method.load) reads back with the envelope, so a
//! test can check the mail another process sent.
//!
//! Concurrency: a file belongs to one backend, whose messages are appended
//! whole under a lock, each in one `write` of a pre-built buffer; other
//! backends and other processes write other files (the name holds the
//! process id and a counter, and is created with `create_new`). So writers
//! never interleave.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use lettre::Message;
use lettre::address::Envelope;

use super::timestamp::Utc;
use mailtest_capture::Captured;

use super::{EmailBackend, envelope_strings, mbox, send_each};
use crate::error::Error;

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

/// Appends each message to a new mbox file in a directory
/// (`EMAIL_BACKEND=file`, `EMAIL_FILE_PATH=dir`).
///
/// ```
/// use mailtest::{EmailBackend, FileBackend, Outbox};
///
/// let dir = tempfile::tempdir().unwrap();
/// let backend = FileBackend::new(dir.path()).unwrap();
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .bcc("audit@example.com".parse().unwrap())
///     .subject("Receipt")
///     .body(String::from("Thanks!"))
///     .unwrap();
/// backend.send_messages(&[message]).unwrap();
///
/// let outbox = Outbox::load(dir.path()).unwrap();
/// let email = outbox.find().to("ann@example.com").subject("Receipt").one();
/// assert_eq!(email.bcc(), ["audit@example.com"]);
/// ```
#[derive(Debug)]
pub struct FileBackend {
    path: PathBuf,
    file: Mutex<Option<File>>,
    /// Whether the file was created: later opens append to it.
    created: Mutex<bool>,
}

impl FileBackend {
    /// A backend writing into `dir`, which is created if missing.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the path when `dir` is a regular file, cannot be
    /// created, or is not writable. The session's file itself is created at
    /// the first send (or [`open`](EmailBackend::open)), so a mailer that
    /// sends nothing leaves no empty file.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let backend = mailtest::FileBackend::new(dir.path().join("outgoing")).unwrap();
    /// assert!(dir.path().join("outgoing").is_dir());
    /// assert!(backend.path().starts_with(dir.path().join("outgoing")));
    /// ```
    pub fn new(dir: impl AsRef<Path>) -> Result<FileBackend, Error> {
        let dir = dir.as_ref();
        if dir.exists() && !dir.is_dir() {
            return Err(Error::io_problem(
                "use the mail directory",
                dir,
                std::io::ErrorKind::NotADirectory,
                "it exists and is not a directory",
            ));
        }
        std::fs::create_dir_all(dir).map_err(|err| Error::io("create the mail directory", dir, &err))?;
        check_writable(dir)?;
        let session = NEXT_SESSION.fetch_add(1, Ordering::Relaxed);
        let name = format!("{}-{}-{session}.mbox", Utc::of(SystemTime::now()).compact(), std::process::id());
        Ok(FileBackend { path: dir.join(name), file: Mutex::new(None), created: Mutex::new(false) })
    }

    /// The file this session writes (it exists once something was sent).
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let backend = mailtest::FileBackend::new(dir.path()).unwrap();
    /// assert_eq!(backend.path().extension().unwrap(), "mbox");
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Files a message as it was captured, with its envelope — including
    /// envelopes lettre cannot represent (`<postmaster>`, a quoted local part
    /// such as `"john doe"@example.com`), which
    /// [`send_raw`](EmailBackend::send_raw) cannot take. `mailtest serve
    /// --dir` files what its sink accepts this way.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the file when it cannot be created or written.
    ///
    /// ```
    /// use mailtest_capture::Captured;
    /// use mailtest_mailer::FileBackend;
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let backend = FileBackend::new(dir.path()).unwrap();
    /// let bounce = Captured::new(None, vec!["postmaster".into()], b"Subject: bounce\r\n\r\nundeliverable\r\n".to_vec());
    /// backend.write_captured(&bounce).unwrap();
    ///
    /// let filed = mailtest_mailer::read_mail(dir.path()).unwrap();
    /// assert_eq!(filed, [bounce]);
    /// ```
    pub fn write_captured(&self, mail: &Captured) -> Result<(), Error> {
        self.append(mail.envelope_from.as_deref(), &mail.envelope_to, &mail.raw)
    }

    fn append(&self, from: Option<&str>, to: &[String], raw: &[u8]) -> Result<(), Error> {
        let bytes = mbox::encode(from, to, raw, SystemTime::now());
        let mut file = self.file()?;
        let open = file.as_mut().expect("file() leaves the file open");
        open.write_all(&bytes).map_err(|err| Error::io("write to the mail file", &self.path, &err))
    }

    /// The open file, opening (or first creating) it when needed.
    fn file(&self) -> Result<MutexGuard<'_, Option<File>>, Error> {
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        if file.is_none() {
            let mut created = self.created.lock().unwrap_or_else(PoisonError::into_inner);
            let mut options = OpenOptions::new();
            options.append(true);
            if *created {
                options.create(true);
            } else {
                options.create_new(true);
            }
            let opened = options
                .open(&self.path)
                .map_err(|err| Error::io("create the mail file", &self.path, &err))?;
            *created = true;
            *file = Some(opened);
        }
        Ok(file)
    }
}

impl EmailBackend for FileBackend {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        send_each(self, messages)
    }

    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        let (from, to) = envelope_strings(envelope);
        self.append(from.as_deref(), &to, raw)
    }

    fn open(&self) -> Result<(), Error> {
        self.file().map(drop)
    }

    fn close(&self) -> Result<(), Error> {
        let file = self.file.lock().unwrap_or_else(PoisonError::into_inner).take();
        match file {
            Some(file) => file.sync_all().map_err(|err| Error::io("close the mail file", &self.path, &err)),
            None => Ok(()),
        }
    }
}

/// Creates and removes a probe file: permission bits do not tell (root,
/// ACLs, read-only mounts), trying does.
fn check_writable(dir: &Path) -> Result<(), Error> {
    let session = NEXT_SESSION.fetch_add(1, Ordering::Relaxed);
    let probe = dir.join(format!(".mailtest-probe-{}-{session}", std::process::id()));
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|err| Error::io("write in the mail directory", dir, &err))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}
