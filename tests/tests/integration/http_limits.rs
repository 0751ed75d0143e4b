//! HTTP timeouts and the connection cap: slow or silent clients are closed in time and
//! `/healthz` answers while they try.

use std::time::{Duration, Instant};

use kompromiss_server::config::Config;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; what it sent, and when it closed.
async fn until_closed(tcp: &mut TcpStream, within: Duration) -> (String, Duration) {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let read_all = async {
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read_all).await.expect("the server closed the connection in time");
    (String::from_utf8_lossy(&got).into_owned(), start.elapsed())
}

#[tokio::test]
async fn slow_and_silent_clients_are_closed_within_their_timeouts_and_healthz_answers_meanwhile() {
    let db = TestDb::sqlite();
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.network.http_header_timeout_secs = 1;
    config.network.http_body_timeout_secs = 2;
    config.network.max_http_connections = 16;
    let app = TestApp::spawn_with(config).await;
    let limit = Duration::from_secs(6);

    // A silent socket.
    let mut silent = TcpStream::connect(app.addr).await.expect("connect");
    let (_, took) = until_closed(&mut silent, limit).await;
    assert!(took < Duration::from_secs(3), "silent socket open for {took:?}");

    // A header that never ends.
    let mut partial = TcpStream::connect(app.addr).await.expect("connect");
    partial.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.expect("write");
    let (_, took) = until_closed(&mut partial, limit).await;
    assert!(took < Duration::from_secs(3), "partial header open for {took:?}");

    // A body that never ends.
    let mut body = TcpStream::connect(app.addr).await.expect("connect");
    let head = format!(
        "POST /api/documents HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ntemplate=",
        app.addr, app.editor_token
    );
    body.write_all(head.as_bytes()).await.expect("write");
    let (answer, took) = until_closed(&mut body, limit).await;
    assert!(took < Duration::from_secs(5), "partial body open for {took:?}");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer}");

    // An idle keep-alive connection after a complete exchange.
    let mut idle = TcpStream::connect(app.addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.expect("write");
    let (answer, took) = until_closed(&mut idle, limit).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(took < Duration::from_secs(3), "idle keep-alive open for {took:?}");

    // More silent sockets than the cap: they are closed in turn, and /healthz gets through.
    let mut crowd = Vec::new();
    for _ in 0..40 {
        crowd.push(TcpStream::connect(app.addr).await.expect("connect"));
    }
    let asked = Instant::now();
    let health = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
        .get(format!("{}/healthz", app.http()))
        .send()
        .await
        .expect("healthz answers while the cap is full");
    assert_eq!(health.status(), 200);
    let waited = asked.elapsed();
    assert!(waited < Duration::from_secs(6), "/healthz took {waited:?}");
    drop(crowd);
    app.stop().await;
    db.cleanup().await;
}

/// Silent sockets filling every slot, with a header deadline long enough to outlast the test:
/// each newcomer takes the slot of the socket idle longest, so a person's request is answered at
/// once, and a connection answering a request is never the one that gives way.
#[tokio::test]
async fn at_the_cap_a_newcomer_takes_the_slot_of_the_connection_idle_longest() {
    let db = TestDb::sqlite();
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.network.http_header_timeout_secs = 120;
    config.network.max_http_connections = 8;
    let app = TestApp::spawn_with(config).await;

    // An upload in progress: its request is in flight from its headers to its answer.
    let mut upload = TcpStream::connect(app.addr).await.expect("connect");
    let form = "template=social-media-konzept";
    let head = format!(
        "POST /api/documents HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        app.addr,
        app.editor_token,
        form.len()
    );
    upload.write_all(head.as_bytes()).await.expect("write");
    upload.write_all(&form.as_bytes()[..9]).await.expect("write");
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut crowd = Vec::new();
    for _ in 0..40 {
        crowd.push(TcpStream::connect(app.addr).await.expect("connect"));
    }
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client");
    for _ in 0..3 {
        let asked = Instant::now();
        let health = client.get(format!("{}/healthz", app.http())).send().await.expect("healthz answers");
        assert_eq!(health.status(), 200);
        assert!(asked.elapsed() < Duration::from_secs(3), "/healthz took {:?}", asked.elapsed());
    }
    // Most of the crowd was closed to make room; the upload was not.
    let mut closed = 0;
    for tcp in &mut crowd {
        let mut buf = [0u8; 16];
        if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(20), tcp.read(&mut buf)).await {
            closed += 1;
        }
    }
    assert!(closed >= 30, "only {closed} of 40 silent sockets were closed");
    upload.write_all(&form.as_bytes()[9..]).await.expect("the upload's connection is open");
    let mut answer = [0u8; 12];
    tokio::time::timeout(Duration::from_secs(5), upload.read_exact(&mut answer))
        .await
        .expect("answered in time")
        .expect("the upload is answered");
    assert_eq!(&answer, b"HTTP/1.1 201", "{}", String::from_utf8_lossy(&answer));
    drop(crowd);
    app.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn stopping_ends_within_the_documented_bound_with_silent_sockets_and_busy_editors() {
    use automerge::ROOT;
    use automerge::transaction::Transactable;
    let db = TestDb::sqlite();
    let mut config = Config::for_tests(db.url(), db.data_dir());
    // Long enough that only the stop itself can end these sockets.
    config.network.http_header_timeout_secs = 600;
    config.network.http_body_timeout_secs = 600;
    let app = TestApp::spawn_with(config).await;
    let id = super::helpers::create_doc(&app).await;
    let _silent = TcpStream::connect(app.addr).await.expect("connect");
    let mut partial = TcpStream::connect(app.addr).await.expect("connect");
    partial
        .write_all(b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
        .await
        .expect("write");
    let mut editors = Vec::new();
    for n in 0..5 {
        editors.push(super::helpers::open(&app, &format!("e{n}"), id).await);
    }
    for (n, editor) in editors.iter_mut().enumerate() {
        editor
            .edit(id, |d| {
                d.put(ROOT, "zaehler", n as i64).expect("put");
            })
            .await
            .expect("edit");
    }
    let started = Instant::now();
    app.stop().await;
    let took = started.elapsed();
    let bound = kompromiss_server::listen::STOP_WITHIN + kompromiss_server::FLUSH_WITHIN;
    assert!(took < bound, "stopped after {took:?}, documented bound {bound:?}");
    assert!(took < Duration::from_secs(8), "open HTTP exchanges get 5 s: stopped after {took:?}");
    drop(editors);
    db.cleanup().await;
}

#[tokio::test]
async fn oversized_bodies_are_answered_413_everywhere() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let big = "a".repeat(kompromiss_server::router::MAX_REQUEST_BODY_BYTES + 1);
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    for path in
        ["/api/documents", "/auth/dev-login", "/api/fn/create_token", "/api/fn/set_role_mapping", "/api/sync-tickets"]
    {
        let response = client
            .post(format!("{}{path}", app.http()))
            .bearer_auth(&app.editor_token)
            .header("origin", app.http())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(big.clone())
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status(), 413, "{path}");
    }
    app.stop().await;
    db.cleanup().await;
}
