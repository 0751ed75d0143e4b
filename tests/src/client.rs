//! A Rust automerge-repo protocol client for tests and the load generator: syncs after every edit.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use automerge::AutoCommit;
use automerge::sync::{self, SyncDoc};
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use kompromiss_shared::ids::{DocumentId, PeerId};
use kompromiss_shared::protocol::{self, Message, PeerMetadata};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One document as this client holds it.
pub struct Replica {
    pub doc: AutoCommit,
    pub state: sync::State,
    /// The server said doc-unavailable.
    pub unavailable: bool,
}

/// What arrived besides sync traffic.
#[derive(Debug, Clone)]
pub enum Event {
    Sync(DocumentId),
    Unavailable(DocumentId),
    Ephemeral(DocumentId, Vec<u8>),
    Error(String),
    Closed,
}

/// A connected protocol client.
pub struct SyncClient {
    pub peer_id: PeerId,
    pub server_peer: PeerId,
    sink: SplitSink<Ws, WsMessage>,
    stream: SplitStream<Ws>,
    pub docs: HashMap<DocumentId, Replica>,
    /// When the last sync message was applied (before the reply was generated and sent).
    pub applied_at: Option<Instant>,
    /// Answer at most once per this interval per document, like the official client's
    /// `syncDebounceRate` (leading and trailing edge); `None` answers every message at once.
    pub reply_throttle: Option<Duration>,
    /// Per document: when the last answer went out, and whether one is owed.
    replies: HashMap<DocumentId, (Instant, bool)>,
    /// The connection's end was reported: later reads are errors, so that a loop which goes on
    /// past `Event::Closed` fails instead of spinning on a stream that is ready forever.
    closed: bool,
}

/// The two halves of a joined connection, with our peer id and the server's.
pub struct Joined {
    pub sink: SplitSink<Ws, WsMessage>,
    pub stream: SplitStream<Ws>,
    pub peer_id: PeerId,
    pub server_peer: PeerId,
}

/// How long opening a connection and the join/peer handshake may take.
pub const JOIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens a WebSocket and completes the join/peer handshake, within `JOIN_TIMEOUT`.
pub async fn join(url: &str, name: &str) -> anyhow::Result<Joined> {
    join_with(url, name, None).await
}

/// `join`, sending a browser session's cookie (`name=value`) with the upgrade, as a page does.
pub async fn join_with(url: &str, name: &str, cookie: Option<&str>) -> anyhow::Result<Joined> {
    tokio::time::timeout(JOIN_TIMEOUT, join_unbounded(url, name, cookie))
        .await
        .map_err(|_| anyhow!("no peer message within {JOIN_TIMEOUT:?} of connecting"))?
}

async fn join_unbounded(url: &str, name: &str, cookie: Option<&str>) -> anyhow::Result<Joined> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    // The server's small read buffer: the default one would make the load generator's readers
    // measure memset.
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(kompromiss_shared::limits::WS_READ_BUFFER_BYTES);
    let mut request = url.into_client_request().context("websocket URL")?;
    if let Some(cookie) = cookie {
        request.headers_mut().insert("cookie", cookie.parse().context("cookie header")?);
    }
    let (ws, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(config), true).await.context("websocket connect")?;
    let (mut sink, mut stream) = ws.split();
    let peer_id = PeerId::new(name).map_err(|e| anyhow!("{e}"))?;
    let join = Message::Join {
        sender_id: peer_id.clone(),
        metadata: PeerMetadata { storage_id: None, is_ephemeral: true },
        supported_protocol_versions: vec!["1".into()],
    };
    sink.send(WsMessage::Binary(protocol::encode(&join).into())).await?;
    let server_peer = loop {
        match stream.next().await {
            Some(Ok(WsMessage::Binary(b))) => match protocol::decode(&b)? {
                Message::Peer { sender_id, .. } => break sender_id,
                other => bail!("expected peer, got {other:?}"),
            },
            Some(Ok(_)) => continue,
            other => bail!("connection ended during handshake: {other:?}"),
        }
    };
    Ok(Joined { sink, stream, peer_id, server_peer })
}

