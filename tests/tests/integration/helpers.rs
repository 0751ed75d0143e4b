//! Shared steps of the integration tests.

use std::time::Duration;

use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::schema::{self, ConceptView, FieldPath, KEY_BODY};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use serde_json::{Value, json};

pub const WAIT: Duration = Duration::from_secs(15);

/// Creates a document from the built-in template over HTTP, as the editor.
pub async fn create_doc(app: &TestApp) -> DocumentId {
    let res = reqwest::Client::new()
        .post(format!("{}/api/documents", app.http()))
        .bearer_auth(&app.editor_token)
        .header("accept", "application/json")
        .form(&[("template", "social-media-konzept")])
        .send()
        .await
        .expect("create request");
    assert_eq!(res.status(), 201, "document created");
    let body: serde_json::Value = res.json().await.expect("json");
    body["id"].as_str().expect("id").parse().expect("document id")
}

/// Connects a client and waits until it holds the document.
pub async fn open(app: &TestApp, name: &str, id: DocumentId) -> SyncClient {
    let mut c = SyncClient::connect(&app.ws(), name).await.expect("connect");
    c.request(id).await.expect("request");
    c.wait_until(WAIT, |c| !c.doc(id).get_heads().is_empty()).await.expect("document arrives");
    c
}

/// A section's body in a concept (empty when the concept has no such section).
pub fn body_of(concept: &ConceptView, section: &str) -> String {
    concept.sections.iter().find(|s| s.id == section).map(|s| s.body.clone()).unwrap_or_default()
}

/// The concept as a client sees it.
pub fn view(c: &mut SyncClient, id: DocumentId) -> ConceptView {
    schema::read_concept(c.doc(id))
}

/// The document's heads as the server holds them, fetched by a fresh client.
pub async fn server_view(app: &TestApp, id: DocumentId) -> ConceptView {
    let mut c = open(app, "observer", id).await;
    // Let the sync finish: the observer is saved when it has everything the server advertised.
    c.wait_until(WAIT, |c| c.is_saved(id)).await.expect("observer synced");
    view(&mut c, id)
}

/// Whether a doc exists on the server (via a request answered with sync or doc-unavailable).
pub async fn exists(app: &TestApp, id: DocumentId) -> bool {
    use kompromiss_tests::client::Event;
    let mut c = SyncClient::connect(&app.ws(), "prober").await.expect("connect");
    c.request(id).await.expect("request");
    let answer = async {
        loop {
            match c.next_event(WAIT).await.expect("event") {
                Some(Event::Sync(_)) if !c.doc(id).get_heads().is_empty() => return true,
                Some(Event::Unavailable(_)) => return false,
                Some(Event::Error(message)) => panic!("the server refused the probe of {id}: {message}"),
                Some(Event::Closed) => panic!("the server closed the probe of {id} without an answer"),
                Some(_) => continue,
                None => panic!("no answer to a request"),
            }
        }
    };
    tokio::time::timeout(WAIT, answer).await.unwrap_or_else(|_| panic!("no verdict on {id} within {WAIT:?}"))
}

/// Reads events until the server closes the connection; returns the protocol error it sent before
/// closing. Fails (naming `what`) if the connection stays open or closes without an error.
pub async fn error_before_close(c: &mut SyncClient, what: &str) -> String {
    use kompromiss_tests::client::Event;
    let mut error = None;
    loop {
        match c.next_event(WAIT).await {
            Ok(Some(Event::Error(message))) => error = Some(message),
            Ok(Some(Event::Closed)) => {
                // Reading on must fail at once: a loop that goes on past the close cannot spin.
                assert!(c.next_event(WAIT).await.is_err(), "{what}: a closed connection reads as an error");
                break;
            }
            Err(_) => break,
            Ok(Some(_)) => continue,
            Ok(None) => panic!("{what}: connection stayed open"),
        }
    }
    error.unwrap_or_else(|| panic!("{what}: a protocol error precedes the close"))
}

