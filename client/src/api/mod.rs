//! Server functions: how pages get their data and act, during server rendering and from the browser.
//! One file per resource, each with the trait the server implements for it ([`Pages`] gathers them).
//!
//! Every server function has a stable URL, `/api/fn/<its name>` (a named endpoint, no hash), so
//! that scripts and tests can call it. Each asks the server's [`Pages`], which authorizes the
//! request itself; a refusal becomes an error `refused:<code>` with the matching HTTP status.

pub mod account;
pub mod admin;
pub mod audit;
pub mod ballots;
pub mod comments;
pub mod documents;
pub mod drafts;
pub mod evaluations;
pub mod history;
pub mod me;
pub mod metrics;
pub mod moderation;
pub mod notifications;
pub mod sharing;

#[cfg(feature = "ssr")]
use std::future::Future;
#[cfg(feature = "ssr")]
use std::pin::Pin;
#[cfg(feature = "ssr")]
use std::sync::Arc;

#[cfg(feature = "ssr")]
use kompromiss_shared::dto::refusal::Refusal;
use leptos::prelude::ServerFnError;

/// A boxed future, so the page traits stay object-safe.
#[cfg(feature = "ssr")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The answer of a page call.
#[cfg(feature = "ssr")]
pub type Answer<'a, T> = BoxFuture<'a, Result<T, Refusal>>;

/// The request a page call answers.
#[cfg(feature = "ssr")]
pub type Req = http::request::Parts;

/// Defines [`Pages`] as all the given page traits, and implements it for whatever implements them.
#[cfg(feature = "ssr")]
macro_rules! pages {
    ($($resource:path),+ $(,)?) => {
        /// Everything pages need from the server: one trait per resource.
        pub trait Pages: $($resource +)+ Send + Sync + 'static {}

        impl<T> Pages for T where T: $($resource +)+ Send + Sync + 'static {}
    };
}

// A new resource adds its trait here.
#[cfg(feature = "ssr")]
pages!(
    me::MePages,
    documents::DocumentPages,
    drafts::DraftPages,
    ballots::BallotPages,
    metrics::MetricPages,
    evaluations::EvaluationPages,
    history::HistoryPages,
    account::AccountPages,
    admin::AdminPages,
    sharing::SharingPages,
    audit::AuditPages,
    comments::CommentPages,
    moderation::ModerationPages,
    notifications::NotificationPages,
);

/// The context value carrying the server's pages.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct PagesHandle(pub Arc<dyn Pages>);

/// The server's pages and the request, from the server function's context.
#[cfg(feature = "ssr")]
pub(crate) fn parts() -> Result<(PagesHandle, Req), ServerFnError> {
    use leptos::prelude::use_context;
    let pages = use_context::<PagesHandle>().ok_or_else(|| ServerFnError::new("pages missing"))?;
    let parts = use_context::<Req>().ok_or_else(|| ServerFnError::new("request missing"))?;
    Ok((pages, parts))
}

/// Turns a refusal into a server-function error and sets the response status to match.
#[cfg(feature = "ssr")]
pub(crate) fn refused(refusal: Refusal) -> ServerFnError {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::from_u16(refusal.status()).unwrap_or(http::StatusCode::FORBIDDEN));
    }
    ServerFnError::new(format!("refused:{}", refusal.code()))
}

/// The refusal code inside a server-function error (`sign-in`, `forbidden`, `not-found`, `invalid:<field>`).
pub fn refusal_code(error: &ServerFnError) -> Option<String> {
    let text = error.to_string();
    text.find("refused:").map(|i| text[i + "refused:".len()..].trim().to_owned())
}

/// Runs a page call inside a server function: `ask!(|pages, req| pages.me(req))`.
#[cfg(feature = "ssr")]
macro_rules! ask {
    (|$pages:ident, $req:ident| $call:expr) => {{
        let (handle, parts) = crate::api::parts()?;
        let $pages = &handle.0;
        let $req = &parts;
        $call.await.map_err(crate::api::refused)
    }};
}
#[cfg(feature = "ssr")]
pub(crate) use ask;

/// A server-function error for an invalid field, the same as the server's refusal (status 400).
#[cfg(feature = "ssr")]
pub(crate) fn invalid(field: &str) -> ServerFnError {
    refused(Refusal::Invalid(field.to_owned()))
}

/// An optional value from a form field: empty means none.
#[cfg(feature = "ssr")]
pub(crate) fn optional<T>(
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
    field: &str,
) -> Result<Option<T>, ServerFnError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    parse(raw).map(Some).ok_or_else(|| invalid(field))
}
