//! `kompromiss backup <file>` and `kompromiss restore <file>`: the whole instance to one archive
//! and back, on either backend (SQLite → PostgreSQL is how an instance grows).

use std::path::PathBuf;

use clap::Args;
use kompromiss_shared::audit::AuditAction;

use crate::backup::{self, BackupError, CLI_ACTOR, Summary};
use crate::db::settings::DbArgs;
use crate::db::{Migrations, audit};

/// `kompromiss backup <file>` / `kompromiss restore <file>`
#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The archive (gzip-compressed JSON lines).
    pub file: PathBuf,
}

/// Writes an archive of the database to the file while the server may keep running; audited.
pub async fn run_backup(args: BackupArgs) -> anyhow::Result<()> {
    // No migrations: a newer binary must not change the schema under a running server.
    let db = args.db.open(Migrations::Skip).await?;
    let entry = audit::Record {
        actor_id: None,
        actor_name: Some(CLI_ACTOR),
        action: AuditAction::BackupTaken,
        target: None,
        detail: Some("Kommandozeile / command line"),
    };
    let outcome = async {
        audit::record(&db, entry).await?;
        Ok::<_, anyhow::Error>(backup::backup_to_file(&db, &args.file).await?)
    }
    .await;
    db.close().await;
    let summary = outcome?;
    println!("Gesichert / backed up: {} → {}", described(&summary), args.file.display());
    Ok(())
}

/// Checks that the target is empty, migrates it and restores the archive into it; audited in the
/// restored log. A database that holds anything is refused before its schema is touched.
pub async fn run_restore(args: BackupArgs) -> anyhow::Result<()> {
    let db = args.db.open(Migrations::Skip).await?;
    let outcome = async {
        backup::refuse_unless_empty(&db).await?;
        db.migrate().await.map_err(BackupError::from)?;
        backup::restore_from_file(&db, &args.file).await
    }
    .await;
    db.close().await;
    let summary = outcome?;
    println!("Wiederhergestellt / restored: {} ← {}", described(&summary), args.file.display());
    Ok(())
}

fn described(s: &Summary) -> String {
    format!(
        "{} Tabellen, {} Zeilen / {} tables, {} rows; Stand / taken {} ({}, Schema {})",
        s.tables,
        s.rows,
        s.tables,
        s.rows,
        backup::day_and_time(s.created_at),
        s.source,
        s.schema_version
    )
}
