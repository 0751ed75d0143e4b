//! Hostile peers: what a peer sends cannot make the server hoard, store or serve junk, nor freeze a
//! document for everybody else.

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc, ScalarValue};
use kompromiss_server::db::{Db, chunks};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::protocol::Message;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use kompromiss_tests::db::TestDb;

use super::helpers::{WAIT, create_doc, open};

/// A 1 MB change that depends on a change the server never gets.
fn hidden_orphan(c: &mut SyncClient, id: DocumentId) -> Vec<u8> {
    let mut hidden = c.doc(id).fork();
    hidden.put(ROOT, "verborgen", 2).expect("put");
    hidden.commit();
    hidden.put(ROOT, "anhang", ScalarValue::Bytes(vec![7; 1_000_000])).expect("put");
    hidden.commit();
    hidden.get_last_local_change().expect("change").raw_bytes().to_vec()
}

/// The reason a protocol error gave, waiting up to `WAIT` for it.
async fn refusal(c: &mut SyncClient) -> String {
    loop {
        match c.next_event(WAIT).await.expect("event") {
            Some(Event::Error(message)) => return message,
            Some(Event::Closed) | None => panic!("closed without a reason"),
            Some(_) => continue,
        }
    }
}

#[tokio::test]
async fn changes_whose_dependencies_never_come_are_bounded_never_stored_and_do_not_freeze_the_document() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let mut mallory = open(&app, "mallory", id).await;
        let heads = mallory.doc(id).get_heads();

        // A change the server never sees, and 3 MB changes on top of it: they can never apply.
        let mut hidden = mallory.doc(id).fork();
        hidden.put(ROOT, "verborgen", 1).expect("put");
        hidden.commit();
        let mut orphans = Vec::new();
        for n in 0..8u8 {
            let blob: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ n).collect();
            hidden.put(ROOT, "anhang", ScalarValue::Bytes(blob)).expect("put");
            hidden.commit();
            orphans.push(hidden.get_last_local_change().expect("change").raw_bytes().to_vec());
        }
        let mut orphans = orphans.into_iter();

        // One orphan waits within the bound. The snapshot serves, and compaction at close stores,
        // only what the document has applied; the document takes honest edits as before.
        let first = mallory.carrying(id, heads.clone(), vec![orphans.next().expect("orphan")]);
        mallory.send(&first).await.expect("sent");
        let mut anna = open(&app, "anna", id).await;
        anna.edit(id, |d| {
            d.put(ROOT, "title", "Ehrlich bearbeitet").expect("put");
        })
        .await
        .expect("edit");
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.unwrap_or_else(|e| panic!("{backend}: not stored: {e}"));
        let snapshot = reqwest::Client::new()
            .get(format!("{}/api/documents/{id}/snapshot", app.http()))
            .bearer_auth(&app.editor_token)
            .send()
            .await
            .expect("snapshot")
            .bytes()
            .await
            .expect("bytes");
        assert!(snapshot.len() < 64 * 1024, "{backend}: snapshot of {} bytes", snapshot.len());

        // More orphans than a peer may leave waiting: refused with a reason, the connection closed.
        let mut sent = 1;
        for orphan in orphans {
            if mallory.send(&mallory.carrying(id, heads.clone(), vec![orphan])).await.is_err() {
                break;
            }
            sent += 1;
        }
        let reason = refusal(&mut mallory).await;
        assert!(reason.contains("waiting for changes"), "{backend}: {reason}");
        assert!(sent >= 3, "{backend}: the refusal came once the bound was passed, after {sent}");
        anna.edit(id, |d| {
            d.put(ROOT, "title", "Weiter bearbeitet").expect("put");
        })
        .await
        .expect("edit");
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.unwrap_or_else(|e| panic!("{backend}: frozen: {e}"));

        // One more orphan waits when the server closes: compaction still stores only applied changes.
        let mut eve = open(&app, "eve", id).await;
        let late = hidden_orphan(&mut eve, id);
        let heads = eve.doc(id).get_heads();
        eve.send(&eve.carrying(id, heads, vec![late])).await.expect("sent");
        eve.wait_until(WAIT, |c| c.is_saved(id)).await.expect("answered");
        drop((anna, mallory, eve));
        app.stop().await;

        let store = Db::connect(&db.url(), Default::default()).await.expect("db");
        let stored = chunks::load(&store, id).await.expect("load").expect("stored");
        assert!(stored.bytes < 64 * 1024, "{backend}: {} bytes stored", stored.bytes);
        let doc = automerge::Automerge::load(&stored.data).expect("loads");
        assert!(doc.get_missing_deps(&[]).is_empty(), "{backend}: no orphan stored");
        store.close().await;

        let app = TestApp::spawn(&db).await;
        let mut anna = open(&app, "anna", id).await;
        anna.edit(id, |d| {
            d.put(ROOT, "title", "Nach dem Neustart").expect("put");
        })
        .await
        .expect("edit");
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.unwrap_or_else(|e| panic!("{backend}: after restart: {e}"));
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_oversized_presence_session_id_is_refused_naming_the_presence_limit() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let id = create_doc(&app).await;
    let mut mallory = open(&app, "mallory", id).await;
    let presence = Message::Ephemeral {
        sender_id: mallory.peer_id.clone(),
        target_id: mallory.server_peer.clone(),
        count: 1,
        session_id: "s".repeat(1024 * 1024),
        document_id: id,
        data: vec![0xa0],
    };
    mallory.send(&presence).await.expect("sent");
    let reason = refusal(&mut mallory).await;
    assert!(reason.contains("sessionId") && reason.contains("presence limit"), "{reason}");
    app.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn a_connection_probing_random_document_ids_is_closed_at_the_cap() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let mut probe = SyncClient::connect(&app.ws_anonymous(), "probe").await.expect("connect");
    let (mut sent, mut reason) = (0, None);
    'probing: for _ in 0..30 {
        // 100 ids, then 0.55 s of listening: under the lookup rate, so the cap is what ends it.
        for _ in 0..100 {
            probe.request(DocumentId::from_random(rand::random())).await.expect("the socket is open");
            sent += 1;
        }
        let until = tokio::time::Instant::now() + std::time::Duration::from_millis(550);
        while let Ok(event) = tokio::time::timeout_at(until, probe.pump()).await {
            match event.expect("event") {
                Event::Error(message) => {
                    reason = Some(message);
                    break 'probing;
                }
                Event::Closed => panic!("closed without a reason after {sent} ids"),
                _ => {}
            }
        }
    }
    let reason = reason.expect("closed at the cap");
    assert!(reason.contains("too many unavailable documents"), "{reason}");
    assert!(sent > 1024, "closed after {sent} ids, the cap is 1024");
    assert!(sent < 1024 + 300, "{sent} ids were asked before the close");
    app.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn a_change_with_a_broken_checksum_is_answered_with_a_protocol_error() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let id = create_doc(&app).await;
    let mut mallory = open(&app, "mallory", id).await;
    let heads = mallory.doc(id).get_heads();
    let mut fork = mallory.doc(id).fork();
    fork.put(ROOT, "title", "Prüfsumme falsch").expect("put");
    fork.commit();
    let mut chunk = fork.get_last_local_change().expect("change").raw_bytes().to_vec();
    chunk[4] ^= 0xff; // the first checksum byte
    mallory.send(&mallory.carrying(id, heads, vec![chunk])).await.expect("sent");
    let reason = refusal(&mut mallory).await;
    assert!(reason.contains("not an Automerge sync message") || reason.contains("checksum"), "{reason}");
    let title = super::helpers::server_view(&app, id).await.title;
    assert_ne!(title, "Prüfsumme falsch");
    app.stop().await;
    db.cleanup().await;
}

