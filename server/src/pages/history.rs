//! A document's history page: the same rules as the JSON API (crate::versions).

use kompromiss_client::api::history::HistoryPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::diff::ConceptDiff;
use kompromiss_shared::dto::timeline::Timeline;
use kompromiss_shared::schema::ConceptView;

use super::PageServer;
use super::access::{parse_doc, principal};
use crate::versions;

impl HistoryPages for PageServer {
    fn timeline<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, Timeline> {
        Box::pin(async move { Ok(versions::timeline(&self.state, &principal(req), parse_doc(&doc)?).await?) })
    }

    fn version<'a>(&'a self, req: &'a Req, doc: String, version: String) -> Answer<'a, ConceptView> {
        Box::pin(async move { Ok(versions::at(&self.state, &principal(req), parse_doc(&doc)?, &version).await?) })
    }

    fn compare<'a>(&'a self, req: &'a Req, doc: String, from: String, to: String) -> Answer<'a, ConceptDiff> {
        Box::pin(
            async move { Ok(versions::compare(&self.state, &principal(req), parse_doc(&doc)?, &from, &to).await?) },
        )
    }

    fn authorship<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, kompromiss_shared::dto::timeline::Authorship> {
        Box::pin(async move { Ok(crate::authorship::of(&self.state, &principal(req), parse_doc(&doc)?).await?) })
    }

    fn name_version<'a>(&'a self, req: &'a Req, doc: String, name: String, version: String) -> Answer<'a, ()> {
        Box::pin(
            async move { Ok(versions::name(&self.state, &principal(req), parse_doc(&doc)?, &name, &version).await?) },
        )
    }

    fn restore<'a>(&'a self, req: &'a Req, doc: String, version: String, item: String) -> Answer<'a, ()> {
        Box::pin(async move {
            versions::restore(&self.state, &principal(req), parse_doc(&doc)?, &version, &item).await?;
            Ok(())
        })
    }
}
