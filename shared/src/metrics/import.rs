//! Reading a metrics CSV file, all or nothing: one row per platform and month, one column per
//! metric. The file is decoded (UTF-8, UTF-16 with a byte-order mark, or Windows-1252 as older
//! spreadsheet programs save it), its separator found from the header (`;`, `,` or tab), its
//! columns mapped to the template's metrics, and every row checked. Either every row is good and
//! the plan is returned, or every problem is reported with its line number and nothing is taken.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::amount::{Amount, BadAmount};
use super::month::Month;
use crate::template::MetricDef;

/// Largest file read, in bytes (5,000 rows of 100 bytes; as base64 inside a page's request it
/// stays below the server's 1 MiB request limit).
pub const MAX_IMPORT_BYTES: usize = 512 * 1024;
/// Most data rows in one file (a platform-month each: 10 years of 40 platforms).
pub const MAX_IMPORT_ROWS: usize = 5_000;
/// Most columns in one file.
pub const MAX_IMPORT_COLUMNS: usize = 40;
/// Longest field, in characters.
pub const MAX_FIELD_CHARS: usize = 200;
/// Most problems reported; the rest are counted.
pub const MAX_REPORTED_PROBLEMS: usize = 100;

/// Names the platform, month and source columns may have (compared without case).
const PLATFORM_NAMES: [&str; 2] = ["plattform", "platform"];
const MONTH_NAMES: [&str; 2] = ["monat", "month"];
const SOURCE_NAMES: [&str; 2] = ["quelle", "source"];

/// A platform of the concept an import can name, by its id or its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPlatform {
    pub id: String,
    pub name: String,
}

/// What a column of the file is read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", content = "metric", rename_all = "snake_case")]
pub enum Column {
    Platform,
    Month,
    Source,
    /// The metric with this key.
    Metric(String),
    /// Not a known column: not imported.
    Ignored,
}

/// One column of the file and what it is read as (shown before an import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapped {
    pub header: String,
    pub column: Column,
}

/// One good row: a platform's values for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// Line of the file the row starts on (the header is line 1).
    pub line: u64,
    pub platform: String,
    pub month: Month,
    /// The row's own source, if the file has a source column and the cell is filled.
    pub source: Option<String>,
    /// Metric key and value; empty cells are left out.
    pub values: Vec<(String, Amount)>,
}

/// A file that can be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub encoding: String,
    pub delimiter: char,
    pub columns: Vec<Mapped>,
    pub rows: Vec<Row>,
}

impl Plan {
    /// How many values the file holds.
    pub fn value_count(&self) -> usize {
        self.rows.iter().map(|r| r.values.len()).sum()
    }
}

/// What is wrong with a file or one of its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    TooLarge {
        max_bytes: usize,
    },
    TooManyRows {
        max: usize,
    },
    TooManyColumns {
        max: usize,
    },
    /// Not a text file (it holds NUL bytes or other control characters).
    NotText,
    /// No header line.
    Empty,
    /// A required column (platform or month) is not in the header.
    MissingColumn {
        column: Column,
    },
    /// Two columns are read as the same thing.
    DuplicateColumn {
        column: Column,
    },
    /// The row has a different number of fields than the header.
    FieldCount {
        expected: usize,
        found: usize,
    },
    FieldTooLong {
        max_chars: usize,
    },
    UnknownPlatform {
        value: String,
    },
    /// Two platforms of the concept have this name: use the id.
    AmbiguousPlatform {
        value: String,
    },
    BadMonth {
        value: String,
    },
    BadNumber {
        value: String,
        why: BadAmount,
    },
    /// The same platform and month came before.
    DuplicateRow {
        first_line: u64,
    },
}

/// A problem, with the line it is on (0: the file as a whole) and the column's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub line: u64,
    pub column: Option<String>,
    pub problem: ProblemKind,
}

/// A file that cannot be imported: its problems (at most [`MAX_REPORTED_PROBLEMS`]), how many
/// more there were, and the columns as far as they were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub problems: Vec<Problem>,
    pub more: usize,
    pub columns: Vec<Mapped>,
}

