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
