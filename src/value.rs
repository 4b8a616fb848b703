//! Literal values with their real meaning: calendar dates, exact decimals, money.
//! Never floats: `33.33% + 33.33% + 33.34%` is exactly `100%`.

use std::fmt;

pub use rust_decimal::Decimal;

/// The text between a string's quotes with its escapes `\"`, `\\` and `\n` resolved,
/// borrowed when it has none; or, for an escape orgspec does not know, where its backslash
/// is (a byte offset in `inner`) and the character after it (none at the end).
pub fn unescaped(inner: &str) -> Result<std::borrow::Cow<'_, str>, (usize, Option<char>)> {
    if !inner.contains('\\') {
        return Ok(std::borrow::Cow::Borrowed(inner));
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            other => return Err((i, other.map(|(_, c)| c))),
        }
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// A calendar date, or a whole month (`2007-06`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    /// `None` for a whole month.
    pub day: Option<u8>,
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Why a date literal is impossible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    Month(u8),
    Day {
        day: u8,
        month: u8,
        year: i32,
        last: u8,
    },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match self {
            DateError::Month(m) => write!(f, "there is no month {m}: months run from 01 to 12"),
            DateError::Day {
                day,
                month,
                year,
                last,
            } => write!(
                f,
                "{} {year} has {last} days, so there is no day {day}",
                NAMES[usize::from(*month) - 1]
            ),
        }
    }
}

impl Date {
    /// Parse `YYYY-MM-DD` or `YYYY-MM` (the grammar guarantees the digit shape).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let year: i32 = text[0..4].parse().unwrap_or(0);
        let month: u8 = text[5..7].parse().unwrap_or(0);
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let day = if text.len() >= 10 {
            let day: u8 = text[8..10].parse().unwrap_or(0);
            let last = days_in_month(year, month);
            if day == 0 || day > last {
                return Err(DateError::Day {
                    day,
                    month,
                    year,
                    last,
                });
            }
            Some(day)
        } else {
            None
        };
        Ok(Date { year, month, day })
    }

    /// The first day it covers, as days since 1970-01-01.
    pub fn first_day(self) -> i64 {
        days_from_civil(self.year, self.month, self.day.unwrap_or(1))
    }

    /// The last day it covers.
    pub fn last_day(self) -> i64 {
        days_from_civil(
            self.year,
            self.month,
            self.day
                .unwrap_or_else(|| days_in_month(self.year, self.month)),
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

/// Parse digits with `_` separators as an exact decimal.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    without_underscores(text).parse::<Decimal>().ok()
}

/// A number as written with its `_` separators left out (`30_000` → `30000`), copied only
/// when it has any: most numbers of a spec (every post's tier) have none.
pub fn without_underscores(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('_') {
        std::borrow::Cow::Owned(text.chars().filter(|&c| c != '_').collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Format a percentage without trailing zeros: `50%`, `33.34%`.
pub fn percent(d: Decimal) -> String {
    format!("{}%", d.normalize())
}

/// Digits in threes, as money is written: `1000000` → `1,000,000` (or `1_000_000` in a
/// spec, with `_`).
pub fn group_digits(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Format money as councils write it: `£30,000`, `£41,850.50`.
pub fn money(d: Decimal) -> String {
    let d = d.round_dp(2);
    let whole = d.trunc();
    let pence = ((d - whole) * Decimal::from(100)).trunc();
    let grouped = group_digits(&whole.abs().to_string(), ',');
    let sign = if d.is_sign_negative() && !d.is_zero() {
        "-"
    } else {
        ""
    };
    if pence.is_zero() {
        format!("{sign}£{grouped}")
    } else {
        format!("{sign}£{grouped}.{:02}", pence.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_refused_with_a_reason() {
        assert_eq!(
            Date::parse("2007-02-30").unwrap_err().to_string(),
            "February 2007 has 28 days, so there is no day 30"
        );
        assert!(Date::parse("2008-02-29").is_ok());
        assert!(Date::parse("2007-13").is_err());
    }

    #[test]
    fn months_cover_their_first_and_last_day() {
        let m = Date::parse("2008-02").unwrap();
        assert_eq!(m.last_day() - m.first_day(), 28);
        let a = Date::parse("2007-11-30").unwrap();
        let b = Date::parse("2008-01-31").unwrap();
        assert_eq!(b.first_day() - a.first_day(), 62);
    }

    #[test]
    fn percentages_add_exactly() {
        let sum: Decimal = ["33.33", "33.33", "33.34"]
            .iter()
            .map(|s| parse_decimal(s).unwrap())
            .sum();
        assert_eq!(sum, Decimal::from(100));
        assert_eq!(percent(parse_decimal("50.00").unwrap()), "50%");
        assert_eq!(money(parse_decimal("41850.5").unwrap()), "£41,850.50");
        assert_eq!(money(parse_decimal("30000").unwrap()), "£30,000");
    }
}

/// A date known between two days, as a person reads it: `2008-03-21` for one day,
/// `2008-03` for any day of one month, else `between 2008-03-10 and 2008-04-20`.
pub fn days_text(lo: i64, hi: i64) -> String {
    let (a, b) = (civil_from_days(lo), civil_from_days(hi));
    if lo == hi {
        return a.to_string();
    }
    let month = Date { day: None, ..a };
    if a.day == Some(1) && (a.year, a.month) == (b.year, b.month) && hi == month.last_day() {
        return month.to_string();
    }
    format!("between {a} and {b}")
}

/// The calendar date of a day number (days since 1970-01-01), the inverse of
/// `days_from_civil`.
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Date {
        year: i32::try_from(y).unwrap_or(i32::MAX),
        month: u8::try_from(m).unwrap_or(1),
        day: u8::try_from(d).ok(),
    }
}

#[cfg(test)]
mod civil_tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        for text in [
            "1970-01-01",
            "2007-11-30",
            "2008-02-29",
            "2000-12-31",
            "1899-03-01",
        ] {
            let d = Date::parse(text).unwrap();
            assert_eq!(civil_from_days(d.first_day()).to_string(), text);
        }
    }
}
