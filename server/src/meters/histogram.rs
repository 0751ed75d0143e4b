//! A latency histogram with fixed buckets from half a millisecond to ten seconds.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the buckets in seconds (`le`); above the last only `+Inf` counts.
pub const BUCKETS: [f64; 14] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Observations per bucket (not cumulative: summed when written out), their count and sum.
#[derive(Debug, Default)]
pub struct Histogram {
    /// One more than `BUCKETS`: the last counts what exceeds every bound.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    count: AtomicU64,
    /// Nanoseconds: integer, so that adding needs no lock (584 years before it wraps).
    sum_nanos: AtomicU64,
}

impl Histogram {
    /// Records one duration.
    pub fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        let index = BUCKETS.iter().position(|bound| seconds <= *bound).unwrap_or(BUCKETS.len());
        self.buckets[index].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// How many durations were recorded.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Cumulative counts per bound (the last is `+Inf`), the count and the sum in seconds. Read
    /// while others record, the buckets may lag the count by an observation in flight; the
    /// cumulative form is made consistent by taking `+Inf` as the count.
    pub(super) fn read(&self) -> (Vec<u64>, u64, f64) {
        let mut running = 0u64;
        let mut cumulative: Vec<u64> = self
            .buckets
            .iter()
            .map(|bucket| {
                running = running.saturating_add(bucket.load(Ordering::Relaxed));
                running
            })
            .collect();
        let count = self.count.load(Ordering::Relaxed).max(running);
        if let Some(last) = cumulative.last_mut() {
            *last = count;
        }
        (cumulative, count, self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9)
    }
}
