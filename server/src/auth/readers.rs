//! The people who may read a document: for `@` mentions (who can be named, and who is told).

use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{self, Level};

use super::roles::{self, RoleSources};
use super::settings::AuthSettings;
use crate::db::users::{self, User};
use crate::db::{Db, DbError, drafts, grants};

/// Most people considered (people who ever signed in, in the order the database lists them).
pub const MAX_PEOPLE: usize = 20_000;

/// Everybody who may read `doc` now (a draft's readers are its concept's).
pub async fn of(db: &Db, settings: &AuthSettings, doc: DocumentId) -> Result<Vec<User>, DbError> {
    Ok(at_least(db, settings, doc, Level::Read).await?.into_iter().map(|(user, _)| user).collect())
}

/// Everybody whose level on `doc` is at least `level` now, with their role.
pub async fn at_least(
    db: &Db,
    settings: &AuthSettings,
    doc: DocumentId,
    level: Level,
) -> Result<Vec<(User, Option<perm::Role>)>, DbError> {
    let doc = drafts::get(db, doc).await?.map_or(doc, |draft| draft.concept);
    let sources = RoleSources::load(db, None).await?;
    let doc_grants: Vec<perm::Grant> = grants::for_doc(db, doc).await?.into_iter().map(|g| g.grant).collect();
    let people = users::list(db).await?;
    Ok(people
        .into_iter()
        .take(MAX_PEOPLE)
        .filter_map(|user| {
            let (role, _) = roles::resolve(settings, &sources, &user);
            let who = perm::Who { user_id: Some(&user.id), role, groups: &user.groups };
            (perm::level(&who, &doc_grants) >= level).then_some((user, role))
        })
        .collect())
}
