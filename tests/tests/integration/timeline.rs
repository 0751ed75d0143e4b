//! A concept's history on SQLite and PostgreSQL: stretches of work with their authors and the
//! sections they touched, the document at an old version, two versions compared, named
//! versions and restored wording, and who may do which.

use kompromiss_shared::diff::ConceptDiff;
use kompromiss_shared::dto::timeline::{Authorship, Timeline};
use kompromiss_shared::schema::{self, ConceptView, FieldPath, KEY_BODY};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::SyncClient;
use kompromiss_tests::db::TestDb;
use serde_json::json;

use super::helpers::{WAIT, api_get, api_post, create_doc, server_view};

/// Writes a section's body as the token's person and waits until the server stored it.
async fn write(app: &TestApp, token: &str, doc: kompromiss_shared::ids::DocumentId, section: &str, text: &str) {
    let mut c = SyncClient::connect(&app.ws_as(token), "schreibt").await.expect("connect");
    c.request(doc).await.expect("request");
    c.wait_until(WAIT, |c| !c.doc(doc).get_heads().is_empty()).await.expect("arrives");
    let path = FieldPath::Section { id: section.into(), field: KEY_BODY.into() };
    let text = text.to_owned();
    c.edit(doc, move |d| {
        schema::set_text(d, &path, &text).expect("edit");
    })
    .await
    .expect("sent");
    c.wait_until(WAIT, |c| c.is_saved(doc)).await.expect("stored");
}

