//! Timestamps as people read them: UTC, without time-zone data in the bundle.

/// A UTC date and time as `YYYY-MM-DD HH:MM UTC` from milliseconds since the Unix epoch.
pub fn format_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rem / 3600, rem % 3600 / 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_format_as_utc_dates() {
        assert_eq!(super::format_ms(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::format_ms(1_704_067_200_000), "2024-01-01 00:00 UTC");
        assert_eq!(super::format_ms(1_709_210_096_000), "2024-02-29 12:34 UTC");
    }
}
