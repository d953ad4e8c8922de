//! Concurrency: many threads sending into one outbox at once (nothing lost,
//! nothing doubled, per-thread order kept, readers and waiters alongside),
//! and panics on other threads or inside scopes never poisoning an outbox or
//! leaking a binding.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use lettre::Transport;
use lettre::message::header::{HeaderName, HeaderValue};
use mailtest::{CaptureTransport, Email, Outbox};

const THREADS: usize = 8;
const SENDS_PER_THREAD: usize = 500;

/// A message from `thread`, without its `X-Seq` yet (building a lettre
/// message is slow in debug builds; cloning one is not).
fn template(thread: usize) -> lettre::Message {
    lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject(format!("from thread {thread}"))
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("X-Thread"), thread.to_string()))
        .body(String::from("."))
        .unwrap()
}

fn numbered(template: &lettre::Message, seq: usize) -> lettre::Message {
    let mut message = template.clone();
    message
        .headers_mut()
        .insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("X-Seq"), seq.to_string()));
    message
}

fn number(email: &Email, header: &str) -> usize {
    let value = email.header(header).unwrap_or_else(|| panic!("#{} has no {header}", email.sequence()));
    value.parse().unwrap_or_else(|e| panic!("#{}: {header}: {value:?}: {e}", email.sequence()))
}

/// Every (thread, seq) is present exactly once, each thread's messages are in
/// its send order, and sequence numbers follow capture order from 1.
fn assert_all_present_once_in_order(outbox: &Outbox) {
    let emails = outbox.emails();
    assert_eq!(emails.len(), THREADS * SENDS_PER_THREAD);
    let mut next_seq_of_thread: HashMap<usize, usize> = HashMap::new();
    for (index, email) in emails.iter().enumerate() {
        assert_eq!(email.sequence(), index as u64 + 1, "sequence numbers follow capture order");
        let (thread, seq) = (number(email, "X-Thread"), number(email, "X-Seq"));
        let expected = next_seq_of_thread.entry(thread).or_default();
        // A duplicate, a loss or a reordering all break this.
        assert_eq!(seq, *expected, "thread {thread}: out of order, lost or doubled");
        *expected += 1;
    }
    assert_eq!(next_seq_of_thread.len(), THREADS);
    assert!(next_seq_of_thread.values().all(|&next| next == SENDS_PER_THREAD), "{next_seq_of_thread:?}");
}

#[derive(Clone, Copy, Debug)]
enum Via {
    /// `outbox.transport()` moved into a plain thread.
    ExplicitTransport,
    /// `CaptureTransport::ambient()` on a thread started by `outbox.spawn`.
    AmbientThroughSpawn,
    /// `outbox.capture_raw` from a plain thread.
    CaptureRaw,
}

fn send_concurrently(outbox: &Outbox, via: Via) {
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let start = Arc::clone(&start);
            let work = move |send: &dyn Fn(lettre::Message)| {
                let template = template(t);
                start.wait();
                for seq in 0..SENDS_PER_THREAD {
                    send(numbered(&template, seq));
                }
            };
            match via {
                Via::ExplicitTransport => {
                    let transport = outbox.transport();
                    thread::spawn(move || work(&|m| transport.send(&m).unwrap()))
                }
                Via::AmbientThroughSpawn => {
                    outbox.spawn(move || work(&|m| CaptureTransport::ambient().send(&m).unwrap()))
                }
                Via::CaptureRaw => {
                    let outbox = outbox.clone();
                    thread::spawn(move || {
                        work(&|m| {
                            outbox.capture_raw(Some("app@example.com"), &["ann@example.com"], &m.formatted())
                        })
                    })
                }
            }
        })
        .collect();
    for handle in handles {
        handle.join().unwrap_or_else(|_| panic!("{via:?}: a sending thread panicked"));
    }
}

macro_rules! many_senders_tests {
    ($($name:ident => $via:expr;)*) => {$(
        #[test]
        fn $name() {
            // Arrange
            let outbox = Outbox::new();

            // Act
            send_concurrently(&outbox, $via);

            // Assert
            assert_all_present_once_in_order(&outbox);
        }
    )*};
}

many_senders_tests! {
    eight_threads_through_an_explicit_transport_lose_and_reorder_nothing => Via::ExplicitTransport;
    eight_spawned_threads_through_ambient_lose_and_reorder_nothing => Via::AmbientThroughSpawn;
    eight_threads_through_capture_raw_lose_and_reorder_nothing => Via::CaptureRaw;
}

#[test]
fn readers_and_a_waiter_see_consistent_snapshots_while_threads_send() {
    // Arrange: a waiter and a reader start before the senders.
    let outbox = Outbox::new();
    let total = THREADS * SENDS_PER_THREAD;
    let waiter = {
        let outbox = outbox.clone();
        thread::spawn(move || {
            outbox.find().to("ann@example.com").within(Duration::from_secs(30)).count(total).len()
        })
    };
    let reader = {
        let outbox = outbox.clone();
        thread::spawn(move || {
            let mut last_len = 0;
            let give_up = std::time::Instant::now() + Duration::from_secs(30);
            while last_len < total && std::time::Instant::now() < give_up {
                let emails = outbox.emails();
                // A snapshot is a prefix of the capture order: no gaps, no holes.
                for (index, email) in emails.iter().enumerate() {
                    assert_eq!(email.sequence(), index as u64 + 1);
                }
                assert!(emails.len() >= last_len, "the outbox shrank from {last_len} to {}", emails.len());
                last_len = emails.len();
                assert!(outbox.len() >= last_len);
                thread::yield_now();
            }
        })
    };

    // Act
    send_concurrently(&outbox, Via::ExplicitTransport);

    // Assert
    reader.join().expect("the reader saw an inconsistent snapshot");
    assert_eq!(waiter.join().expect("the waiter failed"), total);
    assert_all_present_once_in_order(&outbox);
}

