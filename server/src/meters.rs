//! Operational meters for Prometheus (`/metrics`): counted where things happen, read when scraped.
//!
//! A leaf module: it imports nothing of the crate, so storage, sign-in and sync may all count. It
//! is not a global: two servers in one process (the tests) each have their own.

mod histogram;
mod text;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

pub use histogram::Histogram;
pub use text::{Gauge, render};

/// A counter split by one label. Its values are fixed strings of the code, never input, so the
/// number of series stays bounded whatever peers send.
#[derive(Debug)]
pub struct Labeled {
    counts: Mutex<BTreeMap<&'static str, u64>>,
}

impl Labeled {
    /// A counter whose `known` values are exported from the start (at zero), as Prometheus
    /// advises: a series that appears only on its first event hides the first increase.
    pub fn new(known: &[&'static str]) -> Self {
        Self { counts: Mutex::new(known.iter().map(|value| (*value, 0)).collect()) }
    }

    /// Counts one event with this label value.
    pub fn inc(&self, value: &'static str) {
        self.add(value, 1);
    }

    /// Counts `n` events with this label value.
    pub fn add(&self, value: &'static str, n: u64) {
        let mut counts = self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = counts.entry(value).or_insert(0);
        *count = count.saturating_add(n);
    }

    /// The count for one label value.
    pub fn get(&self, value: &str) -> u64 {
        self.snapshot().into_iter().find(|(v, _)| *v == value).map_or(0, |(_, n)| n)
    }

    fn snapshot(&self) -> Vec<(&'static str, u64)> {
        let counts = self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        counts.iter().map(|(value, n)| (*value, *n)).collect()
    }
}

/// Everything one server counts. Gauges (open documents, connections, memory) are not here:
/// they are read from their owners when scraped.
#[derive(Debug)]
pub struct Meters {
    /// Sync protocol messages received and decoded, by `kind`.
    pub sync_messages: Labeled,
    /// Document changes applied, by `source`: `stored` (written by this instance: peers' sync
    /// and the server's own edits), `absorbed` (stored by another instance and read here).
    pub changes: Labeled,
    /// Sync connections closed by the server, by `reason` (refusals, limits, protocol errors).
    pub sync_closed: Labeled,
    /// `/sync` upgrades turned away for want of a connection slot, by `reason`.
    pub slots_refused: Labeled,
    /// Sign-ins that failed, by `reason`.
    pub sign_in_failures: Labeled,
    /// How long storing a batch of changes took (each edit waits for it before it is sent on).
    pub storage_writes: Histogram,
    /// From the first message of a batch to the last peer's frame written: what a co-author
    /// waits beyond the network.
    pub fanout: Histogram,
    /// From another instance storing a chunk to this one having merged it (the writer's clock
    /// against this one's: skew between machines shows up here).
    pub cluster_lag: Histogram,
    /// Notifications of other instances dropped, by `reason`.
    pub cluster_dropped: Labeled,
    /// True while this instance listens for other instances' changes (PostgreSQL).
    pub cluster_listening: AtomicBool,
}

impl Default for Meters {
    fn default() -> Self {
        Self {
            sync_messages: Labeled::new(&["join", "request", "sync", "ephemeral", "leave"]),
            changes: Labeled::new(&["stored", "absorbed"]),
            sync_closed: Labeled::new(&[]),
            slots_refused: Labeled::new(&["full", "anonymous_full", "address_full", "address_too_fast"]),
            sign_in_failures: Labeled::new(&[]),
            storage_writes: Histogram::default(),
            fanout: Histogram::default(),
            cluster_lag: Histogram::default(),
            cluster_dropped: Labeled::new(&[]),
            cluster_listening: AtomicBool::new(false),
        }
    }
}

#[cfg(test)]
mod tests;
