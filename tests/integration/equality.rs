//! What `==` means for an `Email` (the same message: bytes and envelope)
//! and a `Mailbox` (the same name and address, the domain in any case).

use std::collections::HashSet;

use mailtest::{Email, Mailbox, Outbox};

const WELCOME: &[u8] = b"From: shop@example.com\r\nTo: Ann <ann@example.com>\r\nSubject: Welcome\r\n\r\nHi";

#[test]
fn a_message_sent_twice_gives_two_equal_emails() {
    let outbox = Outbox::new();
    outbox.capture_raw(Some("shop@example.com"), &["ann@example.com"], WELCOME);
    outbox.capture_raw(Some("shop@example.com"), &["ann@example.com"], WELCOME);

    let emails = outbox.emails();

    assert_eq!(emails[0], emails[1]);
    assert_ne!(emails[0].sequence(), emails[1].sequence(), "equal, yet two captures");
}

#[test]
fn another_envelope_or_other_bytes_is_another_email() {
    let outbox = Outbox::new();
    outbox.capture_raw(Some("shop@example.com"), &["ann@example.com"], WELCOME);
    outbox.capture_raw(Some("shop@example.com"), &["ann@example.com", "audit@example.com"], WELCOME);
    outbox.capture_raw(Some("bounces@example.com"), &["ann@example.com"], WELCOME);
    outbox.capture_raw(Some("shop@example.com"), &["ann@example.com"], &WELCOME[..WELCOME.len() - 1]);

    let emails = outbox.emails();

    for (i, a) in emails.iter().enumerate() {
        for (j, b) in emails.iter().enumerate() {
            assert_eq!(a == b, i == j, "#{} and #{}", a.sequence(), b.sequence());
        }
    }
    assert_ne!(Email::from_raw(WELCOME), emails[0], "from_raw has no envelope");
    assert_eq!(Email::from_raw(WELCOME), Email::from_raw(WELCOME));
}

#[test]
fn mailboxes_are_equal_by_name_and_address_and_hash_alike() {
    let email = Email::from_raw(
        "From: Shop <shop@example.com>\r\nTo: Ann <ann@EXAMPLE.com>, ann@example.com, Ann <ann@example.com>\r\n\r\n.",
    );

    let distinct: HashSet<&Mailbox> = email.to().iter().collect();

    assert_eq!(distinct.len(), 2, "Ann <ann@EXAMPLE.com> and Ann <ann@example.com> are one mailbox");
    assert_eq!(email.to(), ["ann@example.com", "ann@example.com", "Ann <ann@example.com>"]);
    assert_ne!(email.to()[0], email.to()[1], "a display name is part of a mailbox");
}
