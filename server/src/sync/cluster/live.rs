//! Live events between instances (presence, and the content-free events that make pages fetch
//! comments or ballots again), batched into NOTIFY payloads. Not stored: missing one costs a
//! presence blip or a page that refreshes on its next event or load.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kompromiss_shared::ids::{DocumentId, PeerId};
use serde::{Deserialize, Serialize};

/// The channel live events travel on.
pub const CHANNEL: &str = "kompromiss_live";
/// Largest payload sent (PostgreSQL refuses 8,000 bytes and more).
pub const MAX_PAYLOAD: usize = 7_500;

/// One live event of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// A peer's ephemeral message (presence), relayed unchanged.
    Presence { doc: DocumentId, sender_id: PeerId, session_id: String, count: u64, data: Vec<u8> },
    /// The server's own event (`shared::doc_events`) for the document's pages.
    Event { doc: DocumentId, data: Vec<u8> },
}

impl Live {
    /// The document it concerns.
    pub fn doc(&self) -> DocumentId {
        match self {
            Live::Presence { doc, .. } | Live::Event { doc, .. } => *doc,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Batch {
    /// The sending instance: an instance skips its own batches.
    i: u64,
    m: Vec<Item>,
}

#[derive(Serialize, Deserialize)]
struct Item {
    d: String,
    /// Presence: sender, session, count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<(String, String, u64)>,
    /// The data, base64.
    x: String,
}

fn item(live: &Live) -> Item {
    match live {
        Live::Presence { doc, sender_id, session_id, count, data } => Item {
            d: doc.to_string(),
            p: Some((sender_id.as_str().to_owned(), session_id.clone(), *count)),
            x: STANDARD.encode(data),
        },
        Live::Event { doc, data } => Item { d: doc.to_string(), p: None, x: STANDARD.encode(data) },
    }
}

/// Packs events into as few payloads as fit [`MAX_PAYLOAD`]; returns them and how many events
/// were too large to travel at all (they stay on their own instance).
pub fn pack(instance: u64, events: &[Live]) -> (Vec<String>, usize) {
    let mut payloads = Vec::new();
    let mut oversized = 0;
    let mut batch = Batch { i: instance, m: Vec::new() };
    let mut size = 0usize;
    for live in events {
        let item = item(live);
        let item_size = serde_json::to_string(&item).map_or(usize::MAX, |s| s.len() + 1);
        if item_size > MAX_PAYLOAD - 40 {
            oversized += 1;
            continue;
        }
        if size + item_size > MAX_PAYLOAD - 40 && !batch.m.is_empty() {
            payloads.extend(serde_json::to_string(&batch).ok());
            batch.m.clear();
            size = 0;
        }
        size += item_size;
        batch.m.push(item);
    }
    if !batch.m.is_empty() {
        payloads.extend(serde_json::to_string(&batch).ok());
    }
    (payloads, oversized)
}

/// Reads a payload of another instance; `None` for this instance's own or an unreadable one
/// (items that do not parse are left out).
pub fn unpack(instance: u64, payload: &str) -> Option<Vec<Live>> {
    let batch: Batch = serde_json::from_str(payload).ok()?;
    if batch.i == instance {
        return None;
    }
    let events = batch
        .m
        .into_iter()
        .filter_map(|item| {
            let doc: DocumentId = item.d.parse().ok()?;
            let data = STANDARD.decode(item.x).ok()?;
            Some(match item.p {
                Some((sender, session_id, count)) => {
                    Live::Presence { doc, sender_id: PeerId::new(sender).ok()?, session_id, count, data }
                }
                None => Live::Event { doc, data },
            })
        })
        .collect();
    Some(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn presence(n: u64, bytes: usize) -> Live {
        Live::Presence {
            doc: DocumentId::from_random(rand::random()),
            sender_id: PeerId::new("browser-anna").expect("peer"),
            session_id: "sitzung-1".into(),
            count: n,
            data: vec![0xa5; bytes],
        }
    }

    #[test]
    fn live_batches_fit_the_notify_limit_round_trip_and_oversized_events_are_counted() {
        let mut events: Vec<Live> = (0..40).map(|n| presence(n, 400)).collect();
        events.push(Live::Event { doc: DocumentId::from_random(rand::random()), data: vec![1, 2, 3] });
        events.push(presence(99, 16 * 1024));
        let (payloads, oversized) = pack(7, &events);
        assert_eq!(oversized, 1, "a 16 KiB presence message does not travel");
        assert!(payloads.len() > 1, "40 presence messages of 400 bytes need several payloads");
        assert!(payloads.iter().all(|p| p.len() < 8000), "PostgreSQL's limit");
        let back: Vec<Live> = payloads.iter().flat_map(|p| unpack(8, p).expect("another instance's")).collect();
        assert_eq!(back, events[..41].to_vec());
        assert!(payloads.iter().all(|p| unpack(7, p).is_none()), "an instance skips its own");
        assert!(unpack(8, "{kaputt").is_none());
    }
}
