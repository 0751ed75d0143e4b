//! Server functions: how pages get their data, during server rendering and from the browser.

use kompromiss_shared::dto::{DocPage, DocSummary, Me, TemplateSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

/// The server side of the server functions, implemented by the server crate and provided as context.
#[cfg(feature = "ssr")]
pub mod backend {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;

    use super::{DocumentData, Overview};

    /// A boxed future, so the trait stays object-safe.
    pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

    /// What pages need from the server. Errors are messages safe to show.
    pub trait Backend: Send + Sync + 'static {
        fn overview<'a>(&'a self, headers: &'a http::HeaderMap) -> BoxFuture<'a, Result<Overview, String>>;
        fn document<'a>(
            &'a self,
            headers: &'a http::HeaderMap,
            id: String,
        ) -> BoxFuture<'a, Result<DocumentData, String>>;
    }

    /// The context value carrying the backend.
    #[derive(Clone)]
    pub struct BackendHandle(pub Arc<dyn Backend>);

    pub(crate) fn parts() -> Result<(BackendHandle, http::request::Parts), leptos::prelude::ServerFnError> {
        use leptos::prelude::{ServerFnError, use_context};
        let backend = use_context::<BackendHandle>().ok_or_else(|| ServerFnError::new("backend missing"))?;
        let parts = use_context::<http::request::Parts>().ok_or_else(|| ServerFnError::new("request missing"))?;
        Ok((backend, parts))
    }
}

/// The document list, templates and the visitor.
#[server(prefix = "/api/fn")]
pub async fn get_overview() -> Result<Overview, ServerFnError> {
    let (backend, parts) = backend::parts()?;
    backend.0.overview(&parts.headers).await.map_err(ServerFnError::new)
}

/// One document's first render.
#[server(prefix = "/api/fn")]
pub async fn get_document(id: String) -> Result<DocumentData, ServerFnError> {
    let (backend, parts) = backend::parts()?;
    backend.0.document(&parts.headers, id).await.map_err(ServerFnError::new)
}
