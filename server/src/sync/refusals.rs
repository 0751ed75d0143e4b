//! Refusals of a document's messages (writes without access, changes too large, too many
//! waiting), remembered briefly per person (or address): one audit entry per person and document
//! per interval with a count, and reconnects after repeated refusals slowed down.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use kompromiss_shared::ids::DocumentId;

/// One audit entry per person and document at most this often; refusals in between are counted.
pub const AUDIT_INTERVAL: Duration = Duration::from_secs(60);
/// Longest a refused connection is held open (after the reason is sent) before it is closed.
pub const MAX_HOLD: Duration = Duration::from_secs(8);
/// Person-document pairs remembered; beyond this the quiet ones are forgotten.
const MAX_REMEMBERED: usize = 4096;

/// Who was refused: a person's id, or an address for anonymous peers.
pub type Who = String;

#[derive(Debug, Clone, Copy)]
struct Strikes {
    last: Instant,
    /// Refusals in a row, each within `AUDIT_INTERVAL` of the one before.
    in_a_row: u32,
    /// When the current audit interval started.
    window: Instant,
    /// Refusals since the last audit entry.
    unrecorded: u32,
}

/// What the caller does about a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Write an audit entry (and a log line), counting `more` refusals since the last one.
    pub record: Option<u32>,
    /// How long to hold the connection (the reason already sent) before closing it: a client
    /// that reconnects and resends at once is slowed down to one round per this long.
    pub hold: Duration,
}

/// The server's memory of refusals; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Refusals {
    inner: Arc<Mutex<HashMap<(Who, DocumentId), Strikes>>>,
}

impl Refusals {
    /// Notes a refused write by `who` to `doc` at `now`.
    pub fn refused(&self, who: &str, doc: DocumentId, now: Instant) -> Verdict {
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (who.to_owned(), doc);
        if map.len() >= MAX_REMEMBERED && !map.contains_key(&key) {
            map.retain(|_, s| now.saturating_duration_since(s.last) < AUDIT_INTERVAL);
            if map.len() >= MAX_REMEMBERED {
                map.clear();
            }
        }
        let fresh = Strikes { last: now, in_a_row: 0, window: now, unrecorded: 0 };
        let strikes = map.entry(key).or_insert(fresh);
        let recent = now.saturating_duration_since(strikes.last) < AUDIT_INTERVAL;
        strikes.in_a_row = if recent { strikes.in_a_row + 1 } else { 1 };
        strikes.last = now;
        let record = if strikes.in_a_row == 1 || now.saturating_duration_since(strikes.window) >= AUDIT_INTERVAL {
            let more = strikes.unrecorded;
            strikes.window = now;
            strikes.unrecorded = 0;
            Some(more)
        } else {
            strikes.unrecorded += 1;
            None
        };
        Verdict { record, hold: hold(strikes.in_a_row) }
    }
}

/// Two refusals in a row are free (a person may open a read-only document in two tabs); then
/// 1 s, 2 s, 4 s … up to [`MAX_HOLD`].
fn hold(in_a_row: u32) -> Duration {
    if in_a_row < 3 {
        return Duration::ZERO;
    }
    Duration::from_secs(1 << (in_a_row - 3).min(4)).min(MAX_HOLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(n: u8) -> DocumentId {
        DocumentId::from_random([n; 16])
    }

    #[test]
    fn a_stuck_client_writes_one_entry_per_interval_with_the_count() {
        let refusals = Refusals::default();
        let start = Instant::now();
        let mut entries = Vec::new();
        // Ten refusals a second for three minutes.
        for tenth in 0..1800u64 {
            let now = start + Duration::from_millis(100 * tenth);
            if let Some(more) = refusals.refused("u1", doc(1), now).record {
                entries.push(more);
            }
        }
        assert_eq!(entries, vec![0, 599, 599], "one entry a minute, each counting the ones before it");
        assert_eq!(refusals.refused("u1", doc(2), start).record, Some(0), "another document");
        assert_eq!(refusals.refused("u2", doc(1), start).record, Some(0), "another person");
    }

    #[test]
    fn repeated_refusals_hold_the_connection_longer_and_longer_up_to_the_limit() {
        let refusals = Refusals::default();
        let mut now = Instant::now();
        let mut holds = Vec::new();
        for _ in 0..8 {
            now += Duration::from_millis(10);
            holds.push(refusals.refused("u1", doc(1), now).hold.as_secs());
        }
        assert_eq!(holds, vec![0, 0, 1, 2, 4, 8, 8, 8]);
        assert_eq!(refusals.refused("u1", doc(2), now).hold, Duration::ZERO, "another document");
        let later = now + AUDIT_INTERVAL;
        assert_eq!(refusals.refused("u1", doc(1), later).hold, Duration::ZERO, "quiet for a while: forgiven");
    }

    #[test]
    fn memory_is_bounded() {
        let refusals = Refusals::default();
        let now = Instant::now();
        for n in 0..(MAX_REMEMBERED * 2) {
            refusals.refused(&format!("u{n}"), doc(1), now);
        }
        assert!(refusals.inner.lock().expect("lock").len() <= MAX_REMEMBERED);
    }
}
