//! The server side of the page data and actions: implements the client's `Backend`, authorizing every call.

use std::sync::Arc;

use kompromiss_client::api::backend::{Answer, Backend, BackendHandle};
use kompromiss_client::api::{DocumentData, Overview};
use kompromiss_shared::dto::{
    Account, AdminData, AuditPage, AuditQuery, CreatedToken, DocPage, DocSharing, Me, Refusal, TokenInfo,
};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{Level, Role, Subject};

use crate::auth::{Principal, Via, access};
use crate::concepts::{self, ConceptError};
use crate::db::{audit, tokens};
use crate::state::AppState;

mod admin;

struct ServerBackend {
    state: AppState,
}

/// The backend handle put into every page's context.
pub fn handle(state: AppState) -> BackendHandle {
    BackendHandle(Arc::new(ServerBackend { state }))
}

/// Logs an internal failure once and refuses without details.
fn internal(e: impl std::fmt::Display) -> Refusal {
    tracing::error!(error = %e, "page data failed");
    Refusal::Internal
}

/// The principal the authentication layer put into the request.
fn principal(req: &http::request::Parts) -> Principal {
    req.extensions.get::<Principal>().cloned().unwrap_or_default()
}

/// The signed-in principal, or a refusal asking to sign in.
fn signed_in(req: &http::request::Parts) -> Result<Principal, Refusal> {
    let p = principal(req);
    if p.user().is_none() {
        return Err(Refusal::SignIn);
    }
    Ok(p)
}

/// An admin, or the refusal for everybody else.
fn admin(req: &http::request::Parts) -> Result<Principal, Refusal> {
    let p = signed_in(req)?;
    if !kompromiss_shared::perm::is_admin(p.role()) {
        return Err(Refusal::Forbidden);
    }
    Ok(p)
}

fn parse_doc(raw: &str) -> Result<DocumentId, Refusal> {
    DocumentId::parse_url_or_id(raw).map_err(|_| Refusal::NotFound)
}

/// A short free-text name (token names, groups): 1 to 100 characters, no control characters.
fn short_name(raw: &str, field: &str) -> Result<String, Refusal> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Refusal::Invalid(field.into()));
    }
    Ok(name.to_owned())
}

impl ServerBackend {
    fn me_of(&self, principal: &Principal) -> Me {
        Me {
            display_name: principal.user().map(|u| u.display_name.clone()),
            dev_login: self.state.config.dev_login,
            oidc: self.state.oidc.is_some(),
            role: principal.role(),
        }
    }

    /// The principal's level on a document if it is at least `needed` (see `access::require`).
    async fn level_at_least(&self, principal: &Principal, doc: DocumentId, needed: Level) -> Result<Level, Refusal> {
        access::require(&self.state.db, principal, doc, needed).await.map_err(|denied| match denied {
            access::Denied::SignIn => Refusal::SignIn,
            access::Denied::Hidden => Refusal::NotFound,
            access::Denied::Forbidden => Refusal::Forbidden,
            access::Denied::Db(e) => internal(e),
        })
    }
}

impl Backend for ServerBackend {
    fn me<'a>(&'a self, req: &'a http::request::Parts) -> Answer<'a, Me> {
        Box::pin(async move { Ok(self.me_of(&principal(req))) })
    }

