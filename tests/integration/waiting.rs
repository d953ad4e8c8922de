//! Waiting for mail still on its way: blocking `.within(..)` terminals woken
//! by arrival, their timeouts and reports, `none()` over a window, the async
//! terminals on a current-thread runtime, the refusal of a blocking wait
//! there, and `clear()` during a wait.

use std::thread;
use std::time::{Duration, Instant};

use mailtest::Outbox;

/// Long enough never to be reached when the mail does arrive.
const PATIENT: Duration = Duration::from_secs(30);
/// For waits that are expected to time out.
const SHORT: Duration = Duration::from_millis(100);

fn raw(outbox: &Outbox, subject: &str) {
    outbox.capture_raw(
        Some("app@example.com"),
        &["ann@example.com"],
        format!("From: app@example.com\r\nTo: ann@example.com\r\nSubject: {subject}\r\n\r\n.").as_bytes(),
    );
}

/// Sends each subject after its delay (from the start), on a thread.
fn send_later(outbox: &Outbox, schedule: &[(u64, &'static str)]) -> thread::JoinHandle<()> {
    let outbox = outbox.clone();
    let schedule = schedule.to_vec();
    thread::spawn(move || {
        let start = Instant::now();
        for (after_ms, subject) in schedule {
            let at = start + Duration::from_millis(after_ms);
            thread::sleep(at.saturating_duration_since(Instant::now()));
            raw(&outbox, subject);
        }
    })
}

// ------------------------------------------------------------------ blocking

#[test]
fn all_with_within_collects_for_the_whole_window() {
    let mail = mailtest::capture();
    let sender = send_later(&mail, &[(0, "tick"), (20, "tick"), (30, "other")]);
    let started = Instant::now();

    let ticks = mail.find().subject("tick").within(Duration::from_millis(200)).all();

    assert_eq!(ticks.len(), 2, "what arrived during the window, not only what was there at the start");
    assert!(started.elapsed() >= Duration::from_millis(200), "it watches the whole window");
    sender.join().unwrap();
}

#[test]
fn one_within_finds_mail_that_arrives_later_from_another_thread() {
    // Arrange
    let mail = mailtest::capture();
    let sender = send_later(&mail, &[(20, "late")]);

    // Act
    let email = mail.find().subject("late").within(PATIENT).one();

    // Assert
    assert_eq!(email.subject(), Some("late"));
    sender.join().unwrap();
}

#[test]
fn waiting_is_woken_by_arrival_not_by_the_timeout() {
    let mail = mailtest::capture();
    let started = Instant::now();
    let sender = send_later(&mail, &[(50, "wake up")]);

    mail.find().subject("wake up").within(PATIENT).one();

    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(50), "returned before the mail was sent: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "woke long after the mail arrived: {elapsed:?}");
    sender.join().unwrap();
}

#[test]
fn wait_with_nothing_arriving_times_out_with_a_report() {
    // Arrange: some mail, none of it matching.
    let mail = mailtest::capture();
    raw(&mail, "other");
    let started = Instant::now();

    // Act
    let failure = mail.find().subject("never").within(SHORT).try_one().unwrap_err();

    // Assert
    assert!(started.elapsed() >= SHORT, "gave up early: {:?}", started.elapsed());
    let report = failure.to_string();
    assert!(report.contains("after waiting 100ms"), "{report}");
    assert!(report.contains("subject=\"never\""), "{report}");
    assert!(report.contains("other"), "the report lists what was captured:\n{report}");
}

#[test]
#[should_panic(expected = "after waiting")]
fn panicking_terminal_reports_the_wait_too() {
    let mail = mailtest::capture();
    mail.find().subject("never").within(Duration::from_millis(50)).one();
}

#[test]
fn every_waiting_terminal_times_out_when_too_little_arrives() {
    let mail = mailtest::capture();
    raw(&mail, "only one");
    type Terminal = fn(&Outbox) -> Result<usize, mailtest::Failure>;
    let cases: [(&str, Terminal); 3] = [
        ("one", |mail| mail.find().subject("nope").within(SHORT).try_one().map(|_| 1)),
        ("count(2)", |mail| mail.find().within(SHORT).try_count(2).map(|e| e.len())),
        ("at_least(2)", |mail| mail.find().within(SHORT).try_at_least(2).map(|e| e.len())),
    ];
    for (terminal, run) in cases {
        let result = run(&mail);
        let failure = result.expect_err(terminal);
        assert!(failure.to_string().contains("after waiting"), "{terminal}: {failure}");
    }
}

#[test]
fn none_within_a_window() {
    struct Case {
        name: &'static str,
        schedule: &'static [(u64, &'static str)],
        window: Duration,
        passes: bool,
    }
    let cases = [
        Case { name: "nothing arrives", schedule: &[], window: SHORT, passes: true },
        Case { name: "only other mail arrives", schedule: &[(10, "other")], window: SHORT, passes: true },
        // A long window: the failure must come when the match arrives, not at its end.
        Case { name: "a match arrives", schedule: &[(20, "unwanted")], window: PATIENT, passes: false },
    ];
    for case in cases {
        // Arrange
        let mail = mailtest::capture();
        let started = Instant::now();
        let sender = send_later(&mail, case.schedule);

        // Act
        let window = case.window;
        let result = mail.find().subject("unwanted").within(window).try_none();

        // Assert
        let elapsed = started.elapsed();
        sender.join().unwrap();
        match (result, case.passes) {
            (Ok(()), true) => {
                assert!(elapsed >= window, "{}: stopped watching early: {elapsed:?}", case.name)
            }
            (Err(failure), false) => {
                assert!(failure.to_string().contains("expected no email"), "{}: {failure}", case.name);
                assert!(elapsed < Duration::from_secs(5), "{}: failed late, at {elapsed:?}", case.name);
            }
            (result, _) => panic!("{}: unexpected {result:?}", case.name),
        }
    }
}

