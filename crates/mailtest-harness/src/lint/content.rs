//! Content: what a template or a translation left undone —
//! `unrendered-placeholder`, `raw-translation-key` — and `empty-subject`.
//!
//! Read where a reader reads: the subject, the text part, the HTML's
//! visible text and the attributes a reader sees or follows (`href`,
//! `alt`, `title`, …). Template code *shown* as code is no mistake: text in
//! `<pre>`, `<code>` and the like, CSS, scripts (JSON-LD included),
//! comments, Outlook's conditional comments and quoted lines (`> …`) of the
//! text part are left alone.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::codes::{EMPTY_SUBJECT, RAW_TRANSLATION_KEY, UNRENDERED_PLACEHOLDER};
use super::context::Context;
use super::diagnostic::{Lint, Location};
use super::openers::{self, Openers, may_open};
use super::source::Source;

/// Each template syntax, and how a message names it. One alternation, so
/// that a text is scanned once; the group that matched names the syntax.
const SYNTAXES: [(&str, &str); 11] = [
    (
        r"\{\{\{?-?\s*[#/^>!&~]?\s*[A-Za-z_@$.][^{}\n]{0,80}?\}\}\}?",
        "`{{ … }}` (Jinja, Tera, MiniJinja, Askama, Handlebars, Liquid, Mustache)",
    ),
    (r"\{%-?\s*[A-Za-z_][^%\n]{0,80}?-?%\}", "`{% … %}` (Jinja, Tera, MiniJinja, Askama, Liquid)"),
    (r"\{#-?\s[^#\n]{0,80}?#\}", "`{# … #}` (a Jinja or Tera comment)"),
    (r"<%[=\-#]?\s[^%\n]{0,80}?%>", "`<%= … %>` (ERB, EJS)"),
    (r"%\{[A-Za-z_][A-Za-z0-9_.]*\}", "`%{…}` (Ruby i18n, format strings)"),
    (r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]", "`%(…)s` (Python %-formatting, gettext)"),
    (r"\$\{[A-Za-z_][A-Za-z0-9_.]*\}", "`${…}` (JavaScript template literals, Java EL, shell)"),
    (r"\{\s*\$[A-Za-z_][A-Za-z0-9_-]*\s*\}", "`{ $… }` (Fluent)"),
    (r"\{[0-9]{1,2}(?:,\s*[a-z]+[^{}\n]{0,30})?\}", "`{0}` (positional format strings, ICU MessageFormat)"),
    (r"\*\|[A-Z0-9_:]+\|\*", "`*|…|*` (Mailchimp merge tags)"),
    (r"(?i)%7B%7B[^%\s]{0,80}%7D%7D", "`{{ … }}`, percent-encoded in a URL"),
];

/// The syntaxes as one alternation, anchored: it is tried only where
/// [`openers::starts`] says a placeholder may start, on a window of the text
/// after it, so that the pattern never walks a whole part.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    let alternation: Vec<String> = SYNTAXES.iter().map(|(pattern, _)| format!("({pattern})")).collect();
    Regex::new(&format!("^(?:{})", alternation.join("|"))).expect("the placeholder syntaxes compile")
});

/// How far after its start a placeholder is looked for: more than the
/// longest one the syntaxes allow but for runs of white space no template
/// writes.
const WINDOW: usize = 400;

/// `emails.welcome.subject`, `mail.reset_password`: dotted lowercase words.
static KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$").expect("the key pattern compiles")
});

/// What frameworks print for a key they have no text for.
static MISSING_TRANSLATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)translation missing: [a-z]{2}[\w.-]*|\[missing "[^"\n]{1,80}" translation\]"#)
        .expect("the missing-translation pattern compiles")
});

/// Last segments that make a dotted word a host name or a file, not a key.
const NOT_KEYS: [&str; 44] = [
    "com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "nl", "eu", "info", "biz", "me", "us",
    "ca", "au", "jp", "ru", "ch", "it", "es", "se", "no", "dk", "fi", "pl", "be", "at", "app", "dev", "html",
    "htm", "php", "png", "jpg", "gif", "pdf", "txt", "csv", "zip", "gz", "json",
];

/// The group of the positional form `{0}`, which a regular expression's
/// quantifier (`[a-f0-9]{12}`) looks like.
const POSITIONAL: usize = 9;

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    subject(cx, out);
    if let (Some(source), Some(text)) = (&cx.text, cx.email.text()) {
        // A patch quotes code: its added and removed lines are not output.
        let patch = text.contains("\n@@ ") || text.contains("diff --git ");
        let missing = says_translation(text);
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let quoted = line.trim_start().starts_with('>') || (patch && line.starts_with(['+', '-']));
            if !quoted {
                scan(source, line, start, &cx.text_openers, missing, out);
            }
            start += line.len();
        }
    }
    if let (Some((source, _)), Some(markup)) = (&cx.html, &cx.markup) {
        let missing = says_translation(cx.email.html().unwrap_or_default());
        for run in markup.texts.iter().filter(|run| !run.quoted) {
            scan(source, run.text, run.span.start, &cx.html_openers, missing, out);
        }
        for (name, value, span) in &markup.attrs {
            let before = out.len();
            find_placeholders(source, value, span.start, &cx.html_openers, out);
            if out.len() == before && name.eq_ignore_ascii_case("alt") {
                find_key(source, value, span.start, missing, out);
            }
        }
    }
}

