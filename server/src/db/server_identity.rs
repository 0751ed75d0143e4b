//! The server's peer id and storage id: chosen at first start, the same ever after.

use super::{Db, DbError, on_pool};

/// How this server names itself in the automerge-repo protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerIdentity {
    pub peer_id: String,
    pub storage_id: String,
}

/// The stored identity, stored first if there is none. Several servers starting at once on one
/// database agree: the first insert wins and everybody reads it.
pub async fn load_or_create(db: &Db) -> Result<ServerIdentity, DbError> {
    let peer_id = value(db, "peer_id", super::random_id("kompromiss-server-")).await?;
    let storage_id = value(db, "storage_id", uuid_like()).await?;
    Ok(ServerIdentity { peer_id, storage_id })
}

async fn value(db: &Db, name: &str, fresh: String) -> Result<String, DbError> {
    const INSERT: &str = "INSERT INTO server_identity (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
    const SELECT: &str = "SELECT value FROM server_identity WHERE name = $1";
    on_pool!(db, pool => {
        sqlx::query(INSERT).bind(name).bind(&fresh).execute(pool).await?;
        let (value,): (String,) = sqlx::query_as(SELECT).bind(name).fetch_one(pool).await?;
        Ok(value)
    })
}

/// A random id in the form automerge-repo gives storage ids (a UUID v4's shape).
fn uuid_like() -> String {
    use rand::Rng;
    let hex = format!("{:032x}", rand::rng().random::<u128>());
    format!("{}-{}-4{}-a{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}
