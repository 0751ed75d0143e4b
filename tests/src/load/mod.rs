//! The load generator: one writer and N readers on one document, over the automerge-repo protocol.
//! The writer syncs after every edit (no batching); each reader records when each edit arrives.

pub mod attacks;
pub mod comments;
pub mod docs;
pub mod drafts;
pub mod exports;
pub mod floor;
pub mod idle;
pub mod proc;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use automerge::sync::{self, SyncDoc};
use automerge::{AutoCommit, ChangeHash};
use futures::{SinkExt, StreamExt};
use kompromiss_shared::ids::{DocumentId, PeerId};
use kompromiss_shared::protocol::{self, Message};
use rand::Rng;
use serde::Serialize;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::client::{Event, SyncClient};

/// One scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub url: String,
    /// Another instance's sync URL: every second reader connects there (several instances).
    pub reader_url: Option<String>,
    pub readers: usize,
    /// Edits per second; 0 means as fast as possible.
    pub rate: f64,
    pub edits: usize,
    pub server_pid: Option<u32>,
    /// How long readers may take after the last edit before missing edits count as lost.
    pub grace: Duration,
    /// Readers answer at most once per this interval (the official client's 100 ms); `None`:
    /// every sync message is answered at once.
    pub reader_ack: Option<Duration>,
}

/// What one run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub readers: usize,
    pub rate: f64,
    pub edits: usize,
    /// Readers' answer interval in ms (0: every message at once).
    pub reader_ack_ms: u64,
    pub deliveries: usize,
    pub lost: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub seconds: f64,
    pub server_cpu_pct: Option<f64>,
    pub server_rss_mib: Option<f64>,
    pub server_peak_rss_mib: Option<f64>,
    /// CPU of the load generator itself (readers and writer), 100 = one core.
    pub loadgen_cpu_pct: Option<f64>,
    /// The writer's acknowledgements: edits the server confirmed (its heads cover them), and the
    /// time from each edit until then.
    pub acked: usize,
    pub ack_p50_ms: f64,
    pub ack_p99_ms: f64,
    /// Server CPU seconds used while the edits ran.
    pub server_cpu_seconds: Option<f64>,
}

/// When each edit was sent, by change hash (single writer: a linear history).
#[derive(Default)]
struct SentLog {
    index: HashMap<ChangeHash, usize>,
    sent_at: Vec<Instant>,
}

/// Runs one scenario on `doc` (already built) and reports latencies, losses, CPU and memory.
pub async fn run(s: &Scenario, doc: AutoCommit, text: automerge::ObjId) -> anyhow::Result<Report> {
    run_with(s, doc, text, |_| async { Ok(()) }).await
}

