//! Sign-in through a real OpenID Connect provider: the code flow, its refusals, sessions and logout.

use kompromiss_server::auth::oidc::{Oidc, OidcError};
use kompromiss_server::auth::settings::OidcSettings;
use kompromiss_server::config::Config;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use kompromiss_tests::oidc::TestProvider;
use reqwest::redirect::Policy;

/// A server configured for the provider, and the provider.
struct Setup {
    app: TestApp,
    provider: TestProvider,
    keys: tempfile::TempDir,
}

async fn setup(db: &TestDb) -> Setup {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let keys = tempfile::tempdir().expect("keys dir");
    let provider = TestProvider::start(
        &[format!("{base}/auth/callback")],
        &[format!("{base}/")],
        Some(&keys.path().join("jwks.json")),
    )
    .await
    .expect("provider");
    let mut config = Config::for_tests(db.url(), db.data_dir());
    config.public_url = Some(base);
    config.auth.oidc_issuer = Some(provider.issuer.clone());
    config.auth.oidc_client_id = Some(provider.client_id.clone());
    config.auth.oidc_client_secret = Some(provider.client_secret.clone().into());
    config.auth.admins = "admin".into();
    let app = TestApp::spawn_on(config, listener).await;
    Setup { app, provider, keys }
}

/// A browser-like client: a cookie jar, redirects not followed.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client")
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("kompromiss_session=") && !c.starts_with("kompromiss_session=;"))
        .map(str::to_owned)
}

/// Starts a sign-in; returns the provider URL the server sent the browser to.
async fn start_login(app: &TestApp, http: &reqwest::Client, next: &str) -> String {
    let res = http.get(format!("{}/auth/login?next={next}", app.http())).send().await.expect("login");
    assert_eq!(res.status(), 303, "sign-in starts with a redirect");
    location(&res)
}

/// Follows the callback the provider redirected to; returns the response.
async fn callback(http: &reqwest::Client, url: &str) -> reqwest::Response {
    http.get(url).send().await.expect("callback")
}

/// Whether a cookie (name=value) is a live session: `/` answers 200 rather than redirecting.
async fn live(app: &TestApp, cookie: &str) -> bool {
    let res = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client")
        .get(format!("{}/", app.http()))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page");
    res.status() == 200
}

fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().expect("name=value").to_owned()
}

fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = reqwest::Url::parse(url).expect("url");
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| if k == name { (k.into_owned(), value.to_owned()) } else { (k.into_owned(), v.into_owned()) })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

async fn audit_count(app: &TestApp, action: &str) -> usize {
    let db = app.config.db.connect().await.expect("db");
    let query = kompromiss_shared::dto::audit::AuditQuery {
        action: kompromiss_shared::audit::AuditAction::parse(action),
        ..Default::default()
    };
    let n = kompromiss_server::db::audit::list(&db, &query).await.expect("audit").len();
    db.close().await;
    n
}

