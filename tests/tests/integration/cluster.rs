//! Several instances on one PostgreSQL database: people on different instances co-edit live,
//! lost database connections are replaced and missed notifications caught up, and compaction on
//! either instance keeps every change. PostgreSQL only (the embedded database serves one
//! instance); without a PostgreSQL server these say so and pass, unless it is required.

use std::time::{Duration, Instant};

use kompromiss_server::db::{Db, chunks};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::schema::{self, FieldPath, KEY_BODY};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::SyncClient;
use kompromiss_tests::db::TestDb;

use super::helpers::{WAIT, body_of, create_doc, open, server_view, view};

/// How soon a person on one instance must see an edit made on the other.
const LIVE: Duration = Duration::from_secs(1);
/// The metrics token of these tests' instances (their metrics tell when an instance listens).
const METRICS: &str = "cluster-metrics-token-2026";

/// An instance on `db` whose `/metrics` the test may read; returns once it listens for the
/// other instances' changes (its listener connects in the background after start).
async fn instance(db: &TestDb) -> TestApp {
    let mut config = kompromiss_server::config::Config::for_tests(db.url(), db.data_dir());
    config.meters = kompromiss_server::config::meters::MetersArgs::with_token(METRICS);
    let app = TestApp::spawn_with(config).await;
    let started = Instant::now();
    loop {
        let body = reqwest::Client::new()
            .get(format!("{}/metrics", app.http()))
            .bearer_auth(METRICS)
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("body");
        if body.contains("\nkompromiss_cluster_listening 1\n") {
            return app;
        }
        assert!(started.elapsed() < WAIT, "the instance never listened for the others' changes");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn body(section: &str) -> FieldPath {
    FieldPath::Section { id: section.into(), field: KEY_BODY.into() }
}

/// Two instances on `db`, a concept made through A, Anna holding it on A and Ben on B.
async fn two_people(db: &TestDb) -> (TestApp, TestApp, DocumentId, SyncClient, SyncClient) {
    let a = instance(db).await;
    let b = instance(db).await;
    let id = create_doc(&a).await;
    let anna = open(&a, "anna", id).await;
    let ben = open(&b, "ben", id).await;
    (a, b, id, anna, ben)
}

/// Appends `text` to a section's body and waits until the server says it is stored.
async fn type_into(c: &mut SyncClient, id: DocumentId, section: &str, text: &str) {
    let path = body(section);
    let next = format!("{}{text}", body_of(&view(c, id), section));
    c.edit(id, |d| {
        schema::set_text(d, &path, &next).expect("edit");
    })
    .await
    .expect("send");
    c.wait_until(WAIT, |c| c.is_saved(id)).await.expect("stored");
}

/// Pumps until the client's section body contains `text`; returns how long that took.
async fn sees(c: &mut SyncClient, id: DocumentId, section: &str, text: &str, within: Duration) -> Duration {
    let started = Instant::now();
    c.wait_until(within, |c| body_of(&view(c, id), section).contains(text))
        .await
        .unwrap_or_else(|e| panic!("{text:?} did not arrive within {within:?}: {e}"));
    started.elapsed()
}

#[tokio::test]
async fn two_instances_co_edit_live_and_each_sees_the_others_edit_within_a_second() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b, id, mut anna, mut ben) = two_people(&db).await;

    type_into(&mut anna, id, "ziele", " Anna über A.").await;
    let took = sees(&mut ben, id, "ziele", "Anna über A.", LIVE).await;
    type_into(&mut ben, id, "ziele", " Ben über B.").await;
    let back = sees(&mut anna, id, "ziele", "Ben über B.", LIVE).await;
    eprintln!("A→B {took:?}, B→A {back:?}");

    // Both type at once into different parts, each saved on their own instance.
    for i in 0..15 {
        let (x, y) = (format!(" a{i}"), format!(" b{i}"));
        let (left, right) =
            tokio::join!(type_into(&mut anna, id, "metriken", &x), type_into(&mut ben, id, "zielgruppen", &y));
        let _ = (left, right);
    }
    sees(&mut anna, id, "zielgruppen", " b14", WAIT).await;
    sees(&mut ben, id, "metriken", " a14", WAIT).await;
    anna.wait_until(WAIT, |c| c.is_saved(id)).await.expect("anna saved");
    ben.wait_until(WAIT, |c| c.is_saved(id)).await.expect("ben saved");
    assert_eq!(view(&mut anna, id), view(&mut ben, id), "both instances' people hold the same concept");
    drop((anna, ben));

    // Whatever each instance acknowledged is in the database: a third instance reads all of it.
    a.stop().await;
    b.stop().await;
    let c = TestApp::spawn(&db).await;
    let seen = server_view(&c, id).await;
    let part = |section: &str| body_of(&seen, section);
    for i in 0..15 {
        assert!(part("metriken").contains(&format!(" a{i}")), "a{i} lost");
        assert!(part("zielgruppen").contains(&format!(" b{i}")), "b{i} lost");
    }
    c.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn terminated_database_connections_are_replaced_and_an_edit_made_meanwhile_is_caught_up() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b, id, mut anna, mut ben) = two_people(&db).await;
    type_into(&mut anna, id, "ziele", " vorher").await;
    sees(&mut ben, id, "ziele", "vorher", LIVE).await;

    // Every connection of both instances to this database ends: pools, listeners.
    let admin = Db::connect(&db.url(), Default::default()).await.expect("admin connection");
    let Db::Postgres(pool) = &admin else { unreachable!("a PostgreSQL test database") };
    let ended: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() \
         AND pid <> pg_backend_pid()",
    )
    .fetch_all(pool)
    .await
    .expect("terminate");
    assert!(ended.len() >= 2, "each instance had at least its listener connected: {}", ended.len());

    // Editing goes on at once; the other side hears of it after its listener reconnects (and sweeps).
    type_into(&mut anna, id, "ziele", " nachher").await;
    let took = sees(&mut ben, id, "ziele", "nachher", Duration::from_secs(8)).await;
    eprintln!("after terminated connections: {took:?}");
    type_into(&mut ben, id, "ziele", " zurück").await;
    sees(&mut anna, id, "ziele", "zurück", Duration::from_secs(8)).await;
    admin.close().await;
    drop((anna, ben));
    a.stop().await;
    b.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn compaction_on_either_instance_keeps_every_change_of_the_other() {
    let Some(db) = TestDb::postgres().await else { return };
    let (a, b, id, mut anna, mut ben) = two_people(&db).await;
    // More chunks than a compaction waits for, from both instances, interleaved.
    for i in 0..40 {
        let (x, y) = (format!(" a{i}"), format!(" b{i}"));
        tokio::join!(type_into(&mut anna, id, "metriken", &x), type_into(&mut ben, id, "zielgruppen", &y));
    }
    // Anna leaves; A keeps the document open (its idle time is 30 s) and compacts it once it is
    // quiet for 2 s, while Ben goes on typing on B (each of his chunks is news for A).
    drop(anna);
    let store = Db::connect(&db.url(), Default::default()).await.expect("db");
    let before = chunks::count(&store, id).await.expect("count");
    for i in 40..60 {
        type_into(&mut ben, id, "zielgruppen", &format!(" b{i}")).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        chunks::count(&store, id).await.expect("count") < before,
        "a compaction ran while Ben typed ({before} chunks before)"
    );
    drop(ben);
    a.stop().await;
    b.stop().await;
    let left = chunks::count(&store, id).await.expect("count");
    store.close().await;
    let c = TestApp::spawn(&db).await;
    let seen = server_view(&c, id).await;
    let part = |section: &str| body_of(&seen, section);
    for i in 0..40 {
        assert!(part("metriken").contains(&format!(" a{i} ")) || part("metriken").ends_with(&format!(" a{i}")));
    }
    for i in 0..60 {
        let b = part("zielgruppen");
        assert!(b.contains(&format!(" b{i} ")) || b.ends_with(&format!(" b{i}")), "b{i} lost ({left} chunks left)");
    }
    c.stop().await;
    db.cleanup().await;
}

