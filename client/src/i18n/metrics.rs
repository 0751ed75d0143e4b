//! Metrics in words: numbers in the reader's notation, months, units, import summaries and the
//! reasons a line of a file was refused.

use kompromiss_shared::metrics::import::{Column, Problem, ProblemKind};
use kompromiss_shared::metrics::{Amount, BadAmount};
use kompromiss_shared::template::{Localized, MetricDef, Unit};

use super::Lang;

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
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

impl Lang {
    /// A localized template text.
    pub fn pick(self, text: &Localized) -> String {
        match self {
            Lang::De => text.de.clone(),
            Lang::En => text.en.clone(),
        }
    }

    /// A value in the reader's notation ("12.345,5" / "12,345.5").
    pub fn amount(self, a: Amount) -> String {
        match self {
            Lang::De => a.german(),
            Lang::En => a.english(),
        }
    }

    /// A computed figure, rounded to two decimals.
    pub fn figure(self, v: f64) -> String {
        Amount::rounded(v).map_or_else(|| "–".to_owned(), |a| self.amount(a))
    }

    /// A figure with its unit, or "–" when there is none.
    pub fn figure_in(self, v: Option<f64>, unit: Unit) -> String {
        v.map_or_else(|| "–".to_owned(), |v| format!("{}{}", self.figure(v), unit.suffix()))
    }

    /// A value with its metric's unit.
    pub fn with_unit(self, text: String, metric: &MetricDef) -> String {
        format!("{text}{}", metric.unit.suffix())
    }

