//! Where a failing assertion points. Sync forms panic at the user's line
//! (`#[track_caller]` all the way), so the panic hook — what IDEs, nextest
//! and the default "panicked at" line show — names this file and the line
//! of the call. Async terminals and strict mode fail where Rust cannot
//! carry a caller (a future's poll, a `Drop`): their message's first line
//! starts with the user's `file:line:col`.
//!
//! Each case is written on one line with `line!()`, so the expected line is
//! exact. A binary of its own, because it installs a panic hook (a quiet one
//! that records where each expected panic happened).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;
use std::time::Duration;

use mailtest::{
    Capture, Email, Outbox, assert_not_sent, assert_not_sent_async, assert_sent, assert_sent_async,
    assert_sent_count,
};

/// What the panic hook saw.
#[derive(Debug)]
struct Panic {
    file: String,
    line: u32,
    message: String,
}

thread_local! {
    /// Set while a case runs: its panic is recorded here, not printed.
    static EXPECTED: RefCell<Option<Option<Panic>>> = const { RefCell::new(None) };
}

fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            let recorded = EXPECTED.with(|expected| match expected.borrow_mut().as_mut() {
                Some(slot) => {
                    let location = info.location().expect("std always gives a location");
                    let message = info
                        .payload()
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| info.payload().downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_default();
                    *slot = Some(Panic { file: location.file().to_owned(), line: location.line(), message });
                    true
                }
                None => false,
            });
            if !recorded {
                default(info);
            }
        }));
    });
}

/// Runs `f`, which must panic, and returns what the panic hook saw.
fn panic_of<T>(f: impl FnOnce() -> T) -> Panic {
    install_hook();
    EXPECTED.with(|expected| *expected.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let seen = EXPECTED.with(|expected| expected.borrow_mut().take()).flatten();
    assert!(result.is_err(), "the case did not panic");
    seen.expect("the panic hook ran")
}

/// The panic of `f` is reported at `line` of this file.
#[track_caller]
fn panics_at<T>(line: u32, f: impl FnOnce() -> T) {
    let panic = panic_of(f);
    assert_eq!((panic.file.as_str(), panic.line), (file!(), line), "message:\n{}", panic.message);
}

/// The message of `f`'s panic starts with `file:line:col: ` for `line` of
/// this file.
#[track_caller]
fn first_line_names<T>(line: u32, f: impl FnOnce() -> T) {
    let panic = panic_of(f);
    let first = panic.message.lines().next().unwrap_or_default();
    let (location, rest) = first.split_once(": ").unwrap_or_else(|| panic!("no location in: {first}"));
    let mut parts = location.rsplitn(3, ':');
    let (column, at_line, file) = (parts.next(), parts.next(), parts.next());
    assert_eq!((file, at_line), (Some(file!()), Some(line.to_string().as_str())), "first line: {first}");
    assert!(column.is_some_and(|c| c.parse::<u32>().is_ok_and(|c| c > 0)), "a column: {first}");
    assert!(!rest.is_empty(), "the report follows the location: {first}");
}

fn shop() -> Capture {
    let mail = mailtest::capture();
    mail.capture_raw(
        Some("shop@example.com"),
        &["ann@example.com"],
        b"From: shop@example.com\r\nTo: ann@example.com\r\nSubject: Welcome\r\n\
          Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nHi Ann, see https://example.com/a\r\n\
          --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=invoice.pdf\r\n\r\n\
          %PDF\r\n--b--\r\n",
    );
    mail
}

fn email(mail: &Outbox) -> Email {
    mail.emails().remove(0)
}

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn query_terminals_panic_at_the_callers_line() {
    let mail = shop();
    panics_at(line!(), || mail.find().subject("Goodbye").one());
    panics_at(line!(), || mail.find().subject("Goodbye").count(2));
    panics_at(line!(), || mail.find().subject("Goodbye").at_least(1));
    panics_at(line!(), || mail.find().subject("Welcome").none());
    panics_at(line!(), || mail.find().subject("Goodbye").within(Duration::from_millis(1)).one());
    panics_at(line!(), || mail.assert_count(2));
    panics_at(line!(), || mail.assert_empty());
}

#[test]
fn macros_panic_at_the_callers_line() {
    let mail = shop();
    panics_at(line!(), || assert_sent!(mail, subject: "Goodbye"));
    panics_at(line!(), || assert_sent!(subject: "Goodbye", count: 2));
    panics_at(line!(), || assert_not_sent!(mail, subject: "Welcome"));
    panics_at(line!(), || assert_not_sent!(mail));
    panics_at(line!(), || assert_sent_count!(mail, 3));
    drop(mail);
    panics_at(line!(), || assert_sent!(to: "ann@example.com"));
}

#[test]
fn email_checks_panic_at_the_callers_line() {
    let mail = shop();
    let email = email(&mail);
    panics_at(line!(), || email.assert().subject("Goodbye"));
    panics_at(line!(), || email.assert().not_subject("Welcome"));
    panics_at(line!(), || email.assert().text_in_order(["see", "Hi"]));
    panics_at(line!(), || email.assert().attachment_count(2));
    panics_at(line!(), || email.assert().attachment("missing.pdf", |pdf| pdf));
    panics_at(line!(), || email.assert().attachment("invoice.pdf", |pdf| pdf.content_type("text/csv")));
    panics_at(line!(), || email.assert().link_matching("/b"));
}

#[test]
fn misuse_panics_at_the_callers_line() {
    panics_at(line!(), || mailtest::regex("(unclosed"));
    panics_at(line!(), || mailtest::snapshot::Redactions::new().pattern("(unclosed", "x"));
    let _held = mailtest::capture();
    panics_at(line!(), || drop(mailtest::capture_global()));
}

#[test]
fn a_blocking_wait_on_a_current_thread_runtime_is_refused_at_the_callers_line() {
    let mail = shop();
    let wait = Duration::from_millis(1);
    current_thread_runtime().block_on(async {
        panics_at(line!(), || mail.find().subject("Goodbye").within(wait).one());
        panics_at(line!(), || mail.find().within(wait).all());
        panics_at(line!(), || assert_sent!(mail, subject: "Welcome", within: wait));
    });
}

#[test]
fn async_terminals_name_the_callers_line_first() {
    let mail = shop();
    let rt = current_thread_runtime();
    let wait = Duration::from_millis(1);
    first_line_names(line!(), || rt.block_on(mail.find().subject("Goodbye").within(wait).one_async()));
    first_line_names(line!(), || rt.block_on(mail.find().subject("Goodbye").count_async(2)));
    first_line_names(line!(), || rt.block_on(mail.find().subject("Goodbye").at_least_async(1)));
    first_line_names(line!(), || rt.block_on(mail.find().subject("Welcome").none_async()));
    first_line_names(line!(), || rt.block_on(assert_sent_async!(mail, subject: "Goodbye")));
    first_line_names(line!(), || rt.block_on(assert_not_sent_async!(mail, subject: "Welcome")));
}

/// Captures an email no assertion matches, then drops the strict capture.
fn leave_one_unasserted(mail: Capture) {
    mail.capture_raw(None, &["ann@example.com"], b"Subject: Surprise\r\n\r\n.");
}

#[test]
fn strict_mode_names_the_strict_call_first() {
    first_line_names(line!(), || leave_one_unasserted(mailtest::capture().strict()));
    first_line_names(line!(), || leave_one_unasserted(mailtest::capture().strict_lints()));
    let lenient = mailtest::LintConfig::new();
    first_line_names(line!(), || leave_one_unasserted(mailtest::capture().strict_lints_with(lenient)));
}
