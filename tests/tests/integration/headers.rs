//! Security headers on every page and answer; the page's scripts carry the policy's nonce.

use kompromiss_server::config::Config;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;

use super::helpers::create_doc;

#[tokio::test]
async fn every_page_and_answer_carries_the_security_headers_and_scripts_carry_the_nonce() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let id = create_doc(&app).await;
    let cookie = app.dev_cookie("Admina", "admin").await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let paths = [
        "/".to_owned(),
        "/anmelden".into(),
        "/konto".into(),
        "/admin".into(),
        "/admin/protokoll".into(),
        format!("/d/{id}"),
        format!("/d/{id}/freigaben"),
        "/api/documents".into(),
        "/healthz".into(),
        "/gibt-es-nicht".into(),
        "/pkg/client.js".into(),
    ];
    let mut nonces = Vec::new();
    for path in &paths {
        let response =
            client.get(format!("{}{path}", app.http())).header("cookie", &cookie).send().await.expect("answer");
        let headers = response.headers().clone();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let csp = header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self' 'nonce-"), "{path}: {csp}");
        assert!(!csp.split(';').any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")), "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
        assert!(header("strict-transport-security").is_empty(), "{path}: no HSTS on http");
        let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("nonce").to_owned();
        let is_page = header("content-type").starts_with("text/html") && response.status() == 200;
        let body = response.text().await.expect("body");
        if is_page {
            assert!(body.contains(&format!("nonce=\"{nonce}\"")), "{path}: the hydration script carries the nonce");
            for script in body.split("<script").skip(1) {
                let tag = script.split('>').next().unwrap_or_default();
                assert!(tag.contains(&format!("nonce=\"{nonce}\"")) || tag.contains("src="), "{path}: <script{tag}>");
            }
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), paths.len(), "a fresh nonce for every response");
    app.stop().await;

    // Behind https: HSTS too.
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.public_url = Some("https://kompromiss.example".into());
    let app = TestApp::spawn_with(config).await;
    let response = reqwest::get(format!("{}/healthz", app.http())).await.expect("answer");
    assert!(response.headers().contains_key("strict-transport-security"));
    app.stop().await;
    db.cleanup().await;
}