#[test]
fn count_within_waits_for_every_message() {
    let mail = mailtest::capture();
    let started = Instant::now();
    let sender = send_later(&mail, &[(10, "part"), (40, "other"), (60, "part")]);

    let parts = mail.find().subject("part").within(PATIENT).count(2);

    assert!(
        started.elapsed() >= Duration::from_millis(60),
        "returned after the first: {:?}",
        started.elapsed()
    );
    assert_eq!(parts.len(), 2);
    assert!(parts[0].sequence() < parts[1].sequence());
    sender.join().unwrap();
}

#[test]
fn count_within_fails_at_once_when_too_many_arrive() {
    let mail = mailtest::capture();
    for _ in 0..3 {
        raw(&mail, "part");
    }
    let started = Instant::now();

    let failure = mail.find().subject("part").within(PATIENT).try_count(2).unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(5), "more mail cannot fix a surplus; no need to wait");
    assert!(failure.to_string().contains("found 3 of 3"), "{failure}");
}

#[test]
fn clear_during_a_wait_does_not_break_it() {
    // Arrange: a waiter for two matches.
    let mail = mailtest::capture();
    let outbox = mail.outbox();
    let waiter = thread::spawn(move || outbox.find().subject("wanted").within(PATIENT).try_count(2));

    // Act: noise and a match, all cleared, then the two that count.
    for round in 0..3 {
        raw(&mail, "noise");
        raw(&mail, "wanted");
        thread::sleep(Duration::from_millis(5 * round));
        mail.clear();
    }
    raw(&mail, "wanted");
    raw(&mail, "wanted");

    // Assert
    let found = waiter.join().unwrap().expect("the waiter must see the mail sent after the clears");
    assert_eq!(found.len(), 2);
    assert_eq!(mail.len(), 2);
}

#[test]
fn clear_can_empty_the_outbox_while_none_waits_on_nothing() {
    let mail = mailtest::capture();
    let outbox = mail.outbox();
    let waiter = thread::spawn(move || outbox.find().subject("wanted").within(SHORT).try_none());

    raw(&mail, "noise");
    mail.clear();
    raw(&mail, "noise");

    waiter.join().unwrap().expect("no match ever arrived");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_wait_is_allowed_on_a_multi_thread_runtime() {
    let mail = mailtest::capture();
    let outbox = mail.outbox();
    let sender = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        raw(&outbox, "from a worker");
    });

    let found = mail.find().subject("from a worker").within(PATIENT).try_one();

    found.unwrap();
    sender.await.unwrap();
}

// --------------------------------------------------------------------- async

#[tokio::test]
async fn one_async_finds_mail_from_a_task_on_the_same_current_thread_runtime() {
    // Arrange
    let mail = mailtest::capture();
    let outbox = mail.outbox();
    let sender = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        raw(&outbox, "from a task");
    });
    let started = Instant::now();

    // Act
    let email = mail.find().subject("from a task").within(PATIENT).one_async().await;

    // Assert
    assert_eq!(email.subject(), Some("from a task"));
    assert!(started.elapsed() < Duration::from_secs(5), "woken by arrival: {:?}", started.elapsed());
    sender.await.unwrap();
}

#[tokio::test]
async fn count_async_waits_for_every_message() {
    let mail = mailtest::capture();
    let outbox = mail.outbox();
    let sender = tokio::spawn(async move {
        for subject in ["part", "other", "part"] {
            tokio::time::sleep(Duration::from_millis(10)).await;
            raw(&outbox, subject);
        }
    });

    let parts = mail.find().subject("part").within(PATIENT).count_async(2).await;

    assert_eq!(parts.len(), 2);
    sender.await.unwrap();
}

#[tokio::test]
async fn try_one_async_times_out_with_a_report() {
    let mail = mailtest::capture();
    let started = Instant::now();

    let failure = mail.find().subject("never").within(SHORT).try_one_async().await.unwrap_err();

    assert!(started.elapsed() >= SHORT);
    assert!(failure.to_string().contains("after waiting 100ms"), "{failure}");
}

