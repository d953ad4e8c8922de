//! Criteria: one test each, with the words a failure report needs. Shared by
//! [`Query`](crate::Query) (which keeps the emails that pass) and
//! [`EmailAssert`](crate::EmailAssert) (which fails on one email).

mod list;

pub(crate) use list::{criteria_list, criteria_methods, criterion_methods};

use crate::email::Email;
use crate::pattern::Pattern;
use mailtest_mime::Attachment;
use mailtest_mime::Mailbox;

type Test = Box<dyn Fn(&Email) -> bool + Send + Sync>;
type Describe<T> = Box<dyn Fn(&Email) -> T + Send + Sync>;

/// One condition on an email.
pub(crate) struct Criterion {
    /// How reports name it: `to=ann@example.com`, `text_contains("reset")`.
    pub(crate) label: String,
    test: Test,
    /// What the email had instead, on one line; computed only for reports.
    actual: Describe<String>,
    /// More than one line can say, for the closest candidate in a report.
    evidence: Option<Describe<Option<Evidence>>>,
    /// What joins the label and `actual` in a report: "but was" unless set.
    pub(crate) connector: &'static str,
    /// A likely cause of the miss, for a report: "… is a Bcc recipient".
    hint: Option<Describe<Option<String>>>,
    /// The hint of the negation, when it misses: which fields it read.
    negated_hint: Option<Describe<Option<String>>>,
    /// Where it was met, for a report that lists the emails that matched
    /// (`assert_not_sent!`): "… is in Bcc".
    met_note: Option<Describe<Option<String>>>,
    /// The recipient address it asks for, if it asks for one: a report lists
    /// the sends to it that were refused (see [`recipients_named`]).
    recipient: Option<String>,
}

/// Detail for the closest candidate of a failure report.
pub(crate) enum Evidence {
    /// An equality that failed on long values: shown as a diff.
    Diff { expected: String, actual: String },
    /// A search that failed: the text that was searched.
    Searched { what: &'static str, text: String },
}

impl Criterion {
    pub(crate) fn new(
        label: String,
        test: impl Fn(&Email) -> bool + Send + Sync + 'static,
        actual: impl Fn(&Email) -> String + Send + Sync + 'static,
    ) -> Criterion {
        Criterion {
            label,
            test: Box::new(test),
            actual: Box::new(actual),
            evidence: None,
            connector: "but was",
            hint: None,
            negated_hint: None,
            met_note: None,
            recipient: None,
        }
    }

    fn with_connector(mut self, connector: &'static str) -> Self {
        self.connector = connector;
        self
    }

    fn with_evidence(
        mut self,
        evidence: impl Fn(&Email) -> Option<Evidence> + Send + Sync + 'static,
    ) -> Self {
        self.evidence = Some(Box::new(evidence));
        self
    }

    fn with_hint(mut self, hint: impl Fn(&Email) -> Option<String> + Send + Sync + 'static) -> Self {
        self.hint = Some(Box::new(hint));
        self
    }

    /// The note under the criterion where it is met.
    fn with_met_note(mut self, note: impl Fn(&Email) -> Option<String> + Send + Sync + 'static) -> Self {
        self.met_note = Some(Box::new(note));
        self
    }

    /// The hint [`negate`](Self::negate)'s criterion gives when it misses.
    fn with_negated_hint(mut self, hint: impl Fn(&Email) -> Option<String> + Send + Sync + 'static) -> Self {
        self.negated_hint = Some(Box::new(hint));
        self
    }

    /// Marks the criterion as asking for the recipient `address`.
    fn naming_recipient(mut self, address: &str) -> Self {
        self.recipient = Some(address.to_owned());
        self
    }

    /// What a report says under a met criterion: where it was met.
    pub(crate) fn met_note(&self, email: &Email) -> Option<String> {
        self.met_note.as_ref().and_then(|note| note(email))
    }

    pub(crate) fn test(&self, email: &Email) -> bool {
        (self.test)(email)
    }

