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
//! and closures). Work no test owns is reached by address
//! ([`Outbox::unique_address`]) or by [`capture_global`], which takes every
//! send nothing else claims, from any thread or task. A send with nowhere to
//! go fails with [`Error::NoOutbox`], never silently, and a failing query
//! lists it. In a test process no mailer sends real SMTP to anything but an
//! `SmtpSink` of the process.
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
//! through one `Mailer` (in async code an `AsyncMailer`, feature `tokio`),
//! and `EMAIL_BACKEND` ([`Settings`]) decides where mail goes — SMTP
//! (feature `smtp`), the console, mbox files that [`Outbox::load`] reads
//! back, the in-memory outbox, nowhere, or an [`EmailBackend`] of your own.
//! [`send_mail`], [`send_mass_mail`], [`mail_admins`] and [`mail_managers`]
//! are Django's helpers; several named mailers (`MAILERS`) are chosen with
//! [`Mailer::using`], a backend of your own by name with [`register_backend`].
//! They behave as Django's do — checked against Django's own email tests:
//! the SMTP data arrives as built, domains go out in their ASCII form, and a
//! recipient the server refuses does not sink the message
//! ([`Mailer::deliver`] reports it). In a test, the capture takes every
//! mailer's mail.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `harness` | yes | queries, assertions, failure reports, lints, the macros and snapshots (insta, pretty_assertions, sha2, futures-timer). Off in a production build: `default-features = false, features = ["smtp"]` keeps `Mailer`, `AsyncMailer`, `Settings`, the backends, `send_mail` and the capture hook. |
//! | `smtp` | no | `SmtpBackend` (`EMAIL_BACKEND=smtp` sends for real): lettre's SMTP transport with rustls (ring, webpki roots). Without it, an SMTP `Mailer` still captures, and a real send says to turn it on. |
//! | `sink` | yes | [`SmtpSink`]: real SMTP on 127.0.0.1 delivering into an [`Outbox`], with AUTH, limits and failure injection. An event loop on `mio`: no TLS crate, no async runtime. |
//! | `cli` | no | the `mailtest` binary: `mailtest serve` runs a sink and prints (or files) each message, `mailtest show FILE` decodes a message file. |
//! | `tokio` | no | `AsyncMailer`, `AsyncEmailBackend`, the `send_async` forms, `AsyncCaptureTransport`, and a clear error instead of a deadlock when a blocking wait runs on a current-thread runtime. Turns on `lettre/tokio1`: with lettre's default `native-tls`, also turn on `lettre/tokio1-native-tls`. |
//!
//! # Minimum Rust version
//!
//! The `rust-version` in `Cargo.toml`; raising it is a minor-version change.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

#[cfg(feature = "harness")]
mod assert;
mod backend;
mod contain;
#[cfg(feature = "harness")]
mod criteria;
mod deliver;
mod email;
mod error;
mod html_text;
mod idna;
mod links;
#[cfg(feature = "harness")]
pub mod lint;
#[cfg(feature = "harness")]
mod macros;
mod mailbox;
mod outbox;
mod parse;
mod parts;
#[cfg(feature = "harness")]
mod pattern;
#[cfg(feature = "harness")]
mod preview;
#[cfg(feature = "harness")]
#[doc(hidden)]
pub mod __private {
    pub use crate::private::*;
}
#[cfg(feature = "harness")]
mod private;
#[cfg(feature = "harness")]
mod query;
#[cfg(feature = "harness")]
mod report;
mod send_mail;
#[cfg(feature = "sink")]
mod sink;
#[cfg(feature = "harness")]
pub mod snapshot;
mod start;
#[cfg(feature = "harness")]
mod strict;
mod transport;
#[cfg(feature = "harness")]
mod wait;

#[cfg(feature = "harness")]
pub use crate::assert::{AttachmentAssert, EmailAssert};
#[cfg(all(feature = "smtp", feature = "tokio"))]
pub use crate::backend::AsyncSmtpBackend;
#[cfg(feature = "smtp")]
pub use crate::backend::SmtpBackend;
#[cfg(feature = "tokio")]
pub use crate::backend::{AsyncEmailBackend, AsyncMailer, Blocking, register_async_backend};
pub use crate::backend::{
    BackendKind, ConsoleBackend, Delivery, DummyBackend, EmailBackend, FileBackend, Mailer, MemoryBackend,
    RefusedRecipient, Settings, register_backend,
};
pub use crate::email::Email;
pub use crate::error::{Cause, Error};
#[cfg(feature = "harness")]
pub use crate::lint::{Lint, LintConfig, Lints};
pub use crate::mailbox::Mailbox;
pub use crate::outbox::{BindGuard, Capture, Outbox, WithOutbox, WithOutboxExt, current};
pub use crate::parts::{Attachment, Header, MimePart};
#[cfg(feature = "harness")]
pub use crate::pattern::{Pattern, regex};
#[cfg(feature = "harness")]
pub use crate::query::Query;
#[cfg(feature = "harness")]
pub use crate::report::Failure;
pub use crate::send_mail::{
    MailStaff, SendMail, SendMassMail, mail_admins, mail_managers, send_mail, send_mass_mail,
};
#[cfg(feature = "sink")]
pub use crate::sink::{DropPoint, SmtpSink, SmtpSinkBuilder};
pub use crate::start::{capture, capture_global};
#[cfg(feature = "tokio")]
pub use crate::transport::AsyncCaptureTransport;
pub use crate::transport::CaptureTransport;
/// The attribute that implements [`AsyncEmailBackend`] (re-exported from
/// the `async-trait` crate, which the trait is written with).
#[cfg(feature = "tokio")]
pub use async_trait::async_trait;

// The README shows the SMTP sink, so its examples need the `sink` feature.
#[cfg(all(doctest, feature = "sink"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
