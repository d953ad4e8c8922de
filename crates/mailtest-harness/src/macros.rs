//! `assert_sent!`, `assert_not_sent!` and `assert_sent_count!` (and the
//! async forms `assert_sent_async!`, `assert_not_sent_async!`): the query API
//! in one line. Keys are [`Query`](crate::Query) method names; an optional
//! leading expression names the outbox, else the one bound on the thread.

/// Asserts that exactly one captured email matches, and returns it; with
/// `count: n`, that exactly `n` match, and returns them.
///
/// Keys are [`Query`](crate::Query) methods taking one value: every
/// criterion (`to`, `recipient`, `subject`, `text_contains`, `has_link`,
/// `matching`, …, and their `not_` twins) and `within`; `header: (name,
/// value)` takes a pair. `to:` reads the `To` header only; `recipient:`
/// reads `To`, `Cc`, `Bcc` and the envelope. A leading
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
            @munch [one count] (&$crate::__private::bound_outbox("assert_sent")) [] [] $key : $($rest)*
        )
    };
    ($outbox:expr, $key:ident : $($rest:tt)*) => {
        $crate::__assert_sent!(@munch [one count] (&$outbox) [] [] $key : $($rest)*)
    };
    ($outbox:expr $(,)?) => {
        $crate::__private::outbox_of(&$outbox).find().one()
    };
    () => {
        $crate::__private::bound_outbox("assert_sent").find().one()
    };
}

/// The async form of [`assert_sent!`]: the same keys and outbox rules, as a
/// future to `.await`. With `within: d` it waits without blocking the
/// thread, so it works in a current-thread `#[tokio::test]` whose own tasks
/// send the mail (where `assert_sent!` would block them).
///
/// # Panics
///
/// When awaited, as [`assert_sent!`] does. The panic happens where the
/// future is polled, inside mailtest, so the first line of the message
/// starts with your `file:line:col`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
/// use mailtest::assert_sent_async;
///
/// let mail = mailtest::capture();
/// let outbox = mail.outbox();
/// tokio::spawn(async move {
///     tokio::time::sleep(Duration::from_millis(10)).await;
///     outbox.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi");
/// });
/// let email = assert_sent_async!(to: "ann@example.com", within: Duration::from_secs(5)).await;
/// assert_eq!(email.subject(), Some("Welcome"));
/// assert_sent_async!(mail, subject: "Welcome", count: 1).await;
/// # }
/// ```
#[macro_export]
macro_rules! assert_sent_async {
    ($key:ident : $($rest:tt)*) => {
        $crate::__assert_sent!(
            @munch [one_async count_async]
            (&$crate::__private::bound_outbox("assert_sent_async")) [] [] $key : $($rest)*
        )
    };
    ($outbox:expr, $key:ident : $($rest:tt)*) => {
        $crate::__assert_sent!(@munch [one_async count_async] (&$outbox) [] [] $key : $($rest)*)
    };
    ($outbox:expr $(,)?) => {
        $crate::__private::outbox_of(&$outbox).find().one_async()
    };
    () => {
        $crate::__private::bound_outbox("assert_sent_async").find().one_async()
    };
}

/// Sorts `key: value` pairs into query calls and an optional count, then
/// ends with the terminal for one email or for `count` (sync or async).
#[doc(hidden)]
#[macro_export]
macro_rules! __assert_sent {
    (@munch $terminals:tt $outbox:tt [$($calls:tt)*] [$($count:tt)*] count : $n:expr $(, $($rest:tt)*)?) => {
        $crate::__assert_sent!(@munch $terminals $outbox [$($calls)*] [$n] $($($rest)*)?)
    };
    (@munch $terminals:tt $outbox:tt [$($calls:tt)*] [$($count:tt)*]
        header : ($name:expr, $value:expr $(,)?) $(, $($rest:tt)*)?) => {
        $crate::__assert_sent!(
            @munch $terminals $outbox [$($calls)* .header($name, $value)] [$($count)*] $($($rest)*)?
        )
    };
    (@munch $terminals:tt $outbox:tt [$($calls:tt)*] [$($count:tt)*] $key:ident : $value:expr $(, $($rest:tt)*)?) => {
        $crate::__assert_sent!(@munch $terminals $outbox [$($calls)* .$key($value)] [$($count)*] $($($rest)*)?)
    };
    (@munch [$one:ident $count:ident] $outbox:tt [$($calls:tt)*] []) => {
        $crate::__private::outbox_of($outbox).find() $($calls)* .$one()
    };
    (@munch [$one:ident $count:ident] $outbox:tt [$($calls:tt)*] [$n:expr]) => {
        $crate::__private::outbox_of($outbox).find() $($calls)* .$count($n)
    };
}