#[tokio::test]
async fn async_none_and_at_least_over_a_window() {
    let mail = mailtest::capture();
    let outbox = mail.outbox();
    let sender = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        raw(&outbox, "unwanted");
        raw(&outbox, "unwanted");
    });

    let at_least = mail.find().subject("unwanted").within(PATIENT).try_at_least_async(2).await;
    let none_of_other = mail.find().subject("other").within(SHORT).try_none_async().await;
    let none_of_unwanted = mail.find().subject("unwanted").within(SHORT).try_none_async().await;

    assert_eq!(at_least.unwrap().len(), 2);
    none_of_other.unwrap();
    assert!(none_of_unwanted.unwrap_err().to_string().contains("expected no email"));
    sender.await.unwrap();
}

#[tokio::test]
async fn clear_during_an_async_wait_does_not_break_it() {
    let mail = mailtest::capture();
    let outbox = mail.outbox();
    let sender = tokio::spawn(async move {
        for _ in 0..3 {
            raw(&outbox, "wanted");
            tokio::task::yield_now().await;
            outbox.clear();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        raw(&outbox, "wanted");
        raw(&outbox, "wanted");
    });

    let found = mail.find().subject("wanted").within(PATIENT).try_count_async(2).await;

    assert_eq!(found.unwrap().len(), 2);
    sender.await.unwrap();
}

#[cfg(feature = "tokio")]
mod on_a_current_thread_runtime {
    use std::time::{Duration, Instant};

    use super::{PATIENT, raw};

    #[tokio::test]
    async fn a_blocking_wait_is_refused_with_a_pointer_to_the_async_form() {
        let mail = mailtest::capture();
        raw(&mail, "already here");
        let started = Instant::now();

        let refused = mail.find().subject("already here").within(PATIENT).try_one();

        let report = refused.expect_err("blocking here would deadlock; it must be refused").to_string();
        assert!(report.contains("one_async"), "{report}");
        assert!(report.contains("current-thread"), "{report}");
        assert!(started.elapsed() < Duration::from_secs(5), "refused at once, without waiting");
    }

    #[tokio::test]
    #[should_panic(expected = "one_async")]
    async fn a_blocking_panicking_wait_is_refused_too() {
        let mail = mailtest::capture();
        mail.find().within(Duration::from_millis(10)).none();
    }

    #[tokio::test]
    async fn assert_sent_with_within_is_refused_and_names_the_async_macro() {
        let mail = mailtest::capture();
        raw(&mail, "here");

        let payload = std::panic::catch_unwind(|| {
            mailtest::assert_sent!(subject: "here", within: PATIENT);
        })
        .expect_err("a blocking wait here must be refused");

        let message = payload.downcast_ref::<String>().expect("a formatted message");
        assert!(message.contains("`assert_sent_async!(.., within: ..).await`"), "{message}");
    }

    #[tokio::test]
    async fn the_async_macros_wait_for_a_task_on_the_same_thread() {
        let mail = mailtest::capture();
        let outbox = mail.outbox();
        let sender = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            raw(&outbox, "from a task");
        });

        let email = mailtest::assert_sent_async!(subject: "from a task", within: PATIENT).await;
        mailtest::assert_not_sent_async!(subject: "another", within: Duration::from_millis(20)).await;

        assert_eq!(email.subject(), Some("from a task"));
        sender.await.unwrap();
    }

    #[tokio::test]
    async fn all_async_collects_for_the_whole_window() {
        let mail = mailtest::capture();
        let outbox = mail.outbox();
        let sender = tokio::spawn(async move {
            raw(&outbox, "tick");
            tokio::time::sleep(Duration::from_millis(20)).await;
            raw(&outbox, "tick");
        });
        let started = Instant::now();

        let ticks = mail.find().subject("tick").within(Duration::from_millis(200)).all_async().await;

        assert_eq!(ticks.len(), 2);
        assert!(started.elapsed() >= Duration::from_millis(200), "it watches the whole window");
        sender.await.unwrap();
    }

    #[tokio::test]
    async fn a_blocking_all_with_within_is_refused_too() {
        let mail = mailtest::capture();

        let refused = mail.find().within(Duration::from_millis(10)).try_all();

        assert!(refused.expect_err("refused").to_string().contains("all_async"));
    }

    #[tokio::test]
    async fn a_terminal_that_does_not_wait_is_not_refused() {
        let mail = mailtest::capture();
        raw(&mail, "here");

        mail.find().subject("here").one();
        mail.find().subject("absent").none();
    }

    #[tokio::test]
    async fn a_blocking_wait_inside_spawn_blocking_is_not_refused() {
        let mail = mailtest::capture();
        let outbox = mail.outbox();
        let sender = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            raw(&outbox, "from a task");
        });

        let outbox = mail.outbox();
        let waited = tokio::task::spawn_blocking(move || {
            outbox.find().subject("from a task").within(PATIENT).try_one().map(|_| ())
        })
        .await
        .unwrap();

        // A blocking-pool thread may block: the runtime's thread keeps running the sender.
        waited.unwrap();
        sender.await.unwrap();
    }
}
