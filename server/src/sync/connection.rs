//! One task per `/sync` WebSocket: handshake, per-message authorization, routing to document actors.

use kompromiss_shared::audit::AuditAction;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use automerge::ActorId;
use futures::{SinkExt, StreamExt};
use kompromiss_shared::ids::{DocumentId, PeerId};
use kompromiss_shared::limits::{MAX_DOCS_PER_CONNECTION, MAX_EPHEMERAL_BYTES, MAX_FRAME_BYTES};
use kompromiss_shared::protocol::{self, Message, PROTOCOL_VERSION, PeerMetadata};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};
use tokio_util::sync::CancellationToken;

use super::access_cache::{AccessCache, AccessError, MAX_UNAVAILABLE};
use super::actor::{DocHandle, EphemeralRelay, Outbox, Refusal};
use super::inbound::Pending;
use super::outbound::Outbound;
use super::rate::RateLimit;
use super::refusals::Refusals;
use super::registry::Registry;
use super::slots::Slot;
use super::upgrade::Socket;
use super::{ConnId, DocAccess};
use crate::auth::Principal;
use crate::auth::changes;
use crate::auth::settings::AuthSettings;
use crate::db::attribution::{self, Author, Channel};
use crate::db::{Db, audit};

/// Refusals an actor may queue for a connection (each closes it; the first one is told).
const REFUSALS: usize = 4;
/// How long a closing connection may take to send its last frames.
const GOODBYE: Duration = Duration::from_secs(2);
/// How often the server pings an idle peer.
const PING_EVERY: Duration = Duration::from_secs(20);
/// A peer silent for this long is gone.
const SILENCE_LIMIT: Duration = Duration::from_secs(60);

/// Actor ids whose owner a connection remembers; a browser makes one per page load.
const MAX_KNOWN_ACTORS: usize = 256;

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// Who sends a connection's changes, from how its principal signed in.
fn author_of(principal: &Principal) -> Option<Arc<Author>> {
    let identity = principal.identity()?;
    let (channel, token_id) = match &identity.via {
        crate::auth::Via::Session { .. } => (Channel::Session, None),
        crate::auth::Via::Token { id } => (Channel::Token, Some(id.clone())),
    };
    Some(Arc::new(Author { user_id: Some(identity.user.id.clone()), channel, token_id }))
}

/// What a connection task needs from the server.
pub struct ConnContext {
    pub registry: Registry,
    pub server_peer: PeerId,
    pub storage_id: String,
    /// Who authenticated at upgrade; re-checked whenever authorization changes.
    pub principal: Principal,
    pub db: Db,
    pub auth: Arc<AuthSettings>,
    /// Moves when roles, grants, tokens or sessions change anywhere.
    pub authz_version: tokio::sync::watch::Receiver<i64>,
    pub shutdown: CancellationToken,
    /// Held for the connection's lifetime: the connection caps.
    pub slot: Slot,
    /// How long the peer has to send its `join`.
    pub join_deadline: Duration,
    /// Refused writes, counted per person for the audit log and reconnect backoff.
    pub refusals: Refusals,
    /// Whom this connection's refusals are counted against.
    pub refused_as: String,
    /// This connection's unfinished inbound bytes.
    pub pending: Pending,
    /// How long a message may take to arrive once it has begun.
    pub message_deadline: Duration,
    /// Messages per second this connection may send on average.
    pub max_messages_per_sec: u32,
}

