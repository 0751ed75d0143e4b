//! `kill -9` in the middle of editing: every change a client was told is saved survives, on two
//! instances over PostgreSQL (the killed one's clients go on on the other) and on the embedded
//! SQLite default with one instance (restarted on the same file).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use kompromiss_server::cli::admin::{AdminCommand, execute};
use kompromiss_server::db::Db;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::schema::{self, FieldPath, KEY_BODY};
use kompromiss_tests::client::SyncClient;
use kompromiss_tests::db::TestDb;
use kompromiss_tests::process::ServerProcess;

use super::helpers::{WAIT, body_of, view};

/// Clients editing at once.
const WRITERS: usize = 20;
const SECTIONS: [&str; 7] = ["ziele", "zielgruppen", "plattformen", "metriken", "datenschutz", "hass", "ressourcen"];

/// An editor's API token, made directly in the database (as `kompromiss admin` does).
async fn editor_token(url: &str) -> String {
    let db = Db::connect(url, Default::default()).await.expect("database");
    let user = execute(&db, AdminCommand::CreateUser { name: "Crash-Redaktion".into(), role: Some("editor".into()) })
        .await
        .expect("user");
    let token = execute(&db, AdminCommand::CreateToken { user, name: "crash".into() }).await.expect("token");
    db.close().await;
    token
}

async fn create_on(server: &ServerProcess, token: &str) -> DocumentId {
    let res = reqwest::Client::new()
        .post(format!("{}/api/documents", server.http()))
        .bearer_auth(token)
        .header("accept", "application/json")
        .form(&[("template", "social-media-konzept")])
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), 201);
    let body: serde_json::Value = res.json().await.expect("json");
    body["id"].as_str().expect("id").parse().expect("id")
}

async fn connect(url: &str, name: &str, id: DocumentId) -> anyhow::Result<SyncClient> {
    let mut c = SyncClient::connect(url, name).await?;
    c.request(id).await?;
    c.wait_until(WAIT, |c| !c.doc(id).get_heads().is_empty()).await?;
    Ok(c)
}

