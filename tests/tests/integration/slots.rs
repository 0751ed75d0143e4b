//! Fair connection slots: never-joining sockets are closed at the join deadline, anonymous peers
//! fill only their share and their address's cap, and members always find a slot.

use std::time::{Duration, Instant};

use automerge::ROOT;
use automerge::transaction::Transactable;
use futures::StreamExt;
use kompromiss_server::config::Config;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::helpers::{WAIT, create_doc, open};

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// An anonymous WebSocket to `/sync` that arrives through the trusted proxy for `client`.
async fn anonymous_via_proxy(app: &TestApp, client: &str) -> Result<Ws, String> {
    let mut request = app.ws_anonymous().into_client_request().expect("request");
    request.headers_mut().insert("x-forwarded-for", format!("198.51.100.1, {client}").parse().expect("header"));
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().to_string()),
        Err(other) => Err(other.to_string()),
    }
}

/// Reads (answering pings, as a client library does) until the server closes; the close's reason.
async fn closed_by_server(ws: &mut Ws) -> String {
    loop {
        match ws.next().await {
            Some(Ok(WsMessage::Close(frame))) => return frame.map(|f| f.reason.to_string()).unwrap_or_default(),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return String::new(),
        }
    }
}

#[tokio::test]
async fn never_joining_anonymous_sockets_fill_only_their_share_and_are_closed_at_the_join_deadline() {
    let db = TestDb::sqlite();
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.max_connections = 12;
    config.network.max_anonymous_connections = Some(8);
    config.network.max_anonymous_per_address = 6;
    config.network.sync_join_secs = 2;
    config.network.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    let app = TestApp::spawn_with(config).await;
    let id = create_doc(&app).await;
    let opened = Instant::now();

    // One address takes its cap; the proxy's own address does not count, the forwarded one does.
    let mut idle = Vec::new();
    for _ in 0..6 {
        idle.push(anonymous_via_proxy(&app, "203.0.113.1").await.expect("within the address cap"));
    }
    let refused = anonymous_via_proxy(&app, "203.0.113.1").await.expect_err("over the address cap");
    assert!(refused.starts_with("429"), "{refused}");
    // Two more addresses fill the anonymous share.
    idle.push(anonymous_via_proxy(&app, "203.0.113.2").await.expect("share"));
    idle.push(anonymous_via_proxy(&app, "203.0.113.3").await.expect("share"));
    let refused = anonymous_via_proxy(&app, "203.0.113.4").await.expect_err("share full");
    assert!(refused.starts_with("503"), "{refused}");

    // Meanwhile an editor finds a slot and edits.
    let mut editor = open(&app, "editor", id).await;
    editor
        .edit(id, |d| {
            d.put(ROOT, "title", "Trotz offener Sockets").expect("put");
        })
        .await
        .expect("edit");
    editor.wait_until(WAIT, |c| c.is_saved(id)).await.expect("the editor's change is stored");

    // Every never-joining socket is closed at the deadline, with the reason.
    for ws in &mut idle {
        let reason = tokio::time::timeout(Duration::from_secs(10), closed_by_server(ws)).await.expect("closed in time");
        assert!(reason.contains("no join"), "{reason}");
    }
    let took = opened.elapsed();
    assert!(took < Duration::from_secs(8), "closed after {took:?}, the deadline is 2 s");

    // Their slots are free again.
    let mut again = None;
    for _ in 0..100 {
        if let Ok(ws) = anonymous_via_proxy(&app, "203.0.113.1").await {
            again = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(again.is_some(), "an anonymous slot is free again");
    drop((idle, again, editor));
    app.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn without_a_trusted_proxy_the_forwarded_header_is_ignored() {
    let db = TestDb::sqlite();
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.network.max_anonymous_per_address = 2;
    let app = TestApp::spawn_with(config).await;
    let _a = anonymous_via_proxy(&app, "203.0.113.1").await.expect("first");
    let _b = anonymous_via_proxy(&app, "203.0.113.2").await.expect("second");
    let refused = anonymous_via_proxy(&app, "203.0.113.3").await.expect_err("the same address: 127.0.0.1");
    assert!(refused.starts_with("429"), "{refused}");
    app.stop().await;
    db.cleanup().await;
}

/// A peer that is closed and reconnects at once, over and over, is turned away before its
/// socket is upgraded once its address passes the connection rate; signed-in people are not.
#[tokio::test]
async fn an_address_reconnecting_without_pause_is_turned_away_and_an_editor_still_connects() {
    let db = TestDb::sqlite();
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.network.anonymous_connects_per_sec = 5;
    let app = TestApp::spawn_with(config).await;
    let id = create_doc(&app).await;
    let mut answers = Vec::new();
    for _ in 0..30 {
        match tokio_tungstenite::connect_async(app.ws_anonymous()).await {
            Ok((ws, _)) => {
                drop(ws);
                answers.push("101".to_string());
            }
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                let body = response.body().as_deref().map(String::from_utf8_lossy).unwrap_or_default().into_owned();
                answers.push(format!("{} {body}", response.status().as_u16()));
            }
            Err(other) => panic!("{other}"),
        }
    }
    let upgraded = answers.iter().filter(|a| *a == "101").count();
    assert!((10..=12).contains(&upgraded), "a burst of twice the rate, then no more: {answers:?}");
    assert!(answers.iter().any(|a| a.starts_with("429") && a.contains("too many connection attempts")), "{answers:?}");
    let mut editor = open(&app, "editor", id).await;
    editor.wait_until(WAIT, |c| !c.doc(id).get_heads().is_empty()).await.expect("the editor connects meanwhile");
    app.stop().await;
    db.cleanup().await;
}