/// `run`, calling `before_edits` with the document's id once every client holds it and before
/// the first edit (the hostile-load benchmark starts its attack there).
pub async fn run_with<F, Fut>(
    s: &Scenario,
    doc: AutoCommit,
    text: automerge::ObjId,
    before_edits: F,
) -> anyhow::Result<Report>
where
    F: FnOnce(DocumentId) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let id = DocumentId::from_random(rand::rng().random());
    let mut writer = Writer::connect(&s.url, id, doc, text).await?;
    writer.seed().await?;
    let target = writer.doc.get_heads();

    let sent = Arc::new(RwLock::new(SentLog::default()));
    let deadline = Arc::new(RwLock::new(None::<Instant>));
    let mut readers = Vec::new();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(s.readers.max(1));
    for r in 0..s.readers {
        let url = match &s.reader_url {
            Some(other) if r % 2 == 1 => other.clone(),
            _ => s.url.clone(),
        };
        let (sent, deadline, ready, target) = (sent.clone(), deadline.clone(), ready_tx.clone(), target.clone());
        let (edits, ack) = (s.edits, s.reader_ack);
        readers.push(tokio::spawn(async move { reader(r, url, id, target, edits, ack, sent, deadline, ready).await }));
    }
    drop(ready_tx);
    for _ in 0..s.readers {
        ready_rx.recv().await.ok_or_else(|| anyhow!("a reader failed to load the document"))?;
    }
    before_edits(id).await?;

    let cpu_before = s.server_pid.and_then(proc::cpu_seconds);
    let own_before = proc::cpu_seconds(std::process::id());
    let started = Instant::now();
    writer.edit_loop(s, &sent).await?;
    *deadline.write().map_err(|_| anyhow!("lock"))? = Some(Instant::now() + s.grace);
    writer.await_acks(s, &sent).await?;
    let mut per_reader = Vec::new();
    // Readers hand back their connections: closing them only after the last reader is done keeps
    // a hundred disconnects from competing with the last edit's delivery to the others.
    let mut connections = Vec::new();
    for r in readers {
        let (latencies, connection) = r.await??;
        per_reader.push(latencies);
        connections.push(connection);
    }
    drop(connections);
    if let Ok(path) = std::env::var("KOMPROMISS_LOADGEN_DUMP") {
        dump_per_edit(&path, &per_reader, s.edits)?;
    }
    let mut latencies: Vec<f64> = per_reader.into_iter().flatten().collect();
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = match (cpu_before, s.server_pid.and_then(proc::cpu_seconds)) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let cpu = cpu_seconds.map(|c| c / seconds * 100.0);
    let mut acks = std::mem::take(&mut writer.acks);
    acks.sort_by(f64::total_cmp);
    let rss = s.server_pid.and_then(proc::rss_mib);
    let own = proc::cpu_seconds(std::process::id()).zip(own_before).map(|(b, a)| (b - a) / seconds * 100.0);
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| percentile(&latencies, p);
    Ok(Report {
        readers: s.readers,
        rate: s.rate,
        edits: s.edits,
        reader_ack_ms: s.reader_ack.map_or(0, |d| d.as_millis() as u64),
        deliveries: latencies.len(),
        lost: s.readers * s.edits - latencies.len(),
        p50_ms: pct(0.50),
        p95_ms: pct(0.95),
        p99_ms: pct(0.99),
        max_ms: latencies.last().copied().unwrap_or(f64::NAN),
        seconds,
        server_cpu_pct: cpu,
        server_rss_mib: rss.map(|r| r.0),
        server_peak_rss_mib: rss.map(|r| r.1),
        loadgen_cpu_pct: own,
        acked: acks.len(),
        ack_p50_ms: percentile(&acks, 0.50),
        ack_p99_ms: percentile(&acks, 0.99),
        server_cpu_seconds: cpu_seconds,
    })
}

/// The `p` quantile (0..=1) of sorted values, nearest rank; NaN when there are none.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => sorted[((n - 1) as f64 * p).round() as usize],
    }
}

/// Writes each edit's slowest and mean delivery (CSV) to find where a tail comes from.
fn dump_per_edit(path: &str, per_reader: &[Vec<f64>], edits: usize) -> anyhow::Result<()> {
    let mut out = String::from("edit,max_ms,mean_ms\n");
    for i in 0..edits {
        let got: Vec<f64> = per_reader.iter().filter_map(|r| r.get(i).copied()).collect();
        let max = got.iter().copied().fold(0.0, f64::max);
        let mean = got.iter().sum::<f64>() / got.len().max(1) as f64;
        out.push_str(&format!("{i},{max:.3},{mean:.3}\n"));
    }
    std::fs::write(path, out).context("write the per-edit dump")
}

/// Uploads a document to the server in one message and disconnects; returns its id and heads.
pub async fn seed(url: &str, doc: AutoCommit, text: automerge::ObjId) -> anyhow::Result<(DocumentId, Vec<ChangeHash>)> {
    let id = DocumentId::from_random(rand::rng().random());
    let mut writer = Writer::connect(url, id, doc, text).await?;
    writer.seed().await?;
    Ok((id, writer.doc.get_heads()))
}

/// Time from a fresh client's request until it holds the document at `heads`.
pub async fn time_open(url: &str, id: DocumentId, heads: &[ChangeHash]) -> anyhow::Result<Duration> {
    let mut c = SyncClient::connect(url, "cold-reader").await?;
    let started = Instant::now();
    c.request(id).await?;
    c.wait_until(Duration::from_secs(300), |c| c.doc(id).get_heads() == heads).await?;
    Ok(started.elapsed())
}

