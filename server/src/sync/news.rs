//! News of an open document from storage: the newest chunk number another instance (or a sweep)
//! reported. Telling never blocks and repeated news collapses into one wake-up of the actor.

use std::sync::atomic::{AtomicI64, Ordering};

use tokio::sync::Notify;

/// Shared by a document's actor and whoever learns of its stored chunks.
#[derive(Debug, Default)]
pub struct News {
    latest: AtomicI64,
    wake: Notify,
}

impl News {
    /// A chunk up to `seq` is stored: wakes the actor if that is newer than anything told so far.
    pub fn tell(&self, seq: i64) {
        if self.latest.fetch_max(seq, Ordering::AcqRel) < seq {
            self.wake.notify_one();
        }
    }

    /// A chunk the actor stored itself: later news of it (through the other instances'
    /// channel, which tells every instance of every chunk) wakes nobody.
    pub fn record(&self, seq: i64) {
        self.latest.fetch_max(seq, Ordering::AcqRel);
    }

    /// Wakes the actor without news (it found a gap of its own to read).
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// The newest chunk number told.
    pub fn latest(&self) -> i64 {
        self.latest.load(Ordering::Acquire)
    }

    /// Resolves once news arrives (at once if some came since the last wait).
    pub async fn arrived(&self) {
        self.wake.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn news_wakes_once_for_many_tellings_and_never_for_older_ones() {
        let news = News::default();
        news.tell(3);
        news.tell(2);
        news.tell(3);
        assert_eq!(news.latest(), 3);
        tokio::time::timeout(std::time::Duration::from_secs(1), news.arrived()).await.expect("woken");
        news.tell(1);
        let again = tokio::time::timeout(std::time::Duration::from_millis(50), news.arrived()).await;
        assert!(again.is_err(), "older news wakes nobody");
    }
}
