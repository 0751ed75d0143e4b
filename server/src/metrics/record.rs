//! Recording metrics: a platform's values for a month entered by hand, or a CSV file imported all
//! or nothing (previewed first: the column mapping and what would change).

use base64::Engine;
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::metrics::{
    ImportAnswer, ImportFile, ImportSummary, MAX_FILE_NAME_CHARS, MAX_SOURCE_CHARS, NewValues,
};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::metrics::import::{self, KnownPlatform, MAX_IMPORT_BYTES, Plan};
use kompromiss_shared::perm::Level;
use sha2::{Digest, Sha256};

use super::{MetricsError, pace, subject};
use crate::auth::Principal;
use crate::db::metrics::{self, Added, Cell, NewImport, NewValue};
use crate::db::{audit, now_millis, random_id};
use crate::state::AppState;

/// A source note: trimmed, one line, not empty, bounded.
fn source(raw: &str) -> Result<String, MetricsError> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > MAX_SOURCE_CHARS || s.chars().any(char::is_control) {
        return Err(MetricsError::Invalid("source"));
    }
    Ok(s.to_owned())
}

/// Stores a platform's values for a month (editors); how many values changed.
pub async fn enter(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    new: NewValues,
) -> Result<u32, MetricsError> {
    pace(state, principal)?;
    let user = principal.user().ok_or(MetricsError::SignIn)?;
    let subject = subject(state, principal, concept, Level::Edit).await?;
    if !subject.platforms.iter().any(|p| p.id == new.platform) {
        return Err(MetricsError::Invalid("platform"));
    }
    let source = source(&new.source)?;
    let mut values = Vec::with_capacity(new.values.len());
    for (i, (metric, value)) in new.values.iter().enumerate() {
        if subject.template.metric(metric).is_none() || new.values[..i].iter().any(|(m, _)| m == metric) {
            return Err(MetricsError::Invalid("metric"));
        }
        let cell = Cell { platform: new.platform.clone(), metric: metric.clone(), month: new.month.to_string() };
        values.push(NewValue { cell, value: value.map(|v| v.hundredths()), source: source.clone() });
    }
    match metrics::add(&state.db, &concept.to_string(), &values, None, &user.id, now_millis(), false).await? {
        Added::Stored { changed, .. } => Ok(u32::try_from(changed).unwrap_or(u32::MAX)),
        Added::Full => Err(MetricsError::Full),
    }
}

/// A file's name as kept: one line, bounded, never empty.
fn file_name(raw: &str) -> String {
    let name: String = raw.chars().filter(|c| !c.is_control()).take(MAX_FILE_NAME_CHARS).collect();
    let name = name.trim();
    if name.is_empty() { "import.csv".to_owned() } else { name.to_owned() }
}

/// A file uploaded from a page (base64 in JSON): its name and bytes. A file too large to be
/// read at all is cut to one byte past the limit, so that the import reports it as too large.
pub fn decode_upload(file: &ImportFile) -> Result<(String, Vec<u8>), MetricsError> {
    if file.data.len() > MAX_IMPORT_BYTES.div_ceil(3) * 4 + 4 {
        return Ok((file.name.clone(), vec![b' '; MAX_IMPORT_BYTES + 1]));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file.data.trim())
        .map_err(|_| MetricsError::Invalid("file"))?;
    Ok((file.name.clone(), bytes))
}

/// Checks a file and, unless `dry_run`, imports it (editors): all of it or, if any line is bad,
/// nothing, with every problem named by its line.
pub async fn import(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportAnswer, MetricsError> {
    pace(state, principal)?;
    let user = principal.user().ok_or(MetricsError::SignIn)?;
    let subject = subject(state, principal, concept, Level::Edit).await?;
    let known: Vec<KnownPlatform> =
        subject.platforms.iter().map(|p| KnownPlatform { id: p.id.clone(), name: p.name.clone() }).collect();
    let plan = match import::read(bytes, &subject.template.metrics, &known) {
        Ok(plan) => plan,
        Err(rejected) => return Ok(ImportAnswer::Rejected(rejected)),
    };
    let name = file_name(name);
    let default_source = format!("Import {name}");
    let values: Vec<NewValue> = plan
        .rows
        .iter()
        .flat_map(|row| {
            let source = row.source.clone().unwrap_or_else(|| default_source.clone());
            row.values.iter().map(move |(metric, v)| NewValue {
                cell: Cell { platform: row.platform.clone(), metric: metric.clone(), month: row.month.to_string() },
                value: Some(v.hundredths()),
                source: source.clone(),
            })
        })
        .collect();
    let id = random_id("import-");
    let sha = hex::encode(Sha256::digest(bytes));
    let rows = i64::try_from(plan.rows.len()).unwrap_or(i64::MAX);
    let record = NewImport { id: &id, file_name: &name, sha256: &sha, rows };
    let added =
        metrics::add(&state.db, &concept.to_string(), &values, Some(record), &user.id, now_millis(), dry_run).await?;
    let Added::Stored { changed, unchanged } = added else { return Err(MetricsError::Full) };
    let summary = summary(&plan, &subject.platforms, changed, unchanged);
    if dry_run {
        return Ok(ImportAnswer::Ready(summary));
    }
    if changed > 0 {
        let detail = format!("{} rows, {changed} values changed", plan.rows.len());
        let entry = audit::Record {
            target: Some(&concept.to_string()),
            detail: Some(&detail),
            ..audit::Record::by(Some(user), AuditAction::MetricsImported)
        };
        audit::record_or_log(&state.db, entry).await;
    }
    tracing::info!(%concept, rows = plan.rows.len(), changed, "metrics imported");
    Ok(ImportAnswer::Stored(summary))
}

fn summary(
    plan: &Plan,
    platforms: &[kompromiss_shared::dto::metrics::PlatformRef],
    changed: usize,
    unchanged: usize,
) -> ImportSummary {
    let mut named: Vec<String> = Vec::new();
    for row in &plan.rows {
        let name = platforms.iter().find(|p| p.id == row.platform).map_or(row.platform.clone(), |p| p.name.clone());
        if !named.contains(&name) {
            named.push(name);
        }
    }
    ImportSummary {
        encoding: plan.encoding.clone(),
        delimiter: plan.delimiter,
        columns: plan.columns.clone(),
        rows: u32::try_from(plan.rows.len()).unwrap_or(u32::MAX),
        values: u32::try_from(plan.value_count()).unwrap_or(u32::MAX),
        changed: u32::try_from(changed).unwrap_or(u32::MAX),
        unchanged: u32::try_from(unchanged).unwrap_or(u32::MAX),
        first_month: plan.rows.iter().map(|r| r.month).min(),
        last_month: plan.rows.iter().map(|r| r.month).max(),
        platforms: named,
    }
}
