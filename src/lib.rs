//! Capture, inspect and assert the email your code sends, with no network.
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
//! # Capturing
//!
//! [`capture()`] binds a new [`Outbox`] to the current thread until the
//! returned [`Capture`] drops. Sends reach it through:
//!
//! - [`CaptureTransport`], a `lettre::Transport`: [`Outbox::transport`]
//!   delivers into one outbox from any thread, [`CaptureTransport::ambient`]
//!   into whatever is bound on the sending thread;
//! - `AsyncCaptureTransport`, its `lettre::AsyncTransport` twin (feature `tokio`);
//! - [`Outbox::capture_raw`], for RFC 5322 bytes built any other way;
//! - `SmtpSink` (feature `sink`, on by default): real SMTP on loopback, for
//!   code and programs in any language that only speak SMTP.
//!
//! Work that runs elsewhere follows the test with [`Outbox::scope`] /
//! [`WithOutboxExt::with_outbox`] (futures, re-bound on every poll, so
//! `tokio::spawn` works), [`Outbox::spawn`] and [`Outbox::in_scope`] (threads
//! and closures). Work no test owns is reached by address:
//! [`Outbox::unique_address`]. An ambient send with nowhere to go fails with
//! [`Error::NoOutbox`], never silently.
//!
//! # Inspecting
//!
//! [`Email`] is an owned, decoded view, parsed once on first inspection:
//! subject, addresses (Bcc from the envelope), headers, text and HTML,
//! attachments, links, the MIME tree. Malformed input never panics; it is
//! described in [`Email::problems`].
//!
//! # Asserting
//!
//! [`Outbox::find`] starts a [`Query`]; its terminals check how many emails
//! matched and, on failure, panic at your line with a report of every
//! captured email and why it missed. [`Query::within`] waits for mail still
//! on its way, woken by its arrival.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `sink` | yes | [`SmtpSink`]: real SMTP on 127.0.0.1 delivering into an [`Outbox`], with AUTH, limits and failure injection. Pure std: no TLS crate, no runtime. |
//! | `cli` | no | the `mailtest` binary: `mailtest serve` runs a sink and prints (or files) each message, `mailtest show FILE` decodes a message file. |
//! | `tokio` | no | `AsyncCaptureTransport`, and a clear error instead of a deadlock when a blocking wait runs on a current-thread runtime. Turns on `lettre/tokio1`: with lettre's default `native-tls`, also turn on `lettre/tokio1-native-tls`. |
//!
//! # Minimum Rust version
//!
//! The `rust-version` in `Cargo.toml`; raising it is a minor-version change.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod assert;
mod contain;
mod criteria;
mod email;
mod error;
mod links;
mod macros;
mod mailbox;
mod outbox;
mod parse;
mod parts;
mod pattern;
#[doc(hidden)]
pub mod __private {
    pub use crate::private::*;
}
mod private;
mod query;
mod report;
#[cfg(feature = "sink")]
mod sink;
mod transport;
mod wait;

pub use crate::assert::{AttachmentAssert, EmailAssert};
pub use crate::email::Email;
pub use crate::error::Error;
pub use crate::mailbox::Mailbox;
pub use crate::outbox::{BindGuard, Capture, Outbox, WithOutbox, WithOutboxExt, capture, current};
pub use crate::parts::{Attachment, Header, MimePart};
pub use crate::pattern::{Pattern, regex};
pub use crate::query::Query;
pub use crate::report::Failure;
#[cfg(feature = "sink")]
pub use crate::sink::{DropPoint, SmtpSink, SmtpSinkBuilder};
#[cfg(feature = "tokio")]
pub use crate::transport::AsyncCaptureTransport;
pub use crate::transport::CaptureTransport;

// The README shows the SMTP sink, so its examples need the `sink` feature.
#[cfg(all(doctest, feature = "sink"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
