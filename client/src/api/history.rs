//! A document's history page: its timeline, any version read-only, two versions compared, and
//! what editors do (name a version, restore a section's earlier wording).

use kompromiss_shared::diff::ConceptDiff;
use kompromiss_shared::dto::timeline::Timeline;
use kompromiss_shared::schema::ConceptView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask};

/// What the server answers and does about a document's history.
#[cfg(feature = "ssr")]
pub trait HistoryPages {
    /// The timeline, if the visitor may read the document.
    fn timeline<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, Timeline>;
    /// The document at a version.
    fn version<'a>(&'a self, req: &'a Req, doc: String, version: String) -> Answer<'a, ConceptView>;
    /// What changed from one version to another.
    fn compare<'a>(&'a self, req: &'a Req, doc: String, from: String, to: String) -> Answer<'a, ConceptDiff>;
    /// Who wrote each passage now.
    fn authorship<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, kompromiss_shared::dto::timeline::Authorship>;
    /// Names a version (editors).
    fn name_version<'a>(&'a self, req: &'a Req, doc: String, name: String, version: String) -> Answer<'a, ()>;
    /// Restores an item's wording from a version (editors).
    fn restore<'a>(&'a self, req: &'a Req, doc: String, version: String, item: String) -> Answer<'a, ()>;
}

/// The timeline of a document.
#[server(prefix = "/api/fn", endpoint = "get_timeline")]
pub async fn get_timeline(doc: String) -> Result<Timeline, ServerFnError> {
    ask!(|p, r| p.timeline(r, doc))
}

/// The document as it was at `version`.
#[server(prefix = "/api/fn", endpoint = "get_version")]
pub async fn get_version(doc: String, version: String) -> Result<ConceptView, ServerFnError> {
    ask!(|p, r| p.version(r, doc, version))
}

/// What changed from `from` to `to`.
#[server(prefix = "/api/fn", endpoint = "compare_versions")]
pub async fn compare_versions(doc: String, from: String, to: String) -> Result<ConceptDiff, ServerFnError> {
    ask!(|p, r| p.compare(r, doc, from, to))
}

/// Who wrote each passage of the document now.
#[server(prefix = "/api/fn", endpoint = "get_authorship")]
pub async fn get_authorship(doc: String) -> Result<kompromiss_shared::dto::timeline::Authorship, ServerFnError> {
    ask!(|p, r| p.authorship(r, doc))
}

/// Names the version `version`.
#[server(prefix = "/api/fn", endpoint = "name_version")]
pub async fn name_version(doc: String, name: String, version: String) -> Result<(), ServerFnError> {
    ask!(|p, r| p.name_version(r, doc, name, version))
}

/// Restores the wording of `item` as it was at `version`.
#[server(prefix = "/api/fn", endpoint = "restore_wording")]
pub async fn restore_wording(doc: String, version: String, item: String) -> Result<(), ServerFnError> {
    ask!(|p, r| p.restore(r, doc, version, item))
}
