//! Traceable metrics: values per platform and month, typed (month, amount), read from CSV files
//! all or nothing, and the figures derived from them for charts and the yearly evaluation.

pub mod amount;
pub mod figures;
pub mod import;
pub mod month;
#[cfg(test)]
mod tests;

pub use amount::{Amount, BadAmount};
pub use month::Month;

use crate::template::MetricDef;

/// The example file offered for download: German spreadsheet conventions (UTF-8 with a
/// byte-order mark, `;` between fields, decimal comma), three months of the given platforms.
pub fn example_csv(metrics: &[MetricDef], platforms: &[&str], year: u16) -> String {
    let mut out = String::from("\u{feff}Plattform;Monat");
    for m in metrics {
        out.push(';');
        out.push_str(&m.name.de);
    }
    out.push_str(";Quelle\r\n");
    for (p, platform) in platforms.iter().enumerate() {
        for month in Month::of_year(year).take(3) {
            out.push_str(platform);
            out.push(';');
            out.push_str(&month.to_string());
            for (i, _) in metrics.iter().enumerate() {
                let seed = (p as i64 + 1) * 1000 + i64::from(month.number()) * 37 + i as i64 * 11;
                let value = Amount::from_hundredths(seed * if i % 3 == 2 { 5 } else { 100 }).unwrap_or(Amount::ZERO);
                out.push(';');
                out.push_str(&value.decimal_comma());
            }
            out.push_str(";Statistik der Plattform\r\n");
        }
    }
    out
}
