//! `mailtest show --html FILE [--out DIR]`: the HTML report of a message
//! file, as a failing test would write it.

use std::path::{Path, PathBuf};

use mailtest::Outbox;

/// Where the report goes without `--out`.
pub(crate) const DEFAULT_OUT: &str = "mailtest-report";

/// The options after `show --html`: FILE, then an optional `--out DIR`.
pub(crate) fn parse(args: &[String]) -> Result<(PathBuf, PathBuf), String> {
    match args {
        [file] if !file.starts_with("--") => Ok((PathBuf::from(file), PathBuf::from(DEFAULT_OUT))),
        [file, option, dir] if option == "--out" && !file.starts_with("--") => {
            Ok((PathBuf::from(file), PathBuf::from(dir)))
        }
        [file, option] if option == "--out" && !file.starts_with("--") => {
            Err("--out needs a value".to_owned())
        }
        [] => Err("show --html needs a FILE".to_owned()),
        _ => Err(format!("show --html takes FILE [--out DIR], got {}", args.join(" "))),
    }
}

/// Writes the report of every message in `file` (an mbox, or one `.eml`)
/// into `out`, and says where.
pub(crate) fn run(file: &Path, out: &Path) -> Result<(), String> {
    let raw = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let outbox = if raw.starts_with(b"From ") {
        Outbox::load(file).map_err(|e| e.to_string())?
    } else {
        let outbox = Outbox::new();
        outbox.capture_raw(None, &[], &raw);
        outbox
    };
    let index = outbox.write_report(out).map_err(|e| e.to_string())?;
    let emails = if outbox.len() == 1 { "1 email".to_owned() } else { format!("{} emails", outbox.len()) };
    println!("mailtest: wrote {} ({emails})", index.display());
    Ok(())
}
