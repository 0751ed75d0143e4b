//! The server side of the page data: implements the client's `Backend` for server functions and SSR.

use std::sync::Arc;

use kompromiss_client::api::backend::{Backend, BackendHandle, BoxFuture};
use kompromiss_client::api::{DocumentData, Overview};
use kompromiss_shared::dto::{DocPage, Me};
use kompromiss_shared::ids::DocumentId;

use crate::auth::{self, Principal, session};
use crate::concepts::{self, ConceptError};
use crate::state::AppState;
use crate::sync::DocAccess;

struct ServerBackend {
    state: AppState,
}

/// The backend handle put into every page's context.
pub fn handle(state: AppState) -> BackendHandle {
    BackendHandle(Arc::new(ServerBackend { state }))
}

fn safe(e: impl std::fmt::Display) -> String {
    tracing::error!(error = %e, "page data failed");
    "internal error".to_owned()
}

impl ServerBackend {
    async fn me(&self, headers: &http::HeaderMap) -> Result<(Principal, Me), String> {
        let principal = session::principal(&self.state.db, headers).await.map_err(safe)?;
        let me = Me {
            display_name: principal.user().map(|u| u.display_name.clone()),
            dev_login: self.state.config.dev_login,
        };
        Ok((principal, me))
    }
}

impl Backend for ServerBackend {
    fn overview<'a>(&'a self, headers: &'a http::HeaderMap) -> BoxFuture<'a, Result<Overview, String>> {
        Box::pin(async move {
            let (_, me) = self.me(headers).await?;
            let documents = concepts::list(&self.state.db).await.map_err(safe)?;
            Ok(Overview { me, documents, templates: concepts::templates() })
        })
    }

    fn document<'a>(&'a self, headers: &'a http::HeaderMap, id: String) -> BoxFuture<'a, Result<DocumentData, String>> {
        Box::pin(async move {
            let (principal, me) = self.me(headers).await?;
            let Ok(doc) = DocumentId::parse_url_or_id(&id) else {
                return Ok(DocumentData { me, page: None });
            };
            let access = auth::doc_access(&principal, doc);
            if access == DocAccess::None {
                return Ok(DocumentData { me, page: None });
            }
            let page = match concepts::view(&self.state.registry, doc).await {
                Ok(view) => Some(DocPage { id: doc.to_string(), view, can_edit: access == DocAccess::Edit }),
                Err(ConceptError::NotFound) => None,
                Err(e) => return Err(safe(e)),
            };
            Ok(DocumentData { me, page })
        })
    }
}
