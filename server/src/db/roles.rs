//! Roles held directly (granted) and the admin-managed mapping of claim groups to roles.

use kompromiss_shared::perm::Role;

use super::{Db, DbError, authz_version, now_millis, on_pool};

/// A role someone holds directly, with who granted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRole {
    pub user_id: String,
    pub role: Role,
    pub granted_by: Option<String>,
}

/// Direct roles of everybody (or of one user).
pub async fn held(db: &Db, user_id: Option<&str>) -> Result<Vec<HeldRole>, DbError> {
    const ALL: &str = "SELECT user_id, role, granted_by FROM user_roles ORDER BY user_id, role";
    const ONE: &str = "SELECT user_id, role, granted_by FROM user_roles WHERE user_id = $1 ORDER BY role";
    let rows: Vec<(String, String, Option<String>)> = match user_id {
        Some(id) => on_pool!(db, pool => sqlx::query_as(ONE).bind(id).fetch_all(pool).await?),
        None => on_pool!(db, pool => sqlx::query_as(ALL).fetch_all(pool).await?),
    };
    Ok(rows
        .into_iter()
        .filter_map(|(user_id, role, granted_by)| Some(HeldRole { user_id, role: Role::parse(&role)?, granted_by }))
        .collect())
}

/// Grants a role directly; true when it was new.
pub async fn grant(db: &Db, user_id: &str, role: Role, by: Option<&str>) -> Result<bool, DbError> {
    const SQL: &str = "INSERT INTO user_roles (user_id, role, granted_by, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, role) DO NOTHING";
    let n = on_pool!(db, pool => sqlx::query(SQL).bind(user_id).bind(role.as_str()).bind(by).bind(now_millis())
        .execute(pool).await?.rows_affected());
    authz_version::bump(db).await?;
    Ok(n > 0)
}

/// Revokes a directly held role; true when it was held.
pub async fn revoke(db: &Db, user_id: &str, role: Role) -> Result<bool, DbError> {
    const SQL: &str = "DELETE FROM user_roles WHERE user_id = $1 AND role = $2";
    let n =
        on_pool!(db, pool => sqlx::query(SQL).bind(user_id).bind(role.as_str()).execute(pool).await?.rows_affected());
    authz_version::bump(db).await?;
    Ok(n > 0)
}

/// The admin-managed mappings (group, role).
pub async fn mappings(db: &Db) -> Result<Vec<(String, Role)>, DbError> {
    const SQL: &str = "SELECT group_name, role FROM role_mappings ORDER BY group_name";
    let rows: Vec<(String, String)> = on_pool!(db, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
    Ok(rows.into_iter().filter_map(|(g, r)| Some((g, Role::parse(&r)?))).collect())
}

/// Maps a group to a role, or removes the mapping.
pub async fn set_mapping(db: &Db, group: &str, role: Option<Role>, by: Option<&str>) -> Result<(), DbError> {
    const UPSERT: &str = "INSERT INTO role_mappings (group_name, role, created_by, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (group_name) DO UPDATE SET role = excluded.role, created_by = excluded.created_by";
    const DELETE: &str = "DELETE FROM role_mappings WHERE group_name = $1";
    match role {
        Some(role) => on_pool!(db, pool => sqlx::query(UPSERT).bind(group).bind(role.as_str()).bind(by)
            .bind(now_millis()).execute(pool).await.map(|_| ())?),
        None => on_pool!(db, pool => sqlx::query(DELETE).bind(group).execute(pool).await.map(|_| ())?),
    }
    authz_version::bump(db).await
}
