//! Calendar time for file names, mbox `From ` lines and `Date` headers,
//! without a date crate: they need only the civil date of a `SystemTime`.

use std::time::{SystemTime, UNIX_EPOCH};

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A UTC instant split into calendar fields.
pub struct Utc {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
    pub(crate) micros: u32,
    /// 0 = Sunday.
    pub(crate) weekday: u32,
}

impl Utc {
    /// `time` in calendar fields.
    pub fn of(time: SystemTime) -> Utc {
        let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
        let secs = since.as_secs() as i64;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Utc {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem / 60 % 60,
            second: rem % 60,
            micros: since.subsec_micros(),
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }

    /// `20240102T030405.123456Z`: sorts in time order as text.
    pub(crate) fn compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}.{:06}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second, self.micros
        )
    }

    /// RFC 5322's date of these calendar fields, read as local time at
    /// `offset` seconds east of UTC: `Tue, 02 Jan 2024 04:04:05 +0100`.
    pub(crate) fn rfc5322(&self, offset: i32) -> String {
        let sign = if offset < 0 { '-' } else { '+' };
        let minutes = offset.unsigned_abs() / 60;
        format!(
            "{}, {:02} {} {} {:02}:{:02}:{:02} {sign}{:02}{:02}",
            DAYS[self.weekday as usize],
            self.day,
            MONTHS[self.month as usize - 1],
            self.year,
            self.hour,
            self.minute,
            self.second,
            minutes / 60,
            minutes % 60
        )
    }

    /// C's `asctime`, as mbox `From ` lines carry it: `Tue Jan  2 03:04:05 2024`.
    pub(crate) fn asctime(&self) -> String {
        format!(
            "{} {} {:2} {:02}:{:02}:{:02} {}",
            DAYS[self.weekday as usize],
            MONTHS[self.month as usize - 1],
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.year
        )
    }
}

impl Utc {
    /// `2024-01-02T03:04:05Z` (RFC 3339), for the JSON API of `mailtest serve`.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (y, m, d).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn known_instants() {
        let cases = [
            (0, "19700101T000000.000000Z", "Thu Jan  1 00:00:00 1970"),
            (951_782_400, "20000229T000000.000000Z", "Tue Feb 29 00:00:00 2000"),
            (1_704_164_645, "20240102T030405.000000Z", "Tue Jan  2 03:04:05 2024"),
        ];
        for (secs, compact, asctime) in cases {
            let utc = Utc::of(UNIX_EPOCH + Duration::from_secs(secs));
            assert_eq!((utc.compact().as_str(), utc.asctime().as_str()), (compact, asctime), "{secs}");
            assert_eq!(utc.rfc3339().replace(['-', ':'], ""), compact.replace(".000000", ""), "{secs}");
        }
    }
}