/// A client that keeps resending a change it may not make, reconnecting at once after each
/// refusal (as the official clients do): one audit entry, and the server holds each further
/// refusal longer before it closes, so the rounds slow down.
#[tokio::test]
async fn a_client_resending_a_refused_change_costs_one_audit_entry_and_is_slowed_down() {
    use kompromiss_shared::audit::AuditAction;
    use kompromiss_shared::dto::audit::AuditQuery;
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let member = app.token_for("Mitglied", Some("member")).await;
        let mut rounds = Vec::new();
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(6) {
            let round = std::time::Instant::now();
            let mut stuck = SyncClient::connect(&app.ws_as(&member), "festgefahren").await.expect("connect");
            stuck.request(id).await.expect("request");
            stuck.wait_until(WAIT, |c| !c.doc(id).get_heads().is_empty()).await.expect("document arrives");
            let _ = stuck
                .edit(id, |d| {
                    d.put(ROOT, "title", "Darf ich nicht").expect("put");
                })
                .await;
            let reason = refusal(&mut stuck).await;
            assert!(reason.contains("no write access"), "{backend}: {reason}");
            // Like a client library: reconnect once the server has closed.
            while !matches!(stuck.next_event(WAIT).await, Ok(Some(Event::Closed)) | Ok(None) | Err(_)) {}
            rounds.push(round.elapsed());
        }
        assert!(rounds.len() >= 3, "{backend}: {} rounds", rounds.len());
        assert!(rounds.len() <= 6, "{backend}: {} rounds in 6 s: not slowed down ({rounds:?})", rounds.len());
        assert!(rounds.last() > rounds.first(), "{backend}: later rounds take longer: {rounds:?}");

        let store = Db::connect(&db.url(), Default::default()).await.expect("db");
        let query = AuditQuery { action: Some(AuditAction::WriteRefused), ..AuditQuery::default() };
        let entries = kompromiss_server::db::audit::list(&store, &query).await.expect("audit");
        let entries: Vec<_> =
            entries.into_iter().filter(|e| e.target.as_deref() == Some(id.to_string().as_str())).collect();
        assert_eq!(entries.len(), 1, "{backend}: one entry per person, document and minute: {entries:?}");
        store.close().await;
        app.stop().await;
        db.cleanup().await;
    }
}

