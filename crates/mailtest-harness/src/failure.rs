//! Failure reports: what was expected, what was captured, and why each
//! captured email did or did not match.

use std::fmt;
use std::sync::Arc;

use mailtest_capture::{Cause, Refusal};

use crate::attempt::Attempt;
use crate::criteria::{Criterion, Evidence, mailbox_list};
use crate::email::{Email, Record};
use crate::outbox::Refusals;

mod attempts;

/// How many of the closest emails a report shows criterion by criterion.
const DETAILED: usize = 5;
/// How many captured emails a report lists before summarising the rest.
const LISTED: usize = 20;
/// How many lines of a searched body a report quotes.
const QUOTED_LINES: usize = 30;

/// A failed expectation. Its `Display` is the full report, always plain
/// text: the same bytes on a terminal and off it, so `#[should_panic(expected
/// = ..)]`, `catch_unwind` and snapshots see what a reader sees. The
/// alternate form (`{failure:#}`) is the same report coloured with ANSI
/// codes, for a program that prints it to a terminal of its own choosing;
/// mailtest never colours a panic message.
///
/// Returned by the `try_` terminals; the panicking terminals panic with it.
///
/// ```
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["bob@example.com"], b"To: bob@example.com\r\nSubject: Welcome\r\n\r\nHi");
/// let failure = mail.find().to("ann@example.com").subject("Welcome").try_one().unwrap_err();
/// assert!(failure.report().starts_with(
///     "expected exactly 1 email matching to=ann@example.com, subject=\"Welcome\"; found 0 of 1 captured"
/// ));
/// assert!(failure.report().contains("✗ to=ann@example.com, but was bob@example.com"));
/// assert_eq!(failure.to_string(), failure.report());
/// assert!(format!("{failure:#}").contains("\x1b[31m✗\x1b[0m"));
/// ```
#[derive(Clone)]
pub struct Failure {
    plain: String,
    colored: String,
    /// The emails the HTML report of this failure shows; none for a misuse
    /// of the API.
    shown: Option<Vec<Email>>,
    /// Sends refused meanwhile that are not its test's own (other tests, or
    /// work it did not propagate to): counted apart from the report, whose
    /// text must not depend on what runs beside it.
    refused_elsewhere: usize,
}

impl Failure {
    fn render(write: impl Fn(&mut Out)) -> Failure {
        let mut plain = Out { text: String::new(), color: false };
        write(&mut plain);
        let mut colored = Out { text: String::new(), color: true };
        write(&mut colored);
        Failure { plain: plain.text, colored: colored.text, shown: None, refused_elsewhere: 0 }
    }

    /// How many sends were refused while the outbox was alive that are not
    /// its test's own — on threads the capture was never bound on, to
    /// recipients the query does not name — and so are not in the report
    /// (under `cargo test` they are often other tests' work). The panicking
    /// terminals say this count on standard error, beside the report.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let failure = mail.find().to("ann@example.com").try_one().unwrap_err();
    /// assert_eq!(failure.refused_elsewhere(), 0);
    /// ```
    pub fn refused_elsewhere(&self) -> usize {
        self.refused_elsewhere
    }

    /// The failure, with `emails` for its HTML report.
    pub(crate) fn showing(mut self, emails: Vec<Email>) -> Failure {
        self.shown = Some(emails);
        self
    }

    /// The failure of a check on `email`: its HTML report shows the outbox
    /// bound here when the email is one of its own, else the email alone.
    pub(crate) fn showing_email(self, email: &Email) -> Failure {
        match crate::outbox::current().map(|outbox| outbox.emails()).filter(|emails| emails.contains(email)) {
            Some(emails) => self.showing(emails),
            None => self.showing(vec![email.clone()]),
        }
    }

    /// The emails the HTML report of this failure shows.
    pub(crate) fn emails(&self) -> Option<&[Email]> {
        self.shown.as_deref()
    }

