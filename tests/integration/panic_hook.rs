//! Containing panics never harms the test process: the first inspection can
//! happen while a thread unwinds (a guard that prints the outbox when a test
//! fails), and a user's own panic hook keeps getting the user's panics.
//! Each case runs alone in a child process (the hook is process-wide, and
//! "first" means first in the process), started by the test above it.

use std::process::{Command, Output};

use mailtest::Outbox;

fn run_alone(scenario: &str) -> Output {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--ignored", "--exact", "--nocapture", "--test-threads=1", &format!("panic_hook::{scenario}")])
        .env("MAILTEST_PANIC_HOOK_SCENARIO", "1")
        .output()
        .expect("the test binary runs")
}

/// Runs `scenario` alone and asserts that it passed.
fn assert_passes_alone(scenario: &str) {
    let output = run_alone(scenario);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed"), "the scenario did not run:\n{stdout}");
}

fn only_as_a_child() {
    assert!(
        std::env::var_os("MAILTEST_PANIC_HOOK_SCENARIO").is_some(),
        "a scenario of panic_hook.rs, run in a child process by the test that names it"
    );
}

/// Prints every captured email when the test fails, as a fixture might.
struct PrintOnFailure(Outbox);

impl Drop for PrintOnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            for email in self.0.emails() {
                eprintln!("captured while failing: {:?}", email.subject());
            }
            #[cfg(feature = "tokio")]
            eprintln!("blocking wait while failing: {}", blocking_wait_on_current_thread_runtime(&self.0));
        }
    }
}

/// A blocking wait where it cannot work: mailtest's probe of tokio panics
/// inside its containment, and the wait is refused with an explanation.
#[cfg(feature = "tokio")]
fn blocking_wait_on_current_thread_runtime(outbox: &Outbox) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    runtime.block_on(async {
        let refused = outbox.find().subject("never").within(std::time::Duration::from_millis(1)).try_one();
        refused.expect_err("refused").to_string().lines().next().unwrap_or_default().to_owned()
    })
}

#[test]
fn the_first_inspection_while_a_test_fails_does_not_abort_the_process() {
    let output = run_alone("inspection_in_drop_while_unwinding");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(101), "a normal test failure, not an abort (134):\n{stderr}");
    assert!(stderr.contains("the test's own failure"), "{stderr}");
    assert!(stderr.contains("captured while failing: Some(\"printed from Drop\")"), "{stderr}");
}

#[test]
#[ignore = "run alone in its own process by `the_first_inspection_while_a_test_fails_does_not_abort_the_process`"]
fn inspection_in_drop_while_unwinding() {
    only_as_a_child();
    let outbox = Outbox::new();
    outbox.capture_raw(None, &["ann@example.com"], b"Subject: printed from Drop\r\n\r\nhi");
    let _guard = PrintOnFailure(outbox);

    panic!("the test's own failure");
}

#[test]
fn a_hook_set_before_mailtest_gets_every_panic_but_the_contained_ones() {
    assert_passes_alone("user_hook_set_first");
}

#[test]
#[ignore = "run alone in its own process by `a_hook_set_before_mailtest_gets_every_panic_but_the_contained_ones`"]
fn user_hook_set_first() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    only_as_a_child();
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    std::panic::set_hook(Box::new(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    }));
    let outbox = Outbox::new();
    outbox.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\nhi");
    assert_eq!(outbox.emails()[0].subject(), Some("Hi"));
    #[cfg(feature = "tokio")]
    assert!(
        blocking_wait_on_current_thread_runtime(&outbox).contains("current-thread"),
        "refused, contained"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0, "contained panics do not reach the user's hook");

    let outcome = std::panic::catch_unwind(|| panic!("the user's own"));

    assert!(outcome.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the user's own panic does");
    let _ = std::panic::take_hook();
}

#[test]
fn a_hook_set_after_mailtest_stays_in_place() {
    assert_passes_alone("user_hook_set_after");
}

#[test]
#[ignore = "run alone in its own process by `a_hook_set_after_mailtest_stays_in_place`"]
fn user_hook_set_after() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    only_as_a_child();
    let outbox = Outbox::new();
    outbox.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\nhi");
    assert_eq!(outbox.emails()[0].subject(), Some("Hi"), "mailtest has contained a decode already");
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    std::panic::set_hook(Box::new(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    }));
    let second = Outbox::new();
    second.capture_raw(None, &["ann@example.com"], b"Subject: Again\r\n\r\nhi");
    assert_eq!(second.emails()[0].subject(), Some("Again"), "later inspections leave the hook alone");

    let outcome = std::panic::catch_unwind(|| panic!("the user's own"));

    assert!(outcome.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the user's hook is still the one called");
    let _ = std::panic::take_hook();
}
