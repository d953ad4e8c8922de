//! SMTP sessions as Django holds them, counted at the crate's own sink:
//! one session for a batch, `open()` holds one across sends, `close()`
//! ends it; the async mailer pools them.

use mailtest::{Mailer, Settings, SmtpSink, send_mass_mail};

fn settings_for(sink: &SmtpSink) -> Settings {
    let port = sink.port().to_string();
    Settings::from_vars([("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", port.as_str())]).unwrap()
}

fn message(n: usize) -> lettre::Message {
    lettre::Message::builder()
        .from("shop@example.com".parse().unwrap())
        .to(format!("customer{n}@example.com").parse().unwrap())
        .subject(format!("Receipt {n}"))
        .body(String::from("Thank you."))
        .unwrap()
}

#[test]
fn a_batch_is_one_session() {
    let sink = SmtpSink::start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink)).unwrap();

    assert_eq!(mailer.send_messages(&[message(1), message(2), message(3)]).unwrap(), 3);

    assert_eq!(sink.sessions_started(), 1);
    sink.outbox().assert_count(3);
}

#[test]
fn without_open_each_batch_has_its_own_session() {
    let sink = SmtpSink::start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink)).unwrap();

    mailer.send_messages(&[message(1)]).unwrap();
    mailer.send_messages(&[message(2)]).unwrap();

    assert_eq!(sink.sessions_started(), 2);
}

#[test]
fn open_holds_one_session_for_every_send_until_close() {
    let sink = SmtpSink::start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink)).unwrap();

    mailer.open().unwrap();
    mailer.open().unwrap(); // a second open is a no-op
    mailer.send_messages(&[message(1)]).unwrap();
    mailer.send_messages(&[message(2), message(3)]).unwrap();
    assert_eq!(sink.sessions_started(), 1);
    mailer.close().unwrap();
    mailer.send_messages(&[message(4)]).unwrap();

    assert_eq!(sink.sessions_started(), 2);
    sink.outbox().assert_count(4);
}

#[test]
fn send_mass_mail_uses_one_session_for_every_message() {
    let sink = SmtpSink::start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink)).unwrap();
    let recipients: Vec<String> = (0..10).map(|n| format!("customer{n}@example.com")).collect();
    let lists: Vec<[&str; 1]> = recipients.iter().map(|to| [to.as_str()]).collect();
    let tuples: Vec<(&str, &str, &str, &[&str])> =
        lists.iter().map(|to| ("Spring sale", "20% off", "shop@example.com", &to[..])).collect();

    let sent = send_mass_mail(&tuples).connection(&mailer).send().unwrap();

    assert_eq!(sent, 10);
    assert_eq!(sink.sessions_started(), 1);
    sink.outbox().find().subject("Spring sale").count(10);
}

#[test]
fn a_failed_message_is_an_error_with_its_code_and_the_earlier_ones_count() {
    let sink = SmtpSink::builder().fail_message(2, 451, "try again later").start().unwrap();
    let mailer = Mailer::from_settings(&settings_for(&sink)).unwrap();

    let err = mailer.send_messages(&[message(1), message(2), message(3)]).unwrap_err();

    assert!(matches!(err, mailtest::Error::Smtp { code: Some(451), .. }), "{err:?}");
    assert!(err.is_temporary(), "a 4xx reply is worth a retry");
    sink.outbox().find().subject("Receipt 1").one();
}

#[cfg(feature = "tokio")]
mod pooled {
    use mailtest::{AsyncMailer, SmtpSink};

    use super::{message, settings_for};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sends_reuse_an_idle_session_until_close() {
        let sink = SmtpSink::start().unwrap();
        let mailer = AsyncMailer::from_settings(&settings_for(&sink)).unwrap();

        mailer.send_messages(&[message(1), message(2)]).await.unwrap();
        mailer.send(message(3)).await.unwrap();
        assert_eq!(sink.sessions_started(), 1, "the idle session is reused");
        mailer.close().await.unwrap();
        mailer.send(message(4)).await.unwrap();

        assert_eq!(sink.sessions_started(), 2);
        sink.outbox().assert_count(4);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_tasks_each_get_a_session_and_return_it() {
        let sink = SmtpSink::start().unwrap();
        let mailer = AsyncMailer::from_settings(&settings_for(&sink)).unwrap();

        let tasks: Vec<_> = (0..8)
            .map(|n| {
                let mailer = mailer.clone();
                tokio::spawn(async move { mailer.send(message(n)).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }

        sink.outbox().assert_count(8);
        assert!(sink.sessions_started() <= 8);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_refusal_is_an_error_with_the_server_reply_and_the_session_recovers() {
        let sink = SmtpSink::builder().fail_message(1, 554, "rejected by policy").start().unwrap();
        let mailer = AsyncMailer::from_settings(&settings_for(&sink)).unwrap();

        let err = mailer.send(message(1)).await.unwrap_err();
        mailer.send(message(2)).await.unwrap();

        assert!(matches!(err, mailtest::Error::Smtp { code: Some(554), .. }), "{err:?}");
        assert!(!err.is_temporary());
        assert!(err.to_string().contains("rejected by policy"), "{err}");
        sink.outbox().find().subject("Receipt 2").one();
    }

    #[test]
    fn a_mailer_made_and_dropped_outside_any_runtime_sends_inside_one() {
        let sink = SmtpSink::start().unwrap();
        let mailer = AsyncMailer::from_settings(&settings_for(&sink)).unwrap(); // no runtime here

        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(mailer.send(message(1))).unwrap();
        drop(runtime); // its idle session outlives the runtime
        drop(mailer);

        sink.outbox().assert_count(1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn send_mail_and_send_mass_mail_have_async_forms() {
        let sink = SmtpSink::start().unwrap();
        let mailer = AsyncMailer::from_settings(&settings_for(&sink)).unwrap();

        let one = mailtest::send_mail("Hi", "Hello", "", &["ann@example.com"])
            .async_connection(&mailer)
            .send_async()
            .await
            .unwrap();
        let two = mailtest::send_mass_mail(&[
            ("A", "a", "shop@example.com", &["bob@example.com"]),
            ("B", "b", "shop@example.com", &["carl@example.com"]),
        ])
        .async_connection(&mailer)
        .send_async()
        .await
        .unwrap();

        assert_eq!((one, two), (1, 2));
        let hi = sink.outbox().find().subject("Hi").one();
        assert_eq!(hi.from(), ["webmaster@localhost"], "DEFAULT_FROM_EMAIL when no sender is given");
    }
}
