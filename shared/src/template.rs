//! Concept templates: data files (JSON) describing a new document's sections and platforms.

use serde::{Deserialize, Serialize};

use crate::decision::Decision;

/// A text in German and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub de: String,
    pub en: String,
}

/// One section a template starts a document with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSection {
    /// Stable key, used as the section's id so that links survive renames.
    pub key: String,
    pub heading: String,
    pub body: String,
}

/// One platform entry a template starts a document with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatePlatform {
    pub name: String,
    pub decision: Decision,
    pub target_groups: String,
    pub rationale: String,
}

/// A concept template, read from a JSON file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
    pub title: String,
    pub sections: Vec<TemplateSection>,
    pub platforms: Vec<TemplatePlatform>,
    /// What is recorded per platform and month (traceable metrics).
    #[serde(default)]
    pub metrics: Vec<MetricDef>,
    /// Figures computed from two metrics, shown beside them.
    #[serde(default)]
    pub derived: Vec<DerivedDef>,
    /// The criteria every platform entry is assessed by, in the order shown.
    #[serde(default)]
    pub assessment: Vec<Criterion>,
}

/// What kind of answer a criterion takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    /// Free text, co-edited like the rest of the concept.
    Text,
    /// A checklist item: fulfilled, not fulfilled or unclear, with a note (`<key>_note`).
    Check,
    /// A number (hours, euros), written as text and read as a number where it is used.
    Number,
    /// A date (`YYYY-MM-DD`).
    Date,
}

/// One criterion of a platform's assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// The field's key in the platform entry (`a_…`, see `schema::is_assessment_key`).
    pub key: String,
    /// The heading it is shown under (criteria of one group follow each other).
    pub group: Localized,
    pub label: Localized,
    pub kind: CriterionKind,
    /// For numbers: what they count.
    #[serde(default)]
    pub unit: Option<Unit>,
}

impl Criterion {
    /// The text fields this criterion keeps in a platform entry (a check's note).
    pub fn text_keys(&self) -> Vec<String> {
        match self.kind {
            CriterionKind::Check => vec![format!("{}_note", self.key)],
            _ => vec![self.key.clone()],
        }
    }
}

impl Template {
    /// Every text field of the assessment, to be created with each platform entry (two people
    /// typing first into a field that does not exist yet would each create it, and one would lose).
    pub fn assessment_texts(&self) -> Vec<String> {
        self.assessment.iter().flat_map(Criterion::text_keys).collect()
    }
}

/// What a metric's values count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Whole things: followers, posts, incidents.
    Count,
    /// Hours of (volunteer) work.
    Hours,
    /// Euro.
    Euro,
}

impl Unit {
    /// What follows a value of this unit when shown ("4,5 h", "40 €"; counts have none).
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Count => "",
            Unit::Hours => " h",
            Unit::Euro => " €",
        }
    }
}

/// One metric a template records per platform and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricDef {
    /// Stable key (lowercase ASCII), used in storage and as a CSV column name.
    pub key: String,
    pub name: Localized,
    pub unit: Unit,
    /// Other column names a CSV file may use for it (compared without case).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Totals over a year make sense (posts, hours, money), or only the latest value (followers).
    pub summed: bool,
}

/// A figure computed as one metric divided by another, per month or year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerivedDef {
    pub key: String,
    pub name: Localized,
    pub numerator: String,
    pub denominator: String,
    /// The unit of the result, as shown ("€", "je Stunde").
    pub unit: Localized,
}

impl Template {
    /// The metric with this key.
    pub fn metric(&self, key: &str) -> Option<&MetricDef> {
        self.metrics.iter().find(|m| m.key == key)
    }
}

/// The templates that ship with Kompromiss.
pub fn builtin() -> Vec<Template> {
    const SOURCES: [&str; 1] = [include_str!("../templates/social-media-konzept.json")];
    SOURCES.iter().filter_map(|src| serde_json::from_str(src).ok()).collect()
}

/// The built-in template with this id; documents that name none, or an unknown one, get the first.
pub fn builtin_or_default(id: &str) -> Option<Template> {
    let mut all = builtin();
    let at = all.iter().position(|t| t.id == id).unwrap_or(0);
    if all.is_empty() { None } else { Some(all.swap_remove(at)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_social_media_template_has_the_sections_of_the_motion() {
        let templates = builtin();
        let t = templates.iter().find(|t| t.id == "social-media-konzept").expect("built-in template parses");
        let headings: Vec<&str> = t.sections.iter().map(|s| s.heading.as_str()).collect();
        for h in [
            "Ziele",
            "Zielgruppen",
            "Plattformen",
            "Metriken und Evaluation",
            "Datenschutz",
            "Umgang mit Hass und Desinformation",
            "Ressourcen im Ehrenamt",
        ] {
            assert!(headings.contains(&h), "missing section {h}");
        }
        assert!(t.platforms.iter().any(|p| p.name == "Mastodon" && p.decision == Decision::Nutzen));
    }

    #[test]
    fn the_social_media_template_records_the_motions_metrics() {
        let t = builtin_or_default("social-media-konzept").expect("built-in template parses");
        for key in ["follower", "reichweite", "interaktionen", "beitraege", "stunden", "ausgaben", "hassmeldungen"] {
            assert!(t.metric(key).is_some(), "missing metric {key}");
        }
        for d in &t.derived {
            assert!(t.metric(&d.numerator).is_some() && t.metric(&d.denominator).is_some(), "{}", d.key);
        }
        let keys: std::collections::HashSet<&str> = t.metrics.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys.len(), t.metrics.len(), "two metrics share a key");
        assert!(t.metrics.iter().all(|m| m.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
    }

    #[test]
    fn the_social_media_template_assesses_by_the_motions_criteria() {
        let t = builtin_or_default("social-media-konzept").expect("built-in template parses");
        let keys: Vec<&str> = t.assessment.iter().map(|c| c.key.as_str()).collect();
        for key in [
            "a_dp_microtargeting",
            "a_dp_algorithms",
            "a_dp_eu",
            "a_dp_operator",
            "a_dp_settings",
            "a_hate",
            "a_hours",
            "a_money",
            "a_caretaker",
            "a_review",
        ] {
            assert!(keys.contains(&key), "missing criterion {key}");
        }
        let unique: std::collections::HashSet<&&str> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len(), "two criteria share a key");
    }
}
