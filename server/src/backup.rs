//! Backup and restore: one archive of every table, written from a live server's snapshot and read
//! back into an empty instance on either backend (see docs/architecture.md, "Backup and restore").

pub mod cells;
pub mod dump;
pub mod format;
pub mod reader;
pub mod restore;
pub mod schema;
pub mod tables;
pub mod writer;

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use crate::db::DbError;

/// Migrations the table list describes; a backup is taken and restored only at this schema.
/// `tests/tests/integration/backup.rs` checks that both backends have exactly this many.
pub const SCHEMA_VERSION: u32 = 14;

/// Name the audit log shows for what the command line did.
pub const CLI_ACTOR: &str = "Kommandozeile";

/// Migrations a database has run (sqlx's own bookkeeping, the same on both backends).
pub(crate) const APPLIED_MIGRATIONS: &str = "SELECT COUNT(*) FROM _sqlx_migrations WHERE success";

/// Compressed pieces queued between the dump and whoever writes them out.
const PIECES_AHEAD: usize = 8;

/// What an archive holds, for messages and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// When the snapshot was taken (milliseconds since the Unix epoch).
    pub created_at: i64,
    /// The backend it was taken from.
    pub source: String,
    pub schema_version: u32,
    pub tables: usize,
    pub rows: u64,
}

/// Why a backup or restore did not happen. Messages are whole sentences, German first.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "Diese Datei ist keine Kompromiss-Sicherung. Nichts wurde wiederhergestellt. / \
         This file is not a Kompromiss archive. Nothing was restored."
    )]
    NotAnArchive,
    #[error(
        "Die Sicherung hat das Format {0}, das diese Version nicht kennt. Nichts wurde wiederhergestellt. / \
         The archive has format {0}, which this version does not know. Nothing was restored."
    )]
    FormatVersion(u32),
    #[error(
        "Die Sicherung ist unvollständig (abgeschnitten): ihr Ende fehlt. Nichts wurde wiederhergestellt. / \
         The archive is truncated: its end is missing. Nothing was restored."
    )]
    Truncated,
    #[error(
        "Die Sicherung ist beschädigt (Zeile {line}: {reason}). Nichts wurde wiederhergestellt. / \
         The archive is damaged (line {line}: {reason}). Nothing was restored."
    )]
    Damaged { line: u64, reason: String },
    #[error(
        "Die Sicherung ist beschädigt: die Komprimierung lässt sich nicht lesen. Nichts wurde wiederhergestellt. / \
         The archive is damaged: its compression cannot be read. Nothing was restored."
    )]
    Compression,
    #[error(
        "Die Sicherung wurde verändert oder ist beschädigt: ihre Prüfsumme (SHA-256) stimmt nicht. \
         Nichts wurde wiederhergestellt. / The archive was altered or damaged: its checksum (SHA-256) \
         does not match. Nothing was restored."
    )]
    Tampered,
    #[error(
        "Zeile {line} der Sicherung ist länger als erlaubt (64 MiB). Nichts wurde wiederhergestellt. / \
         Line {line} of the archive is longer than allowed (64 MiB). Nothing was restored."
    )]
    LineTooLong { line: u64 },
    #[error(
        "Schemaversion passt nicht: Sicherung {archive:?}, Datenbank {here}, dieses Programm {SCHEMA_VERSION}. \
         Mit der Version von Kompromiss sichern und wiederherstellen, die die Sicherung geschrieben hat, \
         dann die neue starten (sie migriert). / Schema version mismatch: archive {archive:?}, database \
         {here}, this program {SCHEMA_VERSION}. Back up and restore with the Kompromiss version that wrote \
         the archive, then start the new one (it migrates)."
    )]
    SchemaVersion { archive: Option<u32>, here: i64 },
    #[error(
        "Die Ziel-Datenbank ist nicht leer (Tabelle {0} enthält Daten). Wiederherstellen geht nur in eine \
         leere Instanz. / The target database is not empty (table {0} holds rows). Restore only into an \
         empty instance."
    )]
    NotEmpty(&'static str),
    #[error(
        "Die Ziel-Datenbank enthält schon {tables} Tabellen eines anderen Programms oder einer anderen \
         Version von Kompromiss; sie wurde nicht verändert. Wiederherstellen geht nur in eine leere \
         Datenbank. / The target database already holds {tables} tables of another program or another \
         Kompromiss version; it was left unchanged. Restore only into an empty database."
    )]
    ForeignSchema { tables: i64 },
    #[error(
        "Die Tabellenliste der Sicherung passt nicht zum Datenbankschema: {0}. / The backup's table list \
         does not match the database schema: {0}."
    )]
    SchemaNotCovered(String),
    #[error(
        "Zeilen ab Nr. {first} der Tabelle {table} ließen sich nicht speichern ({source}). Nichts wurde \
         wiederhergestellt. / Rows from no. {first} of table {table} could not be stored ({source}). \
         Nothing was restored."
    )]
    Store {
        table: &'static str,
        first: u64,
        #[source]
        source: sqlx::Error,
    },
    #[error("Eine Zeile ließ sich nicht lesen / a row could not be read: {0}")]
    Unreadable(String),
    #[error("Die Sicherung wurde abgebrochen: niemand nimmt sie mehr an. / The backup was abandoned: nobody takes it.")]
    Abandoned,
    #[error("Datenbankfehler / database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("Datenbankfehler / database error: {0}")]
    Db(#[from] DbError),
    #[error("Ein- oder Ausgabefehler / input or output error: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes an archive of `db` to `path`: first to `<path>.partial`, renamed when complete, so a
/// failed backup never leaves a file that looks whole.
pub async fn backup_to_file(db: &crate::db::Db, path: &Path) -> Result<Summary, BackupError> {
    let partial = partial_path(path);
    // Readable by the owner only: the archive holds e-mail addresses and token hashes. A file
    // already there (a stale `.partial`, or a link someone planted) is refused, not followed.
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(&partial).await?;
    let (send, mut pieces) = mpsc::channel(PIECES_AHEAD);
    // The writer owns the receiver: when a write fails it returns and drops it, so the dump's
    // next send fails and the snapshot transaction ends instead of waiting forever.
    let writing = async move {
        while let Some(piece) = pieces.recv().await {
            let piece: Vec<u8> = piece?;
            file.write_all(&piece).await?;
        }
        file.sync_all().await?;
        Ok::<_, BackupError>(())
    };
    let (dumped, written) = tokio::join!(dump::dump(db, send), writing);
    // A failed write explains more than the dump's "abandoned" that follows from it.
    let outcome = written.and(dumped);
    match outcome {
        Ok(summary) => {
            tokio::fs::rename(&partial, path).await?;
            Ok(summary)
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&partial).await;
            Err(e)
        }
    }
}

