//! Building the message Django's helpers send: plain text, or
//! `multipart/alternative` with an HTML version — with the headers
//! Django's `EmailMessage.message()` writes (`MIME-Version: 1.0`, the
//! `Date` in local time under `EMAIL_USE_LOCALTIME`) and its refusal of a
//! line break in a header value. (The mailer writes the domains in ASCII,
//! for every message it sends.)

use lettre::Message;
use lettre::message::header::{ContentType, MIME_VERSION_1_0};
use lettre::message::{Mailbox, MultiPart};

use crate::backend::Settings;
use crate::error::{Cause, Error};

/// One message as Django's helpers take it.
#[derive(Debug, Clone)]
pub(super) struct Compose {
    pub(super) subject: String,
    pub(super) body: String,
    pub(super) html: Option<String>,
    /// Empty means the default sender (`DEFAULT_FROM_EMAIL`).
    pub(super) from: String,
    pub(super) to: Vec<String>,
}

impl Compose {
    pub(super) fn new(subject: &str, body: &str, from: &str, to: &[&str]) -> Compose {
        Compose {
            subject: subject.to_owned(),
            body: body.to_owned(),
            html: None,
            from: from.to_owned(),
            to: to.iter().map(|&to| to.to_owned()).collect(),
        }
    }

    /// The message, from `DEFAULT_FROM_EMAIL` when no sender was given.
    pub(super) fn build(&self, settings: &Settings) -> Result<Message, Error> {
        let from = if self.from.trim().is_empty() { &settings.default_from_email } else { &self.from };
        let mut builder =
            Message::builder().from(mailbox("From", from)?).subject(single_line("Subject", &self.subject)?);
        for to in &self.to {
            builder = builder.to(mailbox("To", to)?);
        }
        if settings.use_localtime {
            builder = builder.raw_header(crate::backend::local_date::now());
        }
        let built = match &self.html {
            // lettre writes MIME-Version for a multipart body itself.
            Some(html) => {
                builder.multipart(MultiPart::alternative_plain_html(self.body.clone(), html.clone()))
            }
            None => builder.header(MIME_VERSION_1_0).header(ContentType::TEXT_PLAIN).body(self.body.clone()),
        };
        built.map_err(|err| Error::InvalidMessage { reason: err.to_string(), source: Some(Cause::new(err)) })
    }
}

/// `value`, refused when it has a line break: Django's guard against
/// header injection (lettre would encode the break, and the header would
/// read differently from what the code meant).
fn single_line<'a>(header: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.contains(['\r', '\n']) {
        return Err(Error::BadHeader { name: header.to_owned(), value: value.to_owned() });
    }
    Ok(value)
}

fn mailbox(header: &str, address: &str) -> Result<Mailbox, Error> {
    single_line(header, address)?.parse().map_err(|err: lettre::address::AddressError| {
        Error::InvalidAddress {
            address: address.to_owned(),
            reason: err.to_string(),
            source: Some(Cause::new(err)),
        }
    })
}
