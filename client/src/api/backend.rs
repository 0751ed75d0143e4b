//! The server side of the server functions, implemented by the server crate and provided as context.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use kompromiss_shared::dto::{Account, AdminData, AuditPage, AuditQuery, CreatedToken, DocSharing, Me, Refusal};
use kompromiss_shared::perm::{Level, Role, Subject};

use super::{DocumentData, Overview};

/// A boxed future, so the trait stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The answer of a backend call.
pub type Answer<'a, T> = BoxFuture<'a, Result<T, Refusal>>;

/// What pages need from the server. Every method authorizes the request itself.
pub trait Backend: Send + Sync + 'static {
    /// Who is asking (never refused; anonymous visitors get an empty `Me`).
    fn me<'a>(&'a self, req: &'a http::request::Parts) -> Answer<'a, Me>;
    fn overview<'a>(&'a self, req: &'a http::request::Parts) -> Answer<'a, Overview>;
    fn document<'a>(&'a self, req: &'a http::request::Parts, id: String) -> Answer<'a, DocumentData>;
    fn account<'a>(&'a self, req: &'a http::request::Parts) -> Answer<'a, Account>;
    fn create_token<'a>(&'a self, req: &'a http::request::Parts, name: String) -> Answer<'a, CreatedToken>;
    fn revoke_token<'a>(&'a self, req: &'a http::request::Parts, id: String) -> Answer<'a, ()>;
    fn admin<'a>(&'a self, req: &'a http::request::Parts) -> Answer<'a, AdminData>;
    /// Maps a claim group to a role, or removes the mapping (`role: None`).
    fn set_role_mapping<'a>(
        &'a self,
        req: &'a http::request::Parts,
        group: String,
        role: Option<Role>,
    ) -> Answer<'a, ()>;
    /// Grants (`grant: true`) or revokes a role held directly by a user.
    fn set_user_role<'a>(
        &'a self,
        req: &'a http::request::Parts,
        user_id: String,
        role: Role,
        grant: bool,
    ) -> Answer<'a, ()>;
    fn sharing<'a>(&'a self, req: &'a http::request::Parts, doc: String) -> Answer<'a, DocSharing>;
    /// Sets a document grant, or removes it (`level: None`).
    fn set_grant<'a>(
        &'a self,
        req: &'a http::request::Parts,
        doc: String,
        subject: Subject,
        level: Option<Level>,
    ) -> Answer<'a, ()>;
    fn audit<'a>(&'a self, req: &'a http::request::Parts, query: AuditQuery) -> Answer<'a, AuditPage>;
}

/// The context value carrying the backend.
#[derive(Clone)]
pub struct BackendHandle(pub Arc<dyn Backend>);

/// The backend and the request, from the server function's context.
pub(crate) fn parts() -> Result<(BackendHandle, http::request::Parts), leptos::prelude::ServerFnError> {
    use leptos::prelude::{ServerFnError, use_context};
    let backend = use_context::<BackendHandle>().ok_or_else(|| ServerFnError::new("backend missing"))?;
    let parts = use_context::<http::request::Parts>().ok_or_else(|| ServerFnError::new("request missing"))?;
    Ok((backend, parts))
}

/// Turns a refusal into a server-function error and sets the response status to match.
pub(crate) fn refused(refusal: Refusal) -> leptos::prelude::ServerFnError {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::from_u16(refusal.status()).unwrap_or(http::StatusCode::FORBIDDEN));
    }
    leptos::prelude::ServerFnError::new(format!("refused:{}", refusal.code()))
}
