//! The one list of criteria. [`Query`](crate::Query) and
//! [`EmailAssert`](crate::EmailAssert) are both generated from it, so every
//! criterion is available in both places, with one name, one argument list
//! and one doc comment: a query keeps the emails for which a criterion
//! holds, `email.assert()` fails unless it holds.
//!
//! Each entry is `fn name(arguments) / negated_name => criterion;` (the
//! negation is optional; `/ negated_name: "…"` adds a paragraph to its
//! doc, to say which fields it reads). `criteria_methods!` inside an `impl` writes them
//! all as methods of that type. A check that only makes sense on one email
//! (it returns something, or opens a nested chain) is written by hand in
//! `assert.rs` instead, below the generated ones.

/// Writes every criterion, and its negation, as a method of the type whose
/// `impl` it sits in. `apply` is the method that takes a `Criterion`
/// (`with` on a query, `check` on an email); `owner` and `opposite` word the
/// negation's doc; `attributes` go on every method.
///
/// ```text
/// impl Query {
///     criteria_methods! { apply: with, owner: "Query", opposite: "keeps the emails for which it does not hold", attributes: [] }
/// }
/// ```
macro_rules! criteria_methods {
    ($($config:tt)*) => {
        $crate::criteria::criteria_list!({ $($config)* });
    };
}

