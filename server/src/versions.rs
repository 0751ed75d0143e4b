//! A document's versions: its timeline (stretches of work with their authors, merged drafts,
//! named versions), the document at any version, two versions compared, and what editors do
//! with old versions (name one, restore a section's wording as a new change).

use std::collections::HashMap;
use std::sync::Arc;

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::diff::{self, ConceptDiff};
use kompromiss_shared::drafts::{adopt, has_version};
use kompromiss_shared::dto::history::Person;
use kompromiss_shared::dto::timeline::{
    DecisionEvent, MAX_NAMED_PARTS, MAX_STRETCHES, MAX_VERSION_NAME_CHARS, MergeEvent, NamedVersionView, StretchView,
    Timeline,
};
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{ConceptView, read_concept_at};
use kompromiss_shared::timeline::{ChangeMeta, Stretch, stretches};

use crate::auth::{Principal, access};
use crate::concepts::{ConceptError, ask};
use crate::db::attribution::{self, Author, Channel};
use crate::db::named_versions::{self, NamedVersion};
use crate::db::{audit, drafts, now_millis, random_id};
use crate::drafts::{DraftError, person};
use crate::state::AppState;

/// A version from text that the document holds.
fn version(raw: &str) -> Result<Vec<automerge::ChangeHash>, DraftError> {
    heads::parse(raw).ok_or(DraftError::Invalid("version"))
}

/// A stored run as the timeline needs it: first and last sequence number, person, time.
type RunOf = (u64, u64, Option<String>, i64);

/// The part of a timeline that the document's changes alone determine, at one version: the
/// newest `MAX_STRETCHES` stretches, newest first, with the parts the newest changed.
pub struct TimelineAt {
    version: String,
    /// How many runs of attribution it saw and their sequence numbers added up: a run stored
    /// after the changes it names makes the timeline stale.
    runs: (usize, u64),
    newest: Vec<Stretch>,
    total: usize,
    parts: Vec<Vec<String>>,
    title: String,
}

/// Reads `TimelineAt` from the document (the runs say who wrote which changes and when).
fn timeline_of(doc: &automerge::Automerge, by_actor: &HashMap<String, Vec<RunOf>>, runs: (usize, u64)) -> TimelineAt {
    let metas: Vec<ChangeMeta> = doc
        .get_changes(&[])
        .into_iter()
        .map(|c| {
            let run = by_actor.get(&c.actor_id().to_hex_string()).and_then(|runs| {
                // Runs sorted by their first sequence number: the last one starting at or
                // before this change covers it, if any does.
                let i = runs.partition_point(|r| r.0 <= c.seq());
                runs[..i].last().filter(|r| c.seq() <= r.1)
            });
            ChangeMeta {
                hash: c.hash(),
                deps: c.deps().to_vec(),
                author: run.and_then(|r| r.2.clone()),
                at: run.map(|r| r.3),
            }
        })
        .collect();
    let all = stretches(&metas);
    let total = all.len();
    let newest: Vec<Stretch> = all.into_iter().rev().take(MAX_STRETCHES).collect();
    // What the newest stretches changed: the document before and after each.
    let parts = newest
        .iter()
        .take(MAX_NAMED_PARTS)
        .map(|s| {
            let d = diff::concept_diff(&read_concept_at(doc, Some(&s.before)), &read_concept_at(doc, Some(&s.heads)));
            let sections = d.sections.into_iter().map(|s| s.heading);
            sections.chain(d.platforms.into_iter().map(|p| p.name)).collect()
        })
        .collect();
    let title = read_concept_at(doc, None).title;
    TimelineAt { version: heads::encode(&doc.get_heads()), runs, newest, total, parts, title }
}

/// The timeline of a document (anyone who may read it). What its changes determine is kept in
/// `state.timelines` while the document stays at the same version.
pub async fn timeline(state: &AppState, principal: &Principal, id: DocumentId) -> Result<Timeline, DraftError> {
    crate::drafts::pace(state, principal)?;
    let level = access::require(&state.db, principal, id, Level::Read).await?;
    let runs = attribution::for_doc(&state.db, id).await?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut by_actor: HashMap<String, Vec<RunOf>> = HashMap::new();
    let mark = (runs.len(), runs.iter().map(|r| r.first_seq.wrapping_add(r.last_seq)).fold(0u64, u64::wrapping_add));
    for run in runs {
        if let (Some(user), Some(name)) = (&run.user_id, &run.user_name) {
            names.insert(user.clone(), name.clone());
        }
        by_actor.entry(run.actor).or_default().push((run.first_seq, run.last_seq, run.user_id, run.at));
    }
    for runs in by_actor.values_mut() {
        runs.sort_by_key(|r| r.0);
    }
    let by_actor = Arc::new(by_actor);
    let known = state.timelines.get(&id).filter(|k| k.runs == mark);
    let (at, fresh) = ask(&state.registry, id, move |h| {
        let (by_actor, known) = (by_actor.clone(), known.clone());
        async move {
            h.read(move |doc| match known.filter(|k| k.version == heads::encode(&doc.get_heads())) {
                Some(k) => (k, false),
                None => (Arc::new(timeline_of(doc, &by_actor, mark)), true),
            })
            .await
        }
    })
    .await?;
    if fresh {
        state.timelines.put(id, at.clone());
    }
    let stretches = at
        .newest
        .iter()
        .enumerate()
        .map(|(i, s)| StretchView {
            author: s
                .author
                .as_ref()
                .map(|id| Person { id: id.clone(), name: names.get(id).cloned().unwrap_or_else(|| id.clone()) }),
            from: s.from,
            to: s.to,
            changes: s.changes,
            version: heads::encode(&s.heads),
            before: heads::encode(&s.before),
            parts: at.parts.get(i).cloned(),
        })
        .collect();
    let mut merges = Vec::new();
    for draft in drafts::for_concept(&state.db, id).await? {
        if let Some(merge) = &draft.merge {
            let by = person(&state.db, merge.by.as_deref()).await?;
            merges.push(MergeEvent {
                draft_id: draft.id.to_string(),
                title: draft.title.clone(),
                at: merge.at,
                version: merge.heads.clone(),
                by,
            });
        }
    }
    let mut decisions = Vec::new();
    for ballot in crate::db::ballots::for_concept(&state.db, &id.to_string()).await? {
        if let (Some(version), Some(at)) = (ballot.merged_heads, ballot.merged_at) {
            let by = person(&state.db, ballot.merged_by.as_deref()).await?;
            decisions.push(DecisionEvent { ballot_id: ballot.id, title: ballot.title, at, version, by });
        }
    }
    let mut named = Vec::new();
    for v in named_versions::for_doc(&state.db, id).await? {
        let by = person(&state.db, v.created_by.as_deref()).await?;
        named.push(NamedVersionView { name: v.name, version: v.heads, at: v.created_at, by });
    }
    Ok(Timeline {
        title: at.title.clone(),
        stretches,
        total: at.total,
        merges,
        decisions,
        named,
        version: at.version.clone(),
        can_edit: level >= Level::Edit,
    })
}

