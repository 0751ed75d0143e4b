//! Who is visiting: name, role, and which sign-ins are offered.

use kompromiss_shared::dto::me::Me;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask};

/// What the server answers about the visitor.
#[cfg(feature = "ssr")]
pub trait MePages {
    /// Who is asking (never refused; anonymous visitors get an empty `Me`).
    fn me<'a>(&'a self, req: &'a Req) -> Answer<'a, Me>;
}

/// Who is visiting: name, role, and which sign-ins are offered.
#[server(prefix = "/api/fn", endpoint = "get_me")]
pub async fn get_me() -> Result<Me, ServerFnError> {
    ask!(|p, r| p.me(r))
}
