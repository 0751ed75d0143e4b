//! The storage seam: one `Db` for SQLite or PostgreSQL, chosen once from the URL; one module per aggregate.

pub mod attribution;
pub mod audit;
pub mod authz_version;
pub mod ballots;
pub mod checkpoint;
pub mod chunks;
pub mod cluster;
pub mod comments;
pub mod documents;
pub mod drafts;
pub mod evaluations;
pub mod grants;
pub mod logins;
pub mod metrics;
pub mod moderation;
pub mod moderators;
pub mod named_versions;
pub mod notifications;
pub mod roles;
pub mod serve_lock;
pub mod server_identity;
pub mod sessions;
pub mod settings;
pub mod sync_tickets;
pub mod tokens;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use settings::SqliteDurability;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

/// A connection pool to one of the two supported backends.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL scheme (use sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the actor id {actor} belongs to another person")]
    ActorOwned { actor: String, owner: String },
    #[error("cannot create the data directory: {0}")]
    DataDir(std::io::Error),
    /// Another writer (another instance) took the chunk number in the same moment; nothing was
    /// stored. Retried at once: the next number is free.
    #[error("the chunk number was taken by a concurrent write")]
    SeqTaken,
}

/// Whether opening a database also brings its schema up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migrations {
    /// Runs the migrations this binary carries (`serve`, `admin`, a restore's target).
    Run,
    /// Leaves the schema alone (a backup of a running server must not change its schema).
    Skip,
}

/// Runs the same query code against whichever pool is configured.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

impl Db {
    /// Connects and runs the backend's migrations.
    pub async fn connect(url: &str, durability: SqliteDurability) -> Result<Db, DbError> {
        Self::open(url, durability, Migrations::Run).await
    }

    /// Connects, running the migrations or not.
    pub async fn open(url: &str, durability: SqliteDurability, migrations: Migrations) -> Result<Db, DbError> {
        let migrate = migrations == Migrations::Run;
        let db = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: an acknowledged change survives a power cut, not only a crash.
                .synchronous(match durability {
                    SqliteDurability::Full => SqliteSynchronous::Full,
                    SqliteDurability::Normal => SqliteSynchronous::Normal,
                })
                .foreign_keys(true)
                // Checkpoints run in the background (`checkpoint`), not inside a keystroke's commit.
                .pragma("wal_autocheckpoint", "0")
                .busy_timeout(Duration::from_secs(10));
            if let Some(dir) = opts.get_filename().parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(DbError::DataDir)?;
            }
            Db::Sqlite(SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Db::Postgres(
                PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?,
            )
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        if migrate {
            db.migrate().await?;
        }
        Ok(db)
    }

    /// Brings the schema up to date with the migrations this binary carries.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Migrations this binary carries for the backend (the same number on both).
    pub fn migrations_known(&self) -> usize {
        match self {
            Db::Sqlite(_) => sqlx::migrate!("../migrations/sqlite").iter().count(),
            Db::Postgres(_) => sqlx::migrate!("../migrations/postgres").iter().count(),
        }
    }

    /// Which backend this is, for logs and readiness.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.is_ok())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// Milliseconds since the Unix epoch, as stored in every timestamp column.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// A fresh random id: `prefix` and 16 hex digits (people, sign-in subjects of local accounts).
pub(crate) fn random_id(prefix: &str) -> String {
    use rand::Rng;
    format!("{prefix}{:016x}", rand::rng().random::<u64>())
}
