//! A calendar month (`2026-03`), the unit metrics are recorded in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Earliest and latest year a metric may be recorded for.
pub const FIRST_YEAR: u16 = 2000;
pub const LAST_YEAR: u16 = 2100;

/// A month of a year between [`FIRST_YEAR`] and [`LAST_YEAR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: u16,
    month: u8,
}

/// Why a text is not a month.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a month (2026-03, 03.2026 or 3/2026 between {FIRST_YEAR} and {LAST_YEAR})")]
pub struct BadMonth;

impl Month {
    /// The month, if both parts are in range.
    pub fn new(year: u16, month: u8) -> Result<Month, BadMonth> {
        if (FIRST_YEAR..=LAST_YEAR).contains(&year) && (1..=12).contains(&month) {
            Ok(Month { year, month })
        } else {
            Err(BadMonth)
        }
    }

    pub fn year(self) -> u16 {
        self.year
    }

    /// 1 to 12.
    pub fn number(self) -> u8 {
        self.month
    }

    /// The month (UTC) of a time in milliseconds since the epoch, kept within the range.
    pub fn of_millis(ms: i64) -> Month {
        let (y, m, _) = civil_date(ms);
        let y = y.clamp(i64::from(FIRST_YEAR), i64::from(LAST_YEAR));
        Month { year: u16::try_from(y).unwrap_or(FIRST_YEAR), month: m }
    }

    /// The twelve months of a year.
    pub fn of_year(year: u16) -> impl Iterator<Item = Month> {
        (1..=12).filter_map(move |m| Month::new(year, m).ok())
    }
}

/// Year, month and day (UTC) of a time in milliseconds since 1970 (Howard Hinnant's
/// civil-from-days).
pub fn civil_date(ms: i64) -> (i64, u8, u8) {
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), u8::try_from(m).unwrap_or(1), u8::try_from(d).unwrap_or(1))
}

/// Reads "2026-03", "2026/03", "03.2026", "3.2026", "03/2026" and "3/2026".
impl FromStr for Month {
    type Err = BadMonth;

    fn from_str(s: &str) -> Result<Month, BadMonth> {
        let s = s.trim();
        let (a, b) = s.split_once(['-', '/', '.']).ok_or(BadMonth)?;
        let number = |t: &str, max_len: usize| -> Result<u16, BadMonth> {
            if t.is_empty() || t.len() > max_len || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BadMonth);
            }
            t.parse().map_err(|_| BadMonth)
        };
        let (year, month) = if a.len() == 4 { (number(a, 4)?, number(b, 2)?) } else { (number(b, 4)?, number(a, 2)?) };
        if year < 1000 {
            return Err(BadMonth);
        }
        Month::new(year, u8::try_from(month).map_err(|_| BadMonth)?)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_forms_of_a_month_agree() {
        let march = Month::new(2026, 3).expect("valid");
        for s in ["2026-03", "2026/03", "03.2026", "3.2026", "03/2026", "3/2026", " 2026-3 "] {
            assert_eq!(s.parse::<Month>(), Ok(march), "{s}");
        }
        assert_eq!(march.to_string(), "2026-03");
    }

    #[test]
    fn the_month_of_a_time_is_its_utc_month() {
        assert_eq!(Month::of_millis(1_767_225_600_000).to_string(), "2026-01", "2026-01-01 00:00 UTC");
        assert_eq!(Month::of_millis(1_767_225_600_000 - 1).to_string(), "2025-12");
        assert_eq!(Month::of_millis(1_709_164_800_000).to_string(), "2024-02", "29 February 2024");
        assert_eq!(Month::of_millis(0).to_string(), "2000-01", "kept within the range");
    }

    #[test]
    fn months_out_of_range_or_malformed_are_refused() {
        for s in [
            "2026-13",
            "2026-00",
            "1999-12",
            "2101-01",
            "26-03",
            "2026",
            "",
            "März 2026",
            "2026-03-01",
            "+3/2026",
            "2026-+3",
        ] {
            assert!(s.parse::<Month>().is_err(), "{s}");
        }
    }
}
