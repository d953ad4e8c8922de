//! The `Date` field (RFC 5322 §3.3, with the obsolete syntax of §4.3) as a
//! point in time.
//!
//! The value is read as tokens: white space (folding included) separates
//! them and comments, nested or not, count as white space, so both may sit
//! anywhere, as the obsolete syntax allows. The tokens must then read
//! `[day-name [","]] day month year hour ":" minute [":" second] zone`, and
//! nothing may follow. What is lenient, and why:
//!
//! - The day name may be any word, and its comma may be missing or stand
//!   alone: mail clients ignore it (the date says which day it is), and
//!   mangled ones (`on, 05 Dec`) are met in real mail.
//! - Day, hour, minute and second may have one digit or two (`2:32:53` is
//!   common). Months are the three-letter names, in any case, or their
//!   number (`20 11 79`), which mail-parser, the reader before this one,
//!   accepted too; the day still comes first.
//! - Years of two digits are 20xx below 50 and 19xx from 50, three digits
//!   add 1900 (§4.3); a four-digit year must be 1900 or later (§3.3).
//! - Zones are `+hhmm` or `-hhmm` (four digits, minutes below 60), or a
//!   name: `UT`, `GMT` and the US ones of §4.3 mean what they say, and any
//!   other name, military letters included, means `-0000`, the zone §4.3
//!   assigns to names whose meaning is not known.
//!
//! What is refused, so that a test sees `None` (and the missing-date lint
//! fires) rather than a wrong time:
//!
//! - A value without a zone. Both syntaxes require one; the time of day
//!   would be in a zone nobody knows.
//! - Dates that do not exist (`31 Feb`, hour 24, minute 60), and anything
//!   else left over (`PM`, `EST5EDT`, `H0500`, a full month name, the month
//!   before the day).
//!
//! A second of 60 (a leap second) is allowed and counts as the first second
//! of the next minute, since Unix time has no leap seconds.

use std::iter::Peekable;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The point in time a `Date` value (the bytes after `Date:`) names, or
/// `None` when it names none. Never panics, whatever the bytes.
pub(super) fn parse(value: &[u8]) -> Option<SystemTime> {
    let mut tokens = Tokens { rest: value }.peekable();
    skip_day_name(&mut tokens);
    let day = number(tokens.next()?, 2)?;
    let month = month(tokens.next()?)?;
    let year = year(tokens.next()?)?;
    let hour = number(tokens.next()?, 2)?;
    symbol(tokens.next()?, b':')?;
    let minute = number(tokens.next()?, 2)?;
    let second = match tokens.next_if_eq(&Token::Symbol(b':')) {
        Some(_) => number(tokens.next()?, 2)?,
        None => 0,
    };
    let zone_minutes = zone(&mut tokens)?;
    if tokens.next().is_some() {
        return None;
    }
    let stamp = Stamp { year, month, day, hour, minute, second, zone_minutes };
    if !stamp.is_valid() {
        return None;
    }
    stamp.system_time()
}

/// One piece of a date value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    /// ASCII letters: a day, month or zone name.
    Word(&'a [u8]),
    /// ASCII digits as written, leading zeros kept: how many there are
    /// tells a two-digit year from a four-digit one.
    Number(&'a [u8]),
    /// Any other byte: `,` `:` `+` `-`, or one no date has.
    Symbol(u8),
}

/// The tokens of a value, white space and comments skipped.
struct Tokens<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let (&first, after) = self.rest.split_first()?;
            match first {
                b' ' | b'\t' | b'\r' | b'\n' => self.rest = after,
                b'(' => self.rest = after_comment(after),
                b'a'..=b'z' | b'A'..=b'Z' => return Some(Token::Word(self.take(u8::is_ascii_alphabetic))),
                b'0'..=b'9' => return Some(Token::Number(self.take(u8::is_ascii_digit))),
                _ => {
                    self.rest = after;
                    return Some(Token::Symbol(first));
                }
            }
        }
    }
}

impl<'a> Tokens<'a> {
    /// The run of bytes at the start that `belongs` accepts.
    fn take(&mut self, belongs: fn(&u8) -> bool) -> &'a [u8] {
        let end = self.rest.iter().position(|b| !belongs(b)).unwrap_or(self.rest.len());
        let (run, rest) = self.rest.split_at(end);
        self.rest = rest;
        run
    }
}

