//! Self-test of the OpenID test provider harness: ID token claims, unknown logins, shared keys.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kompromiss_tests::oidc::TestProvider;
use serde_json::{Value, json};

const CALLBACK: &str = "http://127.0.0.1:9/auth/callback";

/// The payload of a JWT, unverified.
fn jwt_payload(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("JWT has a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// The key ids the provider publishes.
async fn published_key_ids(provider: &TestProvider) -> Vec<String> {
    let http = reqwest::Client::new();
    let discovery: Value =
        http.get(provider.discovery_url()).send().await.expect("discovery").json().await.expect("JSON");
    let jwks_uri = discovery["jwks_uri"].as_str().expect("jwks_uri");
    let jwks: Value = http.get(jwks_uri).send().await.expect("JWKS").json().await.expect("JSON");
    let keys = jwks["keys"].as_array().expect("keys");
    keys.iter().map(|k| k["kid"].as_str().expect("kid").to_owned()).collect()
}

#[tokio::test]
async fn the_test_provider_issues_id_tokens_with_groups_and_shares_keys_through_a_file() {
    let keys_dir = tempfile::tempdir().expect("temp dir");
    let keys_file = keys_dir.path().join("jwks.json");
    let provider = TestProvider::start(&[CALLBACK.to_owned()], &[], Some(&keys_file)).await.expect("provider starts");

    let token = provider.id_token_for("member", CALLBACK, "n-123").await.expect("ID token");
    let claims = jwt_payload(&token);
    assert_eq!(claims["iss"], provider.issuer.as_str());
    assert!(provider.issuer.starts_with("http://127.0.0.1:"), "issuer {}", provider.issuer);
    assert_eq!(claims["nonce"], "n-123");
    assert_eq!(claims["sub"], "member");
    assert_eq!(claims["groups"], json!(["mitglieder"]));
    assert_eq!(claims["email"], "mia@example.org");
    assert_eq!(claims["aud"], provider.client_id.as_str());

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    let authorize = format!(
        "{}/auth?response_type=code&client_id={}&redirect_uri={CALLBACK}&scope=openid\
         &state=s&nonce=n&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
         &code_challenge_method=S256",
        provider.issuer, provider.client_id
    );
    let unknown = provider.sign_in(&http, &authorize, "nobody").await.expect_err("unknown login refused");
    assert!(unknown.to_string().contains("rejected login"), "refused at the login form: {unknown:#}");

    let twin =
        TestProvider::start(&[CALLBACK.to_owned()], &[], Some(&keys_file)).await.expect("second provider starts");
    assert_ne!(twin.issuer, provider.issuer);
    let keys = published_key_ids(&provider).await;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys, published_key_ids(&twin).await, "both providers sign with the same key");
}