/// Waits for an ephemeral message on `id`; returns its data.
async fn ephemeral_on(
    c: &mut SyncClient,
    id: DocumentId,
    within: Duration,
    wanted: impl Fn(&[u8]) -> bool,
) -> Duration {
    use kompromiss_tests::client::Event;
    let started = Instant::now();
    loop {
        let left = within.checked_sub(started.elapsed()).unwrap_or_else(|| panic!("nothing within {within:?}"));
        match c.next_event(left).await.expect("event") {
            Some(Event::Ephemeral(doc, data)) if doc == id && wanted(&data) => return started.elapsed(),
            Some(Event::Closed) => panic!("closed while waiting"),
            None => panic!("nothing within {within:?}"),
            Some(_) => {}
        }
    }
}

#[tokio::test]
async fn presence_comments_and_ballot_events_cross_instances_within_a_second() {
    use kompromiss_shared::doc_events::{self, DocEvent};
    use kompromiss_shared::presence::{self, Presence};
    use kompromiss_shared::protocol::Message;

    let Some(db) = TestDb::postgres().await else { return };
    let (a, b, id, mut anna, mut ben) = two_people(&db).await;

    // Presence: Anna (on A) is in the goals; Ben (on B) sees it.
    let here = Presence { name: "Anna".into(), field: Some("f-s-ziele-body".into()) };
    let message = Message::Ephemeral {
        sender_id: anna.peer_id.clone(),
        target_id: anna.server_peer.clone(),
        count: 1,
        session_id: "s1".into(),
        document_id: id,
        data: presence::encode(&here),
    };
    anna.send(&message).await.expect("send");
    let took = ephemeral_on(&mut ben, id, LIVE, |d| presence::decode(d).is_some_and(|p| p.name == "Anna")).await;
    eprintln!("presence A→B {took:?}");

    // A comment written through A: Ben's page on B hears that the discussion changed.
    let platform = view(&mut anna, id).platforms[0].id.clone();
    let body = serde_json::json!({ "target": { "kind": "platform", "platform_id": platform }, "body": "Erst Mastodon.", "stance": "for" });
    let (status, answer) =
        super::helpers::api_post(&a, &a.editor_token, &format!("/api/documents/{id}/comments"), body).await;
    assert_eq!(status, 201, "{answer}");
    let took = ephemeral_on(&mut ben, id, LIVE, |d| doc_events::decode(d) == Some(DocEvent::Comments)).await;
    eprintln!("comment event A→B {took:?}");

    // A ballot opened through A on a concept Ben has open on B: his page hears of it.
    let mia = super::helpers::person(&a, "Mia Mitglied", Some("member")).await;
    let draft =
        super::ballots::another_draft(&a, id, &mia.token, "Instagram verlassen", "Wir verlassen Instagram.").await;
    let ballot = serde_json::json!({
        "title": "Instagram verlassen?", "kind": "proposal", "drafts": [draft.to_string()],
        "majority": "simple", "quorum": { "kind": "none" }, "changeable": false,
    });
    let (status, answer) =
        super::helpers::api_post(&a, &a.editor_token, &format!("/api/documents/{id}/ballots"), ballot).await;
    assert_eq!(status, 201, "{answer}");
    let took = ephemeral_on(&mut ben, id, LIVE, |d| doc_events::decode(d) == Some(DocEvent::Ballots)).await;
    eprintln!("ballot event A→B {took:?}");
    drop((anna, ben));
    a.stop().await;
    b.stop().await;
    db.cleanup().await;
}
