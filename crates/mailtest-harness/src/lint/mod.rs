//! Lints: offline checks for the mistakes that make real mail bounce, clip,
//! or show broken images, as assertions.
//!
//! [`Email::lint`] runs every rule and returns [`Lints`], which prints like
//! rustc's diagnostics; [`EmailAssert::lints_clean`](crate::EmailAssert::lints_clean)
//! and [`Outbox::assert_lints_clean`](crate::Outbox::assert_lints_clean)
//! fail a test on any error. Every rule is deterministic and offline: no
//! DNS, no HTTP, no socket.
//!
//! ```
//! let email = mailtest::Email::from_raw(
//!     "From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nSubject: Your order\r\n\
//!      Date: Tue, 7 May 2024 10:00:00 +0000\r\n\
//!      Content-Type: text/html; charset=utf-8\r\n\r\n\
//!      <html lang=\"en\"><body>\r\n\
//!      <img src=\"cid:logo\" alt=\"Shop\">\r\n\
//!      <a href=\"http://localhost:3000/orders/42\">Your order</a>\r\n\
//!      </body></html>\r\n",
//! );
//! let lints = email.lint();
//! assert_eq!(
//!     lints.codes(),
//!     ["missing-message-id", "html-without-text", "dangling-cid", "localhost-url"],
//! );
//! println!("{lints}");
//! ```
//!
//! prints (the rest of the report cut):
//!
//! ```text
//! error[dangling-cid]: <img src="cid:logo"> refers to no MIME part
//!  --> text/html line 2
//!   |
//! 2 | <img src="cid:logo" alt="Shop">
//!   |           ^^^^^^^^ no part has Content-ID <logo>
//!   |
//!   = note: the email has no part with a Content-ID
//!   = help: attach the image as an inline part with `Content-ID: <logo>` (lettre: `Attachment::new_inline(String::from("logo"))`)
//! ```
//!
//! # The rules
//!
//! | code | severity | what it catches |
//! |---|---|---|
//! | `missing-message-id` | error | no `Message-ID`: Gmail refuses the mail (`550-5.7.1`). lettre adds none unless you call `.message_id(None)`. |
//! | `missing-date` | error | no valid `Date` header (RFC 5322 requires one). |
//! | `line-too-long` | error | a line over 998 octets (RFC 5322 §2.1.1): servers refuse or break it. |
//! | `html-without-text` | warning | HTML with no (or an empty) text/plain alternative: spam filters score it. |
//! | `dangling-cid` | error | a `cid:` reference (`src`, `background`, CSS `url()`) to no MIME part: a broken image. The closest Content-ID is suggested. |
//! | `unreferenced-inline` | warning | an inline part with a Content-ID nothing refers to: shown as a stray attachment, or not at all. |
//! | `relative-url` | error | a link or image with a relative, empty, protocol-relative or host-less URL: nothing to resolve it against in a mail client. |
//! | `localhost-url` | error | a URL to localhost, a loopback or private address, a local network name, a host with no domain, or a `file:`. |
//! | `off-base-url` | error | with [`LintConfig::base_url`]: a link (not an image) that does not start with a base URL. |
//! | `insecure-url` | warning | a plain `http:` link or image. |
//! | `img-missing-alt` | warning | an `<img>` without `alt` (`alt=""` is fine: decorative). |
//! | `html-missing-lang` | warning | no `lang` on `<html>` (or no `<html>`). |
//! | `gmail-clip` | warning over 90 KB, error over 102 KB | HTML that Gmail clips, hiding the footer and unsubscribe link. |
//! | `bcc-header-visible` | error | a non-empty `Bcc` (or `Resent-Bcc`) header in the transmitted bytes: every recipient sees it. |
//! | `list-unsubscribe-syntax` | error (`http:` URI: warning) | a `List-Unsubscribe` whose URIs are not in `<…>`, not `mailto:`/`https:`, more than one of a kind, or repeated headers. |
//! | `one-click-unsubscribe` | error | [`Profile::Bulk`] (or any mail with `List-Unsubscribe-Post`): RFC 8058 — an https URI, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, and both headers in the DKIM signature's `h=` when the mail is signed. |
//! | `lint-panicked` | error | a rule itself failed on this message (a bug in mailtest: please report it with the message). |
//!
//! Lines are lines of the decoded body (`text/html`, `text/plain`) or of
//! the raw message (`headers`, `message`). Headers are read from the
//! transmitted bytes, because that is what the receiving server judges.
//!
//! # As assertions
//!
//! [`lints_clean()`](crate::EmailAssert::lints_clean) fails on any error
//! (warnings are shown in the report);
//! [`mail.assert_lints_clean()`](crate::Outbox::assert_lints_clean) reports
//! every email that is not clean in one failure;
//! [`mailtest::capture().strict_lints()`](crate::Capture::strict_lints)
//! checks every email when the capture ends; and
//! `assert_email_snapshot!(email.lint())` pins the diagnostics.
//! [`LintConfig`] sets the [`Profile`] (`.profile(Profile::Bulk)`), allowed
//! codes (`.allow(["html-without-text"])`; a misspelt code panics, naming
//! the closest), `.deny_warnings()` and `.base_url(..)`.
//!
//! ```
//! use lettre::Transport;
//! use mailtest::LintConfig;
//!
//! let mail = mailtest::capture();
//! let message = lettre::Message::builder()
//!     .from("Shop <shop@example.com>".parse().unwrap())
//!     .to("ann@example.com".parse().unwrap())
//!     .subject("Welcome")
//!     .message_id(None) // lettre adds no Message-ID unless asked, and Gmail refuses mail without one
//!     .body(String::from("Confirm: https://shop.example.com/confirm?t=8f3a9c"))
//!     .unwrap();
//! mail.transport().send(&message).unwrap();
//!
//! mail.find().to("ann@example.com").one().assert().lints_clean();
//! mail.assert_lints_clean_with(&LintConfig::new().base_url("https://shop.example.com").deny_warnings());
//! ```
//!
//! # What lettre's `Message::builder()` needs to pass
//!
//! `.message_id(None)`, a generated `<uuid@host>`: without it,
//! `missing-message-id`. The rest lettre does itself: it adds `Date`, picks
//! quoted-printable or base64 so no line exceeds 998 octets, and drops the
//! `Bcc` header (unless `.keep_bcc()`). For HTML, send
//! `MultiPart::alternative_plain_html(text, html)` (else
//! `html-without-text`) with `<html lang="..">` and an `alt` on every image;
//! for an inline image, `Attachment::new_inline(String::from("logo"))` and
//! `<img src="cid:logo" alt="..">`, checked with
//! `email.assert().has_inline("logo")`.

