//! `assert_email_snapshot!` and `assert_outbox_snapshot!`: insta snapshots of
//! the [rendering](crate::snapshot), through `$crate::__private::insta` so a
//! user crate needs no insta dependency of its own.
//!
//! They expand to insta's own `assert_snapshot!` (not its hidden runtime),
//! so snapshot files, names, `cargo insta review`, `cargo insta test
//! --accept`, `INSTA_UPDATE` and CI behaviour are exactly insta's. The
//! expression insta records is the user's (`expression: email`), passed
//! explicitly, never the helper call the macro builds.

/// Asserts that an email's [rendering](crate::snapshot) matches its insta
/// snapshot.
///
/// Forms (trailing commas accepted):
///
/// | form | snapshot |
/// |---|---|
/// | `assert_email_snapshot!(email)` | a file, named after the test function, in `snapshots/` next to the test file |
/// | `assert_email_snapshot!("name", email)` | a file with that name |
/// | `assert_email_snapshot!(email, @"...")` | inline, rewritten in place by `cargo insta review` / `cargo insta test --accept` |
/// | `…, redactions: &redactions` before the `@"..."` (or last) | after your [`Redactions`](crate::snapshot::Redactions) |
///
/// `email` is an [`Email`](crate::Email) or a reference to one — or its
/// [`Lints`](crate::Lints) (`email.lint()`), to pin the diagnostics an email
/// gets: the snapshot is then their plain text. Everything
/// else is insta's: review with `cargo insta review`, accept with
/// `cargo insta test --accept` or `INSTA_UPDATE=always`; under `CI=true` a
/// changed snapshot fails the test and no `.snap.new` is written. If you
/// depend on insta yourself, its settings (`insta::with_settings!`, a
/// `snapshot_path`, filters) apply as usual.
///
/// # Panics
///
/// When the rendering differs from the snapshot (or there is none yet and
/// insta is not told to accept it), with insta's diff.
///
/// ```
/// use mailtest::assert_email_snapshot;
/// use mailtest::snapshot::Redactions;
///
/// let email = mailtest::Email::from_raw(
///     "To: ann@example.com\r\nSubject: Your code\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\n\r\nCode: 493817\r\n",
/// );
/// let codes = Redactions::new().pattern(r"\d{6}", "[code]");
/// assert_email_snapshot!(email, redactions: &codes, @r"
/// To: ann@example.com
/// Subject: Your code
/// Date: [date]
///
/// --- mime ---
/// text/plain
///
/// --- text/plain ---
/// Code: [code]
/// ");
/// ```
///
/// The lints of an email:
///
/// ```
/// use mailtest::assert_email_snapshot;
///
/// let email = mailtest::Email::from_raw(
///     "To: ann@example.com\r\nSubject: Hi\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\n\r\nHi\r\n",
/// );
/// assert_email_snapshot!(email.lint(), @r"
/// error[missing-message-id]: the email has no Message-ID header
///  --> headers
///   = note: Gmail refuses mail without one (`550-5.7.1 … not RFC 5322 compliant`), and threading needs it
///   = help: lettre adds none unless asked: call `.message_id(None)` on `Message::builder()` for a generated `<uuid@host>`, or `.message_id(Some(..))` with your own
///
/// 1 error
/// ");
/// ```
#[macro_export]
macro_rules! assert_email_snapshot {
    ($email:expr, @$snapshot:literal $(,)?) => {
        $crate::__snapshot!(@inline
            $crate::__private::email_snapshot(&$email, $crate::__private::no_redactions()),
            ::core::stringify!($email),
            $snapshot
        )
    };
    ($email:expr, redactions: $redactions:expr, @$snapshot:literal $(,)?) => {
        $crate::__snapshot!(@inline
            $crate::__private::email_snapshot(&$email, $redactions),
            ::core::stringify!($email),
            $snapshot
        )
    };
    ($email:expr, redactions: $redactions:expr $(,)?) => {
        $crate::__snapshot!(@file
            ::core::option::Option::<&str>::None,
            $crate::__private::email_snapshot(&$email, $redactions),
            ::core::stringify!($email)
        )
    };
    ($name:expr, $email:expr, redactions: $redactions:expr $(,)?) => {
        $crate::__snapshot!(@file
            $name,
            $crate::__private::email_snapshot(&$email, $redactions),
            ::core::stringify!($email)
        )
    };
    ($name:expr, $email:expr $(,)?) => {
        $crate::__snapshot!(@file
            $name,
            $crate::__private::email_snapshot(&$email, $crate::__private::no_redactions()),
            ::core::stringify!($email)
        )
    };
    ($email:expr $(,)?) => {
        $crate::__snapshot!(@file
            ::core::option::Option::<&str>::None,
            $crate::__private::email_snapshot(&$email, $crate::__private::no_redactions()),
            ::core::stringify!($email)
        )
    };
}

