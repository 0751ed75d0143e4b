//! Authorization of sync connections: the polled authorization version, and a connection's access per document.

use std::collections::HashMap;
use std::time::Duration;

use kompromiss_shared::ids::DocumentId;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::DocAccess;
use crate::auth::settings::AuthSettings;
use crate::auth::{Principal, Via, access};
use crate::db::{Db, DbError, authz, now_millis, sessions, tokens};

/// How often the server looks for changed roles, grants, tokens or sessions.
pub const POLL: Duration = Duration::from_millis(500);
/// Sessions past their absolute expiry are deleted every this many polls (10 minutes).
const PURGE_EVERY_TICKS: u64 = 1200;

/// Starts polling the authorization version; the receiver changes whenever it moves.
pub async fn watch_version(db: Db, cancel: CancellationToken, tracker: &TaskTracker) -> watch::Receiver<i64> {
    let first = authz::version(&db).await.unwrap_or(0);
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
            match authz::version(&db).await {
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
    crate::auth::identify(db, settings, user, identity.via.clone()).await.map(Some)
}

/// What one connection may do with each document it touched; recomputed when authorization changes.
#[derive(Debug, Default)]
pub struct AccessCache {
    docs: HashMap<DocumentId, DocAccess>,
}

impl AccessCache {
    /// The access to a document, asking the database the first time.
    pub async fn get(&mut self, db: &Db, principal: &Principal, doc: DocumentId) -> Result<DocAccess, DbError> {
        if let Some(access) = self.docs.get(&doc) {
            return Ok(*access);
        }
        let access = access::sync_access(access::doc_level(db, principal, doc).await?);
        self.docs.insert(doc, access);
        Ok(access)
    }

    /// Recomputes every cached document; returns the ones whose access changed, with the new access.
    pub async fn refresh(&mut self, db: &Db, principal: &Principal) -> Result<Vec<(DocumentId, DocAccess)>, DbError> {
        let mut changed = Vec::new();
        for (doc, access) in &mut self.docs {
            let now = access::sync_access(access::doc_level(db, principal, *doc).await?);
            if now != *access {
                *access = now;
                changed.push((*doc, now));
            }
        }
        Ok(changed)
    }
}
