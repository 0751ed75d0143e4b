//! Sync tickets: issued for an API token, open `/sync` once, expire within seconds.

use automerge::ROOT;
use automerge::transaction::Transactable;
use kompromiss_server::auth::secret;
use kompromiss_server::db::{Db, now_millis, sync_tickets};
use kompromiss_shared::dto::sync_ticket::SyncTicket;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use kompromiss_tests::db::TestDb;

use super::helpers::{WAIT, create_doc};

async fn ticket(app: &TestApp, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/sync-tickets", app.http()))
        .bearer_auth(token)
        .send()
        .await
        .expect("ticket request")
}

/// What a connection with `ticket` gets when it asks for `id`: the document, or not.
async fn opens(app: &TestApp, ticket: &str, id: kompromiss_shared::ids::DocumentId) -> bool {
    let url = format!("ws://{}/sync?ticket={ticket}", app.addr);
    let mut c = SyncClient::connect(&url, "skript").await.expect("connect");
    c.request(id).await.expect("request");
    loop {
        match c.next_event(WAIT).await.expect("event") {
            Some(Event::Sync(_)) if !c.doc(id).get_heads().is_empty() => return true,
            Some(Event::Unavailable(_)) => return false,
            Some(Event::Error(e)) => panic!("{e}"),
            Some(Event::Closed) | None => panic!("no answer"),
            Some(_) => continue,
        }
    }
}

#[tokio::test]
async fn a_ticket_opens_sync_once_as_its_person_and_expires() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let id = create_doc(&app).await;
        let response = ticket(&app, &app.editor_token).await;
        assert_eq!(response.status(), 201, "{backend}");
        let issued: SyncTicket = response.json().await.expect("json");
        assert!(issued.ticket.starts_with("kst_") && issued.expires_in_secs <= 60, "{backend}: {issued:?}");

        // As the editor: the document opens and takes an edit.
        let url = format!("ws://{}/sync?ticket={}", app.addr, issued.ticket);
        let mut script = SyncClient::connect(&url, "skript").await.expect("connect");
        script.request(id).await.expect("request");
        script.wait_until(WAIT, |c| !c.doc(id).get_heads().is_empty()).await.expect("document arrives");
        script
            .edit(id, |d| {
                d.put(ROOT, "title", "Per Ticket").expect("put");
            })
            .await
            .expect("edit");
        script.wait_until(WAIT, |c| c.is_saved(id)).await.unwrap_or_else(|e| panic!("{backend}: not stored: {e}"));

        // Used up: a second connection with it is anonymous and finds nothing.
        assert!(!opens(&app, &issued.ticket, id).await, "{backend}: a ticket works once");

        // Expired: a ticket is no good after its time.
        let late: SyncTicket = ticket(&app, &app.editor_token).await.json().await.expect("json");
        let store = Db::connect(&db.url(), Default::default()).await.expect("db");
        let after = now_millis() + (issued.expires_in_secs as i64 + 1) * 1000;
        assert_eq!(sync_tickets::consume(&store, &secret::hash(&late.ticket), after).await.expect("consume"), None);
        store.close().await;

        // Only for API tokens, and only so many at once.
        let cookie = app.dev_cookie("Browser", "editor").await;
        let by_session = reqwest::Client::new()
            .post(format!("{}/api/sync-tickets", app.http()))
            .header("cookie", cookie)
            .header("origin", app.http())
            .send()
            .await
            .expect("request");
        assert_eq!(by_session.status(), 400, "{backend}: sessions use their cookie");
        let statuses: Vec<u16> = {
            let mut all = Vec::new();
            for _ in 0..20 {
                all.push(ticket(&app, &app.editor_token).await.status().as_u16());
            }
            all
        };
        assert!(statuses.contains(&429), "{backend}: open tickets are bounded: {statuses:?}");
        app.stop().await;
        db.cleanup().await;
    }
}