    pub(crate) fn actual(&self, email: &Email) -> String {
        (self.actual)(email)
    }

    pub(crate) fn evidence(&self, email: &Email) -> Option<Evidence> {
        self.evidence.as_ref().and_then(|evidence| evidence(email))
    }

    /// Why the email probably missed, when something can tell.
    pub(crate) fn hint(&self, email: &Email) -> Option<String> {
        self.hint.as_ref().and_then(|hint| hint(email))
    }

    /// The opposite criterion: `not to=ann@example.com`. Evidence and hints
    /// explain a miss of the original, so they do not carry over; the
    /// negated hint (which fields it read) becomes the hint.
    pub(crate) fn negate(self) -> Criterion {
        let Criterion {
            label,
            test,
            actual,
            evidence: _,
            connector,
            hint: _,
            negated_hint,
            met_note: _,
            recipient,
        } = self;
        Criterion {
            label: format!("not {label}"),
            test: Box::new(move |email| !test(email)),
            actual,
            evidence: None,
            connector,
            hint: negated_hint,
            negated_hint: None,
            met_note: None,
            // A query that names an address, even to rule it out, owns the sends to it.
            recipient,
        }
    }
}

/// An address field of an email.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    From,
    To,
    Cc,
    Bcc,
    ReplyTo,
}

impl Field {
    const ALL: [Field; 5] = [Field::To, Field::Cc, Field::Bcc, Field::From, Field::ReplyTo];

    fn name(self) -> &'static str {
        match self {
            Field::From => "from",
            Field::To => "to",
            Field::Cc => "cc",
            Field::Bcc => "bcc",
            Field::ReplyTo => "reply_to",
        }
    }

    /// The field as a reader names it: `To`, `Reply-To`.
    fn header(self) -> &'static str {
        match self {
            Field::From => "From",
            Field::To => "To",
            Field::Cc => "Cc",
            Field::Bcc => "Bcc",
            Field::ReplyTo => "Reply-To",
        }
    }

    /// What a mailbox in this field is, for a hint.
    fn role(self) -> &'static str {
        match self {
            Field::From => "the sender (From)",
            Field::To => "a To recipient",
            Field::Cc => "a Cc recipient",
            Field::Bcc => "a Bcc recipient",
            Field::ReplyTo => "the Reply-To address",
        }
    }

    fn of(self, email: &Email) -> &[Mailbox] {
        match self {
            Field::From => email.from(),
            Field::To => email.to(),
            Field::Cc => email.cc(),
            Field::Bcc => email.bcc(),
            Field::ReplyTo => email.reply_to(),
        }
    }
}

/// `field` holds `address` (`ann@example.com` or `Ann <ann@example.com>`).
pub(crate) fn address(field: Field, address: &str) -> Criterion {
    let label = format!("{}={}", field.name(), address.trim());
    let wanted = Mailbox::parse(address);
    let explained = wanted.clone();
    let recipient = matches!(field, Field::To | Field::Cc | Field::Bcc).then(|| explained.address.clone());
    let criterion = Criterion::new(
        label,
        move |email| field.of(email).iter().any(|mailbox| mailbox.matches_parsed(&wanted)),
        move |email| mailbox_list(field.of(email)),
    )
    .with_hint(move |email| address_hint(field, &explained, email));
    match recipient {
        Some(address) => criterion
            .with_negated_hint(move |_| {
                let read = match field {
                    Field::Bcc => "blind copies (Bcc)".to_owned(),
                    other => format!("{} header", other.header()),
                };
                Some(format!(
                    "`not_{}` reads the {read} only; `not_recipient` reads To, Cc, Bcc and the envelope",
                    field.name()
                ))
            })
            .naming_recipient(&address),
        None => criterion,
    }
}

