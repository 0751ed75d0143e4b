//! In-app notifications: who is told about a comment, a resolution or a hidden comment, and a
//! person's list (only about documents they may still read). Nothing leaves the server.

use std::collections::HashMap;

use kompromiss_shared::dto::notifications::{MAX_LISTED, NotificationKind, Notifications};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::mentions;
use kompromiss_shared::perm::Level;

use crate::auth::settings::AuthSettings;
use crate::auth::{Principal, access, readers};
use crate::db::users::User;
use crate::db::{Db, DbError, notifications as store, now_millis};

/// Most people the `@` picker offers at once.
pub const MAX_OFFERED: usize = 20;

/// People who may read the document whose name contains `wanted` (case-insensitive), for `@`.
pub async fn mentionable(
    db: &Db,
    settings: &AuthSettings,
    doc: DocumentId,
    wanted: &str,
) -> Result<Vec<kompromiss_shared::dto::comments::Person>, DbError> {
    let wanted = wanted.trim().to_lowercase();
    Ok(readers::of(db, settings, doc)
        .await?
        .into_iter()
        .filter(|u| u.display_name.to_lowercase().contains(&wanted))
        .take(MAX_OFFERED)
        .map(|u| kompromiss_shared::dto::comments::Person { id: u.id, name: u.display_name })
        .collect())
}

/// A new comment: the people it mentions (who may read the document) are told; on a reply, so
/// are the others who wrote in the thread.
pub async fn after_comment(
    db: &Db,
    settings: &AuthSettings,
    doc: DocumentId,
    (thread_id, comment_id): (&str, &str),
    author: &User,
    body: &str,
    reply: bool,
) -> Result<(), DbError> {
    // Who may read the document is only needed to match an @: most comments have none.
    let people: Vec<(String, String)> = if body.contains('@') {
        readers::of(db, settings, doc).await?.into_iter().map(|u| (u.id, u.display_name)).collect()
    } else {
        Vec::new()
    };
    let named: Vec<String> =
        mentions::mentioned(body, &people).into_iter().filter(|id| *id != author.id).map(str::to_owned).collect();
    let at = now_millis();
    let mut told: Vec<(String, NotificationKind)> = named.into_iter().map(|u| (u, NotificationKind::Mention)).collect();
    if reply {
        for user in store::participants(db, thread_id).await? {
            if user != author.id && !told.iter().any(|(u, _)| *u == user) {
                told.push((user, NotificationKind::Reply));
            }
        }
    }
    for (user_id, kind) in &told {
        let n =
            store::New { user_id, doc, thread_id, comment_id: Some(comment_id), kind: *kind, actor_id: &author.id, at };
        store::add(db, n).await?;
    }
    Ok(())
}

/// A thread was resolved: its author is told (unless they resolved it).
pub async fn after_resolve(
    db: &Db,
    doc: DocumentId,
    thread_id: &str,
    thread_author: &str,
    by: &User,
) -> Result<(), DbError> {
    if thread_author == by.id {
        return Ok(());
    }
    let n = store::New {
        user_id: thread_author,
        doc,
        thread_id,
        comment_id: None,
        kind: NotificationKind::Resolved,
        actor_id: &by.id,
        at: now_millis(),
    };
    store::add(db, n).await
}

/// A comment was hidden: its author is told.
pub async fn after_hide(
    db: &Db,
    doc: DocumentId,
    (thread_id, comment_id): (&str, &str),
    comment_author: &str,
    by: &User,
) -> Result<(), DbError> {
    let n = store::New {
        user_id: comment_author,
        doc,
        thread_id,
        comment_id: Some(comment_id),
        kind: NotificationKind::Hidden,
        actor_id: &by.id,
        at: now_millis(),
    };
    store::add(db, n).await
}

/// The person's newest notifications about documents they may read now, and how many of those
/// are unread.
pub async fn list(db: &Db, principal: &Principal) -> Result<Notifications, DbError> {
    let Some(user) = principal.user() else { return Ok(Notifications::default()) };
    let mut readable: HashMap<String, bool> = HashMap::new();
    let mut may_read = async |doc_id: &str| -> Result<bool, DbError> {
        if let Some(known) = readable.get(doc_id) {
            return Ok(*known);
        }
        let ok = match doc_id.parse::<DocumentId>() {
            Ok(id) => access::doc_level(db, principal, id).await? >= Level::Read,
            Err(_) => false,
        };
        readable.insert(doc_id.to_owned(), ok);
        Ok(ok)
    };
    let mut items = Vec::new();
    for n in store::newest(db, &user.id, MAX_LISTED as i64).await? {
        if may_read(&n.doc_id).await? {
            items.push(n);
        }
    }
    let mut unread = 0;
    for (_, doc_id) in store::unread_ids(db, &user.id).await? {
        if may_read(&doc_id).await? {
            unread += 1;
        }
    }
    Ok(Notifications { unread, items })
}

/// Logs a failure to notify: the comment itself is stored; a missed notification is not worth
/// failing the request for.
pub fn log_failure(result: Result<(), DbError>) {
    if let Err(error) = result {
        tracing::warn!(%error, "cannot store a notification");
    }
}
