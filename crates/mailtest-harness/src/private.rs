//! Support for the macros. Not public API: names here may change in any release.

use crate::outbox::{Outbox, current};

/// The outbox bound on this thread, or a panic that says how to bind one.
#[track_caller]
pub fn bound_outbox(macro_name: &str) -> Outbox {
    match current() {
        Some(outbox) => outbox,
        None => panic!(
            "{macro_name}!: no outbox is bound on this thread.\n\
             Call `let mail = mailtest::capture();` at the start of the test, or name an outbox: \
             `{macro_name}!(outbox, ..)`."
        ),
    }
}

/// Accepts an `Outbox`, a `Capture` or a reference to either.
pub fn outbox_of<T: AsOutbox + ?Sized>(outbox: &T) -> &Outbox {
    outbox.as_outbox()
}

/// What a macro's leading expression may be.
pub trait AsOutbox {
    /// The outbox.
    fn as_outbox(&self) -> &Outbox;
}

impl AsOutbox for Outbox {
    fn as_outbox(&self) -> &Outbox {
        self
    }
}

impl AsOutbox for crate::outbox::Capture {
    fn as_outbox(&self) -> &Outbox {
        self
    }
}

impl<T: AsOutbox + ?Sized> AsOutbox for &T {
    fn as_outbox(&self) -> &Outbox {
        (**self).as_outbox()
    }
}

/// The insta the snapshot macros expand to, so a user crate needs no insta
/// dependency of its own.
#[cfg(feature = "snapshots")]
pub use insta;

/// What `assert_email_snapshot!`'s expression may be: an `Email`, the
/// `Lints` of one (`email.lint()`), or a reference to either.
pub trait EmailSnapshot {
    /// The snapshot text, after `redactions`.
    fn snapshot_text(&self, redactions: &crate::snapshot::Redactions) -> String;
}

impl EmailSnapshot for crate::email::Email {
    fn snapshot_text(&self, redactions: &crate::snapshot::Redactions) -> String {
        crate::snapshot::render_with(self, redactions)
    }
}

impl EmailSnapshot for crate::lint::Lints {
    /// The plain diagnostics: no colour, so the snapshot is the same on a
    /// terminal and off it.
    fn snapshot_text(&self, redactions: &crate::snapshot::Redactions) -> String {
        let text = format!("{self}\n");
        if redactions.is_empty() { text } else { redactions.apply(&text) }
    }
}

impl<T: EmailSnapshot + ?Sized> EmailSnapshot for &T {
    fn snapshot_text(&self, redactions: &crate::snapshot::Redactions) -> String {
        (**self).snapshot_text(redactions)
    }
}

/// The snapshot text of an email or its lints, for `assert_email_snapshot!`.
pub fn email_snapshot<E, R>(email: &E, redactions: R) -> String
where
    E: EmailSnapshot + ?Sized,
    R: core::borrow::Borrow<crate::snapshot::Redactions>,
{
    email.snapshot_text(redactions.borrow())
}

/// The snapshot text of an outbox, for `assert_outbox_snapshot!`.
pub fn outbox_snapshot<O, R>(outbox: &O, redactions: R) -> String
where
    O: AsOutbox + ?Sized,
    R: core::borrow::Borrow<crate::snapshot::Redactions>,
{
    crate::snapshot::render_outbox_with(outbox.as_outbox(), redactions.borrow())
}

/// No redactions beyond the built-in ones (the macros' default).
pub fn no_redactions() -> crate::snapshot::Redactions {
    crate::snapshot::Redactions::new()
}

/// `2024-01-02T03:04:05Z`: a time as the JSON API of `mailtest serve` writes it.
pub fn rfc3339(time: std::time::SystemTime) -> String {
    mailtest_mailer::__private::Utc::of(time).rfc3339()
}

/// The pages of `mailtest serve --http`, for the `mailtest` binary.
pub mod preview {
    pub use crate::html_report::served::*;
}
