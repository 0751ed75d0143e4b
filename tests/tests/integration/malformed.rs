//! Hostile input: the server answers with a protocol error, closes that connection, stays up,
//! and the document is unchanged.

use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::limits::MAX_FRAME_BYTES;
use kompromiss_shared::protocol::{self, Message};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::SyncClient;
use kompromiss_tests::db::TestDb;
use rand::RngCore;

use super::helpers::{create_doc, error_before_close, open, server_view};

/// Sends one frame on a fresh, joined connection, expects a protocol error and a close, and
/// returns the error's text.
async fn refused(app: &TestApp, frame: Vec<u8>, what: &str) -> String {
    let mut c = SyncClient::connect(&app.ws(), "mallory").await.expect("connect");
    c.send_raw(frame).await.expect("send");
    error_before_close(&mut c, what).await
}

fn sync_frame(id: DocumentId, data: Vec<u8>) -> Vec<u8> {
    protocol::encode(&Message::Sync {
        sender_id: kompromiss_shared::ids::PeerId::new("mallory").expect("peer"),
        target_id: kompromiss_shared::ids::PeerId::new("server").expect("peer"),
        document_id: id,
        data,
    })
}

#[tokio::test]
async fn malformed_frames_are_refused_and_leave_the_server_and_the_document_intact() {
    for db in TestDb::all().await {
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let before = server_view(&app, id).await;
        let mut rng = rand::rng();

        for n in [1usize, 7, 64, 1000] {
            let mut junk = vec![0u8; n];
            rng.fill_bytes(&mut junk);
            junk[0] = 0xa5; // a map header, so the decoder gets further than the first byte
            refused(&app, junk, "random bytes").await;
        }
        let valid = sync_frame(id, vec![0x42, 0, 0, 0, 0]);
        for cut in [1, valid.len() / 2, valid.len() - 1] {
            refused(&app, valid[..cut].to_vec(), "truncated CBOR").await;
        }
        refused(&app, sync_frame(id, b"not automerge at all".to_vec()), "bad automerge payload").await;

        // A real sync message carrying a change chunk cut short (its header promises more bytes).
        let mut doc = automerge::AutoCommit::new();
        kompromiss_shared::schema::set_text(&mut doc, &kompromiss_shared::schema::FieldPath::Title, "Eindringling")
            .expect("edit");
        let mut state = automerge::sync::State::new();
        use automerge::sync::SyncDoc;
        let mut msg = doc.sync().generate_sync_message(&mut state).expect("message");
        let mut changes: Vec<Vec<u8>> = doc.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()).collect();
        let cut = changes[0].len() - 10;
        changes[0].truncate(cut);
        msg.changes = changes.into();
        refused(&app, sync_frame(id, msg.encode()), "truncated change").await;

        // A well-formed sync message one byte over the limit: refused for its size, not its content.
        let payload = MAX_FRAME_BYTES + 1 - sync_frame(id, Vec::new()).len() - 4;
        let oversized = sync_frame(id, vec![0x42; payload]);
        assert!(oversized.len() > MAX_FRAME_BYTES && oversized.len() < MAX_FRAME_BYTES + 16);
        let why = refused(&app, oversized, "oversized frame").await;
        assert!(why.contains("too large"), "{}: refused as too large: {why}", db.backend());

        let health = reqwest::get(format!("{}/healthz", app.http())).await.expect("server still up");
        assert!(health.status().is_success());
        let after = server_view(&app, id).await;
        assert_eq!(after, before, "{}: document unchanged", db.backend());
        assert!(!after.title.contains("Eindringling"));
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_message_before_join_and_a_text_frame_are_protocol_errors() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws()).await.expect("connect");
    use futures::SinkExt;
    let id = create_doc(&app).await;
    ws.send(tokio_tungstenite::tungstenite::Message::Binary(sync_frame(id, vec![]).into())).await.expect("send");
    let reply = next_binary(&mut ws).await;
    let decoded = protocol::decode(&reply).expect("cbor");
    assert!(matches!(decoded, Message::Error { .. }), "got {decoded:?}");

    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws()).await.expect("connect");
    ws.send(tokio_tungstenite::tungstenite::Message::Text("hallo".into())).await.expect("send");
    let reply = next_binary(&mut ws).await;
    assert!(matches!(protocol::decode(&reply), Ok(Message::Error { .. })));
    let mut still = open(&app, "after", id).await;
    assert!(!still.doc(id).get_heads().is_empty(), "server keeps serving");
    app.stop().await;
}

async fn next_binary<S>(ws: &mut S) -> Vec<u8>
where
    S: futures::Stream<Item = Result<tokio_tungstenite::tungstenite::Message, tokio_tungstenite::tungstenite::Error>>
        + Unpin,
{
    use futures::StreamExt;
    loop {
        match ws.next().await.expect("a reply").expect("a frame") {
            tokio_tungstenite::tungstenite::Message::Binary(b) => return b.to_vec(),
            tokio_tungstenite::tungstenite::Message::Close(_) => panic!("closed without a protocol error"),
            _ => continue,
        }
    }
}
