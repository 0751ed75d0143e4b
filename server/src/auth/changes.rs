//! Changes to who may do what: the polled authorization version that open connections watch,
//! and re-checking a principal when it moves.

use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::settings::AuthSettings;
use super::{Principal, Via};
use crate::db::{Db, DbError, authz_version, now_millis, sessions, tokens};

/// How often the server looks for changed roles, grants, tokens or sessions.
pub const POLL: Duration = Duration::from_millis(500);
/// Sessions past their absolute expiry are deleted every this many polls (10 minutes).
const PURGE_EVERY_TICKS: u64 = 1200;

/// Starts polling the authorization version; the receiver changes whenever it moves.
pub async fn watch_version(db: Db, cancel: CancellationToken, tracker: &TaskTracker) -> watch::Receiver<i64> {
    let first = authz_version::current(&db).await.unwrap_or(0);
    let (tx, rx) = watch::channel(first);
    tracker.spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks: u64 = 0;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = cancel.cancelled() => return,
            }
            ticks += 1;
            if ticks % PURGE_EVERY_TICKS == 1 {
                match sessions::purge_expired(&db).await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(sessions = n, "expired sessions removed"),
                    Err(error) => tracing::warn!(%error, "cannot remove expired sessions"),
                }
            }
            match authz_version::current(&db).await {
                Ok(v) => {
                    tx.send_if_modified(|current| std::mem::replace(current, v) != v);
                }
                Err(error) => tracing::warn!(%error, "cannot read the authorization version"),
            }
        }
    });
    rx
}

/// Reloads a connection's principal: the session or token must still be live; roles are resolved afresh.
/// Anonymous stays anonymous.
pub async fn recheck(db: &Db, settings: &AuthSettings, principal: &Principal) -> Result<Option<Principal>, DbError> {
    let Some(identity) = principal.identity() else { return Ok(Some(Principal::Anonymous)) };
    let user = match &identity.via {
        Via::Session { token_hash, .. } => match sessions::find(db, token_hash).await? {
            Some((session, user)) if session.expires_at > now_millis() => user,
            _ => return Ok(None),
        },
        Via::Token { id } => match tokens::find_by_id(db, id).await? {
            Some(user) => user,
            None => return Ok(None),
        },
    };
    super::identify(db, settings, user, identity.via.clone()).await.map(Some)
}