impl SyncClient {
    /// Connects and completes the join/peer handshake.
    pub async fn connect(url: &str, name: &str) -> anyhow::Result<SyncClient> {
        Self::connect_with(url, name, None).await
    }

    /// Connects with a browser session's cookie (`name=value`), as a page does.
    pub async fn connect_with(url: &str, name: &str, cookie: Option<&str>) -> anyhow::Result<SyncClient> {
        let Joined { sink, stream, peer_id, server_peer } = join_with(url, name, cookie).await?;
        Ok(SyncClient {
            peer_id,
            server_peer,
            sink,
            stream,
            docs: HashMap::new(),
            applied_at: None,
            reply_throttle: None,
            replies: HashMap::new(),
            closed: false,
        })
    }

    /// A sync message (V1) to the server carrying exactly these change chunks, whatever they are
    /// (for hostile-peer tests and the hostile-load benchmark).
    pub fn carrying(&self, id: DocumentId, heads: Vec<automerge::ChangeHash>, changes: Vec<Vec<u8>>) -> Message {
        let data = sync::Message {
            heads,
            need: Vec::new(),
            have: Vec::new(),
            changes: sync::ChunkList::from(changes),
            supported_capabilities: None,
            version: sync::MessageVersion::V1,
        }
        .encode();
        Message::Sync { sender_id: self.peer_id.clone(), target_id: self.server_peer.clone(), document_id: id, data }
    }

    /// Sends raw bytes as one binary frame (for malformed-input tests).
    pub async fn send_raw(&mut self, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.sink.send(WsMessage::Binary(bytes.into())).await?;
        Ok(())
    }

    /// Asks the server for a document this client does not have.
    pub async fn request(&mut self, id: DocumentId) -> anyhow::Result<()> {
        let replica = self.docs.entry(id).or_insert_with(|| Replica {
            doc: AutoCommit::new(),
            state: sync::State::new(),
            unavailable: false,
        });
        let data = replica.doc.sync().generate_sync_message(&mut replica.state).map(|m| m.encode()).unwrap_or_default();
        let m = Message::Request {
            sender_id: self.peer_id.clone(),
            target_id: self.server_peer.clone(),
            document_id: id,
            data,
        };
        self.send(&m).await
    }

    /// Starts holding a document with local content and announces it with a sync message.
    pub async fn create(&mut self, id: DocumentId, doc: AutoCommit) -> anyhow::Result<()> {
        self.docs.insert(id, Replica { doc, state: sync::State::new(), unavailable: false });
        self.sync_doc(id).await
    }

    /// Applies a local edit and sends it at once (no batching).
    pub async fn edit(&mut self, id: DocumentId, f: impl FnOnce(&mut AutoCommit)) -> anyhow::Result<()> {
        let replica = self.docs.get_mut(&id).context("document not open")?;
        f(&mut replica.doc);
        self.sync_doc(id).await
    }

    /// Sends whatever sync message the document needs now.
    pub async fn sync_doc(&mut self, id: DocumentId) -> anyhow::Result<()> {
        let replica = self.docs.get_mut(&id).context("document not open")?;
        let data = replica.doc.sync().generate_sync_message(&mut replica.state).map(|m| m.encode());
        if let Some(data) = data {
            let m = Message::Sync {
                sender_id: self.peer_id.clone(),
                target_id: self.server_peer.clone(),
                document_id: id,
                data,
            };
            self.send(&m).await?;
        }
        Ok(())
    }

    /// Answers a received sync message now, or later when the throttle says so.
    async fn reply(&mut self, id: DocumentId) -> anyhow::Result<()> {
        let Some(every) = self.reply_throttle else { return self.sync_doc(id).await };
        let now = Instant::now();
        match self.replies.get_mut(&id) {
            Some((last, owed)) if now.duration_since(*last) < every => {
                *owed = true;
                Ok(())
            }
            _ => {
                self.replies.insert(id, (now, false));
                self.sync_doc(id).await
            }
        }
    }