fn subject(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let field = cx.headers.get("Subject");
    let Some(subject) = cx.email.subject().filter(|subject| !subject.trim().is_empty()) else {
        let (message, location) = match field {
            Some(field) if field.value.is_empty() => {
                ("the Subject header is empty", cx.header_location(field, Some("empty".to_owned())))
            }
            // Written, yet a reader gets nothing: an encoded word that
            // decodes to nothing, or a broken line above that ended the
            // header section before it (a continuation line without its
            // leading white space).
            Some(field) => (
                "the Subject header reads as empty",
                cx.header_location(field, Some("not read as the subject".to_owned())),
            ),
            None => ("the email has no Subject header", Location::in_part("headers")),
        };
        let mut lint = Lint::error(EMPTY_SUBJECT, message).at(location);
        if field.is_some_and(|field| !field.value.is_empty()) {
            lint = lint.with_note(
                "its value decodes to nothing, or a malformed line above it ended the header section",
            );
        }
        out.push(
            lint.with_note("clients show it as \"(no subject)\": readers skip it, and spam filters score it")
                .with_help("give every email a subject that says what it is about (lettre: `.subject(..)`)"),
        );
        return;
    };
    let Some(field) = field else { return };
    for found in placeholders(subject, may_open(subject.as_bytes())) {
        let (matched, syntax) = (found.matched, found.syntax);
        out.push(placeholder_lint(matched, syntax).at(cx.header_part_location(
            field,
            matched,
            Some("not rendered".to_owned()),
        )));
    }
    if is_key(subject.trim()) {
        out.push(key_lint(subject.trim()).at(cx.header_part_location(
            field,
            subject.trim(),
            Some("a translation key".to_owned()),
        )));
    }
}

/// Whether `text` may hold a missing-translation marker (the pattern is
/// case-insensitive; markers are written lower- or upper-case after the
/// first letter).
fn says_translation(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"ranslation").is_some()
        || memchr::memmem::find(bytes, b"RANSLATION").is_some()
}

/// Whether `text` has template syntax in it (the link rules leave such a
/// URL to this one). `may_open`: whether an opener is in it (see
/// [`Openers`]).
pub(crate) fn has_placeholder(text: &str, may_open: bool) -> bool {
    may_open && placeholders(text, true).next().is_some()
}

/// Placeholders, then (where there is none) a raw key, in a text at `offset`.
/// `missing`: whether the part says "translation" anywhere, so that most
/// parts skip the search for a missing translation's marker.
fn scan(
    source: &Source<'_>,
    text: &str,
    offset: usize,
    openers: &Openers,
    missing: bool,
    out: &mut Vec<Lint>,
) {
    let before = out.len();
    find_placeholders(source, text, offset, openers, out);
    if out.len() == before {
        find_key(source, text, offset, missing, out);
    }
}

/// The placeholders of `text`, at `offset` of a part whose openers are `openers`.
fn find_placeholders(source: &Source<'_>, text: &str, offset: usize, openers: &Openers, out: &mut Vec<Lint>) {
    // Most texts have no opener: not even the (empty) search is set up.
    if !openers.any_in(&(offset..offset + text.len())) {
        return;
    }
    for found in placeholders(text, true) {
        let (matched, syntax) = (found.matched, found.syntax);
        let span = offset + found.start..offset + found.start + matched.len();
        out.push(placeholder_lint(matched, syntax).at(source.locate(span, Some("not rendered".to_owned()))));
    }
}

fn find_key(source: &Source<'_>, text: &str, offset: usize, missing: bool, out: &mut Vec<Lint>) {
    let trimmed = text.trim();
    if is_key(trimmed) {
        let start = offset + (text.len() - text.trim_start().len());
        out.push(
            key_lint(trimmed)
                .at(source.locate(start..start + trimmed.len(), Some("a translation key".to_owned()))),
        );
    } else if let Some(found) = missing.then(|| MISSING_TRANSLATION.find(text)).flatten() {
        out.push(
            Lint::error(RAW_TRANSLATION_KEY, format!("`{}`: a translation was missing", found.as_str()))
                .at(source.locate(
                    offset + found.start()..offset + found.end(),
                    Some("no text for this key".to_owned()),
                ))
                .with_note("the i18n library printed its placeholder for a key it has no text for")
                .with_help("add the key to this locale's translations, or set a fallback locale"),
        );
    }
}

/// One placeholder found in a text.
struct Placeholder<'t> {
    matched: &'t str,
    /// Its offset in the text.
    start: usize,
    /// The syntax it is written in, as a message names it.
    syntax: &'static str,
}