    /// The report for a query whose expectation failed over `records`.
    pub(crate) fn for_query(asked: &Asked<'_>, records: &[Arc<Record>]) -> Failure {
        let emails: Vec<Email> = records.iter().map(|r| Email::from_record(Arc::clone(r))).collect();
        let scored: Vec<Scored<'_>> = emails.iter().map(|email| Scored::new(asked.criteria, email)).collect();
        let mut order: Vec<&Scored<'_>> = scored.iter().collect();
        // Matches first (they explain a "too many"), then the closest misses.
        order.sort_by_key(|s| (!s.all_met(), std::cmp::Reverse(s.met_count()), s.email.sequence()));
        let matched = scored.iter().filter(|s| s.all_met()).count();

        let refused = &asked.refusals.own;
        let mut failure = Failure::render(|out| {
            out.headline(&headline(asked, matched, emails.len()));
            write_refusals(out, refused);
            attempts::write_unstored(out, asked.criteria, &emails, &asked.attempts);
            if emails.is_empty() {
                // The refusals, when there are any, say where the mail went.
                if refused.is_empty() && asked.attempts.is_empty() {
                    out.raw(&empty_outbox_hints(asked.waited.is_some()));
                }
                return;
            }
            let heading = if asked.criteria.is_empty() { "captured:" } else { "captured, closest first:" };
            out.raw(&format!("\n\n{heading}"));
            for (rank, scored) in order.iter().take(LISTED).enumerate() {
                if rank < DETAILED {
                    scored.write_to(out);
                    attempts::write_attempts_of(out, scored.email, &asked.attempts);
                } else {
                    scored.write_summary(out)
                }
            }
            if order.len() > LISTED {
                out.raw(&format!("\n  … and {} more, less close", order.len() - LISTED));
            }
            if let Some(closest) = order.first().filter(|s| !s.all_met()) {
                closest.write_evidence(out);
            }
        });
        drop(order);
        drop(scored);
        failure.refused_elsewhere = asked.refusals.elsewhere;
        failure.showing(emails)
    }

    /// The report for one email that failed one check of [`EmailAssert`](crate::EmailAssert).
    pub(crate) fn for_email(email: &Email, criterion: &Criterion) -> Failure {
        Failure::for_email_checks(email, std::slice::from_ref(criterion), vec![false])
    }

    /// The report for checks on `email` of which some failed (`met` says
    /// which): every check, met or missed, so one run shows every miss.
    pub(crate) fn for_email_checks(email: &Email, criteria: &[Criterion], met: Vec<bool>) -> Failure {
        let scored = Scored { email, criteria, met };
        let missed: Vec<&Criterion> =
            criteria.iter().zip(&scored.met).filter(|(_, met)| !**met).map(|(c, _)| c).collect();
        let failure = Failure::render(|out| {
            match missed.as_slice() {
                [criterion] => out.headline(&format!(
                    "{} does not match: expected {}, {} {}",
                    tag(email),
                    criterion.label,
                    criterion.connector,
                    criterion.actual(email)
                )),
                _ => out.headline(&format!(
                    "{} does not match: {} of {} checks failed",
                    tag(email),
                    missed.len(),
                    criteria.len()
                )),
            }
            out.raw("\n");
            scored.write_to(out);
            scored.write_evidence(out);
        });
        failure.showing_email(email)
    }

    /// The report of a strict capture with emails no assertion matched.
    pub(crate) fn unasserted(unasserted: &[Email], captured: usize) -> Failure {
        Failure::render(|out| {
            let verb = if unasserted.len() == 1 { "was" } else { "were" };
            let emails = if captured == 1 { "email" } else { "emails" };
            out.headline(&format!(
                "strict capture: {} of {captured} captured {emails} {verb} never matched by an assertion",
                unasserted.len()
            ));
            out.raw("\n");
            for email in unasserted.iter().take(LISTED) {
                Scored { email, criteria: &[], met: Vec::new() }.write_to(out);
            }
            if unasserted.len() > LISTED {
                out.raw(&format!("\n  … and {} more", unasserted.len() - LISTED));
            }
            out.raw(
                "\n\nAssert on each (`mail.find().subject(..).one()`, `assert_sent!(..)` or \
                 `email.assert()`), or drop `.strict()` if they do not matter.",
            );
        })
    }