    /// When the next throttled answer is due, if one is owed.
    pub fn reply_due(&self) -> Option<Instant> {
        let every = self.reply_throttle?;
        self.replies.values().filter(|(_, owed)| *owed).map(|(last, _)| *last + every).min()
    }

    /// Sends the throttled answers that are due (the trailing edge).
    pub async fn send_due_replies(&mut self) -> anyhow::Result<()> {
        let Some(every) = self.reply_throttle else { return Ok(()) };
        let now = Instant::now();
        let due: Vec<DocumentId> =
            self.replies.iter().filter(|(_, (last, owed))| *owed && now >= *last + every).map(|(id, _)| *id).collect();
        for id in due {
            self.replies.insert(id, (now, false));
            self.sync_doc(id).await?;
        }
        Ok(())
    }

    /// Sends a protocol message.
    pub async fn send(&mut self, m: &Message) -> anyhow::Result<()> {
        self.sink.send(WsMessage::Binary(protocol::encode(m).into())).await?;
        Ok(())
    }

    /// Waits for the next frame and handles it: sync messages are applied and answered.
    pub async fn pump(&mut self) -> anyhow::Result<Event> {
        if self.closed {
            bail!("the connection is closed");
        }
        loop {
            let frame = match self.stream.next().await {
                Some(Ok(WsMessage::Binary(b))) => b,
                Some(Ok(WsMessage::Close(_))) | None => {
                    self.closed = true;
                    return Ok(Event::Closed);
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
            };
            return Ok(match protocol::decode(&frame)? {
                Message::Sync { document_id, data, .. } => {
                    let replica = self.docs.get_mut(&document_id).context("sync for an unknown document")?;
                    let message = sync::Message::decode(&data).map_err(|e| anyhow!("{e}"))?;
                    kompromiss_shared::sync_steps::receive(&mut replica.doc, &mut replica.state, message)?;
                    self.applied_at = Some(Instant::now());
                    replica.unavailable = false;
                    self.reply(document_id).await?;
                    Event::Sync(document_id)
                }
                Message::DocUnavailable { document_id, .. } => {
                    if let Some(r) = self.docs.get_mut(&document_id) {
                        r.unavailable = true;
                    }
                    Event::Unavailable(document_id)
                }
                Message::Ephemeral { document_id, data, .. } => Event::Ephemeral(document_id, data),
                Message::Error { message, .. } => Event::Error(message),
                _ => continue,
            });
        }
    }

    /// Pumps until `done` holds for this client, or fails after `timeout`.
    pub async fn wait_until(
        &mut self,
        timeout: Duration,
        mut done: impl FnMut(&mut SyncClient) -> bool,
    ) -> anyhow::Result<()> {
        tokio::time::timeout(timeout, async {
            while !done(self) {
                if let Event::Closed = self.pump().await? {
                    bail!("connection closed while waiting");
                }
            }
            Ok(())
        })
        .await
        .map_err(|_| anyhow!("timed out after {timeout:?}"))?
    }

    /// The next event, or `None` when nothing arrives within `timeout`.
    pub async fn next_event(&mut self, timeout: Duration) -> anyhow::Result<Option<Event>> {
        match tokio::time::timeout(timeout, self.pump()).await {
            Ok(e) => e.map(Some),
            Err(_) => Ok(None),
        }
    }

    /// A document's replica.
    pub fn doc(&mut self, id: DocumentId) -> &mut AutoCommit {
        &mut self.docs.get_mut(&id).expect("document open").doc
    }

    /// True when the server's advertised heads cover every local change (the "saved" rule).
    pub fn is_saved(&mut self, id: DocumentId) -> bool {
        let Some(r) = self.docs.get_mut(&id) else { return false };
        let Some(theirs) = r.state.their_heads.clone() else { return false };
        theirs.iter().all(|h| r.doc.get_change_by_hash(h).is_some()) && r.doc.get_changes(&theirs).is_empty()
    }
}
