//! Revoking a grant, a role or a token reaches open sync connections within seconds.

use std::time::{Duration, Instant};

use automerge::AutoCommit;
use kompromiss_server::cli::admin::AdminCommand;
use kompromiss_shared::schema::{self, FieldPath};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use kompromiss_tests::db::TestDb;
use serde_json::Value;

use super::server_fns::{server_fn, server_fn_suffix};
use super::sync::Outcome::{Arrives, Unavailable};
use super::sync::{hold, settle};
use crate::helpers::{WAIT, create_doc, open};

/// How fast a revocation must reach an open connection.
const REVOCATION_DEADLINE: Duration = Duration::from_secs(3);

pub(super) async fn revocation(db: &TestDb) {
    let backend = db.backend();
    let app = TestApp::spawn(db).await;
    let http = reqwest::Client::new();
    let admin_cookie = app.dev_cookie("Revokation Admin", "admin").await;
    let reader_id = app.admin(AdminCommand::CreateUser { name: "Lesende".into(), role: None }).await.expect("user");
    let reader_token =
        app.admin(AdminCommand::CreateToken { user: reader_id.clone(), name: "lesen".into() }).await.expect("token");
    let id = create_doc(&app).await;
    let admin_page = http.get(format!("{}/admin", app.http())).header("cookie", &admin_cookie).send().await;
    let suffix = server_fn_suffix(&admin_page.expect("admin page").text().await.expect("html"));
    let set_grant = |level: &str| {
        let args = format!("doc={id}&kind=user&name={reader_id}&level={level}");
        let req = server_fn(&http, &app, &suffix, "set_grant", &args).header("cookie", &admin_cookie);
        async move { req.send().await.expect("set_grant").status() }
    };
    assert_eq!(set_grant("read").await, 200, "{backend}: grant read");

    // The reader holds the document and gets live edits.
    let mut reader = hold(&app, &reader_token, id).await;
    let mut editor = open(&app, "editor", id).await;
    let retitle = |t: &'static str| {
        move |d: &mut AutoCommit| {
            schema::set_text(d, &FieldPath::Title, t).expect("edit");
        }
    };
    editor.edit(id, retitle("Vor dem Entzug")).await.expect("edit");
    reader.wait_until(WAIT, |c| schema::read_concept(c.doc(id)).title == "Vor dem Entzug").await.expect("live edit");

    // The admin removes the grant: within seconds the document looks missing on the open connection.
    assert_eq!(set_grant("").await, 200, "{backend}: remove the grant");
    let start = Instant::now();
    let gone = wait_for(&mut reader, REVOCATION_DEADLINE, |e| matches!(e, Event::Unavailable(d) if *d == id)).await;
    assert!(gone.is_some(), "{backend}: no doc-unavailable within {REVOCATION_DEADLINE:?} of the revocation");
    eprintln!("{backend}: grant revocation reached the connection after {:?}", start.elapsed());

    // A later edit does not reach the reader; a witness shows it went out to those still allowed.
    let mut witness = open(&app, "witness", id).await;
    editor.edit(id, retitle("Nach dem Entzug")).await.expect("edit");
    witness.wait_until(WAIT, |c| schema::read_concept(c.doc(id)).title == "Nach dem Entzug").await.expect("witness");
    let leaked = wait_for(&mut reader, Duration::from_millis(500), |e| matches!(e, Event::Sync(d) if *d == id)).await;
    assert!(leaked.is_none(), "{backend}: the reader still got sync traffic: {leaked:?}");
    assert_ne!(schema::read_concept(reader.doc(id)).title, "Nach dem Entzug", "{backend}: edit leaked");
    reader.request(id).await.expect("request again");
    let answer = settle(&mut reader, id, |c| !c.doc(id).get_heads().is_empty(), Arrives).await;
    assert_eq!(answer, Ok(Unavailable), "{backend}: a fresh request after the revocation");
    let rest = http.get(format!("{}/api/documents/{id}", app.http())).bearer_auth(&reader_token).send().await;
    assert_eq!(rest.expect("get").status(), 404, "{backend}: REST after the revocation");

    // Taking away an editor's only role detaches the document from their open connection.
    let editor_id = app.admin(AdminCommand::CreateUser { name: "Abgesetzt".into(), role: Some("editor".into()) });
    let editor_id = editor_id.await.expect("user");
    let demoted_token =
        app.admin(AdminCommand::CreateToken { user: editor_id.clone(), name: "t".into() }).await.expect("token");
    let mut demoted = hold(&app, &demoted_token, id).await;
    let args = format!("user_id={editor_id}&role=editor&change=revoke");
    let revoke = server_fn(&http, &app, &suffix, "set_user_role", &args).header("cookie", &admin_cookie).send();
    assert_eq!(revoke.await.expect("set_user_role").status(), 200, "{backend}: revoke the role");
    let gone = wait_for(&mut demoted, REVOCATION_DEADLINE, |e| matches!(e, Event::Unavailable(d) if *d == id)).await;
    assert!(gone.is_some(), "{backend}: no doc-unavailable within {REVOCATION_DEADLINE:?} of taking the role");

    // Revoking the API token closes the connection that it opened.
    let member_token = app.token_for("Mitglied mit Token", Some("member")).await;
    let mut member = hold(&app, &member_token, id).await;
    let account =
        server_fn(&http, &app, &suffix, "get_account", "").bearer_auth(&member_token).send().await.expect("account");
    let account: Value = account.json().await.expect("json");
    let token_id = account["tokens"][0]["id"].as_str().expect("token id").to_owned();
    app.admin(AdminCommand::RevokeToken { id: token_id }).await.expect("revoke token");
    let start = Instant::now();
    let closed = wait_for(&mut member, REVOCATION_DEADLINE, |e| matches!(e, Event::Error(_) | Event::Closed)).await;
    assert!(
        closed.is_some(),
        "{backend}: the connection stayed open {REVOCATION_DEADLINE:?} after the token was revoked"
    );
    eprintln!("{backend}: token revocation closed the connection after {:?}", start.elapsed());
    let list = http.get(format!("{}/api/documents", app.http())).bearer_auth(&member_token).send().await.expect("list");
    assert_eq!(list.status(), 401, "{backend}: a revoked token is not accepted");
    app.stop().await;
}

/// Pumps events until one matches (returned), the connection ends, or the time is up (`None`).
async fn wait_for(c: &mut SyncClient, within: Duration, wanted: impl Fn(&Event) -> bool) -> Option<Event> {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = match c.next_event(left).await {
            Ok(Some(event)) => event,
            Ok(None) => return None,
            Err(_) => Event::Closed,
        };
        if wanted(&event) {
            return Some(event);
        }
        if matches!(event, Event::Closed) {
            return None;
        }
    }
}
