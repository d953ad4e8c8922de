//! Queries over an outbox: criteria, an expected quantity, optional waiting.

use std::future::Future;
use std::panic::Location;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::criteria::{self, Body, Criterion, Field};
use crate::email::{Email, Record};
use crate::outbox::Outbox;
use crate::pattern::Pattern;
use crate::report::Failure;
use crate::wait;

/// A search over captured emails: criteria, then a terminal that checks how
/// many matched.
///
/// Builder methods consume and return the query; every criterion must hold.
/// Terminals (`one`, `count`, `at_least`, `none`, `all`) panic at your line
/// with a report of every captured email; their `try_` twins return the
/// [`Failure`] instead. With [`within`](Query::within) the terminal waits for
/// mail that is still on its way.
///
/// ```
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi Ann");
/// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Welcome\r\n\r\nHi Bob");
///
/// mail.find().subject("Welcome").count(2);
/// let ann = mail.find().to("ann@example.com").one();
/// assert_eq!(ann.text(), Some("Hi Ann"));
/// mail.find().to("carl@example.com").none();
/// assert!(mail.find().subject("Goodbye").try_one().is_err());
/// ```
#[must_use = "a query checks nothing until a terminal (`one`, `count`, `none`, …) runs it"]
pub struct Query {
    outbox: Outbox,
    criteria: Vec<Criterion>,
    within: Option<Duration>,
}

/// How many matching emails a terminal wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expected {
    Exactly(usize),
    AtLeast(usize),
    /// Whatever matches (`all`): with a wait, whatever matched when it ends.
    Any,
}

/// Where a count stands against an expectation.
enum Standing {
    Met,
    /// Cannot become true by more mail arriving.
    Broken,
    /// Could still become true (or, for "none", could still break).
    Open,
}

impl Expected {
    fn standing(self, matched: usize, final_check: bool) -> Standing {
        match self {
            // "Nothing matches" only holds once the wait is over.
            Expected::Exactly(0) if matched > 0 => Standing::Broken,
            Expected::Exactly(0) if final_check => Standing::Met,
            Expected::Exactly(0) => Standing::Open,
            Expected::Exactly(n) if matched == n => Standing::Met,
            Expected::Exactly(n) if matched > n => Standing::Broken,
            Expected::AtLeast(n) if matched >= n => Standing::Met,
            Expected::Any if final_check => Standing::Met,
            Expected::Any => Standing::Open,
            _ if final_check => Standing::Broken,
            _ => Standing::Open,
        }
    }
}

/// Writes each criterion method and its `not_` twin.
macro_rules! query_criteria {
    ($(
        $(#[$doc:meta])*
        fn $name:ident / $not:ident ($($arg:ident : $ty:ty),*) => $make:expr;
    )*) => {$(
        $(#[$doc])*
        pub fn $name(self, $($arg: $ty),*) -> Query {
            self.with($make)
        }

        #[doc = concat!(
            "The opposite of [`", stringify!($name), "`](Query::", stringify!($name),
            "): keeps emails for which it does not hold. See its example."
        )]
        pub fn $not(self, $($arg: $ty),*) -> Query {
            self.with(($make).negate())
        }
    )*};
}

impl Query {
    pub(crate) fn new(outbox: Outbox) -> Query {
        Query { outbox, criteria: Vec::new(), within: None }
    }

    pub(crate) fn with(mut self, criterion: Criterion) -> Query {
        self.criteria.push(criterion);
        self
    }

