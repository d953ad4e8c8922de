//! Writing a report folder: `index.html`, and the `NN.eml` files the page
//! links to rather than embeds (every one for `write_report`, only those
//! over 1 MiB for a failure's report: see [`Target::Page`]).

use std::path::{Path, PathBuf};

use super::{Target, eml_files, page};
use crate::email::Email;
use mailtest_mailer::Error;

/// The file earlier versions kept a failure's text in, beside its page;
/// removed with the rest of an earlier report.
const OLD_FAILURE_FILE: &str = "failure.txt";

/// Writes the report of `emails` into `dir` (created if need be) and returns
/// the path of its `index.html`. Files of an earlier report there are
/// replaced, and `.eml` files it had beyond these removed, so the folder
/// always shows one run; nothing else in it is touched.
pub(crate) fn write(
    dir: &Path,
    emails: &[Email],
    failure: Option<&str>,
    target: Target,
) -> Result<PathBuf, Error> {
    let fresh = create(dir)?;
    let files = eml_files(emails, target);
    // A folder made just now holds nothing to remove or replace.
    let put = |path: &Path, bytes: &[u8]| match fresh {
        true => std::fs::write(path, bytes).map_err(|e| Error::io("write", path, &e)),
        false => replace(path, bytes),
    };
    if !fresh {
        remove_stale(dir, &files.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>())?;
    }
    for (name, bytes) in &files {
        put(&dir.join(name), bytes)?;
    }
    let index = dir.join("index.html");
    put(&index, page::report(emails, failure, target).as_bytes())?;
    Ok(std::path::absolute(&index).unwrap_or(index))
}

/// Makes folder `dir` (and what it is in); whether it is new. One `mkdir`
/// where the folders above it exist, as they do after a process's first
/// report.
fn create(dir: &Path) -> Result<bool, Error> {
    let error = |e: std::io::Error| Error::io("create the report folder", dir, &e);
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(error)?;
            Ok(true)
        }
        Err(e) => Err(error(e)),
    }
}

/// Removes `NN.eml` files, `index.html` and `failure.txt` of an earlier
/// report that this one will not write.
fn remove_stale(dir: &Path, keep: &[&str]) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read the report folder", dir, &e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == "index.html"
            || name == OLD_FAILURE_FILE
            || name
                .strip_suffix(".eml")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if ours && !keep.contains(&name.as_str()) {
            let path = entry.path();
            std::fs::remove_file(&path)
                .map_err(|e| Error::io("remove the earlier report file", &path, &e))?;
        }
    }
    Ok(())
}

/// Writes `bytes` as `path`, removing the file that was there first. Not a
/// rewrite of it, nor a rename over it: ext4 (its `auto_da_alloc`) flushes
/// a file replaced either way to disk at once, some milliseconds each,
/// which a rerun that rewrites every report, and the run's index after
/// each failure, would pay many times over; a new file is not flushed.
pub(crate) fn replace(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io("replace", path, &e)),
        _ => {}
    }
    std::fs::write(path, bytes).map_err(|e| Error::io("write", path, &e))
}