/// `address` is a recipient in any field: To, Cc, Bcc or the envelope.
pub(crate) fn recipient(address: &str) -> Criterion {
    let label = format!("recipient={}", address.trim());
    let wanted = Mailbox::parse(address);
    let (explained, named) = (wanted.clone(), wanted.address.clone());
    Criterion::new(label, move |email| recipient_fields(email, &wanted).next().is_some(), all_recipients)
        .with_hint(move |email| {
            let elsewhere = [Field::From, Field::ReplyTo]
                .into_iter()
                .find(|field| field.of(email).iter().any(|mailbox| mailbox.matches_parsed(&explained)))?;
            Some(format!("{} is {}, not a recipient", explained.address, elsewhere.role()))
        })
        .with_negated_hint(found_in(address))
        .with_met_note(found_in(address))
        .naming_recipient(&named)
}

/// Which recipient fields hold `address`, and which the criterion reads.
fn found_in(address: &str) -> impl Fn(&Email) -> Option<String> + Send + Sync + 'static {
    let wanted = Mailbox::parse(address);
    move |email| {
        let found: Vec<&str> = recipient_fields(email, &wanted).collect();
        (!found.is_empty()).then(|| {
            format!(
                "{} is in {}; `recipient` reads To, Cc, Bcc and the envelope",
                wanted.address,
                found.join(" and ")
            )
        })
    }
}

/// The recipient fields of `email` that hold `wanted`: `To`, `Cc`, `Bcc`,
/// `the envelope`. The envelope has no display names, so a wanted name
/// is checked in the header fields only.
fn recipient_fields<'a>(email: &'a Email, wanted: &'a Mailbox) -> impl Iterator<Item = &'static str> + 'a {
    let headers = [Field::To, Field::Cc, Field::Bcc]
        .into_iter()
        .filter(|field| field.of(email).iter().any(|mailbox| mailbox.matches_parsed(wanted)))
        .map(Field::header);
    let envelope = (wanted.name.is_none()
        && email.envelope_to().iter().any(|address| mailtest_mime::same_address(address, &wanted.address)))
    .then_some("the envelope");
    headers.chain(envelope)
}

/// Every recipient field, as reports show them.
fn all_recipients(email: &Email) -> String {
    let envelope =
        if email.envelope_to().is_empty() { "(none)".to_owned() } else { email.envelope_to().join(", ") };
    format!(
        "To {}; Cc {}; Bcc {}; envelope {envelope}",
        mailbox_list(email.to()),
        mailbox_list(email.cc()),
        mailbox_list(email.bcc())
    )
}

/// The recipient addresses that `criteria` ask for: the sends to them that
/// were refused belong to the test that asks, wherever they were made.
pub(crate) fn recipients_named(criteria: &[Criterion]) -> Vec<&str> {
    criteria.iter().filter_map(|criterion| criterion.recipient.as_deref()).collect()
}

/// Why `wanted` is not in `field`, when the email says: the address is
/// there under another name, differs only in the case of its local part
/// (which compares exactly), or is in another field.
fn address_hint(field: Field, wanted: &Mailbox, email: &Email) -> Option<String> {
    let here = field.of(email);
    if let (Some(name), Some(found)) =
        (&wanted.name, here.iter().find(|mailbox| mailbox.same_address(&wanted.address)))
    {
        let named = found.name.as_deref().map_or_else(|| "no name".to_owned(), |n| format!("the name {n:?}"));
        return Some(format!("{} is there with {named}, not {name:?}", found.address));
    }
    if let Some(found) = here.iter().find(|mailbox| same_address_but_case(&mailbox.address, &wanted.address))
    {
        return Some(format!(
            "{} differs from {} only in the case of its local part, which compares exactly",
            found.address, wanted.address
        ));
    }
    let elsewhere = Field::ALL
        .into_iter()
        .filter(|&other| other != field)
        .find(|other| other.of(email).iter().any(|mailbox| mailbox.matches_parsed(wanted)))?;
    Some(format!("{} is {}: use `.{}(..)`", wanted.address, elsewhere.role(), elsewhere.name()))
}

