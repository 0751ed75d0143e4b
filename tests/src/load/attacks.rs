//! The hostile-load benchmark's attackers: each repeats one attack from issue 21 (docs/security.md)
//! against a running server, as fast as a determined peer would, until told to stop.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, anyhow};
use automerge::transaction::Transactable;
use automerge::{ROOT, ScalarValue};
use futures::{SinkExt, StreamExt};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::protocol::Message;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_util::sync::CancellationToken;

use crate::client::{Event, SyncClient};

/// Automerge's bytes for one change of 1,000,000 characters and the document it makes
/// (tests/data/README.md says how they were made).
const MILLION_CHANGE: &[u8] = include_bytes!("../../data/million-chars.change");
const MILLION_DOC: &[u8] = include_bytes!("../../data/million-chars.automerge");

/// How long an attacker waits for the server's answer before it gives up on a round.
const ROUND_WAIT: Duration = Duration::from_secs(20);

/// One attack, named after the point of issue 21 it probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attack {
    /// No attack: the baseline.
    None,
    /// 1: a 1,107-byte change and a 1,168-byte document that decode to a million characters, resent
    /// over two connections.
    DecodedSize,
    /// 2: eight 3 MB changes whose dependency never comes, resent on every connection.
    Orphans,
    /// 3: 2,048 anonymous sockets that upgrade, never join and answer pings, reconnecting.
    Slots,
    /// 4: 40 anonymous sockets each holding an unfinished 7.5 MiB fragmented message.
    Fragments,
    /// 5: presence messages with a 4 MB session id.
    Presence,
    /// 6: 1,100 HTTP sockets that send half a request header and go silent.
    HttpIdle,
    /// 7: one anonymous connection asking for random document ids as fast as it can.
    Probe,
    /// 8: one member downloading the document's snapshot in a loop, four at a time.
    Snapshots,
    /// 13: a member resending a change they may not make, reconnecting at once after each refusal.
    RefusedWrites,
}

/// Where and as whom the attackers connect.
#[derive(Debug, Clone)]
pub struct Target {
    /// `ws://host:port/sync`, without credentials.
    pub sync: String,
    /// `http://host:port`.
    pub http: String,
    /// An API token of someone who may write (the attacks that need a writer's reach).
    pub writer_token: String,
    /// An API token of a member who may read but not write.
    pub member_token: String,
    pub document: DocumentId,
}

impl Target {
    fn ws(&self, token: Option<&str>) -> String {
        match token {
            Some(t) => format!("{}?access_token={t}", self.sync),
            None => self.sync.clone(),
        }
    }
}

/// What the attackers did, for the report.
#[derive(Debug, Default, Serialize)]
pub struct Tally {
    /// Rounds completed (a connection used up, a request answered).
    pub rounds: u64,
    /// Rounds the server ended with a refusal or a close.
    pub refused: u64,
    /// Connections or requests that failed outright (the server said no before anything began).
    pub failed: u64,
}

#[derive(Default)]
struct Counters {
    rounds: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
}

/// A running attack; `stop` ends it and returns what it did.
pub struct Running {
    stop: CancellationToken,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    counters: Arc<Counters>,
}

impl Running {
    pub async fn stop(self) -> Tally {
        self.stop.cancel();
        for t in self.tasks {
            let _ = t.await;
        }
        Tally {
            rounds: self.counters.rounds.load(Ordering::Relaxed),
            refused: self.counters.refused.load(Ordering::Relaxed),
            failed: self.counters.failed.load(Ordering::Relaxed),
        }
    }
}

/// How a round ended.
enum Round {
    Refused,
    Done,
}

