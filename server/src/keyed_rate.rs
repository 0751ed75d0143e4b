//! Token buckets per key (a person or an address), bounded in memory: for endpoints that are
//! cheap to ask and dear to answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use crate::auth::Principal;
use crate::sync::rate::RateLimit;

/// Keys remembered; when full, the map starts over (everybody gets a full bucket once more).
const MAX_KEYS: usize = 8192;

/// Whom a per-person limit counts: the signed-in person, or the client address of an anonymous one.
pub fn key_for(principal: &Principal, address: Option<std::net::IpAddr>) -> String {
    match (principal.user(), address) {
        (Some(user), _) => user.id.clone(),
        (None, Some(address)) => format!("address:{address}"),
        (None, None) => "address:unknown".to_owned(),
    }
}

/// Requests per second per key on average, bursts up to twice that; cheap to clone.
#[derive(Debug, Clone)]
pub struct KeyedRate {
    per_sec: u32,
    buckets: Arc<Mutex<HashMap<String, RateLimit>>>,
}

impl KeyedRate {
    pub fn new(per_sec: u32) -> Self {
        Self { per_sec, buckets: Arc::default() }
    }

    /// Takes one request from `key`'s bucket; false when it is empty.
    pub fn take(&self, key: &str, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            buckets.clear();
        }
        buckets.entry(key.to_owned()).or_insert_with(|| RateLimit::new(self.per_sec)).take(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_its_own_bucket_and_memory_is_bounded() {
        let rate = KeyedRate::new(2);
        let now = Instant::now();
        assert_eq!((0..10).filter(|_| rate.take("anna", now)).count(), 4, "a burst of twice the rate");
        assert!(rate.take("ben", now), "another key is not affected");
        for n in 0..(MAX_KEYS * 2) {
            rate.take(&format!("k{n}"), now);
        }
        assert!(rate.buckets.lock().expect("lock").len() <= MAX_KEYS);
    }
}