    /// A month's name (1–12).
    pub fn month_name(self, n: u8) -> &'static str {
        let names = if self == Lang::De { MONTHS_DE } else { MONTHS_EN };
        names.get(usize::from(n).wrapping_sub(1)).copied().unwrap_or("")
    }

    /// "Kennzahlen 2026" / "Metrics 2026".
    pub fn metrics_title(self, year: u16) -> String {
        match self {
            Lang::De => format!("Kennzahlen {year}"),
            Lang::En => format!("Metrics {year}"),
        }
    }

    /// "Evaluation 2026".
    pub fn evaluation_title(self, year: u16) -> String {
        format!("Evaluation {year}")
    }

    /// "Vorgestellt im Landesparteirat am 2027-03-14" / "Presented to … on …".
    pub fn presented(self, body: &str, on: &str) -> String {
        match self {
            Lang::De => format!("Vorgestellt: {body}, {on}"),
            Lang::En => format!("Presented: {body}, {on}"),
        }
    }

    /// "Anna Berger: 12 Änderungen, 2026-03-01 – 2026-03-04".
    pub fn stretch(self, who: &str, changes: usize, from: &str, to: &str) -> String {
        match (self, changes) {
            (Lang::De, 1) => format!("{who}: 1 Änderung, {from} – {to}"),
            (Lang::De, n) => format!("{who}: {n} Änderungen, {from} – {to}"),
            (Lang::En, 1) => format!("{who}: 1 change, {from} – {to}"),
            (Lang::En, n) => format!("{who}: {n} changes, {from} – {to}"),
        }
    }

    /// What a clean file holds and what importing it changes.
    pub fn import_ready(self, rows: u32, values: u32, changed: u32, unchanged: u32) -> String {
        match self {
            Lang::De => format!(
                "Die Datei ist in Ordnung: {rows} Zeilen mit {values} Werten, davon {changed} neu oder geändert und {unchanged} unverändert."
            ),
            Lang::En => format!(
                "The file is fine: {rows} rows with {values} values, {changed} of them new or changed and {unchanged} unchanged."
            ),
        }
    }

    /// What an import stored.
    pub fn import_stored(self, changed: u32, unchanged: u32) -> String {
        match self {
            Lang::De => format!("Importiert: {changed} Werte gespeichert, {unchanged} waren schon so erfasst."),
            Lang::En => format!("Imported: {changed} values stored, {unchanged} were already recorded."),
        }
    }

    /// "… und 12 weitere Probleme".
    pub fn more_problems(self, n: usize) -> String {
        match (self, n) {
            (Lang::De, 1) => "… und 1 weiteres Problem".to_owned(),
            (Lang::De, n) => format!("… und {n} weitere Probleme"),
            (Lang::En, 1) => "… and 1 more problem".to_owned(),
            (Lang::En, n) => format!("… and {n} more problems"),
        }
    }

    /// What a column is read as.
    pub fn column_use(self, column: &Column, metrics: &[MetricDef]) -> String {
        let de = self == Lang::De;
        match column {
            Column::Platform => (if de { "Plattform" } else { "Platform" }).to_owned(),
            Column::Month => (if de { "Monat" } else { "Month" }).to_owned(),
            Column::Source => (if de { "Quelle" } else { "Source" }).to_owned(),
            Column::Metric(key) => {
                metrics.iter().find(|m| &m.key == key).map_or_else(|| key.clone(), |m| self.pick(&m.name))
            }
            Column::Ignored => (if de { "wird nicht importiert" } else { "not imported" }).to_owned(),
        }
    }

    /// One problem of a file as a sentence, with its line and column.
    pub fn import_problem(self, p: &Problem, metrics: &[MetricDef]) -> String {
        let de = self == Lang::De;
        let what = match &p.problem {
            ProblemKind::TooLarge { max_bytes } => {
                if de {
                    format!("Die Datei ist größer als {} KB.", max_bytes / 1024)
                } else {
                    format!("The file is larger than {} KB.", max_bytes / 1024)
                }
            }
            ProblemKind::TooManyRows { max } => {
                if de {
                    format!("Mehr als {max} Zeilen: bitte die Datei teilen.")
                } else {
                    format!("More than {max} rows: please split the file.")
                }
            }
            ProblemKind::TooManyColumns { max } => {
                if de {
                    format!("Mehr als {max} Spalten.")
                } else {
                    format!("More than {max} columns.")
                }
            }
            ProblemKind::NotText => {
                (if de { "Das ist keine Textdatei (CSV)." } else { "This is not a text (CSV) file." }).to_owned()
            }
            ProblemKind::Empty => {
                (if de { "Die Datei hat keine Kopfzeile." } else { "The file has no header line." }).to_owned()
            }
            ProblemKind::MissingColumn { column } => {
                let name = self.column_use(column, metrics);
                if de {
                    format!("Die Spalte „{name}“ fehlt.")
                } else {
                    format!("The column “{name}” is missing.")
                }
            }
            ProblemKind::DuplicateColumn { column } => {
                let name = self.column_use(column, metrics);
                if de {
                    format!("„{name}“ steht in zwei Spalten.")
                } else {
                    format!("“{name}” is in two columns.")
                }
            }
            ProblemKind::FieldCount { expected, found } => {
                if de {
                    format!("{found} Felder statt {expected}.")
                } else {
                    format!("{found} fields instead of {expected}.")
                }
            }
            ProblemKind::FieldTooLong { max_chars } => {
                if de {
                    format!("Das Feld ist länger als {max_chars} Zeichen.")
                } else {
                    format!("The field is longer than {max_chars} characters.")
                }
            }
            ProblemKind::UnknownPlatform { value } => {
                if de {
                    format!("„{value}“ ist keine Plattform dieses Konzepts.")
                } else {
                    format!("“{value}” is not a platform of this concept.")
                }
            }
            ProblemKind::AmbiguousPlatform { value } => {
                if de {
                    format!("Zwei Plattformen heißen „{value}“.")
                } else {
                    format!("Two platforms are called “{value}”.")
                }
            }
            ProblemKind::BadMonth { value } => {
                if de {
                    format!("„{value}“ ist kein Monat (2026-03 oder 03.2026).")
                } else {
                    format!("“{value}” is not a month (2026-03 or 03.2026).")
                }
            }
            ProblemKind::BadNumber { value, why } => self.bad_number(value, *why),
            ProblemKind::DuplicateRow { first_line } => {
                if de {
                    format!("Plattform und Monat stehen schon in Zeile {first_line}.")
                } else {
                    format!("Platform and month are already in line {first_line}.")
                }
            }
        };
        let at = match (p.line, &p.column) {
            (0, _) => String::new(),
            (line, Some(column)) => {
                if de {
                    format!("Zeile {line}, Spalte „{column}“: ")
                } else {
                    format!("Line {line}, column “{column}”: ")
                }
            }
            (line, None) => {
                if de {
                    format!("Zeile {line}: ")
                } else {
                    format!("Line {line}: ")
                }
            }
        };
        format!("{at}{what}")
    }

    fn bad_number(self, value: &str, why: BadAmount) -> String {
        let de = self == Lang::De;
        let reason = match (why, de) {
            (BadAmount::NotANumber, true) => "ist keine Zahl",
            (BadAmount::NotANumber, false) => "is not a number",
            (BadAmount::Negative, true) => "ist negativ",
            (BadAmount::Negative, false) => "is negative",
            (BadAmount::TooPrecise, true) => "hat mehr als zwei Nachkommastellen",
            (BadAmount::TooPrecise, false) => "has more than two decimals",
            (BadAmount::Ambiguous, true) => "ist mehrdeutig: bitte ohne Tausenderpunkt schreiben",
            (BadAmount::Ambiguous, false) => "is ambiguous: please write it without a thousands separator",
            (BadAmount::TooLarge, true) => "ist zu groß",
            (BadAmount::TooLarge, false) => "is too large",
        };
        if de { format!("„{value}“ {reason}.") } else { format!("“{value}” {reason}.") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_its_line_column_and_reason_in_both_languages() {
        let p = Problem {
            line: 8,
            column: Some("Ausgaben".into()),
            problem: ProblemKind::BadNumber { value: "-12,50".into(), why: BadAmount::Negative },
        };
        assert_eq!(Lang::De.import_problem(&p, &[]), "Zeile 8, Spalte „Ausgaben“: „-12,50“ ist negativ.");
        assert_eq!(Lang::En.import_problem(&p, &[]), "Line 8, column “Ausgaben”: “-12,50” is negative.");
        assert_eq!(Lang::De.figure(1234.567), "1.234,57");
        assert_eq!(Lang::De.amount(Amount::from_hundredths(450).expect("ok")), "4,5");
        assert_eq!(Lang::En.amount(Amount::from_hundredths(123_450).expect("ok")), "1,234.5");
        assert_eq!(Lang::En.figure(f64::NAN), "–");
    }
}
