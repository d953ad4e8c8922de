//! A seeded plan reproduces: the same sends meet the same faults in every
//! run, and another seed gives another sequence.

use lettre::Transport;
use mailtest::{Fault, FaultPlan, Outbox, Stage};

/// The outcome of 200 sends into a fresh capture with a seeded plan:
/// `.` delivered, `x` refused, `d` disconnected.
fn run(seed: u64) -> String {
    let mail = Outbox::new();
    mail.faults(
        FaultPlan::new()
            .seed(seed)
            .fault(Fault::reply(Stage::Rcpt, 451, "4.3.0 try later").probability(0.2))
            .fault(Fault::disconnect(Stage::Data).probability(0.1)),
    );
    let transport = mail.transport();
    (0..200)
        .map(|n| {
            let to = format!("user{n}@example.com");
            match transport.send(&super::receipt(&to)) {
                Ok(()) => '.',
                Err(err) if err.is_temporary() => 'x',
                Err(_) => 'd',
            }
        })
        .collect()
}

#[test]
fn a_seeded_plan_gives_the_same_sequence_in_ten_runs() {
    let first = run(42);

    for _ in 0..9 {
        assert_eq!(run(42), first);
    }
    let refused = first.matches('x').count();
    let dropped = first.matches('d').count();
    assert!((20..=60).contains(&refused), "about 20 % refused: {first}");
    assert!((5..=35).contains(&dropped), "about 10 % of the rest dropped: {first}");
    assert_ne!(run(43), first, "another seed, another sequence");
}

#[test]
fn counts_hit_the_next_sends_only_and_nth_one_send() {
    let mail = Outbox::new();
    mail.faults(
        FaultPlan::new()
            .fault(Fault::reply(Stage::Mail, 451, "4.3.0 busy").times(2))
            .fault(Fault::reply(Stage::EndOfData, 554, "5.7.1 the fourth").nth(2)),
    );
    let transport = mail.transport();

    let codes: Vec<Option<u16>> = (0..5)
        .map(|_| match transport.send(&super::receipt("ann@example.com")) {
            Ok(()) => None,
            Err(mailtest::Error::Smtp { code, .. }) => code,
            Err(err) => panic!("{err}"),
        })
        .collect();

    // The third send is the first to reach the end of data, the fourth the second.
    assert_eq!(codes, [Some(451), Some(451), None, Some(554), None]);
}

#[cfg(feature = "sink")]
#[test]
fn a_seeded_plan_on_the_sink_gives_the_same_sequence_over_smtp() {
    use mailtest::SmtpSink;

    let run = || {
        let sink = SmtpSink::builder()
            .faults(
                FaultPlan::new()
                    .seed(7)
                    .fault(Fault::reply(Stage::Rcpt, 450, "4.2.0 later").probability(0.3)),
            )
            .start()
            .unwrap();
        let transport = lettre::SmtpTransport::builder_dangerous("127.0.0.1").port(sink.port()).build();
        (0..30)
            .map(|n| {
                if transport.send(&super::receipt(&format!("u{n}@example.com"))).is_ok() { '.' } else { 'x' }
            })
            .collect::<String>()
    };

    let first = run();
    assert_eq!(run(), first);
    assert!(first.contains('x') && first.contains('.'), "{first}");
}
