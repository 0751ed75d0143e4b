//! The sync frame decoder (`shared::protocol::decode`): never panics; what it accepts encodes
//! back to a frame that decodes to the same message, with every field within its limit.

use kompromiss_shared::ids::{DocumentId, PeerId};
use kompromiss_shared::protocol::{self, Message, PeerMetadata};
use proptest::prelude::*;

use super::mutate;

fn seeds() -> Vec<Vec<u8>> {
    let peer = PeerId::new("browser-anna-7f3a").expect("peer");
    let server = PeerId::new("kompromiss-server").expect("peer");
    let doc = DocumentId::from_random([7; 16]);
    let messages = [
        Message::Join {
            sender_id: peer.clone(),
            metadata: PeerMetadata { storage_id: Some("speicher-1".into()), is_ephemeral: false },
            supported_protocol_versions: vec!["1".into()],
        },
        Message::Request {
            sender_id: peer.clone(),
            target_id: server.clone(),
            document_id: doc,
            data: vec![0x42, 1, 2, 3],
        },
        Message::Sync { sender_id: peer.clone(), target_id: server.clone(), document_id: doc, data: vec![0x43; 40] },
        Message::Ephemeral {
            sender_id: peer.clone(),
            target_id: server.clone(),
            count: 17,
            session_id: "sitzung".into(),
            document_id: doc,
            data: b"{\"cursor\":12}".to_vec(),
        },
        Message::Leave { sender_id: peer.clone() },
        Message::Error { sender_id: server, target_id: Some(peer), message: "zu groß".into() },
    ];
    messages.iter().map(protocol::encode).collect()
}

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn frame_decoder(frame in mutate::input(seeds(), 512)) {
        if let Ok(message) = protocol::decode(&frame) {
            let again = protocol::encode(&message);
            let back = protocol::decode(&again);
            prop_assert_eq!(back.as_ref().ok(), Some(&message), "re-encoded frame decodes to the same message");
            if let Message::Ephemeral { session_id, .. } = &message {
                prop_assert!(session_id.len() <= 128);
            }
            prop_assert!(message.sender_id().as_str().len() <= 128);
        }
    }
}
