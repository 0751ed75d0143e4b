//! A stalled storage write: nobody hears of an edit before it is stored, everybody once it is.

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
async fn while_a_write_waits_nobody_hears_of_the_edit_and_everybody_does_once_it_is_stored() {
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
        for c in [&mut author, &mut coeditor, &mut reader] {
            listen(c, Duration::from_millis(500)).await;
        }
        assert!(!author.is_saved(id), "{backend}: the author was told a waiting write is stored");
        assert_ne!(view(&mut coeditor, id).title, TITLE, "{backend}: a co-editor got an unstored change");
        assert_ne!(view(&mut reader, id).title, TITLE, "{backend}: a reader got an unstored change");

        stall.release().await;
        author.wait_until(WAIT, |c| c.is_saved(id)).await.expect("the author hears it is stored");
        for c in [&mut coeditor, &mut reader] {
            c.wait_until(WAIT, |c| view(c, id).title == TITLE).await.expect("the others get it once stored");
        }
        drop((author, coeditor, reader));
        let app = app.restart().await;
        assert_eq!(server_view(&app, id).await.title, TITLE, "{backend}: stored");
        app.stop().await;
        db.cleanup().await;
    }
}
