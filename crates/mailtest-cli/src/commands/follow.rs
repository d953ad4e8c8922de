//! Following an outbox as mail arrives, by capture number: a clear never
//! makes a follower miss an email or see one twice.

use std::time::Duration;

use mailtest::{Email, Outbox};

/// Blocks until emails numbered above `after` are in the outbox, woken by
/// each change (never by polling); returns them in capture order.
pub(crate) fn arrivals_after(outbox: &Outbox, after: u64) -> Vec<Email> {
    loop {
        let arrived = outbox
            .find()
            .matching(move |email| email.sequence() > after)
            .within(Duration::from_secs(3600))
            .try_at_least(1);
        if let Ok(emails) = arrived {
            return emails;
        }
    }
}