    fn overview<'a>(&'a self, req: &'a http::request::Parts) -> Answer<'a, Overview> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let documents = concepts::list_readable(&self.state.db, &p).await.map_err(internal)?;
            Ok(Overview { me: self.me_of(&p), documents, templates: concepts::templates() })
        })
    }

    fn document<'a>(&'a self, req: &'a http::request::Parts, id: String) -> Answer<'a, DocumentData> {
        Box::pin(async move {
            let p = principal(req);
            let me = self.me_of(&p);
            let Ok(doc) = DocumentId::parse_url_or_id(&id) else { return Ok(DocumentData { me, page: None }) };
            let level = match self.level_at_least(&p, doc, Level::Read).await {
                Ok(level) => level,
                Err(Refusal::NotFound) => return Ok(DocumentData { me, page: None }),
                Err(refusal) => return Err(refusal),
            };
            let page = match concepts::view(&self.state.registry, doc).await {
                Ok(view) => Some(DocPage { id: doc.to_string(), view, can_edit: level >= Level::Edit, level }),
                Err(ConceptError::NotFound) => None,
                Err(e) => return Err(internal(e)),
            };
            Ok(DocumentData { me, page })
        })
    }

    fn account<'a>(&'a self, req: &'a http::request::Parts) -> Answer<'a, Account> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let user = p.user().ok_or(Refusal::SignIn)?;
            let tokens = tokens::list(&self.state.db, &user.id).await.map_err(internal)?;
            let tokens = tokens
                .into_iter()
                .map(|t| TokenInfo { id: t.id, name: t.name, created_at: t.created_at, last_used_at: t.last_used_at })
                .collect();
            Ok(Account { me: self.me_of(&p), groups: user.groups.clone(), tokens })
        })
    }

    fn create_token<'a>(&'a self, req: &'a http::request::Parts, name: String) -> Answer<'a, CreatedToken> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let identity = p.identity().ok_or(Refusal::SignIn)?;
            // A token cannot mint further tokens: only a person in a browser session can.
            if !matches!(identity.via, Via::Session { .. }) {
                return Err(Refusal::Forbidden);
            }
            let name = short_name(&name, "name")?;
            let (info, secret) =
                crate::admin::create_token(&self.state.db, &identity.user, &name, &identity.user.display_name)
                    .await
                    .map_err(internal)?;
            Ok(CreatedToken { info, secret })
        })
    }

    fn revoke_token<'a>(&'a self, req: &'a http::request::Parts, id: String) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let user = p.user().ok_or(Refusal::SignIn)?;
            let revoked = tokens::revoke(&self.state.db, &id, Some(&user.id)).await.map_err(internal)?;
            if revoked.is_none() {
                return Err(Refusal::NotFound);
            }
            let record = audit::Record { target: Some(&id), ..audit::Record::by(Some(user), "token-revoked") };
            audit::record_or_log(&self.state.db, record).await;
            Ok(())
        })
    }

    fn admin<'a>(&'a self, req: &'a http::request::Parts) -> Answer<'a, AdminData> {
        Box::pin(async move {
            let p = admin(req)?;
            let (users, mappings, documents) = admin::overview(&self.state).await.map_err(internal)?;
            Ok(AdminData { me: self.me_of(&p), users, mappings, documents })
        })
    }

    fn set_role_mapping<'a>(
        &'a self,
        req: &'a http::request::Parts,
        group: String,
        role: Option<Role>,
    ) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = admin(req)?;
            let group = short_name(&group, "group")?;
            admin::set_mapping(&self.state, &p, &group, role).await
        })
    }

    fn set_user_role<'a>(
        &'a self,
        req: &'a http::request::Parts,
        user_id: String,
        role: Role,
        grant: bool,
    ) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = admin(req)?;
            admin::set_user_role(&self.state, &p, &user_id, role, grant).await
        })
    }

    fn sharing<'a>(&'a self, req: &'a http::request::Parts, doc: String) -> Answer<'a, DocSharing> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let doc = parse_doc(&doc)?;
            self.level_at_least(&p, doc, Level::Administer).await?;
            let (summary, grants, people) = admin::sharing(&self.state, doc).await?;
            Ok(DocSharing { me: self.me_of(&p), doc: summary, grants, people })
        })
    }

    fn set_grant<'a>(
        &'a self,
        req: &'a http::request::Parts,
        doc: String,
        subject: Subject,
        level: Option<Level>,
    ) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let doc = parse_doc(&doc)?;
            self.level_at_least(&p, doc, Level::Administer).await?;
            admin::set_grant(&self.state, &p, doc, subject, level).await
        })
    }

    fn audit<'a>(&'a self, req: &'a http::request::Parts, query: AuditQuery) -> Answer<'a, AuditPage> {
        Box::pin(async move {
            let p = admin(req)?;
            let entries = audit::list(&self.state.db, &query).await.map_err(internal)?;
            let actions = audit::ACTIONS.iter().map(|a| (*a).to_owned()).collect();
            Ok(AuditPage { me: self.me_of(&p), entries, actions })
        })
    }
}
