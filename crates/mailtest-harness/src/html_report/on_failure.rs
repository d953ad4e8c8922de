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

use std::cell::RefCell;
use std::path::{Path, PathBuf};

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

/// The mode, and a note when the variable holds something else.
fn mode() -> (Mode, Option<String>) {
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
pub(crate) use run_index::{FAILURE_FILE, Reported};

thread_local! {
    /// Folders this thread wrote a failure report into: a capture that drops
    /// while the panic unwinds must not overwrite it with a report that
    /// lacks the failure.
    static REPORTED: RefCell<Vec<PathBuf>> = const { RefCell::new(Vec::new()) };
}

/// Writes the report of a failure about to panic; returns the text to add
/// to the panic message (empty when reports are off or the failure has no
/// emails to show). Never panics: a report that cannot be written is said
/// in that text instead.
pub(crate) fn failure_note(failure: &Failure) -> String {
    let (mode, note) = mode();
    let Some(emails) = failure.emails() else { return note.map(|n| format!("\n\n{n}")).unwrap_or_default() };
    if mode == Mode::Never {
        return String::new();
    }
    let root = report_root();
    let folder = test_folder();
    let dir = root.path.join(&folder);
    let line = match super::write::write(&dir, emails, Some(failure.report())) {
        Ok(_) => {
            let _ = REPORTED.try_with(|reported| reported.borrow_mut().push(dir));
            let headline = failure.report().lines().next().map(str::to_owned);
            refresh_index(&root, Change::Wrote(reported(&folder, emails.len(), headline)));
            format!("mailtest report: {}", shown(&root.shown.join(&folder).join("index.html")))
        }
        Err(error) => format!("mailtest report not written: {error}"),
    };
    match note {
        Some(note) => format!("\n\n{line}\n{note}"),
        None => format!("\n\n{line}"),
    }
}

/// A capture is ending: with `MAILTEST_REPORT=always`, or while the thread
/// panics (a test failing on a plain `assert!`), write the report of its
/// outbox, unless this thread already wrote one for a failure on it.
/// Returns where it went, for the caller to tell.
pub(crate) fn capture_ended(outbox: &Outbox) -> Option<Result<PathBuf, mailtest_mailer::Error>> {
    let (mode, _) = mode();
    if mode == Mode::Never {
        return None;
    }
    let panicking = std::thread::panicking();
    let wanted = mode == Mode::Always || panicking;
    let root = report_root();
    let folder = test_folder();
    let dir = root.path.join(&folder);
    let already = REPORTED.try_with(|reported| reported.borrow().contains(&dir)).unwrap_or(true);
    if !wanted && !already {
        remove_stale(&root, &folder);
    }
    if !wanted || (panicking && already) {
        return None;
    }
    let emails: Vec<Email> = outbox.emails();
    if panicking && emails.is_empty() {
        return None;
    }
    let written =
        super::write::write(&dir, &emails, None).map(|_| root.shown.join(&folder).join("index.html"));
    if written.is_ok() {
        refresh_index(&root, Change::Wrote(reported(&folder, emails.len(), None)));
    }
    Some(written)
}

/// The test passed this far: the report an earlier run left for it goes.
fn remove_stale(root: &ReportRoot, folder: &Path) {
    let dir = root.path.join(folder);
    if !dir.join("index.html").is_file() {
        return;
    }
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => refresh_index(root, Change::Removed(slashed(folder))),
        Err(error) => eprintln!("mailtest: the earlier report in {} not removed: {error}", dir.display()),
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

/// Brings the run's index up to date, saying on standard error when it
/// cannot: the test's own report stands either way.
fn refresh_index(root: &ReportRoot, change: Change) {
    if let Err(error) = run_index::refresh(root, change) {
        eprintln!("mailtest: the index of the reports not written: {error}");
    }
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
        if let Some(written) = capture_ended(outbox)
            && std::thread::panicking()
        {
            match written {
                Ok(index) => eprintln!("mailtest report of the captured email: {}", index.display()),
                Err(error) => eprintln!("mailtest report not written: {error}"),
            }
        }
    }
}
