//! Test databases: a SQLite file in a temporary directory, or a fresh PostgreSQL database.

use std::path::PathBuf;

use sqlx::Connection;

/// Where tests find PostgreSQL; a server, not a database (each test creates its own).
pub fn postgres_base_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database a test owns.
pub enum TestDb {
    Sqlite { dir: tempfile::TempDir },
    Postgres { name: String, url: String },
}

impl TestDb {
    /// A fresh SQLite database in its own directory.
    pub fn sqlite() -> TestDb {
        TestDb::Sqlite { dir: tempfile::tempdir().expect("temporary directory") }
    }

    /// A fresh PostgreSQL database, or `None` when no server answers (said loudly on stderr).
    /// With `KOMPROMISS_REQUIRE_POSTGRES=1` a missing server fails the test instead.
    pub async fn postgres() -> Option<TestDb> {
        let base = postgres_base_url();
        let admin = match sqlx::PgConnection::connect(&base).await {
            Ok(c) => c,
            Err(e) => {
                if std::env::var("KOMPROMISS_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                    panic!("PostgreSQL is required but does not answer at {base}: {e}");
                }
                eprintln!("\n!!! PostgreSQL does not answer at {base}: running the SQLite half only !!!\n");
                return None;
            }
        };
        let mut admin = admin;
        let name = format!("kompromiss_test_{:016x}", rand::random::<u64>());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let url = match base.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("TEST_DATABASE_URL must end in /<database>"),
        };
        Some(TestDb::Postgres { name, url })
    }

    /// Every backend to run a storage test on: SQLite always, PostgreSQL when it answers.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite()];
        dbs.extend(TestDb::postgres().await);
        dbs
    }

    /// The server's `DATABASE_URL`.
    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite { dir } => format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
            TestDb::Postgres { url, .. } => url.clone(),
        }
    }

    /// A data directory for the server.
    pub fn data_dir(&self) -> PathBuf {
        match self {
            TestDb::Sqlite { dir } => dir.path().to_path_buf(),
            TestDb::Postgres { .. } => std::env::temp_dir(),
        }
    }

    /// Backend name for messages.
    pub fn backend(&self) -> &'static str {
        match self {
            TestDb::Sqlite { .. } => "sqlite",
            TestDb::Postgres { .. } => "postgres",
        }
    }

    /// Holds the write lock (SQLite: the database's; PostgreSQL: the chunk table's) until
    /// released: the server's next storage write waits, as behind a stalled disk.
    pub async fn stall_writes(&self) -> WriteStall {
        match self {
            TestDb::Sqlite { .. } => {
                let mut c = sqlx::SqliteConnection::connect(&self.url()).await.expect("sqlite connection");
                sqlx::query("BEGIN IMMEDIATE").execute(&mut c).await.expect("take the write lock");
                WriteStall::Sqlite(c)
            }
            TestDb::Postgres { url, .. } => {
                let mut c = sqlx::PgConnection::connect(url).await.expect("postgres connection");
                sqlx::query("BEGIN").execute(&mut c).await.expect("begin");
                sqlx::query("LOCK TABLE doc_chunks IN EXCLUSIVE MODE").execute(&mut c).await.expect("lock chunks");
                WriteStall::Postgres(c)
            }
        }
    }

    /// Drops a PostgreSQL test database (SQLite directories go away on drop).
    pub async fn cleanup(self) {
        if let TestDb::Postgres { name, .. } = self
            && let Ok(mut admin) = sqlx::PgConnection::connect(&postgres_base_url()).await
        {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let _ = sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&mut admin).await;
        }
    }
}

/// A held write lock (`TestDb::stall_writes`).
pub enum WriteStall {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl WriteStall {
    /// Lets the waiting writes go through.
    pub async fn release(self) {
        match self {
            WriteStall::Sqlite(mut c) => {
                sqlx::query("ROLLBACK").execute(&mut c).await.expect("release");
                c.close().await.expect("close");
            }
            WriteStall::Postgres(mut c) => {
                sqlx::query("ROLLBACK").execute(&mut c).await.expect("release");
                c.close().await.expect("close");
            }
        }
    }
}
