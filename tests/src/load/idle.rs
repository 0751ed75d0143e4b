//! Capacity: many signed-in WebSocket connections that opened a document and then stay idle (as
//! people with a concept open in a tab), spread over many documents; the server's resident
//! memory per open document and per connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use automerge::sync::{self, SyncDoc};
use futures::{SinkExt, StreamExt};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::protocol::{self, Message};
use serde::Serialize;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::proc::rss_mib;
use crate::client::{Joined, join};

/// Connections opened at once while ramping up (below the server's HTTP connection cap).
const RAMP: usize = 200;

/// What a capacity run measured.
#[derive(Debug, Clone, Serialize)]
pub struct IdleReport {
    pub connections: usize,
    pub documents: usize,
    /// Server memory before any document was open.
    pub base_mib: f64,
    /// With one connection per document.
    pub documents_mib: f64,
    /// With every connection open, after they idled for the hold time.
    pub all_mib: f64,
    pub peak_mib: f64,
    pub per_document_kib: f64,
    pub per_connection_kib: f64,
    pub ramp_seconds: f64,
    pub hold_seconds: f64,
    /// Connections the server closed while they idled (should be 0).
    pub dropped: usize,
}

/// Creates `documents` concepts from the template over HTTP; returns their ids.
pub async fn create_documents(http: &str, token: &str, documents: usize) -> anyhow::Result<Vec<DocumentId>> {
    let client = reqwest::Client::new();
    let mut ids = Vec::with_capacity(documents);
    for _ in 0..documents {
        let res = client
            .post(format!("{http}/api/documents"))
            .bearer_auth(token)
            .header("accept", "application/json")
            .form(&[("template", "social-media-konzept")])
            .send()
            .await?;
        if res.status() != 201 {
            bail!("creating a document: {}", res.status());
        }
        let body: serde_json::Value = res.json().await?;
        ids.push(body["id"].as_str().context("id")?.parse().map_err(|e| anyhow!("{e}"))?);
    }
    Ok(ids)
}

/// One idle connection: joins, asks for its document, waits for it, then only reads (the
/// library answers pings) until `stop`. Counts itself in `dropped` if the server closes it first.
async fn hold(
    url: String,
    name: String,
    doc: DocumentId,
    ready: Arc<AtomicUsize>,
    dropped: Arc<AtomicUsize>,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    // The handshake of the protocol client (the server's small read buffer, join → peer).
    let Joined { mut sink, mut stream, peer_id: me, server_peer: server } = join(&url, &name).await?;
    let mut empty = automerge::AutoCommit::new();
    let data = empty.sync().generate_sync_message(&mut sync::State::new()).map(|m| m.encode()).unwrap_or_default();
    let request = Message::Request { sender_id: me, target_id: server, document_id: doc, data };
    sink.send(WsMessage::Binary(protocol::encode(&request).into())).await?;
    let mut counted = false;
    loop {
        tokio::select! {
            frame = stream.next() => match frame {
                Some(Ok(WsMessage::Binary(_))) if !counted => {
                    counted = true;
                    ready.fetch_add(1, Ordering::Relaxed);
                }
                Some(Ok(_)) => {}
                _ => {
                    dropped.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
            },
            _ = stop.changed() => {
                let _ = sink.send(WsMessage::Close(None)).await;
                return Ok(());
            }
        }
    }
}

/// Opens connections (token in `sync_url`) until `target` are ready, `RAMP` at a time.
async fn open_until(
    sync_url: &str,
    docs: &[DocumentId],
    range: std::ops::Range<usize>,
    counters: (&Arc<AtomicUsize>, &Arc<AtomicUsize>),
    stop: &watch::Receiver<bool>,
    tasks: &mut Vec<tokio::task::JoinHandle<anyhow::Result<()>>>,
) -> anyhow::Result<()> {
    let (ready, dropped) = counters;
    let target = range.end;
    for n in range {
        while n >= ready.load(Ordering::Relaxed) + RAMP {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let doc = docs[n % docs.len()];
        tasks.push(tokio::spawn(hold(
            sync_url.to_owned(),
            format!("idle-{n}"),
            doc,
            ready.clone(),
            dropped.clone(),
            stop.clone(),
        )));
    }
    let started = Instant::now();
    while ready.load(Ordering::Relaxed) < target {
        if started.elapsed() > Duration::from_secs(120) {
            bail!("only {} of {target} connections got their document", ready.load(Ordering::Relaxed));
        }
        if let Some(failed) = tasks.iter().position(|t| t.is_finished()) {
            let task = tasks.swap_remove(failed);
            task.await??;
            bail!("a connection ended early (the server closed it)");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Runs the capacity measurement against a server process `server_pid`.
pub async fn idle(
    sync_url: &str,
    docs: &[DocumentId],
    connections: usize,
    server_pid: u32,
    hold_for: Duration,
) -> anyhow::Result<IdleReport> {
    anyhow::ensure!(connections >= docs.len() && !docs.is_empty(), "at least one connection per document");
    let rss = || rss_mib(server_pid).context("server memory (/proc)");
    let (stop_tx, stop) = watch::channel(false);
    let ready = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(connections);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (base, _) = rss()?;
    let started = Instant::now();
    open_until(sync_url, docs, 0..docs.len(), (&ready, &dropped), &stop, &mut tasks).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (with_docs, _) = rss()?;
    open_until(sync_url, docs, docs.len()..connections, (&ready, &dropped), &stop, &mut tasks).await?;
    let ramp_seconds = started.elapsed().as_secs_f64();
    tokio::time::sleep(hold_for).await;
    let (all, peak) = rss()?;
    let _ = stop_tx.send(true);
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    let others = (connections - docs.len()).max(1) as f64;
    let per_connection_kib = (all - with_docs) * 1024.0 / others;
    let per_document_kib = ((with_docs - base) * 1024.0 / docs.len() as f64 - per_connection_kib).max(0.0);
    Ok(IdleReport {
        connections,
        documents: docs.len(),
        base_mib: base,
        documents_mib: with_docs,
        all_mib: all,
        peak_mib: peak,
        per_document_kib,
        per_connection_kib,
        ramp_seconds,
        hold_seconds: hold_for.as_secs_f64(),
        dropped: dropped.load(Ordering::Relaxed),
    })
}
