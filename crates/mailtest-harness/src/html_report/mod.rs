//! Seeing the mail: the HTML report written when a test fails, and the pages
//! of `mailtest serve --http` (the same renderer).
//!
//! A report is one self-contained `index.html` that works from `file://`
//! with JavaScript off — a CI artefact opens as it is — plus one `NN.eml`
//! per email, the bytes as captured. It holds nothing that changes from run
//! to run (no time, no path, no outbox id), so the same emails give the same
//! bytes.
//!
//! The pages are written by plain functions over [`html::Html`], which only
//! takes markup from literals and escapes everything else, rather than with
//! a template engine: a few fixed pages do not need one, and a template
//! language would add a dependency to every test build and a second place
//! where escaping could be forgotten. An email's HTML is shown in a
//! sandboxed `srcdoc` frame behind a Content-Security-Policy (see
//! [`frame`]); no script of an email ever runs, and nothing is fetched.

mod email_view;
mod embed;
mod frame;
mod html;
mod list;
mod location;
mod on_failure;
mod page;
mod write;

use std::path::{Path, PathBuf};

use crate::email::Email;
use crate::outbox::Outbox;
use mailtest_mailer::Error;

pub(crate) use on_failure::ReportAtEnd;

/// Waits until every failure report this process has begun, and the run's
/// index, is on disk.
///
/// A failing assertion hands its report to a thread of its own and goes on
/// panicking; the test process waits for that thread as it exits, so
/// `cargo test` and nextest never need this. A test that reads a report it
/// caused, in the same process, does:
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// # unsafe { std::env::set_var("MAILTEST_REPORT_DIR", dir.path()) };
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi");
/// let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mail.find().subject("Goodbye").one()))
///     .unwrap_err();
/// let message = failed.downcast_ref::<String>().unwrap();
/// let index = message.rsplit_once("mailtest report: ").unwrap().1;
///
/// mailtest::wait_for_reports();
/// assert!(std::fs::read_to_string(index).unwrap().contains("Welcome"));
/// ```
pub fn wait_for_reports() {
    on_failure::wait_for_reports();
}

/// The pages `mailtest serve --http` serves (the binary reaches them through
/// `__private`; they are not public API).
pub(crate) mod served {
    pub use super::page::{
        LIVE_POLICY, LIVE_SCRIPT, REPORT_POLICY, live_email as email_page, live_list as list_page,
    };
}

/// Where a page links to: files beside a report, the page itself, or the
/// live server's routes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Target {
    /// `write_report`'s folder: every email's `.eml` is a file beside the page.
    File,
    /// A failure's report: the page alone, each `.eml` embedded in it as a
    /// `data:` URI, but for one over [`embed::PART_LIMIT`], which is a file
    /// beside it ([`eml_files`]). One new file a failing test: the file
    /// system's cost of a new file is most of what a report costs.
    Page,
    Served,
}

impl Target {
    fn email_href(self, n: u64) -> String {
        match self {
            Target::File | Target::Page => format!("#m-{n}"),
            Target::Served => format!("/m/{n}"),
        }
    }

    fn eml_href(self, email: &Email, n: u64) -> String {
        match self {
            Target::Page if embeds_eml(email) => {
                let mut uri = String::from("data:message/rfc822;base64,");
                mailtest_mime::base64::encode_into(email.raw(), &mut uri);
                uri
            }
            _ => self.eml_file_href(n),
        }
    }

    /// Where the `.eml` of email `n` is when it is not embedded.
    fn eml_file_href(self, n: u64) -> String {
        match self {
            Target::File | Target::Page => eml_name(n),
            Target::Served => format!("/api/messages/{n}.eml"),
        }
    }
}

/// Whether a failure's report embeds the email's `.eml` (else it is a file
/// beside the page).
fn embeds_eml(email: &Email) -> bool {
    email.raw().len() <= embed::PART_LIMIT
}

/// The `.eml` files a report of `emails` for `target` has beside its page,
/// with the bytes of each.
pub(crate) fn eml_files(emails: &[Email], target: Target) -> Vec<(String, &[u8])> {
    emails
        .iter()
        .enumerate()
        .filter(|(_, email)| target != Target::Page || !embeds_eml(email))
        .map(|(index, email)| (eml_name(number(email, index)), email.raw()))
        .collect()
}

/// An email's number: its capture sequence, or its place in the list for
/// an email outside an outbox.
fn number(email: &Email, index: usize) -> u64 {
    match email.sequence() {
        0 => index as u64 + 1,
        n => n,
    }
}

/// `01.eml`, `02.eml`, … (two digits at least, so they sort).
fn eml_name(n: u64) -> String {
    format!("{n:02}.eml")
}

/// A size for people: `512 B`, `1.5 KiB`, `2.0 MiB`.
fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

impl Outbox {
    /// Writes an HTML report of every captured email into `dir` (created if
    /// need be): a self-contained `index.html` — headers, the HTML body
    /// rendered safely at phone, tablet and full width, text, source, raw
    /// headers, MIME tree, attachments, links, problems, lints — and one `NN.eml`
    /// per email. Returns the path of `index.html`.
    ///
    /// A failing assertion writes one by itself; see [the HTML
    /// report](crate#the-html-report) for where, and `MAILTEST_REPORT`.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi Ann");
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let index = mail.write_report(dir.path()).unwrap();
    /// assert_eq!(index, std::path::absolute(dir.path().join("index.html")).unwrap());
    /// assert!(std::fs::read_to_string(&index).unwrap().contains("Welcome"));
    /// assert!(dir.path().join("01.eml").is_file());
    /// ```
    pub fn write_report(&self, dir: impl AsRef<Path>) -> Result<PathBuf, Error> {
        write::write(dir.as_ref(), &self.emails(), None, Target::File)
    }
}
