//! HTTP surface: health, readiness, document list, pages, and the origin check.

use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;

use super::helpers::{create_doc, list_docs};

#[tokio::test]
async fn health_readiness_and_the_document_list_answer() {
    for db in TestDb::all().await {
        let app = TestApp::spawn(&db).await;
        assert_eq!(reqwest::get(format!("{}/healthz", app.http())).await.expect("healthz").status(), 200);
        assert_eq!(reqwest::get(format!("{}/readyz", app.http())).await.expect("readyz").status(), 200);
        let id = create_doc(&app).await;
        let list = list_docs(&app).await;
        assert_eq!(list[0]["id"], id.to_string());
        assert_eq!(list[0]["title"], "Social-Media-Konzept des Landesverbandes");
        let cookie = app.dev_cookie("Anna", "member").await;
        let page = reqwest::Client::new()
            .get(format!("{}/d/{id}", app.http()))
            .header("cookie", cookie)
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("Umgang mit Hass und Desinformation"), "server-rendered sections");
        assert!(html.contains("Entwicklungs-Anmeldung aktiv"), "development sign-in announced");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn cross_site_posts_and_websocket_upgrades_are_refused() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let res = reqwest::Client::new()
        .post(format!("{}/api/documents", app.http()))
        .bearer_auth(&app.editor_token)
        .header("origin", "http://evil.example")
        .form(&[("template", "social-media-konzept")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert!(list_docs(&app).await.is_empty(), "nothing was created");

    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = app.ws().into_client_request().expect("request");
    req.headers_mut().insert("origin", "http://evil.example".parse().expect("header"));
    assert!(tokio_tungstenite::connect_async(req).await.is_err(), "foreign origin upgrade refused");
    let mut req = app.ws().into_client_request().expect("request");
    req.headers_mut().insert("origin", app.http().parse().expect("header"));
    assert!(tokio_tungstenite::connect_async(req).await.is_ok(), "own origin upgrade accepted");
    let _ = create_doc(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn the_development_sign_in_sets_an_http_only_same_site_cookie_and_logout_ends_the_session() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let res = client
        .post(format!("{}/auth/dev-login", app.http()))
        .form(&[("display_name", "Anna Beispiel")])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 303);
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let pair = cookie.split(';').next().expect("pair").to_owned();
    let page = client.get(format!("{}/", app.http())).header("cookie", &pair).send().await.expect("page");
    assert!(page.text().await.expect("html").contains("Anna Beispiel"));
    let out = client.post(format!("{}/auth/logout", app.http())).header("cookie", &pair).send().await.expect("logout");
    assert_eq!(out.status(), 303);
    let page = client.get(format!("{}/", app.http())).header("cookie", &pair).send().await.expect("page");
    assert!(!page.text().await.expect("html").contains("Anna Beispiel"), "session ended server-side");
    let bad = client
        .post(format!("{}/auth/dev-login", app.http()))
        .form(&[("display_name", "  ")])
        .send()
        .await
        .expect("post");
    assert_eq!(bad.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn pages_are_german_by_default_and_the_switch_makes_them_english() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let session = app.dev_cookie("Anna", "member").await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let overview = |cookie: String| {
        let request = http.get(format!("{}/", app.http())).header("cookie", cookie);
        async move { request.send().await.expect("page").text().await.expect("html") }
    };
    let german = overview(session.clone()).await;
    assert!(german.contains(">Konzepte</h1>") && !german.contains(">Concepts</h1>"), "German first");

    let switch = http
        .get(format!("{}/sprache/en", app.http()))
        .header("referer", format!("{}/", app.http()))
        .send()
        .await
        .expect("switch");
    assert_eq!(switch.status(), 303);
    assert_eq!(switch.headers()["location"], "/", "back to the page the switch was clicked on");
    let lang = switch.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_owned();
    assert_eq!(lang, "lang=en");
    let english = overview(format!("{session}; {lang}")).await;
    assert!(english.contains(">Concepts</h1>") && !english.contains(">Konzepte</h1>"), "English after the switch");
    app.stop().await;
}

#[tokio::test]
async fn readiness_reports_a_database_that_stops_answering_and_recovers() {
    use sqlx::Connection;
    use std::time::{Duration, Instant};
    let Some(db) = TestDb::postgres().await else { return };
    let TestDb::Postgres { name, .. } = &db else { unreachable!("a PostgreSQL database") };
    let app = TestApp::spawn(&db).await;
    let readyz = || async { reqwest::get(format!("{}/readyz", app.http())).await.expect("readyz") };
    assert_eq!(readyz().await.status(), 200);

    let mut admin = sqlx::PgConnection::connect(&kompromiss_tests::db::postgres_base_url()).await.expect("admin");
    let run = |sql: String| sqlx::query(sqlx::AssertSqlSafe(sql));
    run(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).execute(&mut admin).await.expect("lock out");
    run(format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        .execute(&mut admin)
        .await
        .expect("end the server's connections");
    let asked = Instant::now();
    let down = readyz().await;
    assert_eq!(down.status(), 503, "not ready without its database");
    assert!(asked.elapsed() < Duration::from_secs(5), "answers promptly: {:?}", asked.elapsed());
    assert_eq!(down.text().await.expect("body"), "database unavailable");
    assert_eq!(reqwest::get(format!("{}/healthz", app.http())).await.expect("healthz").status(), 200, "still alive");

    run(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).execute(&mut admin).await.expect("let in");
    let until = Instant::now() + Duration::from_secs(20);
    while readyz().await.status() != 200 {
        assert!(Instant::now() < until, "ready again once the database answers");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    admin.close().await.expect("close");
    app.stop().await;
    db.cleanup().await;
}

/// Leptos raises a process-wide "load no data" flag while it generates a router's page routes
/// (leptos-rs/leptos#4773): a page that started rendering in another server of the same process at
/// that moment never finished (a hung test in CI). Servers starting beside a busy one must not stall
/// its pages.
#[tokio::test]
async fn pages_finish_while_other_servers_start_in_the_same_process() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    const OTHER_SERVERS: usize = 300;
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let session = app.dev_cookie("Ada", "admin").await;
    let started = Arc::new(AtomicUsize::new(0));
    let starter = std::thread::spawn({
        let started = started.clone();
        move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                for _ in 0..OTHER_SERVERS {
                    let other = TestDb::sqlite();
                    TestApp::spawn(&other).await.stop().await;
                    started.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let mut pages = 0;
    while started.load(Ordering::Relaxed) < OTHER_SERVERS {
        let page = http.get(format!("{}/admin/protokoll", app.http())).header("cookie", &session).send().await;
        let page = page.expect("page answered");
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap_or_else(|e| panic!("page {pages} stopped rendering: {e}"));
        assert!(html.contains("data-testid=\"audit-filter\""), "page {pages} shows the audit log");
        pages += 1;
    }
    starter.join().expect("the other servers started and stopped");
    assert!(pages >= OTHER_SERVERS, "pages were rendered while the other servers started ({pages})");
    app.stop().await;
}

#[tokio::test]
async fn the_audit_log_filter_offers_exactly_the_audit_actions_and_filters_by_them() {
    use kompromiss_shared::audit::AuditAction;

    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let admin = app.dev_cookie("Ada", "admin").await;
    let page = |query: &'static str| {
        let (url, cookie) = (format!("{}/admin/protokoll{query}", app.http()), admin.clone());
        async move {
            let res = reqwest::Client::new().get(url).header("cookie", cookie).send().await.expect("audit page");
            (res.status().as_u16(), res.text().await.expect("html"))
        }
    };
    let (status, html) = page("").await;
    assert_eq!(status, 200);
    let select = &html[html.find(r#"name="action""#).expect("the action filter")..];
    let select = &select[..select.find("</select>").expect("end of the filter")];
    let offered: Vec<&str> = select
        .split(r#"<option value=""#)
        .skip(1)
        .filter_map(|option| option.split('"').next())
        .filter(|value| !value.is_empty())
        .collect();
    let actions: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
    assert_eq!(offered, actions, "one option per action, in order, and nothing else");

    // Each dev sign-in is recorded; filtering by an action shows only its rows.
    let (_, signed_in) = page("?action=sign-in").await;
    assert!(signed_in.contains(r#"data-action="sign-in""#), "the admin's own sign-in is listed");
    assert!(!signed_in.contains(r#"data-action="token-created""#), "other actions are filtered out");
    let (status, _) = page("?action=no-such-action").await;
    assert_eq!(status, 400, "an unknown action is a bad request, not an empty page");
    app.stop().await;
}
