//! Writing a report folder: `index.html` and one `NN.eml` per email.

use std::path::{Path, PathBuf};

use super::{eml_name, number, page};
use crate::email::Email;
use mailtest_mailer::Error;

/// Writes the report of `emails` into `dir` (created if need be) and returns
/// the path of its `index.html`. Files of an earlier report there are
/// replaced, and `.eml` files it had beyond these emails removed, so the
/// folder always shows one run; nothing else in it is touched.
pub(crate) fn write(dir: &Path, emails: &[Email], failure: Option<&str>) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create the report folder", dir, &e))?;
    let names: Vec<String> =
        emails.iter().enumerate().map(|(index, email)| eml_name(number(email, index))).collect();
    remove_stale(dir, &names)?;
    for (email, name) in emails.iter().zip(&names) {
        let path = dir.join(name);
        std::fs::write(&path, email.raw()).map_err(|e| Error::io("write", &path, &e))?;
    }
    let index = dir.join("index.html");
    std::fs::write(&index, page::report(emails, failure)).map_err(|e| Error::io("write", &index, &e))?;
    Ok(std::path::absolute(&index).unwrap_or(index))
}

/// Removes `NN.eml` files and `index.html` of an earlier report that this
/// one will not write.
fn remove_stale(dir: &Path, keep: &[String]) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read the report folder", dir, &e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == "index.html"
            || name
                .strip_suffix(".eml")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if ours && !keep.contains(&name) {
            let path = entry.path();
            std::fs::remove_file(&path)
                .map_err(|e| Error::io("remove the earlier report file", &path, &e))?;
        }
    }
    Ok(())
}