pub use restore::refuse_unless_empty;

/// Restores the archive at `path` into `db` (migrated, empty).
pub async fn restore_from_file(db: &crate::db::Db, path: &Path) -> Result<Summary, BackupError> {
    let file = std::fs::File::open(path)?;
    restore::restore(db, file).await
}

/// Starts a dump of `db` into a bounded channel, for a download; the channel's last item is an
/// error if the dump failed, so a broken download never ends like a whole one.
/// The pieces of a download as they are dumped.
pub type Download = mpsc::Receiver<std::io::Result<Vec<u8>>>;

/// One download at a time: each holds a pool connection and a snapshot transaction.
static DOWNLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
/// The longest a download may take, so that a stalled client cannot hold its snapshot open.
pub const DOWNLOAD_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Starts a dump of `db` into a bounded channel, for a download; the channel's last item is an
/// error if the dump failed or ran past [`DOWNLOAD_DEADLINE`], so a broken download never ends
/// like a whole one. `None` while another download runs.
pub fn stream(db: crate::db::Db) -> Option<(Download, tokio::task::JoinHandle<()>)> {
    let turn = DOWNLOADS.try_acquire().ok()?;
    let (send, pieces) = mpsc::channel(PIECES_AHEAD);
    let task = tokio::spawn(async move {
        let _turn = turn;
        let outcome = tokio::time::timeout(DOWNLOAD_DEADLINE, dump::dump(&db, send.clone())).await;
        match outcome {
            Ok(Ok(summary)) => tracing::info!(rows = summary.rows, "backup downloaded"),
            Ok(Err(BackupError::Abandoned)) => tracing::info!("backup download abandoned by the client"),
            Ok(Err(error)) => {
                tracing::error!(%error, "backup download failed");
                let _ = send.send(Err(std::io::Error::other("backup failed"))).await;
            }
            Err(_) => {
                tracing::warn!("backup download ran past its deadline");
                let _ = send.try_send(Err(std::io::Error::other("backup timed out")));
            }
        }
    });
    Some((pieces, task))
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// `2026-12-05 15:36 UTC` for a time in milliseconds since the Unix epoch.
pub fn day_and_time(millis: i64) -> String {
    let (year, month, day) = kompromiss_shared::metrics::month::civil_date(millis);
    let rest = millis.div_euclid(1000).rem_euclid(86_400);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}

/// The download's file name: `kompromiss-sicherung-2026-12-05-1536.jsonl.gz`.
pub fn file_name(millis: i64) -> String {
    let stamp = day_and_time(millis).trim_end_matches(" UTC").replace(' ', "-").replace(':', "");
    format!("kompromiss-sicherung-{stamp}.jsonl.gz")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_calendar_days() {
        assert_eq!(day_and_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(day_and_time(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(day_and_time(1_796_485_000_000), "2026-12-05 15:36 UTC");
        assert_eq!(file_name(1_796_485_000_000), "kompromiss-sicherung-2026-12-05-1536.jsonl.gz");
    }
}
