//! `serve --dir DIR`: the mail kept on disk, so a restart lists it again.
//!
//! Each namespace has a folder of mbox files as the file backend writes
//! them (envelope kept): the default namespace `DIR` itself — so
//! `Outbox::load(DIR)` reads what a server without namespaces filed, as it
//! always did — and namespace `ns` in `DIR/+ns`. A run appends to a new
//! file per folder; a message sent to two namespaces is filed in both. At
//! start every folder is read back into its namespace, files in name
//! (time) order. Deleting a namespace's mail removes its files; deleting
//! one message rewrites the namespace's mail into one new file, then
//! removes the old ones (a crash between the two leaves a copy too many,
//! never one too few). Other files and folders in `DIR` are left alone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use mailtest::FileBackend;
use mailtest_capture::Captured;

use super::namespace::{self, DEFAULT};

/// What a namespace's folder is called under `DIR`.
const FOLDER_PREFIX: char = '+';

pub(crate) struct MailDir {
    root: PathBuf,
    /// Each namespace's file of this run, once it has one.
    writers: Mutex<HashMap<String, FileBackend>>,
}

/// The mail found at start: each namespace's, in filing order.
pub(crate) type Reloaded = Vec<(String, Vec<Captured>)>;

impl MailDir {
    /// Opens (creating) `root` and reads back what earlier runs filed there.
    pub(crate) fn open(root: &Path) -> Result<(MailDir, Reloaded), String> {
        // FileBackend::new makes the folder and says clearly when it cannot.
        FileBackend::new(root).map_err(|e| e.to_string())?;
        let mut reloaded = vec![(DEFAULT.to_owned(), read(root)?)];
        let listing = std::fs::read_dir(root).map_err(|e| format!("cannot list {}: {e}", root.display()))?;
        let mut folders: Vec<(String, PathBuf)> = listing
            .flatten()
            .filter(|entry| entry.path().is_dir())
            .filter_map(|entry| {
                let name = entry.file_name().to_str()?.strip_prefix(FOLDER_PREFIX)?.to_owned();
                let ns = namespace::name(&name).ok().filter(|ns| *ns == name)?;
                Some((ns, entry.path()))
            })
            .collect();
        folders.sort();
        for (ns, folder) in folders {
            if ns != DEFAULT {
                reloaded.push((ns, read(&folder)?));
            }
        }
        reloaded.retain(|(_, mail)| !mail.is_empty());
        Ok((MailDir { root: root.to_owned(), writers: Mutex::new(HashMap::new()) }, reloaded))
    }

    /// Where the mail is filed, for the banner.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    fn folder(&self, ns: &str) -> PathBuf {
        if ns == DEFAULT { self.root.clone() } else { self.root.join(format!("{FOLDER_PREFIX}{ns}")) }
    }

    fn writers(&self) -> MutexGuard<'_, HashMap<String, FileBackend>> {
        self.writers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends `mail` to namespace `ns`'s file of this run.
    pub(crate) fn file(&self, ns: &str, mail: &Captured) -> Result<(), String> {
        let mut writers = self.writers();
        if !writers.contains_key(ns) {
            let writer = FileBackend::new(self.folder(ns)).map_err(|e| e.to_string())?;
            writers.insert(ns.to_owned(), writer);
        }
        writers[ns].write_captured(mail).map_err(|e| e.to_string())
    }

    /// Replaces namespace `ns`'s files with one holding `live`, in order.
    pub(crate) fn rewrite(&self, ns: &str, live: &[Captured]) -> Result<(), String> {
        let mut writers = self.writers();
        let folder = self.folder(ns);
        let writer = FileBackend::new(&folder).map_err(|e| e.to_string())?;
        for mail in live {
            writer.write_captured(mail).map_err(|e| e.to_string())?;
        }
        remove_mbox_files(&folder, Some(writer.path()))?;
        writers.insert(ns.to_owned(), writer);
        Ok(())
    }

    /// Removes every file of namespace `ns`.
    pub(crate) fn clear(&self, ns: &str) -> Result<(), String> {
        let mut writers = self.writers();
        writers.remove(ns);
        let folder = self.folder(ns);
        remove_mbox_files(&folder, None)?;
        if ns != DEFAULT {
            // Only when empty: anything else put there is not ours to remove.
            let _ = std::fs::remove_dir(&folder);
        }
        Ok(())
    }
}

fn read(folder: &Path) -> Result<Vec<Captured>, String> {
    mailtest_mailer::read_mail(folder).map_err(|e| format!("cannot reload the mail filed earlier: {e}"))
}

/// Removes the `*.mbox` files directly in `folder`, but `keep`.
fn remove_mbox_files(folder: &Path, keep: Option<&Path>) -> Result<(), String> {
    let Ok(listing) = std::fs::read_dir(folder) else { return Ok(()) };
    for entry in listing.flatten() {
        let path = entry.path();
        let mbox = path.extension().is_some_and(|ext| ext == "mbox") && path.is_file();
        if mbox && Some(path.as_path()) != keep {
            std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(())
}
