//! Building the message Django's helpers send: plain text, or
//! `multipart/alternative` with an HTML version.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};

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

    /// The message, from `default_from` when no sender was given.
    pub(super) fn build(&self, default_from: &str) -> Result<Message, Error> {
        let from = if self.from.trim().is_empty() { default_from } else { &self.from };
        let mut builder = Message::builder().from(mailbox(from)?).subject(self.subject.as_str());
        for to in &self.to {
            builder = builder.to(mailbox(to)?);
        }
        let built = match &self.html {
            Some(html) => {
                builder.multipart(MultiPart::alternative_plain_html(self.body.clone(), html.clone()))
            }
            None => builder.header(ContentType::TEXT_PLAIN).body(self.body.clone()),
        };
        built.map_err(|err| Error::InvalidMessage { reason: err.to_string(), source: Some(Cause::new(err)) })
    }
}

fn mailbox(address: &str) -> Result<Mailbox, Error> {
    address.parse().map_err(|err: lettre::address::AddressError| Error::InvalidAddress {
        address: address.to_owned(),
        reason: err.to_string(),
        source: Some(Cause::new(err)),
    })
}
