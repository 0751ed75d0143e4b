//! Starting a draft: the concept as it is now, forked into a document of its own.

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::drafts::{MAX_PARTS, MAX_REASON_CHARS, MAX_TITLE_CHARS, NewDraft};
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{self, ConceptView};
use kompromiss_shared::whole_document::save_applied;

use super::DraftError;
use crate::auth::{Principal, access};
use crate::concepts::{ask, new_document_id};
use crate::db::{audit, drafts, now_millis};
use crate::state::AppState;

/// A title: 1 to `MAX_TITLE_CHARS` characters, no control characters.
pub(super) fn title(raw: &str) -> Result<String, DraftError> {
    let title = raw.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS || title.chars().any(char::is_control) {
        return Err(DraftError::Invalid("title"));
    }
    Ok(title.to_owned())
}

/// A reason: up to `MAX_REASON_CHARS` characters; line breaks are its only control characters.
fn reason(raw: &str) -> Result<String, DraftError> {
    let reason = raw.trim();
    if reason.chars().count() > MAX_REASON_CHARS || reason.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(DraftError::Invalid("reason"));
    }
    Ok(reason.to_owned())
}

/// Section and platform ids that exist in `view`, each once, at most `MAX_PARTS`.
pub(super) fn parts(raw: &[String], view: &ConceptView, field: &'static str) -> Result<Vec<String>, DraftError> {
    if raw.len() > MAX_PARTS {
        return Err(DraftError::Invalid(field));
    }
    let mut parts: Vec<String> = Vec::new();
    for id in raw {
        let known = view.sections.iter().any(|s| &s.id == id) || view.platforms.iter().any(|p| &p.id == id);
        if !known {
            return Err(DraftError::Invalid(field));
        }
        if !parts.contains(id) {
            parts.push(id.clone());
        }
    }
    Ok(parts)
}

/// Starts a draft of `concept` for the caller (who may take part in it); its id.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    new: NewDraft,
) -> Result<DocumentId, DraftError> {
    super::pace(state, principal)?;
    let user = principal.user().ok_or(DraftError::SignIn)?;
    access::require(&state.db, principal, concept, Level::Participate).await?;
    if drafts::get(&state.db, concept).await?.is_some() {
        // Drafts of drafts would make catching up ambiguous: a draft starts from the concept.
        return Err(DraftError::Conflict("draft-of-draft"));
    }
    let title = title(&new.title)?;
    let reason = reason(&new.reason)?;
    let (snapshot, base, view, template) = ask(&state.registry, concept, |h| async move {
        h.read(|doc| {
            let template = schema::read_string(doc, &automerge::ROOT, schema::KEY_TEMPLATE);
            (save_applied(doc), doc.get_heads(), schema::read_concept(doc), template)
        })
        .await
    })
    .await?;
    let scope = parts(&new.scope, &view, "scope")?;
    let id = new_document_id();
    let base = heads::encode(&base);
    let record = drafts::NewDraft {
        id,
        concept,
        title: &title,
        reason: &reason,
        scope: &scope,
        base_heads: &base,
        template: (!template.is_empty()).then_some(template),
        created_by: &user.id,
        snapshot: &snapshot,
        at: now_millis(),
    };
    drafts::create(&state.db, record).await.map_err(|e| match e {
        drafts::CreateError::TooMany => DraftError::Conflict("drafts"),
        drafts::CreateError::Db(e) => DraftError::Db(e),
    })?;
    let target = id.to_string();
    let entry = audit::Record { target: Some(&target), ..audit::Record::by(Some(user), AuditAction::DraftCreated) };
    audit::record_or_log(&state.db, entry).await;
    tracing::info!(draft = %id, concept = %concept, "draft created");
    Ok(id)
}
