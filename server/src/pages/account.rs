//! A person's own account: groups, and issuing and revoking their API tokens.

use kompromiss_client::api::account::AccountPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::account::{Account, CreatedToken, TokenInfo};
use kompromiss_shared::dto::refusal::Refusal;

use super::access::{short_name, signed_in};
use super::{PageServer, internal};
use crate::auth::{Via, tokens as issued};
use crate::db::{audit, tokens};

impl AccountPages for PageServer {
    fn account<'a>(&'a self, req: &'a Req) -> Answer<'a, Account> {
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

    fn create_token<'a>(&'a self, req: &'a Req, name: String) -> Answer<'a, CreatedToken> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let identity = p.identity().ok_or(Refusal::SignIn)?;
            // A token cannot mint further tokens: only a person in a browser session can.
            if !matches!(identity.via, Via::Session { .. }) {
                return Err(Refusal::Forbidden);
            }
            let name = short_name(&name, "name")?;
            let (info, secret) = issued::issue(&self.state.db, &identity.user, &name, &identity.user.display_name)
                .await
                .map_err(internal)?;
            Ok(CreatedToken { info, secret })
        })
    }

    fn revoke_token<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let user = p.user().ok_or(Refusal::SignIn)?;
            let revoked = tokens::revoke(&self.state.db, &id, Some(&user.id)).await.map_err(internal)?;
            if revoked.is_none() {
                return Err(Refusal::NotFound);
            }
            let record =
                audit::Record { target: Some(&id), ..audit::Record::by(Some(user), AuditAction::TokenRevoked) };
            audit::record_or_log(&self.state.db, record).await;
            Ok(())
        })
    }
}
