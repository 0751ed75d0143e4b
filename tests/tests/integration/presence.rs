//! Ephemeral messages (presence) reach the other peers of the document once, and are not stored.

use std::time::Duration;

use kompromiss_shared::ids::PeerId;
use kompromiss_shared::presence::{self, Presence};
use kompromiss_shared::protocol::Message;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use kompromiss_tests::db::TestDb;

use super::helpers::{create_doc, open};

fn ephemeral(from: &SyncClient, doc: kompromiss_shared::ids::DocumentId, count: u64) -> Message {
    Message::Ephemeral {
        sender_id: from.peer_id.clone(),
        target_id: from.server_peer.clone(),
        count,
        session_id: "s1".into(),
        document_id: doc,
        data: presence::encode(&Presence { name: "Anna".into(), field: Some("f-s-ziele-body".into()) }),
    }
}

#[tokio::test]
async fn presence_is_relayed_to_the_others_once_and_messages_claiming_another_sender_are_dropped() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let id = create_doc(&app).await;
    let mut anna = open(&app, "anna", id).await;
    let mut ben = open(&app, "ben", id).await;
    anna.send(&ephemeral(&anna, id, 1)).await.expect("send");
    anna.send(&ephemeral(&anna, id, 1)).await.expect("echo");
    let mut forged = ephemeral(&anna, id, 2);
    if let Message::Ephemeral { sender_id, .. } = &mut forged {
        *sender_id = PeerId::new("somebody-else").expect("peer");
    }
    anna.send(&forged).await.expect("forged");
    let mut seen = Vec::new();
    while let Some(event) = ben.next_event(Duration::from_millis(500)).await.expect("event") {
        if let Event::Ephemeral(doc, data) = event {
            assert_eq!(doc, id);
            seen.push(presence::decode(&data).expect("presence"));
        }
    }
    assert_eq!(seen.len(), 1, "exactly one relay: {seen:?}");
    assert_eq!(seen[0].name, "Anna");
    assert!(ben.next_event(Duration::from_millis(100)).await.expect("quiet").is_none());
    app.stop().await;
}
