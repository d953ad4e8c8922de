//! Query parameters of the JSON API as `Query` criteria, with the meaning
//! they have in Rust: `to=ann@example.com` is `.to("ann@example.com")`.

use mailtest::{Outbox, Query};

/// The criteria the API takes, in the order the usage lists them; `q` is a
/// search (see `search.rs`).
pub(crate) const FILTERS: [&str; 8] =
    ["to", "recipient", "from", "subject", "subject_contains", "text_contains", "html_contains", "q"];

/// A query over `outbox` with every filter in `params`; other parameters
/// must be in `also` (they are the caller's), else this says which are
/// unknown.
pub(crate) fn query(outbox: &Outbox, params: &[(String, String)], also: &[&str]) -> Result<Query, String> {
    let mut query = outbox.find();
    for (name, value) in params {
        query = match name.as_str() {
            "to" => query.to(value),
            "recipient" => query.recipient(value),
            "from" => query.from(value),
            "subject" => query.subject(value.as_str()),
            "subject_contains" => query.subject_contains(value.as_str()),
            "text_contains" => query.text_contains(value.as_str()),
            "html_contains" => query.html_contains(value.as_str()),
            "q" => super::search::apply(query, value)?,
            other if also.contains(&other) => query,
            other => {
                let known: Vec<&str> = FILTERS.iter().chain(also).copied().collect();
                return Err(format!("unknown parameter {other:?}; known: {}", known.join(", ")));
            }
        };
    }
    Ok(query)
}

/// The parameter called `name`, if given (the last one wins).
pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_reads_every_recipient_field_and_to_only_the_to_header() {
        let outbox = Outbox::new();
        outbox.capture_raw(None, &["ann@example.com", "audit@example.com"], b"To: ann@example.com\r\n\r\nHi");
        let matches = |name: &str, value: &str| {
            query(&outbox, &[(name.to_owned(), value.to_owned())], &[]).unwrap().all().len()
        };
        assert_eq!(matches("recipient", "audit@example.com"), 1);
        assert_eq!(matches("to", "audit@example.com"), 0);
        assert_eq!(
            query(&outbox, &[("bcc".into(), "x".into())], &[]).err().unwrap(),
            "unknown parameter \"bcc\"; known: to, recipient, from, subject, subject_contains, text_contains, html_contains, q"
        );
    }
}
