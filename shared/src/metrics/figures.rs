//! Figures from recorded values: a year's figure of a metric (a sum, or the latest value for
//! stock figures such as followers) and derived ratios (reach per volunteer hour, cost per
//! interaction), month by month and per year.

use super::{Amount, Month};
use crate::template::{DerivedDef, Localized, MetricDef, Unit};

/// The value of a metric in a month, if recorded.
pub trait Lookup {
    fn value(&self, platform: &str, metric: &str, month: Month) -> Option<Amount>;
}

/// A metric's figure for a year: the sum of its months, or for a stock figure the value of the
/// latest month recorded. None if no month was recorded.
pub fn year_figure(values: &impl Lookup, platform: &str, metric: &MetricDef, year: u16) -> Option<f64> {
    let months = Month::of_year(year).filter_map(|m| values.value(platform, &metric.key, m));
    if metric.summed {
        months.map(Amount::as_f64).fold(None, |sum, v| Some(sum.unwrap_or(0.0) + v))
    } else {
        months.last().map(Amount::as_f64)
    }
}

/// Every figure of a platform's year, as reports show them: each metric's (with its unit), then
/// each derived one (name, figure if any, unit).
pub fn year_figures<'a>(
    values: &impl Lookup,
    metrics: &'a [MetricDef],
    derived: &'a [DerivedDef],
    platform: &str,
    year: u16,
) -> Vec<(&'a Localized, Option<f64>, Unit)> {
    let own = metrics.iter().map(|m| (&m.name, year_figure(values, platform, m, year), m.unit));
    own.chain(derived.iter().map(|d| (&d.name, derived_year(values, platform, d, year), Unit::Count))).collect()
}

/// A derived figure for one month: numerator ÷ denominator, if both are recorded and the
/// denominator is not zero.
pub fn derived_month(values: &impl Lookup, platform: &str, def: &DerivedDef, month: Month) -> Option<f64> {
    let n = values.value(platform, &def.numerator, month)?;
    let d = values.value(platform, &def.denominator, month)?;
    ratio(n.as_f64(), d.as_f64())
}

/// A derived figure for a year: the year's numerator ÷ the year's denominator, over the months
/// where both are recorded (a month with only one of them would skew it).
pub fn derived_year(values: &impl Lookup, platform: &str, def: &DerivedDef, year: u16) -> Option<f64> {
    let (n, d) = Month::of_year(year)
        .filter_map(|m| {
            Some((values.value(platform, &def.numerator, m)?, values.value(platform, &def.denominator, m)?))
        })
        .fold((None::<f64>, 0.0), |(n, d), (a, b)| (Some(n.unwrap_or(0.0) + a.as_f64()), d + b.as_f64()));
    ratio(n?, d)
}

/// A metric's or derived figure's values month by month in a year, for one platform: (month
/// number, value) where there is one. What charts draw and their data tables show.
pub fn month_series(
    values: &impl Lookup,
    derived: &[DerivedDef],
    platform: &str,
    figure: &str,
    year: u16,
) -> Vec<(u8, f64)> {
    let def = derived.iter().find(|d| d.key == figure);
    Month::of_year(year)
        .filter_map(|m| {
            let v = match def {
                Some(d) => derived_month(values, platform, d, m)?,
                None => values.value(platform, figure, m)?.as_f64(),
            };
            Some((m.number(), v))
        })
        .collect()
}

fn ratio(n: f64, d: f64) -> Option<f64> {
    (d > 0.0).then(|| n / d)
}
