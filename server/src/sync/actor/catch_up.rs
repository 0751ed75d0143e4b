//! Reading what other instances stored after the actor's cursor, and moving the cursor.

use std::time::Duration;

use super::{Actor, Poison};
use crate::db::chunks::{self, ChunkKind, MAX_SINCE};

impl Actor {
    /// True when storage may hold chunks this actor has not applied.
    pub(super) fn behind(&self) -> bool {
        self.gap || self.news.latest() > self.cursor
    }

    /// Records a chunk of this actor's own: the cursor moves only over a gap-free run.
    pub(super) fn advance(&mut self, seq: i64) {
        self.news.record(seq);
        if seq == self.cursor + 1 {
            self.cursor = seq;
        } else if seq > self.cursor {
            // Another instance stored the chunks between; their notification may come after
            // this number was recorded (and then wake nobody): read them at the next turn.
            self.gap = true;
            self.news.nudge();
        }
    }

    /// Reads the chunks after the cursor and merges them, page by page until storage has no
    /// more; the peers hear of them in the fan-out that follows. A failed read leaves the cursor
    /// (the next flush, tick or sweep tries again).
    pub(super) async fn catch_up(&mut self) {
        loop {
            let read = match chunks::since(&self.db, self.id, self.cursor).await {
                Ok(read) => read,
                Err(error) => {
                    tracing::warn!(%error, "cannot read other instances' changes; will retry");
                    return;
                }
            };
            let Some(last) = read.last() else {
                // Nothing after the cursor (news of a chunk compacted away meanwhile, or this
                // actor's own): the cursor stands at the newest number.
                self.gap = false;
                return;
            };
            let (last_seq, last_at) = (last.seq, last.created_at);
            match self.sync.absorb(&read) {
                Ok(fresh) => {
                    self.meters.changes.add("absorbed", fresh as u64);
                    if fresh > 0 {
                        let lag = crate::db::now_millis().saturating_sub(last_at).max(0);
                        self.meters.cluster_lag.observe(Duration::from_millis(lag as u64));
                    }
                    self.chunks_since_snapshot = match read.iter().rposition(|c| c.kind == ChunkKind::Snapshot) {
                        Some(at) => read.len() - at,
                        None => self.chunks_since_snapshot + read.len(),
                    };
                    self.cursor = last_seq;
                    self.gap = false;
                }
                Err(error) => {
                    // Storage holds something this document cannot take: the durable state is
                    // read whole instead (the reload resets the cursor).
                    tracing::error!(%error, "stored changes of another instance do not apply; reloading");
                    self.poisoned = Some(Poison::Corrupt);
                    return;
                }
            }
            if (read.len() as i64) < MAX_SINCE {
                return;
            }
        }
    }
}