    /// The failure of a strict capture whose test's own sends were refused:
    /// a send refused while the test passes is otherwise invisible.
    pub(crate) fn refused(refused: &[Refusal]) -> Failure {
        Failure::render(|out| {
            let (sends, were) = if refused.len() == 1 { ("send", "was") } else { ("sends", "were") };
            out.headline(&format!(
                "strict capture: {} {sends} of this test {were} refused, on threads the capture was bound on",
                refused.len()
            ));
            write_refusals(out, refused);
        })
    }

    /// A report written elsewhere (the lint reports), plain and coloured.
    pub(crate) fn from_text(plain: String, colored: String) -> Failure {
        Failure { plain, colored, shown: None, refused_elsewhere: 0 }
    }

    /// Several reports as one, a blank line between each (a capture that
    /// fails more than one check at drop panics once).
    pub(crate) fn joined(failures: &[Failure]) -> Failure {
        let join = |text: fn(&Failure) -> &str| failures.iter().map(text).collect::<Vec<_>>().join("\n\n");
        let shown = failures.iter().find_map(|f| f.shown.clone());
        let refused_elsewhere = failures.iter().map(|f| f.refused_elsewhere).max().unwrap_or(0);
        Failure { plain: join(|f| &f.plain), colored: join(|f| &f.colored), shown, refused_elsewhere }
    }

    /// A wrong use of the API, explained.
    pub(crate) fn misuse(explanation: &str) -> Failure {
        Failure::render(|out| out.raw(&format!("mailtest: {explanation}")))
    }

    /// The report as plain text (no colour).
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let failure = mail.find().try_one().unwrap_err();
    /// assert!(failure.report().contains("no email was captured"));
    /// ```
    pub fn report(&self) -> &str {
        &self.plain
    }
}

/// How many matching emails a query wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expected {
    Exactly(usize),
    AtLeast(usize),
    /// Whatever matches (`all`): with a wait, whatever matched when it ends.
    Any,
}

/// What a failed query asked, as its report tells it.
pub(crate) struct Asked<'a> {
    pub(crate) criteria: &'a [Criterion],
    pub(crate) expected: Expected,
    /// How long it waited (`within`), if it did.
    pub(crate) waited: Option<std::time::Duration>,
    /// The sends refused while its outbox was alive: its test's own, listed,
    /// and a count of the rest.
    pub(crate) refusals: Refusals,
    /// The outbox's attempt log, when a fault plan made any attempt fail
    /// or lose its reply (else empty: the report is as without a plan).
    pub(crate) attempts: Vec<Attempt>,
}

fn headline(asked: &Asked<'_>, matched: usize, captured: usize) -> String {
    let wanted = match asked.expected {
        Expected::Exactly(0) => "no email".to_owned(),
        Expected::Exactly(1) => "exactly 1 email".to_owned(),
        Expected::Exactly(n) => format!("exactly {n} emails"),
        Expected::AtLeast(1) => "at least 1 email".to_owned(),
        Expected::AtLeast(n) => format!("at least {n} emails"),
        Expected::Any => "any number of emails".to_owned(),
    };
    let labels: Vec<&str> = asked.criteria.iter().map(|c| c.label.as_str()).collect();
    let (matching, found) = if labels.is_empty() {
        (String::new(), format!("found {captured} captured"))
    } else {
        (format!(" matching {}", labels.join(", ")), format!("found {matched} of {captured} captured"))
    };
    let waited = asked.waited.map(|d| format!(" (after waiting {d:?})")).unwrap_or_default();
    format!("expected {wanted}{matching}; {found}{waited}")
}

