//! A document's grants: who may read, participate, edit or administer it beyond their role.

use kompromiss_client::api::sharing::SharingPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::documents::DocSummary;
use kompromiss_shared::dto::refusal::Refusal;
use kompromiss_shared::dto::sharing::{DocSharing, GrantEntry};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{Level, Subject};

use super::access::{parse_doc, signed_in};
use super::{PageServer, internal, record};
use crate::auth::Principal;
use crate::db::{audit, documents, grants, moderators, users};
use crate::state::AppState;

impl SharingPages for PageServer {
    fn sharing<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, DocSharing> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let doc = parse_doc(&doc)?;
            self.level_at_least(&p, doc, Level::Administer).await?;
            let (summary, grants, people) = sharing(&self.state, doc).await?;
            let moderators = moderators::for_doc(&self.state.db, doc).await.map_err(internal)?;
            Ok(DocSharing { me: self.me_of(&p), doc: summary, grants, people, moderators })
        })
    }

    fn set_grant<'a>(&'a self, req: &'a Req, doc: String, subject: Subject, level: Option<Level>) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let doc = parse_doc(&doc)?;
            self.level_at_least(&p, doc, Level::Administer).await?;
            set_grant(&self.state, &p, doc, subject, level).await
        })
    }

    fn set_moderator<'a>(&'a self, req: &'a Req, doc: String, user: String, named: bool) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let doc = parse_doc(&doc)?;
            self.level_at_least(&p, doc, Level::Administer).await?;
            set_moderator(&self.state, &p, doc, &user, named).await
        })
    }
}

/// Names a moderator of the document's discussion, or removes one; in the audit log.
async fn set_moderator(
    state: &AppState,
    p: &Principal,
    doc: DocumentId,
    user: &str,
    named: bool,
) -> Result<(), Refusal> {
    let Some(person) = users::by_id(&state.db, user).await.map_err(internal)? else {
        return Err(Refusal::Invalid("user".into()));
    };
    let by = p.user().map(|u| u.id.as_str());
    let changed = moderators::set(&state.db, doc, user, named, by, crate::db::now_millis()).await.map_err(internal)?;
    if named && !changed && !moderators::is_named(&state.db, doc, user).await.map_err(internal)? {
        return Err(Refusal::Invalid("limit".into()));
    }
    if changed {
        let action = if named { AuditAction::ModeratorNamed } else { AuditAction::ModeratorRemoved };
        let target = format!("{doc} {}", person.id);
        audit::record_or_log(&state.db, record(p, action, Some(&target), None)).await;
    }
    Ok(())
}

/// A document's summary, grants and the people who can be named in a grant.
async fn sharing(
    state: &AppState,
    doc: DocumentId,
) -> Result<(DocSummary, Vec<GrantEntry>, Vec<(String, String)>), Refusal> {
    let meta = documents::get(&state.db, doc).await.map_err(internal)?;
    let summary = match meta {
        Some(d) => DocSummary { id: d.id.to_string(), title: d.title, updated_at: d.updated_at },
        None => DocSummary { id: doc.to_string(), title: String::new(), updated_at: 0 },
    };
    let people: Vec<(String, String)> =
        users::list(&state.db).await.map_err(internal)?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let entries = grants::for_doc(&state.db, doc)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|g| {
            let label = match &g.grant.subject {
                Subject::User(id) => people.iter().find(|(pid, _)| pid == id).map_or(id.clone(), |(_, n)| n.clone()),
                Subject::Group(name) => name.clone(),
                Subject::Role(role) => role.as_str().to_owned(),
                Subject::Public => "public".to_owned(),
            };
            GrantEntry { subject: g.grant.subject, label, level: g.grant.level, created_at: g.created_at }
        })
        .collect();
    Ok((summary, entries, people))
}

/// Sets or removes a document grant.
async fn set_grant(
    state: &AppState,
    p: &Principal,
    doc: DocumentId,
    subject: Subject,
    level: Option<Level>,
) -> Result<(), Refusal> {
    if let Subject::User(id) = &subject
        && users::by_id(&state.db, id).await.map_err(internal)?.is_none()
    {
        return Err(Refusal::Invalid("subject".into()));
    }
    if level.is_some_and(|l| l > subject.cap()) {
        return Err(Refusal::Invalid("level".into()));
    }
    let by = p.user().map(|u| u.display_name.as_str());
    grants::set(&state.db, doc, &subject, level, by).await.map_err(internal)?;
    let (kind, name) = subject.parts();
    let detail = format!("{kind}:{name} → {}", level.map_or("—", Level::as_str));
    let target = doc.to_string();
    audit::record_or_log(&state.db, record(p, AuditAction::GrantChanged, Some(&target), Some(&detail))).await;
    Ok(())
}
