//! The automerge-repo network protocol: one CBOR map per WebSocket frame, encoded and decoded here.

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

use crate::ids::{DocumentId, IdError, PeerId};

/// The only protocol version the official clients speak.
pub const PROTOCOL_VERSION: &str = "1";

/// What a peer tells about itself in `join` / `peer`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerMetadata {
    /// Storage id of a peer that persists documents, if it says so.
    pub storage_id: Option<String>,
    /// True for peers that keep nothing (browsers without storage, load generators).
    pub is_ephemeral: bool,
}

/// One protocol message. Field names follow the wire format of automerge-repo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// First message of a client: who it is and which protocol versions it speaks.
    Join { sender_id: PeerId, metadata: PeerMetadata, supported_protocol_versions: Vec<String> },
    /// The server's answer to `join`.
    Peer { sender_id: PeerId, target_id: PeerId, metadata: PeerMetadata, selected_protocol_version: String },
    /// The peer says goodbye.
    Leave { sender_id: PeerId },
    /// A protocol error; the sender closes the connection after it.
    Error { sender_id: PeerId, target_id: Option<PeerId>, message: String },
    /// Asks for a document the sender does not have; `data` is an automerge sync message.
    Request { sender_id: PeerId, target_id: PeerId, document_id: DocumentId, data: Vec<u8> },
    /// An automerge sync message for one document.
    Sync { sender_id: PeerId, target_id: PeerId, document_id: DocumentId, data: Vec<u8> },
    /// The document is unknown (or not readable: the two are indistinguishable on purpose).
    DocUnavailable { sender_id: PeerId, target_id: PeerId, document_id: DocumentId },
    /// Presence and other data that is relayed but never stored.
    Ephemeral {
        sender_id: PeerId,
        target_id: PeerId,
        count: u64,
        session_id: String,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    /// Messages the server understands but does not act on (remote heads, subscriptions).
    Ignored { sender_id: PeerId, kind: String },
}

impl Message {
    /// The peer id the sender claims.
    pub fn sender_id(&self) -> &PeerId {
        match self {
            Message::Join { sender_id, .. }
            | Message::Peer { sender_id, .. }
            | Message::Leave { sender_id }
            | Message::Error { sender_id, .. }
            | Message::Request { sender_id, .. }
            | Message::Sync { sender_id, .. }
            | Message::DocUnavailable { sender_id, .. }
            | Message::Ephemeral { sender_id, .. }
            | Message::Ignored { sender_id, .. } => sender_id,
        }
    }

    /// The wire name of this message's type.
    pub fn kind(&self) -> &str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Leave { .. } => "leave",
            Message::Error { .. } => "error",
            Message::Request { .. } => "request",
            Message::Sync { .. } => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral { .. } => "ephemeral",
            Message::Ignored { kind, .. } => kind,
        }
    }
}