/// What to check when nothing was captured; the advice to wait only when
/// the query did not.
fn empty_outbox_hints(waited: bool) -> String {
    let wait = if waited {
        ""
    } else {
        "\n  - is it still on its way? wait for it with `.within(Duration::from_secs(5))`;"
    };
    format!(
        "\n\n\
no email was captured at all. If the code under test did send one:
  - did it send through the capture? use `outbox.transport()` or `CaptureTransport::ambient()`;
  - did it send on another thread or task? a capture is bound to the test's thread only:
    propagate it with `outbox.scope(fut)`, `fut.with_outbox(&outbox)`, `outbox.spawn(..)`
    or `outbox.in_scope(..)`, or send to `outbox.unique_address(\"name\")`; for an app's
    own workers (a task spawned at start-up, a thread pool), use `mailtest::capture_global()`;{wait}
  - is this the outbox it went to? a nested `mailtest::capture()` takes over until it drops;
  - did it send through the code's own lettre transport (`SmtpTransport`, `AsyncSmtpTransport`,
    sendmail, a provider's)? such a send bypasses mailtest and may have reached the network.
    Wrap the transport where the code builds it, `mailtest::guard(SmtpTransport::from_url(url)?.build())`,
    so a capture takes its mail; or point it at a `mailtest::SmtpSink` (`sink.url()`)."
    )
}

/// How many recipients a line about refused sends names.
const REFUSED_RECIPIENTS: usize = 3;

/// The sends of this test refused while its outbox was alive, grouped by
/// thread and cause: a report that says "found 0" must not hide mail that
/// was sent and refused. Its test's own only — made on a thread its capture
/// was bound on, or to a recipient its query names — so that the text is
/// the same whatever runs beside it.
fn write_refusals(out: &mut Out, refused: &[Refusal]) {
    let total = refused.len();
    if total == 0 {
        return;
    }
    let sends = if total == 1 { "send was" } else { "sends were" };
    out.raw(&format!(
        "\n\nmeanwhile {total} {sends} refused, on threads this capture was bound on or to recipients \
         this query names:"
    ));
    let mut groups: Vec<(&Cause, &str, Vec<&str>, usize)> = Vec::new();
    for refusal in refused {
        let at = groups
            .iter()
            .position(|(cause, thread, ..)| *cause == &refusal.cause && *thread == refusal.thread);
        let group = match at {
            Some(at) => &mut groups[at],
            None => {
                groups.push((&refusal.cause, &refusal.thread, Vec::new(), 0));
                groups.last_mut().expect("just pushed")
            }
        };
        group.3 += 1;
        for recipient in &refusal.recipients {
            if !group.2.contains(&recipient.as_str()) {
                group.2.push(recipient);
            }
        }
    }
    for (cause, thread, recipients, count) in &groups {
        let mut to = recipients.iter().take(REFUSED_RECIPIENTS).copied().collect::<Vec<_>>().join(", ");
        if recipients.len() > REFUSED_RECIPIENTS {
            to.push_str(&format!(" and {} more", recipients.len() - REFUSED_RECIPIENTS));
        }
        if to.is_empty() {
            to.push_str("no recipients");
        }
        let why = match cause {
            Cause::NoOutbox => {
                "no outbox was bound there, no recipient was routed, no global capture was alive".to_owned()
            }
            Cause::RealSmtp { server, .. } => {
                format!("a mailer's real send over SMTP to {server} was prevented")
            }
        };
        let sends = if *count == 1 { "send" } else { "sends" };
        out.raw(&format!("\n  {count} {sends} to {to}, on thread '{thread}': {why}"));
    }
    out.raw(
        "\n  hint: capture mail from work the test does not own (an app's workers, a thread pool, a \
         multi-thread runtime) with `mailtest::capture_global()`; or propagate the capture \
         (`outbox.scope(fut)`, `outbox.spawn(..)`), or send to `outbox.unique_address(\"name\")`.",
    );
}

/// One captured email scored against every criterion.
struct Scored<'a> {
    email: &'a Email,
    criteria: &'a [Criterion],
    met: Vec<bool>,
}

