//! Sync tickets: a script trades its API token (in a header) for a ticket that opens `/sync` once,
//! within seconds, so that no long-lived secret ends up in a URL.

use std::time::Duration;

use super::{Principal, Via, identify, secret};
use crate::auth::settings::AuthSettings;
use crate::db::{Db, DbError, now_millis, sync_tickets, tokens};

/// How long a ticket is valid.
pub const TICKET_TTL: Duration = Duration::from_secs(30);
/// Live tickets one person may hold at once.
pub const MAX_OPEN_TICKETS: i64 = 16;
/// Prefix that makes tickets recognisable.
pub const PREFIX: &str = "kst_";

/// Why no ticket was issued.
#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    #[error("tickets are issued for API tokens only")]
    NotAToken,
    #[error("too many open tickets")]
    TooMany,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Issues a ticket for a principal that authenticated with an API token.
pub async fn issue(db: &Db, principal: &Principal) -> Result<String, TicketError> {
    let identity = principal.identity().ok_or(TicketError::NotAToken)?;
    let Via::Token { id } = &identity.via else { return Err(TicketError::NotAToken) };
    let ticket = format!("{PREFIX}{}", secret::random_hex(24));
    let now = now_millis();
    let expires_at = now + TICKET_TTL.as_millis() as i64;
    let hash = secret::hash(&ticket);
    if !sync_tickets::create(db, &hash, &identity.user.id, id, now, expires_at, MAX_OPEN_TICKETS).await? {
        return Err(TicketError::TooMany);
    }
    Ok(ticket)
}

/// The principal a ticket stands for, using it up; anonymous when it is unknown, used, expired, or
/// its token was revoked meanwhile.
pub async fn redeem(db: &Db, settings: &AuthSettings, ticket: &str) -> Result<Principal, DbError> {
    if !ticket.starts_with(PREFIX) || ticket.len() > 64 {
        return Ok(Principal::Anonymous);
    }
    let Some(token_id) = sync_tickets::consume(db, &secret::hash(ticket), now_millis()).await? else {
        return Ok(Principal::Anonymous);
    };
    let Some(user) = tokens::find_by_id(db, &token_id).await? else { return Ok(Principal::Anonymous) };
    identify(db, settings, user, Via::Token { id: token_id }).await
}

/// The `ticket` query parameter of a `/sync` request.
pub fn from_query(query: Option<&str>) -> Option<&str> {
    query?.split('&').filter_map(|pair| pair.split_once('=')).find(|(k, _)| *k == "ticket").map(|(_, v)| v)
}
