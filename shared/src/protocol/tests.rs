//! Codec tests: round trips, the JS encoder's quirks, and hostile input.

use super::*;
use proptest::prelude::*;

fn pid(s: &str) -> PeerId {
    PeerId::new(s).expect("valid peer id")
}

fn doc() -> DocumentId {
    DocumentId::from_bytes([3; 16])
}

#[test]
fn every_message_kind_round_trips() {
    let messages = vec![
        Message::Join {
            sender_id: pid("a"),
            metadata: PeerMetadata { storage_id: Some("s".into()), is_ephemeral: false },
            supported_protocol_versions: vec!["1".into()],
        },
        Message::Peer {
            sender_id: pid("server"),
            target_id: pid("a"),
            metadata: PeerMetadata::default(),
            selected_protocol_version: "1".into(),
        },
        Message::Leave { sender_id: pid("a") },
        Message::Error { sender_id: pid("s"), target_id: Some(pid("a")), message: "nope".into() },
        Message::Request { sender_id: pid("a"), target_id: pid("s"), document_id: doc(), data: vec![1, 2] },
        Message::Sync { sender_id: pid("a"), target_id: pid("s"), document_id: doc(), data: vec![] },
        Message::DocUnavailable { sender_id: pid("s"), target_id: pid("a"), document_id: doc() },
        Message::Ephemeral {
            sender_id: pid("a"),
            target_id: pid("s"),
            count: 4,
            session_id: "sess".into(),
            document_id: doc(),
            data: vec![9],
        },
    ];
    for m in messages {
        assert_eq!(decode(&encode(&m)), Ok(m.clone()), "{}", m.kind());
    }
}

#[test]
fn non_minimal_lengths_and_metadata_alias_are_accepted() {
    // map(3) written with a one-byte length argument (0xb8 0x03), as the JS encoder may do.
    let mut frame = vec![0xb8, 0x03];
    for (k, v) in [("type", "join"), ("senderId", "js-peer")] {
        frame.push(0x78);
        frame.push(k.len() as u8);
        frame.extend_from_slice(k.as_bytes());
        frame.push(0x78);
        frame.push(v.len() as u8);
        frame.extend_from_slice(v.as_bytes());
    }
    frame.push(0x68);
    frame.extend_from_slice(b"metadata");
    frame.extend_from_slice(&[0xa1, 0x6b]);
    frame.extend_from_slice(b"isEphemeral");
    frame.push(0xf5);
    match decode(&frame) {
        Ok(Message::Join { sender_id, metadata, .. }) => {
            assert_eq!(sender_id.as_str(), "js-peer");
            assert!(metadata.is_ephemeral);
        }
        other => panic!("expected a join, got {other:?}"),
    }
}

#[test]
fn a_sync_without_a_valid_document_id_is_refused() {
    let mut frame = Vec::new();
    let mut e = minicbor::Encoder::new(&mut frame);
    e.map(5)
        .and_then(|e| e.str("type")?.str("sync")?.str("senderId")?.str("a"))
        .and_then(|e| e.str("targetId")?.str("s")?.str("documentId")?.str("not-a-document"))
        .and_then(|e| e.str("data")?.bytes(&[]))
        .expect("encode");
    assert!(matches!(decode(&frame), Err(DecodeError::BadId { field: "documentId", .. })));
}

#[test]
fn truncated_frames_are_errors() {
    let m = encode(&Message::Sync { sender_id: pid("a"), target_id: pid("s"), document_id: doc(), data: vec![7; 40] });
    for cut in 0..m.len() {
        assert!(decode(&m[..cut]).is_err(), "prefix of {cut} bytes decoded");
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn sync_messages_round_trip(data in proptest::collection::vec(any::<u8>(), 0..256), id in any::<[u8; 16]>()) {
        let m = Message::Sync {
            sender_id: pid("peer-x"),
            target_id: pid("server"),
            document_id: DocumentId::from_bytes(id),
            data,
        };
        prop_assert_eq!(decode(&encode(&m)), Ok(m));
    }
}

#[test]
fn the_fan_out_encoder_writes_the_same_bytes_as_a_sync_message() {
    let (sender_id, target_id, data) = (pid("server"), pid("peer-1"), vec![0x42, 0x00, 0xff]);
    let whole = encode(&Message::Sync {
        sender_id: sender_id.clone(),
        target_id: target_id.clone(),
        document_id: doc(),
        data: data.clone(),
    });
    assert_eq!(encode_sync(&sender_id, &target_id, &doc().to_string(), &data), whole);
    match decode(&whole).expect("decodes") {
        Message::Sync { document_id, data: got, .. } => assert_eq!((document_id, got), (doc(), data)),
        other => panic!("expected sync, got {other:?}"),
    }
}

#[test]
fn a_sync_head_followed_by_its_payload_decodes_at_every_cbor_length_boundary() {
    let (sender_id, target_id) = (pid("server"), pid("peer-1"));
    for len in [0, 1, 23, 24, 255, 256, 65_535, 65_536, 70_000] {
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut frame = Vec::new();
        encode_sync_head(&mut frame, &sender_id, &target_id, &doc().to_string(), data.len());
        frame.extend_from_slice(&data);
        match decode(&frame) {
            Ok(Message::Sync { data: got, document_id, .. }) => {
                assert_eq!(document_id, doc());
                assert!(got == data, "payload of {len} bytes comes back unchanged");
            }
            other => panic!("{len} bytes: expected a sync message, got {other:?}"),
        }
    }
}

#[test]
fn every_text_field_has_a_limit_and_the_error_names_it() {
    let ephemeral = |session: String| Message::Ephemeral {
        sender_id: pid("a"),
        target_id: pid("b"),
        count: u64::MAX,
        session_id: session,
        document_id: doc(),
        data: vec![1],
    };
    let fits = encode(&ephemeral("s".repeat(PeerId::MAX_LEN)));
    assert!(matches!(decode(&fits), Ok(Message::Ephemeral { .. })));
    let oversized = encode(&ephemeral("s".repeat(4 * 1024 * 1024)));
    let error = decode(&oversized).expect_err("refused");
    assert_eq!(error, DecodeError::TooLong { field: "sessionId", max: PeerId::MAX_LEN, kind: "presence" });
    assert!(error.to_string().contains("presence limit"), "{error}");

    let chatty =
        Message::Error { sender_id: pid("a"), target_id: None, message: "x".repeat(MAX_ERROR_MESSAGE_BYTES + 1) };
    assert!(matches!(decode(&encode(&chatty)), Err(DecodeError::TooLong { field: "message", .. })));
    let join = Message::Join {
        sender_id: pid("a"),
        metadata: PeerMetadata { storage_id: Some("x".repeat(PeerId::MAX_LEN + 1)), is_ephemeral: false },
        supported_protocol_versions: vec!["1".into()],
    };
    assert!(matches!(decode(&encode(&join)), Err(DecodeError::TooLong { field: "storageId", .. })));
    let versions = Message::Join {
        sender_id: pid("a"),
        metadata: PeerMetadata::default(),
        supported_protocol_versions: vec!["v".repeat(41)],
    };
    assert!(matches!(decode(&encode(&versions)), Err(DecodeError::TooLong { field: "supportedProtocolVersions", .. })));
}