/// One writer: appends numbered words to its section, noting each the server confirms saved,
/// until `stop`; when its server goes away it reconnects to `fallback` (the load balancer's
/// next instance) and goes on there. Returns the confirmed words and when it was saved again
/// after losing its server.
async fn write(
    n: usize,
    id: DocumentId,
    urls: Vec<String>,
    stop: Arc<AtomicBool>,
) -> (Vec<String>, Option<Instant>, Option<Instant>) {
    let section = SECTIONS[n % SECTIONS.len()];
    let path = FieldPath::Section { id: section.into(), field: KEY_BODY.into() };
    let mut acked = Vec::new();
    let (mut lost_at, mut back_at) = (None, None);
    let mut server = 0;
    let mut client = connect(&urls[server], &format!("w{n}"), id).await.expect("first connect");
    let mut word = 0;
    while !stop.load(Ordering::Relaxed) || (lost_at.is_some() && back_at.is_none()) {
        let marker = format!(" w{n}x{word}");
        word += 1;
        let next = format!("{}{marker}", body_of(&view(&mut client, id), section));
        let sent = client
            .edit(id, |d| {
                schema::set_text(d, &path, &next).expect("edit");
            })
            .await;
        let saved = match sent {
            Ok(()) => client.wait_until(Duration::from_secs(5), |c| c.is_saved(id)).await,
            Err(e) => Err(e),
        };
        match saved {
            Ok(()) => {
                acked.push(marker);
                if lost_at.is_some() && back_at.is_none() {
                    back_at = Some(Instant::now());
                }
            }
            Err(_) => {
                // The server is gone (or did not confirm): go on with the next one, carrying the
                // words not confirmed (a client resends them; they may or may not arrive).
                lost_at.get_or_insert_with(Instant::now);
                server = (server + 1).min(urls.len() - 1);
                let doc = client.doc(id).clone();
                let mut again = None;
                for _ in 0..100 {
                    match SyncClient::connect(&urls[server], &format!("w{n}r{word}")).await {
                        Ok(mut c) => {
                            if c.create(id, doc.clone()).await.is_ok() {
                                again = Some(c);
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                    }
                }
                client = again.expect("reconnected");
            }
        }
    }
    (acked, lost_at, back_at)
}

/// Reads the concept through a fresh client and checks every confirmed word.
async fn check_all(url: &str, id: DocumentId, acked: &[(usize, Vec<String>)]) {
    let mut c = connect(url, "pruefer", id).await.expect("connect");
    c.wait_until(WAIT, |c| c.is_saved(id)).await.expect("synced");
    let concept = view(&mut c, id);
    let mut total = 0;
    for (n, words) in acked {
        let section = SECTIONS[n % SECTIONS.len()];
        let body = &concept.sections.iter().find(|s| s.id == section).expect("section").body;
        for word in words {
            total += 1;
            assert!(
                body.contains(&format!("{word} ")) || body.ends_with(word.as_str()),
                "{word} was confirmed, then lost"
            );
        }
    }
    assert!(total >= WRITERS * 3, "too few confirmed words to show anything: {total}");
}

async fn run_writers(
    id: DocumentId,
    urls: impl Fn(usize) -> Vec<String>,
    kill: impl std::future::Future<Output = Instant>,
) -> (Vec<(usize, Vec<String>)>, Duration) {
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..WRITERS).map(|n| tokio::spawn(write(n, id, urls(n), stop.clone()))).collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let killed = kill.await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acked = Vec::new();
    let mut slowest = Duration::ZERO;
    for (n, task) in tasks.into_iter().enumerate() {
        let (words, _lost, back) =
            tokio::time::timeout(Duration::from_secs(60), task).await.expect("writer ends").expect("writer");
        if let Some(back) = back {
            slowest = slowest.max(back.saturating_duration_since(killed));
        }
        acked.push((n, words));
    }
    (acked, slowest)
}

#[tokio::test]
async fn an_instance_killed_with_sigkill_loses_no_acknowledged_change_and_its_clients_continue_on_the_other() {
    let Some(db) = TestDb::postgres().await else { return };
    let dir = tempfile::tempdir().expect("data dir");
    let token = editor_token(&db.url()).await;
    let a = ServerProcess::start(&db.url(), dir.path(), &[]).await.expect("instance A");
    let b = ServerProcess::start(&db.url(), dir.path(), &[]).await.expect("instance B");
    let id = create_on(&a, &token).await;
    let (url_a, url_b) = (a.ws_as(&token), b.ws_as(&token));
    // Half the writers on A (then B), half on B.
    let urls = |n: usize| if n.is_multiple_of(2) { vec![url_a.clone(), url_b.clone()] } else { vec![url_b.clone()] };
    let (acked, reconnect) = run_writers(id, urls, async {
        a.kill().await;
        Instant::now()
    })
    .await;
    eprintln!("the killed instance's clients were saving again on the other after {reconnect:?}");
    check_all(&b.ws_as(&token), id, &acked).await;
    b.stop().await.expect("graceful stop");
    // And in the database, for any instance started later.
    let c = ServerProcess::start(&db.url(), dir.path(), &[]).await.expect("instance C");
    check_all(&c.ws_as(&token), id, &acked).await;
    c.stop().await.expect("graceful stop");
    db.cleanup().await;
}

#[tokio::test]
async fn the_embedded_database_killed_with_sigkill_loses_no_acknowledged_change() {
    let dir = tempfile::tempdir().expect("data dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("kompromiss.db").display());
    let token = editor_token(&url).await;
    let first = ServerProcess::start(&url, dir.path(), &[]).await.expect("server");
    let id = create_on(&first, &token).await;
    let ws = first.ws_as(&token);
    // After the kill the same URL answers again once the server is restarted on the same file.
    let port = first.port;
    let data: &Path = dir.path();
    let restarted = Arc::new(tokio::sync::Mutex::new(None));
    let slot = restarted.clone();
    let (acked, reconnect) = run_writers(id, |_| vec![ws.clone(), ws.clone()], async move {
        first.kill().await;
        let at = Instant::now();
        let again = ServerProcess::start_on(&url, data, port).await.expect("restart on the same file");
        *slot.lock().await = Some(again);
        at
    })
    .await;
    eprintln!("clients were saving again after the restart within {reconnect:?}");
    let server = restarted.lock().await.take().expect("restarted");
    check_all(&server.ws_as(&token), id, &acked).await;
    server.stop().await.expect("graceful stop");
}