#[tokio::test]
async fn a_member_signs_in_with_the_code_flow_gets_a_rotated_http_only_session_and_logs_out_at_the_provider() {
    for db in TestDb::all().await {
        let Setup { app, provider, keys: _keys } = setup(&db).await;
        let http = browser();
        let auth_url = start_login(&app, &http, "/konto").await;
        assert!(auth_url.starts_with(&provider.issuer), "sent to the provider: {auth_url}");
        for param in ["code_challenge=", "code_challenge_method=S256", "state=", "nonce="] {
            assert!(auth_url.contains(param), "authorization request carries {param}");
        }
        let back = provider.sign_in(&http, &auth_url, "member").await.expect("provider sign-in");
        let res = callback(&http, back.as_str()).await;
        assert_eq!(res.status(), 303, "{}", db.backend());
        assert_eq!(location(&res), "/konto", "back where the person wanted to go");
        let first = session_cookie(&res).expect("session cookie set");
        assert!(first.contains("HttpOnly") && first.contains("SameSite=Lax"), "{first}");
        assert!(!first.contains("Secure"), "no Secure flag over http");
        let page = http.get(format!("{}/konto", app.http())).send().await.expect("account page");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("Mia Mitglied") && html.contains("mitglieder"), "name and groups from the claims");

        // Signing in again (the provider remembers the person) rotates the session.
        let again = start_login(&app, &http, "/").await;
        let back = provider.sign_in(&http, &again, "member").await.expect("second sign-in");
        let res = callback(&http, back.as_str()).await;
        let second = session_cookie(&res).expect("new session cookie");
        assert_ne!(pair(&first), pair(&second), "a new token at every sign-in");
        assert!(!live(&app, &pair(&first)).await, "the old session ended (no fixation)");
        assert!(live(&app, &pair(&second)).await);
        assert_eq!(audit_count(&app, "sign-in").await, 2);

        // Logout ends the session here and sends the browser to the provider's end-session endpoint.
        let res = http.post(format!("{}/auth/logout", app.http())).send().await.expect("logout");
        assert_eq!(res.status(), 303);
        let to = location(&res);
        assert!(to.starts_with(&provider.issuer) && to.contains("id_token_hint="), "RP-initiated logout: {to}");
        assert!(to.contains("post_logout_redirect_uri="), "{to}");
        assert!(!live(&app, &pair(&second)).await, "logout invalidated the session server-side");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn tampered_state_wrong_nonce_and_a_replayed_code_are_rejected_without_a_session() {
    for db in TestDb::all().await {
        let Setup { app, provider, keys: _keys } = setup(&db).await;
        let refused = |res: &reqwest::Response| {
            res.status() == 303
                && location(res).starts_with("/anmelden?fehler=anmeldung-fehlgeschlagen")
                && session_cookie(res).is_none()
        };

        // Tampered state: the provider returns what it was given; we refuse it.
        let http = browser();
        let url = start_login(&app, &http, "/").await;
        let back = provider.sign_in(&http, &with_param(&url, "state", "manipuliert"), "editor").await.expect("sign-in");
        assert!(refused(&callback(&http, back.as_str()).await), "tampered state refused ({})", db.backend());

        // Wrong nonce: the ID token names another nonce than this browser's sign-in.
        let http = browser();
        let url = start_login(&app, &http, "/").await;
        let back =
            provider.sign_in(&http, &with_param(&url, "nonce", "fremde-nonce"), "editor").await.expect("sign-in");
        assert!(refused(&callback(&http, back.as_str()).await), "wrong nonce refused");

        // Replayed code: the first use signs in; the same callback again is refused, and so is
        // the old code presented with a fresh sign-in's state.
        let http = browser();
        let url = start_login(&app, &http, "/").await;
        let back = provider.sign_in(&http, &url, "editor").await.expect("sign-in");
        let ok = callback(&http, back.as_str()).await;
        assert!(session_cookie(&ok).is_some(), "the first use works");
        assert!(refused(&callback(&http, back.as_str()).await), "the same callback twice is refused");
        let fresh = start_login(&app, &http, "/").await;
        let fresh_state = reqwest::Url::parse(&fresh)
            .expect("url")
            .query_pairs()
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.into_owned())
            .expect("state");
        let replay = with_param(back.as_str(), "state", &fresh_state);
        assert!(refused(&callback(&http, &replay).await), "an old code with a fresh state is refused by the provider");
        assert_eq!(audit_count(&app, "sign-in-failed").await, 4);
        assert_eq!(audit_count(&app, "sign-in").await, 1);
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_id_token_from_another_issuer_with_the_same_keys_is_rejected() {
    let db = TestDb::sqlite();
    let Setup { app, provider, keys } = setup(&db).await;
    let other =
        TestProvider::start(&[format!("{}/auth/callback", app.http())], &[], Some(&keys.path().join("jwks.json")))
            .await
            .expect("second provider with the same keys");
    let settings = OidcSettings {
        issuer: provider.issuer.clone(),
        client_id: provider.client_id.clone(),
        client_secret: Some(provider.client_secret.clone().into()),
        scopes: vec!["openid".into()],
    };
    let rp = Oidc::new(settings, &app.http()).expect("relying party");
    rp.discover().await.expect("discovery");
    let redirect = format!("{}/auth/callback", app.http());
    let ours = provider.id_token_for("editor", &redirect, "n-1").await.expect("token from our provider");
    let verified = rp.verify_raw(&ours, "n-1", "groups").await.expect("our provider's token verifies");
    assert_eq!(verified.groups, vec!["lag-digitales".to_owned()]);
    assert!(matches!(rp.verify_raw(&ours, "n-2", "groups").await, Err(OidcError::Verify(e)) if e.contains("nonce")));
    let foreign = other.id_token_for("editor", &redirect, "n-1").await.expect("token from the other issuer");
    let err = rp.verify_raw(&foreign, "n-1", "groups").await.expect_err("another issuer is refused");
    assert!(matches!(&err, OidcError::Verify(e) if e.to_lowercase().contains("issuer")), "{err}");
    app.stop().await;
}

#[tokio::test]
async fn an_expired_session_sends_the_person_to_the_sign_in_and_the_development_sign_in_is_off() {
    for db in TestDb::all().await {
        expired_session_case(&db).await;
        db.cleanup().await;
    }
}

async fn expired_session_case(db: &TestDb) {
    let Setup { app, provider, keys: _keys } = setup(db).await;
    let http = browser();
    let url = start_login(&app, &http, "/").await;
    let back = provider.sign_in(&http, &url, "editor").await.expect("sign-in");
    let cookie = pair(&session_cookie(&callback(&http, back.as_str()).await).expect("session"));
    assert!(live(&app, &cookie).await);
    // Idle expiry: the last activity lies further back than the idle limit.
    let pool = app.config.db.connect().await.expect("db");
    const AGE: &str = "UPDATE sessions SET last_seen_at = 0";
    match &pool {
        kompromiss_server::db::Db::Sqlite(p) => sqlx::query(AGE).execute(p).await.map(|_| ()),
        kompromiss_server::db::Db::Postgres(p) => sqlx::query(AGE).execute(p).await.map(|_| ()),
    }
    .expect("age the session");
    pool.close().await;
    let res = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client")
        .get(format!("{}/d/abc", app.http()))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/anmelden?next=%2Fd%2Fabc&fehler=abgelaufen");
    assert!(!live(&app, &cookie).await, "the expired session is gone");
    let dev = http
        .post(format!("{}/auth/dev-login", app.http()))
        .form(&[("display_name", "Eve"), ("role", "admin")])
        .send()
        .await
        .expect("dev sign-in");
    assert_eq!(dev.status(), 404, "no development sign-in when an issuer is configured");
    app.stop().await;
}
