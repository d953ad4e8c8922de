//! What every rule reads, prepared once per lint run: the email, the
//! configuration, the raw header block, the tokenised HTML and the sources
//! diagnostics quote.

use super::config::LintConfig;
use super::headers::{Field, Headers};
use super::markup::Markup;
use super::openers::Openers;
use super::source::Source;
use crate::email::Email;
use crate::lint::diagnostic::Location;
use mailtest_mime::html::Document;
use mailtest_mime::url::Url;

pub(crate) struct Context<'a> {
    pub(crate) email: &'a Email,
    pub(crate) config: &'a LintConfig,
    pub(crate) headers: Headers,
    /// The raw message, for header and line diagnostics.
    pub(crate) raw: Source<'a>,
    /// The decoded HTML body and its tokens, if the email has one.
    pub(crate) html: Option<(Source<'a>, Document<'a>)>,
    /// What the content and accessibility rules read of the HTML.
    pub(crate) markup: Option<Markup<'a>>,
    /// The decoded text body, if the email has one.
    pub(crate) text: Option<Source<'a>>,
    /// The text body's URLs with their offsets, found (and parsed) once
    /// for the rules that read them.
    pub(crate) text_urls: Vec<(usize, &'a str, Url<'a>)>,
    /// Where template syntax may open in the HTML and in the text body,
    /// found once for the texts, attributes and URLs of each.
    pub(crate) html_openers: Openers,
    pub(crate) text_openers: Openers,
}

impl<'a> Context<'a> {
    pub(crate) fn new(email: &'a Email, config: &'a LintConfig) -> Context<'a> {
        let raw = email.raw();
        let (html, markup) = match email.html().map(Markup::parse) {
            Some((doc, markup)) => {
                let html = email.html().unwrap_or_default();
                (Some((Source::new("text/html", html.as_bytes()), doc)), Some(markup))
            }
            None => (None, None),
        };
        Context {
            email,
            config,
            headers: Headers::scan(raw),
            raw: Source::new("message", raw),
            markup,
            html,
            text: email.text().map(|text| Source::new("text/plain", text.as_bytes())),
            text_urls: email
                .text()
                .map(|text| mailtest_mime::parsed_text_urls(text).collect())
                .unwrap_or_default(),
            html_openers: email.html().map(|html| Openers::find(html.as_bytes())).unwrap_or_default(),
            text_openers: email.text().map(|text| Openers::find(text.as_bytes())).unwrap_or_default(),
        }
    }

    /// Where `needle` is in a header field as written (on a continuation
    /// line, it may be), quoted and marked; the field's value when the
    /// needle is not there as written.
    pub(crate) fn header_part_location(
        &self,
        field: &Field,
        needle: &str,
        label: Option<String>,
    ) -> Location {
        let written = self.raw.bytes().get(field.value_start..field.end).unwrap_or_default();
        match memchr::memmem::find(written, needle.as_bytes()) {
            Some(at) if !needle.is_empty() => {
                let start = field.value_start + at;
                self.raw.locate_in("headers", start..start + needle.len(), label)
            }
            _ => self.header_location(field, label),
        }
    }

    /// The line of a header field in the raw message, quoted, with its
    /// value marked.
    pub(crate) fn header_location(&self, field: &Field, label: Option<String>) -> Location {
        let bytes = self.raw.bytes();
        let start = (field.value_start..field.span.end)
            .find(|&at| !matches!(bytes.get(at), Some(b' ' | b'\t')))
            .unwrap_or(field.span.end);
        let marked = if start < field.span.end { start..field.span.end } else { field.span.clone() };
        self.raw.locate_in("headers", marked, label)
    }
}
