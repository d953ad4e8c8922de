//! What a batch of sends did: how many messages were sent, and which
//! recipients the server refused while it accepted the message for the
//! others.
//!
//! An SMTP server answers each recipient (`RCPT TO`) on its own. When it
//! refuses some and accepts others, the message is delivered to the accepted
//! ones and counts as sent — as Python's `smtplib`, and so Django, do; only a
//! message whose every recipient is refused is an error. Django then drops
//! the list of refused recipients on the floor; mailtest hands it to the
//! caller: [`Mailer::deliver`](crate::Mailer::deliver) returns a
//! [`Delivery`] with them.

/// The result of [`Mailer::deliver`](crate::Mailer::deliver): messages sent,
/// and the recipients refused along the way.
///
/// ```
/// let mailer = mailtest::Mailer::new(mailtest::DummyBackend);
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .body(String::from("Hi"))
///     .unwrap();
/// let delivery = mailer.bypass_capture().deliver(&[message]).unwrap();
/// assert_eq!(delivery.sent(), 1);
/// assert!(delivery.refused().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    sent: usize,
    refused: Vec<RefusedRecipient>,
}

impl Delivery {
    /// `sent` messages sent, no recipient refused: what a backend that
    /// cannot tell recipients apart reports.
    ///
    /// ```
    /// assert_eq!(mailtest::Delivery::new(3).sent(), 3);
    /// ```
    pub fn new(sent: usize) -> Delivery {
        Delivery { sent, refused: Vec::new() }
    }

    /// Adds a refused recipient (for a backend of your own that implements
    /// [`EmailBackend::deliver`](crate::EmailBackend::deliver)).
    ///
    /// ```
    /// use mailtest::{Delivery, RefusedRecipient};
    ///
    /// let delivery = Delivery::new(1).with_refused(RefusedRecipient::new(0, "gone@example.com", Some(550), "no such user"));
    /// assert_eq!(delivery.refused()[0].recipient(), "gone@example.com");
    /// ```
    #[must_use]
    pub fn with_refused(mut self, refused: RefusedRecipient) -> Delivery {
        self.refused.push(refused);
        self
    }

    /// How many messages were sent (to at least one recipient each).
    ///
    /// ```
    /// assert_eq!(mailtest::Delivery::default().sent(), 0);
    /// ```
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// The recipients refused by the server, in the order of the batch.
    ///
    /// ```
    /// assert!(mailtest::Delivery::new(1).refused().is_empty());
    /// ```
    pub fn refused(&self) -> &[RefusedRecipient] {
        &self.refused
    }

    /// Adds what a later part of the batch did; its message numbers start
    /// at `offset` in the whole batch.
    pub(crate) fn absorb(&mut self, part: Delivery, offset: usize) {
        self.sent += part.sent;
        self.refused.extend(
            part.refused
                .into_iter()
                .map(|refused| RefusedRecipient { message: refused.message + offset, ..refused }),
        );
    }

    /// Renumbers the messages: `numbers[i]` is the number in the whole
    /// batch of this part's message `i`.
    pub(crate) fn renumbered(mut self, numbers: &[usize]) -> Delivery {
        for refused in &mut self.refused {
            refused.message = numbers.get(refused.message).copied().unwrap_or(refused.message);
        }
        self
    }
}

/// A recipient the server refused while it took the message for the others.
///
/// ```
/// let refused = mailtest::RefusedRecipient::new(2, "gone@example.com", Some(550), "5.1.1 mailbox unavailable");
/// assert_eq!(refused.message(), 2);
/// assert_eq!(refused.code(), Some(550));
/// assert!(!refused.is_temporary());
/// assert_eq!(refused.to_string(), "gone@example.com (message 3 of the batch): 550 5.1.1 mailbox unavailable");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedRecipient {
    message: usize,
    recipient: String,
    code: Option<u16>,
    reply: String,
}

impl RefusedRecipient {
    /// Recipient `recipient` of message `message` (0-based, in the batch
    /// given to `deliver`) was refused with `code` and `reply`.
    ///
    /// ```
    /// let refused = mailtest::RefusedRecipient::new(0, "gone@example.com", None, "refused");
    /// assert_eq!(refused.reply(), "refused");
    /// ```
    pub fn new(
        message: usize,
        recipient: impl Into<String>,
        code: Option<u16>,
        reply: impl Into<String>,
    ) -> Self {
        RefusedRecipient { message, recipient: recipient.into(), code, reply: reply.into() }
    }

    /// Which message of the batch (0-based).
    ///
    /// ```
    /// assert_eq!(mailtest::RefusedRecipient::new(1, "a@example.com", None, "").message(), 1);
    /// ```
    pub fn message(&self) -> usize {
        self.message
    }

    /// The address, as sent (its domain in ASCII form).
    ///
    /// ```
    /// assert_eq!(mailtest::RefusedRecipient::new(0, "a@example.com", None, "").recipient(), "a@example.com");
    /// ```
    pub fn recipient(&self) -> &str {
        &self.recipient
    }

    /// The server's reply code (e.g. 550, 450).
    ///
    /// ```
    /// assert_eq!(mailtest::RefusedRecipient::new(0, "a@example.com", Some(450), "").code(), Some(450));
    /// ```
    pub fn code(&self) -> Option<u16> {
        self.code
    }

    /// The server's reply text.
    ///
    /// ```
    /// assert_eq!(mailtest::RefusedRecipient::new(0, "a@example.com", None, "full").reply(), "full");
    /// ```
    pub fn reply(&self) -> &str {
        &self.reply
    }

    /// Whether the refusal was temporary (a 4xx reply: the recipient may be
    /// retried later).
    ///
    /// ```
    /// assert!(mailtest::RefusedRecipient::new(0, "a@example.com", Some(452), "").is_temporary());
    /// ```
    pub fn is_temporary(&self) -> bool {
        matches!(self.code, Some(400..=499))
    }
}

impl std::fmt::Display for RefusedRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (message {} of the batch): ", self.recipient, self.message + 1)?;
        match self.code {
            Some(code) => write!(f, "{code} {}", self.reply),
            None => f.write_str(&self.reply),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_batch_add_up_with_their_message_numbers() {
        let mut whole = Delivery::new(1);
        whole.absorb(
            Delivery::new(2).with_refused(RefusedRecipient::new(1, "b@example.com", Some(550), "no")),
            3,
        );
        let renumbered = Delivery::new(1)
            .with_refused(RefusedRecipient::new(0, "c@example.com", None, "no"))
            .renumbered(&[7]);

        assert_eq!(whole.sent(), 3);
        assert_eq!(whole.refused()[0].message(), 4);
        assert_eq!(renumbered.refused()[0].message(), 7);
    }
}
