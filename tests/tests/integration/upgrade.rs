//! A database holding data from before the discussion existed (schema 0005) takes the comment,
//! moderation, notification and moderator migrations and keeps every row.

use kompromiss_server::db::{Db, comments, moderators, notifications};
use kompromiss_shared::ids::DocumentId;
use kompromiss_tests::db::TestDb;

/// Runs the migrations up to and including `last` on a fresh pool of `db`.
async fn migrate_until(db: &TestDb, last: i64) {
    async fn run<DB: sqlx::Database>(mut m: sqlx::migrate::Migrator, pool: &sqlx::Pool<DB>, last: i64)
    where
        <DB as sqlx::Database>::Connection: sqlx::migrate::Migrate,
    {
        m.migrations = std::borrow::Cow::Owned(m.migrations.iter().filter(|x| x.version <= last).cloned().collect());
        m.run(pool).await.expect("old migrations");
    }
    match db {
        TestDb::Sqlite { .. } => {
            let opts: sqlx::sqlite::SqliteConnectOptions = db.url().parse().expect("url");
            let pool = sqlx::SqlitePool::connect_with(opts.create_if_missing(true)).await.expect("sqlite");
            run(sqlx::migrate!("../migrations/sqlite"), &pool, last).await;
            seed(&pool).await;
            pool.close().await;
        }
        TestDb::Postgres { .. } => {
            let pool = sqlx::PgPool::connect(&db.url()).await.expect("postgres");
            run(sqlx::migrate!("../migrations/postgres"), &pool, last).await;
            seed(&pool).await;
            pool.close().await;
        }
    }
}

fn doc() -> DocumentId {
    DocumentId::from_random([7; 16])
}

/// A person, a document of theirs and a grant, as schema 0005 stores them.
async fn seed<DB: sqlx::Database>(pool: &sqlx::Pool<DB>)
where
    for<'c> &'c sqlx::Pool<DB>: sqlx::Executor<'c, Database = DB>,
    <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
{
    let doc = doc();
    for sql in [
        "INSERT INTO users (id, display_name, created_at) VALUES ('u-alt', 'Alte Hasin', 1)".to_owned(),
        format!(
            "INSERT INTO documents (id, title, created_by, created_at, updated_at) VALUES ('{doc}', 'Altes Konzept', 'u-alt', 1, 2)"
        ),
        format!(
            "INSERT INTO doc_grants (doc_id, subject_kind, subject, level, created_at) VALUES ('{doc}', 'user', 'u-alt', 'edit', 3)"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await.expect("seed");
    }
}

#[tokio::test]
async fn a_database_from_before_the_discussion_upgrades_and_keeps_its_rows() {
    for db in TestDb::all().await {
        let backend = db.backend();
        migrate_until(&db, 5).await;
        let store = Db::connect(&db.url(), Default::default()).await.expect("upgrade to the latest schema");
        let doc = doc();
        let meta = kompromiss_server::db::documents::get(&store, doc).await.expect("get").expect("kept");
        assert_eq!(meta.title, "Altes Konzept", "{backend}");
        assert_eq!(kompromiss_server::db::grants::for_doc(&store, doc).await.expect("grants").len(), 1, "{backend}");
        // The new tables work with the old rows.
        let reader = comments::Reader { user_id: Some("u-alt"), moderator: false };
        assert!(comments::discussion(&store, doc, reader, None).await.expect("discussion").threads.is_empty());
        assert!(notifications::newest(&store, "u-alt", 10).await.expect("notifications").is_empty(), "{backend}");
        assert!(moderators::set(&store, doc, "u-alt", true, None, 4).await.expect("name"), "{backend}");
        assert!(moderators::is_named(&store, doc, "u-alt").await.expect("named"), "{backend}");
        store.close().await;
        db.cleanup().await;
    }
}
