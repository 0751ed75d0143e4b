//! Identifiers shared by server and client: automerge-repo document ids and peer ids.

use std::fmt;
use std::str::FromStr;

/// Prefix of an automerge-repo URL (`automerge:<document id>`).
pub const AUTOMERGE_URL_PREFIX: &str = "automerge:";

/// An automerge-repo document id: 16 random bytes, written as bs58check.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

/// Why a string is not a document id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not valid bs58check, or the checksum does not match.
    #[error("not a bs58check string")]
    Encoding,
    /// Decoded, but not 16 bytes.
    #[error("a document id has 16 bytes, this one has {0}")]
    Length(usize),
    /// Peer ids are printable strings of bounded length.
    #[error("peer id must be 1 to {max} printable characters")]
    PeerId { max: usize },
}

impl DocumentId {
    /// Wraps raw bytes (e.g. freshly drawn random bytes).
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// A new id from 16 random bytes, marked as a version-4 UUID as automerge-repo creates them
    /// (older automerge-repo versions refuse ids that are not valid UUIDs).
    pub fn from_random(mut bytes: [u8; 16]) -> Self {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Self(bytes)
    }

    /// The raw 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `automerge:` URL the official clients use.
    pub fn to_url(&self) -> String {
        format!("{AUTOMERGE_URL_PREFIX}{self}")
    }

    /// Accepts either the bare id or an `automerge:` URL (with an optional `#heads` suffix).
    pub fn parse_url_or_id(input: &str) -> Result<Self, IdError> {
        let bare = input.strip_prefix(AUTOMERGE_URL_PREFIX).unwrap_or(input);
        let bare = bare.split('#').next().unwrap_or(bare);
        bare.parse()
    }
}

impl FromStr for DocumentId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // 16 bytes + 4 checksum bytes never need more than 28 base58 characters.
        if s.is_empty() || s.len() > 40 {
            return Err(IdError::Encoding);
        }
        let bytes = bs58::decode(s).with_check(None).into_vec().map_err(|_| IdError::Encoding)?;
        let arr: [u8; 16] = bytes.as_slice().try_into().map_err(|_| IdError::Length(bytes.len()))?;
        Ok(Self(arr))
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl serde::Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DocumentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A peer id as claimed by a sync peer. It names a connection's peer; it proves nothing.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(String);

impl PeerId {
    /// Longest accepted peer id, in bytes.
    pub const MAX_LEN: usize = 128;

    /// Accepts printable ids of 1 to [`Self::MAX_LEN`] bytes.
    pub fn new(s: impl Into<String>) -> Result<Self, IdError> {
        let s = s.into();
        let printable = s.chars().all(|c| !c.is_control());
        if s.is_empty() || s.len() > Self::MAX_LEN || !printable {
            return Err(IdError::PeerId { max: Self::MAX_LEN });
        }
        Ok(Self(s))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PeerId({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_id_round_trips_through_its_text_and_url() {
        let id = DocumentId::from_bytes([7; 16]);
        let text = id.to_string();
        assert_eq!(text.parse::<DocumentId>(), Ok(id));
        assert_eq!(DocumentId::parse_url_or_id(&id.to_url()), Ok(id));
        assert_eq!(DocumentId::parse_url_or_id(&format!("{}#abc", id.to_url())), Ok(id));
    }

    #[test]
    fn new_ids_are_version_4_uuids() {
        let id = DocumentId::from_random([0xff; 16]);
        assert_eq!(id.as_bytes()[6] >> 4, 4);
        assert_eq!(id.as_bytes()[8] >> 6, 0b10);
    }

    #[test]
    fn a_document_id_with_a_broken_checksum_is_refused() {
        let mut text = DocumentId::from_bytes([1; 16]).to_string();
        let last = text.pop().map(|c| if c == '2' { '3' } else { '2' });
        text.extend(last);
        assert_eq!(text.parse::<DocumentId>(), Err(IdError::Encoding));
        assert_eq!("".parse::<DocumentId>(), Err(IdError::Encoding));
    }

    #[test]
    fn a_peer_id_must_be_short_and_printable() {
        assert!(PeerId::new("browser-1").is_ok());
        assert!(PeerId::new("").is_err());
        assert!(PeerId::new("a\u{0}b").is_err());
        assert!(PeerId::new("x".repeat(129)).is_err());
    }
}
