//! `capture_global()` beside 50 other capturing tests in one process, as
//! `cargo test` runs them: no cross-talk, no deadlock. `.ci/run` runs this
//! binary 20 times with many test threads.

use lettre::Transport;
use mailtest::{CaptureTransport, capture, capture_global};

const PER_TEST: usize = 5;

fn message(to: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to(to.parse().unwrap())
        .subject("stress")
        .body(String::from("."))
        .unwrap()
}

/// A capturing test: sends from its own thread and a thread it binds, and
/// finds exactly its own mail.
fn capturing_test(name: &str) {
    let mail = capture();
    for n in 0..PER_TEST {
        CaptureTransport::ambient().send(&message(&format!("{name}-{n}@example.com"))).unwrap();
    }
    let worker = {
        let name = name.to_owned();
        mail.spawn(move || {
            CaptureTransport::ambient().send(&message(&format!("{name}-w@example.com"))).unwrap()
        })
    };
    worker.join().unwrap();
    let emails = mail.find().count(PER_TEST + 1);
    for email in emails {
        let to = email.to()[0].address.as_str();
        assert!(to.starts_with(&format!("{name}-")), "{name} saw mail for {to}");
    }
}

/// A global-capture test: sends from threads it does not bind, and finds
/// exactly that mail.
fn global_test(name: &str) {
    let mail = capture_global();
    let workers: Vec<_> = (0..PER_TEST)
        .map(|n| {
            let to = format!("{name}-{n}@example.com");
            std::thread::spawn(move || CaptureTransport::ambient().send(&message(&to)).unwrap())
        })
        .collect();
    workers.into_iter().for_each(|worker| worker.join().unwrap());
    let emails = mail.find().count(PER_TEST);
    for email in emails {
        let to = email.to()[0].address.as_str();
        assert!(to.starts_with(&format!("{name}-")), "{name} saw mail for {to}");
    }
}

macro_rules! tests {
    ($kind:ident: $($name:ident)*) => {$(
        #[test]
        fn $name() {
            $kind(stringify!($name));
        }
    )*};
}

tests!(capturing_test:
    c01 c02 c03 c04 c05 c06 c07 c08 c09 c10 c11 c12 c13 c14 c15 c16 c17 c18 c19 c20 c21 c22 c23 c24 c25
    c26 c27 c28 c29 c30 c31 c32 c33 c34 c35 c36 c37 c38 c39 c40 c41 c42 c43 c44 c45 c46 c47 c48 c49 c50);

tests!(global_test: g1 g2 g3 g4 g5);