/// Why the connection ends; the text goes to the peer as a protocol error.
#[derive(Debug, thiserror::Error)]
enum Close {
    #[error("Nachricht zu groß / frame too large (max {MAX_FRAME_BYTES} bytes)")]
    TooLarge,
    #[error("ungültige Nachricht / malformed message: {0}")]
    Malformed(String),
    #[error("erst join, dann andere Nachrichten / join first")]
    NoJoin,
    #[error("keine Anmeldung am Protokoll (join) in der vorgesehenen Zeit / no join within the deadline")]
    JoinLate,
    #[error("Nachricht nicht rechtzeitig vollständig / message not completed in time")]
    Unfinished,
    #[error("Server ausgelastet, Nachricht abgelehnt / server busy: too many unfinished messages")]
    Busy,
    #[error("keine gemeinsame Protokollversion / no common protocol version")]
    Version,
    #[error("zu viele offene Dokumente / too many open documents on one connection")]
    TooManyDocs,
    #[error(
        "zu viele nicht verfügbare Dokumente angefragt / too many unavailable documents asked for (max {MAX_UNAVAILABLE})"
    )]
    TooManyUnavailable,
    #[error("zu viele Dokumente zu schnell angefragt / documents asked for too fast")]
    LookupsTooFast,
    #[error("Dokument vorübergehend nicht verfügbar / document temporarily unavailable")]
    ActorGone,
    #[error("{reason}")]
    Refused { doc: DocumentId, reason: String, audit: Option<AuditAction>, resync: bool, label: &'static str },
    #[error("abgemeldet oder Zugang widerrufen / signed out or access revoked")]
    SignedOut,
    #[error("Berechtigung kann nicht geprüft werden / cannot check permissions")]
    AuthzUnavailable,
    #[error("zu viele Nachrichten / too many messages per second")]
    RateLimited,
    #[error("closed")]
    Quiet,
}

struct Connection {
    id: ConnId,
    ctx: ConnContext,
    peer: Option<PeerId>,
    /// The documents this connection is attached to.
    docs: HashMap<DocumentId, DocHandle>,
    /// The socket's outgoing stream, shared with the document actors.
    out: Outbound,
    refusals: mpsc::Sender<Refusal>,
    kick: CancellationToken,
    rate: RateLimit,
    access: AccessCache,
    /// Who sends this connection's changes (none when anonymous: it cannot write).
    author: Option<Arc<Author>>,
    /// Per actor id seen in this connection's changes: whether this connection's person may
    /// write under it (theirs, or nobody's yet). The database is asked once per actor id.
    actor_owners: HashMap<ActorId, bool>,
}

