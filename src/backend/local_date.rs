//! `EMAIL_USE_LOCALTIME`: the `Date` header in the system's time zone.
//!
//! lettre writes `Date` in UTC (`+0000`), as Django does by default. With
//! `EMAIL_USE_LOCALTIME` on, Django writes the local time with its offset
//! (`Tue, 15 Nov 1994 09:12:31 +0100`); so does a mailer made from such
//! settings, for the messages it builds (`send_mail` and its relatives) and
//! for the lettre messages it sends. The instant is the same: only how it
//! is written changes. The zone is the system's: the `TZ` variable (a zone
//! name like `Europe/Paris`, or a POSIX rule like `CET-1CEST,M3.5.0,M10.5.0/3`),
//! else `/etc/localtime`, else UTC.

use std::time::SystemTime;

use jiff::tz::TimeZone;
use lettre::Message;
use lettre::message::header::{Date, HeaderName, HeaderValue};

/// `time` as RFC 5322 writes a date, in `zone`: `Tue, 15 Nov 1994 09:12:31 +0100`;
/// `None` outside the years jiff can place (±9999).
pub(crate) fn rfc5322(time: SystemTime, zone: &TimeZone) -> Option<String> {
    let timestamp = jiff::Timestamp::try_from(time).ok()?;
    Some(timestamp.to_zoned_datetime(zone.clone()).strftime("%a, %d %b %Y %H:%M:%S %z").to_string())
}

/// The `Date` header of a message sent now, in local time.
pub(crate) fn now() -> Option<HeaderValue> {
    header(SystemTime::now())
}

fn header(time: SystemTime) -> Option<HeaderValue> {
    rfc5322(time, &TimeZone::system())
        .map(|date| HeaderValue::new(HeaderName::new_from_ascii_str("Date"), date))
}

/// `message` with its `Date` in local time; `None` when it has no `Date`
/// that can be read and placed (it is then left as it is).
pub(crate) fn in_local_time(message: &Message) -> Option<Message> {
    let date = header(message.headers().get::<Date>()?.into())?;
    let mut message = message.clone();
    message.headers_mut().insert_raw(date);
    Some(message)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn dates_are_written_with_the_zone_offset() {
        let time = UNIX_EPOCH + Duration::from_secs(784_887_151); // 1994-11-15 08:12:31 UTC
        let algiers = TimeZone::fixed(jiff::tz::offset(1)); // UTC+1 all year, like Africa/Algiers
        let cases = [
            (TimeZone::UTC, "Tue, 15 Nov 1994 08:12:31 +0000"),
            (algiers, "Tue, 15 Nov 1994 09:12:31 +0100"),
            (TimeZone::fixed(jiff::tz::offset(-5)), "Tue, 15 Nov 1994 03:12:31 -0500"),
        ];
        for (zone, expected) in cases {
            assert_eq!(rfc5322(time, &zone).as_deref(), Some(expected));
        }
    }

    #[test]
    fn a_message_keeps_its_instant_in_local_time() {
        let time = UNIX_EPOCH + Duration::from_secs(784_887_151);
        let message = Message::builder()
            .from("app@example.com".parse().unwrap())
            .to("ann@example.com".parse().unwrap())
            .date(time)
            .body(String::from("Hi"))
            .unwrap();

        let local = in_local_time(&message).unwrap();

        let date: SystemTime = local.headers().get::<Date>().unwrap().into();
        assert_eq!(date, time);
    }
}
