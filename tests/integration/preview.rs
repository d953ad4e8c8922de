//! The HTML report: what it holds (pinned as a snapshot), that it is the
//! same bytes every run, that nothing from an email becomes markup, and
//! that a failing assertion writes it and says where.
//!
//! Settings that live in the environment (`MAILTEST_REPORT`,
//! `MAILTEST_REPORT_DIR`) are tested in a child process: this binary runs
//! one of its own ignored tests with the variables set.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

use mailtest::Outbox;

use crate::showcase;

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// The showcase email and a plain one, captured as a test would.
fn outbox() -> Outbox {
    let outbox = Outbox::new();
    outbox.capture_raw(
        Some("bounces@shop.example.com"),
        &["ann@example.com", "audit@example.com"],
        &showcase::showcase("http://127.0.0.1:9"),
    );
    outbox.capture_raw(None, &["bob@example.com"], &showcase::plain("Welcome, Bob", "bob@example.com"));
    outbox
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The panic message of `f`, which must panic.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("the check should fail");
    payload.downcast_ref::<String>().cloned().unwrap_or_default()
}

/// The `index.html` a panic message names on its last line, once written
/// (reports are written on a thread of their own).
fn named_report(message: &str) -> PathBuf {
    let line = message.lines().last().unwrap_or_default();
    let path =
        line.strip_prefix("mailtest report: ").unwrap_or_else(|| panic!("no report line in:\n{message}"));
    mailtest::wait_for_reports();
    PathBuf::from(path)
}

#[test]
fn the_report_shows_every_view_of_every_email() {
    let dir = tempfile::tempdir().unwrap();
    let index = outbox().write_report(dir.path()).unwrap();

    // The stylesheet is pinned by the browser tests' look, not here.
    let html = read(&index);
    let style = regex_lite::Regex::new(r"(?s)<style>\n.*?</style>").unwrap();
    snapshot("preview_report", &style.replace(&html, "<style>[report.css]</style>"));
    assert_eq!(std::fs::read(dir.path().join("01.eml")).unwrap(), showcase::showcase("http://127.0.0.1:9"));
    assert_eq!(
        read(&dir.path().join("02.eml")),
        String::from_utf8(showcase::plain("Welcome, Bob", "bob@example.com")).unwrap()
    );
}

#[test]
fn the_same_emails_give_the_same_bytes_every_run() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    outbox().write_report(first.path()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    outbox().write_report(second.path()).unwrap();

    for name in ["index.html", "01.eml", "02.eml"] {
        let (a, b) = (
            std::fs::read(first.path().join(name)).unwrap(),
            std::fs::read(second.path().join(name)).unwrap(),
        );
        assert!(a == b, "{name} differs between two runs");
    }
    let html = read(&first.path().join("index.html"));
    assert!(!html.contains(&first.path().display().to_string()), "no path of the run in the page");
}

#[test]
fn html_in_subjects_names_and_filenames_never_becomes_markup() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = outbox();
    // The failure text quotes the subject too.
    let failure = outbox.find().subject("nothing like it").try_one().unwrap_err();
    assert!(failure.report().contains("<script>alert('subject')</script>"));
    let index = outbox.write_report(dir.path()).unwrap();
    let html = read(&index).to_lowercase();

    assert!(!html.contains("<script"), "a <script> tag reached the page");
    assert!(!html.contains(" onerror=\""), "an event handler reached the page as an attribute");
    for (what, escaped) in [
        ("subject", "&lt;script&gt;alert(&#39;subject&#39;)&lt;/script&gt;"),
        ("display name", "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"),
        ("file name", "invoice &lt;script&gt;alert(&#39;file&#39;)&lt;/script&gt;.pdf"),
    ] {
        assert!(html.contains(escaped), "the {what} is shown, escaped");
    }
    // The `javascript:` link is listed as text, never as a link.
    assert!(html.contains("<li><code>javascript:alert(&#39;link&#39;)</code></li>"));
}

