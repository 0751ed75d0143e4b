//! Who is asking and what they may do: sessions, API tokens, sign-in, roles and document access.

pub mod access;
pub mod changes;
pub mod oidc;
pub mod readers;
pub mod roles;
pub mod secret;
pub mod session;
pub mod settings;
pub mod sync_tickets;
pub mod tokens;

use std::sync::Arc;

use axum::http::HeaderMap;
use kompromiss_shared::dto::people::RoleHolding;
use kompromiss_shared::perm::{self, Role};

use crate::db::users::User;
use crate::db::{Db, DbError};
use settings::AuthSettings;

/// The identity behind a request or a sync connection.
#[derive(Debug, Clone, Default)]
pub enum Principal {
    /// No (valid) session or token.
    #[default]
    Anonymous,
    /// A signed-in person (or a script with their token).
    User(Arc<Identity>),
}

/// A signed-in person with their roles, resolved for this request.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: User,
    /// Highest role held.
    pub role: Option<Role>,
    pub holdings: Vec<RoleHolding>,
    pub via: Via,
}

/// How a principal proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session (hash of the cookie's token) and its absolute expiry.
    Session { token_hash: String, expires_at: i64 },
    /// A personal API token (its id).
    Token { id: String },
}

impl Principal {
    /// The signed-in person, if any.
    pub fn identity(&self) -> Option<&Identity> {
        match self {
            Principal::User(identity) => Some(identity),
            Principal::Anonymous => None,
        }
    }

    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&User> {
        self.identity().map(|i| &i.user)
    }

    /// The effective role (none when anonymous).
    pub fn role(&self) -> Option<Role> {
        self.identity().and_then(|i| i.role)
    }

    /// The view of this principal the permission rule takes.
    pub fn who(&self) -> perm::Who<'_> {
        match self.identity() {
            Some(i) => perm::Who { user_id: Some(&i.user.id), role: i.role, groups: &i.user.groups },
            None => perm::Who::default(),
        }
    }
}

/// The result of looking at a request's credentials.
#[derive(Debug, Clone, Default)]
pub struct Authn {
    pub principal: Principal,
    /// A session cookie was sent but the session has expired (the sign-in page says so).
    pub expired: bool,
}

/// Resolves the principal from an API token (`Authorization: Bearer`, or `access_token` where the
/// caller allows the query) or else from the session cookie.
pub async fn authenticate(
    db: &Db,
    settings: &AuthSettings,
    headers: &HeaderMap,
    query_token: Option<&str>,
) -> Result<Authn, DbError> {
    if let Some(secret) = tokens::from_headers(headers).or(query_token) {
        let Some((token, user)) = tokens::resolve(db, secret).await? else {
            return Ok(Authn::default());
        };
        let principal = identify(db, settings, user, Via::Token { id: token }).await?;
        return Ok(Authn { principal, expired: false });
    }
    match session::resolve(db, settings, headers).await? {
        session::Lookup::Live { user, token_hash, expires_at } => {
            let principal = identify(db, settings, user, Via::Session { token_hash, expires_at }).await?;
            Ok(Authn { principal, expired: false })
        }
        session::Lookup::Expired => Ok(Authn { principal: Principal::Anonymous, expired: true }),
        session::Lookup::None => Ok(Authn::default()),
    }
}

/// Resolves a user's roles into a principal.
pub async fn identify(db: &Db, settings: &AuthSettings, user: User, via: Via) -> Result<Principal, DbError> {
    let sources = roles::RoleSources::load(db, Some(&user.id)).await?;
    let (role, holdings) = roles::resolve(settings, &sources, &user);
    Ok(Principal::User(Arc::new(Identity { user, role, holdings, via })))
}
