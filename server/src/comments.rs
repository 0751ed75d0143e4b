//! Comments on a document: the rules of shared::comments applied with storage and the live
//! document (an anchor must fit the text as it is; a platform thread needs its platform).

use kompromiss_shared::anchor::{self, Anchor, Resolved};
use kompromiss_shared::comments::{
    self as rules, Actor, CommentBody, MAX_COMMENTS_PER_MINUTE, MAX_COMMENTS_PER_THREAD, MAX_PLATFORM_ID_CHARS,
    MAX_THREADS_PER_DOC,
};
use kompromiss_shared::doc_events::{self, DocEvent};
use kompromiss_shared::dto::comments::{Discussion, NewReply, NewThread, ThreadTarget, ThreadView};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{KEY_PLATFORMS, find_item};

use crate::concepts::{ConceptError, ask};
use crate::db::users::User;
use crate::db::{Db, DbError, comments as store, now_millis, random_id};
use crate::notifications;
use crate::state::AppState;
use crate::sync::registry::Registry;

/// Why a comment action is refused; the route turns it into a status.
#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    #[error("no such thread or comment")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    #[error("invalid {0}")]
    Invalid(&'static str),
    #[error("limit reached: {0}")]
    Limit(&'static str),
    #[error("too many comments per minute")]
    TooFast,
    #[error("the thread is locked")]
    Locked,
    #[error(transparent)]
    Concept(#[from] ConceptError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The person acting, with their level on the document.
pub struct Commenter<'a> {
    pub user: &'a User,
    pub level: Level,
}

impl Commenter<'_> {
    pub fn id(&self) -> &str {
        &self.user.id
    }
}

/// Tells the document's open pages that its discussion changed (they fetch it again); nothing
/// happens when no one has the document open.
pub async fn announce(registry: &Registry, doc: DocumentId) {
    registry.announce(doc, doc_events::encode(DocEvent::Comments)).await;
}

/// A document's discussion as this person sees it: hidden words only for their author and the
/// document's moderators, passage threads whose words are gone marked.
pub async fn discussion_for(
    state: &AppState,
    principal: &crate::auth::Principal,
    doc: DocumentId,
    level: Level,
) -> Result<Discussion, CommentError> {
    discussion_before(state, principal, doc, level, None).await
}

/// As [`discussion_for`], the threads created before thread `before` (for scripts paging back
/// through a discussion larger than one answer).
pub async fn discussion_before(
    state: &AppState,
    principal: &crate::auth::Principal,
    doc: DocumentId,
    level: Level,
    before: Option<&str>,
) -> Result<Discussion, CommentError> {
    let user_id = principal.user().map(|u| u.id.as_str());
    let moderator = match user_id {
        Some(id) => crate::moderation::moderates(&state.db, doc, id, level).await?,
        None => false,
    };
    let reader = store::Reader { user_id, moderator };
    let store::Listing { mut threads, older } = store::discussion(&state.db, doc, reader, before).await?;
    place_passages(&state.registry, doc, &mut threads).await?;
    Ok(Discussion { threads, can_moderate: moderator, older })
}

/// Finds where each passage thread's words are now, and marks those whose words are gone (one
/// visit to the document's actor).
pub async fn place_passages(
    registry: &Registry,
    doc: DocumentId,
    threads: &mut [ThreadView],
) -> Result<(), ConceptError> {
    let anchors: Vec<Option<Anchor>> = threads
        .iter()
        .map(|t| match &t.target {
            ThreadTarget::Passage { anchor } => Some(anchor.clone()),
            ThreadTarget::Platform { .. } => None,
        })
        .collect();
    let anchors = std::sync::Arc::new(anchors);
    let placed = ask(registry, doc, |h| {
        let anchors = anchors.clone();
        async move {
            h.read(move |d| {
                anchors.iter().map(|a| a.as_ref().map(|a| anchor::resolve(d, a))).collect::<Vec<Option<Resolved>>>()
            })
            .await
        }
    })
    .await?;
    for (t, placed) in threads.iter_mut().zip(placed) {
        t.removed = placed == Some(Resolved::Removed);
        t.at = match placed {
            Some(Resolved::Passage { start, end }) => Some((start, end)),
            _ => None,
        };
    }
    Ok(())
}

/// Opens a thread, tells whom it mentions and the document's open pages; the thread's and the
/// first comment's ids. (Routes and pages both act through these `*_and_tell` functions.)
pub async fn open_thread_and_tell(
    state: &AppState,
    doc: DocumentId,
    who: &Commenter<'_>,
    new: NewThread,
) -> Result<(String, String), CommentError> {
    let text = new.body.as_str().to_owned();
    let (thread, comment) = open_thread(&state.db, &state.registry, doc, who, new).await?;
    let told = notifications::after_comment(&state.db, &state.auth, doc, (&thread, &comment), who.user, &text, false);
    notifications::log_failure(told.await);
    announce(&state.registry, doc).await;
    Ok((thread, comment))
}

/// Replies, tells whom it mentions and the thread's other writers, and the open pages.
pub async fn reply_and_tell(
    state: &AppState,
    doc: DocumentId,
    thread: &str,
    who: &Commenter<'_>,
    new: NewReply,
) -> Result<String, CommentError> {
    let text = new.body.as_str().to_owned();
    let comment = reply(&state.db, doc, thread, who, new).await?;
    let told = notifications::after_comment(&state.db, &state.auth, doc, (thread, &comment), who.user, &text, true);
    notifications::log_failure(told.await);
    announce(&state.registry, doc).await;
    Ok(comment)
}

/// Resolves or reopens a thread, tells its author (on resolving) and the open pages.
pub async fn set_resolved_and_tell(
    state: &AppState,
    doc: DocumentId,
    thread: &str,
    who: &Commenter<'_>,
    resolved: bool,
) -> Result<(), CommentError> {
    let author = set_resolved(&state.db, doc, thread, who, resolved).await?;
    if resolved {
        notifications::log_failure(notifications::after_resolve(&state.db, doc, thread, &author, who.user).await);
    }
    announce(&state.registry, doc).await;
    Ok(())
}

/// Opens a thread with its first comment; the thread's and the comment's ids.
pub async fn open_thread(
    db: &Db,
    registry: &Registry,
    doc: DocumentId,
    who: &Commenter<'_>,
    new: NewThread,
) -> Result<(String, String), CommentError> {
    if !rules::may_comment(who.level) {
        return Err(CommentError::Forbidden);
    }
    let (anchor_json, platform_id, stance) = match &new.target {
        ThreadTarget::Passage { anchor } => {
            if new.stance.is_some() {
                return Err(CommentError::Invalid("stance"));
            }
            check_anchor(registry, doc, anchor).await?;
            let json = serde_json::to_string(anchor).map_err(|_| CommentError::Invalid("anchor"))?;
            (Some(json), None, None)
        }
        ThreadTarget::Platform { platform_id } => {
            check_platform(registry, doc, platform_id).await?;
            (None, Some(platform_id.as_str()), new.stance)
        }
    };
    if store::thread_count(db, doc).await? >= MAX_THREADS_PER_DOC {
        return Err(CommentError::Limit("threads per document"));
    }
    let at = within_rate(db, who.id()).await?;
    let (thread_id, comment_id) = (random_id("t"), random_id("c"));
    let thread =
        store::NewThread { id: &thread_id, doc, anchor: anchor_json.as_deref(), platform_id, by: who.id(), at };
    let first = store::NewComment {
        id: &comment_id,
        thread_id: &thread_id,
        author: who.id(),
        body: new.body.as_str(),
        stance,
        at,
    };
    store::create_thread(db, thread, first).await?;
    Ok((thread_id, comment_id))
}

/// Replies in a thread; the reply's id.
pub async fn reply(
    db: &Db,
    doc: DocumentId,
    thread_id: &str,
    who: &Commenter<'_>,
    new: NewReply,
) -> Result<String, CommentError> {
    if !rules::may_comment(who.level) {
        return Err(CommentError::Forbidden);
    }
    let thread = store::thread(db, doc, thread_id).await?.ok_or(CommentError::NotFound)?;
    if thread.locked {
        return Err(CommentError::Locked);
    }
    if new.stance.is_some() && !thread.platform {
        return Err(CommentError::Invalid("stance"));
    }
    if thread.comments >= MAX_COMMENTS_PER_THREAD {
        return Err(CommentError::Limit("comments per thread"));
    }
    let at = within_rate(db, who.id()).await?;
    let id = random_id("c");
    let comment = store::NewComment {
        id: &id,
        thread_id,
        author: who.id(),
        body: new.body.as_str(),
        stance: new.stance.filter(|_| thread.platform),
        at,
    };
    store::add_comment(db, comment).await?;
    Ok(id)
}

/// Gives one's own comment new words (the old ones are kept for moderators), and tells the
/// document's open pages.
pub async fn edit(
    state: &AppState,
    doc: DocumentId,
    thread_id: &str,
    comment_id: &str,
    who: &Commenter<'_>,
    body: CommentBody,
) -> Result<(), CommentError> {
    let db = &state.db;
    if own_comment(db, doc, thread_id, comment_id, who).await?.locked {
        return Err(CommentError::Locked);
    }
    store::edit(db, comment_id, body.as_str(), now_millis()).await?;
    announce(&state.registry, doc).await;
    Ok(())
}

/// Deletes one's own comment (the thread keeps a placeholder), and tells the document's open pages.
pub async fn delete(
    state: &AppState,
    doc: DocumentId,
    thread_id: &str,
    comment_id: &str,
    who: &Commenter<'_>,
) -> Result<(), CommentError> {
    own_comment(&state.db, doc, thread_id, comment_id, who).await?;
    store::delete(&state.db, comment_id, now_millis()).await?;
    announce(&state.registry, doc).await;
    Ok(())
}

/// Resolves (`true`) or reopens a thread: its author, or whoever may edit the document. The
/// thread's author.
pub async fn set_resolved(
    db: &Db,
    doc: DocumentId,
    thread_id: &str,
    who: &Commenter<'_>,
    resolved: bool,
) -> Result<String, CommentError> {
    let thread = store::thread(db, doc, thread_id).await?.ok_or(CommentError::NotFound)?;
    if !rules::may_resolve(Actor { level: who.level, is_author: thread.created_by == who.id() }) {
        return Err(CommentError::Forbidden);
    }
    let by = resolved.then(|| (who.id(), now_millis()));
    store::set_resolved(db, thread_id, by).await?;
    Ok(thread.created_by)
}

async fn own_comment(
    db: &Db,
    doc: DocumentId,
    thread_id: &str,
    comment_id: &str,
    who: &Commenter<'_>,
) -> Result<store::ThreadFacts, CommentError> {
    let thread = store::thread(db, doc, thread_id).await?.ok_or(CommentError::NotFound)?;
    let comment = store::comment(db, thread_id, comment_id).await?.ok_or(CommentError::NotFound)?;
    if comment.deleted {
        return Err(CommentError::NotFound);
    }
    if !rules::may_change_comment(Actor { level: who.level, is_author: comment.author_id == who.id() }) {
        return Err(CommentError::Forbidden);
    }
    Ok(thread)
}

/// The time now, if the person has not written [`MAX_COMMENTS_PER_MINUTE`] in the last minute.
async fn within_rate(db: &Db, user_id: &str) -> Result<i64, CommentError> {
    let now = now_millis();
    if store::written_since(db, user_id, now - 60_000).await? >= MAX_COMMENTS_PER_MINUTE {
        return Err(CommentError::TooFast);
    }
    Ok(now)
}

/// An anchor must name a text field the document has and sit on text it holds now.
async fn check_anchor(registry: &Registry, doc: DocumentId, anchor: &Anchor) -> Result<(), CommentError> {
    if anchor.quote.chars().count() > anchor::MAX_QUOTE_CHARS || anchor.heads.len() > anchor::MAX_HEADS {
        return Err(CommentError::Invalid("anchor"));
    }
    let field_ok = match &anchor.field {
        kompromiss_shared::schema::FieldPath::Title => true,
        kompromiss_shared::schema::FieldPath::Section { id, field }
        | kompromiss_shared::schema::FieldPath::Platform { id, field } => {
            id.len() <= MAX_PLATFORM_ID_CHARS && field.len() <= 32
        }
    };
    if !field_ok {
        return Err(CommentError::Invalid("anchor"));
    }
    let anchor = anchor.clone();
    let placed = ask(registry, doc, |h| {
        let anchor = anchor.clone();
        async move { h.read(move |d| anchor::resolve(d, &anchor)).await }
    })
    .await?;
    match placed {
        Resolved::Passage { .. } => Ok(()),
        Resolved::Removed | Resolved::Unknown => Err(CommentError::Invalid("anchor")),
    }
}

async fn check_platform(registry: &Registry, doc: DocumentId, platform_id: &str) -> Result<(), CommentError> {
    if platform_id.is_empty() || platform_id.chars().count() > MAX_PLATFORM_ID_CHARS {
        return Err(CommentError::Invalid("platform_id"));
    }
    let wanted = platform_id.to_owned();
    let exists = ask(registry, doc, |h| {
        let wanted = wanted.clone();
        async move { h.read(move |d| find_item(d, KEY_PLATFORMS, &wanted).is_some()).await }
    })
    .await?;
    if exists { Ok(()) } else { Err(CommentError::Invalid("platform_id")) }
}