mod accessibility;
mod assert;
mod closest;
mod codes;
mod compat;
mod config;
mod content;
mod context;
mod diagnostic;
#[cfg(feature = "dkim")]
pub mod dkim;
mod failure;
mod headers;
mod legibility;
mod links;
mod lints;
mod locale;
mod markup;
mod openers;
mod paint;
mod parts;
mod privacy;
mod size;
mod source;
mod structure;
mod style;
mod unsubscribe;

pub use self::codes::CODES;
pub use self::compat::Client;
pub use self::config::{LintConfig, Profile};
pub use self::diagnostic::{Lint, Location, Severity};
pub use self::lints::Lints;
pub use self::locale::Translations;

use crate::email::Email;
use mailtest_mime::contain_panics;

impl Email {
    /// Runs every lint with the default [`LintConfig`]: the transactional
    /// profile, warnings reported, nothing allowed. See the
    /// [rules](crate::lint#the-rules).
    ///
    /// Reads the decoded view (as a first inspection does) and the raw
    /// header block, never the full header list or MIME tree, so linting
    /// costs little more than inspecting.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     lettre::Message::builder()
    ///         .from("app@example.com".parse().unwrap())
    ///         .to("ann@example.com".parse().unwrap())
    ///         .subject("Welcome")
    ///         .body(String::from("Hello Ann"))
    ///         .unwrap()
    ///         .formatted(),
    /// );
    /// // lettre adds a Date, but a Message-ID only when asked: `.message_id(None)`.
    /// assert_eq!(email.lint().codes(), ["missing-message-id"]);
    /// ```
    pub fn lint(&self) -> Lints {
        self.lint_with(&LintConfig::new())
    }

    /// Runs every lint with `config`: its [`Profile`], allowed codes,
    /// `deny_warnings` and base URLs.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nSee http://localhost:8000/x");
    /// let config = mailtest::LintConfig::new().allow(["missing-message-id", "missing-date"]);
    /// assert_eq!(email.lint_with(&config).codes(), ["localhost-url"]);
    /// ```
    pub fn lint_with(&self, config: &LintConfig) -> Lints {
        let found = contain_panics(|| run(self, config)).unwrap_or_else(|panic| {
            vec![
                Lint::error(codes::LINT_PANICKED, format!("a lint rule failed on this message: {panic}"))
                    .with_help(
                        "this is a bug in mailtest: please report it with the message (`email.raw()`)",
                    ),
            ]
        });
        let mut kept: Vec<Lint> = found.into_iter().filter(|lint| !config.is_allowed(lint.code())).collect();
        if config.denies_warnings() {
            kept.iter_mut().for_each(Lint::deny);
        }
        Lints::new(kept)
    }
}

/// The report of a capture made with `strict_lints`, if an email is not clean.
pub(crate) fn strict_failure(emails: &[Email], config: &LintConfig) -> Option<crate::failure::Failure> {
    failure::outbox("strict capture: ", emails, config)
}

/// Every rule family, in the order of [`CODES`].
fn run(email: &Email, config: &LintConfig) -> Vec<Lint> {
    let cx = context::Context::new(email, config);
    let mut found = Vec::new();
    structure::check(&cx, &mut found);
    content::check(&cx, &mut found);
    parts::check(&cx, &mut found);
    links::check(&cx, &mut found);
    accessibility::check(&cx, &mut found);
    legibility::check(&cx, &mut found);
    size::check(&cx, &mut found);
    privacy::check(&cx, &mut found);
    unsubscribe::check(&cx, &mut found);
    found
}
