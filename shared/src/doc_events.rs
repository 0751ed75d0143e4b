//! Events the server tells a document's open connections about things kept outside the document
//! (comments today), as automerge-repo ephemeral messages from the server's peer (CBOR). They
//! carry no content: a page that hears one fetches what changed through the API, which checks
//! what its person may see.

use minicbor::{Decoder, Encoder};

/// Marker key, so that these are told apart from presence and other clients' data.
const MARKER: &str = "kompromissEvent";

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocEvent {
    /// The document's discussion changed (a thread, comment, resolution or moderation step).
    Comments,
    /// A ballot on the concept opened, closed, or its turnout moved (at most once a second).
    Ballots,
}

impl DocEvent {
    fn name(self) -> &'static str {
        match self {
            DocEvent::Comments => "comments",
            DocEvent::Ballots => "ballots",
        }
    }
}

/// Encodes an event as a CBOR map.
pub fn encode(event: DocEvent) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut e = Encoder::new(&mut buf);
    let _ = e.map(1).and_then(|e| e.str(MARKER)).and_then(|e| e.str(event.name()));
    buf
}

/// Decodes an event; `None` for anything else.
pub fn decode(bytes: &[u8]) -> Option<DocEvent> {
    let mut d = Decoder::new(bytes);
    let n = d.map().ok()??;
    let mut event = None;
    for _ in 0..n.min(8) {
        match d.str().ok()? {
            MARKER => {
                event = match d.str().ok()? {
                    "comments" => Some(DocEvent::Comments),
                    "ballots" => Some(DocEvent::Ballots),
                    _ => None,
                }
            }
            _ => d.skip().ok()?,
        }
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_and_presence_is_not_taken_for_one() {
        assert_eq!(decode(&encode(DocEvent::Comments)), Some(DocEvent::Comments));
        assert_eq!(decode(&encode(DocEvent::Ballots)), Some(DocEvent::Ballots));
        let presence = crate::presence::encode(&crate::presence::Presence { name: "Anna".into(), field: None });
        assert_eq!(decode(&presence), None);
        assert_eq!(crate::presence::decode(&encode(DocEvent::Comments)), None);
        assert_eq!(decode(&[0xff, 0x00]), None);
    }
}
