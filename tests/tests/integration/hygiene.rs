//! Protocol hygiene: a stable peer id and storage id across restarts, close frames with a status
//! code and reason, and an answer to a close the client starts.

use futures::{SinkExt, StreamExt};
use kompromiss_shared::ids::PeerId;
use kompromiss_shared::protocol::{self, Message, PeerMetadata};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Joins as `name`; the server's `peer` answer.
async fn join(app: &TestApp, name: &str) -> (Ws, PeerId, PeerMetadata) {
    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws()).await.expect("connect");
    let join = Message::Join {
        sender_id: PeerId::new(name.to_owned()).expect("peer id"),
        metadata: PeerMetadata::default(),
        supported_protocol_versions: vec!["1".into()],
    };
    ws.send(WsMessage::Binary(protocol::encode(&join).into())).await.expect("join");
    loop {
        match ws.next().await.expect("answer").expect("frame") {
            WsMessage::Binary(data) => match protocol::decode(&data).expect("message") {
                Message::Peer { sender_id, metadata, .. } => return (ws, sender_id, metadata),
                other => panic!("expected peer, got {}", other.kind()),
            },
            _ => continue,
        }
    }
}

/// Reads until the server's close frame arrives.
async fn close_frame(ws: &mut Ws) -> Option<CloseFrame> {
    let read = async {
        loop {
            match ws.next().await {
                Some(Ok(WsMessage::Close(frame))) => return frame,
                Some(Ok(_)) => continue,
                Some(Err(error)) => panic!("no close frame, the socket ended: {error}"),
                None => panic!("no close frame, the socket ended"),
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), read).await.expect("closed in time")
}

#[tokio::test]
async fn the_server_keeps_its_peer_id_and_storage_id_across_restarts() {
    for db in TestDb::all().await {
        let app = TestApp::spawn(&db).await;
        let (_ws, peer, metadata) = join(&app, "first").await;
        let storage = metadata.storage_id.expect("the server names its storage");
        assert!(!metadata.is_ephemeral);
        let app = app.restart().await;
        let (_ws, again, metadata) = join(&app, "second").await;
        assert_eq!(again, peer, "{}: same peer id after a restart", db.backend());
        assert_eq!(metadata.storage_id.as_deref(), Some(storage.as_str()), "{}: same storage id", db.backend());
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn closes_carry_a_status_code_and_reason_and_a_client_close_is_answered() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;

    let (mut ws, _, _) = join(&app, "polite").await;
    ws.send(WsMessage::Close(Some(CloseFrame { code: CloseCode::Normal, reason: "bye".into() }))).await.expect("close");
    let answer = close_frame(&mut ws).await.expect("the server answers with a close frame");
    assert_eq!(answer.code, CloseCode::Normal);

    let (mut ws, _, _) = join(&app, "rude").await;
    ws.send(WsMessage::Text("hallo".into())).await.expect("text");
    let closed = close_frame(&mut ws).await.expect("a close frame with a code");
    assert_eq!(closed.code, CloseCode::Protocol);
    assert!(closed.reason.contains("malformed message"), "{}", closed.reason);

    app.stop().await;
    db.cleanup().await;
}
