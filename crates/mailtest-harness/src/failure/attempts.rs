//! The attempt log in failure reports: the attempts of the closest emails,
//! the attempts that stored nothing, and the reports of `attempts(n)`,
//! `delivered_once()` and `assert_no_duplicates()`.

use crate::attempt::{Attempt, Identity};
use crate::criteria::Criterion;
use crate::email::Email;

use super::{Expected, Failure, Out, QUOTED_LINES};

/// How many attempts a report lists before summarising the rest.
const LISTED_ATTEMPTS: usize = QUOTED_LINES;

/// What a sender that retries must know, said under a duplicate.
const RETRY_HINT: &str = "a sender that retries after an error whose outcome is unknown \
     (`Error::outcome_unknown()`: the connection dropped after the whole message was sent, \
     \"the 250 was lost\") sends the message again. Give each message a Message-ID and skip one \
     already delivered, or do not retry such an error.";

impl Failure {
    /// The report of `assert_no_duplicates`: each identity stored more
    /// than once (`copies` times), with every attempt of it.
    pub(crate) fn duplicates(groups: &[(Identity, usize, Vec<&Attempt>)]) -> Failure {
        Failure::render(|out| {
            let headline = match groups {
                [(identity, copies, _)] => {
                    format!("expected no message stored twice; {identity} was stored {copies} times")
                }
                _ => format!(
                    "expected no message stored twice; {} messages were stored more than once",
                    groups.len()
                ),
            };
            out.headline(&headline);
            for (identity, copies, attempts) in groups {
                out.raw(&format!("\n\n{identity}, stored {copies} times, in {} attempts:", attempts.len()));
                for attempt in attempts {
                    write_attempt(out, attempt);
                }
            }
            out.raw(&format!("\n\nwhy: {RETRY_HINT}"));
        })
    }

    /// The report of a query over attempts (`attempts(n)`,
    /// `delivered_once()`): `wanted` names what was expected, `found` what
    /// was; every attempt listed, marked by whether it matched.
    pub(crate) fn for_attempts(
        criteria: &[Criterion],
        wanted: &str,
        found: &str,
        attempts: &[Attempt],
    ) -> Failure {
        Failure::render(|out| {
            let labels: Vec<&str> = criteria.iter().map(|c| c.label.as_str()).collect();
            let matching =
                if labels.is_empty() { String::new() } else { format!(" matching {}", labels.join(", ")) };
            out.headline(&format!("expected {wanted}{matching}; found {found}"));
            if attempts.is_empty() {
                out.raw("\n\nno attempt was made to deliver into this outbox.");
                return;
            }
            out.raw("\n\nattempts:");
            for attempt in attempts.iter().take(LISTED_ATTEMPTS) {
                if criteria.iter().all(|criterion| criterion.test(attempt.email())) {
                    out.met(&attempt.to_string());
                } else {
                    let missed: Vec<&str> = criteria
                        .iter()
                        .filter(|criterion| !criterion.test(attempt.email()))
                        .map(|criterion| criterion.label.as_str())
                        .collect();
                    out.missed(&attempt.to_string(), "but not", &missed.join(", "));
                }
            }
            if attempts.len() > LISTED_ATTEMPTS {
                out.raw(&format!("\n  … and {} more", attempts.len() - LISTED_ATTEMPTS));
            }
        })
    }
}

impl Expected {
    /// "exactly 2 attempts", "at least 1 attempt".
    pub(crate) fn of_attempts(self) -> String {
        match self {
            Expected::Exactly(1) => "exactly 1 attempt".to_owned(),
            Expected::Exactly(n) => format!("exactly {n} attempts"),
            Expected::AtLeast(1) => "at least 1 attempt".to_owned(),
            Expected::AtLeast(n) => format!("at least {n} attempts"),
            Expected::Any => "any number of attempts".to_owned(),
        }
    }
}

/// Under a listed email: every attempt of the same message, when the
/// outbox logged any that stored nothing or lost its reply.
pub(super) fn write_attempts_of(out: &mut Out, email: &Email, attempts: &[Attempt]) {
    let identity = email.identity();
    let own: Vec<&Attempt> = attempts.iter().filter(|attempt| attempt.identity() == identity).collect();
    if own.len() < 2 && own.iter().all(|attempt| *attempt.outcome() == mailtest_capture::Outcome::Delivered) {
        return;
    }
    out.raw(&format!("\n      attempts of {identity}:"));
    for attempt in own {
        out.raw(&format!("\n        {attempt}"));
    }
}

/// After the emails: the attempts that stored nothing and are of no listed
/// message, closest to the criteria first.
pub(super) fn write_unstored(out: &mut Out, criteria: &[Criterion], emails: &[Email], attempts: &[Attempt]) {
    let listed: Vec<Identity> = emails.iter().map(Email::identity).collect();
    let mut unstored: Vec<(usize, &Attempt)> = attempts
        .iter()
        .filter(|attempt| !attempt.stored() && !listed.contains(&attempt.identity()))
        .map(|attempt| (criteria.iter().filter(|c| c.test(attempt.email())).count(), attempt))
        .collect();
    if unstored.is_empty() {
        return;
    }
    unstored.sort_by_key(|(met, attempt)| (std::cmp::Reverse(*met), attempt.number()));
    out.raw("\n\nattempts that stored nothing, closest first:");
    for (_, attempt) in unstored.iter().take(LISTED_ATTEMPTS) {
        write_attempt(out, attempt);
    }
    if unstored.len() > LISTED_ATTEMPTS {
        out.raw(&format!("\n  … and {} more", unstored.len() - LISTED_ATTEMPTS));
    }
}

fn write_attempt(out: &mut Out, attempt: &Attempt) {
    out.raw(&format!("\n  {attempt}"));
    let email = attempt.email();
    if let Some(subject) = email.subject() {
        out.raw(&format!(", subject {subject:?}"));
    }
}