/// What follows the comment whose `(` is just before `bytes`. Comments nest,
/// and `\` quotes the byte after it (RFC 5322 §3.2.2). A comment left open
/// runs to the end: a truncated `(UTC` should not cost a readable date.
fn after_comment(bytes: &[u8]) -> &[u8] {
    let mut depth = 1_usize;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        match byte {
            b'\\' => at += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    bytes.get(at..).unwrap_or_default()
}

fn skip_day_name(tokens: &mut Peekable<Tokens<'_>>) {
    tokens.next_if(|token| matches!(token, Token::Word(_)));
    tokens.next_if_eq(&Token::Symbol(b','));
}

/// A number of one to `max_digits` digits. No field has more than four, so
/// the value cannot overflow, however long the run of digits written.
fn number(token: Token<'_>, max_digits: usize) -> Option<u32> {
    match token {
        Token::Number(digits) if digits.len() <= max_digits => Some(value_of(digits)),
        _ => None,
    }
}

/// The value of at most four ASCII digits.
fn value_of(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |value, digit| value * 10 + u32::from(digit - b'0'))
}

fn symbol(token: Token<'_>, expected: u8) -> Option<()> {
    (token == Token::Symbol(expected)).then_some(())
}

/// 1 for `Jan` … 12 for `Dec`, in any case, or the month's number as
/// written (checked later, with the day).
fn month(token: Token<'_>) -> Option<u32> {
    const MONTHS: [&[u8]; 12] =
        [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
    let Token::Word(name) = token else { return number(token, 2) };
    let index = MONTHS.iter().position(|month| month.eq_ignore_ascii_case(name))?;
    u32::try_from(index + 1).ok()
}

/// The year, two- and three-digit years read as §4.3 says.
fn year(token: Token<'_>) -> Option<u32> {
    let Token::Number(digits) = token else { return None };
    let written = number(token, 4)?;
    Some(match digits.len() {
        2 if written < 50 => 2000 + written,
        2 | 3 => 1900 + written,
        4 => written,
        _ => return None,
    })
}

/// The zone's offset east of UTC, in minutes.
fn zone(tokens: &mut Peekable<Tokens<'_>>) -> Option<i32> {
    match tokens.next()? {
        Token::Symbol(sign @ (b'+' | b'-')) => {
            let Token::Number(digits) = tokens.next()? else { return None };
            if digits.len() != 4 {
                return None;
            }
            let (hours, minutes) = (value_of(&digits[..2]), value_of(&digits[2..]));
            if minutes >= 60 {
                return None;
            }
            let east = i32::try_from(hours * 60 + minutes).ok()?;
            Some(if sign == b'-' { -east } else { east })
        }
        Token::Word(name) => Some(named_zone(name)),
        Token::Number(_) | Token::Symbol(_) => None,
    }
}

/// The offset of an obsolete zone name (§4.3), in minutes east of UTC.
fn named_zone(name: &[u8]) -> i32 {
    const US_ZONES: [(&[u8], i32); 8] = [
        (b"EDT", -4),
        (b"EST", -5),
        (b"CDT", -5),
        (b"CST", -6),
        (b"MDT", -6),
        (b"MST", -7),
        (b"PDT", -7),
        (b"PST", -8),
    ];
    // UT, GMT, military letters (whose signs RFC 822 got backwards, so
    // §4.3 says to trust none of them) and unknown names: all -0000.
    US_ZONES.iter().find(|(zone, _)| zone.eq_ignore_ascii_case(name)).map_or(0, |(_, hours)| hours * 60)
}

/// A date and time as written, and its zone.
struct Stamp {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    zone_minutes: i32,
}

impl Stamp {
    /// Whether the date exists. The upper bound on the year comes from its
    /// four digits; RFC 5322 allows none before 1900.
    fn is_valid(&self) -> bool {
        self.year >= 1900
            && (1..=12).contains(&self.month)
            && (1..=days_in_month(self.year, self.month)).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second <= 60
    }

    /// Seconds since 1970-01-01T00:00:00Z, negative before it.
    fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let local = days * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        local - i64::from(self.zone_minutes) * 60
    }

    fn system_time(&self) -> Option<SystemTime> {
        let seconds = self.unix_seconds();
        let distance = Duration::from_secs(seconds.unsigned_abs());
        if seconds >= 0 { UNIX_EPOCH.checked_add(distance) } else { UNIX_EPOCH.checked_sub(distance) }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian
/// calendar (Howard Hinnant's `days_from_civil`). Counting years from March
/// puts the leap day last, so a month's first day is a closed formula of
/// its position; 400-year eras repeat exactly, 146 097 days each.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719 468 days from 0000-03-01, the start of era 0, to 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Unix time `value` names, or `None`.
    fn seconds(value: &str) -> Option<i64> {
        parse(value.as_bytes()).map(|time| match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap(),
            Err(before) => -i64::try_from(before.duration().as_secs()).unwrap(),
        })
    }

    /// 2003-07-01T08:52:37Z, the instant most cases below write.
    const JULY_2003: i64 = 1_057_049_557;

    #[test]
    fn the_rfc_5322_form() {
        assert_eq!(seconds("Tue, 1 Jul 2003 10:52:37 +0200"), Some(JULY_2003));
        assert_eq!(seconds(" Tue, 01 Jul 2003 10:52:37 +0200\r\n"), Some(JULY_2003));
        assert_eq!(seconds("Thu, 01 Jan 1970 00:00:00 +0000"), Some(0));
        assert_eq!(seconds("Fri, 21 Nov 1997 09:55:06 -0600"), Some(880_127_706));
        assert_eq!(seconds("Sat, 29 Feb 2020 12:00:00 +0000"), Some(1_582_977_600));
        assert_eq!(seconds("Fri, 31 Dec 9999 23:59:59 +0000"), Some(253_402_300_799));
    }

    #[test]
    fn optional_parts_and_their_lenient_forms() {
        let cases = [
            ("1 Jul 2003 10:52:37 +0200", "no day name"),
            ("Tue 1 Jul 2003 10:52:37 +0200", "no comma"),
            (", 1 Jul 2003 10:52:37 +0200", "a comma without its day"),
            ("on, 1 Jul 2003 10:52:37 +0200", "a mangled day name"),
            ("Tue, 1 JUL 2003 10:52:37 +0200", "the month in capitals"),
            ("Tue, 1 jul 2003 10:52:37 +0200", "the month in lower case"),
            ("Tue, 01 07 2003 10:52:37 +0200", "the month's number"),
            ("Tue, 1 Jul 2003 10:52:37+0200", "no space before the zone"),
            ("Tue,  1 Jul 2003 10:52:37 +0200 ", "extra spaces"),
        ];
        for (value, form) in cases {
            assert_eq!(seconds(value), Some(JULY_2003), "{form}: {value:?}");
        }
        assert_eq!(seconds("Tue, 1 Jul 2003 10:52 +0200"), Some(JULY_2003 - 37), "no seconds");
        assert_eq!(seconds("Fri, 1 Jul 2003 8:52:37 +0000"), Some(JULY_2003), "a one-digit hour");
    }

    #[test]
    fn folding_and_comments_anywhere() {
        let cases = [
            "Tue,\r\n 1\r\n\tJul\r\n 2003\r\n 10:52:37\r\n +0200",
            "Tue, 1 Jul 2003 10:52:37 +0200 (CEST)",
            "Tue, 1 Jul 2003 10:52:37 (CEST) +0200",
            "(day) Tue, 1 Jul 2003 (comment about date) 10:52:37 +0200",
            "Tue, 1 Jul 2003 ((tricky)\r\n comment) 10:52:37 +0200",
            "Tue, 1 Jul 2003 10:52:37 +0200 (a \\) quoted \\( paren)",
            "Tue, 1 Jul 2003 10 : 52 : 37 +0200",
            "Tue, 1 Jul 2003 10:52:37 +0200 (\u{f9}\u{f2} not ASCII)",
            "Tue, 1 Jul 2003 10:52:37 +0200 (never closed",
        ];
        for value in cases {
            assert_eq!(seconds(value), Some(JULY_2003), "{value:?}");
        }
        assert_eq!(
            seconds("Thu,\r\n  13\r\n  Feb\r\n  1969\r\n  23:32\r\n  -0330 (Newfoundland Time)"),
            Some(-27_723_480)
        );
    }

    #[test]
    fn two_and_three_digit_years() {
        assert_eq!(seconds("Tue, 1 Jul 03 10:52:37 +0200"), Some(JULY_2003));
        assert_eq!(seconds("1 Jul 49 08:52:37 +0000"), seconds("1 Jul 2049 08:52:37 +0000"));
        assert_eq!(seconds("21 Nov 97 09:55:06 GMT"), seconds("21 Nov 1997 09:55:06 +0000"));
        assert_eq!(seconds("1 Jul 50 00:00:00 +0000"), seconds("1 Jul 1950 00:00:00 +0000"));
        assert_eq!(seconds("Tue, 1 Jul 103 10:52:37 +0200"), Some(JULY_2003));
    }

    #[test]
    fn zone_names() {
        let cases = [
            ("UT", "+0000"),
            ("GMT", "+0000"),
            ("EST", "-0500"),
            ("EDT", "-0400"),
            ("CST", "-0600"),
            ("cdt", "-0500"),
            ("MST", "-0700"),
            ("MDT", "-0600"),
            ("PST", "-0800"),
            ("PDT", "-0700"),
            ("Z", "+0000"),
            ("A", "-0000"),
            ("z", "+0000"),
            ("UTC", "+0000"),
            ("CEST", "-0000"),
        ];
        for (name, offset) in cases {
            let named = seconds(&format!("Sun, 27 Oct 2002 23:57:07 {name}"));
            assert_eq!(named, seconds(&format!("Sun, 27 Oct 2002 23:57:07 {offset}")), "{name}");
            assert!(named.is_some(), "{name}");
        }
        assert_eq!(seconds("1 Jul 2003 14:22:37 +0530"), Some(JULY_2003));
        assert_eq!(seconds("1 Jul 2003 00:52:37 -0800"), Some(JULY_2003));
        assert_eq!(seconds("1 Jul 2003 10:52:37 +9959"), Some(JULY_2003 + 7_200 - 359_940));
    }

    #[test]
    fn dates_before_1970_are_before_the_epoch() {
        assert_eq!(seconds("Wed, 31 Dec 1969 23:59:59 +0000"), Some(-1));
        assert_eq!(seconds("Thu, 13 Feb 1969 23:32:54 -0330"), Some(-27_723_426));
        assert_eq!(seconds("Mon, 1 Jan 1900 00:00:00 +0000"), Some(-2_208_988_800));
        assert!(parse(b"1 Jan 1900 00:00:00 +0000").unwrap() < UNIX_EPOCH);
    }

    #[test]
    fn a_leap_second_is_the_next_minute() {
        assert_eq!(seconds("31 Dec 2016 23:59:60 +0000"), seconds("1 Jan 2017 00:00:00 +0000"));
    }

    #[test]
    fn dates_that_do_not_exist() {
        let cases = [
            "Thu, 29 Feb 2001 00:00:00 +0000",
            "29 Feb 1900 00:00:00 +0000",
            "31 Apr 2003 00:00:00 +0000",
            "32 Jan 2003 00:00:00 +0000",
            "0 Jan 2003 00:00:00 +0000",
            "1 Jan 2003 24:00:00 +0000",
            "1 Jan 2003 23:60:00 +0000",
            "1 Jan 2003 23:59:61 +0000",
            "1 Jan 2003 23:59:59 +0060",
            "1 Jan 1899 23:59:59 +0000",
            "1 Jan 0049 00:00:00 +0000",
        ];
        for value in cases {
            assert_eq!(seconds(value), None, "{value:?}");
        }
    }

    #[test]
    fn values_that_are_not_dates() {
        let cases = [
            "",
            " (invalid)",
            "Whenever",
            "Tue, 1 Jul 2003 10:52:37",
            "Tue, 1 Jul 2003 10:52:37 (no zone)",
            "Tue, 1 Jul 2003 10:52:37 +02",
            "Tue, 1 Jul 2003 10:52:37 -600",
            "Tue, 1 Jul 2003 10:52:37 0",
            "Tue, 1 Jul 2003 10:52:37 EST5EDT",
            "Tue, 1 Jul 2003 10:52:37 H0500",
            "Wed, 29 May 2019 06:09:22 PM EDT",
            "Tue, 1 Jul 2003 10:52:37 +0200 extra",
            "Tue, 1 Zzz 2003 10:52:37 +0200",
            "Tue, 1 July 2003 10:52:37 +0200",
            "Tue, 1 13 2003 10:52:37 +0200",
            "Tue, 1 0 2003 10:52:37 +0200",
            "Tue, 1 007 2003 10:52:37 +0200",
            "Jul 1, 2003 10:52:37 +0200",
            "Tue Jul  1 10:52:37 2003",
            "2003-07-01 10:52:37 +0200",
            "Tue, 001 Jul 2003 10:52:37 +0200",
            "Tue, 1 Jul 2003 100:52:37 +0200",
            "Tue, 1 Jul 20033 10:52:37 +0200",
            "Tue, 1 Jul 2003 10:52:37 +0200)",
            "Tue, 1 Jul 2003 10:52:37\x1d+0200",
        ];
        for value in cases {
            assert_eq!(seconds(value), None, "{value:?}");
        }
    }

    #[test]
    fn never_panics() {
        let long_digits = "9".repeat(10_000);
        let long_year = format!("1 Jan {long_digits} 00:00:00 +0000");
        let all_long =
            format!("{long_digits} Jan 2003 {long_digits}:{long_digits}:{long_digits} +{long_digits}");
        let deep_comment = "(".repeat(10_000);
        let values: [&[u8]; 8] = [
            long_digits.as_bytes(),
            long_year.as_bytes(),
            all_long.as_bytes(),
            deep_comment.as_bytes(),
            b"\x80\xff\xfe(\\",
            b"Wed, 4 Jun 2014 17:50:\x80\xff\xff\xff",
            b", 11\x00\x01ep 2016 23:2:04 +01\x800",
            b"1 Jan 2003 00:00:00 -",
        ];
        for value in values {
            assert_eq!(parse(value), None, "{:?}", value.escape_ascii().to_string());
        }
    }
}
