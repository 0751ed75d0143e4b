//! The yearly evaluation on SQLite and PostgreSQL: assembled from decisions, assessments and the
//! year's metrics; editors write on the revision they read (a stale edit is refused); frozen as
//! presented it never changes, even when the metrics are corrected afterwards.

use kompromiss_shared::dto::evaluations::EvaluationView;
use kompromiss_shared::ids::DocumentId;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use serde_json::json;

use super::helpers::{api_get as get, api_post as post, create_doc, person, server_view};

async fn evaluation(app: &TestApp, token: &str, concept: DocumentId) -> EvaluationView {
    let (status, body) = get(app, token, &format!("/api/documents/{concept}/evaluations/2026")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("evaluation")
}

#[tokio::test]
async fn an_evaluation_is_assembled_written_on_its_revision_and_frozen_for_good() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let member = person(&app, "Mia Mitglied", Some("member")).await;
        let outsider = person(&app, "Olaf Außen", None).await;
        let editor = app.editor_token.clone();
        let concept = create_doc(&app).await;
        let mastodon = server_view(&app, concept).await.platforms[0].clone();
        let metrics = format!("/api/documents/{concept}/metrics");
        let values = json!({ "platform": mastodon.id, "month": "2026-03", "source": "Statistik", "values": [["follower", 120_000]] });
        assert_eq!(post(&app, &editor, &metrics, values).await.0, 200);

        // Assembled before anyone wrote on it: decisions, assessments and the year's metrics.
        let first = evaluation(&app, &member.token, concept).await;
        assert!(!first.stored && first.presented.is_none() && !first.can_edit, "{backend}");
        assert_eq!(first.platforms[0].name, "Mastodon");
        assert!(first.platforms[0].assessment.contains_key("a_reach"), "{backend}: the assessment is there");
        assert!(first.criteria.iter().any(|c| c.key == "a_dp_eu"));
        assert_eq!(first.metrics.values.len(), 1, "{backend}: the year's metrics");
        assert!(first.years.iter().any(|y| y.year == 2026));
        assert_eq!(get(&app, &outsider.token, &format!("/api/documents/{concept}/evaluations/2026")).await.0, 404);
        assert_eq!(get(&app, &editor, &format!("/api/documents/{concept}/evaluations/1999")).await.0, 400);

        // Editors write on the revision they read; an edit on an older revision is refused.
        let path = format!("/api/documents/{concept}/evaluations/2026");
        let summary = json!({ "revision": 0, "platform": null, "text": "Mastodon wächst langsam, aber stetig." });
        assert_eq!(post(&app, &member.token, &path, summary.clone()).await.0, 403, "{backend}: members read only");
        let (status, answer) = post(&app, &editor, &path, summary.clone()).await;
        assert_eq!((status, answer["revision"].as_i64()), (200, Some(1)), "{backend}: {answer}");
        let (status, refused) = post(&app, &editor, &path, summary).await;
        assert_eq!((status, refused["error"]["field"].as_str()), (409, Some("stale")), "{backend}: a stale revision");
        let stray = json!({ "revision": 1, "platform": "keine-plattform", "text": "x" });
        assert_eq!(
            post(&app, &editor, &path, stray).await.0,
            400,
            "{backend}: commentary only on the concept's platforms"
        );
        let note = json!({ "revision": 1, "platform": mastodon.id, "text": "Mehr Beiträge am Wochenende." });
        assert_eq!(post(&app, &editor, &path, note).await.1["revision"], 2);
        let long = json!({ "revision": 2, "platform": null, "text": "x".repeat(20_001) });
        assert_eq!(post(&app, &editor, &path, long).await.0, 400, "{backend}: bounded");
        let written = evaluation(&app, &editor, concept).await;
        assert!(written.stored && written.can_edit);
        assert_eq!(written.summary, "Mastodon wächst langsam, aber stetig.");
        assert_eq!(written.platforms[0].commentary, "Mehr Beiträge am Wochenende.");

        // Frozen as presented: every later write is refused and later corrections do not reach it.
        let pause = || tokio::time::sleep(std::time::Duration::from_secs(2)); // writes are paced per person
        pause().await;
        let freeze = format!("{path}/freeze");
        assert_eq!(post(&app, &editor, &freeze, json!({ "revision": 2, "on": "2027-03-14", "body": "" })).await.0, 400);
        assert_eq!(
            post(&app, &editor, &freeze, json!({ "revision": 2, "on": "14.03.2027", "body": "Landesparteirat" }))
                .await
                .0,
            400
        );
        assert_eq!(
            post(&app, &member.token, &freeze, json!({ "revision": 2, "on": "2027-03-14", "body": "Landesparteirat" }))
                .await
                .0,
            403
        );
        let (status, body) =
            post(&app, &editor, &freeze, json!({ "revision": 2, "on": "2027-03-14", "body": "Landesparteirat" })).await;
        assert_eq!(status, 204, "{backend}: {body}");
        let frozen = evaluation(&app, &member.token, concept).await;
        let presented = frozen.presented.clone().expect("presented");
        assert_eq!((presented.on.as_str(), presented.body.as_str()), ("2027-03-14", "Landesparteirat"));
        assert!(presented.frozen_by.is_some());
        pause().await;
        let again = json!({ "revision": 3, "platform": null, "text": "Nachträglich geändert" });
        let (status, refused) = post(&app, &editor, &path, again).await;
        assert_eq!((status, refused["error"]["field"].as_str()), (409, Some("frozen")), "{backend}: {refused}");
        let (status, refused) =
            post(&app, &editor, &freeze, json!({ "revision": 3, "on": "2027-03-15", "body": "LPR" })).await;
        assert_eq!((status, refused["error"]["field"].as_str()), (409, Some("frozen")), "{backend}: {refused}");
        let fix = json!({ "platform": mastodon.id, "month": "2026-03", "source": "Korrektur", "values": [["follower", 130_000]] });
        assert_eq!(post(&app, &editor, &metrics, fix).await.0, 200);
        let later = evaluation(&app, &editor, concept).await;
        assert_eq!(later.metrics.values[0].value.hundredths(), 120_000, "{backend}: the frozen values stay");
        assert!(!later.can_edit, "{backend}: nobody edits a frozen evaluation");
        assert_eq!(later.summary, frozen.summary);
        let svg = |path: String| {
            let editor = editor.clone();
            async move {
                let res = reqwest::Client::new().get(path).bearer_auth(&editor).send().await.expect("chart");
                assert_eq!(res.status(), 200);
                res.text().await.expect("svg")
            }
        };
        let frozen_chart =
            svg(format!("{}/api/documents/{concept}/evaluations/2026/charts/follower.svg", app.http())).await;
        let live_chart =
            svg(format!("{}/api/documents/{concept}/metrics/charts/follower.svg?year=2026", app.http())).await;
        let expected =
            kompromiss_server::metrics::charts::all_platforms(&later.metrics, "follower", false).expect("chart");
        assert_eq!(frozen_chart, expected, "{backend}: drawn from the frozen values");
        assert_ne!(frozen_chart, live_chart, "{backend}: the live chart shows the correction");
        app.stop().await;
    }
}