/// The methods of one entry and its negation (the callback of `criteria_list!`).
macro_rules! criterion_methods {
    (
        { apply: $apply:ident, owner: $owner:literal, opposite: $opposite:literal, attributes: $attributes:tt $(,)? }
        $( $(#[$doc:meta])* fn $name:ident $args:tt $(/ $not:ident $(: $reads:literal)?)? => $make:expr; )*
    ) => {$(
        $crate::criteria::criterion_methods!(@method $attributes [$(#[$doc])*] $apply $name $args $make);
        $(
            $crate::criteria::criterion_methods!(@method $attributes [
                #[doc = concat!(
                    "The opposite of [`", stringify!($name), "`](", $owner, "::", stringify!($name),
                    "): ", $opposite, ". See its example."
                )]
                $(
                    #[doc = ""]
                    #[doc = $reads]
                )?
            ] $apply $not $args ($make).negate());
        )?
    )*};
    (@method [$($attribute:tt)*] [$($doc:tt)*] $apply:ident $name:ident ($($arg:ident : $ty:ty),*) $make:expr) => {
        $($doc)*
        $($attribute)*
        pub fn $name(self, $($arg: $ty),*) -> Self {
            self.$apply($make)
        }
    };
}

/// Hands every criterion to `criterion_methods!`, after `$config`; see the module.
macro_rules! criteria_list {
    ($config:tt) => {
        $crate::criteria::criterion_methods! {
            $config

            /// `To` holds `address`: `ann@example.com`, or `Ann <ann@example.com>`
            /// to check the display name too. The local part compares
            /// exactly, the domain in any case. It reads the `To` header
            /// only: for anyone the mail went to, use
            /// [`recipient`](Self::recipient).
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"To: Ann <ann@Example.com>\r\n\r\nHi");
            /// let email = mail.find().to("ann@example.com").not_to("bob@example.com").one();
            /// email.assert().to("Ann <ann@example.com>").not_to("Bob <ann@example.com>");
            /// ```
            fn to(address: &str) / not_to: "It reads the `To` header only: an email that went to `address` as Cc or Bcc passes. To rule out every recipient field, use [`not_recipient`](Self::not_recipient)." => $crate::criteria::address($crate::criteria::Field::To, address);

            /// `address` is a recipient of the email, in any field: `To`,
            /// `Cc`, `Bcc` (a `Bcc` header, or an envelope recipient in
            /// neither `To` nor `Cc`) or the SMTP envelope. `not_recipient`
            /// is the check that an address got no copy at all.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com", "audit@example.com"], b"To: ann@example.com\r\n\r\nHi");
            /// let email = mail.find().recipient("audit@example.com").not_recipient("bob@example.com").one();
            /// email.assert().recipient("ann@example.com").recipient("audit@example.com");
            /// mailtest::assert_not_sent!(mail, recipient: "bob@example.com");
            /// ```
            fn recipient(address: &str) / not_recipient: "It reads `To`, `Cc`, `Bcc` and the SMTP envelope: an email that went to `address` in any of them fails it." => $crate::criteria::recipient(address);

            /// `Cc` holds `address`.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com", "boss@example.com"], b"To: ann@example.com\r\nCc: boss@example.com\r\n\r\n.");
            /// let email = mail.find().cc("boss@example.com").one();
            /// email.assert().cc("boss@example.com").not_cc("ann@example.com");
            /// ```
            fn cc(address: &str) / not_cc: "It reads the `Cc` header only; [`not_recipient`](Self::not_recipient) reads every recipient field." => $crate::criteria::address($crate::criteria::Field::Cc, address);

            /// `address` was blind-copied: an envelope recipient in neither
            /// `To` nor `Cc` (see [`Email::bcc`](crate::Email::bcc)).
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com", "audit@example.com"], b"To: ann@example.com\r\n\r\n.");
            /// let email = mail.find().bcc("audit@example.com").one();
            /// email.assert().bcc("audit@example.com").not_bcc("ann@example.com");
            /// ```
            fn bcc(address: &str) / not_bcc: "It reads the blind copies only; [`not_recipient`](Self::not_recipient) reads every recipient field." => $crate::criteria::address($crate::criteria::Field::Bcc, address);

            /// `From` holds `address`.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"From: Shop <shop@example.com>\r\n\r\n.");
            /// let email = mail.find().from("shop@example.com").one();
            /// email.assert().from("Shop <shop@example.com>").not_from("spam@example.com");
            /// ```
            fn from(address: &str) / not_from => $crate::criteria::address($crate::criteria::Field::From, address);

            /// `Reply-To` holds `address`.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Reply-To: help@example.com\r\n\r\n.");
            /// let email = mail.find().reply_to("help@example.com").one();
            /// email.assert().reply_to("help@example.com").not_reply_to("noreply@example.com");
            /// ```
            fn reply_to(address: &str) / not_reply_to => $crate::criteria::address($crate::criteria::Field::ReplyTo, address);

            /// The subject is `pattern`: equal to a literal, or matching a
            /// [`regex()`](crate::regex()).
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Welcome, Ann\r\n\r\nHi");
            /// let email = mail.find().subject("Welcome, Ann").one();
            /// mail.find().subject("Welcome").none();
            /// email.assert().subject(mailtest::regex("^Welcome")).not_subject("Goodbye");
            /// ```
            fn subject(pattern: impl Into<$crate::Pattern>) / not_subject => $crate::criteria::subject(pattern.into());

            /// The subject contains `pattern`.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Your order #1042 shipped\r\n\r\n.");
            /// let email = mail.find().subject_contains("shipped").one();
            /// email.assert().subject_contains(mailtest::regex(r"#\d+")).not_subject_contains("cancelled");
            /// ```
            fn subject_contains(pattern: impl Into<$crate::Pattern>) / not_subject_contains => $crate::criteria::subject_contains(pattern.into());

            /// The plain-text body contains `pattern`.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Reset\r\n\r\nYour code is 123456.");
            /// let email = mail.find().text_contains("Your code is").one();
            /// email.assert().text_contains(mailtest::regex(r"\b\d{6}\b")).not_text_contains("password");
            /// ```
            fn text_contains(pattern: impl Into<$crate::Pattern>) / not_text_contains => $crate::criteria::body_contains($crate::criteria::Body::Text, pattern.into());

            /// The HTML body contains `pattern`, in its markup or in its
            /// decoded text (entities decoded, tags out), so you write what
            /// the reader sees.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Content-Type: text/html\r\n\r\n<p>Dear O&#039;Connor &amp; <b>friends</b></p>");
            /// let email = mail.find().html_contains("O'Connor & friends").one();
            /// email.assert().html_contains("<b>friends</b>").not_html_contains("enemies");
            /// ```
            fn html_contains(pattern: impl Into<$crate::Pattern>) / not_html_contains => $crate::criteria::body_contains($crate::criteria::Body::Html, pattern.into());

            /// The text or the HTML body contains `pattern`.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Content-Type: text/html\r\n\r\n<p>Welcome aboard</p>");
            /// let email = mail.find().body_contains("Welcome aboard").one();
            /// email.assert().body_contains("Welcome").not_body_contains("Goodbye");
            /// ```
            fn body_contains(pattern: impl Into<$crate::Pattern>) / not_body_contains => $crate::criteria::body_contains($crate::criteria::Body::Either, pattern.into());

            /// The text body holds `fragments` in this order, each after the
            /// one before.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\nDear Ann,\r\nthanks.\r\nThe team");
            /// let email = mail.find().text_in_order(["Dear Ann", "thanks"]).one();
            /// email.assert().text_in_order(["Dear Ann", "thanks", "The team"]).not_text_in_order(["thanks", "Dear Ann"]);
            /// ```
            fn text_in_order(fragments: impl IntoIterator<Item = impl AsRef<str>>) / not_text_in_order => $crate::criteria::in_order($crate::criteria::Body::Text, fragments);

            /// The HTML body, as decoded text, holds `fragments` in this order.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Content-Type: text/html\r\n\r\n<h1>Hi</h1><p>Tom &amp; Jerry</p>");
            /// let email = mail.find().html_in_order(["Hi", "Tom & Jerry"]).one();
            /// email.assert().html_in_order(["Hi", "Tom & Jerry"]).not_html_in_order(["Tom", "Hi"]);
            /// ```
            fn html_in_order(fragments: impl IntoIterator<Item = impl AsRef<str>>) / not_html_in_order => $crate::criteria::in_order($crate::criteria::Body::Html, fragments);

            /// A header `name` (any case) has the decoded value `value`:
            /// equal to a literal, or matching a regex.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"X-Campaign: spring-sale\r\n\r\n.");
            /// let email = mail.find().header("x-campaign", "spring-sale").one();
            /// email.assert().header("X-Campaign", mailtest::regex("^spring")).not_header("X-Campaign", "winter");
            /// ```
            fn header(name: &str, value: impl Into<$crate::Pattern>) / not_header => $crate::criteria::header(name, value.into());

            /// A header `name` is present, whatever its value; `no_header`
            /// is its opposite.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"List-Unsubscribe: <https://example.com/u>\r\n\r\n.");
            /// let email = mail.find().has_header("list-unsubscribe").no_header("X-Debug").one();
            /// email.assert().has_header("List-Unsubscribe").no_header("X-Debug");
            /// ```
            fn has_header(name: &str) / no_header => $crate::criteria::has_header(name);

            /// An attachment's file name is `name`: equal to a literal, or
            /// matching a regex. A part with no file name (lettre's inline
            /// images) is found by its Content-ID.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=invoice.pdf\r\n\r\n%PDF\r\n--b--\r\n");
            /// let email = mail.find().has_attachment("invoice.pdf").one();
            /// email.assert().has_attachment(mailtest::regex(r"\.pdf$")).not_has_attachment("virus.exe");
            /// ```
            fn has_attachment(name: impl Into<$crate::Pattern>) / not_has_attachment => $crate::criteria::has_attachment(name.into());

            /// An inline part has the Content-ID `cid` (`logo` or `<logo>`,
            /// or a regex): what `<img src="cid:logo">` shows.
            ///
            /// ```
            /// use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
            ///
            /// let logo = Attachment::new_inline(String::from("logo")).body(b"PNG".to_vec(), ContentType::parse("image/png").unwrap());
            /// let message = lettre::Message::builder()
            ///     .from("app@example.com".parse().unwrap())
            ///     .to("ann@example.com".parse().unwrap())
            ///     .multipart(MultiPart::related().singlepart(SinglePart::html(String::from("<img src=\"cid:logo\" alt=\"Acme\">"))).singlepart(logo))
            ///     .unwrap();
            /// let mail = mailtest::capture();
            /// mail.transport().send(&message).unwrap();
            /// let email = mail.find().has_inline("logo").one();
            /// email.assert().has_inline("<logo>").not_has_inline("banner");
            /// # use lettre::Transport;
            /// ```
            fn has_inline(cid: impl Into<$crate::Pattern>) / not_has_inline => $crate::criteria::has_inline(cid.into());

            /// Exactly `n` attachments (inline parts included).
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\nNo files.");
            /// let email = mail.find().attachment_count(0).one();
            /// email.assert().attachment_count(0).not_attachment_count(1);
            /// ```
            fn attachment_count(n: usize) / not_attachment_count => $crate::criteria::attachment_count(n);

            /// Some link (see [`Email::links`](crate::Email::links)) contains
            /// `pattern`.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\nGo to https://example.com/reset?t=1");
            /// let email = mail.find().has_link("/reset").one();
            /// email.assert().has_link(mailtest::regex(r"t=\d")).not_has_link("/unsubscribe");
            /// ```
            fn has_link(pattern: impl Into<$crate::Pattern>) / not_has_link => $crate::criteria::has_link(pattern.into());

            /// `test` returns `true` for the email: anything the other
            /// criteria cannot say.
            ///
            /// A panic in `test` fails your test as usual and leaves the
            /// outbox usable: no lock is held while it runs.
            ///
            /// ```
            /// let mail = mailtest::capture();
            /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\nhttps://a.example https://b.example");
            /// let email = mail.find().matching(|email| email.links().len() == 2).one();
            /// email.assert().matching(|email| email.text().is_some()).not_matching(|email| email.links().is_empty());
            /// ```
            fn matching(test: impl Fn(&$crate::Email) -> bool + Send + Sync + 'static) / not_matching => $crate::criteria::matching(test);
        }
    };
}

pub(crate) use {criteria_list, criteria_methods, criterion_methods};