/// Each placeholder in `text`, left to right, none overlapping; a `{0}`
/// right after what a quantifier follows (`]`, `)`, a letter) is code, not a
/// placeholder. `may_open`: whether an opener is in it (see [`Openers`]),
/// so that most text runs no pattern at all.
fn placeholders(text: &str, may_open: bool) -> impl Iterator<Item = Placeholder<'_>> {
    let starts = may_open.then(|| openers::starts(text.as_bytes())).into_iter().flatten();
    let mut resume = 0;
    starts.filter_map(move |start| {
        if start < resume {
            return None;
        }
        let mut end = (start + WINDOW).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let found = PLACEHOLDER.captures(&text[start..end])?;
        let whole = found.get(0)?;
        resume = start + whole.end();
        if let Some(positional) = found.get(POSITIONAL) {
            let before = text[..start + positional.start()].chars().next_back();
            if before.is_some_and(|c| {
                c.is_alphanumeric() || matches!(c, ']' | ')' | '}' | '\\' | '.' | '*' | '+' | '?')
            }) {
                return None;
            }
        }
        let syntax = (1..=SYNTAXES.len())
            .find(|group| found.get(*group).is_some())
            .map_or("", |group| SYNTAXES[group - 1].1);
        Some(Placeholder { matched: &text[start..resume], start, syntax })
    })
}

fn placeholder_lint(matched: &str, syntax: &str) -> Lint {
    Lint::error(
        UNRENDERED_PLACEHOLDER,
        format!("`{matched}` was sent as written: the template was not rendered"),
    )
    .with_note(format!("template syntax {syntax}"))
    .with_help(
        "render the template with a value for it (check the variable's name, and that the text goes \
             through the template engine, not around it)",
    )
}

fn key_lint(key: &str) -> Lint {
    Lint::error(RAW_TRANSLATION_KEY, format!("`{key}` is a translation key, not text"))
        .with_note("the translation lookup returned its key: the key is missing from this locale's catalogue")
        .with_help("add the key to the locale's translations (or fix its spelling), or set a fallback locale")
}

fn is_key(text: &str) -> bool {
    // Most text has white space or no dot: no key, and no regex run. A
    // key is ASCII words and dots, so the first byte of anything else
    // (a space, usually within a word or two) ends the test.
    let key_bytes = text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'));
    if text.len() > 120 || !key_bytes || !text.contains('.') || !KEY.is_match(text) {
        return false;
    }
    let segments: Vec<&str> = text.split('.').collect();
    let last = segments.last().map(|last| last.to_ascii_lowercase()).unwrap_or_default();
    (segments.len() >= 3 || text.contains('_')) && !NOT_KEYS.contains(&last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_test_lets_every_syntax_through() {
        let forms = [
            "{{ name }}",
            "{{{ name }}}",
            "{{#if a}}",
            "{% if a %}",
            "{# note #}",
            "<%= name %>",
            "%{name}",
            "%(name)s",
            "${name}",
            "{ $name }",
            "{$name}",
            "{0}",
            "{1, number}",
            "*|FNAME|*",
            "https://x.example/?u=%7B%7Bid%7D%7D",
            "https://x.example/?u=%7b%7bid%7d%7d",
        ];
        for form in forms {
            assert!(may_open(form.as_bytes()), "{form}");
            let text = format!("Hi {form} there");
            assert!(has_placeholder(&text, may_open(text.as_bytes())), "{form}");
        }
        for text in ["Hi Ann, 100% sure", "a < b and c > d", "5 * 3", "{\"json\": 1}", "$5", "<p>", ""] {
            assert!(!may_open(text.as_bytes()), "{text}");
        }
    }

    fn syntax_of(text: &str) -> Option<&'static str> {
        placeholders(text, may_open(text.as_bytes())).next().map(|found| found.syntax)
    }

    #[test]
    fn each_syntax_is_recognised_and_prose_is_not() {
        let hits = [
            "Hi {{ name }}",
            "Hi {{name}}",
            "{{#each items}}",
            "{{{ body }}}",
            "{% if paid %}",
            "{%- for x in y -%}",
            "{# note #}",
            "Hi <%= user.name %>",
            "Hi %{name}",
            "Hi %(name)s",
            "Hi ${user.name}",
            "Hi { $name }",
            "Order {0} shipped",
            "{1,number,integer} items",
            "Hi *|FNAME|*",
            "https://x.example/%7B%7Btoken%7D%7D",
        ];
        for text in hits {
            assert!(syntax_of(text).is_some(), "{text}");
        }
        let prose =
            ["{ }", "a {b} c", "50% {off}", "100%", "<% not erb", "{{", "}} {{", "1 < 2 > 0", "a * b | c"];
        for text in prose {
            assert!(syntax_of(text).is_none(), "{text}");
        }
    }

    #[test]
    fn keys_are_dotted_words_not_hosts_or_files() {
        for key in ["emails.welcome.subject", "mail.reset_password", "notifications.order.shipped.title"] {
            assert!(is_key(key), "{key}");
        }
        for text in [
            "www.example.com",
            "example.co.uk",
            "report.pdf",
            "v1.2.3",
            "Hello there.",
            "e.g",
            "welcome.title",
        ] {
            assert!(!is_key(text), "{text}");
        }
    }
}
