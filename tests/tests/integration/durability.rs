//! A stalled storage write: co-editors see an edit at once, nobody is told it is stored before it is.

use std::time::Duration;

use kompromiss_shared::schema::{self, FieldPath};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::SyncClient;
use kompromiss_tests::db::TestDb;

use super::helpers::{WAIT, create_doc, open, server_view, view};

const TITLE: &str = "Social-Media-Konzept (Entwurf während der Sperre)";

/// Reads whatever arrives for `quiet` and returns; fails if the connection ends.
async fn listen(c: &mut SyncClient, quiet: Duration) {
    let until = tokio::time::Instant::now() + quiet;
    while let Ok(event) = tokio::time::timeout_at(until, c.pump()).await {
        let event = event.expect("the connection stays up");
        assert!(!matches!(event, kompromiss_tests::client::Event::Closed), "closed while the write waits");
    }
}

#[tokio::test]
async fn while_a_write_waits_co_editors_see_the_edit_but_nobody_is_told_it_is_stored() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let mut author = open(&app, "autorin", id).await;
        let mut coeditor = open(&app, "mitautor", id).await;
        let member = app.token_for("Mitglied", Some("member")).await;
        let mut reader = SyncClient::connect(&app.ws_as(&member), "leserin").await.expect("connect");
        reader.request(id).await.expect("request");
        for c in [&mut author, &mut coeditor, &mut reader] {
            c.wait_until(WAIT, |c| c.is_saved(id)).await.expect("in sync");
        }

        let stall = db.stall_writes().await;
        author
            .edit(id, |d| {
                schema::set_text(d, &FieldPath::Title, TITLE).expect("edit");
            })
            .await
            .expect("send");
        let edit = author.doc(id).get_last_local_change().expect("the edit").hash();
        coeditor
            .wait_until(WAIT, |c| view(c, id).title == TITLE)
            .await
            .unwrap_or_else(|e| panic!("{backend}: the co-editor sees the edit before it is stored: {e}"));
        listen(&mut author, Duration::from_millis(300)).await;
        listen(&mut reader, Duration::from_millis(300)).await;
        assert!(!author.is_saved(id), "{backend}: the author was told a waiting write is stored");
        assert_ne!(view(&mut reader, id).title, TITLE, "{backend}: a read-only peer got an unstored change");
        let told = coeditor.docs[&id].state.their_heads.clone().expect("heads");
        let covers_edit = told.contains(&edit) || coeditor.doc(id).get_changes(&told).iter().all(|c| c.hash() != edit);
        assert!(!covers_edit, "{backend}: the co-editor was told heads that contain the waiting edit");

        stall.release().await;
        author.wait_until(WAIT, |c| c.is_saved(id)).await.expect("the author hears it is stored");
        reader.wait_until(WAIT, |c| view(c, id).title == TITLE).await.expect("the reader gets it once stored");
        coeditor.wait_until(WAIT, |c| c.is_saved(id)).await.expect("the co-editor hears the new heads");
        drop((author, coeditor, reader));
        let app = app.restart().await;
        assert_eq!(server_view(&app, id).await.title, TITLE, "{backend}: stored");
        app.stop().await;
        db.cleanup().await;
    }
}