/// The document as it was at a version (anyone who may read it).
pub async fn at(state: &AppState, principal: &Principal, id: DocumentId, raw: &str) -> Result<ConceptView, DraftError> {
    crate::drafts::pace(state, principal)?;
    view_at(state, principal, id, raw).await
}

async fn view_at(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    raw: &str,
) -> Result<ConceptView, DraftError> {
    access::require(&state.db, principal, id, Level::Read).await?;
    let at = version(raw)?;
    let view = ask(&state.registry, id, move |h| {
        let at = at.clone();
        async move { h.read(move |doc| has_version(doc, &at).then(|| read_concept_at(doc, Some(&at)))).await }
    })
    .await?;
    view.ok_or(DraftError::Invalid("version"))
}

/// What changed between two versions (`from` empty: since the start).
pub async fn compare(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    from: &str,
    to: &str,
) -> Result<ConceptDiff, DraftError> {
    crate::drafts::pace(state, principal)?;
    access::require(&state.db, principal, id, Level::Read).await?;
    let (from, to) = (version(from)?, version(to)?);
    let d = ask(&state.registry, id, move |h| {
        let (from, to) = (from.clone(), to.clone());
        async move {
            h.read(move |doc| {
                (has_version(doc, &from) && has_version(doc, &to))
                    .then(|| diff::concept_diff(&read_concept_at(doc, Some(&from)), &read_concept_at(doc, Some(&to))))
            })
            .await
        }
    })
    .await?;
    d.ok_or(DraftError::Invalid("version"))
}

/// Names a version (editors).
pub async fn name(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    name: &str,
    raw: &str,
) -> Result<(), DraftError> {
    crate::drafts::pace(state, principal)?;
    access::require(&state.db, principal, id, Level::Edit).await?;
    let user = principal.user().ok_or(DraftError::SignIn)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_VERSION_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(DraftError::Invalid("name"));
    }
    let v = version(raw)?;
    let known = ask(&state.registry, id, move |h| {
        let v = v.clone();
        async move { h.read(move |doc| has_version(doc, &v)).await }
    })
    .await?;
    if !known || raw.is_empty() {
        return Err(DraftError::Invalid("version"));
    }
    let record = NamedVersion {
        id: random_id("v"),
        name: name.to_owned(),
        heads: raw.to_owned(),
        created_by: Some(user.id.clone()),
        created_at: now_millis(),
    };
    if !named_versions::add(&state.db, id, &record).await? {
        return Err(DraftError::Conflict("versions"));
    }
    let target = id.to_string();
    let entry = audit::Record {
        target: Some(&target),
        detail: Some(name),
        ..audit::Record::by(Some(user), AuditAction::VersionNamed)
    };
    audit::record_or_log(&state.db, entry).await;
    Ok(())
}

/// Restores a section's (or platform entry's) wording as it was at a version, as a new change
/// by the editor; the document's new version.
pub async fn restore(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    raw: &str,
    item: &str,
) -> Result<String, DraftError> {
    crate::drafts::pace(state, principal)?;
    access::require(&state.db, principal, id, Level::Edit).await?;
    let user = principal.user().ok_or(DraftError::SignIn)?;
    let then = view_at(state, principal, id, raw).await?;
    if !then.sections.iter().any(|s| s.id == item) && !then.platforms.iter().any(|p| p.id == item) {
        return Err(DraftError::Invalid("item"));
    }
    let author = Arc::new(Author { user_id: Some(user.id.clone()), channel: Channel::Server, token_id: None });
    let parts = vec![item.to_owned()];
    let written = state
        .registry
        .open(id)
        .edit(author, Box::new(move |tx| adopt(tx, &then, &then, &parts).map(|_| ())))
        .await
        .map_err(|_| ConceptError::Unavailable)??;
    let target = id.to_string();
    let entry = audit::Record {
        target: Some(&target),
        detail: Some(item),
        ..audit::Record::by(Some(user), AuditAction::WordingRestored)
    };
    audit::record_or_log(&state.db, entry).await;
    Ok(heads::encode(&written))
}