#[test]
fn the_html_body_is_framed_sandboxed_behind_a_policy_with_cid_images_inline() {
    let dir = tempfile::tempdir().unwrap();
    let html = read(&outbox().write_report(dir.path()).unwrap());

    let frame = html.lines().find(|line| line.contains("<iframe")).expect("an iframe");
    assert!(frame.contains(" sandbox=\"allow-popups allow-popups-to-escape-sandbox\""), "{frame}");
    assert!(!frame.contains("allow-scripts") && !frame.contains("allow-same-origin"), "{frame}");
    // The policy is the frame document's first element, and loads only data: URIs.
    assert!(frame.contains(" srcdoc=\"&lt;!DOCTYPE html&gt;&lt;meta charset=&quot;utf-8&quot;&gt;&lt;meta http-equiv=&quot;Content-Security-Policy&quot; content=&quot;default-src &#39;none&#39;; img-src data:;"), "{frame}");
    assert!(
        html.contains(&format!("src=&quot;data:image/png;base64,{}&quot;", showcase::LOGO_PNG_BASE64)),
        "the cid: logo is inline"
    );
    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "the page's own policy"
    );
}

#[test]
fn a_part_over_the_size_cap_is_left_in_the_eml() {
    let big = "A".repeat(1_500_000);
    let raw = format!(
        "Subject: big\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
         --b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=big.txt\r\n\r\n{big}\r\n--b--\r\n"
    );
    let outbox = Outbox::new();
    outbox.capture_raw(None, &["ann@example.com"], raw.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let html = read(&outbox.write_report(dir.path()).unwrap());

    assert!(html.contains("big.txt <code>text/plain</code> 1.4 MiB — too large to embed (over 1.0 MiB): in <a href=\"01.eml\">01.eml</a>"));
    assert!(html.len() < 1_000_000, "not embedded: {} bytes", html.len());
}

#[test]
fn a_second_report_in_the_same_folder_replaces_the_first_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    outbox().write_report(dir.path()).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let one = Outbox::new();
    one.capture_raw(None, &["bob@example.com"], &showcase::plain("Only", "bob@example.com"));
    one.write_report(dir.path()).unwrap();

    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["01.eml", "index.html", "notes.txt"]);
}

#[test]
fn a_report_that_cannot_be_written_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let error = outbox().write_report(file.join("report")).unwrap_err();
    assert!(matches!(error, mailtest::Error::Io { .. }), "{error:?}");
    assert!(error.to_string().starts_with("mailtest: could not create the report folder "), "{error}");
}

#[test]
fn a_failing_query_writes_the_report_and_its_last_line_says_where() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], &showcase::plain("Welcome, Ann", "ann@example.com"));
    let message = panic_message(|| {
        mail.find().subject("Welcome, Anne").one();
    });

    let index = named_report(&message);
    // The same text on every machine: the target directory by its name, not where it sits.
    assert_eq!(
        index,
        Path::new(
            "target/mailtest/mailtest/integration/preview.a_failing_query_writes_the_report_and_its_last_line_says_where/index.html"
        )
    );
    let folder = index.parent().unwrap();
    let root = folder.ancestors().nth(3).unwrap();
    // Cargo's marks of a target dir: the tag when cargo made the folder, its rustc cache always.
    let target = root.parent().unwrap();
    assert!(
        target.join("CACHEDIR.TAG").is_file() || target.join(".rustc_info.json").is_file(),
        "in cargo's target dir"
    );
    // The run's index links to it, and the summary for CI names it.
    let run_index = read(&root.join("index.html"));
    assert!(run_index.contains("href=\"mailtest/integration/preview.a_failing_query_writes_the_report_and_its_last_line_says_where/index.html\""));
    assert!(
        read(&root.join("summary.md")).contains("| mailtest › integration › preview.a\\_failing\\_query")
    );
    let html = read(&index);
    assert!(html.contains("<h2>Why the test failed</h2>\n<pre>expected exactly 1 email matching subject=&quot;Welcome, Anne&quot;; found 0 of 1 captured"));
    // One file a failure: the message as captured is embedded, to download as `01.eml`.
    assert_eq!(embedded_eml(&html, 1), showcase::plain("Welcome, Ann", "ann@example.com"));
    let files: Vec<_> = std::fs::read_dir(folder).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert_eq!(files, ["index.html"]);
}

/// The bytes of `NN.eml` as a failure's report embeds them.
fn embedded_eml(html: &str, n: u64) -> Vec<u8> {
    let link = format!("<a download=\"{n:02}.eml\" href=\"data:message/rfc822;base64,");
    let (_, rest) = html.split_once(&link).unwrap_or_else(|| panic!("no embedded {n:02}.eml"));
    mailtest_mime::base64::decode_canonical(rest.split('"').next().unwrap()).expect("base64")
}

