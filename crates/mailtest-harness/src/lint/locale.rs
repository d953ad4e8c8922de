//! Locales: the same email sent in several languages, checked as a group —
//! `untranslated-text`, text a locale left as the default locale has it.
//!
//! A missing translation rarely shows as a key (`raw-translation-key`):
//! most i18n libraries fall back to the default locale, so the German
//! email goes out with an English paragraph in it. Only the group tells:
//! the same sentence in the default and in another locale.
//!
//! What is compared: the subject, each line of the text part, each piece
//! of the HTML's visible text, and each `alt`, `title` and `aria-label`.
//! Only prose counts: a piece with at least three words, two of them
//! lower-case words — names, addresses, prices, URLs and codes are the same
//! in every language and are left alone.

use std::fmt::Write as _;

use super::codes::UNTRANSLATED_TEXT;
use super::config::LintConfig;
use super::context::Context;
use super::diagnostic::Lint;
use super::lints::Lints;
use super::markup::Markup;
use super::paint::Paint;
use crate::email::Email;
use crate::failure::{Failure, summary};

/// The same email in several locales, the first the default one, to check
/// that each other locale translated every sentence.
///
/// ```
/// use mailtest::lint::Translations;
///
/// let email = |subject: &str, body: &str| {
///     mailtest::Email::from_raw(format!("Subject: {subject}\r\n\r\n{body}\r\n"))
/// };
/// let en = email("Reset your password", "Click the link below to choose a new password.");
/// let de = email("Passwort zurücksetzen", "Click the link below to choose a new password.");
/// let failure = Translations::new("en", &en).locale("de", &de).try_assert_translated().unwrap_err();
/// assert!(failure.report().starts_with("1 of 1 locale has text left as the default locale (en) has it"));
/// ```
#[derive(Clone, Debug)]
#[must_use = "a group of translations checks nothing until asserted"]
pub struct Translations<'a> {
    default: (String, &'a Email),
    others: Vec<(String, &'a Email)>,
}

impl<'a> Translations<'a> {
    /// The default locale's email: what the others are compared with.
    pub fn new(default_locale: &str, email: &'a Email) -> Translations<'a> {
        Translations { default: (default_locale.to_owned(), email), others: Vec::new() }
    }

    /// Another locale's email.
    pub fn locale(mut self, locale: &str, email: &'a Email) -> Translations<'a> {
        self.others.push((locale.to_owned(), email));
        self
    }

    /// For each other locale, its `untranslated-text` lints (empty: all
    /// translated).
    ///
    /// ```
    /// use mailtest::lint::Translations;
    ///
    /// let en = mailtest::Email::from_raw("Subject: Your order has shipped\r\n\r\nHi\r\n");
    /// let fr = mailtest::Email::from_raw("Subject: Votre commande est partie\r\n\r\nHi\r\n");
    /// let found = Translations::new("en", &en).locale("fr", &fr).untranslated();
    /// assert_eq!(found[0].0, "fr");
    /// assert!(found[0].1.is_empty());
    /// ```
    pub fn untranslated(&self) -> Vec<(String, Lints)> {
        let reference = Pieces::of(self.default.1);
        self.others
            .iter()
            .map(|(locale, email)| (locale.clone(), Lints::new(compare(&self.default.0, &reference, email))))
            .collect()
    }

    /// Every other locale translated every sentence of the default one.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line, with each sentence left untranslated, where
    /// it is in each locale's email.
    ///
    /// ```
    /// use mailtest::lint::Translations;
    ///
    /// let en = mailtest::Email::from_raw("Subject: Your order has shipped\r\n\r\nIt is on its way to you.\r\n");
    /// let de = mailtest::Email::from_raw("Subject: Ihre Bestellung ist unterwegs\r\n\r\nSie ist auf dem Weg zu Ihnen.\r\n");
    /// Translations::new("en", &en).locale("de", &de).assert_translated();
    /// ```
    #[track_caller]
    pub fn assert_translated(&self) {
        if let Err(failure) = self.try_assert_translated() {
            failure.panic()
        }
    }

    /// [`assert_translated`](Translations::assert_translated), returning the
    /// report instead of panicking.
    ///
    /// ```
    /// use mailtest::lint::Translations;
    ///
    /// let en = mailtest::Email::from_raw("Subject: Your order has shipped\r\n\r\nHi\r\n");
    /// assert!(Translations::new("en", &en).try_assert_translated().is_ok());
    /// ```
    pub fn try_assert_translated(&self) -> Result<(), Failure> {
        let found = self.untranslated();
        let failing: Vec<&(String, Lints)> = found.iter().filter(|(_, lints)| !lints.is_empty()).collect();
        if failing.is_empty() {
            return Ok(());
        }
        let render = |paint: Paint| {
            let noun = if found.len() == 1 { "locale" } else { "locales" };
            let verb = if failing.len() == 1 { "has" } else { "have" };
            let mut out = paint.bold(&format!(
                "{} of {} {noun} {verb} text left as the default locale ({}) has it",
                failing.len(),
                found.len(),
                self.default.0
            ));
            for (locale, lints) in &failing {
                let email = self.others.iter().find(|(l, _)| l == locale).map(|(_, email)| *email);
                let heading = format!(
                    "=== {locale}: {}: {} ===",
                    email.map(summary).unwrap_or_default(),
                    lints.tally()
                );
                let _ = write!(out, "\n\n{}\n\n", paint.bold(&heading));
                let _ = lints.write_diagnostics(&mut out, paint);
            }
            out.push_str(
                "\n\nTranslate each sentence for its locale (a missing key falls back to the default locale's text).",
            );
            out
        };
        let mut emails = vec![self.default.1.clone()];
        emails.extend(self.others.iter().map(|(_, email)| (*email).clone()));
        Err(Failure::from_text(render(Paint::new(false)), render(Paint::new(true))).showing(emails))
    }
}

/// The prose of one email: (what it says, white space folded).
struct Pieces {
    subject: Option<String>,
    texts: Vec<String>,
}

impl Pieces {
    fn of(email: &Email) -> Pieces {
        let mut texts = Vec::new();
        if let Some(text) = email.text() {
            texts.extend(text.lines().map(fold).filter(|line| is_prose(line)));
        }
        if let Some(html) = email.html() {
            let (_, markup) = Markup::parse(html);
            let prose = prose_of(&markup).map(|(text, _)| fold(&mailtest_mime::html::decode_entities(text)));
            texts.extend(prose.filter(|text| is_prose(text)));
        }
        Pieces { subject: email.subject().map(fold).filter(|subject| is_prose(subject)), texts }
    }
}

fn is_label(name: &str) -> bool {
    ["alt", "title", "aria-label"].iter().any(|label| name.eq_ignore_ascii_case(label))
}

/// The lints of `email` against the default locale's pieces.
fn compare(default: &str, reference: &Pieces, email: &Email) -> Vec<Lint> {
    let config = LintConfig::new();
    let cx = Context::new(email, &config);
    let mut found = Vec::new();
    let lint = |text: &str| {
        Lint::error(
            UNTRANSLATED_TEXT,
            format!("\"{}\" is as the default locale ({default}) has it", short(text)),
        )
        .with_help(
            "translate it for this locale: its key is missing from this locale's catalogue, \
                 or the text is not looked up at all",
        )
    };
    if let (Some(subject), Some(field)) = (&reference.subject, cx.headers.get("Subject"))
        && email.subject().map(fold).as_ref() == Some(subject)
    {
        found.push(lint(subject).at(cx.header_location(field, Some("not translated".to_owned()))));
    }
    if let (Some(source), Some(text)) = (&cx.text, email.text()) {
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let folded = fold(line);
            if reference.texts.contains(&folded) {
                let lead = line.len() - line.trim_start().len();
                let span = start + lead..start + lead + line.trim().len();
                found.push(lint(&folded).at(source.locate(span, Some("not translated".to_owned()))));
            }
            start += line.len();
        }
    }
    if let (Some((source, _)), Some(markup)) = (&cx.html, &cx.markup) {
        for (text, span) in prose_of(markup) {
            let folded = fold(&mailtest_mime::html::decode_entities(text));
            if reference.texts.contains(&folded) {
                found.push(lint(&folded).at(source.locate(span, Some("not translated".to_owned()))));
            }
        }
    }
    found
}

/// The HTML's visible text and labels, with where each is.
fn prose_of<'m, 'a>(markup: &'m Markup<'a>) -> impl Iterator<Item = (&'a str, std::ops::Range<usize>)> + 'm {
    let runs =
        markup.texts.iter().filter(|run| !run.quoted && !run.hidden).map(|run| (run.text, run.span.clone()));
    let labels = markup
        .attrs
        .iter()
        .filter(|(name, _, _)| is_label(name))
        .map(|(_, value, span)| (*value, span.clone()));
    runs.chain(labels)
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prose: three words or more, two of them lower-case words.
fn is_prose(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let lower = words
        .iter()
        .map(|word| word.trim_matches(|c: char| !c.is_alphabetic()))
        .filter(|word| word.chars().count() >= 2 && word.chars().all(char::is_lowercase))
        .count();
    words.len() >= 3 && lower >= 2
}

fn short(text: &str) -> String {
    if text.chars().count() <= 70 {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(69).collect::<String>())
    }
}
