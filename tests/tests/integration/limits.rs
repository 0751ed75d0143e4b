//! Explicit limits: connections, document size.

use kompromiss_server::config::Config;
use kompromiss_shared::schema::{self, FieldPath};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use kompromiss_tests::db::TestDb;

use super::helpers::{WAIT, create_doc, open, server_view};

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
        let mut refused = false;
        while let Some(event) = c.next_event(WAIT).await.expect("event") {
            match event {
                Event::Error(message) => {
                    assert!(message.contains("size limit"), "{message}");
                    refused = true;
                }
                Event::Closed => break,
                _ => {}
            }
        }
        assert!(refused, "{}: oversized change refused", db.backend());
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
    let mut limited = false;
    while let Ok(Some(event)) = c.next_event(WAIT).await {
        match event {
            Event::Error(message) => limited |= message.contains("too many messages"),
            Event::Closed => break,
            _ => {}
        }
    }
    assert!(limited, "rate limit error before the close");
    // Others are not affected: a new connection still gets the document.
    let mut calm = open(&app, "calm", id).await;
    assert!(!calm.doc(id).get_heads().is_empty());
    app.stop().await;
}
