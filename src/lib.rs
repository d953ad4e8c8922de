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
//! # Snapshots
//!
//! [`snapshot::render`] turns an [`Email`] into a stable, readable text —
//! decoded headers, the MIME tree, bodies, attachments by hash — with the
//! values every send changes (date, message id, boundaries) redacted, plus
//! your own [`snapshot::Redactions`]. [`assert_email_snapshot!`] and
//! [`assert_outbox_snapshot!`] hand it to insta, so `cargo insta review`
//! shows what changed in the mail your code sends; your crate needs no
//! insta dependency.
//!
//! # Lints
//!
//! [`Email::lint`] checks an email for what makes real mail bounce, clip or
//! show broken images — no Message-ID, a `cid:` image with no part, a
//! localhost link, HTML Gmail clips, a visible Bcc, a broken
//! `List-Unsubscribe` — offline, and prints rustc-style diagnostics.
//! [`EmailAssert::lints_clean`] and [`Outbox::assert_lints_clean`] make them
//! assertions, tuned with [`LintConfig`]. See [`lint`] for every rule.
//!
//! # Sending, Django style
//!
//! [`Mailer`] brings Django's email backends to Rust: application code sends
//! through one `Mailer`, and `EMAIL_BACKEND` ([`Settings`]) decides where
//! mail goes — SMTP (feature `smtp`), the console, mbox files that
//! [`Outbox::load`] reads back, the in-memory outbox, nowhere, or an
//! [`EmailBackend`] of your own. [`send_mail`] is Django's one-call form.
//! While a capture is bound, every `Mailer` delivers into it.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `smtp` | no | `SmtpBackend` (`EMAIL_BACKEND=smtp` sends for real): lettre's SMTP transport with rustls (ring, webpki roots). Without it, an SMTP `Mailer` still captures, and a real send says to turn it on. |
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
mod backend;
mod contain;
mod criteria;
mod email;
mod error;
mod links;
pub mod lint;
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
mod send_mail;
#[cfg(feature = "sink")]
mod sink;
pub mod snapshot;
mod transport;
mod wait;

pub use crate::assert::{AttachmentAssert, EmailAssert};
#[cfg(feature = "smtp")]
pub use crate::backend::SmtpBackend;
pub use crate::backend::{
    BackendKind, ConsoleBackend, DummyBackend, EmailBackend, FileBackend, Mailer, MemoryBackend, Settings,
};
pub use crate::email::Email;
pub use crate::error::Error;
pub use crate::lint::{Lint, LintConfig, Lints};
pub use crate::mailbox::Mailbox;
pub use crate::outbox::{BindGuard, Capture, Outbox, WithOutbox, WithOutboxExt, capture, current};
pub use crate::parts::{Attachment, Header, MimePart};
pub use crate::pattern::{Pattern, regex};
pub use crate::query::Query;
pub use crate::report::Failure;
pub use crate::send_mail::{SendMail, send_mail};
#[cfg(feature = "sink")]
pub use crate::sink::{DropPoint, SmtpSink, SmtpSinkBuilder};
#[cfg(feature = "tokio")]
pub use crate::transport::AsyncCaptureTransport;
pub use crate::transport::CaptureTransport;

// The README shows the SMTP sink, so its examples need the `sink` feature.
#[cfg(all(doctest, feature = "sink"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
