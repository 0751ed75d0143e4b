//! The signed-in person's account: groups and personal API tokens.

use kompromiss_shared::dto::account::{Account, CreatedToken};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask};

/// What the server answers and does for a person's own account.
#[cfg(feature = "ssr")]
pub trait AccountPages {
    fn account<'a>(&'a self, req: &'a Req) -> Answer<'a, Account>;
    /// Issues a token (browser sessions only: a token cannot mint further tokens).
    fn create_token<'a>(&'a self, req: &'a Req, name: String) -> Answer<'a, CreatedToken>;
    fn revoke_token<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, ()>;
}

/// The signed-in person's account: groups and API tokens.
#[server(prefix = "/api/fn", endpoint = "get_account")]
pub async fn get_account() -> Result<Account, ServerFnError> {
    ask!(|p, r| p.account(r))
}

/// Creates a personal API token; its secret is in the answer and nowhere else.
#[server(prefix = "/api/fn", endpoint = "create_token")]
pub async fn create_token(name: String) -> Result<CreatedToken, ServerFnError> {
    ask!(|p, r| p.create_token(r, name))
}

/// Revokes one of my API tokens.
#[server(prefix = "/api/fn", endpoint = "revoke_token")]
pub async fn revoke_token(id: String) -> Result<(), ServerFnError> {
    ask!(|p, r| p.revoke_token(r, id))
}
