//! Who is visiting.

use kompromiss_client::api::me::MePages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::dto::me::Me;

use super::PageServer;
use super::access::principal;

impl MePages for PageServer {
    fn me<'a>(&'a self, req: &'a Req) -> Answer<'a, Me> {
        Box::pin(async move { Ok(self.me_of(&principal(req))) })
    }
}
