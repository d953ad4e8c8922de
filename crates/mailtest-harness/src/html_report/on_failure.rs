//! The report written when an assertion fails (and, on request, whenever a
//! capture ends), so that the author of a failing test can look at the mail;
//! the run's index over all of them (`run_index.rs`); and the removal of a
//! test's report from an earlier run once the test passes.
//!
//! A test is known to pass here when its capture ends without a panic and
//! without a report written for it in this run: its folder, if an earlier
//! run left one, is removed then (and the index rebuilt). A test that
//! never calls `mailtest::capture()` gives no such moment; its old report
//! stays until it fails again or the folder is deleted.

mod run_index;
mod writer;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::Target;
use super::location::{ReportRoot, report_root, test_folder};
use crate::email::Email;
use crate::failure::Failure;
use crate::outbox::{AtEnd, Outbox};

/// `MAILTEST_REPORT`: when reports are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Never,
    Failure,
    Always,
}

/// The mode, and a note when the variable holds something else: read once
/// a process, as the report's place is, since every test's capture asks.
fn mode() -> &'static (Mode, Option<String>) {
    static MODE: OnceLock<(Mode, Option<String>)> = OnceLock::new();
    MODE.get_or_init(read_mode)
}

fn read_mode() -> (Mode, Option<String>) {
    let value = std::env::var("MAILTEST_REPORT").unwrap_or_default();
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "failure" => (Mode::Failure, None),
        "never" => (Mode::Never, None),
        "always" => (Mode::Always, None),
        _ => (
            Mode::Failure,
            Some(format!(
                "mailtest: MAILTEST_REPORT={value:?} is not one of never, failure, always; \
                 reporting as for failure"
            )),
        ),
    }
}

use run_index::Change;
pub(crate) use run_index::Reported;
pub(crate) use writer::wait as wait_for_reports;

thread_local! {
    /// Folders this thread wrote a failure report into: a capture that drops
    /// while the panic unwinds must not overwrite it with a report that
    /// lacks the failure.
    static REPORTED: RefCell<Vec<PathBuf>> = const { RefCell::new(Vec::new()) };
}

/// Hands the report of a failure about to panic to the writer; returns the
/// text to add to the panic message (empty when reports are off or the
/// failure has no emails to show). Never panics: a report that cannot be
/// written is said on standard error.
pub(crate) fn failure_note(failure: &Failure) -> String {
    let (mode, note) = mode();
    let Some(emails) = failure.emails() else {
        return note.as_ref().map(|n| format!("\n\n{n}")).unwrap_or_default();
    };
    if *mode == Mode::Never {
        return String::new();
    }
    let root = report_root();
    let folder = test_folder();
    let dir = root.path.join(&folder);
    let _ = REPORTED.try_with(|reported| reported.borrow_mut().push(dir.clone()));
    let line = format!("mailtest report: {}", shown(&root.shown.join(&folder).join("index.html")));
    let (emails, text) = (emails.to_vec(), failure.report().to_owned());
    writer::submit(Box::new(move || {
        let headline = text.lines().next().map(str::to_owned);
        written(super::write::write(&dir, &emails, Some(&text), Target::Page))?;
        Some((root, Change::Wrote(reported(&folder, emails.len(), headline))))
    }));
    match note {
        Some(note) => format!("\n\n{line}\n{note}"),
        None => format!("\n\n{line}"),
    }
}

/// A capture is ending: with `MAILTEST_REPORT=always`, or while the thread
/// panics (a test failing on a plain `assert!`), hand the report of its
/// outbox to the writer, unless this thread already wrote one for a failure
/// on it; when the test passed, its report from an earlier run goes. Returns
/// where the report will be, for the caller to tell.
pub(crate) fn capture_ended(outbox: &Outbox) -> Option<PathBuf> {
    let (mode, _) = *mode();
    if mode == Mode::Never {
        return None;
    }
    let panicking = std::thread::panicking();
    let wanted = mode == Mode::Always || panicking;
    let root = report_root();
    if !wanted && !run_index::held_any(root) {
        // Known from one look at the folders a process: most tests pass, and
        // have nothing to remove (nor a name worth working out).
        return None;
    }
    let folder = test_folder();
    let dir = root.path.join(&folder);
    let already = REPORTED.try_with(|reported| reported.borrow().contains(&dir)).unwrap_or(true);
    if !wanted && !already {
        if run_index::holds(root, &slashed(&folder)) {
            writer::submit(Box::new(move || remove_stale(root, folder)));
        }
        return None;
    }
    if !wanted || (panicking && already) {
        return None;
    }
    let emails: Vec<Email> = outbox.emails();
    if panicking && emails.is_empty() {
        return None;
    }
    let index = root.shown.join(&folder).join("index.html");
    writer::submit(Box::new(move || {
        written(super::write::write(&dir, &emails, None, Target::Page))?;
        Some((root, Change::Wrote(reported(&folder, emails.len(), None))))
    }));
    Some(index)
}

