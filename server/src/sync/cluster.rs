//! Several instances on one PostgreSQL database. Each instance keeps its own actor per open
//! document; they meet only in the database. A trigger announces every stored chunk (NOTIFY, at
//! commit); the listener here tells the open document, whose actor reads and merges the chunks.
//! Notifications sent while the listener is away are lost, so every (re)connect is followed by a
//! sweep of the open documents' newest chunk numbers, and a sweep runs every few seconds anyway.

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::Instrument;

use super::registry::Registry;
use crate::db::{Db, chunks, cluster};

pub mod live;

use live::Live;

/// Live events waiting to be sent to the other instances; beyond this they are dropped.
const LIVE_QUEUE: usize = 4096;
/// How long live events are gathered into one notification.
const LIVE_GATHER: Duration = Duration::from_millis(10);

/// How often the open documents are compared with storage, notifications or not.
pub const SWEEP_EVERY: Duration = Duration::from_secs(5);
/// The longest wait between two attempts to reach the database for listening.
const MOST_BACKOFF: Duration = Duration::from_secs(5);

/// Starts listening (PostgreSQL only; the embedded database serves one instance).
pub fn spawn(url: String, db: Db, registry: Registry, shutdown: CancellationToken, tracker: &TaskTracker) {
    if !matches!(db, Db::Postgres(_)) {
        return;
    }
    let span = tracing::info_span!("cluster");
    // A random name per process: an instance skips its own live events.
    let instance: u64 = rand::random();
    let (live_tx, live_rx) = tokio::sync::mpsc::channel(LIVE_QUEUE);
    registry.connect_live(live_tx);
    let (sweeper_db, sweeper_registry, sweeper_stop) = (db.clone(), registry.clone(), shutdown.clone());
    let (publisher_db, publisher_registry, publisher_stop) = (db.clone(), registry.clone(), shutdown.clone());
    tracker.spawn(
        async move {
            tokio::select! {
                () = listen(&url, &db, &registry, instance) => {}
                () = shutdown.cancelled() => {}
            }
        }
        .instrument(span.clone()),
    );
    tracker.spawn(
        async move {
            tokio::select! {
                () = publish(&publisher_db, &publisher_registry, live_rx, instance) => {}
                () = publisher_stop.cancelled() => {}
            }
        }
        .instrument(span.clone()),
    );
    tracker.spawn(
        async move {
            let mut every = tokio::time::interval(SWEEP_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = every.tick() => sweep(&sweeper_db, &sweeper_registry).await,
                    () = sweeper_stop.cancelled() => return,
                }
            }
        }
        .instrument(span),
    );
}

/// Listens until the task is dropped: connect, LISTEN, sweep, then pass on every notification;
/// on any failure start over after a pause.
async fn listen(url: &str, db: &Db, registry: &Registry, instance: u64) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match cluster::listen(url, &[cluster::CHUNKS, live::CHANNEL]).await {
            Ok(mut listener) => {
                registry.meters().cluster_listening.store(true, Ordering::Relaxed);
                tracing::debug!("listening for other instances' changes");
                // What was stored while nobody listened.
                sweep(db, registry).await;
                backoff = Duration::from_millis(100);
                loop {
                    match listener.try_recv().await {
                        Ok(Some(notification)) if notification.channel() == live::CHANNEL => {
                            // `None`: this instance's own.
                            if let Some(events) = live::unpack(instance, notification.payload()) {
                                events.into_iter().for_each(|event| registry.remote(event));
                            }
                        }
                        Ok(Some(notification)) => match cluster::parse_chunk(notification.payload()) {
                            Some((doc, seq)) => registry.tell_stored(doc, seq),
                            None => registry.meters().cluster_dropped.inc("unreadable"),
                        },
                        Ok(None) => {
                            tracing::warn!("lost the database connection for other instances' changes; reconnecting");
                            break;
                        }
                        Err(error) => {
                            tracing::warn!(%error, "listening for other instances' changes failed; reconnecting");
                            break;
                        }
                    }
                }
                registry.meters().cluster_listening.store(false, Ordering::Relaxed);
            }
            Err(error) => tracing::warn!(%error, "cannot listen for other instances' changes; retrying"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MOST_BACKOFF);
    }
}

/// Sends this instance's live events to the others, gathered for `LIVE_GATHER` into as few
/// notifications as fit.
async fn publish(db: &Db, registry: &Registry, mut rx: tokio::sync::mpsc::Receiver<Live>, instance: u64) {
    let mut events = Vec::new();
    while let Some(first) = rx.recv().await {
        events.push(first);
        let until = tokio::time::Instant::now() + LIVE_GATHER;
        while events.len() < 256 {
            match tokio::time::timeout_at(until, rx.recv()).await {
                Ok(Some(event)) => events.push(event),
                Ok(None) | Err(_) => break,
            }
        }
        let (payloads, oversized) = live::pack(instance, &events);
        registry.meters().cluster_dropped.add("too_large", oversized as u64);
        for payload in payloads {
            if let Err(error) = cluster::notify(db, live::CHANNEL, &payload).await {
                registry.meters().cluster_dropped.inc("notify_failed");
                tracing::debug!(%error, "cannot pass live events to other instances");
            }
        }
        events.clear();
    }
}

/// Tells every open document the newest chunk number storage holds for it.
async fn sweep(db: &Db, registry: &Registry) {
    let open = registry.open_ids();
    if open.is_empty() {
        return;
    }
    match chunks::newest(db, &open).await {
        Ok(newest) => {
            for (doc, seq) in newest {
                registry.tell_stored(doc, seq);
            }
        }
        Err(error) => tracing::warn!(%error, "cannot compare open documents with storage; will retry"),
    }
}
