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
}

/// The templates that ship with Kompromiss.
pub fn builtin() -> Vec<Template> {
    const SOURCES: [&str; 1] = [include_str!("../templates/social-media-konzept.json")];
    SOURCES.iter().filter_map(|src| serde_json::from_str(src).ok()).collect()
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
}
