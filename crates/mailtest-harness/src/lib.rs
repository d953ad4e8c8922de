//! The test harness of [mailtest](https://docs.rs/mailtest): the [`Outbox`]
//! a test captures into, the queries and assertions over it whose failures
//! say why nothing matched, [insta](https://insta.rs) snapshots, lints and
//! the HTML report. Use it through the `mailtest` crate, which re-exports
//! every item here at the same name.
//!
//! ```
//! use lettre::Transport;
//!
//! let mail = mailtest::capture();
//! let message = lettre::Message::builder()
//!     .from("App <app@example.com>".parse().unwrap())
//!     .to("ann@example.com".parse().unwrap())
//!     .subject("Welcome, Ann")
//!     .body(String::from("Confirm: https://example.com/confirm?t=abc"))
//!     .unwrap();
//! mailtest::CaptureTransport::ambient().send(&message).unwrap();
//!
//! let email = mail.find().to("ann@example.com").subject("Welcome, Ann").one();
//! assert_eq!(email.links(), ["https://example.com/confirm?t=abc"]);
//! ```
//!
//! # Contents, along the data path
//!
//! - **Capturing**: [`capture`], [`capture_global`] and [`Capture`] bind an
//!   [`Outbox`] where the code under test sends; [`CaptureTransport`] (and
//!   `AsyncCaptureTransport`, feature `tokio`) are lettre transports into
//!   it; [`Outbox::scope`], [`WithOutboxExt`], [`Outbox::spawn`] and
//!   [`Outbox::unique_address`] follow work onto other tasks and threads.
//! - **Reading**: [`Email`], the decoded view of one captured message
//!   (decoded by mailtest-mime on first inspection).
//! - **Asserting**: [`Query`] (from [`Outbox::find`]), [`EmailAssert`]
//!   (from [`Email::assert`]), the `assert_sent!` macros, [`Failure`] — the
//!   report that says why nothing matched.
//! - **Snapshots**: [`snapshot`] and the `assert_email_snapshot!` macros.
//! - **Lints**: [`lint`], [`Email::lint`], [`LintConfig`].
//! - **The HTML report**: written when an assertion fails, or on demand by
//!   [`Outbox::write_report`].

#![warn(missing_docs)]

mod assert;
mod criteria;
mod email;
mod failure;
mod html_report;
mod linked;
pub mod lint;
mod macros;
mod outbox;
mod pattern;
mod query;
pub mod snapshot;
mod start;
mod strict;
mod transport;
mod wait;

#[doc(hidden)]
pub mod __private {
    pub use crate::private::*;
}
mod private;

pub use crate::assert::{AttachmentAssert, EmailAssert};
pub use crate::email::Email;
pub use crate::failure::Failure;
pub use crate::lint::{Lint, LintConfig, Lints};
pub use crate::outbox::{Capture, Outbox, WithOutboxExt, current};
pub use crate::pattern::{Pattern, regex};
pub use crate::query::Query;
pub use crate::start::{capture, capture_global};
#[cfg(feature = "tokio")]
pub use crate::transport::AsyncCaptureTransport;
pub use crate::transport::CaptureTransport;
pub use mailtest_capture::{BindGuard, WithOutbox};
pub use mailtest_mime::{Attachment, Header, Mailbox, MimePart};
