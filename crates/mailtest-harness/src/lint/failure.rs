//! The failure reports of the lint assertions: which emails are not
//! lint-clean, then each one's diagnostics.

use std::fmt::Write as _;

use super::config::LintConfig;
use super::lints::Lints;
use super::paint::Paint;
use crate::email::Email;
use crate::failure::{Failure, summary, tag};

/// The report of `email.assert().lints_clean_with(config)`.
pub(crate) fn email(email: &Email, lints: &Lints, config: &LintConfig) -> Failure {
    render(|out, paint| {
        let headline = format!("{} is not lint-clean: {}", summary(email), lints.tally());
        out.push_str(&paint.bold(&headline));
        if let Some(config) = config.describe() {
            let _ = write!(out, "\n({config})");
        }
        out.push_str("\n\n");
        let _ = lints.write_diagnostics(out, paint);
        let _ = write!(out, "\n\n{}", advice(lints, "email.assert().lints_clean_with"));
    })
    .showing_email(email)
}

/// The report of `outbox.assert_lints_clean_with(config)` (and of a strict
/// capture's lint check, whose headline starts with `prefix`): every email
/// that is not clean, with its lints, then the clean ones by number.
pub(crate) fn outbox(prefix: &str, emails: &[Email], config: &LintConfig) -> Option<Failure> {
    let linted: Vec<(&Email, Lints)> = emails.iter().map(|email| (email, email.lint_with(config))).collect();
    let failing: Vec<&(&Email, Lints)> = linted.iter().filter(|(_, lints)| lints.error_count() > 0).collect();
    if failing.is_empty() {
        return None;
    }
    let all = Lints::new(failing.iter().flat_map(|(_, lints)| lints.iter().cloned()).collect());
    let total = emails.len();
    Some(
        render(|out, paint| {
            let verb = if failing.len() == 1 { "is" } else { "are" };
            let noun = if total == 1 { "email" } else { "emails" };
            let headline = format!(
                "{prefix}{} of {total} captured {noun} {verb} not lint-clean: {}",
                failing.len(),
                all.tally()
            );
            out.push_str(&paint.bold(&headline));
            if let Some(config) = config.describe() {
                let _ = write!(out, "\n({config})");
            }
            for (email, lints) in &failing {
                let heading = format!("=== {}: {} ===", summary(email), lints.tally());
                let _ = write!(out, "\n\n{}\n\n", paint.bold(&heading));
                let _ = lints.write_diagnostics(out, paint);
            }
            let clean: Vec<String> = linted
                .iter()
                .filter(|(_, lints)| lints.error_count() == 0)
                .map(|(email, _)| tag(email))
                .collect();
            if !clean.is_empty() {
                let _ = write!(out, "\n\nlint-clean: {}", clean.join(", "));
            }
            let _ = write!(out, "\n\n{}", advice(&all, "outbox.assert_lints_clean_with"));
        })
        .showing(emails.to_vec()),
    )
}

/// What to do: fix the mail, or allow what is accepted, naming the first
/// failing code so the line can be copied.
fn advice(lints: &Lints, method: &str) -> String {
    let code =
        lints.iter().find(|lint| lint.severity() == super::Severity::Error).map_or("…", |lint| lint.code());
    format!("Fix the mail, or allow what you accept: `{method}(&LintConfig::new().allow([\"{code}\"]))`.")
}

fn render(write: impl Fn(&mut String, Paint)) -> Failure {
    let mut plain = String::new();
    write(&mut plain, Paint::new(false));
    let mut colored = String::new();
    write(&mut colored, Paint::new(true));
    Failure::from_text(plain, colored)
}
