//! Metrics between server and browser: a year of a concept's values with who entered them, one
//! value's record of corrections, entering values, and importing a CSV file (preview, then store).

use serde::{Deserialize, Serialize};

use crate::dto::comments::Person;
use crate::metrics::import::{Mapped, Rejected};
use crate::metrics::{Amount, Month};
use crate::template::{DerivedDef, MetricDef};

/// Longest source note of a value, in characters.
pub const MAX_SOURCE_CHARS: usize = 200;
/// Longest file name kept for an import, in characters (longer ones are cut).
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// A platform of the concept, as metrics name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformRef {
    pub id: String,
    pub name: String,
}

/// The current value of one metric of one platform in one month, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricValue {
    pub platform: String,
    pub metric: String,
    pub month: Month,
    pub value: Amount,
    pub source: String,
    /// Who entered it (`None`: a deleted account).
    pub by: Option<Person>,
    /// When, in milliseconds since the epoch.
    pub at: i64,
    /// The file it came from, if it was imported.
    pub file: Option<String>,
    /// How many times the value was entered in all (2 and more: it was corrected).
    pub entries: u32,
}

/// An import of a file, for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    pub id: String,
    pub file_name: String,
    pub sha256: String,
    pub rows: u32,
    pub values: u32,
    pub by: Option<Person>,
    pub at: i64,
}

/// A year of a concept's metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsView {
    pub concept_title: String,
    pub year: u16,
    /// Years that hold values, and the current one.
    pub years: Vec<u16>,
    pub metrics: Vec<MetricDef>,
    pub derived: Vec<DerivedDef>,
    pub platforms: Vec<PlatformRef>,
    pub values: Vec<MetricValue>,
    /// The latest imports, newest first.
    pub imports: Vec<ImportRecord>,
    /// The visitor may enter and import values.
    pub can_edit: bool,
}

impl MetricsView {
    /// The current value of a cell.
    pub fn value(&self, platform: &str, metric: &str, month: Month) -> Option<&MetricValue> {
        self.values.iter().find(|v| v.platform == platform && v.metric == metric && v.month == month)
    }
}

impl crate::metrics::figures::Lookup for MetricsView {
    fn value(&self, platform: &str, metric: &str, month: Month) -> Option<Amount> {
        MetricsView::value(self, platform, metric, month).map(|v| v.value)
    }
}

/// One entry in the record of a value: what was entered, by whom, when and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellEntry {
    /// `None`: the value was removed.
    pub value: Option<Amount>,
    pub source: String,
    pub by: Option<Person>,
    pub at: i64,
    pub file: Option<String>,
}

/// A platform's values for a month, entered by hand; `None` removes a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewValues {
    pub platform: String,
    pub month: Month,
    pub source: String,
    pub values: Vec<(String, Option<Amount>)>,
}

/// A file to import, as uploaded: its name and its bytes in standard base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFile {
    pub name: String,
    pub data: String,
}

/// What a clean file holds and what importing it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub encoding: String,
    pub delimiter: char,
    pub columns: Vec<Mapped>,
    pub rows: u32,
    pub values: u32,
    /// Values that are new or differ from the current ones.
    pub changed: u32,
    /// Values equal to the current ones (not stored again).
    pub unchanged: u32,
    pub first_month: Option<Month>,
    pub last_month: Option<Month>,
    /// The platforms the file names.
    pub platforms: Vec<String>,
}

/// The answer to a file: it can be (or was) imported, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ImportAnswer {
    /// Clean: what importing it would store.
    Ready(ImportSummary),
    /// Stored.
    Stored(ImportSummary),
    /// Nothing stored: every problem, with its line.
    Rejected(Rejected),
}
