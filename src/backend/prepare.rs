//! Messages as a mailer sends them, to its backend or into a capture:
//! the domains of the address headers in ASCII (`crate::idna`), and with
//! `EMAIL_USE_LOCALTIME` the `Date` in local time (`local_date`). A test
//! then sees the bytes production would send.

use std::borrow::Cow;

use lettre::Message;

use super::local_date;

/// One message as a mailer sends it; borrowed when nothing changes.
pub(crate) fn message(message: &Message, localtime: bool) -> Cow<'_, Message> {
    let ascii = crate::idna::ascii_headers(message);
    let local = localtime.then(|| local_date::in_local_time(ascii.as_ref().unwrap_or(message))).flatten();
    match (local, ascii) {
        (Some(prepared), _) | (None, Some(prepared)) => Cow::Owned(prepared),
        (None, None) => Cow::Borrowed(message),
    }
}

/// A batch as a mailer sends it; borrowed when nothing changes.
pub(crate) fn messages(messages: &[Message], localtime: bool) -> Cow<'_, [Message]> {
    let prepared: Vec<Cow<'_, Message>> = messages.iter().map(|m| message(m, localtime)).collect();
    if prepared.iter().all(|m| matches!(m, Cow::Borrowed(_))) {
        return Cow::Borrowed(messages);
    }
    Cow::Owned(prepared.into_iter().map(Cow::into_owned).collect())
}
