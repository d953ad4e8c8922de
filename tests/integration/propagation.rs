//! Propagation: how a capture follows work onto std threads, tokio tasks and
//! the blocking pool, routing by `unique_address` for work nobody propagated
//! anything to, and nesting of captures.

use std::collections::HashSet;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread::{self, JoinHandle, ThreadId};

use lettre::Transport;
use mailtest::{CaptureTransport, Error, Outbox, WithOutbox, WithOutboxExt};

fn message(to: &[&str], subject: &str) -> lettre::Message {
    let mut builder = lettre::Message::builder().from("app@example.com".parse().unwrap());
    for to in to {
        builder = builder.to(to.parse().unwrap());
    }
    builder.subject(subject).body(String::from("Hello")).unwrap()
}

fn send_ambient(to: &str, subject: &str) -> Result<(), Error> {
    CaptureTransport::ambient().send(&message(&[to], subject))
}

fn subjects(outbox: &Outbox) -> Vec<String> {
    outbox.emails().iter().map(|email| email.subject().unwrap_or_default().to_owned()).collect()
}

/// Unwraps a `NoOutbox` error into its recipients, failing on anything else.
fn no_outbox_recipients(result: Result<(), Error>) -> Vec<String> {
    match result {
        Err(Error::NoOutbox { recipients, .. }) => recipients,
        other => panic!("expected Err(Error::NoOutbox), got {other:?}"),
    }
}

// ---------------------------------------------------------------- std threads

