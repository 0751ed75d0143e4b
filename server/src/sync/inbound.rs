//! Bytes read from sync sockets that are not yet a complete message: counted per connection and
//! against one budget for the whole server, so unfinished (fragmented) messages cannot hoard memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

/// What one connection may always have pending, whatever the budget: honest small messages flow.
pub const ALWAYS_ALLOWED: usize = 64 * 1024;

/// The server-wide budget of pending inbound bytes; cheap to clone.
#[derive(Debug, Clone)]
pub struct InboundBudget {
    used: Arc<AtomicUsize>,
    max: usize,
    epoch: Instant,
}

impl InboundBudget {
    pub fn new(max: usize) -> Self {
        Self { used: Arc::default(), max, epoch: Instant::now() }
    }

    /// A connection's account against this budget.
    pub fn account(&self) -> Pending {
        Pending { budget: self.clone(), mine: Arc::default(), since_ms: Arc::new(AtomicU64::new(u64::MAX)) }
    }

    /// Bytes pending across all connections.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }
}

/// One connection's pending bytes; shared by its socket reader and its task (both on one task).
#[derive(Debug, Clone)]
pub struct Pending {
    budget: InboundBudget,
    mine: Arc<AtomicUsize>,
    /// Milliseconds after the budget's epoch when the pending bytes began; `u64::MAX` for none.
    since_ms: Arc<AtomicU64>,
}

/// The budget is spent: a larger message is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("server busy: too many unfinished messages (inbound budget)")]
pub struct OverBudget;

impl Pending {
    /// Counts `n` bytes just read; refused when they would pass the server's budget and this
    /// connection already holds more than [`ALWAYS_ALLOWED`].
    pub fn add(&self, n: usize) -> Result<(), OverBudget> {
        let mine = self.mine.load(Ordering::Relaxed);
        let used = self.budget.used.fetch_add(n, Ordering::Relaxed) + n;
        if used > self.budget.max && mine + n > ALWAYS_ALLOWED {
            self.budget.used.fetch_sub(n, Ordering::Relaxed);
            return Err(OverBudget);
        }
        self.mine.store(mine + n, Ordering::Relaxed);
        if mine == 0 {
            self.since_ms.store(self.budget.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
        }
        Ok(())
    }

    /// A whole message of `n` bytes (with its frame headers) arrived: what it took is free again.
    pub fn complete(&self, n: usize) {
        let mine = self.mine.load(Ordering::Relaxed);
        let freed = n.min(mine);
        self.budget.used.fetch_sub(freed, Ordering::Relaxed);
        self.mine.store(mine - freed, Ordering::Relaxed);
        if mine == freed {
            self.since_ms.store(u64::MAX, Ordering::Relaxed);
        }
    }

    /// A data message arrived: nothing of an earlier one is pending any more.
    pub fn settle(&self) {
        let mine = self.mine.swap(0, Ordering::Relaxed);
        self.budget.used.fetch_sub(mine, Ordering::Relaxed);
        self.since_ms.store(u64::MAX, Ordering::Relaxed);
    }

    /// Since when bytes have been pending (more than a control frame's worth), if they are.
    pub fn pending_since(&self) -> Option<Instant> {
        let since = self.since_ms.load(Ordering::Relaxed);
        (since != u64::MAX && self.mine.load(Ordering::Relaxed) > 256)
            .then(|| self.budget.epoch + std::time::Duration::from_millis(since))
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // The last clone (reader or task) gives the connection's bytes back.
        if Arc::strong_count(&self.mine) == 1 {
            self.settle();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_stops_large_pending_messages_but_lets_small_ones_through() {
        let budget = InboundBudget::new(1024 * 1024);
        let hog = budget.account();
        for _ in 0..16 {
            hog.add(64 * 1024).expect("within the budget");
        }
        assert_eq!(hog.add(64 * 1024), Err(OverBudget), "the budget is spent");
        let honest = budget.account();
        honest.add(8 * 1024).expect("a small message still flows");
        honest.settle();
        assert!(hog.pending_since().is_some());
        hog.settle();
        assert_eq!(budget.used(), 0);
        assert!(hog.pending_since().is_none());
    }

    #[test]
    fn control_frames_do_not_count_as_pending_and_a_dropped_connection_gives_its_bytes_back() {
        let budget = InboundBudget::new(1 << 20);
        let pending = budget.account();
        pending.add(6).expect("a pong");
        pending.complete(6);
        assert!(pending.pending_since().is_none());
        assert_eq!(budget.used(), 0);
        let reader = pending.clone();
        reader.add(100_000).expect("part of a message");
        drop(reader);
        assert_eq!(budget.used(), 100_000, "still held by the task");
        drop(pending);
        assert_eq!(budget.used(), 0);
    }
}
