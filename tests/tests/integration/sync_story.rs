//! The co-editing story: concurrent edits converge, late joiners get everything, restarts keep it.

use kompromiss_shared::schema::{self, FieldPath, KEY_BODY};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::SyncClient;
use kompromiss_tests::db::TestDb;

use super::helpers::{WAIT, create_doc, open, server_view, view};

#[tokio::test]
async fn two_people_edit_one_section_at_once_and_a_latecomer_and_a_restart_see_both_edits() {
    for db in TestDb::all().await {
        story(&db).await;
        db.cleanup().await;
    }
}

async fn story(db: &TestDb) {
    let backend = db.backend();
    let app = TestApp::spawn(db).await;
    let id = create_doc(&app).await;
    let mut anna = open(&app, "anna", id).await;
    let mut ben = open(&app, "ben", id).await;
    let ziele = FieldPath::Section { id: "ziele".into(), field: KEY_BODY.into() };
    let base = view(&mut anna, id).sections[0].body.clone();

    // Both type into the same section before either sees the other's edit.
    anna.edit(id, |d| {
        schema::set_text(d, &ziele, &format!("Anna: {base}")).expect("edit");
    })
    .await
    .expect("anna sends");
    ben.edit(id, |d| {
        schema::set_text(d, &ziele, &format!("{base} – Ben")).expect("edit");
    })
    .await
    .expect("ben sends");

    let both = format!("Anna: {base} – Ben");
    for c in [&mut anna, &mut ben] {
        c.wait_until(WAIT, |c| view(c, id).sections[0].body == both && c.is_saved(id))
            .await
            .unwrap_or_else(|e| panic!("{backend}: {} did not converge: {e}", c.peer_id));
    }
    assert_eq!(anna.doc(id).get_heads(), ben.doc(id).get_heads(), "{backend}: same heads");

    // Somebody who joins later gets the full state.
    let late = server_view(&app, id).await;
    assert_eq!(late.sections[0].body, both, "{backend}: latecomer");

    // A restart keeps every acknowledged change.
    drop((anna, ben));
    let app = app.restart().await;
    let after = server_view(&app, id).await;
    assert_eq!(after.sections[0].body, both, "{backend}: after restart");
    assert_eq!(after.title, late.title);
    app.stop().await;
}

#[tokio::test]
async fn a_document_created_by_a_client_is_stored_and_found_after_a_restart() {
    for db in TestDb::all().await {
        let app = TestApp::spawn(&db).await;
        let id = kompromiss_server::concepts::new_document_id();
        let mut c = SyncClient::connect(&app.ws(), "creator").await.expect("connect");
        let mut doc = automerge::AutoCommit::new();
        schema::set_text(&mut doc, &FieldPath::Title, "Von außen angelegt").expect("title");
        c.create(id, doc).await.expect("announce");
        c.wait_until(WAIT, |c| c.is_saved(id)).await.expect("stored");
        drop(c);
        let app = app.restart().await;
        assert_eq!(server_view(&app, id).await.title, "Von außen angelegt", "{}", db.backend());
        let list = super::helpers::list_docs(&app).await;
        assert!(list.iter().any(|d| d["title"] == "Von außen angelegt"));
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn requesting_a_missing_document_answers_doc_unavailable() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let missing = kompromiss_server::concepts::new_document_id();
    assert!(!super::helpers::exists(&app, missing).await);
    let present = create_doc(&app).await;
    assert!(super::helpers::exists(&app, present).await);
    app.stop().await;
}
