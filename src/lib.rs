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
//! Each part is documented in the crate it belongs to:
//!
//! - **Capturing** — [where sends go](https://docs.rs/mailtest-harness/latest/mailtest_harness/#where-sends-go),
//!   [propagating a capture](https://docs.rs/mailtest-harness/latest/mailtest_harness/#propagating-a-capture) to tasks and
//!   threads, [`capture_global()`] for apps whose workers the test does not
//!   own, and why [no mail leaves a test](https://docs.rs/mailtest-harness/latest/mailtest_harness/#no-mail-leaves-a-test);
//!   [testing an application](https://docs.rs/mailtest-harness/latest/mailtest_harness/#testing-an-application) three ways.
//! - **Inspecting and asserting** — [`Email`], [`Outbox::find`] and
//!   [`Query`], [`Email::assert`], the macros ([`assert_sent!`]),
//!   [waiting](https://docs.rs/mailtest-harness/latest/mailtest_harness/#waiting-for-mail), the failure report ([`Failure`]) and
//!   [the HTML report](https://docs.rs/mailtest-harness/latest/mailtest_harness/#the-html-report); how mail is decoded:
//!   [mailtest-mime](https://docs.rs/mailtest-mime/latest/mailtest_mime/#what-is-decoded-and-how).
//! - **Snapshots** — [`snapshot`], [`assert_email_snapshot!`].
//! - **Lints** — [`lint`].
//! - **Sending, Django style** — [mailtest-mailer](https://docs.rs/mailtest-mailer):
//!   [`Mailer`], [`Settings`], the backends, [`send_mail`], and the Django →
//!   mailtest table.
//! - **An SMTP server for tests** — [`SmtpSink`], and the `mailtest`
//!   command with its web UI and JSON API:
//!   [mailtest-cli](https://docs.rs/mailtest-cli).
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `harness` | yes | everything a test uses but snapshots (mailtest-harness and mailtest-mime: similar, regex-lite, encoding_rs), and mailtest-mailer's `decode`, so the console backend prints decoded mail |
//! | `snapshots` | yes | [`assert_email_snapshot!`] and [`assert_outbox_snapshot!`] (insta and tempfile); without it they say, at compile time, to turn it on |
//! | `sink` | yes | [`SmtpSink`] (mailtest-sink): real SMTP on loopback into an outbox, AUTH, limits, failure injection; an event loop on `mio` (plus `socket2` for quick ACKs), no TLS crate, no async runtime |
//! | `sink-tls` | no | STARTTLS and implicit TLS for [`SmtpSink`] (`starttls()`, `implicit_tls()`, `ca_pem()`), with a certificate made at start: rustls (ring) and rcgen — 20 more crates, ring's C build among them, so off by default |
//! | `smtp` | no | `SmtpBackend`: `EMAIL_BACKEND=smtp` really sends (lettre's `smtp-transport` + `rustls-tls`: rustls, ring, webpki roots); with `tokio`, `AsyncSmtpBackend` |
//! | `dkim` | no | `email.assert().dkim_verifies(&keys)`, `email.dkim(&keys)` and `mailtest::dkim::DkimKey`: DKIM verification with keys the test gives, no DNS (mailtest-dkim: rsa, ed25519-dalek, sha2) |
//! | `tokio` | no | `AsyncMailer`, `AsyncEmailBackend`, the `send_async` forms, `AsyncCaptureTransport` and `Outbox::async_transport`; a clear error instead of a deadlock for a blocking wait on a current-thread runtime |
//!
//! The `mailtest` command (`serve`, `show`, `assert`) is a crate of its
//! own: `cargo install mailtest-cli`.
//!
//! An application that sends through [`Mailer`] or `AsyncMailer` in
//! production depends on mailtest-mailer, and on mailtest for its tests
//! (Cargo's resolver keeps the two apart, so the release build compiles none
//! of the test crates):
//!
//! ```toml
//! [dependencies]
//! mailtest-mailer = { version = "0.1", features = ["smtp", "tokio"] }
//!
//! [dev-dependencies]
//! mailtest = { version = "0.1", features = ["tokio"] }
//! ```
//!
//! `mailtest = { version = "0.1", default-features = false, features = ["smtp"] }`
//! in `[dependencies]` works as well (the same mailer, under mailtest's
//! names, without the harness). `cargo tree -e normal` of such an app shows
//! no insta, sha2, similar, regex-lite or encoding_rs (CI checks
//! it).
//!
//! `tokio` turns on `lettre/tokio1`: a crate that keeps lettre's default
//! `native-tls` must then also turn on `lettre/tokio1-native-tls`. How
//! `smtp` meets your own lettre features is in [mailtest-mailer's
//! features](https://docs.rs/mailtest-mailer/latest/mailtest_mailer/#features).
//!
//! # Minimum Rust version
//!
//! 1.88 (the `rust-version` in `Cargo.toml`) — what the resolved dependency
//! tree needs: lettre's `idna` pulls in `icu_*` 2.x, which needs 1.88.
//! Raising it is a minor-version change.
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
    AttachmentAssert, Attempt, Capture, CaptureTransport, Email, EmailAssert, Failure, Identity, Lint,
    LintConfig, Lints, Outbox, Pattern, Query, WithOutboxExt, assert_email_snapshot, assert_not_sent,
    assert_not_sent_async, assert_outbox_snapshot, assert_sent, assert_sent_async, assert_sent_count,
    capture, capture_global, current, lint, regex, snapshot, wait_for_reports,
};
// The decoder's types, as an `Email` shows them.
#[cfg(feature = "dkim")]
pub use mailtest_harness::dkim;
#[cfg(feature = "harness")]
pub use mailtest_mime::{Attachment, Header, Mailbox, MimePart};
// Where a send goes, and the faults it may meet on the way.
pub use mailtest_capture::{BindGuard, Fault, FaultPlan, Outcome, PlanError, Reply, Stage, WithOutbox};
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
    Mailer, MemoryBackend, Permit, RefusedRecipient, SendMail, SendMassMail, Settings, mail_admins,
    mail_managers, register_backend, send_mail, send_mass_mail,
};
// The guard for an application's own lettre transports.
pub use mailtest_mailer::{GuardError, Guarded, Sent, guard};
// The SMTP sink.
#[cfg(feature = "sink")]
pub use mailtest_sink::{DropPoint, Error as SinkError, SmtpSink, SmtpSinkBuilder};

// The README shows the SMTP sink, so its examples need the `sink` feature.
#[cfg(all(doctest, feature = "sink"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
