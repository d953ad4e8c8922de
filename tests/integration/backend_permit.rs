//! A backend of your own that reaches a server over the network asks the
//! `Permit` its mailer hands it, and is held to the test-process rule as
//! mailtest's SMTP backend is.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use lettre::Message;
use mailtest::{Delivery, EmailBackend, Error, Mailer, Permit};

/// Connects to `port` on loopback for each batch, once its permit allows.
struct Api {
    port: u16,
    permits: Arc<Mutex<Vec<Permit>>>,
}

impl EmailBackend for Api {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        self.deliver_with(messages, Permit::default()).map(|delivery| delivery.sent())
    }

    fn deliver_with(&self, messages: &[Message], permit: Permit) -> Result<Delivery, Error> {
        self.permits.lock().unwrap().push(permit);
        permit.reach("127.0.0.1", self.port, messages.iter().map(Message::envelope))?;
        std::net::TcpStream::connect(("127.0.0.1", self.port))
            .map_err(|err| Error::backend_source("api", err))?;
        Ok(Delivery::new(messages.len()))
    }
}

fn message() -> Message {
    Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann.permit@example.com".parse().unwrap())
        .body(String::from("Hi"))
        .unwrap()
}

/// The mailer's sends go to the backend from a thread with nothing bound
/// (and, the test holding a capture, with no global capture alive).
fn send_from_an_app_thread(mailer: Mailer) -> Result<usize, Error> {
    let worker = std::thread::Builder::new().name("app-worker".to_owned());
    worker.spawn(move || mailer.send_messages(&[message()])).unwrap().join().unwrap()
}

#[test]
fn a_backend_of_your_own_asks_the_permit_and_is_refused_in_a_test_process() {
    let _gate = mailtest::capture(); // no global capture runs beside this test
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    server.set_nonblocking(true).unwrap();
    let port = server.local_addr().unwrap().port();
    let permits = Arc::new(Mutex::new(Vec::new()));
    let api = || Api { port, permits: Arc::clone(&permits) };

    let refused = send_from_an_app_thread(Mailer::new(api()));
    let bypassing = send_from_an_app_thread(Mailer::new(api()).bypass_capture());

    let err = refused.unwrap_err();
    let Error::NoOutbox { prevented, recipients, .. } = &err else { panic!("{err:?}") };
    assert_eq!(prevented.as_deref(), Some(format!("127.0.0.1:{port}").as_str()));
    assert_eq!(recipients, &["ann.permit@example.com"]);
    assert_eq!(bypassing.unwrap(), 1);
    let permits = permits.lock().unwrap();
    assert_eq!(
        permits.iter().map(Permit::bypasses_capture).collect::<Vec<_>>(),
        [false, true],
        "each mailer said what it allows"
    );
    assert_eq!(std::iter::from_fn(|| server.accept().ok()).count(), 1, "only the bypassing mailer connected");
}

#[cfg(feature = "tokio")]
#[test]
fn an_async_mailer_hands_its_permit_to_a_blocking_backend_of_your_own() {
    let _gate = mailtest::capture(); // no global capture runs beside this test
    let permits = Arc::new(Mutex::new(Vec::new()));
    let mailer =
        mailtest::AsyncMailer::new(mailtest::Blocking::new(Api { port: 9, permits: Arc::clone(&permits) }));

    // On a runtime of the app's own, where the test's capture is not bound.
    let app = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(mailer.send(message()))
    });
    let err = app.join().unwrap().unwrap_err();

    assert!(matches!(&err, Error::NoOutbox { asynchronous: true, prevented: Some(_), .. }), "{err:?}");
    assert!(permits.lock().unwrap()[0].is_async());
}
