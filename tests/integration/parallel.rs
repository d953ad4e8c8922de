//! Isolation between tests running in parallel: 120 generated tests, each
//! capturing on its own thread and from a propagated worker thread, each
//! seeing exactly its own mail and nothing from any other test.

use lettre::Transport;
use lettre::message::header::{HeaderName, HeaderValue};
use mailtest::CaptureTransport;

/// A small deterministic pseudo-random stream (xorshift), seeded by a name,
/// so each test interleaves differently with its neighbours.
struct Jitter(u64);

impl Jitter {
    fn new(seed: &str) -> Jitter {
        // FNV-1a; never zero, which xorshift needs.
        let hash = seed
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        Jitter(hash | 1)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }

    /// Gives other threads a chance to run in between, a random few times.
    fn pause(&mut self) {
        for _ in 0..self.below(16) {
            std::thread::yield_now();
        }
    }
}

fn message(test: &str, origin: &str, n: usize) -> lettre::Message {
    lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to(recipient(test).parse().unwrap())
        .subject(format!("{test} {origin} {n}"))
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("X-Test"), test.to_owned()))
        .body(format!("{origin} {n}"))
        .unwrap()
}

fn recipient(test: &str) -> String {
    format!("{test}@example.com")
}

/// The body of every generated test.
fn sends_and_sees_only_its_own_mail(test: &'static str) {
    // Arrange
    let mut jitter = Jitter::new(test);
    let sends = 3 + jitter.below(4) as usize;
    let mail = mailtest::capture();

    // Act: the test thread and a propagated worker send at the same time.
    let worker = mail.spawn(move || {
        let mut jitter = Jitter::new(&format!("{test} worker"));
        for n in 0..sends {
            jitter.pause();
            CaptureTransport::ambient().send(&message(test, "worker", n)).unwrap();
        }
    });
    for n in 0..sends {
        jitter.pause();
        CaptureTransport::ambient().send(&message(test, "test", n)).unwrap();
    }
    worker.join().expect("the worker thread panicked");

    // Assert: nothing from other tests, all of ours, each origin in order.
    let emails = mail.emails();
    let strangers: Vec<_> = emails.iter().filter(|e| e.header("X-Test") != Some(test)).collect();
    assert!(strangers.is_empty(), "{test} captured mail of other tests: {strangers:#?}");
    assert_eq!(emails.len(), 2 * sends, "{test}");
    for origin in ["test", "worker"] {
        let got: Vec<&str> = emails
            .iter()
            .filter_map(|e| e.subject())
            .filter(|s| s.starts_with(&format!("{test} {origin} ")))
            .collect();
        let expected: Vec<String> = (0..sends).map(|n| format!("{test} {origin} {n}")).collect();
        assert_eq!(got, expected, "{test}: {origin} mail lost or reordered");
    }
    mail.find().to(&recipient(test)).count(2 * sends);
    drop(mail);
    assert_eq!(mailtest::current(), None, "{test}: the capture must not outlive its guard");
}

/// Expands to one module per name in the first list, each with one test per
/// name in the second list.
macro_rules! isolation_tests {
    ([$($module:ident)*] $tests:tt) => {
        $( isolation_tests!(@module $module $tests); )*
    };
    (@module $module:ident [$($test:ident)*]) => {
        mod $module {
            $(
                #[test]
                fn $test() {
                    super::sends_and_sees_only_its_own_mail(concat!(
                        "parallel.", stringify!($module), ".", stringify!($test)
                    ));
                }
            )*
        }
    };
}

// 10 modules × 12 tests = 120 tests.
isolation_tests!(
    [batch_00 batch_01 batch_02 batch_03 batch_04 batch_05 batch_06 batch_07 batch_08 batch_09]
    [test_00 test_01 test_02 test_03 test_04 test_05 test_06 test_07 test_08 test_09 test_10 test_11]
);
