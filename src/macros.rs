//! `assert_sent!`, `assert_not_sent!` and `assert_sent_count!`: the query API
//! in one line. Keys are [`Query`](crate::Query) method names; an optional
//! leading expression names the outbox, else the one bound on the thread.

/// Asserts that exactly one captured email matches, and returns it; with
/// `count: n`, that exactly `n` match, and returns them.
///
/// Keys are [`Query`](crate::Query) methods taking one value (`to`, `cc`,
/// `bcc`, `from`, `reply_to`, `subject`, `subject_contains`, `text_contains`,
/// `html_contains`, `body_contains`, `has_attachment`, `matching`, `within`,
/// and their `not_` twins); `header: (name, value)` takes a pair. A leading
/// expression before the keys is the outbox; without one, the outbox bound
/// on this thread is used.
///
/// # Panics
///
/// When the expectation fails, at your line, with the failure report; when
/// no outbox is given and none is bound, saying to call `mailtest::capture()`.
///
/// ```
/// use mailtest::assert_sent;
///
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi Ann");
/// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Welcome\r\n\r\nHi Bob");
///
/// let email = assert_sent!(to: "ann@example.com", subject: "Welcome");
/// assert_eq!(email.text(), Some("Hi Ann"));
/// let both = assert_sent!(mail, subject: "Welcome", count: 2);
/// assert_eq!(both.len(), 2);
/// assert_sent!(
///     to: "bob@example.com",
///     header: ("Subject", "Welcome"),
///     text_contains: mailtest::regex("Hi B.b"),
/// );
/// ```
#[macro_export]
macro_rules! assert_sent {
    ($key:ident : $($rest:tt)*) => {
        $crate::__assert_sent!(
            @munch (&$crate::__private::bound_outbox("assert_sent")) [] [] $key : $($rest)*
        )
    };
    ($outbox:expr, $key:ident : $($rest:tt)*) => {
        $crate::__assert_sent!(@munch (&$outbox) [] [] $key : $($rest)*)
    };
    ($outbox:expr $(,)?) => {
        $crate::__private::outbox_of(&$outbox).find().one()
    };
    () => {
        $crate::__private::bound_outbox("assert_sent").find().one()
    };
}

/// Sorts `key: value` pairs into query calls and an optional count.
#[doc(hidden)]
#[macro_export]
macro_rules! __assert_sent {
    (@munch $outbox:tt [$($calls:tt)*] [$($count:tt)*] count : $n:expr $(, $($rest:tt)*)?) => {
        $crate::__assert_sent!(@munch $outbox [$($calls)*] [$n] $($($rest)*)?)
    };
    (@munch $outbox:tt [$($calls:tt)*] [$($count:tt)*]
        header : ($name:expr, $value:expr $(,)?) $(, $($rest:tt)*)?) => {
        $crate::__assert_sent!(@munch $outbox [$($calls)* .header($name, $value)] [$($count)*] $($($rest)*)?)
    };
    (@munch $outbox:tt [$($calls:tt)*] [$($count:tt)*] $key:ident : $value:expr $(, $($rest:tt)*)?) => {
        $crate::__assert_sent!(@munch $outbox [$($calls)* .$key($value)] [$($count)*] $($($rest)*)?)
    };
    (@munch $outbox:tt [$($calls:tt)*] []) => {
        $crate::__private::outbox_of($outbox).find() $($calls)* .one()
    };
    (@munch $outbox:tt [$($calls:tt)*] [$n:expr]) => {
        $crate::__private::outbox_of($outbox).find() $($calls)* .count($n)
    };
}

/// Asserts that no captured email matches.
///
/// Same keys and outbox rules as [`assert_sent!`]; with `within: d` it
/// watches for `d` that none arrives.
///
/// ```
/// use mailtest::assert_not_sent;
///
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi");
///
/// assert_not_sent!(to: "bob@example.com");
/// assert_not_sent!(mail, subject_contains: "Invoice");
/// ```
#[macro_export]
macro_rules! assert_not_sent {
    ($key:ident : $($rest:tt)*) => {
        $crate::__assert_not_sent!(
            (&$crate::__private::bound_outbox("assert_not_sent")) [] $key : $($rest)*
        )
    };
    ($outbox:expr, $key:ident : $($rest:tt)*) => {
        $crate::__assert_not_sent!((&$outbox) [] $key : $($rest)*)
    };
    ($outbox:expr $(,)?) => {
        $crate::__private::outbox_of(&$outbox).assert_empty()
    };
    () => {
        $crate::__private::bound_outbox("assert_not_sent").assert_empty()
    };
}

/// Turns `key: value` pairs into query calls ending in `none()`.
#[doc(hidden)]
#[macro_export]
macro_rules! __assert_not_sent {
    ($outbox:tt [$($calls:tt)*] header : ($name:expr, $value:expr $(,)?) $(, $($rest:tt)*)?) => {
        $crate::__assert_not_sent!($outbox [$($calls)* .header($name, $value)] $($($rest)*)?)
    };
    ($outbox:tt [$($calls:tt)*] $key:ident : $value:expr $(, $($rest:tt)*)?) => {
        $crate::__assert_not_sent!($outbox [$($calls)* .$key($value)] $($($rest)*)?)
    };
    ($outbox:tt [$($calls:tt)*]) => {
        $crate::__private::outbox_of($outbox).find() $($calls)* .none()
    };
}

/// Asserts how many emails were captured in all.
///
/// ```
/// use mailtest::assert_sent_count;
///
/// let mail = mailtest::capture();
/// assert_sent_count!(0);
/// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
/// assert_sent_count!(1);
/// assert_sent_count!(mail, 1);
/// ```
#[macro_export]
macro_rules! assert_sent_count {
    ($n:expr $(,)?) => {
        $crate::__private::bound_outbox("assert_sent_count").assert_count($n)
    };
    ($outbox:expr, $n:expr $(,)?) => {
        $crate::__private::outbox_of(&$outbox).assert_count($n)
    };
}