/// Reads `bytes` as a metrics file for a concept with these metrics and platforms.
pub fn read(bytes: &[u8], metrics: &[MetricDef], platforms: &[KnownPlatform]) -> Result<Plan, Rejected> {
    let mut report = Report::default();
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(report.whole(ProblemKind::TooLarge { max_bytes: MAX_IMPORT_BYTES }));
    }
    let (text, encoding) = decode(bytes);
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(report.whole(ProblemKind::NotText));
    }
    let delimiter = delimiter_of(&text);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) if h.iter().any(|f| !f.trim().is_empty()) => h,
        _ => return Err(report.whole(ProblemKind::Empty)),
    };
    if header.len() > MAX_IMPORT_COLUMNS {
        return Err(report.whole(ProblemKind::TooManyColumns { max: MAX_IMPORT_COLUMNS }));
    }
    let columns: Vec<Mapped> =
        header.iter().map(|h| Mapped { header: h.trim().to_owned(), column: column_of(h, metrics) }).collect();
    report.columns = columns.clone();
    check_columns(&columns, &mut report);

    let index = PlatformIndex::new(platforms);
    let mut seen: HashMap<(String, Month), u64> = HashMap::new();
    let mut rows = Vec::new();
    let mut count = 0usize;
    let mut lines = LineCounter::new(&text);
    for record in records {
        let Ok(record) = record else {
            report.add(0, None, ProblemKind::NotText);
            break;
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        count += 1;
        if count > MAX_IMPORT_ROWS {
            report.add(line, None, ProblemKind::TooManyRows { max: MAX_IMPORT_ROWS });
            break;
        }
        if record.len() != columns.len() {
            report.add(line, None, ProblemKind::FieldCount { expected: columns.len(), found: record.len() });
            continue;
        }
        if let Some(row) = read_row(line, &record, &columns, &index, &mut report) {
            match seen.get(&(row.platform.clone(), row.month)) {
                Some(&first_line) => report.add(line, None, ProblemKind::DuplicateRow { first_line }),
                None => {
                    seen.insert((row.platform.clone(), row.month), line);
                    rows.push(row);
                }
            }
        }
    }
    if report.is_clean() {
        Ok(Plan { encoding: encoding.to_owned(), delimiter: char::from(delimiter), columns, rows })
    } else {
        Err(report.rejected())
    }
}

/// Decodes a file: a byte-order mark decides, else UTF-8 if it is valid, else Windows-1252.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text, encoding.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, "windows-1252")
        }
    }
}

/// The separator the header line uses most, outside quotes: `;`, `,` or tab (`;` if none).
fn delimiter_of(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts.iter().fold((b';', 0), |best, &(d, n)| if n > best.1 { (d, n) } else { best }).0
}

/// What a header names.
fn column_of(header: &str, metrics: &[MetricDef]) -> Column {
    let h = header.trim().to_lowercase();
    if PLATFORM_NAMES.contains(&h.as_str()) {
        return Column::Platform;
    }
    if MONTH_NAMES.contains(&h.as_str()) {
        return Column::Month;
    }
    if SOURCE_NAMES.contains(&h.as_str()) {
        return Column::Source;
    }
    metrics
        .iter()
        .find(|m| {
            m.key == h
                || m.name.de.to_lowercase() == h
                || m.name.en.to_lowercase() == h
                || m.aliases.iter().any(|a| a.to_lowercase() == h)
        })
        .map_or(Column::Ignored, |m| Column::Metric(m.key.clone()))
}

/// Platform and month columns must be there, and nothing may be read twice.
fn check_columns(columns: &[Mapped], report: &mut Report) {
    for needed in [Column::Platform, Column::Month] {
        if !columns.iter().any(|c| c.column == needed) {
            report.add(1, None, ProblemKind::MissingColumn { column: needed });
        }
    }
    for (i, c) in columns.iter().enumerate() {
        if c.column != Column::Ignored && columns[..i].iter().any(|d| d.column == c.column) {
            report.add(1, Some(&c.header), ProblemKind::DuplicateColumn { column: c.column.clone() });
        }
    }
}

