//! Messages as a mailer sends them, to its backend or into a capture:
//! the domains of the address headers in ASCII (`crate::idna`), and with
//! `EMAIL_USE_LOCALTIME` the `Date` in local time (`local_date`); and
//! checked: no line break in a header, as Django refuses one
//! (`header_scan`). A test then sees the bytes production would send.

use std::borrow::Cow;

use lettre::Message;

use super::header_scan::HeaderScan;
use super::local_date;
use crate::error::Error;

/// One message as a mailer sends it; borrowed when nothing changes. A line
/// break in a header is an error (see `header_scan`): a mistake in the
/// calling code, so an error even for a mailer that fails silently.
pub(crate) fn message(message: &Message, localtime: bool) -> Result<Cow<'_, Message>, Error> {
    let scan = HeaderScan::of(message)?;
    let ascii = if scan.non_ascii_address { crate::idna::ascii_headers(message) } else { None };
    let local = localtime.then(|| local_date::in_local_time(ascii.as_ref().unwrap_or(message))).flatten();
    Ok(match (local, ascii) {
        (Some(prepared), _) | (None, Some(prepared)) => Cow::Owned(prepared),
        (None, None) => Cow::Borrowed(message),
    })
}

/// A batch as a mailer sends it; borrowed (nothing allocated) when nothing
/// changes, the common case on every send.
pub(crate) fn messages(messages: &[Message], localtime: bool) -> Result<Cow<'_, [Message]>, Error> {
    let mut owned: Option<Vec<Message>> = None;
    for (at, original) in messages.iter().enumerate() {
        match (message(original, localtime)?, &mut owned) {
            (Cow::Borrowed(same), Some(owned)) => owned.push(same.clone()),
            (Cow::Borrowed(_), None) => {}
            (Cow::Owned(changed), owned) => {
                owned.get_or_insert_with(|| messages[..at].to_vec()).push(changed)
            }
        }
    }
    Ok(owned.map_or(Cow::Borrowed(messages), Cow::Owned))
}
