//! SQLite's WAL checkpoints, moved off the commit path into a background task.
//!
//! By default SQLite folds the write-ahead log into the database file inside whichever commit
//! pushes it past 1,000 pages: that commit writes and syncs megabytes, and the keystroke waiting
//! for it (and every peer's copy of it) waits too. The connections run with automatic checkpoints
//! off; this task checkpoints passively (never blocking writers) every few seconds instead.
//! SQLite still checkpoints and removes the log when the last connection closes at shutdown.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::Db;

/// How often the log is folded into the database file.
pub const EVERY: Duration = Duration::from_secs(2);

/// What one checkpoint found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Frames in the log.
    pub wal_frames: i64,
    /// Frames now in the database file.
    pub copied: i64,
}

/// One passive checkpoint; `None` on PostgreSQL, which manages its own log.
pub async fn run_once(db: &Db) -> Result<Option<Progress>, sqlx::Error> {
    let Db::Sqlite(pool) = db else { return Ok(None) };
    let (_busy, wal_frames, copied): (i64, i64, i64) =
        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(pool).await?;
    Ok(Some(Progress { wal_frames, copied }))
}

/// Starts the background checkpoints for a SQLite database (nothing for PostgreSQL).
pub fn spawn(db: Db, cancel: CancellationToken, tracker: &TaskTracker) {
    if !matches!(db, Db::Sqlite(_)) {
        return;
    }
    tracker.spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = cancel.cancelled() => return,
            }
            if let Err(error) = run_once(&db).await {
                tracing::warn!(%error, "WAL checkpoint failed; will retry");
            }
        }
    });
}