/// Asserts that the [rendering](crate::snapshot::render_outbox) of every
/// email in an outbox, in capture order, matches its insta snapshot.
///
/// The same forms as [`assert_email_snapshot!`], with an
/// [`Outbox`](crate::Outbox), a [`Capture`](crate::Capture) or a reference
/// to either in place of the email. Message ids are numbered by email
/// (`[message-id #2]`), so a reply shows which email it answers.
///
/// ```
/// use mailtest::assert_outbox_snapshot;
///
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi\r\n");
/// assert_outbox_snapshot!(mail, @r"
/// 1 email captured
///
/// === email 1 of 1 ===
/// To: ann@example.com
/// Subject: Welcome
/// Envelope: <> -> ann@example.com
///
/// --- mime ---
/// text/plain
///
/// --- text/plain ---
/// Hi
/// ");
/// ```
#[macro_export]
macro_rules! assert_outbox_snapshot {
    ($outbox:expr, @$snapshot:literal $(,)?) => {
        $crate::__snapshot!(@inline
            $crate::__private::outbox_snapshot(&$outbox, $crate::__private::no_redactions()),
            ::core::stringify!($outbox),
            $snapshot
        )
    };
    ($outbox:expr, redactions: $redactions:expr, @$snapshot:literal $(,)?) => {
        $crate::__snapshot!(@inline
            $crate::__private::outbox_snapshot(&$outbox, $redactions),
            ::core::stringify!($outbox),
            $snapshot
        )
    };
    ($outbox:expr, redactions: $redactions:expr $(,)?) => {
        $crate::__snapshot!(@file
            ::core::option::Option::<&str>::None,
            $crate::__private::outbox_snapshot(&$outbox, $redactions),
            ::core::stringify!($outbox)
        )
    };
    ($name:expr, $outbox:expr, redactions: $redactions:expr $(,)?) => {
        $crate::__snapshot!(@file
            $name,
            $crate::__private::outbox_snapshot(&$outbox, $redactions),
            ::core::stringify!($outbox)
        )
    };
    ($name:expr, $outbox:expr $(,)?) => {
        $crate::__snapshot!(@file
            $name,
            $crate::__private::outbox_snapshot(&$outbox, $crate::__private::no_redactions()),
            ::core::stringify!($outbox)
        )
    };
    ($outbox:expr $(,)?) => {
        $crate::__snapshot!(@file
            ::core::option::Option::<&str>::None,
            $crate::__private::outbox_snapshot(&$outbox, $crate::__private::no_redactions()),
            ::core::stringify!($outbox)
        )
    };
}

/// Hands a rendering to insta's `assert_snapshot!` with the user's
/// expression. insta's macros name `Some` and call `.into()` unqualified,
/// so the two are imported here: that keeps the snapshot macros working
/// in a module without the prelude.
#[cfg(feature = "snapshots")]
#[doc(hidden)]
#[macro_export]
macro_rules! __snapshot {
    (@file $name:expr, $value:expr, $expression:expr) => {{
        #[allow(unused_imports)]
        use ::core::option::Option::Some;
        #[allow(unused_imports)]
        use ::core::convert::Into;
        $crate::__private::insta::assert_snapshot!($name, $value, $expression)
    }};
    (@inline $value:expr, $expression:expr, $snapshot:literal) => {{
        #[allow(unused_imports)]
        use ::core::option::Option::Some;
        #[allow(unused_imports)]
        use ::core::convert::Into;
        $crate::__private::insta::assert_snapshot!($value, $expression, @$snapshot)
    }};
}

/// Without the `snapshots` feature there is no insta to hand the rendering
/// to: the macros stay (so the name resolves and the docs show), and say at
/// compile time which feature they need.
#[cfg(not(feature = "snapshots"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __snapshot {
    ($($anything:tt)*) => {
        ::core::compile_error!(
            "mailtest's snapshot macros need its `snapshots` feature (insta), which is on by default: \
             add \"snapshots\" to mailtest's `features` in Cargo.toml"
        )
    };
}
