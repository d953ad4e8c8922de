//! The test-process rule holds wherever the binary lives: a test binary
//! copied out of `target/` (as Bazel, Buck2 or a CI artefact step does)
//! refuses a real send before any capture is made, because it contains the
//! harness; a production binary sends, wherever it lives, even when a test
//! starts it.

use std::path::{Path, PathBuf};
use std::process::Command;

use mailtest::{Error, Mailer};

use super::Relay;

/// A copy of `exe` under `dir`, named `name`: nothing in its path says test.
pub(super) fn copy_to(exe: &Path, dir: &Path, name: &str) -> PathBuf {
    let copy = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(exe, &copy).expect("copy the binary");
    copy
}

/// Runs a binary this test process has just written. Another test may fork
/// while the copy was open for writing, and its child then holds that
/// descriptor until it execs: running the copy meanwhile fails with "text
/// file busy" (ETXTBSY), so that is retried for a while.
pub(crate) fn output_of(command: &mut Command) -> std::process::Output {
    for _ in 0..100 {
        match command.output() {
            Err(err) if err.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result.expect("run the copied binary"),
        }
    }
    panic!("the copied binary stayed busy for 2 s")
}

#[test]
fn a_test_binary_copied_anywhere_refuses_a_real_send_before_any_capture() {
    let relay = Relay::start();
    let dir = tempfile::tempdir().unwrap();
    let copied = copy_to(&std::env::current_exe().unwrap(), dir.path(), "app-tests");

    let output = output_of(
        Command::new(&copied)
            .args([
                "--exact",
                "refusals::copied::child_sends_with_no_capture_in_the_process",
                "--include-ignored",
            ])
            .env("MAILTEST_CHILD_RELAY", relay.addr().to_string()),
    );

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the child failed:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "the child test did not run:\n{stdout}");
    assert_eq!(relay.connections(), 0, "no connection reached the relay");
}

/// Runs in the copied binary of the test above: no capture is ever made.
#[test]
#[ignore = "run by a_test_binary_copied_anywhere_refuses_a_real_send_before_any_capture, in a copied binary"]
fn child_sends_with_no_capture_in_the_process() {
    let relay = std::env::var("MAILTEST_CHILD_RELAY").expect("run by its parent test");
    let (host, port) = relay.rsplit_once(':').unwrap();
    let settings =
        mailtest::Settings::from_vars([("EMAIL_HOST", host), ("EMAIL_PORT", port), ("EMAIL_TIMEOUT", "2")])
            .unwrap();
    let mailer = Mailer::from_settings(&settings).unwrap();

    let err = mailer.send_messages(&[super::message("ann.copied@example.com", "Receipt")]).unwrap_err();

    let Error::NoOutbox { prevented: Some(server), test_process: Some(why), .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(server, &relay);
    assert_eq!(why, "it contains mailtest's test harness");
}

#[test]
fn the_production_binary_delivers_wherever_it_lives_even_started_by_a_test() {
    let sink = mailtest::SmtpSink::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let built = crate::backend_process::send_with_env();
    // Where cargo put it, and a copy with a path like a test binary's own.
    let copies = [built.clone(), copy_to(built, dir.path(), "send_with_env-0123456789abcdef")];
    let port = sink.port().to_string();

    for (n, exe) in copies.iter().enumerate() {
        let output = output_of(
            Command::new(exe)
                .env_clear()
                .env("EMAIL_BACKEND", "smtp")
                .env("EMAIL_HOST", "127.0.0.1")
                .env("EMAIL_PORT", &port)
                .arg(format!("ann{n}.production@example.com")),
        );

        assert!(output.status.success(), "{}: {}", exe.display(), String::from_utf8_lossy(&output.stderr));
        sink.outbox().find().to(format!("ann{n}.production@example.com").as_str()).count(2);
    }
}