#[test]
fn a_failure_over_one_mebibyte_keeps_its_eml_beside_the_page() {
    let mail = mailtest::capture();
    let large = showcase::plain(&"x".repeat(1024 * 1024 + 1), "ann@example.com");
    mail.capture_raw(None, &["ann@example.com"], &large);
    mail.capture_raw(None, &["ann@example.com"], &showcase::plain("Small", "ann@example.com"));
    let message = panic_message(|| {
        mail.find().subject("Neither").one();
    });
    let index = named_report(&message);
    let html = read(&index);
    assert!(html.contains("<a download=\"01.eml\" href=\"01.eml\">"), "the large one is linked");
    assert_eq!(std::fs::read(index.with_file_name("01.eml")).unwrap(), large);
    assert_eq!(embedded_eml(&html, 2), showcase::plain("Small", "ann@example.com"));
    assert!(!index.with_file_name("02.eml").exists());
}

#[test]
fn a_failing_email_check_reports_the_bound_outbox() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], &showcase::plain("First", "ann@example.com"));
    mail.capture_raw(None, &["bob@example.com"], &showcase::plain("Second", "bob@example.com"));
    let second = mail.find().subject("Second").one();
    let message = panic_message(|| {
        let _ = second.assert().subject("Third");
    });

    let html = read(&named_report(&message));
    assert!(html.contains("#2 does not match: expected subject=&quot;Third&quot;"), "the failure first");
    assert!(
        html.contains("<article class=\"email\" id=\"m-1\">") && html.contains("id=\"m-2\""),
        "both emails"
    );
}

#[test]
fn a_strict_capture_reports_what_was_never_asserted() {
    let message = panic_message(|| {
        let mail = mailtest::capture().strict();
        mail.capture_raw(None, &["ann@example.com"], &showcase::plain("Unchecked", "ann@example.com"));
    });
    let html = read(&named_report(&message));
    assert!(html.contains("strict capture: 1 of 1 captured email was never matched by an assertion"));
    assert!(html.contains("Unchecked"));
}

#[test]
fn a_macro_failure_writes_the_report_too() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], &showcase::plain("Hello", "ann@example.com"));
    let message = panic_message(|| {
        mailtest::assert_sent!(to: "bob@example.com");
    });
    assert!(read(&named_report(&message)).contains("expected exactly 1 email matching to=bob@example.com"));
}

#[test]
fn a_lint_failure_writes_the_report_with_the_lints() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], &showcase::showcase("http://127.0.0.1:9"));
    let email = mail.emails().remove(0);
    let message = panic_message(|| {
        let _ = email.assert().lints_clean();
    });
    let html = read(&named_report(&message));
    assert!(html.contains("is not lint-clean: 2 errors, 2 warnings"), "the lint failure first");
    assert!(html.contains("<details class=\"lints\" open><summary>Lints (2 errors, 2 warnings)</summary><pre>error[localhost-url]"));

    let message = panic_message(|| mail.assert_lints_clean());
    assert!(read(&named_report(&message)).contains("1 of 1 captured email is not lint-clean"));
}

/// Runs one of the `child_` tests below in a child process with `env`;
/// returns its output.
fn child(test: &str, env: &[(&str, &str)]) -> String {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &format!("preview::{test}"), "--ignored", "--nocapture", "--test-threads=1"])
        .env_remove("MAILTEST_REPORT")
        .env_remove("MAILTEST_REPORT_DIR")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(text.contains("1 passed"), "the child test ran:\n{text}");
    text
}