/// Why a frame is not a protocol message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("frame is not a CBOR map: {0}")]
    Cbor(String),
    #[error("field `{0}` is missing")]
    Missing(&'static str),
    #[error("field `{0}` has the wrong type")]
    WrongType(&'static str),
    #[error("unknown message type `{0}`")]
    UnknownType(String),
    #[error("bad id in `{field}`: {source}")]
    BadId { field: &'static str, source: IdError },
    #[error("trailing bytes after the message")]
    Trailing,
    /// A text field passed its limit (see [`field_limit`]).
    #[error("field `{field}` is longer than {max} bytes ({kind} limit)")]
    TooLong { field: &'static str, max: usize, kind: &'static str },
}

/// The most bytes a text field of a message may hold, and what the limit is called in the error.
/// Ids are bounded like peer ids; everything else a peer sends is bounded by the frame limit.
pub fn field_limit(field: &'static str) -> (usize, &'static str) {
    match field {
        "sessionId" => (PeerId::MAX_LEN, "presence"),
        "message" => (MAX_ERROR_MESSAGE_BYTES, "error message"),
        "type" | "selectedProtocolVersion" | "supportedProtocolVersions" => (40, "protocol"),
        _ => (PeerId::MAX_LEN, "id"),
    }
}

/// Longest error message a peer may send (it is only logged, shortened).
pub const MAX_ERROR_MESSAGE_BYTES: usize = 1024;

impl From<minicbor::decode::Error> for DecodeError {
    fn from(e: minicbor::decode::Error) -> Self {
        DecodeError::Cbor(e.to_string())
    }
}

/// Fields collected from the map before the message is assembled.
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    sender_id: Option<String>,
    target_id: Option<String>,
    document_id: Option<String>,
    data: Option<Vec<u8>>,
    message: Option<String>,
    session_id: Option<String>,
    count: Option<u64>,
    metadata: PeerMetadata,
    versions: Vec<String>,
    selected_version: Option<String>,
}

/// Decodes one frame. Accepts non-minimal CBOR lengths and indefinite maps, as the JS encoder writes them.
pub fn decode(frame: &[u8]) -> Result<Message, DecodeError> {
    let mut d = Decoder::new(frame);
    let mut f = Fields::default();
    for_each_entry(&mut d, |d, key| {
        match key {
            "type" => f.kind = Some(text(d, "type")?),
            "senderId" => f.sender_id = Some(text(d, "senderId")?),
            "targetId" => f.target_id = Some(text(d, "targetId")?),
            "documentId" => f.document_id = Some(text(d, "documentId")?),
            "data" => f.data = Some(bytes(d, "data")?),
            "message" => f.message = Some(text(d, "message")?),
            "sessionId" => f.session_id = Some(text(d, "sessionId")?),
            "count" => f.count = Some(d.u64().map_err(|_| DecodeError::WrongType("count"))?),
            "peerMetadata" | "metadata" => f.metadata = metadata(d)?,
            "supportedProtocolVersions" => f.versions = text_array(d, "supportedProtocolVersions")?,
            "selectedProtocolVersion" => f.selected_version = Some(text(d, "selectedProtocolVersion")?),
            _ => d.skip()?,
        }
        Ok(())
    })?;
    if d.position() != frame.len() {
        return Err(DecodeError::Trailing);
    }
    assemble(f)
}

fn assemble(f: Fields) -> Result<Message, DecodeError> {
    let kind = f.kind.ok_or(DecodeError::Missing("type"))?;
    let sender_id = peer(f.sender_id, "senderId")?;
    let target = || peer(f.target_id.clone(), "targetId");
    let doc = || {
        let raw = f.document_id.as_deref().ok_or(DecodeError::Missing("documentId"))?;
        raw.parse::<DocumentId>().map_err(|source| DecodeError::BadId { field: "documentId", source })
    };
    Ok(match kind.as_str() {
        "join" => Message::Join { sender_id, metadata: f.metadata, supported_protocol_versions: f.versions },
        "peer" => Message::Peer {
            sender_id,
            target_id: target()?,
            metadata: f.metadata,
            selected_protocol_version: f.selected_version.unwrap_or_default(),
        },
        "leave" => Message::Leave { sender_id },
        "error" => Message::Error {
            sender_id,
            target_id: f.target_id.clone().map(PeerId::new).transpose().ok().flatten(),
            message: f.message.unwrap_or_default(),
        },
        "request" | "sync" => {
            let (target_id, document_id) = (target()?, doc()?);
            let data = f.data.ok_or(DecodeError::Missing("data"))?;
            if kind == "request" {
                Message::Request { sender_id, target_id, document_id, data }
            } else {
                Message::Sync { sender_id, target_id, document_id, data }
            }
        }
        "doc-unavailable" => Message::DocUnavailable { sender_id, target_id: target()?, document_id: doc()? },
        "ephemeral" => Message::Ephemeral {
            target_id: target()?,
            document_id: doc()?,
            sender_id,
            count: f.count.unwrap_or(0),
            session_id: f.session_id.unwrap_or_default(),
            data: f.data.ok_or(DecodeError::Missing("data"))?,
        },
        "remote-subscription-change" | "remote-heads-changed" => Message::Ignored { sender_id, kind },
        _ => return Err(DecodeError::UnknownType(truncate(kind))),
    })
}

fn truncate(mut s: String) -> String {
    if s.len() > 40 {
        let mut cut = 40;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

fn peer(raw: Option<String>, field: &'static str) -> Result<PeerId, DecodeError> {
    PeerId::new(raw.ok_or(DecodeError::Missing(field))?).map_err(|source| DecodeError::BadId { field, source })
}

/// Calls `each` for every key of the map at the decoder's position; the callback consumes the value.
fn for_each_entry(
    d: &mut Decoder<'_>,
    mut each: impl FnMut(&mut Decoder<'_>, &str) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let len = d.map()?;
    let mut i = 0u64;
    loop {
        match len {
            Some(n) if i >= n => break,
            None if d.datatype()? == Type::Break => {
                d.skip()?;
                break;
            }
            _ => {}
        }
        if d.datatype()? == Type::String {
            let key = d.str()?.to_owned();
            each(d, &key)?;
        } else {
            d.skip()?;
            d.skip()?;
        }
        i += 1;
    }
    Ok(())
}

fn skip_tags(d: &mut Decoder<'_>) -> Result<(), DecodeError> {
    while d.datatype()? == Type::Tag {
        d.tag()?;
    }
    Ok(())
}

/// A text field within its limit ([`field_limit`]), checked before it is copied.
fn text(d: &mut Decoder<'_>, field: &'static str) -> Result<String, DecodeError> {
    let value = d.str().map_err(|_| DecodeError::WrongType(field))?;
    let (max, kind) = field_limit(field);
    if value.len() > max {
        return Err(DecodeError::TooLong { field, max, kind });
    }
    Ok(value.to_owned())
}

fn bytes(d: &mut Decoder<'_>, field: &'static str) -> Result<Vec<u8>, DecodeError> {
    skip_tags(d)?;
    d.bytes().map(<[u8]>::to_vec).map_err(|_| DecodeError::WrongType(field))
}

fn text_array(d: &mut Decoder<'_>, field: &'static str) -> Result<Vec<String>, DecodeError> {
    let mut out = Vec::new();
    let (max, kind) = field_limit(field);
    for item in d.array_iter::<&str>().map_err(|_| DecodeError::WrongType(field))? {
        let item = item.map_err(|_| DecodeError::WrongType(field))?;
        if item.len() > max {
            return Err(DecodeError::TooLong { field, max, kind });
        }
        out.push(item.to_owned());
        if out.len() > 16 {
            return Err(DecodeError::WrongType(field));
        }
    }
    Ok(out)
}

fn metadata(d: &mut Decoder<'_>) -> Result<PeerMetadata, DecodeError> {
    if d.datatype()? == Type::Null || d.datatype()? == Type::Undefined {
        d.skip()?;
        return Ok(PeerMetadata::default());
    }
    let mut meta = PeerMetadata::default();
    for_each_entry(d, |d, key| {
        match key {
            "storageId" if d.datatype()? == Type::String => meta.storage_id = Some(text(d, "storageId")?),
            "isEphemeral" if d.datatype()? == Type::Bool => meta.is_ephemeral = d.bool()?,
            _ => d.skip()?,
        }
        Ok(())
    })?;
    Ok(meta)
}

/// Encodes one message as a CBOR map, the way the official clients expect it.
pub fn encode(message: &Message) -> Vec<u8> {
    let mut buf = Vec::with_capacity(64 + payload_len(message));
    // Writing into a Vec cannot fail.
    let _ = write(&mut Encoder::new(&mut buf), message);
    buf
}

/// A `sync` message from borrowed parts, with the document id already in its text form.
pub fn encode_sync(sender_id: &PeerId, target_id: &PeerId, document_id: &str, data: &[u8]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(96 + sender_id.as_str().len() + target_id.as_str().len() + data.len());
    encode_sync_head(&mut buf, sender_id, target_id, document_id, data.len());
    buf.extend_from_slice(data);
    buf
}

/// Appends a `sync` message without its payload: the payload's `data_len` bytes must follow as
/// they are. The server sends one message per peer and document change; the payload is the same
/// for every peer, so only this head is encoded per peer and the payload is never copied.
pub fn encode_sync_head(buf: &mut Vec<u8>, sender_id: &PeerId, target_id: &PeerId, document_id: &str, data_len: usize) {
    // Writing into a Vec cannot fail.
    let _ = write_sync_head(&mut Encoder::new(buf), "sync", sender_id, target_id, document_id, data_len);
}

fn write_sync(
    e: &mut Encoder<&mut Vec<u8>>,
    kind: &str,
    sender_id: &PeerId,
    target_id: &PeerId,
    document_id: &str,
    data: &[u8],
) -> EncResult {
    write_sync_head(e, kind, sender_id, target_id, document_id, data.len())?;
    e.writer_mut().extend_from_slice(data);
    Ok(())
}

fn write_sync_head(
    e: &mut Encoder<&mut Vec<u8>>,
    kind: &str,
    sender_id: &PeerId,
    target_id: &PeerId,
    document_id: &str,
    data_len: usize,
) -> EncResult {
    e.map(5)?.str("type")?.str(kind)?;
    e.str("senderId")?.str(sender_id.as_str())?.str("targetId")?.str(target_id.as_str())?;
    e.str("documentId")?.str(document_id)?.str("data")?.bytes_len(data_len as u64)?;
    Ok(())
}

fn payload_len(message: &Message) -> usize {
    match message {
        Message::Request { data, .. } | Message::Sync { data, .. } | Message::Ephemeral { data, .. } => data.len(),
        _ => 0,
    }
}

type EncResult = Result<(), minicbor::encode::Error<std::convert::Infallible>>;

fn write(e: &mut Encoder<&mut Vec<u8>>, message: &Message) -> EncResult {
    match message {
        Message::Join { sender_id, metadata, supported_protocol_versions } => {
            e.map(4)?.str("type")?.str("join")?.str("senderId")?.str(sender_id.as_str())?;
            write_metadata(e.str("peerMetadata")?, metadata)?;
            e.str("supportedProtocolVersions")?.array(supported_protocol_versions.len() as u64)?;
            for v in supported_protocol_versions {
                e.str(v)?;
            }
        }
        Message::Peer { sender_id, target_id, metadata, selected_protocol_version } => {
            e.map(5)?.str("type")?.str("peer")?.str("senderId")?.str(sender_id.as_str())?;
            e.str("targetId")?.str(target_id.as_str())?;
            write_metadata(e.str("peerMetadata")?, metadata)?;
            e.str("selectedProtocolVersion")?.str(selected_protocol_version)?;
        }
        Message::Leave { sender_id } => {
            e.map(2)?.str("type")?.str("leave")?.str("senderId")?.str(sender_id.as_str())?;
        }
        Message::Error { sender_id, target_id, message } => {
            e.map(3 + u64::from(target_id.is_some()))?.str("type")?.str("error")?;
            e.str("senderId")?.str(sender_id.as_str())?;
            if let Some(t) = target_id {
                e.str("targetId")?.str(t.as_str())?;
            }
            e.str("message")?.str(message)?;
        }
        Message::Request { sender_id, target_id, document_id, data }
        | Message::Sync { sender_id, target_id, document_id, data } => {
            write_sync(e, message.kind(), sender_id, target_id, &document_id.to_string(), data)?;
        }
        Message::DocUnavailable { sender_id, target_id, document_id } => {
            e.map(4)?.str("type")?.str("doc-unavailable")?;
            e.str("senderId")?.str(sender_id.as_str())?.str("targetId")?.str(target_id.as_str())?;
            e.str("documentId")?.str(&document_id.to_string())?;
        }
        Message::Ephemeral { sender_id, target_id, count, session_id, document_id, data } => {
            e.map(7)?.str("type")?.str("ephemeral")?;
            e.str("senderId")?.str(sender_id.as_str())?.str("targetId")?.str(target_id.as_str())?;
            e.str("count")?.u64(*count)?.str("sessionId")?.str(session_id)?;
            e.str("documentId")?.str(&document_id.to_string())?.str("data")?.bytes(data)?;
        }
        Message::Ignored { sender_id, kind } => {
            e.map(2)?.str("type")?.str(kind)?.str("senderId")?.str(sender_id.as_str())?;
        }
    }
    Ok(())
}

fn write_metadata(e: &mut Encoder<&mut Vec<u8>>, meta: &PeerMetadata) -> EncResult {
    e.map(1 + u64::from(meta.storage_id.is_some()))?;
    if let Some(id) = &meta.storage_id {
        e.str("storageId")?.str(id)?;
    }
    e.str("isEphemeral")?.bool(meta.is_ephemeral)?;
    Ok(())
}

#[cfg(test)]
mod tests;