#[allow(clippy::too_many_arguments)]
async fn reader(
    n: usize,
    url: String,
    id: DocumentId,
    target: Vec<ChangeHash>,
    edits: usize,
    ack: Option<Duration>,
    sent: Arc<RwLock<SentLog>>,
    deadline: Arc<RwLock<Option<Instant>>>,
    ready: tokio::sync::mpsc::Sender<()>,
) -> anyhow::Result<(Vec<f64>, SyncClient)> {
    // Servers under a connection burst may reset a handshake; retry a few times.
    let mut attempt = 0;
    let mut c = loop {
        match SyncClient::connect(&url, &format!("reader-{n}")).await {
            Ok(c) => break c,
            Err(e) if attempt < 5 => {
                attempt += 1;
                tracing::debug!("reader {n} connect failed ({e:#}); retrying");
                tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
            }
            Err(e) => return Err(e),
        }
    };
    c.request(id).await?;
    c.wait_until(Duration::from_secs(300), |c| c.doc(id).get_heads() == target).await.context("reader load")?;
    ready.send(()).await?;
    c.reply_throttle = ack;
    let mut latencies = Vec::with_capacity(edits);
    let mut next = 0usize;
    while next < edits {
        let wait =
            c.reply_due().map_or(Duration::from_millis(200), |due| due.saturating_duration_since(Instant::now()));
        let event = c.next_event(wait).await?;
        c.send_due_replies().await?;
        match event {
            Some(Event::Sync(_)) => {
                // Applied, not answered: the reply is the reader's own work, not fan-out latency.
                let now = c.applied_at.unwrap_or_else(Instant::now);
                let heads = c.doc(id).get_heads();
                let log = sent.read().map_err(|_| anyhow!("lock"))?;
                if let Some(newest) = heads.iter().filter_map(|h| log.index.get(h)).max() {
                    for i in next..=*newest {
                        latencies.push(now.duration_since(log.sent_at[i]).as_secs_f64() * 1000.0);
                    }
                    next = newest + 1;
                }
            }
            Some(Event::Closed) => break,
            Some(_) => {}
            None => {}
        }
        let past_deadline = deadline.read().map_err(|_| anyhow!("lock"))?.is_some_and(|d| Instant::now() > d);
        if past_deadline {
            break;
        }
    }
    Ok((latencies, c))
}

/// The writer: a raw protocol connection whose acks are read by a separate task.
struct Writer {
    id: DocumentId,
    doc: AutoCommit,
    text: automerge::ObjId,
    state: sync::State,
    me: PeerId,
    server: PeerId,
    sink: futures::stream::SplitSink<
        tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
        WsMessage,
    >,
    incoming: tokio::sync::mpsc::Receiver<Vec<u8>>,
    /// The first edit not yet acknowledged, and the acknowledgement times so far (ms).
    acked_next: usize,
    acks: Vec<f64>,
}

impl Writer {
    async fn connect(url: &str, id: DocumentId, doc: AutoCommit, text: automerge::ObjId) -> anyhow::Result<Writer> {
        let crate::client::Joined { sink, mut stream, peer_id: me, server_peer: server } =
            crate::client::join(url, "writer").await?;
        let (tx, incoming) = tokio::sync::mpsc::channel(65_536);
        tokio::spawn(async move {
            while let Some(Ok(frame)) = stream.next().await {
                if let WsMessage::Binary(b) = frame
                    && let Ok(Message::Sync { data, .. }) = protocol::decode(&b)
                    && tx.send(data).await.is_err()
                {
                    break;
                }
            }
        });
        Ok(Writer {
            id,
            doc,
            text,
            state: sync::State::new(),
            me,
            server,
            sink,
            incoming,
            acked_next: 0,
            acks: Vec::new(),
        })
    }

    async fn send_sync(&mut self, data: Vec<u8>) -> anyhow::Result<()> {
        let m =
            Message::Sync { sender_id: self.me.clone(), target_id: self.server.clone(), document_id: self.id, data };
        self.sink.send(WsMessage::Binary(protocol::encode(&m).into())).await?;
        Ok(())
    }

