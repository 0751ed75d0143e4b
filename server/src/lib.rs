//! Kompromiss server: co-writing policy concepts. `run` wires storage, sync, auth and pages together.
#![forbid(unsafe_code)]

pub mod auth;
pub mod backend;
pub mod concepts;
pub mod config;
pub mod db;
pub mod error;
pub mod health;
pub mod router;
pub mod routes;
pub mod shutdown;
pub mod state;
pub mod sync;
pub mod telemetry;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::state::{AppState, RuntimeConfig};

/// Serves until `shutdown` is cancelled, then closes connections, flushes documents and returns.
pub async fn run(config: Config, listener: TcpListener, shutdown: CancellationToken) -> anyhow::Result<()> {
    let addr = listener.local_addr().context("listener has no address")?;
    let runtime = RuntimeConfig::resolve(&config, addr);
    let db =
        db::Db::connect(&config.database_url(), config.sqlite_synchronous).await.context("cannot open the database")?;
    tracing::info!(backend = db.backend(), %addr, public_url = %runtime.public_url, "Kompromiss starting");
    if runtime.dev_login {
        tracing::warn!("DEVELOPMENT SIGN-IN IS ON: anyone can sign in under any name. Use it only for local testing.");
    }
    let tracker = TaskTracker::new();
    let docs_cancel = CancellationToken::new();
    let registry = sync::registry::Registry::new(
        db.clone(),
        tracker.clone(),
        docs_cancel.clone(),
        Duration::from_secs(config.doc_idle_secs.max(1)),
        config.max_document_bytes,
    );
    let state = AppState::new(Arc::new(runtime), db.clone(), registry, shutdown.clone(), &config);
    let app = router::build(state);
    let server_shutdown = shutdown.clone();
    // Sync frames are small and latency-bound: no Nagle delay on any connection.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(async move { server_shutdown.cancelled().await })
        .await
        .context("server failed")?;
    // Connections are closed (their tasks see the same token); now let every document flush.
    docs_cancel.cancel();
    tracker.close();
    tracker.wait().await;
    db.close().await;
    tracing::info!("Kompromiss stopped; all documents flushed");
    Ok(())
}
