//! The overview (readable documents and templates) and one document's first render.

use kompromiss_client::api::documents::DocumentPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::dto::documents::{DocPage, DocumentData, Overview};
use kompromiss_shared::dto::refusal::Refusal;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;

use super::access::{principal, signed_in};
use super::{PageServer, internal};
use crate::concepts::{self, ConceptError};
use crate::{db, drafts};

impl DocumentPages for PageServer {
    fn overview<'a>(&'a self, req: &'a Req) -> Answer<'a, Overview> {
        Box::pin(async move {
            let p = signed_in(req)?;
            let documents = concepts::list_readable(&self.state.db, &p).await.map_err(internal)?;
            Ok(Overview { me: self.me_of(&p), documents, templates: concepts::templates() })
        })
    }

    fn document<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, DocumentData> {
        Box::pin(async move {
            let p = principal(req);
            let me = self.me_of(&p);
            let Ok(doc) = DocumentId::parse_url_or_id(&id) else { return Ok(DocumentData { me, page: None }) };
            let level = match self.level_at_least(&p, doc, Level::Read).await {
                Ok(level) => level,
                Err(Refusal::NotFound) => return Ok(DocumentData { me, page: None }),
                Err(refusal) => return Err(refusal),
            };
            let view = match concepts::view(&self.state.registry, doc).await {
                Ok(view) => view,
                Err(ConceptError::NotFound) => return Ok(DocumentData { me, page: None }),
                Err(e) => return Err(internal(e)),
            };
            let discussion = self.discussion_for(&p, doc, level).await?.for_first_render();
            let is_draft = db::drafts::get(&self.state.db, doc).await.map_err(internal)?.is_some();
            let (draft, drafts) = if is_draft {
                (Some(drafts::detail(&self.state, &p, doc).await?), None)
            } else {
                (None, Some(drafts::list(&self.state, &p, doc).await?))
            };
            let page = Some(DocPage {
                id: doc.to_string(),
                view,
                can_edit: level >= Level::Edit,
                level,
                discussion,
                draft,
                drafts,
            });
            Ok(DocumentData { me, page })
        })
    }
}