/// The same address but for the case of the local part.
fn same_address_but_case(a: &str, b: &str) -> bool {
    match (a.rsplit_once('@'), b.rsplit_once('@')) {
        (Some((local_a, domain_a)), Some((local_b, domain_b))) => {
            local_a != local_b
                && local_a.eq_ignore_ascii_case(local_b)
                && domain_a.eq_ignore_ascii_case(domain_b)
        }
        _ => false,
    }
}

/// The subject equals a literal or matches a regex.
pub(crate) fn subject(pattern: Pattern) -> Criterion {
    let label = format!("subject={pattern}");
    let expected = literal(&pattern);
    Criterion::new(
        label,
        move |email| email.subject().is_some_and(|subject| pattern.is_match_exact(subject)),
        |email| quoted(email.subject()),
    )
    .with_evidence(move |email| {
        Some(Evidence::Diff { expected: expected.clone()?, actual: email.subject()?.to_owned() })
    })
}

/// The subject contains a literal or matches a regex.
pub(crate) fn subject_contains(pattern: Pattern) -> Criterion {
    Criterion::new(
        format!("subject_contains({pattern})"),
        move |email| email.subject().is_some_and(|subject| pattern.is_found_in(subject)),
        |email| quoted(email.subject()),
    )
}

/// Which body a text search looks in.
#[derive(Clone, Copy)]
pub(crate) enum Body {
    Text,
    Html,
    Either,
}

impl Body {
    fn name(self) -> &'static str {
        match self {
            Body::Text => "text",
            Body::Html => "html",
            Body::Either => "body",
        }
    }

    /// How a report names the text it shows: HTML as markup when the
    /// pattern was markup, else as decoded text.
    fn described(self, markup: bool) -> &'static str {
        match (self, markup) {
            (Body::Text, _) => "text",
            (Body::Html, true) => "html",
            (Body::Html, false) => "html (as text)",
            (Body::Either, _) => "body",
        }
    }

    /// Whether the body holds the pattern. HTML is searched as markup and
    /// as decoded text, so `O'Connor & friends` finds `O&#039;Connor &amp; friends`.
    fn holds(self, email: &Email, pattern: &Pattern) -> bool {
        let in_text = || email.text().is_some_and(|text| pattern.is_found_in(text));
        let in_html = || {
            email.html().is_some_and(|html| pattern.is_found_in(html))
                || email.html_text().is_some_and(|text| pattern.is_found_in(text))
        };
        match self {
            Body::Text => in_text(),
            Body::Html => in_html(),
            Body::Either => in_text() || in_html(),
        }
    }

    /// The searched text as reports show it: HTML as its markup when the
    /// pattern was markup (a tag, an entity), else as decoded text.
    fn shown(self, email: &Email, markup: bool) -> Option<String> {
        let html = || if markup { email.html() } else { email.html_text() };
        let html_heading = if markup { "--- html ---" } else { "--- html, as text ---" };
        match self {
            Body::Text => email.text().map(str::to_owned),
            Body::Html => html().map(str::to_owned),
            Body::Either => match (email.text(), html()) {
                (Some(text), Some(html)) => Some(format!("{text}\n{html_heading}\n{html}")),
                (text, html) => text.or(html).map(str::to_owned),
            },
        }
    }
}

/// Whether a pattern is written as HTML markup: a tag (`<b>`, `</p>`,
/// `<!--`) or a character reference (`&amp;`, `&#39;`). A report then
/// shows the markup it searched, not only the text a reader sees.
fn is_markup(source: &str) -> bool {
    let tag = source.match_indices('<').any(|(at, _)| {
        source[at + 1..]
            .chars()
            .next()
            .is_some_and(|next| next.is_ascii_alphabetic() || next == '/' || next == '!')
    });
    let reference = source.match_indices('&').any(|(at, _)| {
        let rest = &source[at + 1..];
        let name_len = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '#').count();
        name_len > 0 && rest[name_len..].starts_with(';')
    });
    tag || reference
}