impl<'a> Scored<'a> {
    fn new(criteria: &'a [Criterion], email: &'a Email) -> Scored<'a> {
        let met = criteria.iter().map(|c| c.test(email)).collect();
        Scored { email, criteria, met }
    }

    fn all_met(&self) -> bool {
        self.met.iter().all(|&met| met)
    }

    fn met_count(&self) -> usize {
        self.met.iter().filter(|&&met| met).count()
    }

    /// One line: number, sender, recipients, subject.
    fn write_summary(&self, out: &mut Out) {
        out.raw(&format!("\n  {}", summary(self.email)));
    }

    /// The summary, then each criterion met or missed, then any problems.
    fn write_to(&self, out: &mut Out) {
        let email = self.email;
        self.write_summary(out);
        for (criterion, &met) in self.criteria.iter().zip(&self.met) {
            if met {
                out.met(&criterion.label);
                if let Some(note) = criterion.met_note(email) {
                    out.hint(&note);
                }
            } else {
                out.missed(&criterion.label, criterion.connector, &criterion.actual(email));
                if let Some(hint) = criterion.hint(email) {
                    out.hint(&hint);
                }
            }
        }
        for problem in email.problems() {
            out.raw(&format!("\n      ! {problem}"));
        }
    }

    /// What more can be said about the missed criteria of this email.
    fn write_evidence(&self, out: &mut Out) {
        let missed = self.criteria.iter().zip(&self.met).filter(|(_, met)| !**met).map(|(c, _)| c);
        for criterion in missed {
            match criterion.evidence(self.email) {
                Some(Evidence::Diff { expected, actual }) if is_long(&expected) || is_long(&actual) => {
                    out.raw(&format!(
                        "\n\n{} {}, as a diff (< expected, > actual):",
                        tag(self.email),
                        criterion.label
                    ));
                    out.diff(&expected, &actual);
                }
                Some(Evidence::Searched { what, text }) => {
                    out.raw(&format!("\n\n{} {} searched this {what}:", tag(self.email), criterion.label));
                    out.quote(&text);
                }
                _ => {}
            }
        }
    }
}

/// One line about an email: number, sender, recipients, subject.
pub(crate) fn summary(email: &Email) -> String {
    let subject = email.subject().map_or_else(|| "(no subject)".to_owned(), |s| format!("{s:?}"));
    let mut summary = format!(
        "{} from {} to {}: {subject}",
        tag(email),
        mailbox_list(email.from()),
        mailbox_list(email.to())
    );
    if !email.bcc().is_empty() {
        summary.push_str(&format!(" (bcc {})", mailbox_list(email.bcc())));
    }
    summary
}

/// How reports name an email: its capture number, or "the email" outside an outbox.
pub(crate) fn tag(email: &Email) -> String {
    match email.sequence() {
        0 => "the email".to_owned(),
        n => format!("#{n}"),
    }
}

fn is_long(text: &str) -> bool {
    text.len() > 40 || text.contains('\n')
}

/// Report text being written, plain or coloured.
struct Out {
    text: String,
    color: bool,
}

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

const REVERSE: &str = "\x1b[7m";

impl Out {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color { format!("{style}{text}{RESET}") } else { text.to_owned() }
    }

    fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn headline(&mut self, text: &str) {
        let painted = self.paint(BOLD, text);
        self.raw(&painted);
    }

    fn met(&mut self, label: &str) {
        let mark = self.paint(GREEN, "✓");
        self.raw(&format!("\n      {mark} {label}"));
    }

    fn missed(&mut self, label: &str, connector: &str, actual: &str) {
        let mark = self.paint(RED, "✗");
        self.raw(&format!("\n      {mark} {label}, {connector} {actual}"));
    }

    fn hint(&mut self, hint: &str) {
        let label = self.paint(DIM, "hint:");
        self.raw(&format!("\n        {label} {hint}"));
    }

    fn quote(&mut self, text: &str) {
        let lines: Vec<&str> = text.lines().collect();
        for line in lines.iter().take(QUOTED_LINES) {
            let bar = self.paint(DIM, "│");
            self.raw(&format!("\n    {bar} {line}"));
        }
        if lines.len() > QUOTED_LINES {
            self.raw(&format!("\n    … {} more lines", lines.len() - QUOTED_LINES));
        }
    }

    /// A line diff: ` ` a line both have, `<` one only `expected` has, `>`
    /// one only `actual` has. Coloured, the words that differ are reversed.
    fn diff(&mut self, expected: &str, actual: &str) {
        let diff = similar::TextDiff::from_lines(expected, actual);
        for op in diff.ops() {
            for change in diff.iter_inline_changes(op) {
                let (mark, style) = match change.tag() {
                    similar::ChangeTag::Equal => (" ", ""),
                    similar::ChangeTag::Delete => ("<", RED),
                    similar::ChangeTag::Insert => (">", GREEN),
                };
                let mut line = String::new();
                for (emphasized, text) in change.iter_strings_lossy() {
                    let text = text.trim_end_matches(['\n', '\r']);
                    if emphasized && self.color {
                        line.push_str(&format!("{REVERSE}{text}{RESET}{style}"));
                    } else {
                        line.push_str(text);
                    }
                }
                let painted = if style.is_empty() {
                    format!("{mark}{line}")
                } else {
                    self.paint(style, &format!("{mark}{line}"))
                };
                self.raw(&format!("\n    {painted}"));
            }
        }
    }
}

