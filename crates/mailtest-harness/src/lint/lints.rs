//! Every lint of one email, in the order the rules found them.

use std::fmt;

use super::diagnostic::{Lint, Severity};
use super::paint::Paint;

/// How many diagnostics of one code are shown in full; the rest are listed
/// by location on one line, so an email with 200 images without `alt` still
/// gives a readable report.
const SHOWN_PER_CODE: usize = 3;
/// How many locations that one line lists.
const LISTED_LOCATIONS: usize = 8;

/// The lints of one email: what [`Email::lint`](crate::Email::lint) returns.
///
/// Iterate it for each [`Lint`]; its `Display` is the diagnostics as rustc
/// writes them, then a count (`{:#}` adds colour). Empty means lint-clean,
/// warnings included.
///
/// ```
/// let email = mailtest::Email::from_raw(
///     "From: app@example.com\r\nTo: ann@example.com\r\nSubject: Hi\r\n\
///      Date: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\r\nHello\r\n",
/// );
/// let lints = email.lint();
/// assert_eq!(lints.codes(), ["missing-message-id"]);
/// assert!(lints.to_string().starts_with("error[missing-message-id]: the email has no Message-ID header\n"));
/// assert!(lints.to_string().ends_with("\n\n1 error"));
/// for lint in lints {
///     assert_eq!(lint.code(), "missing-message-id");
/// }
/// ```
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Lints {
    lints: Vec<Lint>,
}

impl Lints {
    pub(crate) fn new(lints: Vec<Lint>) -> Lints {
        Lints { lints }
    }

    /// How many lints there are.
    ///
    /// ```
    /// assert_eq!(mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello").lint().len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.lints.len()
    }

    /// Whether there are none at all, warnings included.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Message-ID: <1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\r\nHello",
    /// );
    /// assert!(email.lint().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.lints.is_empty()
    }

    /// Each lint, in order.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// let lints = email.lint();
    /// let messages: Vec<&str> = lints.iter().map(|lint| lint.message()).collect();
    /// assert_eq!(messages, ["the email has no Message-ID header", "the email has no Date header"]);
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, Lint> {
        self.lints.iter()
    }

    /// The code of each lint, in order (repeated when a rule found several).
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// assert_eq!(email.lint().codes(), ["missing-message-id", "missing-date"]);
    /// ```
    pub fn codes(&self) -> Vec<&str> {
        self.lints.iter().map(Lint::code).collect()
    }

    /// Whether a lint with this code is there.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello");
    /// assert!(email.lint().contains("missing-date"));
    /// assert!(!email.lint().contains("dangling-cid"));
    /// ```
    pub fn contains(&self, code: &str) -> bool {
        self.lints.iter().any(|lint| lint.code() == code)
    }

    /// How many errors.
    ///
    /// ```
    /// assert_eq!(mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello").lint().error_count(), 2);
    /// ```
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    /// How many warnings.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Message-ID: <1@example.com>\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\nSubject: Hi\r\n\
    ///      Content-Type: text/html\r\n\r\n<p>Hi</p>",
    /// );
    /// assert_eq!(email.lint().codes(), ["html-without-text", "html-missing-lang"]);
    /// assert_eq!(email.lint().warning_count(), 2);
    /// ```
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.lints.iter().filter(|lint| lint.severity() == severity).count()
    }

    /// `2 errors, 1 warning`, `1 error`, `no lints`.
    pub(crate) fn tally(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (self.error_count(), self.warning_count()) {
            (0, 0) => "no lints".to_owned(),
            (errors, 0) => plural(errors, "error"),
            (0, warnings) => plural(warnings, "warning"),
            (errors, warnings) => format!("{}, {}", plural(errors, "error"), plural(warnings, "warning")),
        }
    }

    /// The diagnostics, folded per code, then the tally.
    fn write(&self, out: &mut dyn fmt::Write, paint: Paint) -> fmt::Result {
        if self.lints.is_empty() {
            return out.write_str("no lints");
        }
        self.write_diagnostics(out, paint)?;
        out.write_str("\n\n")?;
        out.write_str(&self.tally())
    }

    /// The diagnostics, folded per code, a blank line between each.
    pub(crate) fn write_diagnostics(&self, out: &mut dyn fmt::Write, paint: Paint) -> fmt::Result {
        let mut first = true;
        let mut separate = |out: &mut dyn fmt::Write| {
            if std::mem::take(&mut first) { Ok(()) } else { out.write_str("\n\n") }
        };
        let mut shown: Vec<(&str, usize)> = Vec::new();
        for (index, lint) in self.lints.iter().enumerate() {
            let seen = match shown.iter_mut().find(|(code, _)| *code == lint.code()) {
                Some((_, seen)) => seen,
                None => {
                    shown.push((lint.code(), 0));
                    &mut shown.last_mut().expect("just pushed").1
                }
            };
            *seen += 1;
            if *seen <= SHOWN_PER_CODE {
                separate(out)?;
                lint.write(out, paint)?;
            } else if *seen == SHOWN_PER_CODE + 1 {
                separate(out)?;
                let rest: Vec<&Lint> =
                    self.lints[index..].iter().filter(|l| l.code() == lint.code()).collect();
                write_folded(out, paint, &rest)?;
            }
        }
        Ok(())
    }
}

/// `… and 12 more warning[img-missing-alt] at text/html lines 40, 52, …`
fn write_folded(out: &mut dyn fmt::Write, paint: Paint, rest: &[&Lint]) -> fmt::Result {
    let first = rest[0];
    let level = paint.severity(first.severity(), &format!("{}[{}]", first.severity(), first.code()));
    write!(out, "… and {} more {level}", rest.len())?;
    // Lines grouped by part, each line once: `text/html lines 6, 9; headers`.
    let mut parts: Vec<(&str, Vec<usize>)> = Vec::new();
    for location in rest.iter().filter_map(|lint| lint.location()) {
        let lines = match parts.iter_mut().find(|(part, _)| *part == location.part()) {
            Some((_, lines)) => lines,
            None => {
                parts.push((location.part(), Vec::new()));
                &mut parts.last_mut().expect("just pushed").1
            }
        };
        if let Some(line) = location.line().filter(|line| !lines.contains(line)) {
            lines.push(line);
        }
    }
    let described: Vec<String> = parts
        .iter()
        .map(|(part, lines)| {
            let listed: Vec<String> = lines.iter().take(LISTED_LOCATIONS).map(ToString::to_string).collect();
            let more = if lines.len() > LISTED_LOCATIONS { ", …" } else { "" };
            match lines.len() {
                0 => (*part).to_owned(),
                1 => format!("{part} line {}", listed[0]),
                _ => format!("{part} lines {}{more}", listed.join(", ")),
            }
        })
        .collect();
    if !described.is_empty() {
        write!(out, " at {}", described.join("; "))?;
    }
    Ok(())
}

impl fmt::Display for Lints {
    /// Every diagnostic, then `2 errors, 1 warning`; `no lints` when clean.
    /// `{:#}` colours it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paint = Paint::new(f.alternate());
        self.write(f, paint)
    }
}

impl IntoIterator for Lints {
    type Item = Lint;
    type IntoIter = std::vec::IntoIter<Lint>;

    fn into_iter(self) -> Self::IntoIter {
        self.lints.into_iter()
    }
}

impl<'a> IntoIterator for &'a Lints {
    type Item = &'a Lint;
    type IntoIter = std::slice::Iter<'a, Lint>;

    fn into_iter(self) -> Self::IntoIter {
        self.lints.iter()
    }
}