/// A body contains a literal or matches a regex.
pub(crate) fn body_contains(body: Body, pattern: Pattern) -> Criterion {
    let label = format!("{}_contains({pattern})", body.name());
    let markup = !matches!(body, Body::Text) && is_markup(pattern.source());
    Criterion::new(
        label,
        move |email| body.holds(email, &pattern),
        move |email| match body.shown(email, markup) {
            Some(text) => format!("the {} was {}", body.described(markup), excerpt(&text)),
            None => format!("there is no {} part", body.name()),
        },
    )
    .with_connector("but")
    .with_evidence(move |email| {
        Some(Evidence::Searched { what: body.described(markup), text: body.shown(email, markup)? })
    })
}

/// The fragments appear in the body in this order, each after the last.
pub(crate) fn in_order(body: Body, fragments: impl IntoIterator<Item = impl AsRef<str>>) -> Criterion {
    let fragments: Vec<String> = fragments.into_iter().map(|f| f.as_ref().to_owned()).collect();
    let label = format!("{}_in_order({fragments:?})", body.name());
    let missing = fragments.clone();
    Criterion::new(
        label,
        move |email| {
            body.shown(email, false).is_some_and(|text| first_out_of_order(&text, &fragments).is_none())
        },
        move |email| match body.shown(email, false) {
            None => format!("no {} part", body.name()),
            Some(text) => match first_out_of_order(&text, &missing) {
                Some(0) => format!("{:?} is not there", missing[0]),
                Some(i) if text.contains(missing[i].as_str()) => {
                    format!("{:?} does not come after {:?}", missing[i], missing[i - 1])
                }
                Some(i) => format!("{:?} is not there", missing[i]),
                None => "they are in order".to_owned(),
            },
        },
    )
    .with_connector("but")
    .with_evidence(move |email| {
        Some(Evidence::Searched { what: body.described(false), text: body.shown(email, false)? })
    })
}

/// The index of the first fragment not found after the one before it.
fn first_out_of_order(text: &str, fragments: &[String]) -> Option<usize> {
    let mut from = 0;
    for (i, fragment) in fragments.iter().enumerate() {
        match text[from..].find(fragment.as_str()) {
            Some(at) => from += at + fragment.len(),
            None => return Some(i),
        }
    }
    None
}

/// A header called `name` has a value equal to a literal or matching a regex.
pub(crate) fn header(name: &str, pattern: Pattern) -> Criterion {
    let label = format!("header({name:?}, {pattern})");
    let name = name.to_owned();
    let shown = name.clone();
    Criterion::new(
        label,
        move |email| email.header_values(&name).any(|value| pattern.is_match_exact(value)),
        move |email| header_values(email, &shown),
    )
}

/// A header called `name` is present.
pub(crate) fn has_header(name: &str) -> Criterion {
    let label = format!("has_header({name:?})");
    let name = name.to_owned();
    let shown = name.clone();
    Criterion::new(
        label,
        move |email| email.header(&name).is_some(),
        move |email| header_values(email, &shown),
    )
}

/// An attachment's file name, or its Content-ID (lettre's inline parts
/// have no file name), equals a literal or matches a regex.
pub(crate) fn has_attachment(pattern: Pattern) -> Criterion {
    Criterion::new(
        format!("has_attachment({pattern})"),
        move |email| email.attachments().iter().any(|a| attachment_is(a, &pattern)),
        attachment_names,
    )
}

/// Whether `attachment` is the one `pattern` names: by file name, else by
/// Content-ID (written with or without angle brackets).
pub(crate) fn attachment_is(attachment: &Attachment, pattern: &Pattern) -> bool {
    attachment.filename().is_some_and(|name| pattern.is_match_exact(name))
        || attachment.content_id().is_some_and(|id| content_id_is(id, pattern))
}

fn content_id_is(id: &str, pattern: &Pattern) -> bool {
    match pattern.literal() {
        Some(literal) => strip_angles(literal) == id,
        None => pattern.is_match_exact(id),
    }
}

