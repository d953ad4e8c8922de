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
