//! Reading back what the file backend wrote: `mailtest::Outbox::load` and
//! `mailtest show` build on it, and so can any tool of yours.

use std::path::{Path, PathBuf};

use mailtest_capture::Captured;

use super::mbox;
use crate::error::Error;

/// The messages a [`FileBackend`](crate::FileBackend) wrote, with their
/// envelopes, in the order they were written: from one file, or from every
/// `.mbox` file of a directory (in name order, which is the order the
/// backend made them).
///
/// # Errors
///
/// [`Error::Io`] when a file cannot be read, [`Error::MalformedMailbox`]
/// when one is not what the file backend writes (naming the line).
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("mailtest-read-doc-{}", std::process::id()));
/// let mailer = mailtest_mailer::Mailer::new(mailtest_mailer::FileBackend::new(&dir).unwrap()).bypass_capture();
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .subject("Filed")
///     .body(String::from("Hello"))
///     .unwrap();
/// mailer.send_messages(&[message]).unwrap();
/// drop(mailer);
///
/// let read = mailtest_mailer::read_mail(&dir).unwrap();
/// assert_eq!(read[0].envelope_to, ["ann@example.com"]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn read_mail(path: impl AsRef<Path>) -> Result<Vec<Captured>, Error> {
    let path = path.as_ref();
    let metadata = std::fs::metadata(path).map_err(|err| Error::io("read", path, &err))?;
    let files = if metadata.is_dir() { mbox_files(path)? } else { vec![path.to_owned()] };
    let mut read = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).map_err(|err| Error::io("read", &file, &err))?;
        let entries = mbox::decode(&file, &bytes)?;
        read.extend(
            entries.into_iter().map(|entry| Captured::new(entry.envelope_from, entry.envelope_to, entry.raw)),
        );
    }
    Ok(read)
}

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
