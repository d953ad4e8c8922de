//! The macros need nothing imported: this module has no prelude at all.
#![no_implicit_prelude]

#[test]
fn macros_expand_without_the_prelude() {
    let mail = ::mailtest::capture();
    mail.capture_raw(
        ::core::option::Option::None,
        &["ann@example.com"],
        b"To: ann@example.com\r\nSubject: Hi\r\nX-Tag: a\r\n\r\n.",
    );

    let _email = ::mailtest::assert_sent!(to: "ann@example.com", subject: "Hi");
    let _email = ::mailtest::assert_sent!(mail, header: ("X-Tag", "a"));
    let _emails = ::mailtest::assert_sent!(mail, to: "ann@example.com", count: 1,);
    ::mailtest::assert_not_sent!(to: "bob@example.com");
    ::mailtest::assert_not_sent!(mail, subject: "Bye",);
    ::mailtest::assert_sent_count!(1);
    ::mailtest::assert_sent_count!(mail, 1);
}

#[test]
fn async_macros_expand_without_the_prelude() {
    let runtime = ::tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let mail = ::mailtest::capture();
        mail.capture_raw(::core::option::Option::None, &["ann@example.com"], b"To: ann@example.com\r\n\r\n.");
        let wait = ::std::time::Duration::from_millis(1);

        let _email = ::mailtest::assert_sent_async!(to: "ann@example.com", within: wait).await;
        let _email = ::mailtest::assert_sent_async!(mail).await;
        let _emails = ::mailtest::assert_sent_async!(mail, to: "ann@example.com", count: 1,).await;
        ::mailtest::assert_not_sent_async!(to: "bob@example.com", within: wait,).await;
        ::mailtest::assert_not_sent_async!(mail, header: ("X-Tag", "b")).await;
    });
}

#[test]
fn snapshot_macros_expand_without_the_prelude() {
    let mail = ::mailtest::capture();
    mail.capture_raw(
        ::core::option::Option::None,
        &["ann@example.com"],
        b"To: ann@example.com\r\n\r\nHi 42\r\n",
    );
    let email = &mail.emails()[0];
    let redactions = ::mailtest::snapshot::Redactions::new().pattern("42", "[n]");

    ::mailtest::assert_email_snapshot!(email, @r"
    To: ann@example.com
    Envelope: <> -> ann@example.com

    --- mime ---
    text/plain

    --- text/plain ---
    Hi 42
    ");
    ::mailtest::assert_email_snapshot!(email, redactions: &redactions, @r"
    To: ann@example.com
    Envelope: <> -> ann@example.com

    --- mime ---
    text/plain

    --- text/plain ---
    Hi [n]
    ",);
    ::mailtest::assert_outbox_snapshot!(mail, redactions: &redactions, @r"
    1 email captured

    === email 1 of 1 ===
    To: ann@example.com
    Envelope: <> -> ann@example.com

    --- mime ---
    text/plain

    --- text/plain ---
    Hi [n]
    ");
    ::mailtest::__private::insta::with_settings!(
        { snapshot_path => "../../snapshots", prepend_module_to_snapshot => false },
        {
            ::mailtest::assert_email_snapshot!("hygiene_email", email);
            ::mailtest::assert_email_snapshot!("hygiene_email_redacted", email, redactions: &redactions);
            ::mailtest::assert_outbox_snapshot!("hygiene_outbox", mail);
        }
    );
}
