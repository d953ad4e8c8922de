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
//!
//! The guide below takes them in the order a test meets them.
//!
//! # Where sends go
//!
//! | you have | use |
//! |---|---|
//! | code that takes a transport | [`outbox.transport()`](Outbox::transport): delivers into that outbox from any thread |
//! | code that makes its own transport | [`CaptureTransport::ambient()`]: delivers where the rules below say |
//! | async code (`lettre::AsyncTransport`) | `outbox.async_transport()` / `AsyncCaptureTransport::ambient()` (feature `tokio`) |
//! | a `Mailer` / `AsyncMailer` built from settings | nothing to change: in a test, the rules below take its mail |
//! | bytes from mail-builder or by hand | [`outbox.capture_raw(Some(from), &[to, ..], bytes)`](Outbox::capture_raw) |
//!
//! One decision, the same for every path — ambient transports, `Mailer`,
//! `AsyncMailer`, `send_mail` and its relatives — says where a send goes
//! (the [`mailtest_capture`] crate makes it):
//!
//! 1. the outbox bound on the sending thread (or on the future being polled);
//! 2. an outbox that [`unique_address`](Outbox::unique_address) routed, for any recipient;
//! 3. the global capture ([`capture_global()`]), if one is alive;
//! 4. otherwise an ambient transport refuses with
//!    [`Error::NoOutbox`](mailtest_mailer::Error::NoOutbox), and a mailer
//!    uses its own backend — except that [no mail leaves a
//!    test](#no-mail-leaves-a-test).
//!
//! ## Propagating a capture
//!
//! A capture is bound to the test's thread. Work elsewhere follows it when
//! you propagate it, as with `tracing` spans:
//!
//! ```
//! # #[tokio::main(flavor = "multi_thread", worker_threads = 2)] async fn main() {
//! use lettre::Transport;
//! use mailtest::WithOutboxExt;
//!
//! // Application code that makes its own transport, wherever it runs.
//! fn notify(subject: &str) {
//!     let message = lettre::Message::builder()
//!         .from("app@example.com".parse().unwrap())
//!         .to("ann@example.com".parse().unwrap())
//!         .subject(subject)
//!         .body(String::from("..."))
//!         .unwrap();
//!     mailtest::CaptureTransport::ambient().send(&message).unwrap();
//! }
//!
//! let mail = mailtest::capture();
//! tokio::spawn(mail.scope(async { notify("from a task") })).await.unwrap();
//! tokio::spawn(async { notify("from another task") }.with_outbox(&mail)).await.unwrap();
//! let outbox = mail.outbox();
//! tokio::task::spawn_blocking(move || outbox.in_scope(|| notify("from spawn_blocking"))).await.unwrap();
//! mail.spawn(|| notify("from a std thread")).join().unwrap(); // bound for the thread's whole run
//! mail.assert_count(4);
//! # }
//! ```
//!
//! A task that `tokio::spawn` starts on a current-thread runtime runs on the
//! test's thread and so sees its capture; on a multi-thread runtime it runs
//! on a worker thread and does not, unless propagated
//! ([`with_current_outbox()`](WithOutboxExt::with_current_outbox)). So a test
//! that passes with plain `#[tokio::test]` can fail with
//! `flavor = "multi_thread"`: inject `outbox.async_mailer()`, or use
//! [`capture_global()`], and the flavour no longer matters.
//!
//! For work no test owns — a shared server, a worker pool — route by
//! address: `let ann = mail.unique_address("ann");` returns an address no
//! other test uses (`ann-m7@example.com`), and any send to it, from any
//! thread, lands in `mail`.
//!
//! For an application whose workers the test does not own at all — a task
//! spawned at start-up, a thread pool, a multi-thread runtime — use
//! `let mail = mailtest::capture_global();`: it takes every send that no
//! binding or route claims, from any thread or task of the process. Tests
//! that use it run one at a time under `cargo test`, and cost nothing under
//! `cargo nextest`; see [`capture_global()`].
//!
//! A send with nowhere to go is refused — never dropped silently — with an
//! error that says how to fix it, and a failing query lists its own test's
//! refused sends: those made on threads its capture was bound on, and those
//! to recipients the query names. Other sends refused meanwhile (under
//! `cargo test`, often other tests' work) are only counted, on standard
//! error beside the failure, so that the report's text is the same whatever
//! runs beside it:
//!
//! ```text
//! expected exactly 1 email matching to=ann@example.com, subject="Welcome"; found 0 of 1 captured
//!
//! meanwhile 20 sends were refused, on threads this capture was bound on or to recipients this query names:
//!   20 sends to ann@example.com, on thread 'tokio-rt-worker': no outbox was bound there, no recipient was routed, no global capture was alive
//!   hint: capture mail from work the test does not own (an app's workers, a thread pool, a multi-thread runtime) with `mailtest::capture_global()`; or propagate the capture (`outbox.scope(fut)`, `outbox.spawn(..)`), or send to `outbox.unique_address("name")`.
//! ```
//!
//! ## No mail leaves a test — through what mailtest can see
//!
//! A binary that contains this harness is a test binary: the harness marks
//! it before `main`, so the rule holds from the first line of the first
//! test, whatever the test order and wherever the binary was copied (a
//! process that captured, or runs from a cargo test binary, counts too;
//! [`mailtest_capture::guard`] says how it tells). Your production binary,
//! even when a test starts it as a child process, contains no harness, and
//! sends as configured.
//!
//! The rule holds for what sends through mailtest: its mailers, its
//! transports, and an application's own lettre transports wrapped in
//! [`mailtest::guard`](mailtest_mailer::guard) (one line where the app
//! builds its `SmtpTransport`). A lettre transport the application builds
//! and does not wrap is invisible to mailtest, and sends for real: wrap it,
//! or point it at an `SmtpSink` (`sink.url()`).
//!
//! In a test process a `Mailer` or `AsyncMailer`, however it was built
//! (`from_env`, `from_settings`, `Mailer::new(SmtpBackend…)`, `send_mail`
//! without a connection), reaches only the
//! [`SmtpSink`](https://docs.rs/mailtest/latest/mailtest/struct.SmtpSink.html)s
//! of that process. Anything else — `Settings::default()` is SMTP to
//! `localhost:25`, often a relaying MTA on a developer's machine — is
//! refused with `Error::NoOutbox` ("a real send from a test was prevented"),
//! recorded, and listed in the failing test's report.
//! [`mailer.bypass_capture()`](mailtest_mailer::Mailer::bypass_capture) opts
//! one mailer out, for tests of a backend itself. Console, file, memory,
//! dummy and your own backends reach no mail server and are not affected.
//!
//! # Testing an application
//!
//! [`examples/shop`](https://github.com/mailtest-rs/mailtest/tree/main/examples/shop)
//! in the repository is a small axum service — signup, password reset, a
//! receipt with an attachment, a worker spawned at start-up — that sends
//! through an `AsyncMailer` in production and tests itself the three ways
//! below.
//!
//! **1. Inject a mailer.** Production code holds a
//! [`Mailer`](mailtest_mailer::Mailer) (or an `AsyncMailer`) in its state,
//! or takes `&impl lettre::Transport`; a test hands it
//! [`outbox.mailer()`](Outbox::mailer) (`outbox.async_mailer()`, feature
//! `tokio`) or [`outbox.transport()`](Outbox::transport), which deliver into
//! that outbox from any thread or task.
//!
//! ```
//! use lettre::Transport;
//!
//! // Production code: mailtest-mailer only.
//! struct App {
//!     mailer: mailtest_mailer::Mailer, // `Mailer::from_env()` in `main`
//! }
//!
//! impl App {
//!     fn reset_password(&self, to: &str) -> Result<(), mailtest_mailer::Error> {
//!         let message = lettre::Message::builder()
//!             .from("Shop <shop@example.com>".parse().unwrap())
//!             .to(to.parse().unwrap())
//!             .subject("Reset your password")
//!             .body(String::from("https://shop.example.com/reset?token=9f8e"))
//!             .unwrap();
//!         self.mailer.send(&message)
//!     }
//! }
//!
//! // The test.
//! let mail = mailtest::capture();
//! let app = App { mailer: mail.mailer() };
//! std::thread::spawn(move || app.reset_password("ann@example.com")).join().unwrap().unwrap();
//! mail.find().to("ann@example.com").subject("Reset your password").one();
//! ```
//!
//! **2. Production wiring**, `Mailer::from_env()` as `main` builds it, with
//! [`capture_global()`] for workers the test does not own (or
//! `unique_address` when one running server serves many tests). The settings
//! may say SMTP: [the test-process rule](#no-mail-leaves-a-test) keeps the
//! mail in the test.
//!
//! ```
//! use std::time::Duration;
//! use lettre::Transport;
//!
//! let mail = mailtest::capture_global();
//! // What `main` builds: EMAIL_BACKEND unset means SMTP to localhost:25.
//! let mailer = mailtest_mailer::Mailer::from_settings(&mailtest_mailer::Settings::default()).unwrap();
//! std::thread::Builder::new().name("receipt-worker".into()).spawn(move || {
//!     let receipt = lettre::Message::builder()
//!         .from("shop@example.com".parse().unwrap())
//!         .to("ann@example.com".parse().unwrap())
//!         .subject("Your receipt")
//!         .body(String::from("Paid: 12.50 EUR"))
//!         .unwrap();
//!     mailer.send(&receipt).unwrap();
//! })
//! .unwrap();
//!
//! // The worker runs on its own time: wait for its mail.
//! mail.find().subject("Your receipt").within(Duration::from_secs(5)).one();
//! ```
//!
//! **3. Black box, through an SMTP sink.** Start the production binary as a
//! process with `EMAIL_HOST=127.0.0.1` and `EMAIL_PORT` set to a
//! [sink](https://docs.rs/mailtest-sink)'s port, drive it as its users
//! would, and assert on `sink.outbox()`. The sink speaks plain SMTP (no
//! STARTTLS): leave `EMAIL_USE_TLS` and `EMAIL_USE_SSL` off for it.
//!
//! # Inspecting
//!
//! [`mail.emails()`](Outbox::emails) returns every [`Email`] in capture
//! order. An `Email` is decoded on first inspection, once: `subject()`,
//! `from()`, `to()`, `cc()`, `bcc()` (envelope recipients not in To/Cc),
//! `reply_to()`, `header(name)`, `headers()`, `text()`, `html()`,
//! `html_text()`, `attachments()` (inline images included, with
//! `is_inline()` and `content_id()`), `links()`, `message_id()`, `date()`,
//! `envelope_from()`, `envelope_to()`, `mime_tree()` and `raw()`. Malformed
//! input never panics, and a debug build decodes exactly as a release
//! build: what could not be read is listed in
//! [`problems()`](Email::problems). How charsets, encodings and MIME
//! structure are read is in [`mailtest_mime`]'s docs.
//!
//! # Asserting
//!
//! [`mail.find()`](Outbox::find) starts a [`Query`]; every criterion must
//! hold, and a terminal checks how many emails matched.
//! [`email.assert()`](Email::assert) checks one email; the macros say either
//! in one line:
//!
//! ```
//! use mailtest::regex;
//!
//! let mail = mailtest::capture();
//! mail.capture_raw(
//!     Some("shop@example.com"),
//!     &["ann@example.com", "audit@example.com"],
//!     b"From: Shop <shop@example.com>\r\nTo: Ann <ann@example.com>\r\nSubject: Reset your password\r\n\
//!       Content-Type: text/html\r\n\r\n<p>Hi O&#039;Connor,</p><a href=\"https://shop.example.com/reset?token=9f8e\">Reset</a>",
//! );
//!
//! let email = mail
//!     .find()
//!     .to("Ann <ann@example.com>")        // or "ann@example.com"; the domain in any case
//!     .bcc("audit@example.com")           // envelope recipients not in To/Cc
//!     .subject(regex("^Reset"))           // a literal is exact, a regex searches
//!     .html_contains("Hi O'Connor")       // HTML is matched as the reader sees it
//!     .not_has_attachment(regex(".*"))    // every criterion has a not_ twin
//!     .one();                             // also count(n), at_least(n), none(), all()
//!
//! // Per-email checks, and the link a test follows:
//! let reset = email
//!     .assert()
//!     .from("shop@example.com")
//!     .html_in_order(["Hi", "Reset"])
//!     .no_header("X-Debug")
//!     .link_matching(regex(r"/reset\?token=\w+"));
//! assert_eq!(reset, "https://shop.example.com/reset?token=9f8e");
//!
//! // The same as one-line macros, on the bound outbox or a named one:
//! mailtest::assert_sent!(to: "ann@example.com", subject_contains: "password");
//! mailtest::assert_not_sent!(mail, to: "bob@example.com");
//! mailtest::assert_sent_count!(1);
//! ```
//!
//! The criteria are the same on a query and on `email.assert()` (one list
//! makes both): `to`, `cc`, `bcc`, `from`, `reply_to`, `subject`,
//! `subject_contains`, `text_contains`, `html_contains`, `body_contains`,
//! `text_in_order([..])`, `html_in_order([..])`, `header(name, value)`,
//! `has_header(name)`, `has_attachment(name)`, `has_inline(cid)`,
//! `attachment_count(n)`, `has_link(pattern)`, `matching(|email| ..)`, each
//! with a `not_` twin (`no_header` for `has_header`). A query adds
//! `within(timeout)`; `email.assert()` adds `link_matching(pattern)`, which
//! returns the link, and [`attachment(name, |file| ..)`](EmailAssert::attachment)
//! for a file's type, size, content and Content-ID. A part with no file
//! name (lettre's inline images) is found by its Content-ID. Terminals have
//! `try_` twins that return the [`Failure`] instead of panicking.
//!
//! [`mailtest::capture().strict()`](Capture::strict) fails the test when
//! the capture ends if an email was never picked out by an assertion (a
//! query with criteria, a macro, or `email.assert()`), naming each one.
//!
//! Every failing assertion panics at your line (the panic hook's location).
//! Async terminals and strict mode fail where Rust knows no caller (a
//! future's poll, a drop), so their message starts with your `file:line:col`.
//! A failure message is plain text, the same bytes on a terminal and off it;
//! `format!("{failure:#}")` is the coloured form, for a program that prints
//! a [`Failure`] to a terminal itself. Failure reports are snapshot-tested
//! in the repository's `snapshots/`.
//!
//! # Waiting for mail
//!
//! Any query waits with [`within(timeout)`](Query::within): it sleeps until
//! mail arrives (no polling) and checks again. Inside `#[tokio::test]`, use
//! the async forms — `.within(d).one_async().await`, `.count_async(n).await`,
//! [`assert_sent_async!(to: .., within: d).await`](assert_sent_async!) —
//! which never block the runtime's thread. With `within`, `all()` collects
//! for the whole time.
//!
//! # The HTML report
//!
//! When an assertion fails, the harness writes an HTML report of the outbox
//! and ends the panic message with where it is:
//!
//! ```text
//! expected exactly 1 email matching to=ann@example.com, subject="Welcome"; found 0 of 2 captured
//! ...
//! mailtest report: target/mailtest/shop/signup/sends_a_welcome/index.html
//! ```
//!
//! The folder is `target/mailtest/<package>/<test binary>/<test name>/` of
//! the package under test (the binary as cargo names it without its hash:
//! `tests/signup.rs` is `signup`; the test name is libtest's, `module::test`
//! as `module.test`), so tests of the same name in different files or
//! packages keep their own; named relative to the target directory so the
//! message reads the same on every machine; or the same folders under
//! `$MAILTEST_REPORT_DIR`. It holds one file, `index.html`, with every
//! email's bytes as captured in it, to download as `NN.eml` (an email over
//! 1 MiB is a file `NN.eml` beside it instead): a failing test costs one new
//! file, and a CI artefact of the report is one file too.
//!
//! Beside the folders, `target/mailtest/index.html` lists every test that
//! left a report, with why it failed, and `target/mailtest/summary.md` says
//! the same in Markdown for a CI job's run summary
//! (`cat target/mailtest/summary.md >> "$GITHUB_STEP_SUMMARY"`). Both are
//! rebuilt when reports are written or removed (once for a burst of them),
//! sorted, with nothing run-dependent in them: the same failures give the
//! same bytes.
//!
//! The files are written on a thread of their own, so a failing test does
//! not wait for them, and the test process waits for them as it exits
//! (on Unix; elsewhere each is written before the test goes on): when
//! `cargo test` or nextest has printed its result, every report and the
//! index are on disk. A test that reads a report it caused calls
//! [`wait_for_reports`] first. A process killed before it exits (a
//! timeout's `SIGKILL`) may lose the reports not yet written. A test's
//! report from an earlier run is removed when its capture ends without a
//! failure, so the index lists only what still fails (a test that never
//! calls `mailtest::capture()` removes nothing). Every failing query,
//! `EmailAssert` check, macro and strict capture writes one; so does a
//! capture that drops while the test panics some other way (a plain
//! `assert!`), which says so on standard error. `MAILTEST_REPORT=never`
//! turns reports off, `always` writes one whenever a capture ends, and
//! [`outbox.write_report(dir)`](Outbox::write_report) writes one on demand.
//! Both variables are read once a process, when a capture first ends or a
//! check first fails.
//!
//! `index.html` is one self-contained file that opens from disk with
//! JavaScript off, so a CI artefact is enough: the failure text first, then
//! the list, then each email with its decoded headers (and the SMTP
//! envelope when it differs), the HTML body rendered at phone, tablet or
//! full width, the text, the HTML source, the raw headers, the MIME tree,
//! the attachments (to download), the links, any problems reading it and
//! its lints. Images and attachments are embedded as `data:` URIs up to
//! 1 MiB each (16 MiB a page); larger ones stay in the `.eml`. The report
//! holds nothing that changes between runs: the same emails give the same
//! bytes.
//!
//! The HTML body is shown in an `<iframe sandbox>` without `allow-scripts`
//! or `allow-same-origin`, behind a Content-Security-Policy that allows
//! nothing but inline styles and `data:` URIs: no script or event handler
//! of an email runs, and no tracking pixel, remote image, font or
//! stylesheet is fetched. `cid:` images are resolved to their MIME parts.
//! Subjects, names and file names are escaped everywhere (the interop suite
//! checks all of this in headless Chromium). `mailtest serve --http` shows
//! the same pages live: see [mailtest-cli](https://docs.rs/mailtest-cli).
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `tokio` | no | `AsyncCaptureTransport`, `Outbox::async_transport`, `Outbox::async_mailer`, and a clear error instead of a deadlock for a blocking wait on a current-thread runtime. Turns on `lettre/tokio1`: with lettre's default `native-tls`, also turn on `lettre/tokio1-native-tls`. |
//!
//! # Performance
//!
//! Measured with `cargo bench -p mailtest-benches --bench capture` and
//! `--bench query` (criterion, 2 cores). Each ratio is against a baseline
//! in the same run, on the same messages (multipart/mixed: text and HTML
//! alternatives and a 2 KB attachment); the capture bench prints the ratios
//! at the end.
//!
//! | what | result | limit |
//! |---|---|---|
//! | capture send / lettre `StubTransport` send | **0.34×** (1.37 µs vs 4.01 µs; 0.34–0.63× over runs) | ≤ 1.1× |
//! | repeated inspection (cached) | 11 ns | near-free |
//! | `email.lint()` on a freshly captured email (its parse included) / its first inspection: the invoice | **1.52×** (41.4 µs vs 27.2 µs; 1.30–1.52× over two runs, load 8 on 2 cores) | ≤ 2× |
//! | … a newsletter: 37 KB of HTML, 90 images, 90 links, text alternative | **1.54×** (435 µs vs 283 µs; 1.54–1.62×) | ≤ 2× |
//! | 16 threads × 10,000 sends into one outbox | 70 ms (440 ns a send); every message once, per-thread order kept (checked) | — |
//! | a query over 10,000 parsed emails: `to` + `subject`, `one()` | 0.54 ms | invisible |
//! | … `text_contains` / `html_contains` (decoded text) / header regex | 0.25 / 0.51 / 0.62 ms | invisible |
//! | … a failing `one()`, report included | 1.7 ms | invisible |
//!
//! The first inspection, the decoder's work, is measured in
//! [`mailtest_mime`]; the delivery decision in [`mailtest_capture`].

#![warn(missing_docs)]

mod assert;
mod attempt;
mod criteria;
mod deadline;
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
pub use crate::attempt::{Attempt, Identity};
pub use crate::email::Email;
pub use crate::failure::Failure;
pub use crate::html_report::wait_for_reports;
pub use crate::lint::{Lint, LintConfig, Lints};
pub use crate::outbox::{Capture, Outbox, WithOutboxExt, current};
pub use crate::pattern::{Pattern, regex};
pub use crate::query::Query;
pub use crate::start::{capture, capture_global};
#[cfg(feature = "tokio")]
pub use crate::transport::AsyncCaptureTransport;
pub use crate::transport::CaptureTransport;
pub use mailtest_capture::{BindGuard, WithOutbox};
/// DKIM verification with keys the test gives (feature `dkim`): [`DkimKey`](dkim::DkimKey),
/// the verdict of each signature; the assertion is
/// [`EmailAssert::dkim_verifies`](crate::EmailAssert::dkim_verifies).
#[cfg(feature = "dkim")]
pub use mailtest_dkim as dkim;
pub use mailtest_mime::{Attachment, Header, Mailbox, MimePart};
