//! The search syntax of the web UI and of `q=` in the JSON API, as
//! [`Query`] criteria, so a search can also be waited on and explained by a
//! near-miss report.
//!
//! ```text
//! from:ann to:+ci7 subject:"order 42" text:refund header:X-Tag=a header:List-Id welcome
//! ```
//!
//! Terms are separated by spaces and must all hold. Each matches without
//! regard to case, as a part of what it searches:
//!
//! | term | searches |
//! |---|---|
//! | `from:TEXT` | the From header, decoded (`Ann Lee <ann@example.com>`) |
//! | `to:TEXT` | every recipient: To, Cc and the envelope (so Bcc), names and addresses |
//! | `subject:TEXT` | the subject |
//! | `text:TEXT` | the text body, or the HTML body's text |
//! | `header:NAME=TEXT` | a header `NAME` (any case) whose decoded value holds `TEXT` |
//! | `header:NAME` | a header `NAME` is present |
//! | `TEXT` alone | the subject, From, the recipients or the body |
//!
//! Double quotes keep spaces and colons in a value (`subject:"order 42"`,
//! `"ratio: 3"`); inside them, `\"` is a quote and `\\` a backslash. A
//! word that starts with something else and a colon (`foo:bar`) is refused
//! as an unknown field: quote it to search for it.

use mailtest::{Email, Pattern, Query, regex};

/// The fields a term may name.
const FIELDS: [&str; 5] = ["from", "to", "subject", "text", "header"];

/// A pattern that finds `value` in any case. The regex engine folds ASCII
/// case only, so a letter with other cases beyond ASCII (`é`, `Ж`) becomes
/// a class of its cases (`[éÉ]`).
fn caseless(value: &str) -> Pattern {
    let mut source = String::from("(?i)");
    for c in value.chars() {
        let (lower, upper): (String, String) = (c.to_lowercase().collect(), c.to_uppercase().collect());
        if c.is_ascii() || (lower == upper) || lower.chars().count() != 1 || upper.chars().count() != 1 {
            source.push_str(&regex_lite::escape(c.encode_utf8(&mut [0; 4])));
        } else {
            source.push_str(&format!("[{lower}{upper}]"));
        }
    }
    regex(&source)
}

/// `query` narrowed by every term of `search`.
pub(crate) fn apply(mut query: Query, search: &str) -> Result<Query, String> {
    for (field, value) in terms(search)? {
        let pattern = caseless(&value);
        query = match field.as_deref() {
            Some("from") => query.header("From", pattern),
            Some("subject") => query.subject_contains(pattern),
            Some("text") => query.body_contains(pattern),
            Some("to") => {
                let value = value.to_lowercase();
                query.matching(move |email| recipients(email).any(|r| r.contains(&value)))
            }
            Some("header") => match value.split_once('=') {
                Some((name, wanted)) => query.header(name.trim(), caseless(wanted)),
                None => query.has_header(value.trim()),
            },
            _ => {
                let value = value.to_lowercase();
                query.matching(move |email| anywhere(email).any(|text| text.to_lowercase().contains(&value)))
            }
        };
    }
    Ok(query)
}

/// Every recipient, each as `name <address>` in lower case.
fn recipients(email: &Email) -> impl Iterator<Item = String> + '_ {
    let listed = email.to().iter().chain(email.cc()).chain(email.bcc());
    listed.map(|m| m.to_string().to_lowercase()).chain(email.envelope_to().iter().map(|to| to.to_lowercase()))
}

/// What a bare word may be found in.
fn anywhere(email: &Email) -> impl Iterator<Item = String> + '_ {
    let texts = [email.subject(), email.header("From"), email.text(), email.html_text()];
    texts.into_iter().flatten().map(str::to_owned).chain(recipients(email))
}