/// Runs a connection until the peer leaves, misbehaves, is too slow, or the server shuts down.
#[tracing::instrument(skip_all, fields(conn))]
pub async fn serve(socket: Socket, out: Outbound, ctx: ConnContext) {
    let id = ConnId(NEXT_CONN.fetch_add(1, Ordering::Relaxed));
    tracing::Span::current().record("conn", id.0);
    let (refusals, mut refused) = mpsc::channel(REFUSALS);
    let kick = ctx.shutdown.child_token();
    let rate = RateLimit::new(ctx.max_messages_per_sec);
    let mut authz_changes = ctx.authz_version.clone();
    let mut conn = Connection {
        id,
        ctx,
        peer: None,
        docs: HashMap::new(),
        out: out.clone(),
        refusals,
        kick: kick.clone(),
        rate,
        access: AccessCache::default(),
        author: None,
        actor_owners: HashMap::new(),
    };
    conn.author = author_of(&conn.ctx.principal);
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    let mut last_heard = Instant::now();
    let join_by = tokio::time::sleep(conn.ctx.join_deadline);
    let check_every = (conn.ctx.message_deadline / 2).clamp(Duration::from_millis(500), Duration::from_secs(5));
    let mut unfinished = tokio::time::interval_at(tokio::time::Instant::now() + check_every, check_every);
    tokio::pin!(join_by);
    tracing::debug!("sync connection opened");
    let outcome: Close = loop {
        tokio::select! {
            frame = stream.next() => {
                last_heard = Instant::now();
                match &frame {
                    Some(Ok(WsMessage::Ping(p) | WsMessage::Pong(p))) => conn.ctx.pending.complete(p.len() + 6),
                    _ => conn.ctx.pending.settle(),
                }
                let result = match frame {
                    Some(Ok(WsMessage::Binary(data))) => conn.on_frame(&data, &mut sink).await,
                    Some(Ok(WsMessage::Text(_))) => Err(Close::Malformed("text frame".into())),
                    Some(Ok(WsMessage::Close(_))) | None => Err(Close::Quiet),
                    Some(Ok(_)) => Ok(()),
                    Some(Err(error)) => {
                        tracing::debug!(%error, "websocket read failed");
                        let text = error.to_string();
                        Err(if text.contains("too long") {
                            Close::TooLarge
                        } else if text.contains("inbound budget") {
                            Close::Busy
                        } else {
                            Close::Quiet
                        })
                    }
                };
                if let Err(close) = result { break close; }
            }
            // What the socket could not take at once (a slow reader): written as it drains.
            drained = out.drain() => {
                if drained.is_err() { break Close::Quiet; }
            }
            Some(refusal) = refused.recv() => break Close::refused(refusal),
            Ok(()) = authz_changes.changed() => {
                if let Err(close) = conn.reauthorize().await { break close; }
            }
            () = &mut join_by, if conn.peer.is_none() => break Close::JoinLate,
            _ = unfinished.tick() => {
                if conn.ctx.pending.pending_since().is_some_and(|since| since.elapsed() > conn.ctx.message_deadline) {
                    break Close::Unfinished;
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > SILENCE_LIMIT { break Close::Quiet; }
                if conn.session_over() { break Close::SignedOut; }
                if sink.send(WsMessage::Ping(Vec::new().into())).await.is_err() { break Close::Quiet; }
            }
            () = kick.cancelled() => {
                // Say why, if an actor said so.
                break refused.try_recv().map_or(Close::Quiet, Close::refused);
            }
        }
    };
    let (counted_only, hold) = match &outcome {
        Close::Refused { doc, audit: Some(action), .. } => conn.record_refused(*doc, *action).await,
        // Other refusals (a change too large, too many waiting) slow a client that resends the
        // same thing after every reconnect in the same way, and are logged once per run.
        Close::Refused { doc, resync: false, .. } => {
            let verdict = conn.ctx.refusals.refused(&conn.ctx.refused_as, *doc, Instant::now());
            (verdict.record.is_none(), verdict.hold)
        }
        _ => (false, Duration::ZERO),
    };
    if !matches!(outcome, Close::Quiet) {
        conn.ctx.registry.meters().sync_closed.inc(outcome.label());
    }
    if counted_only {
        tracing::debug!(reason = %outcome, "closing sync connection (refusal counted)");
    } else if !matches!(outcome, Close::Quiet) {
        tracing::info!(reason = %outcome, "closing sync connection");
    }
    // A resync is no error: the close frame says it, and the client reconnects.
    if !matches!(outcome, Close::Quiet | Close::Refused { resync: true, .. }) {
        let frame = protocol::encode(&conn.error_message(outcome.to_string()));
        let _ = sink.send(WsMessage::Binary(frame.into())).await;
    }
    if !hold.is_zero() {
        // Refused again and again: the reason is sent; the close (and so the client's next try)
        // waits. What the peer sends meanwhile is read and dropped.
        tokio::select! {
            () = tokio::time::sleep(hold) => {}
            () = read_and_drop(&mut stream) => {}
            () = conn.ctx.shutdown.cancelled() => {}
        }
    }
    let going_away = conn.ctx.shutdown.is_cancelled();
    let _ = sink.send(WsMessage::Close(Some(outcome.close_frame(going_away)))).await;
    out.drain_within(GOODBYE).await;
    // Read on until the peer answers the close (or GOODBYE passes): the library sends its answer to a
    // close the peer started while it reads, and a socket dropped with unread input is reset by
    // the kernel, which can make the peer lose the error message just sent.
    let _ = tokio::time::timeout(GOODBYE, read_and_drop(&mut stream)).await;
    out.drain_within(GOODBYE).await;
    out.close();
    for handle in conn.docs.values() {
        handle.detach(conn.id).await;
    }
    tracing::debug!("sync connection closed");
}

/// Reads the peer's frames and drops them until the socket ends or fails.
async fn read_and_drop(stream: &mut (impl futures::Stream<Item = Result<WsMessage, WsError>> + Unpin)) {
    while let Some(Ok(_)) = stream.next().await {}
}

/// A message's kind as a metrics label: the protocol's names, unknown kinds together.
fn kind_label(message: &Message) -> &'static str {
    match message {
        Message::Join { .. } => "join",
        Message::Peer { .. } => "peer",
        Message::Leave { .. } => "leave",
        Message::Error { .. } => "error",
        Message::Request { .. } => "request",
        Message::Sync { .. } => "sync",
        Message::DocUnavailable { .. } => "doc-unavailable",
        Message::Ephemeral { .. } => "ephemeral",
        Message::Ignored { .. } => "other",
    }
}

/// True when a sync message carries changes (what cannot be decoded is left to the actor).
fn carries_changes(data: &[u8]) -> bool {
    automerge::sync::Message::decode(data).is_ok_and(|m| !m.changes.is_empty())
}