/// Asserts that no captured email matches.
///
/// Same keys and outbox rules as [`assert_sent!`]; with `within: d` it
/// watches for `d` that none arrives. Each key reads what its criterion
/// reads: `assert_not_sent!(to: x)` passes when `x` got the mail as Cc or
/// Bcc; `assert_not_sent!(recipient: x)` fails for any copy to `x`.
///
/// ```
/// use mailtest::assert_not_sent;
///
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi");
///
/// assert_not_sent!(to: "bob@example.com");
/// assert_not_sent!(recipient: "bob@example.com");
/// assert_not_sent!(mail, subject_contains: "Invoice");
/// ```
#[macro_export]
macro_rules! assert_not_sent {
    ($key:ident : $($rest:tt)*) => {
        $crate::__assert_not_sent!(
            none (&$crate::__private::bound_outbox("assert_not_sent")) [] $key : $($rest)*
        )
    };
    ($outbox:expr, $key:ident : $($rest:tt)*) => {
        $crate::__assert_not_sent!(none (&$outbox) [] $key : $($rest)*)
    };
    ($outbox:expr $(,)?) => {
        $crate::__private::outbox_of(&$outbox).assert_empty()
    };
    () => {
        $crate::__private::bound_outbox("assert_not_sent").assert_empty()
    };
}

/// The async form of [`assert_not_sent!`], as a future to `.await`: with
/// `within: d` it watches for `d` without blocking the thread.
///
/// # Panics
///
/// When awaited, as [`assert_not_sent!`] does, the first line of the
/// message starting with your `file:line:col`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
/// use mailtest::assert_not_sent_async;
///
/// let mail = mailtest::capture();
/// assert_not_sent_async!(to: "bob@example.com", within: Duration::from_millis(20)).await;
/// assert_not_sent_async!(mail).await;
/// # }
/// ```
#[macro_export]
macro_rules! assert_not_sent_async {
    ($key:ident : $($rest:tt)*) => {
        $crate::__assert_not_sent!(
            none_async (&$crate::__private::bound_outbox("assert_not_sent_async")) [] $key : $($rest)*
        )
    };
    ($outbox:expr, $key:ident : $($rest:tt)*) => {
        $crate::__assert_not_sent!(none_async (&$outbox) [] $key : $($rest)*)
    };
    ($outbox:expr $(,)?) => {
        $crate::__private::outbox_of(&$outbox).find().none_async()
    };
    () => {
        $crate::__private::bound_outbox("assert_not_sent_async").find().none_async()
    };
}

/// Turns `key: value` pairs into query calls ending in the `$none` terminal.
#[doc(hidden)]
#[macro_export]
macro_rules! __assert_not_sent {
    ($none:ident $outbox:tt [$($calls:tt)*] header : ($name:expr, $value:expr $(,)?) $(, $($rest:tt)*)?) => {
        $crate::__assert_not_sent!($none $outbox [$($calls)* .header($name, $value)] $($($rest)*)?)
    };
    ($none:ident $outbox:tt [$($calls:tt)*] $key:ident : $value:expr $(, $($rest:tt)*)?) => {
        $crate::__assert_not_sent!($none $outbox [$($calls)* .$key($value)] $($($rest)*)?)
    };
    ($none:ident $outbox:tt [$($calls:tt)*]) => {
        $crate::__private::outbox_of($outbox).find() $($calls)* .$none()
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