/// A Content-ID as written (`<logo>`, ` logo `) as stored (`logo`).
pub(crate) fn strip_angles(id: &str) -> &str {
    let id = id.trim();
    id.strip_prefix('<').and_then(|id| id.strip_suffix('>')).unwrap_or(id)
}

/// An inline part has the Content-ID `pattern` (`logo` or `<logo>`).
pub(crate) fn has_inline(pattern: Pattern) -> Criterion {
    Criterion::new(
        format!("has_inline({pattern})"),
        move |email| {
            email
                .attachments()
                .iter()
                .any(|a| a.is_inline() && a.content_id().is_some_and(|id| content_id_is(id, &pattern)))
        },
        |email| {
            let inline: Vec<String> = email
                .attachments()
                .iter()
                .filter(|a| a.is_inline())
                .map(|a| a.content_id().map_or_else(|| "(no Content-ID)".to_owned(), |id| format!("<{id}>")))
                .collect();
            if inline.is_empty() {
                "no inline parts".to_owned()
            } else {
                format!("inline: {}", inline.join(", "))
            }
        },
    )
}

/// Exactly `n` attachments.
pub(crate) fn attachment_count(n: usize) -> Criterion {
    Criterion::new(
        format!("attachment_count({n})"),
        move |email| email.attachments().len() == n,
        |email| format!("{} ({})", email.attachments().len(), attachment_names(email)),
    )
}

/// A link contains a literal or matches a regex.
pub(crate) fn has_link(pattern: Pattern) -> Criterion {
    Criterion::new(
        format!("has_link({pattern})"),
        move |email| email.links().iter().any(|link| pattern.is_found_in(link)),
        |email| {
            if email.links().is_empty() {
                "there are no links".to_owned()
            } else {
                format!("the links are {}", email.links().join(", "))
            }
        },
    )
    .with_connector("but")
}

/// A closure of the user's.
pub(crate) fn matching(test: impl Fn(&Email) -> bool + Send + Sync + 'static) -> Criterion {
    Criterion::new("matching(closure)".to_owned(), test, |_| "false".to_owned())
}

/// A mailbox list as reports show it.
pub(crate) fn mailbox_list(mailboxes: &[Mailbox]) -> String {
    if mailboxes.is_empty() {
        "(none)".to_owned()
    } else {
        mailboxes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    }
}

/// An optional text value as reports show it.
pub(crate) fn quoted(value: Option<&str>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |value| format!("{value:?}"))
}

fn literal(pattern: &Pattern) -> Option<String> {
    pattern.literal().map(str::to_owned)
}

fn header_values(email: &Email, name: &str) -> String {
    let values: Vec<String> = email.header_values(name).map(|v| format!("{v:?}")).collect();
    if values.is_empty() { format!("no {name} header") } else { values.join(", ") }
}

fn attachment_names(email: &Email) -> String {
    if email.attachments().is_empty() {
        return "no attachments".to_owned();
    }
    let names: Vec<String> = email
        .attachments()
        .iter()
        .map(|a| match (a.filename(), a.content_id()) {
            (Some(name), _) => format!("{name:?}"),
            (None, Some(id)) => format!("<{id}>"),
            (None, None) => "(unnamed)".to_owned(),
        })
        .collect();
    names.join(", ")
}

/// The start of a text on one line, for the one-line "but was".
fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX {
        format!("{flat:?}")
    } else {
        let cut: String = flat.chars().take(MAX).collect();
        format!("{cut:?}…")
    }
}

#[cfg(test)]
mod tests {
    use super::is_markup;

    #[test]
    fn markup_is_a_tag_or_a_character_reference() {
        for markup in ["<b>", "</p>", "<!-- x -->", "O&#039;Connor", "&amp;", "a <a href=x>"] {
            assert!(is_markup(markup), "{markup}");
        }
        for text in ["Tom & Jerry", "a < b", "1 <2", "&;", "R&D"] {
            assert!(!is_markup(text), "{text}");
        }
    }
}