/// Whether a report's files were written, saying on standard error why
/// not: the test has long gone on by then.
fn written(result: Result<PathBuf, mailtest_mailer::Error>) -> Option<PathBuf> {
    result.map_err(|error| writer::tell(&format!("mailtest report not written: {error}"))).ok()
}

/// The test passed this far: the report an earlier run left for it goes.
fn remove_stale(root: &'static ReportRoot, folder: PathBuf) -> Option<(&'static ReportRoot, Change)> {
    let slashed = slashed(&folder);
    let dir = root.path.join(&folder);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => Some((root, Change::Removed(slashed))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Some((root, Change::Removed(slashed))),
        Err(error) => {
            writer::tell(&format!("mailtest: the earlier report in {} not removed: {error}", dir.display()));
            None
        }
    }
}

/// A report of `emails` in `folder`, as the index lists it.
fn reported(folder: &Path, emails: usize, headline: Option<String>) -> Reported {
    let mut parts = folder.iter().map(|part| part.to_string_lossy().into_owned());
    let mut next = || parts.next().unwrap_or_default();
    Reported { package: next(), binary: next(), test: next(), emails, headline }
}

/// `package/binary/test`, with `/` on every system.
fn slashed(folder: &Path) -> String {
    folder.iter().map(|part| part.to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// A path as a failure message names it: `/` between its parts on every
/// system, so the message is the same everywhere.
fn shown(path: &Path) -> String {
    path.display().to_string().replace('\\', "/")
}

/// A failure fails the test here: the HTML report is written first, so the
/// panic message can end with where it is.
impl Failure {
    /// Panics with the report, at the caller's line. The HTML report is
    /// written first, and the panic message ends with where it is.
    #[track_caller]
    pub(crate) fn panic(self) -> ! {
        let written = failure_note(&self);
        self.tell_refused_elsewhere();
        panic!("{self}{written}")
    }

    /// Says on standard error how many sends were refused meanwhile that the
    /// report does not list: beside the failure, not in it, so that the
    /// failure's text stays the same whatever other tests do.
    fn tell_refused_elsewhere(&self) {
        let count = self.refused_elsewhere();
        if count > 0 {
            let sends = if count == 1 { "send was" } else { "sends were" };
            eprintln!(
                "mailtest: {count} more {sends} refused in this process while the outbox was alive, on threads \
                 the capture was never bound on and to recipients the query does not name: other tests' \
                 work, or work this test did not propagate its capture to (run the test alone to see \
                 them in its report)"
            );
        }
    }

    /// Panics with the report, its first line starting with `location`
    /// (`file:line:col: `), where tools and eyes look: for checks that run
    /// where Rust cannot carry the caller's location (an async terminal's
    /// poll, a strict capture's drop), so the panic itself is inside mailtest.
    pub(crate) fn panic_at(self, location: &std::panic::Location<'_>) -> ! {
        let written = failure_note(&self);
        self.tell_refused_elsewhere();
        panic!("{location}: {self}{written}")
    }
}

/// Writes the report of a capture that ends while its test fails some other
/// way (a plain `assert!`), or of every capture with `MAILTEST_REPORT=always`:
/// attached to every capture by `mailtest::capture()`.
pub(crate) struct ReportAtEnd;

impl AtEnd for ReportAtEnd {
    fn capture_ended(&mut self, outbox: &Outbox) {
        if let Some(index) = capture_ended(outbox)
            && std::thread::panicking()
        {
            eprintln!("mailtest report of the captured email: {}", shown(&index));
        }
    }
}
