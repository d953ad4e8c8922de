//! Failure reports: what was expected, what was captured, and why each
//! captured email did or did not match.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use crate::email::{Email, Record};
use crate::query::{Expected, Query, list};

/// A failed expectation. Its `Display` (and `Debug`) is the full report.
///
/// Returned by the `try_` terminals; the panicking terminals panic with it.
///
/// ```
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Welcome\r\n\r\nHi");
/// let failure = mail.find().to("ann@example.com").subject("Welcome").try_one().unwrap_err();
/// let report = failure.to_string();
/// assert!(report.starts_with(
///     "expected exactly 1 email matching to=ann@example.com, subject=\"Welcome\"; found 0 of 1 captured"
/// ));
/// assert!(report.contains("✗ to=ann@example.com"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Failure {
    report: String,
}

impl Failure {
    /// The report for a query whose expectation failed over `records`.
    pub(crate) fn for_query(query: &Query, expected: Expected, records: &[Arc<Record>]) -> Failure {
        let emails: Vec<Email> = records.iter().map(|r| Email::from_record(Arc::clone(r))).collect();
        let scored: Vec<Scored> = emails.iter().map(|email| Scored::new(query, email)).collect();
        let matched = scored.iter().filter(|s| s.all_met()).count();

        let mut report = headline(query, expected, matched, emails.len());
        if emails.is_empty() {
            report.push_str(EMPTY_OUTBOX_HINTS);
            return Failure { report };
        }

        // Matches first (they explain a "too many"), then the closest misses.
        let mut order: Vec<&Scored> = scored.iter().collect();
        order.sort_by_key(|s| (!s.all_met(), std::cmp::Reverse(s.met_count()), s.email.sequence()));
        let heading = if query.criteria().is_empty() { "captured:" } else { "captured, closest first:" };
        let _ = write!(report, "\n\n{heading}");
        for scored in order {
            scored.write_to(&mut report);
        }
        Failure { report }
    }

    /// A wrong use of the API, explained.
    pub(crate) fn misuse(explanation: &str) -> Failure {
        Failure { report: format!("mailtest: {explanation}") }
    }

    /// Panics with the report, at the caller's line.
    #[track_caller]
    pub(crate) fn panic(self) -> ! {
        panic!("{self}")
    }

    /// Panics with the report, naming `location` (for async terminals, whose
    /// own location would be inside the future).
    pub(crate) fn panic_at(self, location: &std::panic::Location<'_>) -> ! {
        panic!("{self}\n\n(asserted at {location})")
    }

    /// The report as text.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let failure = mail.find().try_one().unwrap_err();
    /// assert!(failure.report().contains("no email was captured"));
    /// ```
    pub fn report(&self) -> &str {
        &self.report
    }
}

fn headline(query: &Query, expected: Expected, matched: usize, captured: usize) -> String {
    let wanted = match expected {
        Expected::Exactly(0) => "no email".to_owned(),
        Expected::Exactly(1) => "exactly 1 email".to_owned(),
        Expected::Exactly(n) => format!("exactly {n} emails"),
        Expected::AtLeast(1) => "at least 1 email".to_owned(),
        Expected::AtLeast(n) => format!("at least {n} emails"),
    };
    let criteria: Vec<&str> = query.criteria().iter().map(|c| c.label.as_str()).collect();
    let matching =
        if criteria.is_empty() { String::new() } else { format!(" matching {}", criteria.join(", ")) };
    let found = if criteria.is_empty() {
        format!("found {captured} captured")
    } else {
        format!("found {matched} of {captured} captured")
    };
    let waited = query.waited().map(|d| format!(" (after waiting {d:?})")).unwrap_or_default();
    format!("expected {wanted}{matching}; {found}{waited}")
}

const EMPTY_OUTBOX_HINTS: &str = "\n\n\
no email was captured at all. If the code under test did send one:
  - did it send through the capture? use `outbox.transport()` or `CaptureTransport::ambient()`;
  - did it send on another thread or task? a capture is bound to the test's thread only:
    propagate it with `outbox.scope(fut)`, `fut.with_outbox(&outbox)`, `outbox.spawn(..)`
    or `outbox.in_scope(..)`, or send to `outbox.unique_address(\"name\")`;
  - is it still on its way? wait for it with `.within(Duration::from_secs(5))`;
  - is this the outbox it went to? a nested `mailtest::capture()` takes over until it drops.";

/// One captured email scored against every criterion.
struct Scored<'a> {
    email: &'a Email,
    met: Vec<bool>,
    query: &'a Query,
}

impl<'a> Scored<'a> {
    fn new(query: &'a Query, email: &'a Email) -> Scored<'a> {
        let met = query.criteria().iter().map(|c| c.test(email)).collect();
        Scored { email, met, query }
    }

    fn all_met(&self) -> bool {
        self.met.iter().all(|&met| met)
    }

    fn met_count(&self) -> usize {
        self.met.iter().filter(|&&met| met).count()
    }

    fn write_to(&self, out: &mut String) {
        let email = self.email;
        let subject = email.subject().map_or_else(|| "(no subject)".to_owned(), |s| format!("{s:?}"));
        let _ = write!(
            out,
            "\n  #{} from {} to {}: {subject}",
            email.sequence(),
            list(email.from()),
            list(email.to()),
        );
        if !email.bcc().is_empty() {
            let _ = write!(out, " (bcc {})", list(email.bcc()));
        }
        for (criterion, &met) in self.query.criteria().iter().zip(&self.met) {
            if met {
                let _ = write!(out, "\n      ✓ {}", criterion.label);
            } else {
                let _ = write!(out, "\n      ✗ {}, but was {}", criterion.label, criterion.actual(email));
            }
        }
        for problem in email.problems() {
            let _ = write!(out, "\n      ! {problem}");
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report)
    }
}

impl fmt::Debug for Failure {
    /// The report itself, so `result.unwrap()` shows it readably.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report)
    }
}

impl std::error::Error for Failure {}