/// One data row, or its problems added to the report.
fn read_row(
    line: u64,
    record: &csv::StringRecord,
    columns: &[Mapped],
    platforms: &PlatformIndex,
    report: &mut Report,
) -> Option<Row> {
    let before = report.total;
    let (mut platform, mut month, mut source, mut values) = (None, None, None, Vec::new());
    for (field, mapped) in record.iter().zip(columns) {
        let field = field.trim();
        let header = Some(mapped.header.as_str());
        if field.chars().count() > MAX_FIELD_CHARS {
            report.add(line, header, ProblemKind::FieldTooLong { max_chars: MAX_FIELD_CHARS });
            continue;
        }
        match &mapped.column {
            Column::Platform => match platforms.find(field) {
                Ok(id) => platform = Some(id),
                Err(problem) => report.add(line, header, problem),
            },
            Column::Month => match field.parse::<Month>() {
                Ok(m) => month = Some(m),
                Err(_) => report.add(line, header, ProblemKind::BadMonth { value: field.to_owned() }),
            },
            Column::Source => source = (!field.is_empty()).then(|| field.to_owned()),
            Column::Metric(key) if !field.is_empty() => match field.parse::<Amount>() {
                Ok(v) => values.push((key.clone(), v)),
                Err(why) => report.add(line, header, ProblemKind::BadNumber { value: field.to_owned(), why }),
            },
            Column::Metric(_) | Column::Ignored => {}
        }
    }
    if report.total != before {
        return None;
    }
    Some(Row { line, platform: platform?, month: month?, source, values })
}

/// Line numbers from byte offsets (the csv crate counts a CRLF file's lines differently),
/// counted forward once: records come in order.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter { text: text.as_bytes(), offset: 0, line: 1 }
    }

    /// The line a record starting at `offset` is on (1-based). With CRLF the csv crate starts a
    /// record at the line feed after the carriage return: line breaks before its first field are
    /// skipped.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut to = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len()).max(self.offset);
        while matches!(self.text.get(to), Some(b'\n' | b'\r')) {
            to += 1;
        }
        self.line += line_breaks(&self.text[self.offset..to]);
        self.offset = to;
        self.line
    }
}

/// Line breaks in `bytes` as the csv crate splits records: CRLF, a lone CR (old Mac files) and
/// a lone LF each end a line.
fn line_breaks(bytes: &[u8]) -> u64 {
    let lone_cr = bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count();
    let last_cr = usize::from(bytes.last() == Some(&b'\r'));
    (bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr + last_cr) as u64
}

/// The concept's platforms by id and by name (without case).
struct PlatformIndex<'a> {
    platforms: &'a [KnownPlatform],
}

impl<'a> PlatformIndex<'a> {
    fn new(platforms: &'a [KnownPlatform]) -> Self {
        PlatformIndex { platforms }
    }

    fn find(&self, value: &str) -> Result<String, ProblemKind> {
        if let Some(p) = self.platforms.iter().find(|p| p.id == value) {
            return Ok(p.id.clone());
        }
        let wanted = value.to_lowercase();
        let mut named = self.platforms.iter().filter(|p| p.name.trim().to_lowercase() == wanted);
        match (named.next(), named.next()) {
            (Some(p), None) if !wanted.is_empty() => Ok(p.id.clone()),
            (Some(_), Some(_)) => Err(ProblemKind::AmbiguousPlatform { value: value.to_owned() }),
            _ => Err(ProblemKind::UnknownPlatform { value: value.to_owned() }),
        }
    }
}

/// Problems found so far, bounded.
#[derive(Default)]
struct Report {
    problems: Vec<Problem>,
    total: usize,
    columns: Vec<Mapped>,
}

impl Report {
    fn add(&mut self, line: u64, column: Option<&str>, problem: ProblemKind) {
        self.total += 1;
        if self.problems.len() < MAX_REPORTED_PROBLEMS {
            self.problems.push(Problem { line, column: column.map(str::to_owned), problem });
        }
    }

    fn whole(mut self, problem: ProblemKind) -> Rejected {
        self.add(0, None, problem);
        self.rejected()
    }

    fn is_clean(&self) -> bool {
        self.total == 0
    }

    fn rejected(self) -> Rejected {
        let more = self.total - self.problems.len();
        Rejected { problems: self.problems, more, columns: self.columns }
    }
}
