//! Who may do what on pages, REST, server functions and sync; and how fast revocation reaches open connections.

mod comments;
mod fixture;
mod pages_rest;
mod revocation;
pub(crate) mod server_fns;
mod sync;
mod world;

use kompromiss_tests::db::TestDb;

use self::revocation::revocation;
use self::world::World;

#[tokio::test]
async fn every_role_may_do_exactly_what_it_is_allowed_on_pages_rest_server_functions_sync_and_comments() {
    for db in TestDb::all().await {
        let mut world = World::set_up(&db).await;
        world.pages().await;
        world.rest().await;
        world.server_functions().await;
        world.sync().await;
        world.comments().await;
        let World { app, failures, .. } = world;
        app.stop().await;
        db.cleanup().await;
        assert!(failures.is_empty(), "{} authorization failures:\n{}", failures.len(), failures.join("\n"));
    }
}

#[tokio::test]
async fn revoking_a_grant_or_a_token_reaches_open_sync_connections_within_seconds() {
    for db in TestDb::all().await {
        revocation(&db).await;
        db.cleanup().await;
    }
}
