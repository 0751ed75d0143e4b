//! Where the data lives: the database URL and SQLite's durability, shared by `serve` and `admin`.

use std::path::PathBuf;

use clap::Args;

/// When SQLite counts a commit as done (PostgreSQL always syncs to disk at commit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SqliteDurability {
    /// `synchronous=FULL`: every commit is on disk (fsync) – survives power loss.
    #[default]
    Full,
    /// `synchronous=NORMAL` (WAL): every commit is in the WAL file – survives a crash or restart
    /// of the server, not a power cut of the machine; lower and steadier latency.
    Normal,
}

/// Where the data lives; shared by `serve` and `admin`.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database: `sqlite://path` or `postgres://…`. Default: SQLite file `kompromiss.db` in the data directory.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// SQLite durability: `full` (fsync per commit, survives power loss) or `normal` (WAL, survives
    /// crashes and restarts of the server).
    #[arg(long, env = "KOMPROMISS_SQLITE_SYNCHRONOUS", value_enum, default_value_t = SqliteDurability::Full)]
    pub sqlite_synchronous: SqliteDurability,

    /// Directory for the embedded SQLite database.
    #[arg(long, env = "KOMPROMISS_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

impl DbArgs {
    /// The database URL actually used, with the embedded default filled in.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", self.data_dir.join("kompromiss.db").display()))
    }

    /// Opens the database (and runs migrations).
    pub async fn connect(&self) -> Result<super::Db, super::DbError> {
        super::Db::connect(&self.database_url(), self.sqlite_synchronous).await
    }

    /// Opens the database, running the migrations or not.
    pub async fn open(&self, migrations: super::Migrations) -> Result<super::Db, super::DbError> {
        super::Db::open(&self.database_url(), self.sqlite_synchronous, migrations).await
    }
}
