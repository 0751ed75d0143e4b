//! Capacity guard: a thousand idle signed-in sockets over a hundred documents, measured in the
//! server process. The full 10,000 over 1,000 runs in `scripts/bench-idle.sh` (docs/benchmarks.md).

use std::time::Duration;

use kompromiss_server::cli::admin::{AdminCommand, execute};
use kompromiss_server::db::Db;
use kompromiss_tests::load::idle;
use kompromiss_tests::process::ServerProcess;

/// Budgets the 10,000-connection target implies: 10,000 sockets and 1,000 open template concepts
/// in 1 GiB. Measured 2026-12-06 at that size: 19.7 KiB per connection, 566 KiB per open concept,
/// 787 MiB in all (docs/benchmarks.md); the bounds leave room for a busy CI machine.
const MAX_PER_CONNECTION_KIB: f64 = 40.0;
const MAX_PER_DOCUMENT_KIB: f64 = 700.0;
/// The target itself, projected from this smaller run.
const TARGET_MIB: f64 = 1024.0;

#[tokio::test]
async fn a_thousand_idle_sockets_over_a_hundred_documents_stay_within_their_memory_budget() {
    let dir = tempfile::tempdir().expect("data dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("kompromiss.db").display());
    let db = Db::connect(&url, Default::default()).await.expect("database");
    let user = execute(&db, AdminCommand::CreateUser { name: "Kapazität".into(), role: Some("editor".into()) })
        .await
        .expect("user");
    let token = execute(&db, AdminCommand::CreateToken { user, name: "idle".into() }).await.expect("token");
    db.close().await;
    let server =
        ServerProcess::start(&url, dir.path(), &[("KOMPROMISS_MAX_CONNECTIONS", "1500")]).await.expect("server");
    let docs = idle::create_documents(&server.http(), &token, 100).await.expect("documents");
    let sync = format!("ws://127.0.0.1:{}/sync?access_token={token}", server.port);
    let report = idle::idle(&sync, &docs, 1000, server.pid(), Duration::from_secs(2)).await.expect("idle run");
    eprintln!("{}", serde_json::to_string(&report).expect("json"));
    assert_eq!(report.dropped, 0, "idle connections stay open");
    assert!(report.per_connection_kib < MAX_PER_CONNECTION_KIB, "{report:?}");
    assert!(report.per_document_kib < MAX_PER_DOCUMENT_KIB, "{report:?}");
    let projected =
        report.base_mib + (10_000.0 * report.per_connection_kib + 1_000.0 * report.per_document_kib) / 1024.0;
    assert!(
        projected < TARGET_MIB,
        "10,000 connections over 1,000 documents would take {projected:.0} MiB: {report:?}"
    );
    server.stop().await.expect("graceful stop");
}