    /// Uploads the whole document in one message and waits until the server holds it.
    async fn seed(&mut self) -> anyhow::Result<()> {
        let heads = self.doc.get_heads();
        let saved = self.doc.save();
        self.send_sync(kompromiss_shared::whole_document::message(&heads, saved)).await?;
        let until = Instant::now() + Duration::from_secs(300);
        while self.state.their_heads.as_ref() != Some(&heads) {
            let data = tokio::time::timeout_at(until.into(), self.incoming.recv())
                .await
                .context("server did not take the document")?
                .ok_or_else(|| anyhow!("connection closed"))?;
            self.receive(&data).await?;
        }
        Ok(())
    }

    async fn receive(&mut self, data: &[u8]) -> anyhow::Result<()> {
        let m = sync::Message::decode(data).map_err(|e| anyhow!("{e}"))?;
        kompromiss_shared::sync_steps::receive(&mut self.doc, &mut self.state, m)?;
        let reply = self.doc.sync().generate_sync_message(&mut self.state).map(|m| m.encode());
        if let Some(reply) = reply {
            self.send_sync(reply).await?;
        }
        Ok(())
    }

    /// Receives a server message and records which edits its heads now acknowledge.
    async fn receive_counting(&mut self, data: &[u8], sent: &RwLock<SentLog>) -> anyhow::Result<()> {
        self.receive(data).await?;
        let now = Instant::now();
        let Some(theirs) = self.state.their_heads.as_ref() else { return Ok(()) };
        let log = sent.read().map_err(|_| anyhow!("lock"))?;
        if let Some(newest) = theirs.iter().filter_map(|h| log.index.get(h)).max() {
            for i in self.acked_next..=*newest {
                self.acks.push(now.duration_since(log.sent_at[i]).as_secs_f64() * 1000.0);
            }
            self.acked_next = self.acked_next.max(newest + 1);
        }
        Ok(())
    }

    /// After the last edit: reads the server's answers until every edit is acknowledged or the
    /// scenario's grace is over.
    async fn await_acks(&mut self, s: &Scenario, sent: &RwLock<SentLog>) -> anyhow::Result<()> {
        let until = Instant::now() + s.grace;
        while self.acked_next < s.edits {
            match tokio::time::timeout_at(until.into(), self.incoming.recv()).await {
                Ok(Some(data)) => self.receive_counting(&data, sent).await?,
                Ok(None) | Err(_) => break,
            }
        }
        Ok(())
    }

    async fn edit(&mut self, i: usize, sent: &RwLock<SentLog>) -> anyhow::Result<()> {
        let len = self.doc.length(&self.text);
        let pos = rand::rng().random_range(0..=len);
        let ch = char::from(b'a' + (i % 26) as u8).to_string();
        automerge::transaction::Transactable::splice_text(&mut self.doc, &self.text, pos, 0, &ch)?;
        let hash = self.doc.commit().ok_or_else(|| anyhow!("empty commit"))?;
        {
            let mut log = sent.write().map_err(|_| anyhow!("lock"))?;
            log.index.insert(hash, i);
            log.sent_at.push(Instant::now());
        }
        let message = self.doc.sync().generate_sync_message(&mut self.state).map(|m| m.encode());
        if let Some(m) = message {
            self.send_sync(m).await?;
        }
        Ok(())
    }

    async fn edit_loop(&mut self, s: &Scenario, sent: &RwLock<SentLog>) -> anyhow::Result<()> {
        if s.rate > 0.0 {
            let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / s.rate));
            let mut i = 0;
            while i < s.edits {
                tokio::select! {
                    _ = tick.tick() => { self.edit(i, sent).await?; i += 1; }
                    Some(data) = self.incoming.recv() => self.receive_counting(&data, sent).await?,
                }
            }
        } else {
            for i in 0..s.edits {
                self.edit(i, sent).await?;
                while let Ok(data) = self.incoming.try_recv() {
                    self.receive_counting(&data, sent).await?;
                }
                tokio::task::yield_now().await;
            }
        }
        Ok(())
    }
}

use automerge::ReadDoc as _;
