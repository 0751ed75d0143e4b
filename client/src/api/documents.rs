//! Concept documents: the overview with the list and templates, and one document's first render.

use kompromiss_shared::dto::documents::{DocumentData, Overview};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask};

/// What the server answers about documents.
#[cfg(feature = "ssr")]
pub trait DocumentPages {
    /// The readable documents, the templates and the visitor (signed-in people only).
    fn overview<'a>(&'a self, req: &'a Req) -> Answer<'a, Overview>;
    /// One document, if it exists and the visitor may read it (else `page: None`, the same for both).
    fn document<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, DocumentData>;
}

/// The document list, templates and the visitor.
#[server(prefix = "/api/fn", endpoint = "get_overview")]
pub async fn get_overview() -> Result<Overview, ServerFnError> {
    ask!(|p, r| p.overview(r))
}

/// One document's first render.
#[server(prefix = "/api/fn", endpoint = "get_document")]
pub async fn get_document(id: String) -> Result<DocumentData, ServerFnError> {
    ask!(|p, r| p.document(r, id))
}
