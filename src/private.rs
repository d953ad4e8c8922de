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
