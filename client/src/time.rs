//! Timestamps as people read them: UTC, without time-zone data in the bundle.

/// A UTC date and time as `YYYY-MM-DD HH:MM UTC` from milliseconds since the Unix epoch.
pub fn format_ms(ms: i64) -> String {
    let (y, m, d) = kompromiss_shared::metrics::month::civil_date(ms);
    let rem = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rem / 3600, rem % 3600 / 60)
}

/// Days since the Unix epoch of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The UTC millisecond at which summer time begins (`march`) or ends in the EU: 01:00 UTC on
/// the last Sunday of March or October.
fn eu_switch(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) mod 7.
    let sunday = last - (last + 4).rem_euclid(7);
    (sunday * 86_400 + 3600) * 1000
}

/// Berlin's offset from UTC in milliseconds at a UTC instant (CET, or CEST in summer).
pub fn berlin_offset_ms(utc_ms: i64) -> i64 {
    let year = kompromiss_shared::metrics::month::civil_date(utc_ms).0;
    let summer = (eu_switch(year, 3)..eu_switch(year, 10)).contains(&utc_ms);
    if summer { 7_200_000 } else { 3_600_000 }
}

/// A time as people in Saxony read it: `YYYY-MM-DD HH:MM` in Europe/Berlin.
pub fn format_berlin(ms: i64) -> String {
    let local = format_ms(ms + berlin_offset_ms(ms));
    local.trim_end_matches(" UTC").to_owned()
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM`) read as Europe/Berlin time; milliseconds since
/// the epoch. In the hour that repeats in October the first is taken.
pub fn parse_berlin(raw: &str) -> Option<i64> {
    let (date, time) = raw.trim().split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, min) = (t.next()??, t.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || !(0..24).contains(&h) || !(0..60).contains(&min) {
        return None;
    }
    let naive = (days_from_civil(y, m, day) * 86_400 + h * 3600 + min * 60) * 1000;
    // Try summer time first, then winter time: the first reading that maps back is it.
    [7_200_000, 3_600_000].into_iter().map(|o| naive - o).find(|utc| naive - berlin_offset_ms(*utc) == *utc)
}

#[cfg(test)]
mod tests {
    #[test]
    fn berlin_time_follows_the_eu_summer_time() {
        use super::{format_berlin, parse_berlin};
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(format_berlin(1_767_225_600_000), "2026-01-01 01:00", "winter: UTC+1");
        assert_eq!(format_berlin(1_782_864_000_000), "2026-07-01 02:00", "summer: UTC+2");
        assert_eq!(format_berlin(1_774_746_000_000 - 60_000), "2026-03-29 01:59");
        assert_eq!(format_berlin(1_774_746_000_000), "2026-03-29 03:00", "the clocks go forward");
        assert_eq!(parse_berlin("2026-07-01T02:00"), Some(1_782_864_000_000));
        assert_eq!(parse_berlin("2026-01-01T01:00"), Some(1_767_225_600_000));
        for ms in [1_767_225_600_000, 1_782_864_000_000, 1_792_999_980_000] {
            let shown = format_berlin(ms).replace(' ', "T");
            assert_eq!(parse_berlin(&shown), Some(ms), "{shown}");
        }
        assert_eq!(parse_berlin("2026-10-25T02:30"), Some(1_792_888_200_000), "the repeated hour: its first time");
        assert_eq!(parse_berlin("2026-13-01T00:00"), None);
        assert_eq!(parse_berlin("morgen"), None);
    }

    #[test]
    fn timestamps_format_as_utc_dates() {
        assert_eq!(super::format_ms(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::format_ms(1_704_067_200_000), "2024-01-01 00:00 UTC");
        assert_eq!(super::format_ms(1_709_210_096_000), "2024-02-29 12:34 UTC");
    }
}
