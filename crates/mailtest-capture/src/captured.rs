//! One message on its way into a store, apart from the store: what the
//! attempt log keeps of a send and what a store takes are the same message,
//! and the store's trait names the attempt (readers depend on the store's
//! parts, never the reverse).

use std::sync::Arc;

/// One message on its way into a store: the SMTP envelope and the bytes as
/// they would have gone over the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Captured {
    /// The envelope sender (`MAIL FROM`), if any.
    pub envelope_from: Option<String>,
    /// The envelope recipients (`RCPT TO`), Bcc included.
    pub envelope_to: Vec<String>,
    /// The message, byte for byte.
    pub raw: Vec<u8>,
    /// The name of the mailer that sent it, when a named mailer did.
    pub sent_using: Option<Arc<str>>,
}

impl Captured {
    /// A message with its envelope, sent by no named mailer.
    ///
    /// ```
    /// let mail = mailtest_capture::Captured::new(Some("app@example.com".into()), vec!["ann@example.com".into()], b"Subject: Hi\r\n\r\nHello".to_vec());
    /// assert_eq!(mail.envelope_to, ["ann@example.com"]);
    /// assert!(mail.sent_using.is_none());
    /// ```
    pub fn new(envelope_from: Option<String>, envelope_to: Vec<String>, raw: Vec<u8>) -> Captured {
        Captured { envelope_from, envelope_to, raw, sent_using: None }
    }

    /// The same message, as sent by the mailer called `name`.
    ///
    /// ```
    /// let mail = mailtest_capture::Captured::new(None, vec![], Vec::new()).sent_using(Some("bulk".into()));
    /// assert_eq!(mail.sent_using.as_deref(), Some("bulk"));
    /// ```
    pub fn sent_using(mut self, name: Option<Arc<str>>) -> Captured {
        self.sent_using = name;
        self
    }
}
