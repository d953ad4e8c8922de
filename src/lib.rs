//! Capture, inspect and assert the email your Rust code sends, with no
//! network.
//!
//! `mailtest` is the one crate a test adds. It re-exports, at the same
//! names, the crates it is made of:
//!
//! | crate | for | what it holds |
//! |---|---|---|
//! | [mailtest-harness] | tests | [`capture()`], [`Outbox`], [`Email`], [`Query`], the `assert_sent!` macros, [`snapshot`], [`lint`], the HTML report |
//! | [mailtest-mailer] | production | [`Mailer`], `AsyncMailer`, [`Settings`], the backends, [`send_mail`] and its relatives, [`Error`] |
//! | [mailtest-sink] | tests of anything that speaks SMTP | [`SmtpSink`] (feature `sink`, on by default) |
//! | [mailtest-mime] | both | the decoder behind [`Email`]: [`Mailbox`], [`Attachment`], [`MimePart`] |
//! | [mailtest-capture] | both | where a send goes: the one decision every path makes |
//!
//! An application that sends with [`Mailer`] depends on `mailtest-mailer`
//! in production and on `mailtest` in its dev-dependencies; its production
//! build then compiles nothing of the harness.
//!
//! ```
//! use lettre::Transport;
//!
//! // In a test: bind a fresh outbox to this thread.
//! let mail = mailtest::capture();
//!
//! // The code under test sends through a transport that captures.
//! let message = lettre::Message::builder()
//!     .from("App <app@example.com>".parse().unwrap())
//!     .to("ann@example.com".parse().unwrap())
//!     .subject("Welcome, Ann")
//!     .body(String::from("Confirm: https://example.com/confirm?t=abc"))
//!     .unwrap();
//! mailtest::CaptureTransport::ambient().send(&message).unwrap();
//!
//! // Then assert on what was sent.
//! let email = mail.find().to("ann@example.com").subject("Welcome, Ann").one();
//! assert_eq!(email.links(), ["https://example.com/confirm?t=abc"]);
//! ```
//!
//! # The guide
//!
//! Each part is documented where it lives:
//!
//! - **Capturing** — where sends go, propagating a capture to tasks and
//!   threads, `capture_global()` for apps whose workers the test does not
//!   own: [`capture()`], [`Outbox`], [`CaptureTransport`].
//! - **Asserting** — [`Outbox::find`] and [`Query`], [`Email::assert`],
//!   the macros ([`assert_sent!`]), and the failure report ([`Failure`]).
//! - **Snapshots** — [`snapshot`], [`assert_email_snapshot!`].
//! - **Lints** — [`lint`].
//! - **Sending, Django style** — [`Mailer`], [`Settings`], [`send_mail`].
//! - **An SMTP server for tests** — [`SmtpSink`].
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `harness` | yes | everything a test uses (mailtest-harness: insta, pretty_assertions, sha2, regex, mail-parser) |
//! | `sink` | yes | [`SmtpSink`] (mailtest-sink: mio, socket2; no TLS crate, no async runtime) |
//! | `smtp` | no | the SMTP backend of [`Mailer`] (lettre's SMTP transport with rustls) |
//! | `tokio` | no | `AsyncMailer`, `AsyncCaptureTransport` and the async forms. Turns on `lettre/tokio1`: with lettre's default `native-tls`, also turn on `lettre/tokio1-native-tls` |
//!
//! # Minimum Rust version
//!
//! The `rust-version` in `Cargo.toml`; raising it is a minor-version change.
//!
//! [mailtest-harness]: https://docs.rs/mailtest-harness
//! [mailtest-mailer]: https://docs.rs/mailtest-mailer
//! [mailtest-sink]: https://docs.rs/mailtest-sink
//! [mailtest-mime]: https://docs.rs/mailtest-mime
//! [mailtest-capture]: https://docs.rs/mailtest-capture

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// The test harness: capturing, reading, asserting, snapshots, lints.
#[cfg(all(feature = "harness", feature = "tokio"))]
pub use mailtest_harness::AsyncCaptureTransport;
#[cfg(feature = "harness")]
pub use mailtest_harness::{
    AttachmentAssert, Capture, CaptureTransport, Email, EmailAssert, Failure, Lint, LintConfig, Lints,
    Outbox, Pattern, Query, WithOutboxExt, assert_email_snapshot, assert_not_sent, assert_not_sent_async,
    assert_outbox_snapshot, assert_sent, assert_sent_async, assert_sent_count, capture, capture_global,
    current, lint, regex, snapshot,
};
// The decoder's types, as an `Email` shows them.
#[cfg(feature = "harness")]
pub use mailtest_mime::{Attachment, Header, Mailbox, MimePart};
// Where a send goes.
pub use mailtest_capture::{BindGuard, WithOutbox};
// The production mailer: Django's email backends.
/// Support for the macros. Not public API: names here may change in any release.
#[cfg(feature = "harness")]
#[doc(hidden)]
pub use mailtest_harness::__private;
#[cfg(all(feature = "smtp", feature = "tokio"))]
pub use mailtest_mailer::AsyncSmtpBackend;
#[cfg(feature = "smtp")]
pub use mailtest_mailer::SmtpBackend;
#[cfg(feature = "tokio")]
pub use mailtest_mailer::{AsyncEmailBackend, AsyncMailer, Blocking, async_trait, register_async_backend};
pub use mailtest_mailer::{
    BackendKind, Cause, ConsoleBackend, Delivery, DummyBackend, EmailBackend, Error, FileBackend, MailStaff,
    Mailer, MemoryBackend, RefusedRecipient, SendMail, SendMassMail, Settings, mail_admins, mail_managers,
    register_backend, send_mail, send_mass_mail,
};
// The SMTP sink.
#[cfg(feature = "sink")]
pub use mailtest_sink::{DropPoint, Error as SinkError, SmtpSink, SmtpSinkBuilder};

// The README shows the SMTP sink, so its examples need the `sink` feature.
#[cfg(all(doctest, feature = "sink"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
