//! Explicit limits: connections, document size, message rate, presence size, documents per connection.

use kompromiss_server::config::Config;
use kompromiss_shared::schema::{self, FieldPath};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use kompromiss_tests::db::TestDb;

use super::helpers::{WAIT, create_doc, error_before_close, open, server_view};

#[tokio::test]
async fn connections_beyond_the_limit_are_refused_and_free_slots_are_reused() {
    let db = TestDb::sqlite();
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.max_connections = 2;
    let app = TestApp::spawn_with(config).await;
    let a = SyncClient::connect(&app.ws(), "a").await.expect("first");
    let b = SyncClient::connect(&app.ws(), "b").await.expect("second");
    let third = SyncClient::connect(&app.ws(), "c").await;
    let err = format!("{:#}", third.err().expect("third connection refused"));
    assert!(err.contains("503") || err.contains("Service Unavailable"), "{err}");
    drop(a);
    // The slot frees when the server notices the close; connecting succeeds once it has.
    let mut ok = None;
    for _ in 0..100 {
        if let Ok(c) = SyncClient::connect(&app.ws(), "d").await {
            ok = Some(c);
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(ok.is_some(), "a freed slot can be used again");
    drop(b);
    app.stop().await;
}

#[tokio::test]
async fn changes_that_would_grow_a_document_past_its_limit_are_refused_and_not_stored() {
    for db in TestDb::all().await {
        let mut config = Config::for_tests(db.url(), db.data_dir());
        config.max_document_bytes = 64 * 1024;
        let app = TestApp::spawn_with(config).await;
        let id = create_doc(&app).await;
        let mut c = open(&app, "writer", id).await;
        let big = "x".repeat(100 * 1024);
        c.edit(id, |d| {
            schema::set_text(d, &FieldPath::Title, &big).expect("edit");
        })
        .await
        .expect("send");
        let why = error_before_close(&mut c, "oversized change").await;
        assert!(why.contains("size limit"), "{}: oversized change refused: {why}", db.backend());
        assert_ne!(server_view(&app, id).await.title, big, "{}: not stored", db.backend());
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_connection_sending_faster_than_its_message_budget_is_refused() {
    let db = TestDb::sqlite();
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.max_messages_per_sec = 5;
    let app = TestApp::spawn_with(config).await;
    let id = create_doc(&app).await;
    let mut c = SyncClient::connect(&app.ws(), "flood").await.expect("connect");
    for _ in 0..30 {
        if c.request(id).await.is_err() {
            break;
        }
    }
    let why = error_before_close(&mut c, "rate limit").await;
    assert!(why.contains("too many messages"), "rate limit error before the close: {why}");
    // Others are not affected: a new connection still gets the document.
    let mut calm = open(&app, "calm", id).await;
    assert!(!calm.doc(id).get_heads().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn presence_messages_over_their_size_limit_are_refused() {
    use kompromiss_shared::limits::MAX_EPHEMERAL_BYTES;
    use kompromiss_shared::protocol::Message;
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let id = create_doc(&app).await;
    let ephemeral = |c: &SyncClient, bytes: usize| Message::Ephemeral {
        sender_id: c.peer_id.clone(),
        target_id: c.server_peer.clone(),
        count: bytes as u64,
        session_id: "sitzung".into(),
        document_id: id,
        data: vec![0xa0; bytes],
    };
    let mut watcher = open(&app, "watcher", id).await;
    let mut fits = open(&app, "fits", id).await;
    fits.send(&ephemeral(&fits, MAX_EPHEMERAL_BYTES)).await.expect("send");
    let relayed = loop {
        match watcher.next_event(WAIT).await.expect("event") {
            Some(Event::Ephemeral(doc, data)) if doc == id => break data,
            Some(_) => continue,
            None => panic!("a presence message at the limit is relayed"),
        }
    };
    assert_eq!(relayed.len(), MAX_EPHEMERAL_BYTES);

    let mut big = open(&app, "big", id).await;
    big.send(&ephemeral(&big, MAX_EPHEMERAL_BYTES + 1)).await.expect("send");
    let why = error_before_close(&mut big, "oversized presence").await;
    assert!(why.contains("too large"), "{why}");
    app.stop().await;
}

#[tokio::test]
async fn a_connection_cannot_hold_more_documents_than_its_limit() {
    use kompromiss_shared::ids::DocumentId;
    use kompromiss_shared::limits::MAX_DOCS_PER_CONNECTION;
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let mut c = SyncClient::connect(&app.ws(), "sammler").await.expect("connect");
    // New documents (an editor may create them by syncing): each request attaches one.
    let ids: Vec<DocumentId> = (0..=MAX_DOCS_PER_CONNECTION).map(|_| DocumentId::from_random(rand::random())).collect();
    for id in &ids[..MAX_DOCS_PER_CONNECTION] {
        c.request(*id).await.expect("request within the limit");
    }
    for _ in 0..MAX_DOCS_PER_CONNECTION {
        match c.next_event(WAIT).await.expect("event") {
            Some(Event::Unavailable(_)) => {}
            other => panic!("each new document answers doc-unavailable, got {other:?}"),
        }
    }
    c.request(ids[MAX_DOCS_PER_CONNECTION]).await.expect("send");
    let why = error_before_close(&mut c, "one document too many").await;
    assert!(why.contains("too many open documents"), "{why}");
    app.stop().await;
}