#[tokio::test]
async fn the_history_groups_work_by_author_opens_compares_names_and_restores_versions() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let eva = app.token_for("Eva Redaktion", Some("editor")).await;
        let mia = app.token_for("Mia Mitglied", Some("member")).await;
        let out = app.token_for("Olaf Außen", None).await;
        let before = server_view(&app, doc).await;
        write(&app, &eva, doc, "metriken", "Wir zählen Reichweite und Interaktionen je Monat.").await;
        write(&app, &app.editor_token, doc, "ziele", "Wir wollen Menschen in Sachsen erreichen.").await;

        let (status, t) = api_get(&app, &mia, &format!("/api/documents/{doc}/timeline")).await;
        assert_eq!(status, 200, "{backend}: {t}");
        let t: Timeline = serde_json::from_value(t).expect("timeline");
        assert!(!t.can_edit, "{backend}: a member reads the history only");
        assert!(t.stretches.len() >= 3, "{backend}: template, Eva, the editor: {:?}", t.stretches);
        let (newest, eva_stretch) = (&t.stretches[0], &t.stretches[1]);
        assert_eq!(eva_stretch.author.as_ref().map(|p| p.name.as_str()), Some("Eva Redaktion"), "{backend}");
        assert_ne!(newest.author, eva_stretch.author, "{backend}: another person, another stretch");
        let parts = newest.parts.clone().expect("named");
        assert_eq!(parts, vec![before.sections[0].heading.clone()], "{backend}: the editor touched Ziele");
        assert_eq!(eva_stretch.parts.clone().expect("named"), vec![before.sections[3].heading.clone()], "{backend}");
        assert_eq!(t.version, newest.version);

        // Any version opens read-only; two versions compare with the same diff.
        let (status, then) = api_get(&app, &mia, &format!("/api/documents/{doc}/at?v={}", eva_stretch.version)).await;
        assert_eq!(status, 200, "{backend}");
        let then: ConceptView = serde_json::from_value(then).expect("view");
        assert_eq!(then.sections[0].body, before.sections[0].body, "{backend}: before the editor's change");
        assert_eq!(then.sections[3].body, "Wir zählen Reichweite und Interaktionen je Monat.");
        let path = format!("/api/documents/{doc}/compare?from={}&to={}", eva_stretch.before, newest.version);
        let (status, d) = api_get(&app, &mia, &path).await;
        assert_eq!(status, 200, "{backend}");
        let d: ConceptDiff = serde_json::from_value(d).expect("diff");
        assert_eq!(d.sections.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["ziele", "metriken"], "{backend}");
        assert_eq!(api_get(&app, &mia, &format!("/api/documents/{doc}/at?v=nope")).await.0, 400);
        assert_eq!(api_get(&app, &out, &format!("/api/documents/{doc}/timeline")).await.0, 404, "{backend}");

        // Who wrote what, character by character, from the recorded owners of the actor ids.
        let (status, a) = api_get(&app, &mia, &format!("/api/documents/{doc}/authorship")).await;
        assert_eq!(status, 200, "{backend}: {a}");
        let a: Authorship = serde_json::from_value(a).expect("authorship");
        let writer = |section: &str, words: &str| {
            let f =
                a.fields.iter().find(|f| f.field == FieldPath::Section { id: section.into(), field: KEY_BODY.into() });
            let f = f.expect("field");
            let at = f.text[..f.text.find(words).expect("words")].chars().count() as u32;
            let run = f.runs.iter().find(|(s, e, _)| (*s..*e).contains(&at)).expect("run");
            run.2.map(|i| a.people[i as usize].name.clone())
        };
        assert_eq!(writer("metriken", "Reichweite").as_deref(), Some("Eva Redaktion"), "{backend}");
        assert_eq!(writer("ziele", "Menschen in Sachsen").as_deref(), Some("Test-Redaktion"), "{backend}");

        // Editors name versions and restore a section's earlier wording; members may not.
        let named = json!({ "name": "Fassung für den Landesparteirat 2026", "version": newest.version });
        assert_eq!(api_post(&app, &mia, &format!("/api/documents/{doc}/versions"), named.clone()).await.0, 403);
        assert_eq!(api_post(&app, &eva, &format!("/api/documents/{doc}/versions"), named).await.0, 201, "{backend}");
        let restore = json!({ "version": eva_stretch.version, "item": "ziele" });
        assert_eq!(api_post(&app, &mia, &format!("/api/documents/{doc}/restore"), restore.clone()).await.0, 403);
        let (status, _) = api_post(&app, &eva, &format!("/api/documents/{doc}/restore"), restore).await;
        assert_eq!(status, 200, "{backend}");
        let now = server_view(&app, doc).await;
        assert_eq!(now.sections[0].body, before.sections[0].body, "{backend}: the earlier wording is back");
        assert_eq!(
            now.sections[3].body, "Wir zählen Reichweite und Interaktionen je Monat.",
            "{backend}: the rest stays"
        );
        let t: Timeline =
            serde_json::from_value(api_get(&app, &mia, &format!("/api/documents/{doc}/timeline")).await.1)
                .expect("timeline");
        assert_eq!(t.named[0].name, "Fassung für den Landesparteirat 2026");
        assert_eq!(
            t.stretches[0].author.as_ref().map(|p| p.name.as_str()),
            Some("Eva Redaktion"),
            "{backend}: the restore is hers"
        );
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn version_reads_are_paced_per_person() {
    use kompromiss_server::state::VERSION_OPS_PER_SEC;
    for db in TestDb::all().await {
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let mia = app.token_for("Mia Mitglied", Some("member")).await;
        let ben = app.token_for("Ben Mitglied", Some("member")).await;
        let path = format!("/api/documents/{doc}/timeline");
        let mut statuses = Vec::new();
        for _ in 0..VERSION_OPS_PER_SEC * 4 {
            statuses.push(api_get(&app, &mia, &path).await.0);
        }
        assert!(statuses.contains(&429), "{}: a burst of four seconds' worth is cut: {statuses:?}", db.backend());
        assert_eq!(statuses[0], 200);
        assert_eq!(api_get(&app, &ben, &path).await.0, 200, "{}: another person is not held up", db.backend());
        app.stop().await;
        db.cleanup().await;
    }
}