#[test]
fn mailtest_report_dir_and_mailtest_report_choose_where_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();

    let out = child("child_fails_an_assertion", &[("MAILTEST_REPORT_DIR", root)]);
    let expected = std::path::absolute(
        dir.path().join("mailtest/integration/preview.child_fails_an_assertion/index.html"),
    )
    .unwrap();
    assert!(out.contains(&format!("mailtest report: {}", expected.display())), "{out}");
    assert!(expected.is_file());
    std::fs::remove_dir_all(expected.parent().unwrap()).unwrap();

    let out =
        child("child_fails_an_assertion", &[("MAILTEST_REPORT_DIR", root), ("MAILTEST_REPORT", "never")]);
    assert!(out.contains("REPORT LINE: none"), "{out}");
    assert!(!expected.exists(), "never means never");

    let out = child("child_passes", &[("MAILTEST_REPORT_DIR", root), ("MAILTEST_REPORT", "always")]);
    assert!(!out.contains("mailtest report"), "a passing test says nothing: {out}");
    let html = read(&dir.path().join("mailtest/integration/preview.child_passes/index.html"));
    assert!(html.contains("Passing") && !html.contains("Why the test failed"));

    let out =
        child("child_fails_an_assertion", &[("MAILTEST_REPORT_DIR", root), ("MAILTEST_REPORT", "sometimes")]);
    assert!(
        out.contains("mailtest: MAILTEST_REPORT=\"sometimes\" is not one of never, failure, always; reporting as for failure"),
        "{out}"
    );
    assert!(expected.is_file(), "an unknown value reports as for failure");

    // The first parse of a process, of a hostile message, while the test
    // unwinds: a report, not an abort.
    let out = child("child_unwinds_over_a_message_the_parser_panics_on", &[("MAILTEST_REPORT_DIR", root)]);
    let folder =
        dir.path().join("mailtest/integration/preview.child_unwinds_over_a_message_the_parser_panics_on");
    assert!(out.contains("mailtest report of the captured email: "), "{out}");
    assert!(read(&folder.join("index.html")).contains("<code>multipart/mixed</code>"));

    let out = child("child_fails_a_plain_assert", &[("MAILTEST_REPORT_DIR", root)]);
    let plain = std::path::absolute(
        dir.path().join("mailtest/integration/preview.child_fails_a_plain_assert/index.html"),
    )
    .unwrap();
    assert!(out.contains(&format!("mailtest report of the captured email: {}", plain.display())), "{out}");
    assert!(read(&plain).contains("Plain"));
}

#[test]
#[ignore = "run by mailtest_report_dir_and_mailtest_report_choose_where_and_when in a child process"]
fn child_fails_an_assertion() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], &showcase::plain("Hello", "ann@example.com"));
    let message = panic_message(|| {
        mail.find().subject("Bye").one();
    });
    match message.lines().rev().find(|line| line.starts_with("mailtest report: ")) {
        Some(line) => println!("{line}"),
        None => println!("REPORT LINE: none"),
    }
    println!("{}", message.lines().last().unwrap_or_default());
}

#[test]
fn a_passing_rerun_removes_its_stale_report_and_a_failing_one_writes_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let folder = dir.path().join("mailtest/integration/preview.child_fails_unless_told_to_pass");

    child("child_fails_unless_told_to_pass", &[("MAILTEST_REPORT_DIR", root)]);
    assert!(folder.join("index.html").is_file());
    let index = std::fs::read(dir.path().join("index.html")).unwrap();
    let summary = std::fs::read(dir.path().join("summary.md")).unwrap();
    assert!(
        String::from_utf8_lossy(&summary)
            .contains("child\\_fails\\_unless\\_told\\_to\\_pass | 1 | expected exactly 1 email")
    );

    child("child_fails_unless_told_to_pass", &[("MAILTEST_REPORT_DIR", root)]);
    assert_eq!(std::fs::read(dir.path().join("index.html")).unwrap(), index, "the same bytes on a rerun");
    assert_eq!(std::fs::read(dir.path().join("summary.md")).unwrap(), summary);

    child("child_fails_unless_told_to_pass", &[("MAILTEST_REPORT_DIR", root), ("CHILD_PASSES", "1")]);
    assert!(!folder.exists(), "the stale report is gone");
    assert_eq!(read(&dir.path().join("summary.md")), "### mailtest: no test left a mail report\n");
}

#[test]
#[ignore = "run by a_passing_rerun_removes_its_stale_report_and_a_failing_one_writes_the_same_bytes in a child process"]
fn child_fails_unless_told_to_pass() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], &showcase::plain("Hello", "ann@example.com"));
    let wanted = if std::env::var_os("CHILD_PASSES").is_some() { "Hello" } else { "Bye" };
    // Caught, so the child run itself passes either way.
    let _ = catch_unwind(AssertUnwindSafe(|| mail.find().subject(wanted).one()));
}

