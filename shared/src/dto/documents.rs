//! Concept documents: the list, templates for new ones, and a document page's first render.

use serde::{Deserialize, Serialize};

use super::me::Me;
use crate::perm::Level;
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

/// A document page's first render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocPage {
    pub id: String,
    pub view: ConceptView,
    /// The visitor may edit (else the page is read-only).
    pub can_edit: bool,
    /// The visitor's level on this document.
    pub level: Level,
    /// The document's discussion as the visitor may see it (so that it renders before the wasm loads).
    #[serde(default)]
    pub discussion: crate::dto::comments::Discussion,
    /// When the document is a draft: what it is and what it changes.
    #[serde(default)]
    pub draft: Option<crate::dto::drafts::DraftDetail>,
    /// When it is a concept: its drafts.
    #[serde(default)]
    pub drafts: Option<crate::dto::drafts::DraftList>,
}

/// The overview page's data in one round trip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub me: Me,
    pub documents: Vec<DocSummary>,
    pub templates: Vec<TemplateSummary>,
}

/// A document page's data: the visitor, and the document if it exists and is readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentData {
    pub me: Me,
    pub page: Option<DocPage>,
}
