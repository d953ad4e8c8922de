//! `EMAIL_USE_LOCALTIME`: the `Date` header in the system's time zone.
//!
//! lettre writes `Date` in UTC (`+0000`), as Django does by default. With
//! `EMAIL_USE_LOCALTIME` on, Django writes the local time with its offset
//! (`Tue, 15 Nov 1994 09:12:31 +0100`); so does a mailer made from such
//! settings, for the messages it builds (`send_mail` and its relatives) and
//! for the lettre messages it sends. The instant is the same: only how it
//! is written changes.
//!
//! The zone is found as C's `localtime` finds it: the `TZ` variable (a zone
//! name like `Europe/Paris`, a file as `:/path`, or a POSIX rule like
//! `CET-1CEST,M3.5.0,M10.5.0/3`; set and empty means UTC), else
//! `/etc/localtime`, else UTC. It is read once per process, as C's `tzset`
//! does.

use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lettre::Message;
use lettre::message::header::{Date, HeaderName, HeaderValue};
use tz::TimeZone;

use super::timestamp::Utc;

static LOCAL: LazyLock<TimeZone> = LazyLock::new(|| {
    let zone = match std::env::var("TZ") {
        Ok(tz) if tz.is_empty() => Ok(TimeZone::utc()),
        Ok(tz) => TimeZone::from_posix_tz(&tz),
        Err(_) => TimeZone::local(),
    };
    zone.unwrap_or_else(|_| TimeZone::utc())
});

/// `time` as RFC 5322 writes a date, in `zone`: `Tue, 15 Nov 1994 09:12:31 +0100`.
pub(crate) fn rfc5322(time: SystemTime, zone: &TimeZone) -> String {
    let unix = time.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs() as i64);
    let offset = zone.find_local_time_type(unix).map_or(0, |local| local.ut_offset());
    let shift = Duration::from_secs(u64::from(offset.unsigned_abs()));
    let local = if offset < 0 { time.checked_sub(shift) } else { time.checked_add(shift) };
    Utc::of(local.unwrap_or(time)).rfc5322(offset)
}

/// The `Date` header of a message sent now, in local time.
pub(crate) fn now() -> HeaderValue {
    header(SystemTime::now())
}

fn header(time: SystemTime) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str("Date"), rfc5322(time, &LOCAL))
}

/// `message` with its `Date` in local time; `None` when it has no `Date`
/// lettre can read (it is then left as it is).
pub(crate) fn in_local_time(message: &Message) -> Option<Message> {
    let date = message.headers().get::<Date>()?;
    let mut message = message.clone();
    message.headers_mut().insert_raw(header(date.into()));
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_with_the_zone_offset() {
        let time = UNIX_EPOCH + Duration::from_secs(784_887_151); // 1994-11-15 08:12:31 UTC
        let cases = [
            (TimeZone::utc(), "Tue, 15 Nov 1994 08:12:31 +0000"),
            // UTC+1 all year, like Django's test zone Africa/Algiers.
            (TimeZone::from_posix_tz("XYZ-1").unwrap(), "Tue, 15 Nov 1994 09:12:31 +0100"),
            (TimeZone::fixed(-5 * 3600 - 30 * 60).unwrap(), "Tue, 15 Nov 1994 02:42:31 -0530"),
            // Across midnight and into the day before.
            (TimeZone::fixed(-9 * 3600).unwrap(), "Mon, 14 Nov 1994 23:12:31 -0900"),
            // A rule with summer time: CET in November (CEST in July, below).
            (
                TimeZone::from_posix_tz("CET-1CEST,M3.5.0,M10.5.0/3").unwrap(),
                "Tue, 15 Nov 1994 09:12:31 +0100",
            ),
        ];
        for (zone, expected) in cases {
            assert_eq!(rfc5322(time, &zone), expected);
        }
        let july = UNIX_EPOCH + Duration::from_secs(774_000_000); // 1994-07-12 08:00:00 UTC
        let paris = TimeZone::from_posix_tz("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        assert_eq!(rfc5322(july, &paris), "Tue, 12 Jul 1994 10:00:00 +0200");
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