impl Close {
    /// The WebSocket close frame for this ending: a status code (RFC 6455, 7.4.1) and, for the
    /// ones the server decides, its English reason (at most 123 bytes).
    fn close_frame(&self, going_away: bool) -> CloseFrame {
        let code = match self {
            Close::Quiet if going_away => CloseCode::Away,
            Close::Quiet => CloseCode::Normal,
            Close::TooLarge => CloseCode::Size,
            Close::Malformed(_) | Close::NoJoin | Close::JoinLate | Close::Version => CloseCode::Protocol,
            Close::ActorGone | Close::AuthzUnavailable | Close::Busy | Close::Refused { resync: true, .. } => {
                CloseCode::Again
            }
            Close::Unfinished
            | Close::TooManyDocs
            | Close::TooManyUnavailable
            | Close::LookupsTooFast
            | Close::Refused { .. }
            | Close::SignedOut
            | Close::RateLimited => CloseCode::Policy,
        };
        let text = match self {
            Close::Quiet => String::new(),
            other => other.to_string(),
        };
        // The English half of "deutsch / english", cut to what a close frame carries.
        let english = text.split_once(" / ").map_or(text.as_str(), |(_, en)| en);
        let mut end = english.len().min(123);
        while !english.is_char_boundary(end) {
            end -= 1;
        }
        CloseFrame { code, reason: english[..end].to_owned().into() }
    }

    fn refused(refusal: Refusal) -> Close {
        Close::Refused {
            doc: refusal.doc,
            reason: refusal.reason,
            audit: refusal.audit,
            resync: refusal.resync,
            label: refusal.label,
        }
    }

    /// The reason in the metrics.
    fn label(&self) -> &'static str {
        match self {
            Close::TooLarge => "frame_too_large",
            Close::Malformed(_) => "malformed",
            Close::NoJoin => "no_join",
            Close::JoinLate => "join_late",
            Close::Unfinished => "unfinished",
            Close::Busy => "busy",
            Close::Version => "version",
            Close::TooManyDocs => "too_many_documents",
            Close::TooManyUnavailable => "too_many_unavailable",
            Close::LookupsTooFast => "lookups_too_fast",
            Close::ActorGone => "actor_gone",
            Close::Refused { label, .. } => label,
            Close::SignedOut => "signed_out",
            Close::AuthzUnavailable => "authz_unavailable",
            Close::RateLimited => "rate_limited",
            Close::Quiet => "quiet",
        }
    }
}

type Sink = futures::stream::SplitSink<Socket, WsMessage>;

impl Connection {
    async fn on_frame(&mut self, data: &[u8], sink: &mut Sink) -> Result<(), Close> {
        if data.len() > MAX_FRAME_BYTES {
            return Err(Close::TooLarge);
        }
        if !self.rate.take(Instant::now()) {
            return Err(Close::RateLimited);
        }
        let message = protocol::decode(data).map_err(|e| Close::Malformed(e.to_string()))?;
        self.ctx.registry.meters().sync_messages.inc(kind_label(&message));
        let Some(peer) = &self.peer else {
            return self.on_join(message, sink).await;
        };
        if message.sender_id() != peer {
            // A peer id names the connection's peer; messages claiming another are dropped.
            return Ok(());
        }
        match message {
            Message::Request { document_id, data, .. } => self.on_sync(document_id, data, true).await,
            Message::Sync { document_id, data, .. } => self.on_sync(document_id, data, false).await,
            Message::Ephemeral { document_id, count, session_id, data, sender_id, .. } => {
                if data.len() > MAX_EPHEMERAL_BYTES {
                    return Err(Close::TooLarge);
                }
                let access = self.access_to(document_id).await?;
                if access == DocAccess::None {
                    return Ok(());
                }
                let relay = EphemeralRelay { sender_id, count, session_id, data };
                let handle = self.handle(document_id, access).await?;
                handle.ephemeral(self.id, relay).await.map_err(|_| Close::ActorGone)
            }
            Message::Leave { .. } | Message::Error { .. } => Err(Close::Quiet),
            Message::Join { .. } => Err(Close::Malformed("second join".into())),
            Message::Peer { .. } | Message::DocUnavailable { .. } | Message::Ignored { .. } => Ok(()),
        }
    }

