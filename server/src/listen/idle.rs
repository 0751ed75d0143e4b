//! The open HTTP connections and which of them gives way when every slot is taken: the one
//! idle longest (waiting for its first request's headers, or kept alive between requests),
//! never one with a request in flight. Silent sockets then cannot keep a newcomer waiting for
//! their header deadline.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use tokio_util::sync::CancellationToken;

/// All open connections (at most the connection cap plus one being admitted).
#[derive(Debug, Default)]
pub struct Connections {
    table: Mutex<Table>,
}

#[derive(Debug, Default)]
struct Table {
    next: u64,
    open: HashMap<u64, Entry>,
}

#[derive(Debug)]
struct Entry {
    /// Requests being answered (their response bodies included).
    in_flight: u32,
    /// Since when nothing is in flight.
    idle_since: Instant,
    close: CancellationToken,
}

/// One connection's place in the table; leaving it (drop) removes the connection.
#[derive(Debug)]
pub struct Tracked {
    id: u64,
    connections: Arc<Connections>,
    /// Cancelled when the connection is chosen to give way.
    pub close: CancellationToken,
}

/// A request in flight on a connection; dropping it (when the response body is done) makes the
/// connection idle again if nothing else is in flight.
#[derive(Debug)]
pub struct InFlight {
    id: u64,
    connections: Arc<Connections>,
}

impl Connections {
    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        // Every change to the table is a single insert, remove or field update: consistent after a panic.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a connection that has just been accepted (idle: no request yet).
    pub fn track(self: &Arc<Self>) -> Tracked {
        let close = CancellationToken::new();
        let mut table = self.table();
        let id = table.next;
        table.next += 1;
        table.open.insert(id, Entry { in_flight: 0, idle_since: Instant::now(), close: close.clone() });
        Tracked { id, connections: self.clone(), close }
    }

    /// Closes the connection idle longest; false when every connection has a request in flight.
    pub fn evict_oldest_idle(&self) -> bool {
        let mut table = self.table();
        let oldest = table.open.iter().filter(|(_, e)| e.in_flight == 0).min_by_key(|(_, e)| e.idle_since);
        let Some((&id, _)) = oldest else { return false };
        if let Some(entry) = table.open.remove(&id) {
            entry.close.cancel();
        }
        true
    }

    /// Number of connections in the table.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.table().open.len()
    }

    /// True when no connection is open.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Tracked {
    /// A request arrived on this connection.
    pub fn request(&self) -> InFlight {
        if let Some(entry) = self.connections.table().open.get_mut(&self.id) {
            entry.in_flight += 1;
        }
        InFlight { id: self.id, connections: self.connections.clone() }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.connections.table().open.remove(&self.id);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(entry) = self.connections.table().open.get_mut(&self.id) {
            entry.in_flight = entry.in_flight.saturating_sub(1);
            if entry.in_flight == 0 {
                entry.idle_since = Instant::now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_idle_longest_gives_way_and_one_answering_a_request_never_does() {
        let connections = Arc::new(Connections::default());
        let silent = connections.track();
        let busy = connections.track();
        let answering = busy.request();
        let later = connections.track();
        assert_eq!(connections.len(), 3);

        assert!(connections.evict_oldest_idle());
        assert!(silent.close.is_cancelled(), "the oldest idle one goes first");
        assert!(!busy.close.is_cancelled() && !later.close.is_cancelled());
        assert!(connections.evict_oldest_idle());
        assert!(later.close.is_cancelled());
        assert!(!connections.evict_oldest_idle(), "a connection answering a request is never closed");
        assert!(!busy.close.is_cancelled());

        drop(answering);
        assert!(connections.evict_oldest_idle(), "idle again once its response is done");
        assert!(busy.close.is_cancelled());
        drop((silent, busy, later));
        assert!(connections.is_empty());
    }
}