// ------------------------------------------------------------------- panics

fn raw(outbox: &Outbox, subject: &str) {
    outbox.capture_raw(None, &["ann@example.com"], format!("Subject: {subject}\r\n\r\n.").as_bytes());
}

type ThreadBody = fn(Outbox);

/// Ways a thread can panic while it works with a shared outbox.
const PANICKING_THREADS: &[(&str, ThreadBody)] = &[
    ("while bound, between sends", |outbox| {
        let _bound = outbox.bind();
        CaptureTransport::ambient().send(&numbered(&template(0), 0)).unwrap();
        panic!("boom while bound");
    }),
    ("inside in_scope", |outbox| {
        outbox.in_scope(|| {
            raw(&mailtest::current().unwrap(), "before panic");
            panic!("boom in scope");
        })
    }),
    ("while inspecting emails", |outbox| {
        raw(&outbox, "inspected");
        let emails = outbox.emails();
        assert_eq!(emails[0].subject(), Some("before"));
        panic!("boom while holding emails");
    }),
    ("in a failing assertion", |outbox| {
        raw(&outbox, "asserted");
        outbox.find().subject("never sent").one();
    }),
    ("in a failing waiting assertion", |outbox| {
        outbox.find().subject("never sent").within(Duration::from_millis(20)).one();
    }),
];

#[test]
fn a_panicking_thread_never_poisons_the_outbox() {
    for &(case, panicking) in PANICKING_THREADS {
        // Arrange
        let mail = mailtest::capture();
        raw(&mail, "before");
        let len_before = mail.len();

        // Act: the thread panics; then others carry on.
        let outbox = mail.outbox();
        let joined = thread::spawn(move || panicking(outbox)).join();
        let len_after_panic = mail.len();
        let survivors: Vec<_> = (0..3)
            .map(|i| mail.spawn(move || raw(&mailtest::current().unwrap(), &format!("after {i}"))))
            .collect();
        for survivor in survivors {
            survivor.join().unwrap_or_else(|_| panic!("{case}: a thread after the panic failed"));
        }
        raw(&mail, "after, here");

        // Assert
        assert!(joined.is_err(), "{case}: the thread should have panicked");
        assert!(len_after_panic >= len_before, "{case}");
        assert_eq!(mail.len(), len_after_panic + 4, "{case}");
        mail.find().subject("before").one();
        mail.find().subject(mailtest::regex("^after")).count(4);
        assert_eq!(
            mail.emails().last().and_then(|e| e.subject().map(str::to_owned)).as_deref(),
            Some("after, here")
        );
        mail.clear();
        mail.assert_empty();
    }
}

#[test]
fn a_panic_inside_in_scope_restores_the_previous_binding() {
    let outer = Outbox::new();
    let cases: [(&str, Option<&Outbox>); 2] =
        [("nothing bound before", None), ("an outbox bound before", Some(&outer))];
    for (case, previous) in cases {
        // Arrange
        let _previous = previous.map(Outbox::bind);
        let scoped = Outbox::new();

        // Act
        let result = catch_unwind(AssertUnwindSafe(|| {
            scoped.in_scope(|| {
                assert_eq!(mailtest::current().as_ref(), Some(&scoped));
                panic!("boom");
            })
        }));

        // Assert
        assert!(result.is_err(), "{case}");
        assert_eq!(mailtest::current().as_ref(), previous, "{case}");
    }
    assert_eq!(mailtest::current(), None);
}

#[test]
fn a_panic_deep_in_nested_scopes_unwinds_every_binding() {
    let (a, b, c) = (Outbox::new(), Outbox::new(), Outbox::new());
    let _a = a.bind();

    let result = catch_unwind(AssertUnwindSafe(|| {
        b.in_scope(|| {
            let _inner = mailtest::capture();
            c.in_scope(|| panic!("deep boom"))
        })
    }));

    assert!(result.is_err());
    assert_eq!(mailtest::current().as_ref(), Some(&a));
    CaptureTransport::ambient().send(&numbered(&template(0), 0)).unwrap();
    assert_eq!((a.len(), b.len(), c.len()), (1, 0, 0));
}

#[test]
fn a_panic_while_polling_a_scoped_future_restores_the_binding() {
    use std::future::Future;
    use std::task::{Context, Waker};

    let outer = mailtest::capture();
    let scoped = Outbox::new();
    let mut future = Box::pin(scoped.scope(async { panic!("boom in poll") }));

    let result =
        catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut Context::from_waker(Waker::noop()))));

    assert!(result.is_err());
    assert_eq!(mailtest::current().as_ref(), Some(&*outer));
}

#[test]
fn a_panicking_spawned_thread_leaves_the_outbox_usable() {
    let mail = mailtest::capture();

    let joined = mail.spawn(|| {
        raw(&mailtest::current().unwrap(), "sent before the panic");
        panic!("boom in spawn");
    });

    assert!(joined.join().is_err());
    assert_eq!(mailtest::current().as_ref(), Some(&*mail));
    mail.find().subject("sent before the panic").one();
    mail.spawn(|| raw(&mailtest::current().unwrap(), "later")).join().unwrap();
    mail.assert_count(2);
}
