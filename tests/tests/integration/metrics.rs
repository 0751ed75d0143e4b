//! Metrics on SQLite and PostgreSQL: a clean CSV file is stored with who, when and from which
//! file; a file with one bad line stores nothing and names the line; corrections keep the old
//! value; members read, editors write, outsiders find nothing; charts come as SVG.

use kompromiss_shared::dto::metrics::{CellEntry, MetricsView};
use kompromiss_shared::ids::DocumentId;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use serde_json::{Value, json};

use super::helpers::{api_get as get, api_post as post, create_doc, person, server_view};

/// Posts a file to the import endpoint; status and answer.
async fn import(app: &TestApp, token: &str, concept: DocumentId, file: &str, dry_run: bool) -> (u16, Value) {
    let url =
        format!("{}/api/documents/{concept}/metrics/import?dry_run={dry_run}&name=kennzahlen-2026.csv", app.http());
    let res = reqwest::Client::new().post(url).bearer_auth(token).body(file.to_owned()).send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn year(app: &TestApp, token: &str, concept: DocumentId) -> MetricsView {
    let (status, body) = get(app, token, &format!("/api/documents/{concept}/metrics?year=2026")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("metrics")
}

/// A year of values for three platforms, German spreadsheet style.
fn year_file(names: &[&str]) -> String {
    let mut f =
        String::from("Plattform;Monat;Follower;Reichweite;Interaktionen;Beiträge;Stunden;Ausgaben;Hassvorfälle\n");
    for (p, name) in names.iter().enumerate() {
        for m in 1..=12 {
            let base = (p + 1) * 1000 + m * 10;
            f.push_str(&format!(
                "{name};{m:02}.2026;{base};{};{};{};{},5;{},90;{}\n",
                base * 20,
                base / 2,
                10 + m,
                4 + p,
                25 * p,
                m % 3
            ));
        }
    }
    f
}

#[tokio::test]
async fn a_clean_file_is_stored_and_a_file_with_one_bad_line_stores_nothing_and_names_it() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let member = person(&app, "Mia Mitglied", Some("member")).await;
        let outsider = person(&app, "Olaf Außen", None).await;
        let editor = app.editor_token.clone();
        let concept = create_doc(&app).await;
        let platforms = server_view(&app, concept).await.platforms;
        let names: Vec<&str> = platforms.iter().take(3).map(|p| p.name.as_str()).collect();
        let file = year_file(&names);

        assert_eq!(import(&app, &member.token, concept, &file, true).await.0, 403, "{backend}: members do not import");
        assert_eq!(
            import(&app, &outsider.token, concept, &file, true).await.0,
            404,
            "{backend}: outsiders find nothing"
        );

        // The preview maps the columns and stores nothing.
        let (status, preview) = import(&app, &editor, concept, &file, true).await;
        assert_eq!(status, 200, "{backend}: {preview}");
        assert_eq!(preview["outcome"], "ready");
        assert_eq!(preview["changed"], 3 * 12 * 7, "{backend}: {preview}");
        assert_eq!(
            preview["columns"][2],
            json!({ "header": "Follower", "column": { "as": "metric", "metric": "follower" } })
        );
        assert!(year(&app, &editor, concept).await.values.is_empty(), "{backend}: a preview stores nothing");

        let (status, stored) = import(&app, &editor, concept, &file, false).await;
        assert_eq!((status, stored["outcome"].as_str()), (200, Some("stored")), "{backend}: {stored}");
        let first = year(&app, &member.token, concept).await;
        assert_eq!(first.values.len(), 3 * 12 * 7, "{backend}");
        assert!(!first.can_edit, "{backend}: members read but do not edit");
        let march = first.value(&platforms[0].id, "follower", "2026-03".parse().expect("month")).expect("value");
        assert_eq!(march.value.hundredths(), 103_000);
        assert_eq!(march.source, "Import kennzahlen-2026.csv");
        assert_eq!(march.file.as_deref(), Some("kennzahlen-2026.csv"));
        assert!(march.by.is_some(), "{backend}: who entered it is named");
        assert_eq!(first.imports.len(), 1);
        assert_eq!(first.imports[0].sha256.len(), 64);

        // One bad line among 36: nothing stored, the line named with its reason.
        let spoiled = file.replace(&format!("{};05.2026;2050;", names[1]), &format!("{};05.2026;zwei;", names[1]));
        let spoiled = spoiled.replace(";1010;20200;", ";9999;20200;");
        let (status, rejected) = import(&app, &editor, concept, &spoiled, false).await;
        assert_eq!(status, 422, "{backend}: {rejected}");
        assert_eq!(rejected["outcome"], "rejected");
        assert_eq!(rejected["problems"].as_array().map(Vec::len), Some(1), "{backend}: {rejected}");
        assert_eq!(rejected["problems"][0]["line"], 1 + 12 + 5, "{backend}: the header, Mastodon's year, then May");
        assert_eq!(rejected["problems"][0]["column"], "Follower");
        assert_eq!(rejected["problems"][0]["problem"]["kind"], "bad_number");
        assert_eq!(year(&app, &editor, concept).await.values, first.values, "{backend}: nothing half-imported");

        // A correction by hand keeps the old value in the record.
        let path = format!("/api/documents/{concept}/metrics");
        let fix = json!({ "platform": platforms[0].id, "month": "2026-03", "source": "Nachgezählt im Dashboard",
                          "values": [["follower", 104_000]] });
        assert_eq!(post(&app, &member.token, &path, fix.clone()).await.0, 403, "{backend}");
        let (status, entered) = post(&app, &editor, &path, fix).await;
        assert_eq!((status, entered["changed"].as_u64()), (200, Some(1)), "{backend}: {entered}");
        let after = year(&app, &editor, concept).await;
        let march = after.value(&platforms[0].id, "follower", "2026-03".parse().expect("month")).expect("value");
        assert_eq!(
            (march.value.hundredths(), march.entries, march.source.as_str()),
            (104_000, 2, "Nachgezählt im Dashboard")
        );
        let record_path = format!("{path}/record?platform={}&metric=follower&month=2026-03", platforms[0].id);
        let (status, record) = get(&app, &member.token, &record_path).await;
        assert_eq!(status, 200, "{backend}: {record}");
        let record: Vec<CellEntry> = serde_json::from_value(record).expect("record");
        let values: Vec<Option<i64>> = record.iter().map(|e| e.value.map(|v| v.hundredths())).collect();
        assert_eq!(values, vec![Some(104_000), Some(103_000)], "{backend}: newest first, the old value kept");

        // The same file again changes only the corrected value; nothing else is stored twice.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await; // writes are paced per person
        let (_, again) = import(&app, &editor, concept, &file, true).await;
        assert_eq!(
            (again["changed"].as_u64(), again["unchanged"].as_u64()),
            (Some(1), Some(3 * 12 * 7 - 1)),
            "{backend}"
        );

        // Charts: SVG with the platforms named; unknown figures refused; outsiders find nothing.
        let chart = format!("{}/api/documents/{concept}/metrics/charts/follower.svg?year=2026", app.http());
        let res = reqwest::Client::new().get(&chart).bearer_auth(&member.token).send().await.expect("chart");
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/svg+xml");
        let svg = res.text().await.expect("svg");
        assert!(svg.starts_with("<svg") && svg.contains(names[0]) && svg.contains("Follower 2026"), "{backend}");
        let yoy = format!("{chart}&platform={}", platforms[1].id);
        let res = reqwest::Client::new().get(&yoy).bearer_auth(&member.token).send().await.expect("chart");
        assert!(res.text().await.expect("svg").contains("2025 / 2026"), "{backend}: the year beside the year before");
        let derived = format!("{}/api/documents/{concept}/metrics/charts/kosten_je_interaktion.svg", app.http());
        assert_eq!(reqwest::Client::new().get(&derived).bearer_auth(&editor).send().await.expect("c").status(), 200);
        let unknown = chart.replace("follower", "nonsense");
        assert_eq!(reqwest::Client::new().get(&unknown).bearer_auth(&editor).send().await.expect("c").status(), 400);
        assert_eq!(
            reqwest::Client::new().get(&chart).bearer_auth(&outsider.token).send().await.expect("c").status(),
            404
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn the_example_file_imports_and_oversized_or_hurried_files_are_refused() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let editor = app.editor_token.clone();
        let concept = create_doc(&app).await;
        let url = format!("{}/api/documents/{concept}/metrics/example.csv", app.http());
        let res = reqwest::Client::new().get(url).bearer_auth(&editor).send().await.expect("example");
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        let example = res.text().await.expect("text");
        let (status, ready) = import(&app, &editor, concept, &example, true).await;
        assert_eq!((status, ready["rows"].as_u64()), (200, Some(9)), "{backend}: {ready}");

        let huge = format!("Plattform;Monat;Quelle\n{}", "Mastodon;2026-01;x\n".repeat(30_000));
        let (status, refused) = import(&app, &editor, concept, &huge, true).await;
        assert_eq!(status, 422, "{backend}");
        assert_eq!(refused["problems"][0]["problem"]["kind"], "too_large");

        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let mut statuses = Vec::new();
        for _ in 0..8 {
            statuses.push(import(&app, &editor, concept, &example, true).await.0);
        }
        assert!(statuses.contains(&429), "{backend}: imports are paced per person: {statuses:?}");
        app.stop().await;
    }
}
