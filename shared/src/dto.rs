//! Data sent between server and browser outside the sync protocol (lists, who am I).

use serde::{Deserialize, Serialize};

use crate::schema::ConceptView;

/// One entry of the document list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSummary {
    pub id: String,
    pub title: String,
    /// Milliseconds since the Unix epoch.
    pub updated_at: i64,
}

/// A template offered for new documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSummary {
    pub id: String,
    pub name_de: String,
    pub name_en: String,
}

/// What the page needs to know about the visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Me {
    /// Display name when signed in.
    pub display_name: Option<String>,
    /// The development sign-in is on (and announced in a banner).
    pub dev_login: bool,
}

/// A document page's first render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocPage {
    pub id: String,
    pub view: ConceptView,
    /// The visitor may edit (else the page is read-only).
    pub can_edit: bool,
}
