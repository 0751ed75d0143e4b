//! `/metrics`: Prometheus text, readable only with the configured token or on its own address,
//! and its counters move with the traffic they count.

use std::time::Duration;

use kompromiss_server::Listeners;
use kompromiss_server::config::Config;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::SyncClient;
use kompromiss_tests::db::TestDb;
use kompromiss_tests::prometheus::{self, Scrape};

use automerge::ReadDoc;
use automerge::transaction::Transactable;
use kompromiss_shared::schema::{self, KEY_TITLE};

use super::helpers::{WAIT, create_doc, open};

const TOKEN: &str = "scrape-4b1d7e-9c20aa";

async fn get(url: &str, token: Option<&str>) -> (u16, String) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    (response.status().as_u16(), response.text().await.expect("body"))
}

async fn scrape(app: &TestApp) -> Scrape {
    let (status, body) = get(&format!("{}/metrics", app.http()), Some(TOKEN)).await;
    assert_eq!(status, 200, "{body}");
    prometheus::parse(&body).unwrap_or_else(|e| panic!("not Prometheus text: {e}\n{body}"))
}

fn with_token(db: &TestDb) -> Config {
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.meters = kompromiss_server::config::meters::MetersArgs::with_token(TOKEN);
    config
}

#[tokio::test]
async fn metrics_answer_only_with_the_token_or_on_their_own_address() {
    let db = TestDb::sqlite();
    // Neither configured: there is no such endpoint.
    let plain = TestApp::spawn(&db).await;
    assert_eq!(get(&format!("{}/metrics", plain.http()), None).await.0, 404);
    assert_eq!(get(&format!("{}/metrics", plain.http()), Some(&plain.editor_token)).await.0, 404);
    plain.stop().await;

    // A token: only its bearer reads; an API token or a session is no metrics token.
    let tokened = TestApp::spawn_with(with_token(&db)).await;
    let url = format!("{}/metrics", tokened.http());
    assert_eq!(get(&url, None).await.0, 401);
    assert_eq!(get(&url, Some("scrape-4b1d7e-9c20ab")).await.0, 401);
    assert_eq!(get(&url, Some(&tokened.editor_token)).await.0, 401);
    let (status, body) = get(&url, Some(TOKEN)).await;
    assert_eq!(status, 200);
    prometheus::parse(&body).expect("Prometheus text");
    tokened.stop().await;

    // Their own address, no token: served there (to whoever reaches it), not on the main address.
    let meters = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let meters_url = format!("http://{}/metrics", meters.local_addr().expect("addr"));
    let app = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let own =
        TestApp::spawn_listening(Config::for_tests(db.url(), db.data_dir()), Listeners { app, meters: Some(meters) })
            .await;
    assert_eq!(get(&format!("{}/metrics", own.http()), None).await.0, 404);
    let (status, body) = get(&meters_url, None).await;
    assert_eq!(status, 200);
    prometheus::parse(&body).expect("Prometheus text");
    let elsewhere = meters_url.replace("/metrics", "/api/documents");
    assert_eq!(get(&elsewhere, Some(&own.editor_token)).await.0, 404, "the metrics address serves nothing else");
    own.stop().await;
}

#[tokio::test]
async fn metrics_count_connections_messages_changes_refusals_and_sign_in_failures() {
    for db in TestDb::all().await {
        let mut config = with_token(&db);
        config.max_connections = 3;
        // An issuer that never answers: sign-in is configured, so a callback without a sign-in
        // in progress is a failed sign-in.
        config.auth.oidc_issuer = Some("http://127.0.0.1:9/".into());
        config.auth.oidc_client_id = Some("kompromiss".into());
        config.auth.dev_login = Some(false);
        let app = TestApp::spawn_with(config).await;
        let before = scrape(&app).await;
        assert_eq!(before.value("kompromiss_sync_connections", &[("signed_in", "true")]), Some(0.0));

        let id = create_doc(&app).await;
        let mut anna = open(&app, "anna", id).await;
        let mut ben = open(&app, "ben", id).await;
        anna.edit(id, |d| {
            let title = schema::child(d, &automerge::ROOT, KEY_TITLE).expect("title is text");
            d.splice_text(&title, 0, 0, "Mastodon zuerst: ").expect("insert");
        })
        .await
        .expect("edit");
        anna.wait_until(WAIT, |c| c.is_saved(id)).await.expect("saved");
        let title_of = |c: &mut SyncClient| {
            let doc = c.doc(id);
            schema::child(doc, &automerge::ROOT, KEY_TITLE).and_then(|t| doc.text(&t).ok()).unwrap_or_default()
        };
        ben.wait_until(WAIT, |c| title_of(c).starts_with("Mastodon zuerst")).await.expect("ben sees it");
        let during = scrape(&app).await;
        assert_eq!(during.value("kompromiss_sync_connections", &[("signed_in", "true")]), Some(2.0));
        assert_eq!(during.value("kompromiss_sync_connections", &[("signed_in", "false")]), Some(0.0));
        assert!(during.value("kompromiss_open_documents", &[]) >= Some(1.0));
        let moved = |name: &str, labels: &[(&str, &str)]| {
            during.value(name, labels).unwrap_or(0.0) - before.value(name, labels).unwrap_or(0.0)
        };
        assert!(moved("kompromiss_sync_messages_total", &[("kind", "join")]) >= 2.0);
        assert!(moved("kompromiss_sync_messages_total", &[("kind", "sync")]) >= 1.0);
        assert!(moved("kompromiss_changes_total", &[("source", "stored")]) >= 1.0);
        assert!(moved("kompromiss_storage_write_seconds_count", &[]) >= 1.0);
        assert!(moved("kompromiss_fanout_seconds_count", &[]) >= 1.0);

        // The third connection fills the cap; a fourth is refused for want of a slot.
        let third = SyncClient::connect(&app.ws(), "carla").await.expect("third connects");
        assert!(SyncClient::connect(&app.ws(), "dora").await.is_err(), "no slot left");
        drop(third);
        // A malformed frame closes the connection with a reason.
        ben.send_raw(vec![0xff, 0x00, 0x13]).await.expect("send");
        let _ = ben.next_event(Duration::from_secs(5)).await;
        // A sign-in callback that belongs to no sign-in in progress.
        let (status, _) = get(&format!("{}/auth/callback?code=x&state=y", app.http()), None).await;
        assert!(status < 500, "a failed sign-in page, got {status}");

        let after = tokio::time::timeout(WAIT, async {
            loop {
                let now = scrape(&app).await;
                if now.value("kompromiss_sync_closed_total", &[("reason", "malformed")]) == Some(1.0) {
                    return now;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the malformed frame's close is counted");
        assert_eq!(after.value("kompromiss_sync_slots_refused_total", &[("reason", "full")]), Some(1.0));
        assert_eq!(after.value("kompromiss_sign_in_failures_total", &[("reason", "no_sign_in_pending")]), Some(1.0));
        let resident = after.value("process_resident_memory_bytes", &[]).expect("resident memory");
        assert!(resident > 1e6, "{resident}");
        drop((anna, ben));
        app.stop().await;
    }
}
