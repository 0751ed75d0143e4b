//! SQLite's WAL checkpoints, moved off the commit path into a background task.
//!
//! SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000 pages, so
//! the keystroke waiting for that commit (and every peer's copy of it) waits for it too; and with
//! it, this server's log was never restarted while it ran (it grew with every edit, measured in
//! `the_write_ahead_log_is_folded_in_the_background_and_does_not_grow`). The connections run with
//! automatic checkpoints off; this task checkpoints passively (never blocking writers) every few
//! seconds instead, after which the next write restarts the log. SQLite still checkpoints and
//! removes the log when the last connection closes at shutdown.

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