    async fn on_join(&mut self, message: Message, sink: &mut Sink) -> Result<(), Close> {
        let Message::Join { sender_id, supported_protocol_versions, .. } = message else {
            return Err(Close::NoJoin);
        };
        let speaks_ours =
            supported_protocol_versions.is_empty() || supported_protocol_versions.iter().any(|v| v == PROTOCOL_VERSION);
        if !speaks_ours {
            return Err(Close::Version);
        }
        let reply = Message::Peer {
            sender_id: self.ctx.server_peer.clone(),
            target_id: sender_id.clone(),
            metadata: PeerMetadata { storage_id: Some(self.ctx.storage_id.clone()), is_ephemeral: false },
            selected_protocol_version: PROTOCOL_VERSION.into(),
        };
        sink.send(WsMessage::Binary(protocol::encode(&reply).into())).await.map_err(|_| Close::Quiet)?;
        self.peer = Some(sender_id);
        Ok(())
    }

    async fn on_sync(&mut self, doc: DocumentId, data: Vec<u8>, request: bool) -> Result<(), Close> {
        let access = self.access_to(doc).await?;
        if access == DocAccess::None {
            // Same answer as for a missing document: no existence oracle.
            return self.queue_unavailable(doc);
        }
        if access == DocAccess::Read && carries_changes(&data) {
            // Refused here, without opening the document: a stuck client resends this every round.
            let reason = super::doc_sync::ReceiveError::ReadOnly.to_string();
            return Err(Close::Refused {
                doc,
                reason,
                audit: Some(AuditAction::WriteRefused),
                resync: false,
                label: "read_only",
            });
        }
        let foreign = if access == DocAccess::Edit { self.foreign_actors(&data).await? } else { Vec::new() };
        let handle = self.handle(doc, access).await?;
        if handle.sync(self.id, data.clone(), request, foreign.clone()).await.is_ok() {
            return Ok(());
        }
        // The actor stopped between attach and send (eviction race): open it again once.
        self.docs.remove(&doc);
        let handle = self.handle(doc, access).await?;
        handle.sync(self.id, data, request, foreign).await.map_err(|_| Close::ActorGone)
    }

    /// The actor ids in a sync message's changes that belong to somebody other than this
    /// connection's person; the document's actor refuses new changes under them. What cannot be
    /// read is left to the actor, which refuses it.
    async fn foreign_actors(&mut self, data: &[u8]) -> Result<Vec<ActorId>, Close> {
        let Ok(message) = automerge::sync::Message::decode(data) else { return Ok(Vec::new()) };
        if message.changes.is_empty() {
            return Ok(Vec::new());
        }
        let max_ops = self.ctx.registry.limits().ops;
        let Ok(inspected) =
            super::validate::inspect(&message.changes.iter().map(<[u8]>::as_ref).collect::<Vec<_>>(), max_ops)
        else {
            return Ok(Vec::new());
        };
        let actors = inspected.actors();
        let unknown: Vec<&ActorId> = actors.iter().filter(|a| !self.actor_owners.contains_key(*a)).collect();
        if !unknown.is_empty() {
            let me = self.author.as_ref().and_then(|a| a.user_id.as_deref());
            let hex: Vec<String> = unknown.iter().map(|a| a.to_hex_string()).collect();
            let owners = attribution::owners(&self.ctx.db, &hex).await.map_err(|error| {
                tracing::warn!(%error, "cannot look up actor owners");
                Close::AuthzUnavailable
            })?;
            if self.actor_owners.len() + unknown.len() > MAX_KNOWN_ACTORS {
                self.actor_owners.clear();
            }
            for (actor, hex) in unknown.into_iter().zip(hex) {
                let mine = owners.get(&hex).is_none_or(|owner| Some(owner.as_str()) == me);
                self.actor_owners.insert(actor.clone(), mine);
            }
        }
        Ok(actors.into_iter().filter(|a| self.actor_owners.get(a) == Some(&false)).collect())
    }

    /// The connection's access to a document (cached; recomputed when authorization changes).
    async fn access_to(&mut self, doc: DocumentId) -> Result<DocAccess, Close> {
        self.access.get(&self.ctx.db, &self.ctx.principal, doc).await.map_err(|error| match error {
            AccessError::Db(error) => {
                tracing::warn!(%error, "cannot check document access");
                Close::AuthzUnavailable
            }
            AccessError::TooManyUnavailable => Close::TooManyUnavailable,
            AccessError::TooFast => Close::LookupsTooFast,
        })
    }