type Launch = fn(Outbox, &'static str) -> JoinHandle<Result<(), Error>>;

/// Every way to get a capture onto a std thread: (name, launcher).
const THREAD_PROPAGATIONS: &[(&str, Launch)] = &[
    ("outbox.spawn", |outbox, subject| {
        outbox.spawn(move || send_ambient("ann.propagation@example.com", subject))
    }),
    ("in_scope", |outbox, subject| {
        thread::spawn(move || outbox.in_scope(|| send_ambient("ann.propagation@example.com", subject)))
    }),
    ("transport moved in", |outbox, subject| {
        let transport = outbox.transport();
        thread::spawn(move || {
            assert!(mailtest::current().is_none(), "nothing is bound on a plain thread");
            transport.send(&message(&["ann.propagation@example.com"], subject))
        })
    }),
];

#[test]
fn every_thread_propagation_delivers_into_the_tests_outbox() {
    for &(how, launch) in THREAD_PROPAGATIONS {
        // Arrange
        let mail = mailtest::capture();

        // Act
        let sent = launch(mail.outbox(), how).join().expect("the sending thread panicked");

        // Assert
        sent.unwrap_or_else(|err| panic!("{how}: send failed: {err}"));
        assert_eq!(subjects(&mail), [how], "{how}");
    }
}

#[test]
fn spawned_thread_sees_the_outbox_bound_for_its_whole_run() {
    let mail = mailtest::capture();
    let expected = mail.outbox();

    let seen = mail
        .spawn(move || {
            let first = mailtest::current();
            send_ambient("ann.propagation@example.com", "one").unwrap();
            thread::yield_now();
            send_ambient("ann.propagation@example.com", "two").unwrap();
            (first, mailtest::current())
        })
        .join()
        .unwrap();

    assert_eq!(seen, (Some(expected.clone()), Some(expected)));
    assert_eq!(subjects(&mail), ["one", "two"]);
}

#[test]
fn in_scope_binds_only_for_the_closure_and_returns_its_value() {
    let mail = mailtest::capture();
    let outbox = mail.outbox();

    let (inside, after) = thread::spawn(move || {
        let inside = outbox.in_scope(|| {
            send_ambient("ann.propagation@example.com", "in scope").unwrap();
            mailtest::current()
        });
        (inside, mailtest::current())
    })
    .join()
    .unwrap();

    assert_eq!(inside.as_ref(), Some(&*mail));
    assert_eq!(after, None, "in_scope must unbind when the closure returns");
    mail.find().subject("in scope").one();
}

#[test]
fn plain_thread_with_nothing_propagated_gets_no_outbox_error() {
    // Arrange
    let mail = mailtest::capture();

    // Act
    let result = thread::Builder::new()
        .name("unpropagated-worker".into())
        .spawn(|| send_ambient("ann.propagation@example.com", "lost"))
        .unwrap()
        .join()
        .unwrap();

    // Assert
    let err = result.expect_err("an ambient send with nothing bound must fail");
    let Error::NoOutbox { thread, recipients, .. } = &err else { panic!("unexpected error {err:?}") };
    assert_eq!(recipients, &["ann.propagation@example.com"]);
    assert!(thread.contains("unpropagated-worker"), "thread label: {thread}");
    let text = format!("{err:#}");
    for hint in [
        "mailtest::capture()",
        "scope",
        "unique_address",
        "ann.propagation@example.com",
        "unpropagated-worker",
    ] {
        assert!(text.contains(hint), "error text lacks {hint:?}:\n{text}");
    }
    mail.assert_empty();
}

// ---------------------------------------------------- polling on many threads

/// Returns `Pending` once (waking itself), then `Ready`: a point where an
/// executor may move the future to another thread.
async fn yield_once() {
    let mut yielded = false;
    poll_fn(move |cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

#[test]
fn scoped_future_rebinds_on_whichever_thread_polls_it() {
    // Arrange: a future that sends, yields, sends; polled on two threads.
    let mail = mailtest::capture();
    let mut future: Pin<Box<WithOutbox<_>>> = Box::pin(mail.scope(async {
        send_ambient("ann.propagation@example.com", "first poll").unwrap();
        yield_once().await;
        send_ambient("ann.propagation@example.com", "second poll").unwrap();
    }));
    let poll_on_new_thread = |mut future: Pin<Box<WithOutbox<_>>>| {
        thread::spawn(move || {
            let ready = future.as_mut().poll(&mut Context::from_waker(Waker::noop())).is_ready();
            (ready, mailtest::current().is_none(), future)
        })
        .join()
        .unwrap()
    };

    // Act
    let (ready, unbound_after, rest) = poll_on_new_thread(future);
    assert!(!ready && unbound_after, "first poll: ready={ready}, unbound after={unbound_after}");
    future = rest;
    let (ready, unbound_after, _) = poll_on_new_thread(future);

    // Assert
    assert!(ready && unbound_after, "second poll: ready={ready}, unbound after={unbound_after}");
    assert_eq!(subjects(&mail), ["first poll", "second poll"]);
}

// --------------------------------------------------------------- tokio tasks

#[derive(Clone, Copy, Debug)]
enum Propagate {
    Scope,
    WithOutbox,
    WithCurrentOutbox,
}

const FUTURE_PROPAGATIONS: [Propagate; 3] =
    [Propagate::Scope, Propagate::WithOutbox, Propagate::WithCurrentOutbox];

fn propagate<F: Future>(how: Propagate, outbox: &Outbox, future: F) -> WithOutbox<F> {
    match how {
        Propagate::Scope => outbox.scope(future),
        Propagate::WithOutbox => future.with_outbox(outbox),
        Propagate::WithCurrentOutbox => {
            assert_eq!(mailtest::current().as_ref(), Some(outbox), "the test's capture is bound");
            future.with_current_outbox()
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_spawn_with_each_propagation_delivers_every_send_across_awaits() {
    const TASKS: usize = 4;
    const SENDS: usize = 5;
    for how in FUTURE_PROPAGATIONS {
        // Arrange
        let mail = mailtest::capture();
        let threads = Arc::new(Mutex::new(HashSet::<ThreadId>::new()));

        // Act: every task sends several times, yielding (and maybe hopping
        // worker threads) between sends.
        let handles: Vec<_> = (0..TASKS)
            .map(|task| {
                let threads = Arc::clone(&threads);
                let work = async move {
                    for send in 0..SENDS {
                        threads.lock().unwrap().insert(thread::current().id());
                        send_ambient(
                            "ann.propagation@example.com",
                            &format!("{how:?} task {task} send {send}"),
                        )?;
                        for _ in 0..3 {
                            tokio::task::yield_now().await;
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    }
                    Ok::<_, Error>(())
                };
                tokio::spawn(propagate(how, &mail, work))
            })
            .collect();
        for handle in handles {
            handle.await.unwrap().unwrap_or_else(|err| panic!("{how:?}: {err}"));
        }

        // Assert: all there, once, and in order per task.
        let got = subjects(&mail);
        assert_eq!(got.len(), TASKS * SENDS, "{how:?}: {got:?}");
        for task in 0..TASKS {
            let of_task: Vec<&String> =
                got.iter().filter(|s| s.starts_with(&format!("{how:?} task {task} "))).collect();
            let expected: Vec<String> =
                (0..SENDS).map(|send| format!("{how:?} task {task} send {send}")).collect();
            assert_eq!(of_task, expected.iter().collect::<Vec<_>>(), "{how:?}");
        }
        assert!(!threads.lock().unwrap().contains(&thread::current().id()), "tasks ran on workers");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_spawn_without_propagation_gets_no_outbox_error() {
    let mail = mailtest::capture();

    let result = tokio::spawn(async { send_ambient("ann.propagation@example.com", "lost") }).await.unwrap();

    assert_eq!(no_outbox_recipients(result), ["ann.propagation@example.com"]);
    mail.assert_empty();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawn_blocking_with_in_scope_delivers_and_without_it_errs() {
    let mail = mailtest::capture();
    let outbox = mail.outbox();

    let scoped = tokio::task::spawn_blocking(move || {
        outbox.in_scope(|| send_ambient("ann.propagation@example.com", "from the blocking pool"))
    })
    .await
    .unwrap();
    let unscoped =
        tokio::task::spawn_blocking(|| send_ambient("ann.propagation@example.com", "lost")).await.unwrap();

    scoped.unwrap();
    assert_eq!(no_outbox_recipients(unscoped), ["ann.propagation@example.com"]);
    assert_eq!(subjects(&mail), ["from the blocking pool"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_task_inside_a_scoped_task_needs_its_own_propagation() {
    let mail = mailtest::capture();

    let (inner_bound, inner_unbound) = tokio::spawn(mail.scope(async {
        // Propagated again from inside the scope: lands.
        let bound = tokio::spawn(
            async { send_ambient("ann.propagation@example.com", "re-propagated") }.with_current_outbox(),
        );
        // Not propagated: the scope of the parent task does not leak into it.
        let unbound = tokio::spawn(async { send_ambient("ann.propagation@example.com", "lost") });
        (bound.await.unwrap(), unbound.await.unwrap())
    }))
    .await
    .unwrap();

    inner_bound.unwrap();
    no_outbox_recipients(inner_unbound);
    assert_eq!(subjects(&mail), ["re-propagated"]);
}

#[cfg(feature = "tokio")]
mod async_transport {
    use lettre::AsyncTransport;
    use mailtest::{AsyncCaptureTransport, Error};

    use super::{FUTURE_PROPAGATIONS, message, no_outbox_recipients, propagate, subjects};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ambient_async_transport_delivers_inside_scoped_tasks() {
        for how in FUTURE_PROPAGATIONS {
            let mail = mailtest::capture();

            let handles: Vec<_> = (0..3)
                .map(|task| {
                    let work = async move {
                        for send in 0..3 {
                            let subject = format!("{how:?} {task}.{send}");
                            AsyncCaptureTransport::ambient()
                                .send(message(&["ann.propagation@example.com"], &subject))
                                .await?;
                            tokio::task::yield_now().await;
                        }
                        Ok::<_, Error>(())
                    };
                    tokio::spawn(propagate(how, &mail, work))
                })
                .collect();
            for handle in handles {
                handle.await.unwrap().unwrap();
            }

            let mut got = subjects(&mail);
            got.sort();
            let mut expected: Vec<String> =
                (0..3).flat_map(|t| (0..3).map(move |s| format!("{how:?} {t}.{s}"))).collect();
            expected.sort();
            assert_eq!(got, expected);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ambient_async_transport_in_an_unscoped_task_errs_but_explicit_one_delivers() {
        let mail = mailtest::capture();
        let explicit = mail.async_transport();

        let (ambient, explicit) = tokio::spawn(async move {
            let ambient = AsyncCaptureTransport::ambient()
                .send(message(&["ann.propagation@example.com"], "lost"))
                .await;
            let explicit = explicit.send(message(&["ann.propagation@example.com"], "explicit")).await;
            (ambient, explicit)
        })
        .await
        .unwrap();

        assert_eq!(no_outbox_recipients(ambient), ["ann.propagation@example.com"]);
        explicit.unwrap();
        assert_eq!(subjects(&mail), ["explicit"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ambient_async_transport_routes_unique_addresses_from_unscoped_tasks() {
        let mail = mailtest::capture();
        let ann = mail.unique_address("ann");

        let to = ann.clone();
        tokio::spawn(async move {
            AsyncCaptureTransport::ambient().send(message(&[&to], "routed")).await.unwrap();
        })
        .await
        .unwrap();

        mail.find().to(&ann).subject("routed").one();
    }
}

// ------------------------------------------------------------ unique_address

#[test]
fn unique_address_routes_sends_from_an_unpropagated_thread() {
    let mail = mailtest::capture();
    let ann = mail.unique_address("ann");

    let to = ann.clone();
    thread::spawn(move || send_ambient(&to, "routed")).join().unwrap().unwrap();

    let email = mail.find().to(&ann).one();
    assert_eq!(email.subject(), Some("routed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_address_routes_sends_from_an_unpropagated_task() {
    let mail = mailtest::capture();
    let ann = mail.unique_address("ann");

    let to = ann.clone();
    tokio::spawn(async move {
        tokio::task::yield_now().await;
        send_ambient(&to, "routed from a task")
    })
    .await
    .unwrap()
    .unwrap();

    mail.find().to(&ann).subject("routed from a task").one();
}

#[test]
fn one_message_to_routed_addresses_of_several_outboxes_is_captured_in_each() {
    // Arrange
    let first = Outbox::new();
    let second = Outbox::new();
    let bystander = Outbox::new();
    let (a, a2, b) = (first.unique_address("a"), first.unique_address("a2"), second.unique_address("b"));
    let _unused = bystander.unique_address("c");

    // Act: a and a2 both lead to `first`; an unrouted recipient is ignored.
    let to: Vec<String> = vec![a.clone(), "nobody@example.com".into(), a2, b.clone()];
    thread::spawn(move || {
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        CaptureTransport::ambient().send(&message(&to, "shared"))
    })
    .join()
    .unwrap()
    .unwrap();

    // Assert
    let table: [(&str, &Outbox, usize); 3] =
        [("first", &first, 1), ("second", &second, 1), ("bystander", &bystander, 0)];
    for (name, outbox, copies) in table {
        assert_eq!(outbox.len(), copies, "{name}");
    }
    first.find().to(&a).to(&b).subject("shared").one();
    second.find().to(&a).to(&b).subject("shared").one();
}

#[test]
fn bound_outbox_wins_over_a_route() {
    let mail = mailtest::capture();
    let other = Outbox::new();
    let routed_to_other = other.unique_address("bob");

    send_ambient(&routed_to_other, "bound wins").unwrap();

    mail.find().subject("bound wins").one();
    other.assert_empty();
}

#[test]
fn unique_addresses_are_unique_across_calls_outboxes_and_threads() {
    // Arrange
    let outboxes: Vec<Outbox> = (0..4).map(|_| Outbox::new()).collect();

    // Act: the same local part, many times, from several threads at once.
    let handles: Vec<_> = outboxes
        .iter()
        .cloned()
        .map(|outbox| {
            thread::spawn(move || (0..25).map(|_| outbox.unique_address("ann")).collect::<Vec<_>>())
        })
        .collect();
    let addresses: Vec<String> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();

    // Assert
    let distinct: HashSet<&String> = addresses.iter().collect();
    assert_eq!(distinct.len(), 100, "duplicates among {addresses:?}");
    for address in &addresses {
        assert!(address.starts_with("ann-") && address.ends_with("@example.com"), "{address}");
        address.parse::<lettre::Address>().unwrap_or_else(|e| panic!("{address} is not an address: {e}"));
    }
}

#[test]
fn unique_address_keeps_the_local_part_readable() {
    let outbox = Outbox::new();
    let cases = [("ann", "ann-"), ("Ann.Lee", "Ann.Lee-"), ("ann smith@x", "ann_smith_x-"), ("", "user-")];
    for (local_part, prefix) in cases {
        let address = outbox.unique_address(local_part);
        assert!(address.starts_with(prefix), "{local_part:?} gave {address}");
        address.parse::<lettre::Address>().unwrap_or_else(|e| panic!("{address}: {e}"));
    }
}

#[test]
fn route_lives_as_long_as_any_handle_and_ends_when_the_outbox_drops() {
    // Arrange
    let outbox = Outbox::new();
    let address = outbox.unique_address("gone");
    let clone = outbox.clone();
    drop(outbox);
    let send_from_plain_thread =
        |address: String| thread::spawn(move || send_ambient(&address, "hi")).join().unwrap();

    // Act + Assert: one handle left, still routed.
    send_from_plain_thread(address.clone()).unwrap();
    assert_eq!(clone.len(), 1);

    // Act + Assert: last handle gone, no route.
    drop(clone);
    assert_eq!(no_outbox_recipients(send_from_plain_thread(address.clone())), [address]);
}

// ------------------------------------------------------------------- nesting

#[test]
fn inner_capture_takes_over_and_dropping_it_restores_the_outer() {
    assert_eq!(mailtest::current(), None);
    let outer = mailtest::capture();
    send_ambient("ann.propagation@example.com", "outer 1").unwrap();
    {
        let inner = mailtest::capture();
        assert_eq!(mailtest::current().as_ref(), Some(&*inner));
        send_ambient("ann.propagation@example.com", "inner").unwrap();
        assert_eq!(subjects(&inner), ["inner"]);
    }
    assert_eq!(mailtest::current().as_ref(), Some(&*outer));
    send_ambient("ann.propagation@example.com", "outer 2").unwrap();
    assert_eq!(subjects(&outer), ["outer 1", "outer 2"]);

    drop(outer);
    assert_eq!(mailtest::current(), None);
    no_outbox_recipients(send_ambient("ann.propagation@example.com", "nowhere"));
}

#[test]
fn bind_guards_and_in_scope_nest_and_restore_in_reverse_order() {
    let (a, b, c) = (Outbox::new(), Outbox::new(), Outbox::new());
    {
        let _a = a.bind();
        let b_bound = b.bind();
        c.in_scope(|| {
            assert_eq!(mailtest::current().as_ref(), Some(&c));
            send_ambient("ann.propagation@example.com", "c").unwrap();
        });
        assert_eq!(mailtest::current().as_ref(), Some(&b));
        send_ambient("ann.propagation@example.com", "b").unwrap();
        drop(b_bound);
        assert_eq!(mailtest::current().as_ref(), Some(&a));
        send_ambient("ann.propagation@example.com", "a").unwrap();
    }
    assert_eq!(mailtest::current(), None);
    assert_eq!([subjects(&a), subjects(&b), subjects(&c)], [["a"], ["b"], ["c"]]);
}

#[test]
fn nested_capture_is_what_propagation_carries() {
    let outer = mailtest::capture();
    let inner = mailtest::capture();

    // `spawn` and `with_current_outbox` pick the innermost capture, even when
    // the future is polled on a thread that has nothing bound.
    inner.spawn(|| send_ambient("ann.propagation@example.com", "thread")).join().unwrap().unwrap();
    let future =
        Box::pin(async { send_ambient("ann.propagation@example.com", "future") }.with_current_outbox());
    let polled = thread::spawn(move || {
        let mut future = future;
        future.as_mut().poll(&mut Context::from_waker(Waker::noop()))
    })
    .join()
    .unwrap();

    assert!(matches!(polled, Poll::Ready(Ok(()))), "{polled:?}");
    assert_eq!(subjects(&inner), ["thread", "future"]);
    outer.assert_empty();
}
