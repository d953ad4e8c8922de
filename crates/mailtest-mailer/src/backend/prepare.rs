//! Messages as a mailer sends them, to its backend or into a capture:
//! the domains of the address headers in ASCII (`crate::idna`), and with
//! `EMAIL_USE_LOCALTIME` the `Date` in local time (`local_date`); and
//! checked: no line break in a header, as Django refuses one. A test then
//! sees the bytes production would send.

use std::borrow::Cow;

use lettre::Message;

use super::local_date;
use crate::error::Error;

/// One message as a mailer sends it; borrowed when nothing changes.
pub(crate) fn message(message: &Message, localtime: bool) -> Cow<'_, Message> {
    let ascii = crate::idna::ascii_headers(message);
    let local = localtime.then(|| local_date::in_local_time(ascii.as_ref().unwrap_or(message))).flatten();
    match (local, ascii) {
        (Some(prepared), _) | (None, Some(prepared)) => Cow::Owned(prepared),
        (None, None) => Cow::Borrowed(message),
    }
}

/// A batch as a mailer sends it; borrowed (nothing allocated) when nothing
/// changes, the common case on every send.
pub(crate) fn messages(messages: &[Message], localtime: bool) -> Cow<'_, [Message]> {
    let mut owned: Option<Vec<Message>> = None;
    for (at, original) in messages.iter().enumerate() {
        match (message(original, localtime), &mut owned) {
            (Cow::Borrowed(same), Some(owned)) => owned.push(same.clone()),
            (Cow::Borrowed(_), None) => {}
            (Cow::Owned(changed), owned) => {
                owned.get_or_insert_with(|| messages[..at].to_vec()).push(changed)
            }
        }
    }
    owned.map_or(Cow::Borrowed(messages), Cow::Owned)
}

/// Refuses a line break (CR or LF) in a header, as Django does
/// (`BadHeaderError`), with [`Error::BadHeader`] naming it: in a typed
/// header lettre would encode it, and the header would read differently
/// from what the code meant; in a pre-encoded raw header
/// (`HeaderValue::dangerous_new_pre_encoded`) it would start another header
/// — header injection. A mistake in the calling code, so an error even for
/// a mailer that fails silently.
pub(crate) fn single_line_headers(messages: &[Message]) -> Result<(), Error> {
    messages.iter().try_for_each(single_line)
}

fn single_line(message: &Message) -> Result<(), Error> {
    let headers = message.headers();
    // lettre lists its headers only as text: each line a header, or a fold of one.
    let text = headers.to_string();
    let mut previous = "";
    for line in text.split("\r\n").filter(|line| !line.is_empty()) {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let name = line.split_once(':').map_or(line, |(name, _)| name);
        match headers.get_raw(name) {
            Some(raw) if raw.contains(['\r', '\n']) => return Err(bad_header(name, raw)),
            Some(_) if line.contains(['\r', '\n']) => return Err(bad_header(name, line)),
            Some(_) => previous = line,
            // No header of the message has this name: the line was injected by the one before.
            None => {
                let name = previous.split_once(':').map_or(previous, |(name, _)| name);
                let value =
                    format!("{}\r\n{line}", previous.get(name.len() + 1..).unwrap_or_default().trim_start());
                return Err(bad_header(name, &value));
            }
        }
    }
    Ok(())
}

fn bad_header(name: &str, value: &str) -> Error {
    Error::BadHeader { name: name.to_owned(), value: value.to_owned() }
}