    /// Re-checks the principal and every document's access after an authorization change: a
    /// revoked session or token closes the connection; a document no longer readable is detached
    /// and looks missing; a changed level applies to the next message.
    async fn reauthorize(&mut self) -> Result<(), Close> {
        let fresh = changes::recheck(&self.ctx.db, &self.ctx.auth, &self.ctx.principal).await.map_err(|error| {
            tracing::warn!(%error, "cannot re-check the connection's credentials");
            Close::AuthzUnavailable
        })?;
        self.ctx.principal = fresh.ok_or(Close::SignedOut)?;
        let changed = self.access.refresh(&self.ctx.db, &self.ctx.principal).await.map_err(|error| {
            tracing::warn!(%error, "cannot re-check document access");
            Close::AuthzUnavailable
        })?;
        for (doc, access) in changed {
            let Some(handle) = self.docs.get(&doc).cloned() else { continue };
            if access == DocAccess::None {
                handle.detach(self.id).await;
                self.docs.remove(&doc);
                self.queue_unavailable(doc)?;
            } else if handle.attach(self.id, access, self.author.clone(), self.outbox()?).await.is_err() {
                self.docs.remove(&doc);
            }
        }
        Ok(())
    }

    /// True when the connection's session has passed its absolute expiry.
    fn session_over(&self) -> bool {
        matches!(self.ctx.principal.identity().map(|i| &i.via),
            Some(crate::auth::Via::Session { expires_at, .. }) if *expires_at <= crate::db::now_millis())
    }

    /// Counts a refused write; writes an audit entry if it is the first for this person and
    /// document in its interval (with the count since the last one). Whether it was only counted,
    /// and how long to hold the connection before closing it.
    async fn record_refused(&self, doc: DocumentId, action: AuditAction) -> (bool, Duration) {
        let verdict = self.ctx.refusals.refused(&self.ctx.refused_as, doc, Instant::now());
        let Some(more) = verdict.record else { return (true, verdict.hold) };
        let target = doc.to_string();
        let detail = if more == 0 { "sync".to_owned() } else { format!("sync (+{more})") };
        let record = audit::Record {
            target: Some(&target),
            detail: Some(&detail),
            ..audit::Record::by(self.ctx.principal.user(), action)
        };
        audit::record_or_log(&self.ctx.db, record).await;
        (false, verdict.hold)
    }

    /// The attached actor of a document, attaching (and opening it) with `access` on first use.
    async fn handle(&mut self, doc: DocumentId, access: DocAccess) -> Result<DocHandle, Close> {
        if let Some(handle) = self.docs.get(&doc) {
            return Ok(handle.clone());
        }
        if self.docs.len() >= MAX_DOCS_PER_CONNECTION {
            return Err(Close::TooManyDocs);
        }
        for _ in 0..2 {
            let handle = self.ctx.registry.open(doc);
            if handle.attach(self.id, access, self.author.clone(), self.outbox()?).await.is_ok() {
                self.docs.insert(doc, handle.clone());
                return Ok(handle);
            }
        }
        Err(Close::ActorGone)
    }

    /// Tells the peer a document is not there (or must look so), in order with everything else.
    fn queue_unavailable(&self, doc: DocumentId) -> Result<(), Close> {
        let target = self.peer.clone().ok_or(Close::NoJoin)?;
        let message =
            Message::DocUnavailable { sender_id: self.ctx.server_peer.clone(), target_id: target, document_id: doc };
        self.out.binary(&protocol::encode(&message), None).map_err(|_| Close::Quiet)
    }

    /// How document actors reach this connection (after the handshake, which names its peer).
    fn outbox(&self) -> Result<Outbox, Close> {
        Ok(Outbox {
            out: self.out.clone(),
            server: self.ctx.server_peer.clone(),
            peer: self.peer.clone().ok_or(Close::NoJoin)?,
            refusals: self.refusals.clone(),
            kick: self.kick.clone(),
        })
    }

    fn error_message(&self, text: String) -> Message {
        Message::Error { sender_id: self.ctx.server_peer.clone(), target_id: self.peer.clone(), message: text }
    }
}
