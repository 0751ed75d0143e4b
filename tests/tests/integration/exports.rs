//! Exports on SQLite and PostgreSQL: a concept and a draft as Markdown and HTML for those who
//! may read them, nothing for anyone else.

use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;

use super::helpers::{api_bytes, create_doc, person, start_draft};

async fn fetch(app: &TestApp, token: &str, path: &str) -> (u16, String, String) {
    let (status, kind, body) = api_bytes(app, token, path).await;
    (status, kind, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn concepts_and_drafts_export_to_markdown_and_html_for_their_readers_only() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let member = person(&app, "Mia Mitglied", Some("member")).await;
        let outsider = person(&app, "Olaf Außen", None).await;
        let concept = create_doc(&app).await;
        let (status, kind, md) = fetch(&app, &member.token, &format!("/api/documents/{concept}/export/md")).await;
        assert_eq!((status, kind.as_str()), (200, "text/markdown; charset=utf-8"), "{backend}");
        assert!(md.starts_with("# Social-Media-Konzept des Landesverbandes\n"), "{backend}: {md}");
        assert!(
            md.contains("### Mastodon – nutzen")
                && md.contains("- Verarbeitung der Daten in der EU: noch nicht bewertet")
        );
        let (status, kind, html) = fetch(&app, &member.token, &format!("/api/documents/{concept}/export/html")).await;
        assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"), "{backend}");
        assert!(
            html.contains("<h1>Social-Media-Konzept des Landesverbandes</h1>") && html.contains("@page"),
            "{backend}"
        );
        assert_eq!(
            fetch(&app, &outsider.token, &format!("/api/documents/{concept}/export/md")).await.0,
            404,
            "{backend}"
        );
        assert_eq!(
            fetch(&app, &member.token, &format!("/api/documents/{concept}/export/pdfx")).await.0,
            404,
            "{backend}"
        );

        // The year's evaluation: Markdown, and HTML with its charts drawn in.
        let (status, kind, md) =
            fetch(&app, &member.token, &format!("/api/documents/{concept}/evaluations/2026/export/md")).await;
        assert_eq!((status, kind.as_str()), (200, "text/markdown; charset=utf-8"), "{backend}");
        assert!(
            md.starts_with("# Evaluation 2026 – Social-Media-Konzept") && md.contains("## Zusammenfassung"),
            "{backend}: {md}"
        );
        assert!(md.contains("| Follower | – |"), "{backend}: the year's figures as a table");
        let (status, _, html) =
            fetch(&app, &member.token, &format!("/api/documents/{concept}/evaluations/2026/export/html")).await;
        assert_eq!(status, 200, "{backend}");
        assert_eq!(html.matches("<svg").count(), 9, "{backend}: a chart per metric and derived figure");
        let evaluation = format!("/api/documents/{concept}/evaluations/2026/export/html");
        assert_eq!(fetch(&app, &outsider.token, &evaluation).await.0, 404, "{backend}");

        let draft = start_draft(&app, &member.token, concept, "Mastodon zuerst").await;
        let (status, _, md) = fetch(&app, &member.token, &format!("/api/documents/{draft}/export/md")).await;
        assert_eq!(status, 200, "{backend}: a draft exports for its concept's readers");
        assert!(md.contains("### Instagram"), "{backend}");
        assert_eq!(
            fetch(&app, &outsider.token, &format!("/api/documents/{draft}/export/html")).await.0,
            404,
            "{backend}"
        );
        app.stop().await;
    }
}