/// The document list as the editor sees it.
pub async fn list_docs(app: &TestApp) -> Vec<serde_json::Value> {
    let res = reqwest::Client::new()
        .get(format!("{}/api/documents", app.http()))
        .bearer_auth(&app.editor_token)
        .send()
        .await
        .expect("list");
    assert_eq!(res.status(), 200, "list answered");
    res.json::<Vec<serde_json::Value>>().await.expect("json")
}

/// All integration tests share one process: the tests that measure its resident memory and the
/// tests that allocate tens of megabytes take turns through this lock.
pub static MEMORY_TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A REST call with a bearer token; the status and the JSON answer (a string if it is not JSON).
pub async fn api_call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", app.http())).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A REST `GET` with a bearer token.
pub async fn api_get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    api_call(app, token, reqwest::Method::GET, path, None).await
}

/// A REST `POST` of JSON with a bearer token.
pub async fn api_post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    api_call(app, token, reqwest::Method::POST, path, Some(body)).await
}

/// A `GET` with a bearer token, answered as status, content type and the raw body (files).
pub async fn api_bytes(app: &TestApp, token: &str, path: &str) -> (u16, String, Vec<u8>) {
    let res =
        reqwest::Client::new().get(format!("{}{path}", app.http())).bearer_auth(token).send().await.expect("request");
    let status = res.status().as_u16();
    let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, kind, res.bytes().await.map(|b| b.to_vec()).unwrap_or_default())
}

/// Someone with an account and a token.
pub struct Person {
    pub id: String,
    pub token: String,
}

/// A new person with a role (or none) and an API token.
pub async fn person(app: &TestApp, name: &str, role: Option<&str>) -> Person {
    use kompromiss_server::cli::admin::AdminCommand;
    let create = AdminCommand::CreateUser { name: name.into(), role: role.map(str::to_owned) };
    let id = app.admin(create).await.expect("user").trim().to_owned();
    let token = app.admin(AdminCommand::CreateToken { user: id.clone(), name: "test".into() }).await.expect("token");
    Person { id, token }
}

/// Starts a draft of `concept` as the token's person.
pub async fn start_draft(app: &TestApp, token: &str, concept: DocumentId, title: &str) -> DocumentId {
    let body = json!({ "title": title, "reason": "Weil wir dort unsere Zielgruppen nicht erreichen." });
    let (status, created) = api_post(app, token, &format!("/api/documents/{concept}/drafts"), body).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().expect("id").parse().expect("draft id")
}

/// Opens `id` as the token's person, makes an edit and says whether the server stored it (true)
/// or refused it (false).
pub async fn writes(app: &TestApp, token: &str, id: DocumentId, edit: impl FnOnce(&mut automerge::AutoCommit)) -> bool {
    let mut c = SyncClient::connect(&app.ws_as(token), "schreibende").await.expect("connect");
    c.request(id).await.expect("request");
    c.wait_until(WAIT, |c| !c.doc(id).get_heads().is_empty()).await.expect("document arrives");
    c.wait_until(WAIT, |c| c.is_saved(id)).await.expect("synced");
    c.edit(id, edit).await.expect("edit sent");
    let verdict = async {
        loop {
            if c.is_saved(id) {
                return true;
            }
            match c.next_event(WAIT).await {
                Ok(Some(Event::Error(_) | Event::Closed)) | Err(_) => return false,
                Ok(Some(_)) => continue,
                Ok(None) => panic!("no answer to an edit"),
            }
        }
    };
    tokio::time::timeout(WAIT, verdict).await.expect("a verdict")
}

/// An edit that sets a section's body.
pub fn set_body(id: &str, text: String) -> impl FnOnce(&mut automerge::AutoCommit) {
    let path = FieldPath::Section { id: id.to_owned(), field: KEY_BODY.into() };
    move |d| {
        schema::set_text(d, &path, &text).expect("edit");
    }
}
