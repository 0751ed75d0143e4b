//! Who wrote what: every stored change names the person and channel that sent it, an actor id
//! belongs to its first writer, and changes stored before attribution existed read as unknown.

use std::collections::HashMap;

use automerge::{ActorId, Automerge};
use kompromiss_server::db::attribution::{self, Channel, StoredRun};
use kompromiss_server::db::{Db, audit, chunks, documents};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::audit::AuditQuery;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::schema::{self, FieldPath, KEY_BODY};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use kompromiss_tests::db::TestDb;

use super::helpers::{WAIT, create_doc, server_view};

/// Connects (token in the URL, or a session cookie) and waits until the document is there.
async fn open_as(url: &str, name: &str, cookie: Option<&str>, id: DocumentId) -> SyncClient {
    let mut c = SyncClient::connect_with(url, name, cookie).await.expect("connect");
    c.request(id).await.expect("request");
    c.wait_until(WAIT, |c| !c.doc(id).get_heads().is_empty()).await.expect("document arrives");
    c
}

/// Types `words` at the end of the goals section, one change per word, and waits until stored.
async fn type_words(c: &mut SyncClient, id: DocumentId, words: &[&str]) {
    let ziele = FieldPath::Section { id: "ziele".into(), field: KEY_BODY.into() };
    for word in words {
        c.edit(id, |d| {
            let body = schema::read_concept(d).sections[0].body.clone();
            schema::set_text(d, &ziele, &format!("{body} {word}")).expect("edit");
        })
        .await
        .expect("send");
    }
}

/// The document as stored, and the runs stored with it, read straight from the database.
async fn stored(db: &TestDb, id: DocumentId) -> (Automerge, Vec<StoredRun>) {
    let store = Db::connect(&db.url(), Default::default()).await.expect("db");
    let bytes = chunks::load(&store, id).await.expect("load").expect("stored");
    let runs = attribution::for_doc(&store, id).await.expect("runs");
    store.close().await;
    (Automerge::load(&bytes.data).expect("automerge"), runs)
}

/// `GET /api/documents/{id}/changes` with a token: the status and the answer.
async fn history(app: &TestApp, id: DocumentId, token: &str) -> (u16, serde_json::Value) {
    let res = reqwest::Client::new()
        .get(format!("{}/api/documents/{id}/changes", app.http()))
        .bearer_auth(token)
        .send()
        .await
        .expect("history");
    (res.status().as_u16(), res.json().await.unwrap_or_default())
}

/// The run that covers one change.
fn covering<'a>(runs: &'a [StoredRun], actor: &ActorId, seq: u64) -> Option<&'a StoredRun> {
    let hex = actor.to_hex_string();
    runs.iter().find(|r| r.actor == hex && (r.first_seq..=r.last_seq).contains(&seq))
}

