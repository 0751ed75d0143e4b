//! Recent results kept in memory under a hard bound on entries: when full, it starts afresh.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};

/// A map of recent results, at most `max` entries. Clearing when full keeps it simple and
/// bounded; a cleared result is computed again on its next use.
pub struct Recent<K, V> {
    max: usize,
    map: Mutex<HashMap<K, V>>,
}

impl<K: Eq + Hash, V: Clone> Recent<K, V> {
    pub fn new(max: usize) -> Self {
        Self { max, map: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner).get(key).cloned()
    }

    pub fn put(&self, key: K, value: V) {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= self.max && !map.contains_key(&key) {
            map.clear();
        }
        map.insert(key, value);
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_recent_results_and_never_more_than_its_bound() {
        let recent = Recent::new(3);
        recent.put("a", 1);
        recent.put("a", 2);
        assert_eq!(recent.get(&"a"), Some(2), "a newer result replaces the older");
        recent.put("b", 3);
        recent.put("c", 4);
        assert_eq!(recent.len(), 3);
        recent.put("d", 5);
        assert!(recent.len() <= 3, "the bound holds");
        assert_eq!(recent.get(&"d"), Some(5));
        for n in 0..1000 {
            recent.put(if n % 2 == 0 { "x" } else { "y" }, n);
            assert!(recent.len() <= 3);
        }
    }
}
