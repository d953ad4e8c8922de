//! Where a send goes (DESIGN §10), for every path: `capture_global()` for
//! work the test does not own, on every runtime flavour, and the gate that
//! keeps it apart from other captures; routes for any mailer, from any thread.

use std::time::Duration;

use lettre::Transport;
use mailtest::{CaptureTransport, DummyBackend, Mailer, Settings, capture, capture_global};

fn message(to: &str, subject: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject(subject)
        .body(String::from("Hello"))
        .unwrap()
}

#[test]
fn mail_from_any_thread_lands_in_the_global_capture() {
    let mail = capture_global();
    // The app's production wiring: SMTP to localhost:25.
    let mailer = Mailer::from_settings(&Settings::default()).unwrap();

    let workers: Vec<_> = (0..4)
        .map(|n| {
            let mailer = mailer.clone();
            std::thread::spawn(move || {
                mailer.send_messages(&[message(&format!("user{n}@example.com"), "Weekly digest")]).unwrap();
                CaptureTransport::ambient()
                    .send(&message(&format!("user{n}@example.com"), "Ambient"))
                    .unwrap();
            })
        })
        .collect();
    workers.into_iter().for_each(|worker| worker.join().unwrap());

    mail.find().subject("Weekly digest").count(4);
    mail.find().subject("Ambient").count(4);
}

#[test]
fn a_thread_binding_and_a_route_still_win_over_the_global_capture() {
    let global = capture_global();
    let routed = mailtest::Outbox::new();
    let ann = routed.unique_address("ann");
    let bound = mailtest::Outbox::new();

    {
        let bound = bound.clone();
        std::thread::spawn(move || {
            let _bound = bound.bind();
            CaptureTransport::ambient().send(&message("bob@example.com", "bound")).unwrap();
        })
        .join()
        .unwrap();
    }
    let to_ann = message(&ann, "routed");
    std::thread::spawn(move || CaptureTransport::ambient().send(&to_ann).unwrap()).join().unwrap();

    bound.find().subject("bound").one();
    routed.find().subject("routed").one();
    global.assert_empty();
}

#[test]
#[should_panic(expected = "already holds 1 capture (`mailtest::capture()`)")]
fn a_global_capture_on_a_thread_holding_a_capture_panics_instead_of_waiting_for_ever() {
    let _mail = capture();
    let _global = capture_global();
}

#[test]
fn a_capture_nested_in_the_global_capture_takes_its_own_thread() {
    let global = capture_global();

    let inner = capture();
    CaptureTransport::ambient().send(&message("ann@example.com", "inner")).unwrap();
    std::thread::spawn(|| CaptureTransport::ambient().send(&message("bob@example.com", "worker")).unwrap())
        .join()
        .unwrap();
    drop(inner);
    CaptureTransport::ambient().send(&message("ann@example.com", "outer")).unwrap();

    global.find().subject("worker").one();
    global.find().subject("outer").one();
    global.find().subject("inner").none();
}

#[test]
fn another_thread_waits_for_the_global_capture_to_end() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let global = capture_global();
    let captured = Arc::new(AtomicBool::new(false));
    let other = {
        let captured = Arc::clone(&captured);
        std::thread::spawn(move || {
            let mail = capture(); // waits until the global capture drops
            captured.store(true, Ordering::SeqCst);
            CaptureTransport::ambient().send(&message("ann@example.com", "after")).unwrap();
            mail.len()
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    assert!(!captured.load(Ordering::SeqCst), "capture() must wait while a global capture is alive");

    drop(global);

    assert_eq!(other.join().unwrap(), 1, "the other capture got its own mail, after the global one");
}

#[test]
fn a_dummy_mailer_beside_a_global_capture_is_captured_too() {
    let mail = capture_global();

    std::thread::spawn(|| {
        Mailer::new(DummyBackend).send_messages(&[message("ann@example.com", "dummy")]).unwrap()
    })
    .join()
    .unwrap();

    mail.find().subject("dummy").one();
}

#[test]
fn a_routed_address_takes_a_production_mailers_mail_from_any_thread() {
    let mail = capture();
    let ann = mail.unique_address("ann");
    let mailer = Mailer::from_settings(&Settings::default()).unwrap(); // SMTP to localhost:25

    let sent = {
        let to = message(&ann, "routed");
        std::thread::spawn(move || mailer.send_messages(&[to])).join().unwrap()
    };
    let by_send_mail = {
        let ann = ann.clone();
        std::thread::spawn(move || mailtest::send_mail("Hi", "Hello", "app@example.com", &[&ann]).send())
            .join()
            .unwrap()
    };

    assert_eq!((sent.unwrap(), by_send_mail.unwrap()), (1, 1));
    mail.find().to(ann.as_str()).count(2);
}

#[cfg(feature = "tokio")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_routed_address_takes_an_async_mailers_mail_from_a_runtime_worker() {
    let mail = capture();
    let ann = mail.unique_address("ann");
    let mailer = mailtest::AsyncMailer::from_settings(&Settings::default()).unwrap();

    let to = message(&ann, "routed");
    tokio::spawn(async move { mailer.send(to).await }).await.unwrap().unwrap();

    mail.find().to(ann.as_str()).subject("routed").one();
}

/// One test body, run on both tokio flavours: the worker is spawned at
/// "start-up" and sends through a production-configured `AsyncMailer`.
#[cfg(feature = "tokio")]
mod runtimes {
    use mailtest::{AsyncMailer, Settings, capture_global};

    async fn app_worker_sends_a_receipt() {
        let mail = capture_global();
        let mailer = AsyncMailer::from_settings(&Settings::default()).unwrap();
        let (orders, mut queue) = tokio::sync::mpsc::channel::<String>(8);
        let worker = tokio::spawn(async move {
            while let Some(to) = queue.recv().await {
                mailer.send(super::message(&to, "Your receipt")).await.unwrap();
            }
        });

        orders.send("ann@example.com".to_owned()).await.unwrap();

        mail.find()
            .to("ann@example.com")
            .subject("Your receipt")
            .within(std::time::Duration::from_secs(5))
            .one_async()
            .await;
        drop(orders);
        worker.await.unwrap();
    }

    #[tokio::test(flavor = "current_thread")]
    async fn on_a_current_thread_runtime() {
        app_worker_sends_a_receipt().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_a_multi_thread_runtime() {
        app_worker_sends_a_receipt().await;
    }
}
