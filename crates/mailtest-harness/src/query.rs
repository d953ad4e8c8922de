//! Queries over an outbox: criteria, an expected quantity, optional waiting.

use std::future::Future;
use std::panic::Location;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::criteria::recipients_named;
use crate::criteria::{self, Criterion};
use crate::email::{Email, Record};
use crate::failure::{Asked, Expected, Failure};
use crate::outbox::Outbox;
use crate::wait;

mod attempts;

/// A search over captured emails: criteria, then a terminal that checks how
/// many matched.
///
/// Builder methods consume and return the query; every criterion must hold.
/// The criteria are the checks of [`EmailAssert`](crate::EmailAssert), with
/// the same names and arguments (both come from one list), each with a
/// negative twin `not_x` (`no_header` for `has_header`).
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

impl Query {
    pub(crate) fn new(outbox: Outbox) -> Query {
        Query { outbox, criteria: Vec::new(), within: None }
    }

    pub(crate) fn with(mut self, criterion: Criterion) -> Query {
        self.criteria.push(criterion);
        self
    }

    criteria::criteria_methods! {
        apply: with,
        owner: "Query",
        opposite: "keeps the emails for which it does not hold",
        attributes: [],
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
            Standing::Broken => Some(Err(Failure::for_query(
                &Asked {
                    criteria: &self.criteria,
                    expected,
                    waited: self.within,
                    refusals: self.outbox.refusals(&recipients_named(&self.criteria)),
                    attempts: self.outbox.eventful_attempts(),
                },
                records,
            ))),
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
}

impl Outbox {
    /// Starts a query over the captured emails.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"To: ann@example.com\r\nSubject: Welcome\r\n\r\nHi");
    /// let email = mail.find().to("ann@example.com").subject("Welcome").one();
    /// assert_eq!(email.text(), Some("Hi"));
    /// ```
    pub fn find(&self) -> Query {
        Query::new(self.clone())
    }

    /// Asserts that exactly `n` emails were captured, whatever they are.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, listing what was captured.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\nHi");
    /// mail.assert_count(1);
    /// ```
    #[track_caller]
    pub fn assert_count(&self, n: usize) {
        self.find().count(n);
    }

    /// Asserts that nothing was captured.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, listing what was captured.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// mail.assert_empty();
    /// ```
    #[track_caller]
    pub fn assert_empty(&self) {
        self.find().none();
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