#[test]
fn a_report_that_cannot_be_written_is_said_on_standard_error_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = child("child_fails_an_assertion", &[("MAILTEST_REPORT_DIR", file.to_str().unwrap())]);
    let folder = file.join("mailtest/integration/preview.child_fails_an_assertion");
    assert!(
        out.contains(&format!(
            "mailtest report not written: mailtest: could not create the report folder {}",
            folder.display()
        )),
        "{out}"
    );
    assert!(out.contains("1 passed"), "the test's own failure is still its own: {out}");
}

#[test]
fn every_report_of_a_burst_of_failures_is_on_disk_when_the_process_has_exited() {
    let dir = tempfile::tempdir().unwrap();
    let out = child("child_fails_on_forty_threads", &[("MAILTEST_REPORT_DIR", dir.path().to_str().unwrap())]);
    let folder = dir.path().join("mailtest/integration");
    for n in 0..40 {
        let report = folder.join(format!("failing-{n:02}"));
        assert!(out.contains(&format!("failing-{n:02}/index.html")), "{out}");
        assert_eq!(embedded_eml(&read(&report.join("index.html")), 1), order(n), "report {n}");
    }
    let summary = read(&dir.path().join("summary.md"));
    assert!(summary.starts_with("### mailtest: 41 tests with a mail report\n"), "{summary}");
    assert!(
        read(&dir.path().join("index.html")).contains("href=\"mailtest/integration/failing-39/index.html\"")
    );
}

fn order(n: usize) -> Vec<u8> {
    showcase::plain(&format!("Order {n}"), "ann@example.com")
}

#[test]
#[ignore = "run by every_report_of_a_burst_of_failures_is_on_disk_when_the_process_has_exited in a child process"]
fn child_fails_on_forty_threads() {
    // A report's folder is named after its test's thread: forty threads, forty reports.
    let threads: Vec<_> = (0..40)
        .map(|n| {
            std::thread::Builder::new()
                .name(format!("failing-{n:02}"))
                .spawn(move || {
                    let mail = mailtest::capture();
                    mail.capture_raw(None, &["ann@example.com"], &order(n));
                    let message = panic_message(|| {
                        mail.find().subject("Refund").one();
                    });
                    println!("{}", message.lines().last().unwrap_or_default());
                })
                .unwrap()
        })
        .collect();
    threads.into_iter().for_each(|thread| thread.join().unwrap());
    // The process exits right after this line: nothing waits for the reports but the exit.
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], &order(40));
    let _ = catch_unwind(AssertUnwindSafe(|| mail.find().subject("Refund").one()));
}

#[test]
#[ignore = "run by mailtest_report_dir_and_mailtest_report_choose_where_and_when in a child process"]
fn child_passes() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], &showcase::plain("Passing", "ann@example.com"));
    mail.find().subject("Passing").one();
}

#[test]
#[ignore = "run by mailtest_report_dir_and_mailtest_report_choose_where_and_when in a child process"]
fn child_fails_a_plain_assert() {
    // The capture drops while this panic unwinds: its report is written.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let mail = mailtest::capture();
        mail.capture_raw(None, &["ann@example.com"], &showcase::plain("Plain", "ann@example.com"));
        assert_eq!(mail.emails()[0].subject(), Some("Other"), "a plain assert");
    }));
}

#[test]
#[ignore = "run by mailtest_report_dir_and_mailtest_report_choose_where_and_when in a child process"]
fn child_unwinds_over_a_message_the_parser_panics_on() {
    // A message mail-parser 0.11 panicked on in debug builds: the first
    // parse of this process happens while the thread unwinds.
    const PARSER_PANIC: &[u8] = b"Content-Type: multipart/mixed; boundary=\"b5\"\r\n\r\n--b5\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b5\r\nContent-Type: message/rfc822\r\n\r\nSubject: x\r\nContent-Type: message/rfc822\r\n\r\nSubjpe: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\nx\r\n--c--=\r\n--b5--\r\n";
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let mail = mailtest::capture();
        mail.capture_raw(None, &["ann@example.com"], PARSER_PANIC);
        panic!("the test's own failure, before anything parsed the email");
    }));
}
