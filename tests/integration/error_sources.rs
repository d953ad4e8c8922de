//! `Error` keeps the error underneath as its `source()`: a caller can walk
//! the chain and downcast it, as with any `std::error::Error`.

use std::error::Error as _;
use std::io::ErrorKind;

use mailtest::{Error, Outbox};

/// The first `std::io::Error` in the chain under `err`.
fn io_under<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut source = err.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = cause.source();
    }
    None
}

#[test]
fn a_file_error_keeps_the_operating_systems_error() {
    let err = Outbox::load("/nonexistent/mailtest/outgoing").unwrap_err();

    let io = io_under(&err).expect("the io::Error is the source");
    assert_eq!(io.kind(), ErrorKind::NotFound);
    assert!(io.raw_os_error().is_some(), "the OS error code is kept: {io:?}");
    assert!(matches!(&err, Error::Io { kind: ErrorKind::NotFound, .. }), "{err}");
}

#[test]
fn a_bad_address_keeps_the_parsers_error() {
    let err = mailtest::send_mail("Hi", "Hello", "app@example.com", &["not an address"]).send().unwrap_err();

    let source = err.source().expect("the parser's error is the source");
    assert!(source.downcast_ref::<lettre::address::AddressError>().is_some(), "{source:?}");
}

#[test]
fn a_backend_of_your_own_can_keep_its_error() {
    let err = Error::backend_source("sms", std::io::Error::new(ErrorKind::TimedOut, "gateway timed out"));

    assert_eq!(io_under(&err).map(std::io::Error::kind), Some(ErrorKind::TimedOut));
    assert!(Error::backend("sms", "no source").source().is_none());
    assert_eq!(err.clone(), err, "an Error stays Clone and Eq with its source");
}

#[cfg(feature = "sink")]
#[test]
fn a_sink_that_cannot_listen_keeps_the_operating_systems_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();

    let err = mailtest::SmtpSink::builder().bind(taken.local_addr().unwrap()).start().unwrap_err();

    assert_eq!(io_under(&err).map(std::io::Error::kind), Some(ErrorKind::AddrInUse), "{err}");
}

#[cfg(feature = "smtp")]
#[test]
fn an_smtp_failure_keeps_the_clients_error_and_its_chain() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = mailtest::Settings::from_vars([
        ("EMAIL_HOST", "127.0.0.1"),
        ("EMAIL_PORT", closed.to_string().as_str()),
        ("EMAIL_TIMEOUT", "5"),
    ])
    .unwrap();
    let mailer = mailtest::Mailer::from_settings(&settings).unwrap().bypass_capture();
    let message = lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .body(String::from("Hi"))
        .unwrap();

    let err = mailer.send_messages(&[message]).unwrap_err();

    assert!(matches!(&err, Error::Smtp { code: None, .. }), "{err}");
    let client = err.source().expect("lettre's error is the source");
    assert!(client.downcast_ref::<lettre::transport::smtp::Error>().is_some(), "{client:?}");
    assert_eq!(io_under(&err).map(std::io::Error::kind), Some(ErrorKind::ConnectionRefused), "{err}");
}
