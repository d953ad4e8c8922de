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
//! - [`guard`]: mailtest's delivery decision for an application's own
//!   lettre transport ([`Guarded`], [`GuardError`], [`Sent`]).
//! - [`Settings::from_url`], [`Mailer::from_url`] and `EMAIL_URL`: lettre's
//!   URL syntax and django-environ's schemes.
//! - [`Error`]: everything a send or a setting can fail with;
//!   [`Error::is_temporary`] tells a failure worth a retry.
//!
//! # Sending, Django style
//!
//! Application code sends through a [`Mailer`] (a `lettre::Transport`), in
//! async code an [`AsyncMailer`] (a `lettre::AsyncTransport`, feature
//! `tokio`), or Django's helpers; `EMAIL_BACKEND` decides where the mail
//! goes, as in Django's `django.core.mail`:
//!
//! | `EMAIL_BACKEND` | Django alias | what happens |
//! |---|---|---|
//! | `smtp` (default) | `django.core.mail.backends.smtp.EmailBackend` | lettre's SMTP client with rustls (feature `smtp`): [`SmtpBackend`], or [`AsyncSmtpBackend`] in an `AsyncMailer` |
//! | `console` | `…console.EmailBackend` | each message printed, with a separator line: [`ConsoleBackend`] |
//! | `file` | `…filebased.EmailBackend` | a new mbox file per `Mailer` in `EMAIL_FILE_PATH`: [`FileBackend`] |
//! | `memory` / `locmem` | `…locmem.EmailBackend` | into the test's capture: [`MemoryBackend`] |
//! | `dummy` | `…dummy.EmailBackend` | accepted and discarded: [`DummyBackend`] |
//!
//! ```
//! // Application code: never changes between production, development and tests.
//! fn send_receipt(mailer: &mailtest_mailer::Mailer, to: &str) -> Result<usize, mailtest_mailer::Error> {
//!     mailtest_mailer::send_mail("Your receipt", "Paid: 12.50 EUR", "Shop <shop@example.com>", &[to])
//!         .html_message("<p>Paid: <b>12.50 EUR</b></p>") // then multipart/alternative
//!         .connection(mailer) // without it: Mailer::from_env()
//!         .send() // Ok(1) when sent: one message, whatever the number of recipients
//! }
//!
//! // In a test, the capture receives the mail whatever the backend says,
//! // so a test can never send real mail by accident:
//! let mail = mailtest::capture();
//! let mailer = mailtest_mailer::Mailer::from_settings(&Default::default()).unwrap(); // smtp, localhost:25
//! assert_eq!(send_receipt(&mailer, "ann@example.com").unwrap(), 1);
//! mail.find().to("ann@example.com").subject("Your receipt").text_contains("12.50 EUR").one();
//! ```
//!
//! [`Settings`] lists every variable, its default and what it accepts. They
//! come from the environment ([`Settings::from_env`], [`Mailer::from_env`])
//! or any list of pairs ([`Settings::from_vars`], so tests never touch the
//! process environment). A bad value is an error naming the setting and the
//! value (`mailtest: EMAIL_PORT="abc" is not valid: expected a port number
//! from 1 to 65535`); `EMAIL_USE_TLS` with `EMAIL_USE_SSL` names both; an
//! unknown backend lists the valid ones.
//!
//! ## Several mailers
//!
//! Django 6.1's `MAILERS`: `MAILERS=bulk` names another mailer, configured
//! by `MAILER_BULK_` + one of Django's options (`MAILER_BULK_HOST=bulk-relay.example.com`,
//! or the `EMAIL_*` name: `MAILER_BULK_EMAIL_HOST`) — a named SMTP mailer
//! needs its host, and an unknown setting is an error that says which one
//! is close;
//! [`Mailer::using`] makes it, `send_mail(..).using("bulk")` sends through
//! it, and a captured email says which mailer sent it:
//!
//! ```
//! let settings = mailtest_mailer::Settings::from_vars([
//!     ("EMAIL_HOST", "smtp.example.com"),
//!     ("MAILERS", "bulk"),
//!     ("MAILER_BULK_HOST", "bulk-relay.example.com"),
//! ])
//! .unwrap();
//! let bulk = mailtest_mailer::Mailer::using(&settings, "bulk").unwrap();
//! let mail = mailtest::capture(); // takes the mail: nothing reaches either host
//! mailtest_mailer::send_mail("Spring sale", "20% off", "shop@example.com", &["ann@example.com"])
//!     .connection(&bulk)
//!     .send()
//!     .unwrap();
//! assert_eq!(mail.find().subject("Spring sale").one().sent_using(), Some("bulk"));
//! ```
//!
//! # The file backend
//!
//! [`FileBackend`] writes mbox (mboxrd), which mail tools open, with the
//! SMTP envelope kept in `X-Mailtest-Envelope-From` /
//! `X-Mailtest-Envelope-To` lines, so [`read_mail`] (and mailtest's
//! `Outbox::load`) gives back every message — Bcc included, bytes unchanged
//! — and a test can assert on mail **another process** sent:
//!
//! ```no_run
//! // Not run here: it needs the program built first
//! // (`cargo build -p mailtest-mailer --example send_with_env`);
//! // mailtest's `tests/integration/backend_process.rs` runs it.
//! use std::process::Command;
//!
//! let dir = std::env::temp_dir().join("mailtest-file-backend");
//! let status = Command::new("target/debug/examples/send_with_env")
//!     .env("EMAIL_BACKEND", "file")
//!     .env("EMAIL_FILE_PATH", &dir)
//!     .arg("ann@example.com")
//!     .status()
//!     .unwrap();
//! assert!(status.success());
//!
//! let outbox = mailtest::Outbox::load(&dir).unwrap(); // every *.mbox file, in name (= time) order
//! let receipt = outbox.find().to("ann@example.com").subject("Receipt #42").one();
//! assert_eq!(receipt.bcc(), ["audit@example.com"]);
//! ```
//!
//! Each `Mailer` session gets its own file (named by start time, process id
//! and a counter, created exclusively), its messages appended whole under a
//! lock, so concurrent writers — threads, mailers, processes — never
//! interleave, and nothing from an earlier session is touched. The
//! directory is created if missing; a path that is a regular file or not
//! writable is an error naming it. A file that is not mbox, or a message
//! cut short, is an error naming the file and line: nothing is half-loaded.
//!
//! # The console backend
//!
//! [`ConsoleBackend`] prints each message as sent, as Django's does. With
//! this crate's `decode` feature — which mailtest turns on, so a test build
//! has it — it prints what a reader sees instead: decoded headers, the
//! envelope, text and HTML bodies, attachments by name, type and size,
//! rather than encoded words and quoted-printable. [`ConsoleBackend::stdout`]
//! goes through `print!`, so `cargo test` captures it with the test's
//! output; [`ConsoleBackend::new`] takes any `Write`.
//!
//! # A backend of your own
//!
//! Implement [`EmailBackend`] (`send_messages`, and optionally `send_raw`,
//! `open`, `close`) and hand it to [`Mailer::new`]; [`Error::backend`] makes
//! its errors say which backend failed. To choose it by configuration, as
//! Django takes a dotted path,
//! `register_backend("myapp.backends.Sms", |settings| Ok(SmsBackend::new(settings)))`
//! at start-up, then `EMAIL_BACKEND=myapp.backends.Sms`; an unknown name's
//! error lists the registered ones. See [`register_backend`], and
//! `cargo run --example custom_backend` in the repository.
//!
//! A backend that reaches a server over the network implements
//! [`EmailBackend::deliver_with`] too: the mailer hands it a [`Permit`],
//! which it asks before connecting ([`Permit::reach`]) — so that in a test
//! process it is refused as mailtest's SMTP backend is, unless its mailer
//! bypasses capture.
//!
//! # SMTP
//!
//! With the `smtp` feature: STARTTLS for `EMAIL_USE_TLS`, implicit TLS for
//! `EMAIL_USE_SSL`, AUTH PLAIN/LOGIN when user and password are set, the
//! timeout, a client certificate, extra trust from `EMAIL_SSL_CAFILE`. TLS
//! is always rustls. Sessions follow Django: a `send_messages` batch (and
//! `send_mass_mail`) is one session; [`Mailer::open`] holds one for every
//! send until [`Mailer::close`]. `AsyncMailer` pools them: an idle session
//! is reused by the next send (after a `NOOP`), up to ten, for a minute
//! each. Errors name the server and its reply (`mailtest: SMTP server
//! 127.0.0.1:2525: permanent error (535): 5.7.8 Authentication credentials
//! invalid`), keep its code ([`Error::Smtp`]) and say whether a retry may
//! help ([`Error::is_temporary`]: a 4xx reply); a timeout says so and names
//! `EMAIL_TIMEOUT`. The backend is tested against a real server nobody here
//! wrote — Python's aiosmtpd, on 127.0.0.1 with certificates generated in
//! the test — and against mailtest's own SMTP sink, which counts sessions.
//! A client certificate needs lettre's `native-tls` off in the whole build
//! (with it on you get a clear error). Without the feature an SMTP `Mailer`
//! still captures in tests; in a test process a send nothing captures is
//! refused ([`Error::NoOutbox`]: the feature would not make it happen), and
//! elsewhere — or from a `bypass_capture()` mailer — it fails with
//! [`Error::FeatureRequired`] naming the feature.
//!
//! **What goes over SMTP is what was built.** The data arrives byte for
//! byte (lines ended in CRLF, as SMTP requires; a final CRLF only when the
//! message had none, as `smtplib` adds it — `"Content\n"` stays
//! `"Content\n"`), with correct dot-stuffing. Non-ASCII domains go out in
//! their ASCII form in the headers and the envelope (`to@öäü.com` →
//! `to@xn--4ca9at.com`), for every backend, so a server without SMTPUTF8
//! takes them. A recipient the server refuses does not sink the message:
//! the others get it and it counts as sent, as in Django;
//! [`mailer.deliver(&messages)`](Mailer::deliver) returns a [`Delivery`]
//! that lists the refused recipients with the server's reply (Django drops
//! that list), and only a message whose every recipient is refused is an
//! error.
//!
//! # Django → mailtest
//!
//! mailtest is tested against Django's own email tests (`tests/mail/` in
//! the Django repository): their backend-level checks are ported in
//! mailtest's interop suite (`django_parity.rs`: every backend, SMTP
//! against aiosmtpd) and `tests/registry.rs` (custom backends). What maps
//! to what, and where mailtest differs on purpose:
//!
//! | Django | mailtest | difference, and why |
//! |---|---|---|
//! | `EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"` (and `console`, `filebased`, `locmem`, `dummy`) | the same dotted names, or `smtp`, `console`, `file`, `memory`/`locmem`, `dummy` | — |
//! | a third-party backend by dotted path | `register_backend(name, factory)` (`register_async_backend` for async), then `EMAIL_BACKEND=name` | Rust cannot import a type by name, so the program registers it first |
//! | `mail.get_connection()` | `Mailer::from_env()`, `Mailer::from_settings(&settings)`; `AsyncMailer` in async code | — |
//! | `get_connection(fail_silently=True)` | `mailer.fail_silently(true)`: a failed `open()` is silent, a batch goes on past a failure and counts what was sent | — |
//! | `connection.open()` → `True`/`False` | `mailer.open()` → `Result<(), Error>`; a second `open()` is a no-op | there is no `bool` to read; a failure is an error instead of an exception; in a test process an SMTP mailer opens a session only with an `SmtpSink` (else `Error::NoOutbox`) |
//! | `with connection:` / `connection.close()` | `mailer.close()`; the last clone's drop closes too | Rust's `Drop` is the context manager |
//! | `connection.send_messages(messages)` → count | `mailer.send_messages(&messages)` → `Ok(count)`; `mailer.deliver(&messages)` → a `Delivery` with the refused recipients | Django drops the list of refused recipients that `smtplib` returns |
//! | `send_mail(subject, message, from_email, recipient_list, fail_silently=, auth_user=, auth_password=, connection=, html_message=)` | `send_mail(subject, message, from_email, &recipients)` then `.fail_silently(..)`, `.auth_user(..)`, `.auth_password(..)`, `.connection(&mailer)`, `.html_message(..)`, `.send()`; `.send_async().await` with `.async_connection(..)` | a builder instead of keyword arguments |
//! | `auth_user`/`auth_password` together with `connection` | `Error::ConflictingOptions` | — (as Django now) |
//! | `send_mass_mail`, `mail_admins`, `mail_managers` | the same, as builders | `ADMINS`/`MANAGERS` are read from the given mailer's settings (else the environment's), not from a global `settings` module |
//! | `MAILERS` (Django 6.1), `mail.mailers["bulk"]`, `send_mail(.., using="bulk")` | `MAILERS=bulk` + `MAILER_BULK_<OPTION>` (`MAILER_BULK_HOST`, …), `Mailer::using(&settings, "bulk")`, `send_mail(..).using("bulk")` | an environment is flat, so a mailer's options are variables with its name in them; the default mailer is the plain `EMAIL_*` settings; as in Django, a named SMTP mailer requires `HOST` and an unknown option is an error (naming the closest one) |
//! | `EmailMessage.sent_using` (locmem) | `Email::sent_using()` on every captured email | recorded for every mailer, not only the memory backend |
//! | `EmailMessage`, `EmailMultiAlternatives` | `lettre::Message` (or `send_mail` and friends) | lettre builds the message: its choice of transfer encoding, its header folding |
//! | `mail.outbox` (the test runner swaps in locmem) | `let mail = mailtest::capture();` per test, or `capture_global()` | **a capture claims every mailer's mail, whatever its backend**, unless the mailer is `bypass_capture()`; and in a test process an SMTP mailer reaches only an `SmtpSink` of the process: a test can never send real mail, and parallel tests never see each other's mail |
//! | the console backend prints the raw MIME message | the same; with the `decode` feature (on in tests, through mailtest), decoded headers, the envelope, text and HTML bodies, attachments by name | decoded is for reading in a terminal |
//! | the file backend writes `.log` files | mbox files that `read_mail` / `Outbox::load` read back, envelope included | so a test can assert on mail another process sent |
//! | `EMAIL_HOST`, `EMAIL_PORT`, `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD`, `EMAIL_USE_TLS`, `EMAIL_USE_SSL`, `EMAIL_SSL_CERTFILE`, `EMAIL_FILE_PATH`, `DEFAULT_FROM_EMAIL`, `SERVER_EMAIL`, `EMAIL_USE_LOCALTIME` | the same names and defaults | — |
//! | `EMAIL_SUBJECT_PREFIX` | the same default, `[Django] ` | kept so a configuration moved from Django sends the same subjects; set it to your application's name |
//! | `EMAIL_SSL_KEYFILE` without `EMAIL_SSL_CERTFILE` | refused when the settings are read, naming both | Django ignores the key file then, silently |
//! | `EMAIL_TIMEOUT` unset: no timeout | lettre's 60 s; a timeout's error says how long it waited and names `EMAIL_TIMEOUT` | a send never hangs for ever |
//! | `ADMINS = ["ann@example.com", ...]` | `ADMINS=ann@example.com, bob@example.com` (any mailbox syntax) | one variable; an invalid value is an error when the settings are read, not when `mail_admins` runs |
//! | — | `EMAIL_SSL_CAFILE` | mailtest's own: trust a private or self-signed server |
//! | a newline in a header value → `BadHeaderError` | `Error::BadHeader` naming the header, even with `fail_silently`: from `send_mail` and its relatives, and for a `lettre::Message` sent through any mailer (a typed header or a pre-encoded raw one) | — |
//! | non-ASCII domains → IDNA in headers and envelope | the same, for every backend; domains already in `xn--` form kept | — |
//! | a non-ASCII local part (`nø@example.dk`) → always refused | sent with SMTPUTF8 when the server offers it; refused, naming the address, otherwise | the server decides, not the client |
//! | a local part without a domain (`"tester"`) | `Error::InvalidAddress` | lettre's addresses need a domain |
//! | some recipients refused | the message goes to the others and counts; all refused is an error | — (as `smtplib`); the refused ones are reported, see `deliver` |
//! | the SMTP data | as built, CRLF lines, a final CRLF only when missing | — (as `smtplib`) |
//!
//! # In a test process
//!
//! Where a send goes is decided by [`mailtest_capture`], the same for every
//! path: the capture bound on the sending thread, a routed address, or the
//! global capture take the mail; otherwise the mailer uses its backend, and
//! an SMTP backend in a test process reaches only an `SmtpSink` of the
//! process ([`Error::NoOutbox`] says so on one line; `{:#}` adds how to
//! capture instead) — for a send, and for [`Mailer::open`]. A test can
//! therefore never send real mail by accident, whatever the environment
//! says; [`Mailer::bypass_capture`] opts a mailer out, for a test of a
//! backend itself. The mailer tells its backend which applies in an
//! argument, a [`Permit`], rather than through state of its thread.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `smtp` | no | [`SmtpBackend`] (with `tokio`, [`AsyncSmtpBackend`]): lettre's `smtp-transport` + `rustls-tls` (rustls, ring, webpki roots). Without it, an SMTP mailer still captures in a test, and a real send says to turn it on. |
//! | `tokio` | no | [`AsyncMailer`], [`AsyncEmailBackend`], the `send_async` forms. Turns on `lettre/tokio1`. |
//! | `decode` | no | the console backend prints each message decoded (with mailtest-mime, which brings mail-parser). mailtest turns it on for tests. |
//!
//! Your own lettre features meet these in one build:
//!
//! - `tokio` turns on `lettre/tokio1`. lettre refuses `tokio1` next to its
//!   default `native-tls` unless `tokio1-native-tls` is on too, so a crate
//!   that uses lettre's defaults and turns on `tokio` must also turn on
//!   `lettre/tokio1-native-tls` (or `tokio1-rustls-tls` with rustls).
//! - `smtp` turns on lettre's `rustls`. Next to lettre's default
//!   `native-tls` that compiles and works (checked in CI with a user crate
//!   that keeps lettre's defaults), with one effect on your own lettre code:
//!   with both TLS stacks on, lettre's `TlsParameters::new` picks rustls for
//!   your transports too.
//! - `smtp` together with `tokio` needs `lettre/tokio1-rustls`; this crate
//!   turns it on for you, through a tiny internal crate
//!   (`mailtest-lettre-tokio-rustls`), as Cargo has no "both features on"
//!   condition. If your crate also turns on `lettre/tokio1` with
//!   `native-tls`, add `lettre/tokio1-native-tls` as for `tokio`.
//! - `smtp` in a build where **your** crate turns on `lettre/tokio1` (an
//!   app with `AsyncSmtpTransport`) but this crate's `tokio` is off does
//!   not compile: lettre sees `tokio1` with rustls and demands
//!   `tokio1-rustls`, which no feature of ours can know to turn on. Turn on
//!   this crate's `tokio` (mailtest's `tokio`) as well, or add
//!   `lettre/tokio1-rustls` yourself. mailtest's interop user crate checks
//!   both fixes (`interop/user-crate-lettre-defaults`, feature `app-tokio`).
//!
//! # Performance
//!
//! Measured with `cargo bench -p mailtest-benches --bench capture` and
//! `--bench mailer` (criterion, 2 cores, load average 1.6), each against a
//! baseline in the same run, on the same message (multipart/mixed: text and
//! HTML alternatives and a 2 KB attachment):
//!
//! | what | result | limit |
//! |---|---|---|
//! | a `Mailer` send into a capture (the delivery decision and Django's message preparation) / an explicit `outbox.transport()` send | **0.96×** (0.996 µs vs 1.03 µs) before the header check; with it about **1.2×** (≈ 0.3 µs more a message: lettre lists headers only by writing them, so every message's headers are written once more to find a line break) | ≤ 1.05× |
//! | `AsyncMailer` (SMTP, pooled) / lettre's `AsyncSmtpTransport` (pooled), one message to mailtest's SMTP sink | **1.00×** (340 µs vs 340 µs; 0.86–1.00× over runs) | ≤ 1.1× |
//!
//! The compile-time cost of `smtp`, from clean in separate target
//! directories (dev profile, 2 cores). Measured before the workspace split,
//! on the single `mailtest` crate without its default features — then the
//! mailer and the capture store, no test harness: `cargo build
//! --no-default-features` against the same with `--features smtp`:
//!
//! | build | crates compiled | CPU time (user + sys) | wall time |
//! |---|---|---|---|
//! | without `smtp` | 56 | 39–41 s | 56–70 s |
//! | with `smtp` | 77 (+21) | 61–62 s (about +50 %) | 58–71 s |
//!
//! The 21 extra crates are rustls, rustls-webpki, ring (C and assembly,
//! compiled with `cc`), webpki-roots, rustls-pki-types, url, socket2 and
//! their small dependencies. The figures are two runs each, on a shared
//! 2-core machine under load from other builds (load average 3–7), so the
//! wall times say little; CPU time is the stable comparison. Measure on
//! your machine with `cargo build -p mailtest-mailer`, with and without
//! `--features smtp`, and `--target-dir` pointing at two empty directories.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod backend;
mod capture;
mod delivery;
mod error;
mod fault_error;
mod guard;
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
    Permit, RefusedRecipient, Settings, read_mail, register_backend,
};
pub use crate::error::{Cause, Error};
pub use crate::guard::{GuardError, Guarded, Sent, guard};
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