#[tokio::test]
async fn every_change_two_people_make_is_stored_with_the_person_and_channel_that_sent_it() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let anna_token = app.token_for("Anna Arbeitskreis", Some("editor")).await;
        let ben_cookie = app.dev_cookie("Ben Vorstand", "editor").await;
        let mut anna = open_as(&app.ws_as(&anna_token), "anna", None, id).await;
        let mut ben = open_as(&app.ws_anonymous(), "ben", Some(&ben_cookie), id).await;

        // Interleaved, partly concurrent: each types before seeing the other's words.
        for round in 0..3 {
            type_words(&mut anna, id, &["Reichweite", "messen"]).await;
            type_words(&mut ben, id, &["Datenschutz", "prüfen", &format!("({round})")]).await;
        }
        for c in [&mut anna, &mut ben] {
            c.wait_until(WAIT, |c| c.is_saved(id)).await.unwrap_or_else(|e| panic!("{backend}: not saved: {e}"));
        }
        let (anna_actor, ben_actor) = (anna.doc(id).get_actor().clone(), ben.doc(id).get_actor().clone());

        let (doc, runs) = stored(&db, id).await;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for change in doc.get_changes(&[]) {
            let run = covering(&runs, change.actor_id(), change.seq())
                .unwrap_or_else(|| panic!("{backend}: change {} has no author", change.hash()));
            let who = (run.user_name.as_deref().unwrap_or("?"), run.channel);
            let expected = if *change.actor_id() == anna_actor {
                ("Anna Arbeitskreis", Channel::Token)
            } else if *change.actor_id() == ben_actor {
                ("Ben Vorstand", Channel::Session)
            } else {
                // The template, written by the server for the editor who created the concept.
                ("Test-Redaktion", Channel::Server)
            };
            assert_eq!(who, expected, "{backend}: change {} by the wrong person or channel", change.hash());
            *seen.entry(expected.0).or_default() += 1;
        }
        assert_eq!(seen.get("Anna Arbeitskreis"), Some(&6), "{backend}: {seen:?}");
        assert_eq!(seen.get("Ben Vorstand"), Some(&9), "{backend}: {seen:?}");
        assert!(runs.iter().all(|r| r.at > 0), "{backend}: every run has its time");

        // The same through the API, for anyone who may read the document.
        let (status, history) = history(&app, id, &anna_token).await;
        assert_eq!(status, 200, "{backend}");
        assert_eq!(history["unattributed"], 0, "{backend}: {history}");
        assert_eq!(history["changes"], doc.get_changes(&[]).len(), "{backend}");
        let names: Vec<&str> =
            history["runs"].as_array().expect("runs").iter().filter_map(|r| r["author"]["name"].as_str()).collect();
        assert!(names.contains(&"Ben Vorstand") && names.contains(&"Anna Arbeitskreis"), "{backend}: {names:?}");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_change_under_another_persons_actor_id_is_refused_audited_and_changes_nothing() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let other = create_doc(&app).await;
        let anna_token = app.token_for("Anna Arbeitskreis", Some("editor")).await;
        let mallory_token = app.token_for("Mallory", Some("editor")).await;
        let mut anna = open_as(&app.ws_as(&anna_token), "anna", None, id).await;
        type_words(&mut anna, id, &["echt"]).await;
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.expect("anna's word stored");
        let anna_actor = anna.doc(id).get_actor().clone();

        // Mallory writes under Anna's actor id: in the document Anna wrote in, and in another one.
        for target in [id, other] {
            let before = server_view(&app, target).await;
            let mut mallory = open_as(&app.ws_as(&mallory_token), "mallory", None, target).await;
            mallory.doc(target).set_actor(anna_actor.clone());
            type_words(&mut mallory, target, &["gefälscht"]).await;
            let refusal = loop {
                match mallory.next_event(WAIT).await.expect("event") {
                    Some(Event::Error(message)) => break message,
                    Some(Event::Closed) | None => panic!("{backend}: closed without a reason"),
                    Some(_) => continue,
                }
            };
            assert!(refusal.contains("belongs to another person"), "{backend}: {refusal}");
            assert_eq!(server_view(&app, target).await, before, "{backend}: the document is unchanged");
        }

        let store = Db::connect(&db.url(), Default::default()).await.expect("db");
        let query = AuditQuery { action: Some(AuditAction::ActorForged), ..Default::default() };
        let entries = audit::list(&store, &query).await.expect("audit");
        assert_eq!(entries.len(), 2, "{backend}: both refusals audited");
        assert!(entries.iter().all(|e| e.actor.as_deref() == Some("Mallory")), "{backend}: {entries:?}");
        store.close().await;

        // Anna's own actor id still works for her.
        type_words(&mut anna, id, &["weiter"]).await;
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.expect("anna still writes");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn changes_stored_before_authors_were_recorded_read_as_unknown_and_new_ones_are_attributed() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        // A concept as an earlier version stored it: its chunk, no authors.
        let id = kompromiss_server::concepts::new_document_id();
        let mut old = automerge::AutoCommit::new();
        let template = kompromiss_shared::template::builtin().remove(0);
        schema::init_from_template(&mut old, &template, || "p1".into()).expect("template");
        old.commit();
        schema::set_text(&mut old, &FieldPath::Title, "Konzept von früher").expect("title");
        let bytes = old.save();
        let store = Db::connect(&db.url(), Default::default()).await.expect("db");
        let row = documents::NewDocument { title: "Konzept von früher".into(), template: None, created_by: None };
        let write = chunks::Write { new_doc: Some(&row), ..chunks::Write::chunk(chunks::ChunkKind::Snapshot, &bytes) };
        chunks::append(&store, id, write).await.expect("stored the old way");
        store.close().await;

        let (_, before) = history(&app, id, &app.editor_token).await;
        assert_eq!(before["changes"], 2, "{backend}: {before}");
        assert_eq!(before["unattributed"], 2, "{backend}: both old changes are unknown");
        assert_eq!(before["runs"].as_array().map(Vec::len), Some(0));

        let anna_token = app.token_for("Anna Arbeitskreis", Some("editor")).await;
        let mut anna = open_as(&app.ws_as(&anna_token), "anna", None, id).await;
        type_words(&mut anna, id, &["neu"]).await;
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.expect("stored");
        let (_, after) = history(&app, id, &anna_token).await;
        assert_eq!(after["changes"], 3, "{backend}: {after}");
        assert_eq!(after["unattributed"], 2, "{backend}: the old ones stay unknown");
        assert_eq!(after["runs"][0]["author"]["name"], "Anna Arbeitskreis", "{backend}: {after}");
        assert_eq!(after["runs"][0]["channel"], "token");

        // Nobody who may not read the document learns that it exists.
        let outsider = app.token_for("Olaf Außen", None).await;
        assert_eq!(history(&app, id, &outsider).await.0, 404, "{backend}");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn storage_refuses_a_claim_on_an_actor_id_of_somebody_else_and_stores_nothing_of_that_write() {
    use std::sync::Arc;

    use kompromiss_server::db::attribution::{Author, AuthorRun};
    use kompromiss_server::db::{DbError, users};

    for db in TestDb::all().await {
        let backend = db.backend();
        let store = Db::connect(&db.url(), Default::default()).await.expect("db");
        let (ada, bob) = (
            users::create_local(&store, users::LOCAL_ISSUER, "Ada").await.expect("ada"),
            users::create_local(&store, users::LOCAL_ISSUER, "Bob").await.expect("bob"),
        );
        let by = |user: &str| Arc::new(Author { user_id: Some(user.into()), channel: Channel::Token, token_id: None });
        let run = |first_seq, author: Arc<Author>| AuthorRun {
            actor: "ab".repeat(16),
            first_seq,
            last_seq: first_seq,
            author,
            claim: true,
        };
        let id = kompromiss_server::concepts::new_document_id();
        let row = documents::NewDocument { title: "Konzept".into(), template: None, created_by: None };
        let first = [run(1, by(&ada.id))];
        let write = chunks::Write {
            authors: &first,
            new_doc: Some(&row),
            ..chunks::Write::chunk(chunks::ChunkKind::Snapshot, b"chunk one")
        };
        chunks::append(&store, id, write).await.expect("ada claims the actor id");

        let forged = [run(2, by(&bob.id))];
        let write = chunks::Write { authors: &forged, ..chunks::Write::chunk(chunks::ChunkKind::Incremental, b"two") };
        match chunks::append(&store, id, write).await {
            Err(DbError::ActorOwned { owner, .. }) => assert_eq!(owner, ada.id, "{backend}"),
            other => panic!("{backend}: expected the claim to fail, got {other:?}"),
        }
        assert_eq!(chunks::count(&store, id).await.expect("count"), 1, "{backend}: the chunk was not stored");
        let runs = attribution::for_doc(&store, id).await.expect("runs");
        assert_eq!(runs.len(), 1, "{backend}: nor its authors");

        let again = [run(2, by(&ada.id))];
        let write = chunks::Write { authors: &again, ..chunks::Write::chunk(chunks::ChunkKind::Incremental, b"two") };
        chunks::append(&store, id, write).await.expect("ada may claim her actor id again");

        // Owners are looked up in batches; a long list finds exactly the claimed id.
        let mut asked: Vec<String> = (0..600).map(|i| format!("{i:032x}")).collect();
        asked.insert(300, "ab".repeat(16));
        let owners = attribution::owners(&store, &asked).await.expect("owners");
        assert_eq!(owners.len(), 1, "{backend}: {owners:?}");
        assert_eq!(owners.get(&"ab".repeat(16)), Some(&ada.id), "{backend}");
        store.close().await;
        db.cleanup().await;
    }
}