/// Starts `attack` against `target`.
pub async fn start(attack: Attack, target: Target) -> anyhow::Result<Running> {
    let target = Arc::new(target);
    let orphans = match attack {
        Attack::Orphans => Arc::new(orphan_chunks(&target).await?),
        _ => Arc::new(Vec::new()),
    };
    let (tasks, pause_after_failure) = match attack {
        Attack::None => (0, Duration::ZERO),
        Attack::Slots => (2048, Duration::from_secs(1)),
        Attack::Fragments => (40, Duration::from_secs(1)),
        Attack::HttpIdle => (1100, Duration::from_secs(1)),
        Attack::Snapshots => (4, Duration::ZERO),
        Attack::DecodedSize => (2, Duration::from_millis(100)),
        _ => (1, Duration::from_millis(100)),
    };
    let (stop_all, all_counters) = (CancellationToken::new(), Arc::new(Counters::default()));
    let mut handles = Vec::new();
    for n in 0..tasks {
        let (stop, counters, target, orphans) =
            (stop_all.clone(), all_counters.clone(), target.clone(), orphans.clone());
        handles.push(tokio::spawn(async move {
            while !stop.is_cancelled() {
                let round = tokio::select! {
                    _ = stop.cancelled() => break,
                    r = one_round(attack, n, &target, &orphans) => r,
                };
                counters.rounds.fetch_add(1, Ordering::Relaxed);
                match round {
                    Ok(Round::Refused) => {
                        counters.refused.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(Round::Done) => {}
                    Err(_) => {
                        counters.failed.fetch_add(1, Ordering::Relaxed);
                        tokio::select! {
                            _ = stop.cancelled() => break,
                            _ = tokio::time::sleep(pause_after_failure) => {}
                        }
                    }
                }
            }
        }));
    }
    Ok(Running { stop: stop_all, tasks: handles, counters: all_counters })
}

async fn one_round(attack: Attack, n: usize, t: &Target, orphans: &[Vec<u8>]) -> anyhow::Result<Round> {
    match attack {
        Attack::None => Ok(Round::Done),
        Attack::DecodedSize => {
            let chunk = if n.is_multiple_of(2) { MILLION_CHANGE } else { MILLION_DOC };
            let mut c = open(&t.ws(Some(&t.writer_token)), t.document).await?;
            let heads = c.doc(t.document).get_heads();
            c.send(&c.carrying(t.document, heads, vec![chunk.to_vec()])).await?;
            until_refused(&mut c).await
        }
        Attack::Orphans => {
            let mut c = open(&t.ws(Some(&t.writer_token)), t.document).await?;
            let heads = c.doc(t.document).get_heads();
            for orphan in orphans {
                if c.send(&c.carrying(t.document, heads.clone(), vec![orphan.clone()])).await.is_err() {
                    return Ok(Round::Refused);
                }
            }
            until_refused(&mut c).await
        }
        Attack::Slots => {
            let (mut ws, _) = tokio_tungstenite::connect_async(t.ws(None)).await.context("upgrade")?;
            // Reading answers the server's pings; nothing else is ever sent.
            while let Some(Ok(_)) = ws.next().await {}
            Ok(Round::Refused)
        }
        Attack::Fragments => {
            let (mut ws, _) = tokio_tungstenite::connect_async(t.ws(None)).await.context("upgrade")?;
            let piece = 512 * 1024;
            let mut sent = 0;
            let mut opcode = OpCode::Data(Data::Binary);
            while sent + piece <= 7_680 * 1024 {
                let frame = Frame::message(vec![0x42; piece], opcode, false);
                if ws.send(WsMessage::Frame(frame)).await.is_err() {
                    return Ok(Round::Refused);
                }
                sent += piece;
                opcode = OpCode::Data(Data::Continue);
            }
            while let Some(Ok(_)) = ws.next().await {}
            Ok(Round::Refused)
        }
        Attack::Presence => {
            let mut c = open(&t.ws(Some(&t.member_token)), t.document).await?;
            let presence = Message::Ephemeral {
                sender_id: c.peer_id.clone(),
                target_id: c.server_peer.clone(),
                count: 1,
                session_id: "s".repeat(4_000_000),
                document_id: t.document,
                data: vec![0xa0],
            };
            c.send(&presence).await?;
            until_refused(&mut c).await
        }
        Attack::HttpIdle => {
            let addr = t.http.trim_start_matches("http://");
            let mut socket = tokio::net::TcpStream::connect(addr).await.context("connect")?;
            socket.write_all(b"GET /healthz HTTP/1.1\r\nHost: kompromiss\r\nX-Waiting: ").await?;
            let mut buf = [0u8; 1024];
            while socket.read(&mut buf).await.is_ok_and(|n| n > 0) {}
            Ok(Round::Refused)
        }
        Attack::Probe => {
            let mut c = SyncClient::connect(&t.ws(None), "probe").await?;
            loop {
                for _ in 0..100 {
                    if c.request(DocumentId::from_random(rand::random())).await.is_err() {
                        return Ok(Round::Refused);
                    }
                }
                // Read what came back without waiting for more.
                while let Ok(event) = tokio::time::timeout(Duration::from_millis(1), c.pump()).await {
                    match event {
                        Ok(Event::Error(_) | Event::Closed) | Err(_) => return Ok(Round::Refused),
                        Ok(_) => {}
                    }
                }
            }
        }
        Attack::Snapshots => {
            let url = format!("{}/api/documents/{}/snapshot", t.http, t.document);
            let response = http_client().get(url).bearer_auth(&t.member_token).send().await?;
            let refused = !response.status().is_success();
            let _ = response.bytes().await;
            Ok(if refused { Round::Refused } else { Round::Done })
        }
        Attack::RefusedWrites => {
            let mut c = open(&t.ws(Some(&t.member_token)), t.document).await?;
            c.edit(t.document, |d| {
                let _ = d.put(ROOT, "title", "Darf ich nicht");
            })
            .await?;
            until_refused(&mut c).await
        }
    }
}

/// One HTTP client for all snapshot loops (connection reuse, as a script would).
fn http_client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(reqwest::Client::new)
}

/// Connects and waits until the document has arrived.
async fn open(url: &str, id: DocumentId) -> anyhow::Result<SyncClient> {
    let mut c = SyncClient::connect(url, "angreifer").await?;
    c.request(id).await?;
    c.wait_until(ROUND_WAIT, |c| !c.doc(id).get_heads().is_empty()).await.context("document arrives")?;
    Ok(c)
}

/// Reads until the server refuses or closes (or `ROUND_WAIT` passes).
async fn until_refused(c: &mut SyncClient) -> anyhow::Result<Round> {
    let until = tokio::time::Instant::now() + ROUND_WAIT;
    loop {
        match tokio::time::timeout_at(until, c.pump()).await {
            Ok(Ok(Event::Error(_) | Event::Closed)) | Ok(Err(_)) => return Ok(Round::Refused),
            Ok(Ok(_)) => continue,
            Err(_) => return Ok(Round::Done),
        }
    }
}

/// Eight 3 MB changes on top of a change the server never sees (made once; they stay orphans
/// whatever the document does meanwhile).
async fn orphan_chunks(t: &Target) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut c = open(&t.ws(Some(&t.writer_token)), t.document).await?;
    let mut hidden = c.doc(t.document).fork();
    hidden.put(ROOT, "verborgen", 1)?;
    hidden.commit();
    let mut orphans = Vec::new();
    for n in 0..8u8 {
        let blob: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ n).collect();
        hidden.put(ROOT, "anhang", ScalarValue::Bytes(blob))?;
        hidden.commit();
        orphans.push(hidden.get_last_local_change().ok_or_else(|| anyhow!("no change"))?.raw_bytes().to_vec());
    }
    Ok(orphans)
}