impl fmt::Display for Failure {
    /// The plain report; with `{:#}`, the coloured one. Never chosen by the
    /// environment: a panic payload must read the same everywhere.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if f.alternate() { &self.colored } else { &self.plain })
    }
}

impl fmt::Debug for Failure {
    /// The plain report, so `result.unwrap()` shows it readably.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain)
    }
}

impl PartialEq for Failure {
    /// Two failures are equal when they say the same.
    fn eq(&self, other: &Self) -> bool {
        self.plain == other.plain && self.colored == other.colored
    }
}

impl Eq for Failure {}

impl std::error::Error for Failure {}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Failure {
        let outbox = crate::Outbox::new();
        outbox.capture_raw(
            None,
            &["bob@example.com"],
            b"To: bob@example.com\r\nSubject: Welcome to the shop, Bob\r\n\r\n.",
        );
        outbox.find().to("bob@example.com").subject("Welcome to the shop, Ann").try_one().unwrap_err()
    }

    /// The text without its ANSI colour sequences (`ESC [ … m`).
    fn strip_ansi(text: &str) -> String {
        let mut plain = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("\x1b[") {
            plain.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let end = after.find(|c: char| !(c.is_ascii_digit() || c == ';')).unwrap_or(after.len());
            rest = after[end..].strip_prefix('m').unwrap_or(&after[end..]);
        }
        plain.push_str(rest);
        plain
    }

    #[test]
    fn a_long_value_is_diffed_line_by_line_and_coloured_only_in_the_coloured_rendering() {
        let outbox = crate::Outbox::new();
        let subject = "Your order #1042 has shipped and will arrive on Tuesday, between nine and noon";
        outbox.capture_raw(None, &["bob@example.com"], format!("Subject: {subject}\r\n\r\n.").as_bytes());
        let wanted = "Your order #1042 has shipped and will arrive on Monday, between nine and noon";
        let failure = outbox.find().subject(wanted).try_one().unwrap_err();

        let diff = format!("as a diff (< expected, > actual):\n    <{wanted}\n    >{subject}");
        assert!(failure.plain.ends_with(&diff), "{}", failure.plain);
        assert!(
            failure
                .colored
                .contains(&format!("{RED}<Your order #1042 has shipped and will arrive on {REVERSE}Monday"))
        );
        assert_eq!(strip_ansi(&failure.colored), failure.plain);
    }

    #[test]
    fn colour_is_only_in_the_coloured_rendering() {
        let failure = sample();

        assert!(!failure.plain.contains('\x1b'), "{}", failure.plain);
        assert!(failure.colored.contains(&format!("{RED}✗{RESET}")));
        assert!(failure.colored.contains(&format!("{GREEN}✓{RESET}")));
        assert_eq!(strip_ansi(&failure.colored), failure.plain, "the same words either way");
    }

    #[test]
    fn display_debug_and_report_are_plain_and_the_alternate_form_is_coloured() {
        let failure = sample();

        assert_eq!(failure.to_string(), failure.report());
        assert_eq!(format!("{failure:?}"), failure.report());
        assert_eq!(format!("{failure:#}"), failure.colored);
    }
}