    query_criteria! {
        /// Keeps emails with `address` among the `To` recipients:
        /// `ann@example.com` or `Ann <ann@example.com>` (then the name must
        /// match too), the domain in any case.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"To: Ann <ann@Example.com>\r\n\r\nHi");
        /// mail.find().to("ann@example.com").one();
        /// mail.find().to("Ann <ann@example.com>").one();
        /// mail.find().not_to("bob@example.com").one();
        /// ```
        fn to / not_to(address: &str) => criteria::address(Field::To, address);

        /// Keeps emails with `address` among the `Cc` recipients.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com", "boss@example.com"], b"To: ann@example.com\r\nCc: boss@example.com\r\n\r\n.");
        /// mail.find().cc("boss@example.com").one();
        /// mail.find().not_cc("ann@example.com").one();
        /// ```
        fn cc / not_cc(address: &str) => criteria::address(Field::Cc, address);

        /// Keeps emails blind-copied to `address`: an envelope recipient in
        /// neither `To` nor `Cc` (see [`Email::bcc`]).
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com", "audit@example.com"], b"To: ann@example.com\r\n\r\n.");
        /// mail.find().bcc("audit@example.com").one();
        /// mail.find().not_bcc("ann@example.com").one();
        /// ```
        fn bcc / not_bcc(address: &str) => criteria::address(Field::Bcc, address);

        /// Keeps emails from `address`.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"From: Shop <shop@example.com>\r\n\r\n.");
        /// mail.find().from("shop@example.com").one();
        /// mail.find().not_from("spam@example.com").one();
        /// ```
        fn from / not_from(address: &str) => criteria::address(Field::From, address);

        /// Keeps emails whose `Reply-To` holds `address`.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"Reply-To: help@example.com\r\n\r\n.");
        /// mail.find().reply_to("help@example.com").one();
        /// mail.find().not_reply_to("noreply@example.com").one();
        /// ```
        fn reply_to / not_reply_to(address: &str) => criteria::address(Field::ReplyTo, address);

        /// Keeps emails whose subject is `pattern`: equal to a literal, or
        /// matching a [`regex()`](crate::regex()).
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Welcome, Ann\r\n\r\nHi");
        /// mail.find().subject("Welcome, Ann").one();
        /// mail.find().subject(mailtest::regex("^Welcome")).one();
        /// mail.find().subject("Welcome").none();
        /// mail.find().not_subject("Goodbye").one();
        /// ```
        fn subject / not_subject(pattern: impl Into<Pattern>) => criteria::subject(pattern.into());

        /// Keeps emails whose subject contains `pattern`.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Your order #1042 shipped\r\n\r\n.");
        /// mail.find().subject_contains("shipped").one();
        /// mail.find().subject_contains(mailtest::regex(r"#\d+")).one();
        /// mail.find().not_subject_contains("cancelled").one();
        /// ```
        fn subject_contains / not_subject_contains(pattern: impl Into<Pattern>) => criteria::subject_contains(pattern.into());

        /// Keeps emails whose plain-text body contains `pattern`.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Reset\r\n\r\nYour code is 123456.");
        /// mail.find().text_contains("Your code is").one();
        /// mail.find().text_contains(mailtest::regex(r"\b\d{6}\b")).one();
        /// mail.find().not_text_contains("password").one();
        /// ```
        fn text_contains / not_text_contains(pattern: impl Into<Pattern>) => criteria::body_contains(Body::Text, pattern.into());

        /// Keeps emails whose HTML body contains `pattern`, searched both in
        /// the markup and in its decoded text (entities decoded, tags out),
        /// so you write what the reader sees.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"Content-Type: text/html\r\n\r\n<p>Dear O&#039;Connor &amp; <b>friends</b></p>");
        /// mail.find().html_contains("O'Connor & friends").one();
        /// mail.find().html_contains("<b>friends</b>").one();
        /// mail.find().not_html_contains("enemies").one();
        /// ```
        fn html_contains / not_html_contains(pattern: impl Into<Pattern>) => criteria::body_contains(Body::Html, pattern.into());

        /// Keeps emails whose text or HTML body contains `pattern`.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"Content-Type: text/html\r\n\r\n<p>Welcome aboard</p>");
        /// mail.find().body_contains("Welcome aboard").one();
        /// mail.find().not_body_contains("Goodbye").one();
        /// ```
        fn body_contains / not_body_contains(pattern: impl Into<Pattern>) => criteria::body_contains(Body::Either, pattern.into());

        /// Keeps emails with a header `name` (any case) whose decoded value
        /// is `value`: equal to a literal, or matching a regex.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"X-Campaign: spring-sale\r\n\r\n.");
        /// mail.find().header("x-campaign", "spring-sale").one();
        /// mail.find().header("X-Campaign", mailtest::regex("^spring")).one();
        /// mail.find().not_header("X-Campaign", "winter").one();
        /// ```
        fn header / not_header(name: &str, value: impl Into<Pattern>) => criteria::header(name, value.into());

        /// Keeps emails with an attachment whose file name is `name`: equal to
        /// a literal, or matching a regex.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=invoice.pdf\r\n\r\n%PDF\r\n--b--\r\n");
        /// mail.find().has_attachment("invoice.pdf").one();
        /// mail.find().has_attachment(mailtest::regex(r"\.pdf$")).one();
        /// mail.find().not_has_attachment("virus.exe").one();
        /// ```
        fn has_attachment / not_has_attachment(name: impl Into<Pattern>) => criteria::has_attachment(name.into());

        /// Keeps emails for which `test` returns `true`: anything the other
        /// criteria cannot say.
        ///
        /// A panic in `test` fails your test as usual and leaves the outbox
        /// usable: no lock is held while it runs.
        ///
        /// ```
        /// let mail = mailtest::capture();
        /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\nhttps://a.example https://b.example");
        /// mail.find().matching(|email| email.links().len() == 2).one();
        /// mail.find().not_matching(|email| email.links().is_empty()).one();
        /// ```
        fn matching / not_matching(test: impl Fn(&Email) -> bool + Send + Sync + 'static) => criteria::matching(test);
    }

    /// Makes the terminal wait up to `timeout` for the expected emails,
    /// waking whenever mail arrives (never by polling). For "none", it
    /// watches the whole `timeout` for an unwanted email.
    ///
    /// Blocking terminals must not run on a current-thread async runtime
    /// whose tasks send the mail: use [`one_async`](Query::one_async) or
    /// [`count_async`](Query::count_async) there.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let mail = mailtest::capture();
    /// mail.spawn(|| {
    ///     std::thread::sleep(Duration::from_millis(20));
    ///     mailtest::current().unwrap().capture_raw(None, &["ann@example.com"], b"Subject: Late\r\n\r\n.");
    /// });
    /// mail.find().subject("Late").within(Duration::from_secs(5)).one();
    /// ```
    pub fn within(mut self, timeout: Duration) -> Query {
        self.within = Some(timeout);
        self
    }

    /// Exactly one email matches; returns it.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, with a report of every captured email.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// assert_eq!(mail.find().to("ann@example.com").one().sequence(), 1);
    /// ```
    #[track_caller]
    pub fn one(self) -> Email {
        match self.try_one() {
            Ok(email) => email,
            Err(failure) => failure.panic(),
        }
    }

    /// Like [`one`](Query::one), returning the failure instead of panicking.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let failure = mail.find().subject("Welcome").try_one().unwrap_err();
    /// assert!(failure.to_string().starts_with("expected exactly 1 email matching subject=\"Welcome\""));
    /// ```
    pub fn try_one(self) -> Result<Email, Failure> {
        self.try_expect(Expected::Exactly(1)).map(|mut emails| emails.remove(0))
    }

    /// Exactly `n` emails match; returns them in capture order.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, with a report of every captured email.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// assert_eq!(mail.find().subject("Hi").count(2).len(), 2);
    /// ```
    #[track_caller]
    pub fn count(self, n: usize) -> Vec<Email> {
        match self.try_count(n) {
            Ok(emails) => emails,
            Err(failure) => failure.panic(),
        }
    }

    /// Like [`count`](Query::count), returning the failure instead of panicking.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// assert!(mail.find().subject("Hi").try_count(3).is_err());
    /// ```
    pub fn try_count(self, n: usize) -> Result<Vec<Email>, Failure> {
        self.try_expect(Expected::Exactly(n))
    }

    /// At least `n` emails match; returns all that do.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, with a report of every captured email.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// assert_eq!(mail.find().subject("Hi").at_least(1).len(), 2);
    /// ```
    #[track_caller]
    pub fn at_least(self, n: usize) -> Vec<Email> {
        match self.try_at_least(n) {
            Ok(emails) => emails,
            Err(failure) => failure.panic(),
        }
    }

    /// Like [`at_least`](Query::at_least), returning the failure instead of panicking.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// assert!(mail.find().subject("Bye").try_at_least(1).is_err());
    /// ```
    pub fn try_at_least(self, n: usize) -> Result<Vec<Email>, Failure> {
        self.try_expect(Expected::AtLeast(n))
    }

    /// No email matches (with [`within`](Query::within): none arrives in time).
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, showing what matched.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.find().to("carl@example.com").none();
    /// ```
    #[track_caller]
    pub fn none(self) {
        if let Err(failure) = self.try_none() {
            failure.panic()
        }
    }

    /// Like [`none`](Query::none), returning the failure instead of panicking.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// assert!(mail.find().to("ann@example.com").try_none().is_err());
    /// ```
    pub fn try_none(self) -> Result<(), Failure> {
        self.try_expect(Expected::Exactly(0)).map(drop)
    }

    /// Every matching email, with no expectation on how many. With
    /// [`within`](Query::within), it collects for the whole time and returns
    /// what matched when it ends.
    ///
    /// # Panics
    ///
    /// With `within`, on the thread that drives a current-thread tokio
    /// runtime (a blocking wait there would stop the tasks that send): use
    /// [`all_async`](Query::all_async).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let mail = mailtest::capture();
    /// assert!(mail.find().subject("Anything").all().is_empty());
    ///
    /// mail.spawn(|| {
    ///     let outbox = mailtest::current().unwrap();
    ///     outbox.capture_raw(None, &["ann@example.com"], b"Subject: Tick\r\n\r\n.");
    ///     outbox.capture_raw(None, &["ann@example.com"], b"Subject: Tick\r\n\r\n.");
    /// });
    /// let ticks = mail.find().subject("Tick").within(Duration::from_millis(200)).all();
    /// assert_eq!(ticks.len(), 2);
    /// ```
    #[track_caller]
    pub fn all(self) -> Vec<Email> {
        match self.try_all() {
            Ok(emails) => emails,
            Err(failure) => failure.panic(),
        }
    }

    /// Like [`all`](Query::all), returning the failure instead of panicking
    /// (the only one: a blocking wait on a current-thread runtime).
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// assert!(mail.find().try_all().unwrap().is_empty());
    /// ```
    pub fn try_all(self) -> Result<Vec<Email>, Failure> {
        self.try_expect(Expected::Any)
    }

    /// The async form of [`all`](Query::all): with [`within`](Query::within),
    /// collects for the whole time without blocking the thread.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let outbox = mail.outbox();
    /// tokio::spawn(async move { outbox.capture_raw(None, &["ann@example.com"], b"Subject: Tick\r\n\r\n.") });
    /// let ticks = mail.find().subject("Tick").within(std::time::Duration::from_millis(50)).all_async().await;
    /// assert_eq!(ticks.len(), 1);
    /// # }
    /// ```
    #[track_caller]
    pub fn all_async(self) -> impl Future<Output = Vec<Email>> + Send {
        or_panic(self.try_expect_async(Expected::Any), Location::caller())
    }

    /// The async form of [`one`](Query::one): waits without blocking the
    /// thread, so it is safe on a current-thread runtime.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    ///
    /// let mail = mailtest::capture();
    /// let outbox = mail.outbox();
    /// tokio::spawn(async move {
    ///     tokio::time::sleep(Duration::from_millis(10)).await;
    ///     outbox.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// });
    /// mail.find().subject("Hi").within(Duration::from_secs(5)).one_async().await;
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// Like [`one`](Query::one).
    #[track_caller]
    pub fn one_async(self) -> impl Future<Output = Email> + Send {
        // An async fn cannot see its caller, so the location is taken here.
        or_panic(self.try_one_async(), Location::caller())
    }

    /// Like [`one_async`](Query::one_async), returning the failure instead of panicking.
    pub async fn try_one_async(self) -> Result<Email, Failure> {
        self.try_expect_async(Expected::Exactly(1)).await.map(|mut emails| emails.remove(0))
    }

    /// The async form of [`count`](Query::count).
    ///
    /// # Panics
    ///
    /// Like [`count`](Query::count).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.find().subject("Hi").count_async(2).await;
    /// # }
    /// ```
    #[track_caller]
    pub fn count_async(self, n: usize) -> impl Future<Output = Vec<Email>> + Send {
        or_panic(self.try_count_async(n), Location::caller())
    }

    /// Like [`count_async`](Query::count_async), returning the failure instead of panicking.
    pub async fn try_count_async(self, n: usize) -> Result<Vec<Email>, Failure> {
        self.try_expect_async(Expected::Exactly(n)).await
    }

    /// The async form of [`at_least`](Query::at_least).
    ///
    /// # Panics
    ///
    /// Like [`at_least`](Query::at_least).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.find().subject("Hi").at_least_async(1).await;
    /// # }
    /// ```
    #[track_caller]
    pub fn at_least_async(self, n: usize) -> impl Future<Output = Vec<Email>> + Send {
        or_panic(self.try_at_least_async(n), Location::caller())
    }

    /// Like [`at_least_async`](Query::at_least_async), returning the failure instead of panicking.
    pub async fn try_at_least_async(self, n: usize) -> Result<Vec<Email>, Failure> {
        self.try_expect_async(Expected::AtLeast(n)).await
    }

    /// The async form of [`none`](Query::none): with [`within`](Query::within),
    /// watches the whole time without blocking the thread.
    ///
    /// # Panics
    ///
    /// Like [`none`](Query::none).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Hi\r\n\r\n.");
    /// mail.find().to("carl@example.com").within(std::time::Duration::from_millis(10)).none_async().await;
    /// # }
    /// ```
    #[track_caller]
    pub fn none_async(self) -> impl Future<Output = ()> + Send {
        or_panic(self.try_none_async(), Location::caller())
    }

    /// Like [`none_async`](Query::none_async), returning the failure instead of panicking.
    pub async fn try_none_async(self) -> Result<(), Failure> {
        self.try_expect_async(Expected::Exactly(0)).await.map(drop)
    }

    fn try_expect(self, expected: Expected) -> Result<Vec<Email>, Failure> {
        let deadline = self.within.map(|timeout| Instant::now() + timeout);
        if deadline.is_some()
            && let Some(refusal) = wait::blocking_wait_refusal()
        {
            return Err(Failure::misuse(refusal));
        }
        loop {
            let (records, generation) = self.outbox.snapshot();
            match self.settle(&records, expected, deadline) {
                Some(result) => return result,
                None => wait::block_until_change(
                    &self.outbox,
                    generation,
                    deadline.expect("open only while waiting"),
                ),
            }
        }
    }

    async fn try_expect_async(self, expected: Expected) -> Result<Vec<Email>, Failure> {
        let deadline = self.within.map(|timeout| Instant::now() + timeout);
        loop {
            let (records, generation) = self.outbox.snapshot();
            match self.settle(&records, expected, deadline) {
                Some(result) => return result,
                None => {
                    let deadline = deadline.expect("open only while waiting");
                    wait::until_change(&self.outbox, generation, deadline).await;
                }
            }
        }
    }

    /// The outcome over `records`, or `None` to wait for more mail.
    fn settle(
        &self,
        records: &[Arc<Record>],
        expected: Expected,
        deadline: Option<Instant>,
    ) -> Option<Result<Vec<Email>, Failure>> {
        let final_check = deadline.is_none_or(|deadline| Instant::now() >= deadline);
        let matches = self.select(records);
        match expected.standing(matches.len(), final_check) {
            Standing::Met => {
                // Strict mode counts an email as checked once a query with
                // criteria picked it out; a bare count does not look at it.
                if !self.criteria.is_empty() {
                    for email in &matches {
                        email.record().asserted.store(true, Ordering::Relaxed);
                    }
                }
                Some(Ok(matches))
            }
            Standing::Broken => Some(Err(Failure::for_query(self, expected, records))),
            Standing::Open => None,
        }
    }

    fn select(&self, records: &[Arc<Record>]) -> Vec<Email> {
        records
            .iter()
            .map(|record| Email::from_record(Arc::clone(record)))
            .filter(|email| self.criteria.iter().all(|criterion| criterion.test(email)))
            .collect()
    }

    pub(crate) fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub(crate) fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    pub(crate) fn waited(&self) -> Option<Duration> {
        self.within
    }
}

/// Awaits `result` and panics with its failure, naming where it was asserted.
async fn or_panic<T>(
    result: impl Future<Output = Result<T, Failure>>,
    caller: &'static Location<'static>,
) -> T {
    match result.await {
        Ok(value) => value,
        Err(failure) => failure.panic_at(caller),
    }
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query")
            .field("criteria", &self.criteria.iter().map(|c| c.label.as_str()).collect::<Vec<_>>())
            .field("within", &self.within)
            .finish()
    }
}