/// The resident memory of this process (the server runs in it), in bytes.
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("statm");
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).expect("resident pages");
    pages * 4096
}

/// Automerge's bytes for one change of 1,000,000 characters (1,107 bytes compressed) and the
/// document it makes (1,168 bytes); tests/data/README.md says how they were made.
const MILLION_CHANGE: &[u8] = include_bytes!("../../data/million-chars.change");
const MILLION_DOC: &[u8] = include_bytes!("../../data/million-chars.automerge");

#[tokio::test]
async fn a_small_chunk_that_decodes_to_millions_of_operations_is_refused_before_it_is_decoded() {
    let _turn = super::helpers::MEMORY_TURN.lock().await;
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let before = resident_bytes();
        for (what, chunk) in [("a change", MILLION_CHANGE), ("a whole document", MILLION_DOC)] {
            let mut mallory = open(&app, "mallory", id).await;
            let heads = mallory.doc(id).get_heads();
            let started = std::time::Instant::now();
            mallory.send(&mallory.carrying(id, heads, vec![chunk.to_vec()])).await.expect("sent");
            let reason = refusal(&mut mallory).await;
            let took = started.elapsed();
            assert!(reason.contains("operations") || reason.contains("new document"), "{backend}, {what}: {reason}");
            assert!(took < std::time::Duration::from_secs(2), "{backend}, {what}: refused after {took:?}");
        }
        let grown = resident_bytes().saturating_sub(before);
        assert!(grown < 100 << 20, "{backend}: memory grew by {} MiB", grown >> 20);

        // The document takes honest edits, and a pasted concept of 100 pages (250,000 characters).
        let mut anna = open(&app, "anna", id).await;
        let pages = "Die LAG Digitales empfiehlt Mastodon als Kernplattform. ".repeat(250_000 / 56);
        let section = super::helpers::view(&mut anna, id).sections[0].id.clone();
        anna.edit(id, |d| {
            let body = kompromiss_shared::schema::FieldPath::Section { id: section.clone(), field: "body".into() };
            kompromiss_shared::schema::set_text(d, &body, &pages).expect("paste");
        })
        .await
        .expect("edit");
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.unwrap_or_else(|e| panic!("{backend}: paste not stored: {e}"));
        let stored = super::helpers::server_view(&app, id).await;
        assert_eq!(stored.sections[0].body.len(), pages.len(), "{backend}: the whole paste is stored");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn snapshots_come_from_storage_and_are_rate_limited_per_person() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let mut anna = open(&app, "anna", id).await;
        anna.edit(id, |d| {
            d.put(ROOT, "title", "Gespeichert vor dem Abzug").expect("put");
        })
        .await
        .expect("edit");
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.expect("stored");
        let client = reqwest::Client::new();
        let url = format!("{}/api/documents/{id}/snapshot", app.http());
        let mut statuses = Vec::new();
        let mut first = None;
        for _ in 0..10 {
            let response = client.get(&url).bearer_auth(&app.editor_token).send().await.expect("snapshot");
            statuses.push(response.status().as_u16());
            if response.status() == 200 && first.is_none() {
                first = Some(response.bytes().await.expect("bytes"));
            }
        }
        let bytes = first.expect("a snapshot");
        let doc = automerge::Automerge::load(&bytes).expect("loads");
        assert_eq!(
            kompromiss_shared::schema::read_concept(&doc).title,
            "Gespeichert vor dem Abzug",
            "{backend}: the stored state"
        );
        assert!(statuses.contains(&429), "{backend}: ten at once are too many: {statuses:?}");
        let other = app.token_for("Zweite Redaktion", Some("editor")).await;
        let response = client.get(&url).bearer_auth(&other).send().await.expect("snapshot");
        assert_eq!(response.status(), 200, "{backend}: another person has their own budget");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn unfinished_fragmented_messages_are_bounded_in_bytes_and_time_while_an_editor_edits() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message as WsMessage;
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

    let _turn = super::helpers::MEMORY_TURN.lock().await;
    let db = TestDb::sqlite();
    let mut config = kompromiss_server::config::Config::for_tests(db.url(), db.data_dir());
    config.network.sync_message_secs = 2;
    config.network.sync_inbound_budget_mib = 4;
    let app = TestApp::spawn_with(config).await;
    let id = create_doc(&app).await;
    let before = resident_bytes();

    // Twelve sockets each start a 3 MiB message with a first fragment of 1 MiB and never finish it.
    let mut hogs = Vec::new();
    for _ in 0..12 {
        let (mut ws, _) = tokio_tungstenite::connect_async(app.ws_anonymous()).await.expect("connect");
        let first = Frame::message(vec![0x42; 1 << 20], OpCode::Data(Data::Binary), false);
        let _ = ws.send(WsMessage::Frame(first)).await;
        hogs.push(ws);
    }
    let mut anna = open(&app, "anna", id).await;
    anna.edit(id, |d| {
        d.put(ROOT, "title", "Trotz halber Nachrichten").expect("put");
    })
    .await
    .expect("edit");
    anna.wait_until(WAIT, |c| c.is_saved(id)).await.expect("the editor's change is stored");

    // Every hog is closed: over the budget at once, the rest when their time is up.
    let started = std::time::Instant::now();
    let mut reasons = Vec::new();
    for ws in &mut hogs {
        let closed = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            loop {
                match ws.next().await {
                    Some(Ok(WsMessage::Close(frame))) => {
                        return frame.map(|f| f.reason.to_string()).unwrap_or_default();
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => return String::from("(dropped)"),
                }
            }
        })
        .await
        .expect("closed in time");
        reasons.push(closed);
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(8), "closed after {:?}", started.elapsed());
    assert!(reasons.iter().any(|r| r.contains("server busy")), "over the budget: {reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("not completed in time")), "past the deadline: {reasons:?}");
    let grown = resident_bytes().saturating_sub(before);
    assert!(grown < 64 << 20, "memory grew by {} MiB with a budget of 4 MiB", grown >> 20);
    app.stop().await;
    db.cleanup().await;
}

/// The same holds for other refusals: a client that resends a change the server refuses as too
/// large, reconnecting at once each time, is slowed down instead of costing a decode per round.
#[tokio::test]
async fn a_client_resending_an_oversized_change_is_slowed_down() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let id = create_doc(&app).await;
    let mut rounds = Vec::new();
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(6) {
        let round = std::time::Instant::now();
        let mut mallory = open(&app, "mallory", id).await;
        let heads = mallory.doc(id).get_heads();
        mallory.send(&mallory.carrying(id, heads, vec![MILLION_CHANGE.to_vec()])).await.expect("sent");
        let reason = refusal(&mut mallory).await;
        assert!(reason.contains("operations"), "{reason}");
        while !matches!(mallory.next_event(WAIT).await, Ok(Some(Event::Closed)) | Ok(None) | Err(_)) {}
        rounds.push(round.elapsed());
    }
    assert!(rounds.len() >= 3, "{} rounds", rounds.len());
    assert!(rounds.len() <= 6, "{} rounds in 6 s: not slowed down ({rounds:?})", rounds.len());
    app.stop().await;
    db.cleanup().await;
}
