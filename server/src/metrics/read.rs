//! Reading metrics: a year of a concept's values with who entered each, one value's record of
//! corrections, and the example file with the concept's own platforms.

use kompromiss_shared::dto::metrics::{CellEntry, ImportRecord, MetricValue, MetricsView};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::metrics::{Amount, Month, example_csv};
use kompromiss_shared::perm::Level;

use super::{MetricsError, People, subject};
use crate::auth::Principal;
use crate::db::metrics::{self, Cell};
use crate::db::now_millis;
use crate::state::AppState;

/// Imports listed with a year's values.
const IMPORTS_SHOWN: i64 = 20;
/// Entries shown in one value's record.
const RECORD_SHOWN: i64 = 100;

/// A year of a concept's metrics (the current year if none is asked for).
pub async fn view(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    year: Option<u16>,
) -> Result<MetricsView, MetricsError> {
    let subject = subject(state, principal, concept, Level::Read).await?;
    let this_year = Month::of_millis(now_millis()).year();
    let year = year.unwrap_or(this_year);
    let (first, last) = match (Month::new(year, 1), Month::new(year, 12)) {
        (Ok(first), Ok(last)) => (first, last),
        _ => return Err(MetricsError::Invalid("year")),
    };
    let id = concept.to_string();
    let mut people = People::default();
    let mut values = Vec::new();
    for e in metrics::current(&state.db, &id, &first.to_string(), &last.to_string()).await? {
        let known = subject.platforms.iter().any(|p| p.id == e.cell.platform)
            && subject.template.metric(&e.cell.metric).is_some();
        let (Some(value), Ok(month), true) =
            (e.value.and_then(|v| Amount::from_hundredths(v).ok()), e.cell.month.parse(), known)
        else {
            continue;
        };
        values.push(MetricValue {
            platform: e.cell.platform,
            metric: e.cell.metric,
            month,
            value,
            source: e.source,
            by: people.get(&state.db, e.by.as_deref()).await?,
            at: e.at,
            file: e.file,
            entries: u32::try_from(e.entries).unwrap_or(u32::MAX),
        });
    }
    let mut years: Vec<u16> =
        metrics::years(&state.db, &id).await?.into_iter().filter_map(|y| u16::try_from(y).ok()).collect();
    years.extend([this_year, year]);
    years.sort_unstable();
    years.dedup();
    let mut imports = Vec::new();
    for i in metrics::imports(&state.db, &id, IMPORTS_SHOWN).await? {
        imports.push(ImportRecord {
            by: people.get(&state.db, i.imported_by.as_deref()).await?,
            id: i.id,
            file_name: i.file_name,
            sha256: i.sha256,
            rows: u32::try_from(i.row_count).unwrap_or(0),
            values: u32::try_from(i.value_count).unwrap_or(0),
            at: i.imported_at,
        });
    }
    Ok(MetricsView {
        concept_title: subject.title,
        year,
        years,
        metrics: subject.template.metrics,
        derived: subject.template.derived,
        platforms: subject.platforms,
        values,
        imports,
        can_edit: subject.level >= Level::Edit,
    })
}

/// Every entry of one value, newest first: what it was, who entered it, when and from where.
pub async fn cell_record(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    platform: &str,
    metric: &str,
    month: Month,
) -> Result<Vec<CellEntry>, MetricsError> {
    let subject = subject(state, principal, concept, Level::Read).await?;
    if !subject.platforms.iter().any(|p| p.id == platform) || subject.template.metric(metric).is_none() {
        return Err(MetricsError::Invalid("cell"));
    }
    let cell = Cell { platform: platform.to_owned(), metric: metric.to_owned(), month: month.to_string() };
    let mut people = People::default();
    let mut entries = Vec::new();
    for e in metrics::record(&state.db, &concept.to_string(), &cell, RECORD_SHOWN).await? {
        entries.push(CellEntry {
            value: e.value.and_then(|v| Amount::from_hundredths(v).ok()),
            source: e.source,
            by: people.get(&state.db, e.by.as_deref()).await?,
            at: e.at,
            file: e.file,
        });
    }
    Ok(entries)
}

/// The example file for a concept: its metrics and its first three platforms, this year.
pub async fn example(state: &AppState, principal: &Principal, concept: DocumentId) -> Result<String, MetricsError> {
    let subject = subject(state, principal, concept, Level::Read).await?;
    let names: Vec<&str> = subject.platforms.iter().take(3).map(|p| p.name.as_str()).collect();
    Ok(example_csv(&subject.template.metrics, &names, Month::of_millis(now_millis()).year()))
}
