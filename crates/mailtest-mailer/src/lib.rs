//! Django's email backends in Rust: application code sends through one
//! [`Mailer`] (in async code an [`AsyncMailer`], feature `tokio`), and
//! `EMAIL_BACKEND` ([`Settings`]) decides where mail goes — a real SMTP
//! server (feature `smtp`), the console, mbox files, the in-memory capture
//! of a test, nowhere, or an [`EmailBackend`] of your own. The code never
//! changes between production, local development and tests.
//!
//! This is the crate an application depends on in production. Its tests
//! add [mailtest](https://docs.rs/mailtest) as a dev-dependency, which
//! brings the assertions; nothing of the test harness (no insta, no
//! mail-parser, no regex) is in this crate's tree.
//!
//! ```toml
//! [dependencies]
//! mailtest-mailer = { version = "0.1", features = ["smtp"] }
//!
//! [dev-dependencies]
//! mailtest = "0.1"
//! ```
//!
//! ```
//! use lettre::Transport;
//!
//! // Production: EMAIL_BACKEND, EMAIL_HOST, … come from the environment.
//! let settings = mailtest_mailer::Settings::from_vars([("EMAIL_BACKEND", "console")]).unwrap();
//! let mailer = mailtest_mailer::Mailer::from_settings(&settings).unwrap();
//!
//! // In a test, a capture takes the mail, whatever the backend.
//! let mail = mailtest::capture();
//! let message = lettre::Message::builder()
//!     .from("app@example.com".parse().unwrap())
//!     .to("ann@example.com".parse().unwrap())
//!     .subject("Welcome")
//!     .body(String::from("Hello Ann"))
//!     .unwrap();
//! mailer.send(&message).unwrap();
//! mail.find().to("ann@example.com").subject("Welcome").one();
//! ```
//!
//! # Contents
//!
//! - [`Settings`]: `EMAIL_*` variables (Django's names), named mailers
//!   (`MAILERS`), with an error naming the setting for every bad value.
//! - [`Mailer`], [`AsyncMailer`]: a `lettre::Transport` / `AsyncTransport`
//!   over a backend; [`Delivery`] says which recipients a server refused.
//! - The backends: [`SmtpBackend`] and [`AsyncSmtpBackend`] (feature
//!   `smtp`), [`ConsoleBackend`], [`FileBackend`] (read back with
//!   [`read_mail`]), [`MemoryBackend`], [`DummyBackend`], and
//!   [`register_backend`] for your own [`EmailBackend`].
//! - Django's helpers: [`send_mail`], [`send_mass_mail`], [`mail_admins`],
//!   [`mail_managers`].
//! - [`Error`]: everything a send or a setting can fail with;
//!   [`Error::is_temporary`] tells a failure worth a retry.
//!
//! # In a test process
//!
//! Where a send goes is decided by `mailtest_capture`, the same for every
//! path: the capture bound on the sending thread, a routed address, or the
//! global capture take the mail; otherwise the mailer uses its backend, and
//! an SMTP backend in a test process reaches only an `SmtpSink` of the
//! process ([`Error::NoOutbox`] says so, and how to capture instead). A test
//! can therefore never send real mail by accident, whatever the environment
//! says; [`Mailer::bypass_capture`] opts a mailer out, for a test of a
//! backend itself.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `smtp` | no | [`SmtpBackend`]: lettre's SMTP transport with rustls (ring, webpki roots). Without it, an SMTP mailer still captures in a test, and a real send says to turn it on. |
//! | `tokio` | no | [`AsyncMailer`], [`AsyncEmailBackend`], the `send_async` forms. Turns on `lettre/tokio1`: with lettre's default `native-tls`, also turn on `lettre/tokio1-native-tls`. |

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod backend;
mod capture;
mod error;
mod idna;
mod send_mail;

#[cfg(all(feature = "smtp", feature = "tokio"))]
pub use crate::backend::AsyncSmtpBackend;
#[cfg(feature = "smtp")]
pub use crate::backend::SmtpBackend;
#[cfg(feature = "tokio")]
pub use crate::backend::{AsyncEmailBackend, AsyncMailer, Blocking, register_async_backend};
pub use crate::backend::{
    BackendKind, ConsoleBackend, Delivery, DummyBackend, EmailBackend, FileBackend, Mailer, MemoryBackend,
    RefusedRecipient, Settings, read_mail, register_backend,
};
pub use crate::error::{Cause, Error};
pub use crate::send_mail::{
    MailStaff, SendMail, SendMassMail, mail_admins, mail_managers, send_mail, send_mass_mail,
};
/// The attribute that implements [`AsyncEmailBackend`] (re-exported from
/// the `async-trait` crate, which the trait is written with).
#[cfg(feature = "tokio")]
pub use async_trait::async_trait;

/// For mailtest's own crates. Not public API: names here may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::backend::timestamp::Utc;
}