/// `(field, value)` for each term, `field` `None` for a bare word.
fn terms(search: &str) -> Result<Vec<(Option<String>, String)>, String> {
    let mut terms = Vec::new();
    let mut chars = search.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(terms);
        }
        // A field is a name and a colon before any quote.
        let mut token = String::new();
        let mut field = None;
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            chars.next();
            if c == ':' && field.is_none() {
                field = Some(std::mem::take(&mut token).to_ascii_lowercase());
            } else {
                token.push(c);
            }
        }
        let value = token + &value_rest(&mut chars, search)?;
        match field {
            Some(name) if !FIELDS.contains(&name.as_str()) => {
                return Err(format!(
                    "unknown search field {name:?}: use {}, or quote the word (\"{name}:…\")",
                    FIELDS.join(":, ") + ":"
                ));
            }
            Some(name) if value.is_empty() => return Err(format!("{name}: needs a value")),
            field => terms.push((field, value)),
        }
    }
}

/// The rest of a value up to the next space outside quotes, quotes removed.
fn value_rest(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, search: &str) -> Result<String, String> {
    let mut value = String::new();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => match chars.next() {
                Some(escaped) => value.push(escaped),
                None => break,
            },
            c if c.is_whitespace() && !quoted => break,
            c => value.push(c),
        }
    }
    if quoted {
        return Err(format!("the search {search:?} has a quote that is never closed"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(search: &str) -> Vec<(Option<&'static str>, String)> {
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        terms(search).unwrap().into_iter().map(|(f, v)| (f.map(leak), v)).collect()
    }

    #[test]
    fn terms_fields_and_quotes() {
        assert_eq!(
            parsed(
                r#"from:ann  To:+ci7 subject:"order 42" header:X-Tag="a b" "ratio: 3" "say \"hi\"" refund"#
            ),
            [
                (Some("from"), "ann".to_owned()),
                (Some("to"), "+ci7".to_owned()),
                (Some("subject"), "order 42".to_owned()),
                (Some("header"), "X-Tag=a b".to_owned()),
                (None, "ratio: 3".to_owned()),
                (None, "say \"hi\"".to_owned()),
                (None, "refund".to_owned()),
            ]
        );
        assert!(parsed("   ").is_empty());
    }

    #[test]
    fn bad_searches_say_why() {
        assert_eq!(
            terms("http://x").unwrap_err(),
            "unknown search field \"http\": use from:, to:, subject:, text:, header:, or quote the word (\"http:…\")"
        );
        assert_eq!(terms("subject:").unwrap_err(), "subject: needs a value");
        assert_eq!(
            terms("subject:\"open").unwrap_err(),
            "the search \"subject:\\\"open\" has a quote that is never closed"
        );
    }

    #[test]
    fn each_field_searches_what_it_says() {
        let outbox = mailtest::Outbox::new();
        outbox.capture_raw(
            Some("shop@example.com"),
            &["ann+ci7@example.com", "audit@example.com"],
            b"From: Shop <shop@example.com>\r\nTo: Ann <ann+ci7@example.com>\r\nSubject: Your Order 42\r\n\
              X-Tag: a b\r\nContent-Type: text/html\r\n\r\n<p>Your <b>refund</b> is on its way</p>",
        );
        outbox.capture_raw(None, &["bob@example.com"], b"From: bob@example.com\r\nSubject: Hi\r\n\r\nhello");
        outbox.capture_raw(
            None,
            &["zoe@example.com"],
            "From: caf\u{e9}@example.com\r\nSubject: Caf\u{e9} \u{416}ук [1]\r\n\r\nhi".as_bytes(),
        );
        let found = |search: &str| -> Vec<u64> {
            apply(outbox.find(), search).unwrap().all().iter().map(|e| e.sequence()).collect()
        };
        let cases: &[(&str, &[u64])] = &[
            ("from:shop", &[1]),
            ("from:\"shop <\"", &[1]),
            ("to:+CI7", &[1]),
            ("to:audit", &[1]),
            ("subject:\"order 42\"", &[1]),
            ("text:REFUND", &[1]),
            ("header:x-tag=\"A B\"", &[1]),
            ("header:X-Tag", &[1]),
            ("header:X-Tag=c", &[]),
            ("hello", &[2]),
            ("example.com", &[1, 2, 3]),
            ("from:bob subject:hi", &[2]),
            ("from:bob subject:order", &[]),
            ("subject:CAFÉ", &[3]),
            ("subject:\"жУК [1]\"", &[3]),
            ("from:CAFÉ@", &[3]),
            ("subject:[", &[3]),
        ];
        for (search, expected) in cases {
            assert_eq!(found(search), *expected, "{search}");
        }
    }
}
