//! Concept documents as a domain: creation from templates, listing and reading through the actors.

use std::sync::Arc;

use automerge::AutoCommit;
use kompromiss_shared::dto::documents::{DocSummary, TemplateSummary};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::schema::{self, ConceptView};
use kompromiss_shared::template::{self, Template};
use rand::Rng;

use crate::db::attribution::{Author, Channel};
use crate::db::chunks::{self, ChunkKind};
use crate::db::documents::{self, NewDocument};
use crate::db::{Db, DbError};
use crate::sync::registry::Registry;
use crate::sync::runs;

/// Why a concept could not be created or read.
#[derive(Debug, thiserror::Error)]
pub enum ConceptError {
    #[error("unknown template")]
    UnknownTemplate,
    #[error("document not found")]
    NotFound,
    #[error("document temporarily unavailable")]
    Unavailable,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
}

/// A fresh random document id.
pub fn new_document_id() -> DocumentId {
    DocumentId::from_random(rand::rng().random())
}

/// A short random id for sections and platform entries.
pub fn new_item_id() -> String {
    let n: u64 = rand::rng().random();
    format!("{n:016x}")
}

/// The templates offered for new documents.
pub fn templates() -> Vec<TemplateSummary> {
    template::builtin()
        .into_iter()
        .map(|t| TemplateSummary { id: t.id, name_de: t.name.de, name_en: t.name.en })
        .collect()
}

fn find_template(id: &str) -> Option<Template> {
    template::builtin().into_iter().find(|t| t.id == id)
}

/// Creates a document from a template and stores it durably before returning its id.
pub async fn create(db: &Db, template_id: &str, created_by: Option<&str>) -> Result<DocumentId, ConceptError> {
    let template = find_template(template_id).ok_or(ConceptError::UnknownTemplate)?;
    let mut doc = AutoCommit::new();
    schema::init_from_template(&mut doc, &template, new_item_id)?;
    let id = new_document_id();
    let meta = NewDocument {
        title: template.title.clone(),
        template: Some(template.id.clone()),
        created_by: created_by.map(str::to_owned),
    };
    let bytes = doc.save();
    // The server writes the template on the creator's behalf: their change, through the server.
    let author = Arc::new(Author { user_id: created_by.map(str::to_owned), channel: Channel::Server, token_id: None });
    let authors = runs::group(doc.get_changes(&[]), |_| Some(author.clone()), |_, _| false);
    let write = chunks::Write {
        authors: &authors,
        listed_title: Some(&template.title),
        new_doc: Some(&meta),
        ..chunks::Write::chunk(ChunkKind::Snapshot, &bytes)
    };
    chunks::append(db, id, write).await?;
    tracing::info!(doc = %id, template = %template.id, "document created");
    Ok(id)
}

/// The document list.
pub async fn list(db: &Db) -> Result<Vec<DocSummary>, ConceptError> {
    Ok(documents::list(db)
        .await?
        .into_iter()
        .map(|d| DocSummary { id: d.id.to_string(), title: d.title, updated_at: d.updated_at })
        .collect())
}

/// The documents a principal may read.
pub async fn list_readable(db: &Db, principal: &crate::auth::Principal) -> Result<Vec<DocSummary>, ConceptError> {
    let grants = crate::db::grants::all(db).await?;
    let who = principal.who();
    Ok(list(db)
        .await?
        .into_iter()
        .filter(|d| {
            let doc_grants = grants.get(&d.id).map_or(&[][..], Vec::as_slice);
            kompromiss_shared::perm::level(&who, doc_grants) >= kompromiss_shared::perm::Level::Read
        })
        .collect())
}

/// The current content of a document, read through its actor (so unsaved-by-others state is consistent).
pub async fn view(registry: &Registry, id: DocumentId) -> Result<ConceptView, ConceptError> {
    ask(registry, id, |h| async move { h.view().await }).await
}

/// The whole document as Automerge bytes, for clients that open it faster than by syncing from
/// scratch: what storage holds (every acknowledged change), read without the document's actor,
/// so that asking for it never stalls editing.
pub async fn snapshot(db: &Db, id: DocumentId) -> Result<Vec<u8>, ConceptError> {
    let stored = crate::db::chunks::load(db, id).await?.ok_or(ConceptError::NotFound)?;
    Ok(stored.data)
}

/// Asks a document's actor, opening it again once if it stopped meanwhile (eviction race).
pub(crate) async fn ask<T, F, Fut>(registry: &Registry, id: DocumentId, query: F) -> Result<T, ConceptError>
where
    F: Fn(crate::sync::actor::DocHandle) -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, crate::sync::actor::Gone>>,
{
    for _ in 0..2 {
        if let Ok(answer) = query(registry.open(id)).await {
            return answer.ok_or(ConceptError::NotFound);
        }
    }
    Err(ConceptError::Unavailable)
}
